"""Independent detectors of the mechanical faults of generated questions.

Each detector reads the JSON of ``quiz generate --json`` (docs/question-schema.md) and
nothing else: no import from ``quiz``, no reuse of the generator's rules, so that it can
judge them. A per-question check returns a reason (or ``None``); ``find_faults`` runs
them all over a result and returns, per kind, the faulty questions with their reason.

Kinds (``KINDS``):

* acronym give-away: an acronym in parentheses next to the blank ("Le _____ (COR)"), a
  blank in parentheses asking an acronym, or the prompt showing the answer's own
  acronym or expansion (answer "Conseil OTAN-Russie", prompt mentions "COR"; answer
  "KFOR", prompt says "Force pour le Kosovo"). The pairs are learned from the sheets'
  paragraphs ("Name (ACR)" and "ACR (Name)"). Questions that ask about a sigle on
  purpose ("Quel est le sigle du Conseil OTAN-Russie ?", "Que désigne le sigle « COR »
  ?") are exempt from the pair check.
* cut text: a quoted sentence, a choice or an order item that starts or ends with an
  ellipsis, or a quoted sentence that is visibly cut: it does not end with . ! ? before
  its closing marks, or it starts with a lowercase letter where its paragraph does not
  (the start was cut off, or a swapped-in value lost its capital).
* dateline: a year glued to a word ("2015Le"), a quoted sentence or item opening on a
  bare date followed by a capitalised word ("29 Sep. 2015 Le secrétaire"), an English
  month abbreviation in French text ("Sep. 2015", "19 May.").
* repeated blank: more than one blank in a prompt.
* answer in stem: the answer, or an accepted form, visible in the prompt.
* accepted repeats answer: an accepted form equal to the answer once case and
  accents are folded (the checker folds them anyway).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Json = dict[str, Any]

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
SHEET_SUFFIXES = {".md", ".markdown", ".txt", ".text", ".html", ".htm", ".pdf"}

BLANK = re.compile(r"_{2,}")
ELLIPSIS = ("…", "...")

# --------------------------------------------------------------------------- runs


def sheet_runs(repo: Path = REPO) -> dict[str, list[Path]]:
    """Every sheet of the repository as generation runs: ``questions/`` as one run, each
    file of tests/data/{sheets,uploads,flow} alone, and each sheet of tests/data/review
    (the sheets of the blind reviews; a folder with a ``sheet.toml`` is one sheet).

    tests/data/heldout holds sheets kept for a blind review still to come: nothing
    looks at their questions before the review, so they are left out here."""
    data = repo / "tests" / "data"
    runs: dict[str, list[Path]] = {"builtin": [repo / "questions"]}
    for folder in ("sheets", "uploads", "flow"):
        for path in sorted((data / folder).iterdir()):
            if path.is_file() and path.suffix in SHEET_SUFFIXES:
                runs[f"{folder}/{path.stem}"] = [path]
    review = data / "review"
    if review.is_dir():
        for path in _sheets_under(review):
            runs[f"review/{path.relative_to(review).with_suffix('')}"] = [path]
    return runs


def _sheets_under(root: Path) -> list[Path]:
    """Sheet files and ``sheet.toml`` folders under ``root``, files inside such a folder
    left to the folder (they are its revisions)."""
    folders = sorted(p.parent for p in root.rglob("sheet.toml"))
    files = [
        p
        for p in sorted(root.rglob("*"))
        if p.is_file()
        and p.suffix in SHEET_SUFFIXES
        and not any(p.is_relative_to(f) for f in folders)
    ]
    return folders + files


# --------------------------------------------------------------------------- text

_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f\u200a]+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def fold(text: str) -> str:
    """Case, accents, apostrophes and spaces folded: what a reader would not tell apart."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _SPACES.sub(" ", text).strip().casefold()


def contains(haystack: str, needle: str) -> bool:
    """Whether ``needle`` occurs in ``haystack`` as whole words, after ``fold``.

    A number is whole only with its digit groups: "30" is not in "30 000"."""
    n, h = fold(needle), fold(haystack)
    if not n:
        return False
    before = r"(?<!\w)" + (r"(?<!\d )" if n[0].isdigit() else "")
    after = r"(?!\w)" + (r"(?! \d{3}(?!\d))" if n[-1].isdigit() else "")
    return re.search(before + re.escape(n) + after, h) is not None


