/* Search-as-you-type for the Innovation database (issue 20).
 * The form works without this script (a GET search with a shareable URL); with it,
 * typing shows up to eight matching titles from /innovaties/suggesties/?q=...
 * (the last word may be unfinished). Keyboard: arrows move, Enter opens, Escape closes.
 * Text is set with textContent only; no HTML from the server is ever inserted. */
(function () {
  "use strict";
  var form = document.querySelector("form.kn-search[data-suggest-url]");
  if (!form) return;
  var input = form.querySelector("input[type=search]");
  var list = document.getElementById("kn-suggestions");
  var url = form.getAttribute("data-suggest-url");
  var timer = null;
  var active = -1;
  var controller = null;

  function close() {
    list.hidden = true;
    list.textContent = "";
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    var items = list.querySelectorAll("li");
    items.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
    active = index;
    if (index >= 0 && items[index]) input.setAttribute("aria-activedescendant", items[index].id);
    else input.removeAttribute("aria-activedescendant");
  }

  function show(results) {
    list.textContent = "";
    if (!results.length) { close(); return; }
    results.forEach(function (r, i) {
      var li = document.createElement("li");
      li.id = "kn-suggestion-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var a = document.createElement("a");
      a.href = r.url;
      a.textContent = r.title;
      a.tabIndex = -1;
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    active = -1;
  }

  function fetchSuggestions() {
    var q = input.value.trim();
    if (q.length < 2) { close(); return; }
    if (controller) controller.abort();
    controller = new AbortController();
    fetch(url + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" }, signal: controller.signal })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (data) { if (input.value.trim() === q) show(data.results || []); })
      .catch(function () { /* aborted or offline: the plain search still works */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 150);
  });
  input.addEventListener("keydown", function (e) {
    var items = list.querySelectorAll("li");
    if (list.hidden || !items.length) return;
    if (e.key === "ArrowDown") { e.preventDefault(); highlight((active + 1) % items.length); }
    else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active <= 0 ? items.length - 1 : active - 1); }
    else if (e.key === "Escape") { close(); }
    else if (e.key === "Enter" && active >= 0) { e.preventDefault(); window.location.href = items[active].querySelector("a").href; }
  });
  document.addEventListener("click", function (e) { if (!form.contains(e.target)) close(); });
})();
