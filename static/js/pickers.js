// Searchable pickers (Tom Select, static/vendor/tom-select) for the long
// selects of the forms: communes (166), beneficiaries and establishments.
// Typing without accents finds names with them ("dong son" → "Đông Sơn").
// The texts come from the page (<body data-picker-*>), in the user's language.
(function () {
  "use strict";
  if (typeof TomSelect === "undefined") {
    return;
  }
  // The fields whose lists grow with the registry (by name, so that a form
  // needs no change to get one), and any select marked data-picker="on".
  var NAMES = ["commune", "beneficiaries", "establishment", "beneficiary"];
  var body = document.body.dataset;

  // The same folding as enterprises/text.py fold(): lower case, no marks, đ → d.
  function fold(text) {
    return String(text || "")
      .replace(/[đĐ]/g, "d")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase();
  }

  function searchable(select) {
    if (select.dataset.picker === "off" || select.closest("[data-no-picker]")) {
      return false;
    }
    return select.dataset.picker === "on" || NAMES.indexOf(select.name) !== -1;
  }

  document.querySelectorAll("main form select").forEach(function (select) {
    if (!searchable(select)) {
      return;
    }
    var options = [];
    Array.prototype.forEach.call(select.options, function (o) {
      // The empty choice ("---------") is the placeholder, not an item.
      if (o.value !== "") {
        options.push({ value: o.value, text: o.text, folded: fold(o.text) });
      }
    });
    var picker = new TomSelect(select, {
      options: options,
      valueField: "value",
      labelField: "text",
      searchField: ["folded"],
      maxOptions: null,
      allowEmptyOption: false,
      plugins: select.multiple ? ["remove_button"] : [],
      hidePlaceholder: false,
      placeholder: body.pickerPlaceholder || "",
      // The typed text is folded too, so the sifter compares plain letters.
      score: function (search) {
        var words = fold(search).split(/\s+/).filter(Boolean);
        return function (item) {
          for (var i = 0; i < words.length; i++) {
            if (item.folded.indexOf(words[i]) === -1) {
              return 0;
            }
          }
          return 1;
        };
      },
      render: {
        no_results: function () {
          var div = document.createElement("div");
          div.className = "no-results";
          div.textContent = body.pickerNoResults || "";
          return div;
        },
      },
    });
    picker.wrapper.dataset.testid = "picker-" + select.name;
  });
})();