def answer_items(question: Json) -> list[str]:
    """The answer as a list of strings (the events for ``order``)."""
    answer = question["answer"]
    return list(answer) if isinstance(answer, list) else [answer]


# The quoted sentence closes the prompt: 'Complétez : « ... »', 'Fill in the blank: "..."'.
# The instruction may quote examples of its own ('(par exemple « début 1950 ») : « ... »').
_ENGLISH_OPENING = re.compile(r'[:?]\s*["“]')


def quoted_sentence(prompt: str) -> str | None:
    """The sentence a prompt quotes at its end, or ``None`` for a direct question.

    « » nest (« le traité « Ciel ouvert » »): the opening mark is found by matching the
    last one back. English quotes do not nest: the sentence opens after the instruction's
    colon or question mark."""
    text = prompt.rstrip()
    if text.endswith("»"):
        depth = 0
        for i in range(len(text) - 1, -1, -1):
            depth += {"»": 1, "«": -1}.get(text[i], 0)
            if depth == 0:
                return text[i + 1 : -1].strip()
        return None
    if text.endswith(('"', "”")) and (m := _ENGLISH_OPENING.search(text[:-1])):
        return text[m.end() : -1].strip()
    return None


def own_wording(prompt: str) -> str:
    """The prompt without its quoted sentence: the generator's own words."""
    sentence = quoted_sentence(prompt)
    return prompt[: prompt.rfind(sentence)] if sentence else prompt


@dataclass(frozen=True)
class Finding:
    """A faulty question and why."""

    question: Json
    reason: str

    def label(self) -> str:
        """One line for a failure message: id, type, prompt excerpt and reason."""
        q = self.question
        return f"{q['id']} ({q['type']}) {q['prompt'][:90]!r}: {self.reason}"


# ------------------------------------------------------------- acronym give-away

