// The join form of a live session (templates/classroom/live_join.html).
// A browser that already has a seat in the session of the typed code (kept in
// localStorage by live-play.js) is offered to continue with it, and joining again with
// the same nickname sends the seat's rejoin token: the same participant, the same score.
(function () {
  "use strict";
  var form = document.getElementById("join-form");
  if (!form) {
    return;
  }
  var codeInput = form.querySelector('[name="code"]');
  var nicknameInput = form.querySelector('[name="nickname"]');
  var tokenInput = form.querySelector('[name="token"]');
  var resume = document.querySelector('[data-live="resume"]');
  var resumeName = document.querySelector('[data-live="resume-name"]');
  var playUrl = form.dataset.playUrl;

  function normalized(typed) {
    return typed.replace(/[\s-]/g, "").toUpperCase();
  }

  function seatFor(code) {
    try {
      return JSON.parse(window.localStorage.getItem("quiz-live:" + code) || "null");
    } catch (error) {
      return null;
    }
  }

  function update() {
    var code = normalized(codeInput.value);
    var seat = code.length === 8 ? seatFor(code) : null;
    resume.hidden = !seat;
    if (seat) {
      resumeName.textContent = seat.nickname;
      resume.querySelector("a").href = playUrl.replace("__CODE__", encodeURIComponent(code));
    }
    var same = seat && seat.nickname.toLowerCase() === nicknameInput.value.trim().toLowerCase();
    tokenInput.value = same ? seat.token : "";
  }

  codeInput.addEventListener("input", update);
  nicknameInput.addEventListener("input", update);
  form.addEventListener("submit", update);
  update();
})();
