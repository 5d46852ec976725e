/* A form shown again with errors: move focus to its error summary.
 *
 * The summary ([data-error-summary], tabindex=-1) lists every error as a link
 * to its field; focusing it makes a screen reader read it and keeps the
 * viewport at the form (the form's action carries a #fragment too, so the
 * page lands there even without script). A link in the summary focuses its
 * field, not just scrolls to it. A separate file, no inline script (CSP).
 */
(function () {
  "use strict";

  function start() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) return;
      event.preventDefault();
      field.focus();
      field.scrollIntoView({ block: "center" });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
