/* ballot.js — the ballot page (ballot-ux). Counts the choices made as the member goes
   ("Đã chọn 2/3 người."), and before a ballot that leaves someone out is sent, stops it
   once to show the warning and the "send anyway" box (the server asks the same; this only
   spares the round trip). The texts come from the page (data-*-template), in the user's
   language. Loaded with <script src defer>: the Content-Security-Policy forbids inline
   scripts. */
(function () {
  "use strict";

  function format(template, chosen, total) {
    return (template || "").replace("%(chosen)d", chosen).replace("%(total)d", total);
  }

  function setup(form) {
    var total = parseInt(form.getAttribute("data-total"), 10) || 0;
    var box = form.querySelector("[data-ballot-partial]");
    var text = form.querySelector("[data-ballot-partial-text]");
    var sendAnyway = form.querySelector("input[name=partial]");
    var count = form.querySelector("[data-ballot-count]");

    function chosen() {
      var names = {};
      form.querySelectorAll("input[type=radio]:checked").forEach(function (radio) {
        names[radio.name] = true;
      });
      return Object.keys(names).length;
    }

    function update() {
      var n = chosen();
      if (count) {
        count.hidden = false;
        count.textContent = format(form.getAttribute("data-count-template"), n, total);
      }
      if (box && n === total) box.hidden = true; // nothing left out: nothing to confirm
    }

    form.addEventListener("change", update);
    // On the form itself, so it runs before once.js (on the document) and can keep it from
    // locking the buttons of a ballot that was not sent.
    form.addEventListener("submit", function (event) {
      var n = chosen();
      if (!box || !sendAnyway || n === 0 || n >= total || sendAnyway.checked) return;
      event.preventDefault();
      event.stopPropagation();
      var strong = document.createElement("strong");
      strong.textContent = format(form.getAttribute("data-partial-template"), n, total);
      text.replaceChildren(strong);
      box.hidden = false;
      box.setAttribute("role", "alert");
      sendAnyway.focus();
    });
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-ballot]").forEach(setup);
  });
})();
