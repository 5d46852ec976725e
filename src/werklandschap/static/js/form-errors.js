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
    function show() {
      // scrollIntoView honours the CSS scroll-margin that keeps the summary
      // clear of the sticky section menu; focus() alone would not.
      summary.scrollIntoView({ block: "start" });
      summary.focus({ preventScroll: true });
    }
    show();
    // Chromium clears focus when it scrolls to the URL's #fragment after
    // loading (the fragment is the form, not a focusable element): focus again
    // once the page has loaded, unless the person has moved on already.
    window.addEventListener("load", function () {
      if (document.activeElement === document.body) show();
    });
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
