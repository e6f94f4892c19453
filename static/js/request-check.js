// The support and eligibility rules, checked as the establishment types its
// request (form[data-rule-check]): the form is posted, unsaved, to the URL in
// that attribute, which runs the same check as the server on saving and on
// sending (applicants.services.request_check), and its messages are shown
// under the fields the person has already filled. Only a help: the server
// checks again on every save and refuses to send a request that breaks a
// rule. A file, not inline code: the Content-Security-Policy forbids inline
// scripts.
(function () {
  "use strict";
  var form = document.querySelector("form[data-rule-check]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var url = form.getAttribute("data-rule-check");
  var touched = {};
  var timer = null;
  var sent = 0;

  function box(name) {
    return form.querySelector('[data-live-for="' + name + '"]');
  }

  function show(name, messages) {
    var target = box(name);
    if (!target) {
      return;
    }
    target.textContent = "";
    (messages || []).forEach(function (message) {
      var line = document.createElement("div");
      line.textContent = message;
      target.appendChild(line);
    });
  }

  function render(answer) {
    // The server's messages from the last save are replaced by live ones.
    form.querySelectorAll("[data-rule-static]").forEach(function (node) {
      node.remove();
    });
    Object.keys(touched).forEach(function (name) {
      show(name, answer.fields[name]);
    });
    show("", answer.general);
    var ok = form.querySelector("[data-live-ok]");
    if (ok) {
      ok.hidden = !answer.ok;
    }
  }

  function check() {
    var number = ++sent;
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(url, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" },
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (answer) {
        if (answer && number === sent) {
          render(answer);
        }
      })
      .catch(function () {
        // Offline or refused: the check on saving still tells.
      });
  }

  function changed(event) {
    var field = event.target;
    if (!field.name || !form.contains(field) || field.type === "hidden") {
      return;
    }
    touched[field.name] = true;
    // The three amounts are checked together: one changed, all are shown.
    if (["total_cost", "requested", "counterpart"].indexOf(field.name) >= 0) {
      touched.total_cost = touched.requested = touched.counterpart = true;
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 500);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
})();
