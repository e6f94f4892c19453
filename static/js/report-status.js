// Follows a report job on its page: polls the JSON status endpoint and
// reloads the page once the job is finished, to show the downloads or the
// error. Loaded as a file because the Content-Security-Policy forbids inline
// scripts; without JavaScript a <noscript> meta refresh does the same.
(function () {
  "use strict";
  var box = document.getElementById("report-status");
  if (!box || box.dataset.finished === "1") {
    return;
  }
  var url = box.dataset.statusUrl;
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");
  var badge = box.querySelector("[data-testid=job-status]");
  var delay = 1000;

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        // Finished, or its worker went silent (or came back): the page says so.
        if (data.finished || (data.stale ? "1" : "0") !== box.dataset.stale) {
          window.location.reload();
          return;
        }
        if (bar) { bar.value = data.progress; bar.textContent = data.progress + " %"; }
        if (text) { text.textContent = data.progress + " %"; }
        if (badge) { badge.textContent = data.status_label; }
        delay = 1000;
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        // Server restarting or network hiccup: keep trying, more slowly.
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }
  window.setTimeout(poll, delay);
})();
