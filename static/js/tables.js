/* tables.js (look) — on a phone a table wider than the screen scrolls inside itself
   (app.css: table { display: block; overflow-x: auto }). A keyboard can only scroll what it
   can focus, so such a table gets tabindex="0" (WCAG 2.1.1; axe's scrollable-region-focusable)
   and a class for its focus ring; a table that fits loses them again on resize.
   Loaded with <script src defer>: the Content-Security-Policy forbids inline scripts. */
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll("main table").forEach(function (table) {
      var scrolls = table.scrollWidth > table.clientWidth + 1;
      if (scrolls && !table.hasAttribute("tabindex")) {
        table.setAttribute("tabindex", "0");
        table.classList.add("table-scroll");
      } else if (!scrolls && table.classList.contains("table-scroll")) {
        table.removeAttribute("tabindex");
        table.classList.remove("table-scroll");
      }
    });
  }
  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(mark, 150);
  });
  document.addEventListener("htmx:after:swap", mark);
  mark();
})();
