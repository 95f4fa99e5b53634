// What the play page of a live session shows (templates/classroom/live_play.html): the
// lobby, a question's form, the reveal with the source, the ranks. live-play.js decides
// when; this file only builds the elements, with textContent (never markup from the
// server), in the page's language (the texts of its JSON data block).
(function () {
  "use strict";

  window.QuizLiveScreens = function (stage, texts) {
    function text(key, values) {
      var result = texts[key] || key;
      Object.keys(values || {}).forEach(function (name) {
        result = result.split("{" + name + "}").join(String(values[name]));
      });
      return result;
    }

    function element(tag, className, content) {
      var made = document.createElement(tag);
      if (className) {
        made.className = className;
      }
      if (content !== undefined && content !== null) {
        made.textContent = content;
      }
      return made;
    }

    function add(tag, className, content, lang) {
      var made = stage.appendChild(element(tag, className, content));
      if (lang) {
        made.lang = lang;
      }
      return made;
    }

    function givenText(given) {
      return Array.isArray(given) ? given.join(" → ") : String(given);
    }

    function isChoice(question) {
      return question.type === "mcq" || question.type === "true_false";
    }

    // A question ------------------------------------------------------------------------

    // The question's form, filled with ``draft`` (what the player had picked or typed).
    function questionForm(state, draft) {
      var question = state.question;
      var clock = add("p", "play-clock");
      clock.appendChild(element("span", "", text("question_of", { position: state.position, count: state.count })));
      clock.appendChild(element("span", "play-countdown"));
      if (state.paused) {
        add("p", "play-message play-paused", text("paused"));
      }
      var form = element("form", "answer-form");
      form.noValidate = true;
      if (isChoice(question)) {
        form.appendChild(choiceField(question, draft));
      } else if (question.type === "order") {
        form.appendChild(orderField(question, draft || {}));
      } else {
        form.appendChild(element("h2", "prompt", question.prompt)).lang = question.lang;
        form.appendChild(textField(question, draft || ""));
      }
      var button = form.appendChild(element("button", "button button-primary button-large button-block", text("submit")));
      button.type = "submit";
      form.appendChild(element("p", "play-message")).setAttribute("role", "status");
      return stage.appendChild(form);
    }

    function legendOf(fieldset, question) {
      fieldset.appendChild(element("legend", "prompt", question.prompt)).lang = question.lang;
    }

    function choiceField(question, draft) {
      var fieldset = element("fieldset", "answer-choices");
      legendOf(fieldset, question);
      question.choices.forEach(function (choice, index) {
        var row = fieldset.appendChild(element("div", "answer-choice"));
        var input = row.appendChild(element("input"));
        input.type = "radio";
        input.name = "answer";
        input.id = "choice-" + index;
        input.value = choice;
        input.checked = draft === choice;
        var label = row.appendChild(element("label", "", choice));
        label.htmlFor = input.id;
        label.lang = question.lang;
      });
      return fieldset;
    }

    function textField(question, draft) {
      var field = element("div", "field");
      field.appendChild(element("label", "field-label", text("answer_label"))).htmlFor = "answer";
      if (question.type === "numeric") {
        field.appendChild(element("p", "hint", text("numeric_hint")));
      }
      var input = field.appendChild(element("input"));
      input.type = "text";
      input.id = input.name = "answer";
      input.maxLength = 500;
      input.autocomplete = "off";
      input.setAttribute("autocapitalize", "off");
      input.spellcheck = false;
      input.lang = question.lang;
      input.value = draft;
      return field;
    }

    function orderField(question, draft) {
      var fieldset = element("fieldset", "answer-order");
      legendOf(fieldset, question);
      fieldset.appendChild(element("p", "hint", text("order_hint")));
      var list = fieldset.appendChild(element("ol", "order-items"));
      question.choices.forEach(function (item, index) {
        var row = list.appendChild(element("li", "order-item"));
        var label = row.appendChild(element("label", "", item));
        label.htmlFor = "position-" + index;
        label.lang = question.lang;
        var select = row.appendChild(element("select"));
        select.id = "position-" + index;
        select.dataset.item = item;
        select.appendChild(new Option(text("place"), ""));
        for (var place = 1; place <= question.choices.length; place += 1) {
          select.appendChild(new Option(String(place), String(place)));
        }
        select.value = draft[item] || "";
      });
      return fieldset;
    }

    // What the form holds now: a choice, a text, or the place of each item.
    function readDraft(form, question) {
      if (question.type === "order") {
        var places = {};
        form.querySelectorAll("select").forEach(function (select) {
          places[select.dataset.item] = select.value;
        });
        return places;
      }
      var chosen = form.querySelector('input[name="answer"]:checked') || form.querySelector('input[type="text"]');
      return chosen ? chosen.value : "";
    }

    // The answer given ({given}), or what is missing ({missing}).
    function readAnswer(form, question) {
      var draft = readDraft(form, question);
      if (question.type === "order") {
        var ordered = [];
        var filled = question.choices.every(function (item) {
          var place = Number(draft[item]);
          if (!place || ordered[place - 1] !== undefined) {
            return false;
          }
          ordered[place - 1] = item;
          return true;
        });
        return filled ? { given: ordered } : { missing: text("place_all") };
      }
      if (!draft.trim()) {
        return { missing: text(isChoice(question) ? "choose" : "type_answer") };
      }
      return { given: draft };
    }

    function showNote(form, shown) {
      var message = form.querySelector(".play-message");
      message.textContent = shown.text;
      message.className = "play-message" + (shown.kind ? " play-message-" + shown.kind : "");
    }

    function setBusy(form, busy) {
      form.querySelectorAll("input, select, button").forEach(function (control) {
        control.disabled = busy;
      });
    }

    // After the reveal --------------------------------------------------------------

    function reveal(state) {
      var mine = state.your_answer;
      var question = state.question;
      if (!mine) {
        add("p", "verdict verdict-none", text("no_answer"));
      } else {
        var verdict = mine.correct ? "right" : "wrong";
        add("p", "verdict verdict-" + verdict, (mine.correct ? "✓ " : "✗ ") + text(verdict));
        add("p", "play-points", text("points", { points: mine.points }));
      }
      add("p", "prompt prompt-small", question.prompt, question.lang);
      var facts = add("dl", "answer-facts");
      if (mine) {
        fact(facts, text("answer_label"), givenText(mine.given), question.lang);
      }
      fact(facts, text("expected"), givenText(state.reveal.expected), question.lang).classList.add("expected");
      if (state.reveal.explanation) {
        add("p", "explanation", state.reveal.explanation, question.lang);
      }
      stage.appendChild(sourceFigure(state.reveal.source, question.lang));
    }

    function fact(list, term, value, lang) {
      var row = list.appendChild(element("div"));
      row.appendChild(element("dt", "", term));
      var detail = row.appendChild(element("dd", "", value));
      detail.lang = lang;
      return detail;
    }

    // The paragraph with its evidence marked. Offsets count code points (Python's
    // string indices), not UTF-16 units: Array.from splits by code point.
    function sourceFigure(source, lang) {
      var figure = element("figure", "source live-source");
      figure.appendChild(element("p", "source-label", text("source")));
      var quote = figure.appendChild(element("blockquote"));
      quote.lang = lang;
      var paragraph = quote.appendChild(element("p"));
      var characters = Array.from(source.paragraph);
      var start = source.evidence.start;
      var end = source.evidence.end;
      if (start >= 0 && start < end && end <= characters.length) {
        paragraph.appendChild(document.createTextNode(characters.slice(0, start).join("")));
        paragraph.appendChild(element("mark", "", characters.slice(start, end).join("")));
        paragraph.appendChild(document.createTextNode(characters.slice(end).join("")));
      } else {
        paragraph.textContent = source.paragraph;
      }
      var caption = figure.appendChild(element("figcaption"));
      caption.appendChild(element("a", "", text("read_sheet", { title: source.sheet_title }))).href = source.url;
      return figure;
    }

    function ranks(rows, nickname) {
      add("h2", "", text("leaderboard"));
      var list = add("ol", "play-ranks");
      rows.forEach(function (row) {
        var item = list.appendChild(element("li", row.nickname === nickname ? "me" : ""));
        item.appendChild(element("span", "rank", String(row.rank)));
        item.appendChild(element("span", "nickname", row.nickname));
        item.appendChild(element("span", "score", String(row.score)));
      });
    }

    // The whole stage for a state; the question's form when one is asked.
    function draw(state, draft) {
      stage.replaceChildren();
      var standing = { score: state.score, rank: state.rank };
      if (state.phase === "lobby") {
        add("h2", "", text("lobby_title"));
        add("p", "", text("lobby_text"));
      } else if (state.phase === "question") {
        return questionForm(state, draft);
      } else if (state.phase === "reveal") {
        reveal(state);
      } else if (state.phase === "leaderboard") {
        add("p", "play-points", text("standing", standing));
        ranks(state.leaderboard || [], state.participant.nickname);
        add("p", "muted", text("wait_next"));
      } else {
        add("h2", "", text("ended_title"));
        add("p", "play-points", text("ended_text", standing));
        ranks(state.leaderboard || [], state.participant.nickname);
      }
      return null;
    }

    // The player lost their seat: why, and (unless removed) the way back in.
    function lost(reason, joinUrl) {
      stage.replaceChildren();
      add("p", "play-message play-message-bad", text(reason));
      if (reason === "lost_seat") {
        add("a", "button button-primary", text("join_again")).href = joinUrl;
      }
    }

    return {
      text: text,
      draw: draw,
      lost: lost,
      readDraft: readDraft,
      readAnswer: readAnswer,
      showNote: showNote,
      setBusy: setBusy,
    };
  };
})();
