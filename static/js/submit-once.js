// A form is sent once: after the first submit its buttons are disabled and a
// second click (or Enter) does nothing, so a double-click records nothing
// twice. A convenience only: the server refuses a second submission of the
// same form by its one-time token (projects: form_token). Loaded as a file
// because the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") {
      return;
    }
    if (form.dataset.submitted === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "1";
    // After this event: a button disabled now would drop its own name and
    // value from the data being sent.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit], button:not([type])")
        .forEach(function (button) {
          button.disabled = true;
          button.setAttribute("aria-busy", "true");
        });
    }, 0);
  });
  // Back/forward cache: a page shown again must be usable again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    document.querySelectorAll("form[data-submitted]").forEach(function (form) {
      delete form.dataset.submitted;
      form.querySelectorAll("[aria-busy=true]").forEach(function (button) {
        button.disabled = false;
        button.removeAttribute("aria-busy");
      });
    });
  });
})();
