// Dates as Vietnamese officers write them, whatever the browser's language:
// every <input type="date"> becomes a dd/mm/yyyy text field with a calendar
// button (Monday first, Vietnamese names from <body data-cal-*>). The server
// reads dd/mm/yyyy (khuyencong/formats/vi).
(function () {
  "use strict";
  var body = document.body.dataset;
  var months = (body.calMonths || "").split(",");
  var days = (body.calDays || "").split(",");

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }
  function show(date) {
    return pad(date.getDate()) + "/" + pad(date.getMonth() + 1) + "/" + date.getFullYear();
  }
  function parse(text) {
    var m = /^\s*(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})\s*$/.exec(text || "");
    if (m) {
      var d = new Date(+m[3], +m[2] - 1, +m[1]);
      return d.getMonth() === +m[2] - 1 ? d : null;
    }
    m = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(text || "");
    return m ? new Date(+m[1], +m[2] - 1, +m[3]) : null;
  }

  function calendar(input) {
    var box = document.createElement("div");
    box.className = "kc-calendar card shadow-sm";
    box.hidden = true;
    var shown = parse(input.value) || new Date();
    shown = new Date(shown.getFullYear(), shown.getMonth(), 1);

    function button(text, label, onClick) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "btn btn-sm btn-light";
      b.textContent = text;
      if (label) {
        b.setAttribute("aria-label", label);
      }
      b.addEventListener("click", onClick);
      return b;
    }

    function draw() {
      box.textContent = "";
      var head = document.createElement("div");
      head.className = "d-flex justify-content-between align-items-center";
      head.appendChild(button("‹", body.calPrevious, function () {
        shown.setMonth(shown.getMonth() - 1);
        draw();
      }));
      var title = document.createElement("strong");
      title.textContent = months[shown.getMonth()] + " " + shown.getFullYear();
      head.appendChild(title);
      head.appendChild(button("›", body.calNext, function () {
        shown.setMonth(shown.getMonth() + 1);
        draw();
      }));
      box.appendChild(head);
      var grid = document.createElement("div");
      grid.className = "kc-calendar-grid";
      days.forEach(function (name) {
        var cell = document.createElement("span");
        cell.className = "text-muted small";
        cell.textContent = name;
        grid.appendChild(cell);
      });
      var offset = (shown.getDay() + 6) % 7; // Monday first
      for (var i = 0; i < offset; i++) {
        grid.appendChild(document.createElement("span"));
      }
      var chosen = parse(input.value);
      var last = new Date(shown.getFullYear(), shown.getMonth() + 1, 0).getDate();
      for (var day = 1; day <= last; day++) {
        (function (date) {
          var b = button(String(date.getDate()), show(date), function () {
            input.value = show(date);
            input.dispatchEvent(new Event("change", { bubbles: true }));
            box.hidden = true;
            input.focus();
          });
          if (chosen && show(chosen) === show(date)) {
            b.className = "btn btn-sm btn-primary";
          }
          grid.appendChild(b);
        })(new Date(shown.getFullYear(), shown.getMonth(), day));
      }
      box.appendChild(grid);
    }

    return {
      box: box,
      toggle: function () {
        if (box.hidden) {
          var d = parse(input.value) || new Date();
          shown = new Date(d.getFullYear(), d.getMonth(), 1);
          draw();
        }
        box.hidden = !box.hidden;
      },
      close: function () {
        box.hidden = true;
      },
    };
  }

  document.querySelectorAll('main input[type="date"]').forEach(function (input) {
    var value = parse(input.value);
    input.type = "text";
    input.value = value ? show(value) : input.value;
    input.placeholder = body.calPlaceholder || "dd/mm/yyyy";
    input.inputMode = "numeric";
    input.autocomplete = "off";
    input.dataset.date = "";
    var group = document.createElement("div");
    group.className = "input-group kc-date";
    input.parentNode.insertBefore(group, input);
    group.appendChild(input);
    var cal = calendar(input);
    var open = document.createElement("button");
    open.type = "button";
    open.className = "btn btn-outline-secondary";
    open.textContent = "▦";
    open.setAttribute("aria-label", body.calOpen || "");
    open.addEventListener("click", cal.toggle);
    group.appendChild(open);
    group.appendChild(cal.box);
    document.addEventListener("click", function (event) {
      if (!group.contains(event.target)) {
        cal.close();
      }
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        cal.close();
      }
    });
  });
})();
