// Follows an establishment import on its page: polls the JSON status endpoint,
// shows the rows checked, and reloads the page once the import has finished
// (to show the outcome and the errors). A file, because the
// Content-Security-Policy forbids inline scripts; without JavaScript a
// <noscript> meta refresh does the same.
(function () {
  "use strict";
  var box = document.getElementById("import-status");
  if (!box || box.dataset.finished === "1") {
    return;
  }
  var url = box.dataset.statusUrl;
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");
  var badge = box.querySelector("[data-testid=job-status]");
  var delay = 700;

  function grouped(n) {
    return n.toLocaleString(document.documentElement.lang || "vi");
  }

  // The sentences come translated from the page (data-*-text attributes).
  function describe(data) {
    if (data.writing) {
      return box.dataset.writingText;
    }
    if (!data.rows_total) {
      return box.dataset.readingText;
    }
    return box.dataset.rowsText
      .replace("{read}", grouped(data.rows_read))
      .replace("{total}", grouped(data.rows_total));
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (data.finished || (data.stale ? "1" : "0") !== box.dataset.stale) {
          window.location.reload();
          return;
        }
        if (bar) { bar.value = data.progress; bar.textContent = data.progress + " %"; }
        if (text) { text.textContent = describe(data); }
        if (badge) { badge.textContent = data.status_label; }
        delay = 700;
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }
  window.setTimeout(poll, delay);
})();
