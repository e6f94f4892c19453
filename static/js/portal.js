// Small behaviours shared by every page. A file, not inline code: the
// Content-Security-Policy forbids inline scripts and event attributes.
(function () {
  "use strict";

  // <select data-autosubmit>: choosing a value submits its form (the
  // budget page's year); the form keeps its button for keyboard users.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) {
      if (field.form.requestSubmit) {
        field.form.requestSubmit();
      } else {
        field.form.submit();
      }
    }
  });
})();
