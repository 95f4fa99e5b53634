// The projector page of a live session (templates/classroom/live_projector.html).
//
// The server draws the page for the session's current version; this script keeps it
// alive: the countdown runs on the server's deadline (its clock's offset from this one
// is taken from the page's server_now), the lobby's list of players and the count of
// answers follow the projector's JSON state, read every second, and a new version
// (from the session's event stream, or seen in that state) loads the page again. When
// the time is up (after the server's grace), or when every player has answered, the
// question is revealed by the page's own "show the answer" form, sent with the version
// the page showed: a second projector doing the same gets a harmless 409.
// No inline script and no style attribute: the CSP allows scripts from this site only.
(function () {
  "use strict";
  var POLL_MS = 1000;
  var root = document.getElementById("live-projector");
  if (!root) {
    return;
  }
  var data = root.dataset;
  var version = Number(data.version);
  var phase = data.phase;
  var clockOffset = Date.parse(data.serverNow) - Date.now();
  var deadline = data.deadline ? Date.parse(data.deadline) : null;
  var paused = data.paused === "true";
  var graceMs = Number(data.graceMs) || 0;
  var revealing = false;
  var leaving = false;

  function part(name) {
    return root.querySelectorAll('[data-live="' + name + '"]');
  }

  function setText(name, value) {
    part(name).forEach(function (element) {
      element.textContent = value;
    });
  }

  function reload() {
    if (!leaving) {
      leaving = true;
      window.location.assign(data.pageUrl);
    }
  }

  // The countdown ---------------------------------------------------------------------

  function remainingMs() {
    if (paused) {
      return Number(data.remainingMs) || 0;
    }
    return deadline === null ? null : deadline - (Date.now() + clockOffset);
  }

  function tick() {
    if (phase !== "question") {
      return;
    }
    var left = remainingMs();
    if (left === null) {
      return;
    }
    part("countdown").forEach(function (clock) {
      clock.textContent = left > 0 ? String(Math.ceil(left / 1000)) : data.timeUp;
      clock.classList.toggle("countdown-over", left <= 0);
    });
    if (!paused && left + graceMs < 0) {
      reveal();
    }
  }

  function reveal() {
    var form = root.querySelector("form[data-auto-reveal]");
    if (revealing || !form) {
      return;
    }
    revealing = true;
    // getAttribute: the form's "action" field hides the form's action property.
    fetch(form.getAttribute("action"), { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        // Done (or done by another projector: 409): the page of the new state. Another
        // refusal stays refused: the instructor's button is still there.
        if (response.ok || response.status === 409) {
          reload();
        }
      }, function () {
        revealing = false; // the network: try again at the next tick
      });
  }

  // The state ---------------------------------------------------------------------------

  function poll() {
    fetch(data.stateUrl, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("state " + response.status);
        }
        return response.json();
      })
      .then(function (state) {
        if (state.version !== version) {
          reload();
          return;
        }
        clockOffset = Date.parse(state.server_now) - Date.now();
        setText("present", String(state.participants.length));
        setText("answered", String(state.answered_count));
        if (phase === "lobby") {
          showPlayers(state.participants);
        }
        var everyone = state.participants.length > 0 && state.answered_count >= state.participants.length;
        if (phase === "question" && !paused && everyone) {
          reveal();
        }
      })
      .catch(function () {
        // The server is restarting, say: the next poll tries again.
      })
      .then(function () {
        if (phase !== "ended") {
          window.setTimeout(poll, POLL_MS);
        }
      });
  }

  // The lobby's players, each with the button that removes them.
  function showPlayers(players) {
    var list = part("players")[0];
    var template = document.getElementById("player-template");
    if (!list || !template) {
      return;
    }
    var shown = Array.prototype.map.call(list.children, function (item) {
      return item.dataset.id;
    }).join(",");
    var wanted = players.map(function (player) {
      return String(player.id);
    }).join(",");
    if (shown === wanted) {
      return;
    }
    list.replaceChildren();
    players.forEach(function (player) {
      var item = template.content.firstElementChild.cloneNode(true);
      item.dataset.id = String(player.id);
      item.querySelectorAll(".player-name").forEach(function (name) {
        name.textContent = name.classList.contains("visually-hidden") ? " " + player.nickname : player.nickname;
      });
      var form = item.querySelector("form");
      form.setAttribute("action", form.getAttribute("action").replace("/participants/0/", "/participants/" + player.id + "/"));
      list.appendChild(item);
    });
    part("nobody").forEach(function (note) {
      note.hidden = players.length > 0;
    });
  }

  function listen() {
    if (!window.EventSource || phase === "ended") {
      return;
    }
    var stream = new EventSource(data.eventsUrl + "?version=" + version);
    stream.addEventListener("state", function (event) {
      if (JSON.parse(event.data).version !== version) {
        stream.close();
        reload();
      }
    });
  }

  tick();
  window.setInterval(tick, 200);
  if (phase !== "ended") {
    window.setTimeout(poll, POLL_MS);
  }
  listen();
})();
