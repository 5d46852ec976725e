/* Open the folded part of the dashboard a link points at.
 *
 * The indicators of each theme are folded in a <details> (closed by default).
 * A link to a theme (#thema-water, from the summary or a shared URL) opens that
 * theme's indicators; a link to an indicator (#indicator-canopy_share_pct, from
 * the summary's largest gaps) opens the <details> around it. Without script the
 * link still lands on the theme's heading, and the reader opens it by hand.
 * A separate file, no inline script (CSP).
 */
(function () {
  "use strict";

  function reveal(id, scroll) {
    if (!id) return;
    var target = document.getElementById(id);
    if (!target) return;
    var opened = false;
    if (target.hasAttribute("data-theme-block")) {
      var own = target.querySelector("details[data-theme-details]");
      if (own && !own.open) {
        own.open = true;
        opened = true;
      }
    }
    for (var el = target.parentElement; el; el = el.parentElement) {
      if (el.tagName === "DETAILS" && !el.open) {
        el.open = true;
        opened = true;
      }
    }
    // The browser scrolled before the content was shown: land on it again.
    if (opened && scroll) target.scrollIntoView({ block: "start" });
  }

  function fromHash() {
    try {
      return decodeURIComponent(window.location.hash.slice(1));
    } catch (e) {
      return "";
    }
  }

  function start() {
    reveal(fromHash(), true);
    window.addEventListener("hashchange", function () {
      reveal(fromHash(), true);
    });
    // A click on a link to the fragment already in the URL fires no hashchange;
    // opening before the browser follows the link also lets it scroll right.
    document.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (link) reveal(link.getAttribute("href").slice(1), false);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
