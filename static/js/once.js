/* once.js — a form sends once: after the first click its buttons are disabled, so a double
   click or an impatient second click cannot fire the same step twice (the server refuses a
   repeat anyway; this spares the user the refusal message).
   Every POST form, and any form marked data-once; a form marked data-once="off" is left
   alone. Loaded by base.html (and still by some pages): it installs itself once.
   Also moves focus to an error summary ([data-error-summary]) when a page shows one, so a
   keyboard or screen-reader user lands on the list of problems first (GOV.UK pattern).
   Loaded with <script src defer>: the Content-Security-Policy forbids inline scripts. */
(function () {
  "use strict";
  if (window.khenthuongOnce) return;
  window.khenthuongOnce = true;
  // A form that answers with a download leaves the page in place: its buttons come back.
  var RELEASE_AFTER_MS = 10000;

  function guarded(form) {
    var mark = form.getAttribute("data-once");
    if (mark === "off") return false;
    return mark !== null || (form.getAttribute("method") || "").toLowerCase() === "post";
  }

  function release(form) {
    form.removeAttribute("data-sent");
    form.querySelectorAll("button, input[type=submit]").forEach(function (button) {
      button.disabled = false;
      button.removeAttribute("aria-disabled");
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !guarded(form)) return;
    if (form.getAttribute("data-sent") === "true") {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-sent", "true");
    // Disable after the submit event has run, so the clicked button's name/value still go.
    window.setTimeout(function () {
      form.querySelectorAll("button, input[type=submit]").forEach(function (button) {
        button.disabled = true;
        button.setAttribute("aria-disabled", "true");
      });
    }, 0);
    window.setTimeout(function () { release(form); }, RELEASE_AFTER_MS);
  });
  // Coming back with the browser's Back button restores the page as it was left: enable again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form").forEach(release);
  });
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  });
})();
