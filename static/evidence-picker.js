// The evidence picker of the question editor and of the stale list: select words of a
// paragraph, get their positions.
//
// Each [data-evidence-picker] block (templates/author/_evidence_picker.html) has a paragraph
// select, a .picker-text box, start and end fields and a .picker-selected preview; its
// data-paragraphs names the page's JSON list of the paragraphs it may cite. A page may hold
// several (one per stale question). Selecting text in a box fills its start and end fields
// and marks the span; typing positions or choosing another paragraph updates the text
// shown. The page works without this script: the fields are plain number inputs.
//
// Positions are Python string indices, which count code points; JavaScript strings
// count UTF-16 units, so every length and slice goes through Array.from.
// The text is only ever set with text nodes: a paragraph can hold any characters.
(() => {
  "use strict";

  for (const root of document.querySelectorAll("[data-evidence-picker]")) setUp(root);

  // One picker: its own fields, the page's paragraphs.
  function setUp(root) {
    const data = document.getElementById(root.dataset.paragraphs || "picker-paragraphs");
    const select = root.querySelector("select[data-picker-paragraph]");
    const startField = root.querySelector("input[data-picker-start]");
    const endField = root.querySelector("input[data-picker-end]");
    const box = root.querySelector(".picker-text");
    const preview = root.querySelector(".picker-selected");
    if (!data || !select || !startField || !endField || !box || !preview) return;

    const paragraphs = new Map(JSON.parse(data.textContent).map((p) => [String(p.id), p]));
    const codePoints = (text) => Array.from(text);

    function current() {
      return paragraphs.get(select.value) || { text: "", lang: "" };
    }

    // The span the fields hold, if it is a valid one of a paragraph of `length` code points.
    function span(length) {
      const start = Number.parseInt(startField.value, 10);
      const end = Number.parseInt(endField.value, 10);
      if (!Number.isInteger(start) || !Number.isInteger(end)) return null;
      if (start < 0 || end <= start || end > length) return null;
      return { start, end };
    }

    function render() {
      const paragraph = current();
      const chars = codePoints(paragraph.text);
      const chosen = span(chars.length);
      box.lang = paragraph.lang;
      box.replaceChildren();
      if (chosen) {
        const mark = document.createElement("mark");
        mark.textContent = chars.slice(chosen.start, chosen.end).join("");
        box.append(chars.slice(0, chosen.start).join(""), mark, chars.slice(chosen.end).join(""));
      } else {
        box.append(paragraph.text);
      }
      showChoice(chosen ? chars.slice(chosen.start, chosen.end).join("") : null, paragraph.lang);
    }

    function showChoice(evidence, lang) {
      preview.replaceChildren();
      if (evidence === null) {
        preview.textContent = root.dataset.empty;
        return;
      }
      const label = document.createElement("span");
      label.className = "picker-selected-label";
      label.textContent = root.dataset.chosen.replace("{count}", codePoints(evidence).length);
      const quote = document.createElement("q");
      quote.lang = lang;
      quote.textContent = evidence;
      preview.append(label, " ", quote);
    }

    // Code points of the box's text before (node, offset), a boundary point inside the box.
    function offsetOf(node, offset) {
      const before = document.createRange();
      before.setStart(box, 0);
      before.setEnd(node, offset);
      return codePoints(before.toString()).length;
    }

    // The current selection, cut to the box, as a span of the paragraph; null if none.
    function selectedSpan() {
      const selection = window.getSelection();
      if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
      const range = selection.getRangeAt(0).cloneRange();
      if (!range.intersectsNode(box)) return null;
      if (!box.contains(range.startContainer)) range.setStart(box, 0);
      if (!box.contains(range.endContainer)) range.setEnd(box, box.childNodes.length);
      const chars = codePoints(current().text);
      let start = offsetOf(range.startContainer, range.startOffset);
      let end = offsetOf(range.endContainer, range.endOffset);
      // A double click or a drag often takes the spaces around the words along.
      while (start < end && /\s/u.test(chars[start])) start += 1;
      while (end > start && /\s/u.test(chars[end - 1])) end -= 1;
      return start < end ? { start, end } : null;
    }

    function pick() {
      const chosen = selectedSpan();
      if (!chosen) return;
      startField.value = String(chosen.start);
      endField.value = String(chosen.end);
      render();
      window.getSelection().removeAllRanges();
      for (const field of [startField, endField]) {
        field.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }

    box.addEventListener("mouseup", pick);
    box.addEventListener("touchend", pick);
    box.addEventListener("keyup", (event) => {
      if (event.shiftKey || event.key === "Shift") pick();
    });
    startField.addEventListener("input", render);
    endField.addEventListener("input", render);
    select.addEventListener("change", () => {
      // Positions belong to the paragraph they were picked in.
      startField.value = "";
      endField.value = "";
      render();
    });
    render();
  }
})();