_ACRONYM = r"[A-Z][A-Z0-9&-]*[A-Z0-9]"
_NAME_THEN_ACRONYM = re.compile(r"\(\s*(" + _ACRONYM + r")\s*\)")
_ACRONYM_THEN_NAME = re.compile(r"\b(" + _ACRONYM + r")\s*\(([^()]{3,100})\)")
_CLAUSE_BREAK = re.compile(r"[,;:()«»“”\"—–]|[.!?]\s")
_WORD = re.compile(r"[^\s'’]+")
# Words that never open a name, even capitalised at the start of a sentence.
_FUNCTION_WORDS = set(
    "le la les l un une des du de d au aux en dans par pour sur avec ce cet cette ces son sa "
    "ses leur leurs il elle ils elles on the a an it its in at by for of this these they he "
    "she their et ou and or à".split()
)
_ACRONYM_NEXT_TO_BLANK = re.compile(r"_{2,}\s*\(\s*(" + _ACRONYM + r")\s*\)")
_BLANK_IN_PARENTHESES = re.compile(r"\(\s*_{2,}\s*\)")
# The wording of a question that asks about a sigle on purpose.
_ASKS_ACRONYM = re.compile(
    r"\b(sigle|acronyme|abr[ée]viation|acronym|abbreviation|initialism|stands? for)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AcronymPair:
    """An acronym and its expansion, as the sheet puts them side by side."""

    acronym: str
    name: str


def _is_acronym(text: str) -> bool:
    """Capitals and digits, two capitals at least: "COR", "T2T", not "R" or "Ukraine"."""
    return re.fullmatch(_ACRONYM, text) is not None and sum(c.isupper() for c in text) >= 2


_NAME_WORDS = 10


def _name_before(text: str, acronym: str) -> str | None:
    """The name just before an acronym's parenthesis, in the same clause.

    The nearest run of at least two words that opens, in order of preference, on: a
    capitalised word with the acronym's initial ("Conseil conjoint permanent OTAN-Russie
    (CCP)", "Société du Grand Paris (SGP)"); any capitalised word, for acronyms of another
    language ("Force pour le Kosovo (KFOR)"); a lowercase word with the initial
    ("mécanisme européen de stabilité (MES)"). Else a lone capitalised word, else the last
    two words. Function words never open a name; the name is within the last ten words."""
    clause = _CLAUSE_BREAK.split(text)[-1]
    # A name runs to ten words at most ("Initiative mondiale pour l'éradication de la
    # poliomyélite" is eight): further back, a capital opens the sentence, not the name.
    words = [(m.start(), m.group()) for m in _WORD.finditer(clause)][-_NAME_WORDS:]
    if not words:
        return None
    initial = acronym[0].casefold()
    preferences: list[Callable[[str], bool]] = [
        lambda w: w[0].isupper() and w[0].casefold() == initial,
        lambda w: w[0].isupper(),
        lambda w: w[0].casefold() == initial,
    ]
    for prefers in preferences:
        for start, word in reversed(words[:-1]):
            if word.casefold() not in _FUNCTION_WORDS and prefers(word):
                return clause[start:].strip()
    if words[-1][1][0].isupper() or len(words) < 2:
        return words[-1][1]
    return clause[words[-2][0] :].strip()


def acronym_pairs(paragraphs: Iterable[str]) -> list[AcronymPair]:
    """Acronym/expansion pairs stated by the sheets: "Name (ACR)" and "ACR (Name)"."""
    pairs: set[AcronymPair] = set()
    for text in paragraphs:
        for m in _NAME_THEN_ACRONYM.finditer(text):
            name = _name_before(text[: m.start()], m.group(1))
            if name and _is_acronym(m.group(1)):
                pairs.add(AcronymPair(m.group(1), name))
        for m in _ACRONYM_THEN_NAME.finditer(text):
            name = m.group(2).strip()
            if _is_acronym(m.group(1)) and len(name.split()) >= 2 and name[0].isupper():
                pairs.add(AcronymPair(m.group(1), name))
    return sorted(pairs, key=lambda p: (p.acronym, p.name))


def result_paragraphs(result: Json) -> list[str]:
    """The text of every paragraph of every sheet of a result."""
    return [p["text"] for sheet in result["sheets"] for p in sheet["paragraphs"]]


def _is_named(answer: str, name: str) -> bool:
    """Whether an answer is this expansion, or ends with it ("Convention for the
    Conservation of Antarctic Marine Living Resources" for a learned "Conservation of
    Antarctic Marine Living Resources")."""
    a, n = fold(answer), fold(name)
    return a == n or a.endswith(" " + n)


def acronym_giveaway(question: Json, pairs: list[AcronymPair]) -> str | None:
    """Why the prompt gives away the answer through an acronym, or ``None``."""
    prompt = question["prompt"]
    if m := _ACRONYM_NEXT_TO_BLANK.search(prompt):
        return f"acronym ({m.group(1)}) next to the blank"
    answers = [a for a in [*answer_items(question), *question["accepted"]] if a]
    if _BLANK_IN_PARENTHESES.search(prompt) and any(_is_acronym(a) for a in answers):
        return "blank in parentheses after the name it abbreviates"
    # A true_false or order answer is no name; a question about a sigle gives one of the
    # pair on purpose.
    if question["type"] in {"true_false", "order"} or _ASKS_ACRONYM.search(own_wording(prompt)):
        return None
    for pair in pairs:
        if any(fold(a) == fold(pair.acronym) for a in answers) and contains(prompt, pair.name):
            return f"answer {pair.acronym!r} but the prompt names {pair.name!r}"
        if any(_is_named(a, pair.name) for a in answers) and contains(prompt, pair.acronym):
            return (
                f"answer {question['answer']!r} but the prompt shows its acronym {pair.acronym!r}"
            )
    return None


# --------------------------------------------------------------------- cut text

# Terminal punctuation, then any closing marks.
_TERMINAL = re.compile(r"[.!?][\s)\]»”\"'’]*$")


def _ellipsis_end(text: str) -> str | None:
    stripped = text.strip()
    if stripped.startswith(ELLIPSIS):
        return "starts with an ellipsis"
    if stripped.endswith(ELLIPSIS):
        return "ends with an ellipsis"
    return None


def _opens_like_its_paragraph(sentence: str, question: Json) -> bool:
    """Whether the sheet's paragraph opens with the same words (a lowercase list item is
    the sheet's style, not a cut)."""
    opening = BLANK.split(sentence)[0][:20]
    paragraph = question.get("source", {}).get("paragraph", "")
    return bool(opening) and paragraph.lstrip().startswith(opening)


def cut_text(question: Json) -> str | None:
    """Why a quoted sentence, a choice or an order item reads as cut, or ``None``."""
    sentence = quoted_sentence(question["prompt"])
    if sentence is not None:
        if why := _ellipsis_end(sentence):
            return f"quoted sentence {why}: {sentence[:40]!r}"
        if sentence[:1].islower() and not _opens_like_its_paragraph(sentence, question):
            return f"quoted sentence starts in lowercase: {sentence[:40]!r}"
        if not _TERMINAL.search(sentence):
            return f"quoted sentence ends without . ! ?: {sentence[-40:]!r}"
    items = question["choices"] + (answer_items(question) if question["type"] == "order" else [])
    for text in items:
        if why := _ellipsis_end(text):
            return f"choice or item {why}: {text[:60]!r}"
    return None


# --------------------------------------------------------------------- dateline

_MONTHS = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre "
    "january february march april may june july august september october november december"
)
_EN_ABBREVIATIONS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_GLUED_DATE = re.compile(r"(?<!\d)\d{4}(?=[A-ZÀ-Þ][a-zà-ÿ])")
_MONTH_WORD = "(?i:" + "|".join(_MONTHS.split()) + "|" + _EN_ABBREVIATIONS + r")\.?"
# A date (day month year, month year, or a year) and straight on a capitalised word:
# the dateline of a news item pasted before its first sentence.
_BARE_DATE_OPENING = re.compile(
    r"^\s*(?:\d{1,2}(?:er)?\s+)?(?:" + _MONTH_WORD + r"\s+)?\d{4}\s+[A-ZÀ-Þ]"
)
# An English abbreviation, written as in a dateline: after a day or before a year.
_EN_MONTH = re.compile(
    r"\b\d{1,2}\s+(?:" + _EN_ABBREVIATIONS + r")\.|\b(?:" + _EN_ABBREVIATIONS + r")\.\s*\d{4}"
)


