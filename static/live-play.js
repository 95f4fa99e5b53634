// The play page of a live session (templates/classroom/live_play.html), on a phone.
//
// The seat (nickname and rejoin token) comes from a "play on another device" link
// (#seat=…&nickname=…), the page (the server keeps it in the cookie session) or this
// browser's localStorage, and is saved there: a reload, a closed tab or a lost network
// finds the same participant and score. The page follows the session's event stream
// (EventSource on /api/v1/live/<code>/events); each new version makes it read the
// player's own state (GET /state, with the participant token). Without EventSource, or
// when the stream keeps failing, it polls /state instead. Answers are plain POSTs to the
// JSON API, sent again after a network failure: the server keeps one answer per
// question, so a repeat is harmless. Times come from the server: the countdown runs on
// the server's deadline and the offset between the server's clock and this one.
// What is shown is built by live-play-screens.js. No inline script and no style
// attribute: the CSP allows scripts from this site only.
(function () {
  "use strict";
  var POLL_MS = 2000;
  var STREAM_FAILURES_BEFORE_POLLING = 3;
  var SEND_TRIES = 8;
  var REFUSALS = { too_late: "too_late", already_answered: "already", not_current: "not_current", paused: "paused_refusal" };
  var root = document.getElementById("live-play");
  if (!root || !window.QuizLiveScreens) {
    return;
  }
  var storeKey = "quiz-live:" + root.dataset.code;
  var graceMs = Number(root.dataset.graceMs) || 0;
  var screens = window.QuizLiveScreens(part("stage"), readJson("live-texts") || {});
  var text = screens.text;

  var seat = seatFromLink() || readJson("live-seat") || storedSeat();
  if (!seat || !seat.token) {
    window.location.assign(root.dataset.joinUrl);
    return;
  }
  storeSeat(seat);

  var current = null; // the last state read
  var form = null; // the question's form, when one is shown
  var etag = null;
  var clockOffset = 0; // the server's clock minus this one, in ms
  var notes = {}; // question id -> {text, kind, reopen}: what became of the answer sent
  var drafts = {}; // question id -> what the player picked or typed, kept across redraws
  var fetching = false;
  var fetchAgain = false;
  var stream = null;
  var streamFailures = 0;
  var pollTimer = null;
  var stopped = false;

  function readJson(id) {
    var element = document.getElementById(id);
    try {
      return element ? JSON.parse(element.textContent) : null;
    } catch (error) {
      return null;
    }
  }

  function part(name) {
    return root.querySelector('[data-live="' + name + '"]');
  }

  // The seat --------------------------------------------------------------------------

  function seatFromLink() {
    var values = new URLSearchParams(window.location.hash.slice(1));
    if (!values.get("seat")) {
      return null;
    }
    // The token leaves the address bar (and the history) at once.
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
    return { token: values.get("seat"), nickname: values.get("nickname") || "" };
  }

  function storedSeat() {
    try {
      return JSON.parse(window.localStorage.getItem(storeKey) || "null");
    } catch (error) {
      return null;
    }
  }

  function storeSeat(value) {
    try {
      window.localStorage.setItem(storeKey, JSON.stringify(value));
    } catch (error) {
      // No storage (private browsing): the cookie session still holds the seat.
    }
  }

  function showOtherDeviceLink() {
    var values = new URLSearchParams({ seat: seat.token, nickname: seat.nickname || "" });
    part("other-device-link").value = window.location.origin + window.location.pathname + "#" + values;
    part("other-device").hidden = false;
  }

  // Reading the state --------------------------------------------------------------

  function authorization() {
    return { Authorization: "Bearer " + seat.token, Accept: "application/json" };
  }

  function refresh() {
    if (stopped) {
      return;
    }
    if (fetching) {
      fetchAgain = true;
      return;
    }
    fetching = true;
    var headers = authorization();
    if (etag) {
      headers["If-None-Match"] = etag;
    }
    var sentAt = Date.now();
    fetch(root.dataset.stateUrl, { headers: headers, cache: "no-store", credentials: "omit" })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) {
          leave(response.status === 403 ? "removed" : "lost_seat");
          return null;
        }
        if (response.status !== 304 && !response.ok) {
          throw new Error("state " + response.status);
        }
        connected(true);
        if (response.status === 304) {
          return null;
        }
        etag = response.headers.get("ETag");
        return response.json().then(function (state) {
          clockOffset = Date.parse(state.server_now) - (sentAt + Date.now()) / 2;
          show(state);
        });
      })
      .catch(function () {
        connected(false);
        window.setTimeout(refresh, POLL_MS);
      })
      .then(function () {
        fetching = false;
        if (fetchAgain) {
          fetchAgain = false;
          refresh();
        }
      });
  }

  function listen() {
    if (!window.EventSource) {
      startPolling();
      return;
    }
    stream = new EventSource(root.dataset.eventsUrl + "?version=" + (current ? current.version : 0));
    stream.addEventListener("state", function (event) {
      streamFailures = 0;
      connected(true);
      var shared = JSON.parse(event.data);
      if (!current || shared.version !== current.version) {
        refresh();
      }
      if (shared.phase === "ended") {
        stream.close();
      }
    });
    stream.addEventListener("open", function () {
      streamFailures = 0;
      connected(true);
    });
    stream.addEventListener("error", function () {
      streamFailures += 1;
      connected(false);
      if (streamFailures >= STREAM_FAILURES_BEFORE_POLLING) {
        stream.close();
        startPolling();
      }
    });
  }

  function startPolling() {
    if (pollTimer === null) {
      pollTimer = window.setInterval(refresh, POLL_MS);
    }
  }

  function connected(online) {
    part("connection").textContent = online ? "" : text("offline");
  }

  // The seat no longer opens the session: removed, or a token the server does not know.
  function leave(reason) {
    stopped = true;
    try {
      window.localStorage.removeItem(storeKey);
    } catch (error) {
      // Nothing stored.
    }
    if (stream) {
      stream.close();
    }
    if (pollTimer !== null) {
      window.clearInterval(pollTimer);
    }
    part("other-device").hidden = true;
    screens.lost(reason, root.dataset.joinUrl);
  }

  // Showing the state ---------------------------------------------------------------

  function show(state) {
    var before = current;
    current = state;
    seat.nickname = state.participant.nickname;
    storeSeat(seat);
    part("me").textContent = text("playing_as", { nickname: seat.nickname });
    part("standing").textContent = text("standing", { score: state.score, rank: state.rank });
    // A redraw would lose what the player is typing: only for a new version or receipt.
    if (!before || before.version !== state.version || before.answered !== state.answered) {
      draw(state);
    }
    if (state.phase === "ended" && stream) {
      stream.close();
    }
  }

  function draw(state) {
    form = screens.draw(state, state.question ? drafts[state.question.id] : null);
    if (form) {
      var question = state.question;
      form.addEventListener("input", function () {
        drafts[question.id] = screens.readDraft(form, question);
      });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        submit(question);
      });
      if (state.answered) {
        note(question.id, text("received"), "ok");
      } else if (notes[question.id]) {
        note(question.id, notes[question.id].text, notes[question.id].kind, notes[question.id].reopen);
      }
    }
    tick();
  }

  // Sending an answer ---------------------------------------------------------------

  function submit(question) {
    var read = screens.readAnswer(form, question);
    if (read.missing) {
      screens.showNote(form, { text: read.missing, kind: "bad" });
      return;
    }
    note(question.id, text("sending"), "");
    send(question.id, read.given, 1);
  }

  function send(questionId, given, attempt) {
    var headers = authorization();
    headers["Content-Type"] = "application/json";
    fetch(root.dataset.answersUrl, {
      method: "POST",
      headers: headers,
      body: JSON.stringify({ question_id: questionId, answer: given }),
      cache: "no-store",
      credentials: "omit",
    })
      .then(function (response) {
        if (response.ok) {
          note(questionId, text("received"), "ok");
          refresh();
          return null;
        }
        if (response.status >= 500 || response.status === 429) {
          throw new Error("answer " + response.status);
        }
        return response.json().catch(function () {
          return {};
        }).then(function (body) {
          refused(questionId, response.status, (body && body.error) || {});
        });
      })
      .catch(function () {
        if (attempt >= SEND_TRIES) {
          note(questionId, text("offline"), "bad", true);
          return;
        }
        note(questionId, text("retrying"), "bad");
        window.setTimeout(function () {
          send(questionId, given, attempt + 1);
        }, Math.min(400 * Math.pow(2, attempt - 1), 4000));
      });
  }

  function refused(questionId, status, error) {
    if (status === 401 || status === 403) {
      leave(status === 403 ? "removed" : "lost_seat");
    } else if (status === 409 && REFUSALS[error.reason]) {
      note(questionId, text(REFUSALS[error.reason]), "bad", error.reason === "paused");
      refresh();
    } else {
      // 400: the server could not read it (a number in words it does not know, say).
      note(questionId, error.message || text("type_answer"), "bad", true);
    }
  }

  // What became of an answer; ``reopen`` lets the player change it and send it again.
  function note(questionId, message, kind, reopen) {
    notes[questionId] = { text: message, kind: kind, reopen: Boolean(reopen) };
    if (form && current && current.question && current.question.id === questionId) {
      screens.showNote(form, notes[questionId]);
      screens.setBusy(form, !reopen);
    }
  }

  // The countdown -------------------------------------------------------------------

  function tick() {
    var shown = root.querySelector(".play-countdown");
    if (!shown || !current || current.phase !== "question") {
      return;
    }
    var left = current.paused ? current.remaining_ms : Date.parse(current.deadline) - (Date.now() + clockOffset);
    shown.textContent = left > 0 ? text("seconds_left", { seconds: Math.ceil(left / 1000) }) : text("time_up");
    var sent = notes[current.question.id];
    if (form && left + graceMs < 0 && !(sent && sent.kind === "ok")) {
      screens.setBusy(form, true); // the server would say "too late"
    }
  }

  showOtherDeviceLink();
  window.setInterval(tick, 250);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      refresh();
    }
  });
  window.addEventListener("online", refresh);
  refresh();
  listen();
})();
