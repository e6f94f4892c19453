// Money fields (input[data-money], rendered by enterprises.money.MoneyInput):
// groups the digits with dots while typing, keeping the caret after the same
// digit, and writes the amount in words under the field. Only a help: the
// server reads the amount with enterprises.money.parse_amount and a page
// without JavaScript works the same. The rules below mirror that module
// (tests/browser/test_money_input.py compares both). Loaded as a file: the
// Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
  if (window.kcMoney) {
    return; // loaded twice (base.html and a form's media)
  }
  var MAX_AMOUNT = 999999999999999; // enterprises.money.MAX_AMOUNT, < 2**53
  var SEPARATORS = ". \u00a0\u2007\u2009\u202f";
  var UNIT = /\s*(?:đồng|đ|vnđ|vnd)\.?$/i;
  var GROUPED = /^\d{1,3}(?:([. \u00a0\u2007\u2009\u202f])\d{3})(?:\1\d{3})*$/;
  var DIGIT_WORDS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];
  var BILLION = 1000000000;

  // The amount in `text`, or null when the server would refuse it.
  function parse(text) {
    var t = String(text).normalize("NFC").trim().replace(UNIT, "").trim();
    var negative = t.length > 0 && "-\u2212\u2013".indexOf(t.charAt(0)) >= 0;
    if (negative) {
      t = t.slice(1);
    }
    var digits;
    if (/^[0-9]+$/.test(t)) {
      digits = t;
    } else if (GROUPED.test(t)) {
      digits = t.replace(/\D/g, "");
    } else {
      return null;
    }
    digits = digits.replace(/^0+(?=\d)/, "");
    if (digits.length > String(MAX_AMOUNT).length || Number(digits) > MAX_AMOUNT) {
      return null;
    }
    var value = Number(digits);
    return negative ? -value : value;
  }

  function format(value) {
    var sign = value < 0 ? "-" : "";
    return sign + String(Math.abs(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  function threeDigits(number, full) {
    var hundreds = Math.floor(number / 100);
    var tens = Math.floor(number / 10) % 10;
    var units = number % 10;
    var words = [];
    if (full || hundreds) {
      words.push(DIGIT_WORDS[hundreds], "trăm");
    }
    if (tens === 0) {
      if (units && words.length) {
        words.push("linh");
      }
    } else if (tens === 1) {
      words.push("mười");
    } else {
      words.push(DIGIT_WORDS[tens], "mươi");
    }
    if (units === 1 && tens >= 2) {
      words.push("mốt");
    } else if (units === 4 && tens >= 2) {
      words.push("tư");
    } else if (units === 5 && tens >= 1) {
      words.push("lăm");
    } else if (units) {
      words.push(DIGIT_WORDS[units]);
    }
    return words;
  }

  function belowBillion(number, full) {
    var words = [];
    [[1000000, "triệu"], [1000, "nghìn"], [1, ""]].forEach(function (scale) {
      var group = Math.floor(number / scale[0]) % 1000;
      if (group) {
        words = words.concat(threeDigits(group, full || words.length > 0));
        if (scale[1]) {
          words.push(scale[1]);
        }
      }
    });
    return words;
  }

  function numberWords(number, full) {
    if (number < BILLION) {
      return belowBillion(number, full);
    }
    var low = number % BILLION;
    var words = numberWords(Math.floor(number / BILLION), full).concat(["tỷ"]);
    return low ? words.concat(belowBillion(low, true)) : words;
  }

  function words(value) {
    var list = numberWords(Math.abs(value), false);
    if (!list.length) {
      list = ["không"];
    }
    if (value < 0) {
      list.unshift("âm");
    }
    var text = list.concat(["đồng"]).join(" ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function isSeparator(ch) {
    return ch !== "" && SEPARATORS.indexOf(ch) >= 0;
  }

  function showWords(input) {
    var box = input.id && document.querySelector(
      '[data-money-words-for="' + input.id + '"]'
    );
    if (!box) {
      return;
    }
    var value = parse(input.value);
    box.textContent = value === null || value < 0
      ? ""
      : (box.dataset.label || "") + " " + words(value);
  }

  // Typing (one character at a time, or deleting) regroups the digits. A
  // paste or a filled-in value is only tidied when it is already a valid
  // amount: "2.50.000" is left as it is, for the server to refuse, rather
  // than silently read as 250.000.
  function regroup(input, event) {
    var text = input.value;
    var typed = event.inputType && (
      event.inputType.indexOf("delete") === 0 ||
      (event.inputType === "insertText" && event.data !== null && event.data.length === 1)
    );
    var value;
    if (typed && /^[0-9. \u00a0\u2007\u2009\u202f]*$/.test(text)) {
      var digits = text.replace(/\D/g, "");
      value = digits === "" ? null : Number(digits.replace(/^0+(?=\d)/, ""));
      if (value === null || digits.length > 15) {
        return;
      }
    } else {
      value = parse(text);
      if (value === null || value < 0) {
        return;
      }
    }
    var caret = input.selectionStart === null ? text.length : input.selectionStart;
    var digitsBefore = text.slice(0, caret).replace(/\D/g, "").replace(/^0+/, "").length;
    var grouped = format(value);
    if (grouped === text) {
      return;
    }
    input.value = grouped;
    var position = 0;
    var seen = 0;
    while (position < grouped.length && seen < digitsBefore) {
      if (/\d/.test(grouped.charAt(position))) {
        seen += 1;
      }
      position += 1;
    }
    if (document.activeElement === input) {
      input.setSelectionRange(position, position);
    }
  }

  // Backspace just after a dot (or Delete just before one) removes the
  // digit beyond it, as the dot is not the user's to delete.
  function skipSeparator(event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-money]")) {
      return;
    }
    if (input.selectionStart !== input.selectionEnd) {
      return;
    }
    var at = input.selectionStart;
    if (event.key === "Backspace" && isSeparator(input.value.charAt(at - 1))) {
      input.setSelectionRange(at - 1, at - 1);
    } else if (event.key === "Delete" && isSeparator(input.value.charAt(at))) {
      input.setSelectionRange(at + 1, at + 1);
    }
  }

  // A lone 0 (the default of most amounts) is cleared on entering the field,
  // so that typing 250 does not give 2500 or 0250, and put back on leaving
  // it empty.
  function onFocus(event) {
    var input = event.target;
    if (input.matches && input.matches("input[data-money]") && input.value.trim() === "0") {
      input.value = "";
      input.dataset.moneyWasZero = "1";
    }
  }

  function onBlur(event) {
    var input = event.target;
    if (input.matches && input.matches("input[data-money]") && input.dataset.moneyWasZero) {
      delete input.dataset.moneyWasZero;
      if (input.value.trim() === "") {
        input.value = "0";
        showWords(input);
      }
    }
  }

  function onInput(event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-money]")) {
      return;
    }
    regroup(input, event);
    showWords(input);
  }

  function start() {
    // Event delegation: rows the admin adds later work too.
    document.addEventListener("input", onInput);
    document.addEventListener("keydown", skipSeparator);
    document.addEventListener("focusin", onFocus);
    document.addEventListener("focusout", onBlur);
    document.querySelectorAll("input[data-money]").forEach(showWords);
  }

  window.kcMoney = { parse: parse, format: format, words: words };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
