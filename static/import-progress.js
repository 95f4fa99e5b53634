// The progress bar of an upload's background import (templates/author/import_job.html).
// Polls the job's JSON status every second; once the job is done or failed, goes to the
// job's page, which shows the new revision or the reason. No inline script: the CSP
// allows scripts from this site only.
(function () {
  "use strict";
  var POLL_MS = 1000;
  var card = document.querySelector("[data-status-url]");
  if (!card || card.dataset.jobState === "failed") {
    return;
  }
  var bar = card.querySelector("progress");
  var stage = card.querySelector(".import-stage");

  function label(template, read, total) {
    // The page's translated text, "{read} of {total} paragraphs read".
    return template.replace("{read}", read).replace("{total}", total);
  }

  function show(status) {
    if (!status.paragraphs_total) {
      return;
    }
    bar.max = status.paragraphs_total;
    bar.value = status.paragraphs_read;
    stage.textContent = status.paragraphs_read < status.paragraphs_total
      ? label(bar.dataset.labelRead, status.paragraphs_read, status.paragraphs_total)
      : bar.dataset.labelWriting;
  }

  function poll() {
    fetch(card.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (status) {
        card.dataset.jobState = status.state;
        show(status);
        if (status.state === "done" || status.state === "failed") {
          window.location.assign(status.next);
          return;
        }
        window.setTimeout(poll, POLL_MS);
      })
      .catch(function () {
        window.setTimeout(poll, POLL_MS * 3); // the server is restarting, say: try again later
      });
  }

  window.setTimeout(poll, POLL_MS);
})();
