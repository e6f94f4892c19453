// File inputs get a button and a file name in the page's language (from
// <body data-file-*>) instead of the browser's own "Choose File / No file
// chosen", which follows the browser's language. Loaded by every page,
// the establishments' light pages included (templates/base_light.html).
(function () {
  "use strict";
  var body = document.body.dataset;

  document.querySelectorAll('main input[type="file"]').forEach(function (input) {
    if (!input.id) {
      return;
    }
    input.classList.add("visually-hidden");
    var wrap = document.createElement("div");
    wrap.className = "d-flex align-items-center gap-2 kc-file";
    var pick = document.createElement("label");
    pick.className = "btn btn-outline-secondary btn-sm mb-0";
    pick.htmlFor = input.id;
    pick.textContent = body.fileChoose || "";
    var name = document.createElement("span");
    name.className = "small text-muted";
    name.textContent = body.fileNone || "";
    input.parentNode.insertBefore(wrap, input.nextSibling);
    wrap.appendChild(pick);
    wrap.appendChild(name);
    input.addEventListener("change", function () {
      var names = Array.prototype.map.call(input.files || [], function (f) {
        return f.name;
      });
      name.textContent = names.length ? names.join(", ") : body.fileNone || "";
    });
  });
})();