def dateline(question: Json) -> str | None:
    """Why the question carries a news dateline, or ``None``."""
    texts = [question["prompt"], *question["choices"], *answer_items(question)]
    for text in texts:
        if m := _GLUED_DATE.search(text):
            return f"year glued to a word: {text[max(0, m.start() - 10) : m.end() + 12]!r}"
        if question["lang"] == "fr" and (m := _EN_MONTH.search(text)):
            return f"English month abbreviation in French: {m.group()!r}"
    openings = [quoted_sentence(question["prompt"]) or ""]
    openings += answer_items(question) if question["type"] == "order" else []
    for text in openings:
        if _BARE_DATE_OPENING.match(text):
            return f"opens on a bare date: {text[:40]!r}"
    return None


# ------------------------------------------------------------ blanks and answers


def repeated_blank(question: Json) -> str | None:
    """Why the prompt has more than one blank, or ``None``."""
    count = len(BLANK.findall(question["prompt"]))
    return f"{count} blanks in the prompt" if count > 1 else None


# Types whose answer must not be readable in the prompt (true_false answers "Vrai",
# order lists the events on purpose).
STEM_TYPES = {"mcq", "cloze", "short", "numeric"}


def answer_in_stem(question: Json) -> str | None:
    """Why the answer (or an accepted form) can be read in the prompt, or ``None``."""
    if question["type"] not in STEM_TYPES:
        return None
    for form in [*answer_items(question), *question["accepted"]]:
        if contains(question["prompt"], form):
            return f"{form!r} visible in the prompt"
    return None


def accepted_repeats_answer(question: Json) -> str | None:
    """Why an accepted form only repeats the answer, or ``None``."""
    answers = {fold(item) for item in answer_items(question)}
    repeats = [a for a in question["accepted"] if fold(a) in answers]
    return f"accepted {repeats[0]!r} repeats the answer" if repeats else None


# ------------------------------------------------------------------- together

KINDS = (
    "acronym give-away",
    "cut text",
    "dateline",
    "repeated blank",
    "answer in stem",
    "accepted repeats answer",
)

Check = Callable[[Json], str | None]


def checks_for(result: Json) -> dict[str, Check]:
    """The per-question check of each kind, the acronym one with the result's pairs."""
    pairs = acronym_pairs(result_paragraphs(result))
    return {
        "acronym give-away": lambda q: acronym_giveaway(q, pairs),
        "cut text": cut_text,
        "dateline": dateline,
        "repeated blank": repeated_blank,
        "answer in stem": answer_in_stem,
        "accepted repeats answer": accepted_repeats_answer,
    }


def find_faults(result: Json) -> dict[str, list[Finding]]:
    """Every kind's faulty questions in a ``generate --json`` result, in question order."""
    found: dict[str, list[Finding]] = {}
    for kind, check in checks_for(result).items():
        found[kind] = [
            Finding(q, reason) for q in result["questions"] if (reason := check(q)) is not None
        ]
    return found
