/* Small progressive enhancements; every page works without them. No inline scripts (CSP). */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function stateName(state) {
    var names = document.getElementById("state-names");
    if (!names) { return state; }
    var el = names.content.querySelector('[data-state="' + state + '"]');
    return el ? el.textContent : state;
  }

  function number(value) {
    if (value === null || value === undefined) { return "–"; }
    return Math.round(value).toLocaleString();
  }

  function pollJob(box) {
    var url = box.getAttribute("data-job-url");
    var runUrl = box.getAttribute("data-run-url");
    var stateEl = document.getElementById("job-state");
    var lastState = null;
    function tick() {
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (job) {
          if (!job) { return; }
          if (job.state !== lastState) { stateEl.textContent = stateName(job.state); lastState = job.state; }
          document.getElementById("job-objective").textContent = number(job.objective);
          document.getElementById("job-bound").textContent = number(job.bound);
          document.getElementById("job-elapsed").textContent = Math.round(job.elapsed_s);
          // the *_local texts are in the reader's language (the API's English ones when no translation is known)
          document.getElementById("job-message").textContent = job.message_local || job.message || "–";
          if (job.error) {
            var err = document.getElementById("job-error");
            err.textContent = job.error_local || job.error;
            err.hidden = false;
          }
          if (job.finished) {
            var stop = document.getElementById("stop-form");
            if (stop) { stop.hidden = true; }
            if (job.run_id) {
              var link = document.getElementById("job-run-link");
              link.href = runUrl.replace(/0$/, String(job.run_id));
              document.getElementById("job-result").hidden = false;
            }
            return;
          }
          window.setTimeout(tick, 1000);
        })
        .catch(function () { window.setTimeout(tick, 3000); });
    }
    tick();
  }

  function pollExport(box) {
    var url = box.getAttribute("data-status-url");
    var lastState = null;
    function tick() {
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (job) {
          if (!job) { return; }
          if (job.state !== lastState) { document.getElementById("export-state").textContent = stateName(job.state); lastState = job.state; }
          document.getElementById("export-elapsed").textContent = Math.round(job.elapsed_s);
          if (job.error) {
            var err = document.getElementById("export-error");
            err.textContent = job.error; err.hidden = false;
          }
          if (job.ready) {
            document.getElementById("export-link").href = job.file_url;
            document.getElementById("export-ready").hidden = false;
          }
          if (!job.finished) { window.setTimeout(tick, 1000); }
        })
        .catch(function () { window.setTimeout(tick, 3000); });
    }
    tick();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("job");
    if (box) { pollJob(box); }
    var exportBox = document.getElementById("export");
    if (exportBox) { pollExport(exportBox); }
    var printButtons = document.querySelectorAll(".print-button");
    for (var i = 0; i < printButtons.length; i++) {
      printButtons[i].addEventListener("click", function () { window.print(); });
    }
    // focus the error summary so screen-reader and keyboard users land on it
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });
  window.plannerCsrfToken = csrfToken;
})();
