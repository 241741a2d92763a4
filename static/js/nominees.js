/* nominees.js — the nominees table of the dossier edit page (nominees-forms).
   htmx adds and removes rows; this only moves the keyboard focus: to the first box of the
   first row just added, or to the status line left where a row was removed, so a keyboard
   or screen-reader user is not left on a button that scrolled away or vanished. */
(function () {
  "use strict";
  document.addEventListener("htmx:after:swap", function () {
    var added = document.querySelector("[data-new-row]");
    if (added) {
      document.querySelectorAll("[data-new-row]").forEach(function (row) {
        row.removeAttribute("data-new-row");
      });
      var box = added.querySelector("select, input:not([type=hidden]), textarea");
      if (box) box.focus();
      return;
    }
    var removed = document.querySelector("[data-removed-row]");
    if (removed) {
      removed.removeAttribute("data-removed-row");
      removed.focus();
    }
  });
})();
