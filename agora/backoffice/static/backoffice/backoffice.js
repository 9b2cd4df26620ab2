/* Back-office behaviours, each a progressive enhancement: every page works
   without this file. No inline handler (strict Content-Security-Policy). */
(function () {
  "use strict";

  /* A button marked data-submit-once sends its form once: a second click or
     Enter while the page is loading does nothing. The button is disabled
     after the browser has read its name and value. The server refuses a
     second submission anyway (tokens, unique constraints). */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.querySelector("[data-submit-once]")) return;
    if (form.dataset.submitting === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "1";
    form.setAttribute("aria-busy", "true");
    var onceButtons = form.querySelectorAll("[data-submit-once]");
    window.setTimeout(function () {
      onceButtons.forEach(function (each) {
        each.disabled = true;
        if (each.dataset.busyLabel) each.textContent = each.dataset.busyLabel;
      });
    }, 0);
  });

  /* Coming back with the browser's Back button shows the page from its
     cache: make its buttons usable again. */
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-submitting]").forEach(function (form) {
      delete form.dataset.submitting;
      form.removeAttribute("aria-busy");
      form.querySelectorAll("[data-submit-once]").forEach(function (each) { each.disabled = false; });
    });
  });
})();
