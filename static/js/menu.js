/* menu.js (look) — the header menu is a <details> disclosure, so it opens and closes on a
   phone with no script at all. On a wide screen there is room for every link: this opens it
   and app.css hides its "Menu" button; narrowing the window folds it again.
   Loaded with <script src defer>: the Content-Security-Policy forbids inline scripts. */
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 60em)");
  function sync() {
    document.querySelectorAll("details[data-menu]").forEach(function (menu) {
      menu.open = wide.matches;
    });
  }
  sync();
  wide.addEventListener("change", sync);
})();
