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

// Wide tables scroll inside their card rather than stretch the page. Every
// table of the content is put in a scroll box (unless its template did);
// a box that actually scrolls gets a shadow on its right edge and a hint
// (the text comes from the page, in the user's language), both gone once
// scrolled to the end.
(function () {
  "use strict";
  var hint = document.body.dataset.scrollHint || "";
  var frames = [];

  function frameOf(table) {
    var box = table.parentElement;
    if (!box.classList.contains("table-responsive")) {
      var wrap = document.createElement("div");
      wrap.className = "table-responsive";
      table.parentNode.insertBefore(wrap, table);
      wrap.appendChild(table);
      box = wrap;
    }
    var frame = document.createElement("div");
    frame.className = "kc-scroll-frame";
    frame.dataset.hint = hint;
    box.parentNode.insertBefore(frame, box);
    frame.appendChild(box);
    box.addEventListener("scroll", function () { mark(frame, box); }, { passive: true });
    return [frame, box];
  }

  function mark(frame, box) {
    var scrolls = box.scrollWidth > box.clientWidth + 1;
    frame.classList.toggle("kc-scrolls", scrolls);
    frame.classList.toggle(
      "kc-at-end", scrolls && box.scrollLeft + box.clientWidth >= box.scrollWidth - 1
    );
  }

  function markAll() {
    frames.forEach(function (pair) { mark(pair[0], pair[1]); });
  }

  document.querySelectorAll("main table").forEach(function (table) {
    if (!table.closest(".kc-scroll-frame")) {
      frames.push(frameOf(table));
    }
  });
  markAll();
  window.addEventListener("resize", markAll);
})();
