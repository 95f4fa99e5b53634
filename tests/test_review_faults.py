"""The faults the blind reviews found in batch A (tests/data/review/a: the Eiffel Tower,
smallpox, the Channel Tunnel, the Montreal Protocol; reviews A6 to A8) and batch B
(tests/data/review/b: the euro, the Paris metro, the Human Genome Project, the Tour de
France; review B1) and batch C (tests/data/review/c: the canal du Midi, the Great Barrier
Reef, Apollo 11, the Nobel prizes; review C1), one row per fault class: each row looks at the questions of the
sheet its example came from and fails if the fault is back.

The checks are the test's own plain string rules, never the generator's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fault_counts import quoted_sentence

pytestmark = pytest.mark.no_database  # `make test-postgres` skips it

REVIEW = Path(__file__).resolve().parent / "data" / "review"
Json = dict[str, Any]
BLANK_RE = re.compile(r"_{3,}")


@pytest.fixture(scope="session")  # shared with test_review_faults_d: one generation
def generated() -> dict[str, list[Json]]:
    """The reviewed batches' questions by sheet slug, generated once in one run."""
    from quiz.generate import discover, generate

    batches = sorted(p for p in REVIEW.iterdir() if p.is_dir())
    questions = generate(discover(batches)).to_json()["questions"]
    by_sheet: dict[str, list[Json]] = {}
    for question in questions:
        by_sheet.setdefault(question["source"]["sheet"], []).append(question)
    return by_sheet


def sheet_text(slug: str) -> str:
    """The raw text of one reviewed sheet."""
    return next(p for p in REVIEW.glob("*/*") if p.stem == slug).read_text(encoding="utf-8")


def label(q: Json) -> str:
    return f"{q['type']} {q['prompt'][:120]!r} {q['choices']}"


def city_after_its_landmark(qs: list[Json], _: str) -> list[str]:
    """"à la gare de Saint-Pancras, à _____": the station says the city; "l'Assemblée
    (AMS), réunie à _____": where it met is a detail."""
    after_landmark = re.compile(r"(?:gare de [A-ZÀ-Ý][\w'’-]*\s*,\s*|,\s*réunie?\s+)à\s+_{3,}")
    return [label(q) for q in qs if after_landmark.search(q["prompt"])]


def paragraph_to_judge(qs: list[Json], _: str) -> list[str]:
    """A true-or-false statement of two sentences or more: a paragraph copied out, or a
    minor date to spot in the sentence after a long true one (review A7)."""
    return [
        label(q)
        for q in qs
        if q["type"] == "true_false"
        and re.search(r"[a-zà-ÿ0-9)][.!?](?=\s+[A-ZÀ-Ý])", quoted_sentence(q["prompt"]) or "")
    ]


def right_name_refused(qs: list[Json], _: str) -> list[str]:
    """"Donald Henderson" for "Donald A. Henderson", "Dumas fils" for "Alexandre Dumas
    fils": a right answer the key refuses."""
    faults = []
    for q in (q for q in qs if q["type"] == "cloze" and isinstance(q["answer"], str)):
        answer, accepted = q["answer"], {a.lower() for a in q["accepted"]}
        bare = re.sub(r"\s+[A-Z]\.(?=\s)", "", answer)
        if bare != answer and bare.lower() not in accepted:
            faults.append(f"{label(q)}: {bare!r} refused")
        if answer.endswith(" fils") and " ".join(answer.split()[-2:]).lower() not in accepted:
            faults.append(f"{label(q)}: surname refused")
    return faults


def given_by_the_title(qs: list[Json], _: str) -> list[str]:
    """"l'entreprise _____ et Cie" answered "Eiffel" on "La tour Eiffel"."""
    return [label(q) for q in qs if BLANK_RE.search(q["prompt"]) and q["answer"] == "Eiffel"]


def who_said_it(qs: list[Json], _: str) -> list[str]:
    """The name of whoever commented on a report: trivia, not the fact."""
    return [label(q) for q in qs if re.search(r"_{3,}[^.]*\bsaid:", q["prompt"])]


def acronym_without_context(qs: list[Json], text: str) -> list[str]:
    """"Que désigne le sigle « SETE » ?" on an acronym the sheet writes once: alone, it
    could stand for anything (CDC: Caisse des dépôts as well)."""
    bare = re.compile(r"(?:le sigle « |the acronym \")([A-Z]+)(?: »|\") (?:\?|stand for\?)$")
    faults = []
    for q in qs:
        found = bare.search(q["prompt"])
        if found and len(re.findall(rf"\b{found.group(1)}\b", text)) < 2:
            faults.append(label(q))
    return faults


def elided_before_acronym(qs: list[Json], _: str) -> list[str]:
    """"Le ESOC": an article not elided before an acronym read from a vowel."""
    return [label(q) for q in qs if re.search(r"\b(?:[Ll]e|[Ll]a|de) [AEIOU][A-Z]{2,}\b", q["prompt"])]


def leaning_on_the_sentence_before(qs: list[Json], _: str) -> list[str]:
    """A quote opening on words that point at a sentence it does not show."""
    opening = re.compile(r"^(?:Parmi les signataires|On estime qu’elle|Developing countries, which)")
    return [label(q) for q in qs if opening.match(quoted_sentence(q["prompt"]) or "")]


def vague_or_broken_event(qs: list[Json], _: str) -> list[str]:
    """An event to order that names nothing past its first word (any year would do), or
    a participle left bare once its date is out ("(CIPRA), fondée, a plaidé")."""
    faults = []
    for q in (q for q in qs if q["type"] == "order"):
        for event in q["answer"]:
            if not re.search(r"(?<=[\s'’(-])[A-ZÀ-Ý]", event):
                faults.append(f"{event!r} names nothing")
            if re.search(r",\s+\w+(?:ée?s?|ed)\s*[,.]", event):
                faults.append(f"{event!r} keeps a bare participle")
    return faults


def colleague_of_another_trade(qs: list[Json], text: str) -> list[str]:
    """"deux de ses ingénieurs, Maurice Koechlin et _____": a choice the sheet calls a
    writer (Guy de Maupassant) is no engineer."""
    faults = []
    for q in qs:
        found = re.search(r"ses (\w+?)s?, [\w ]+ et _{3,}", q["prompt"])
        if found is None or q["type"] != "mcq":
            continue
        for choice in q["choices"]:
            before = [text[max(0, m.start() - 40) : m.start()] for m in re.finditer(re.escape(choice), text)]
            if not any(found.group(1) in b for b in before):
                faults.append(f"{label(q)}: {choice} is never called {found.group(1)}")
    return faults


def short_name_refused(qs: list[Json], _: str) -> list[str]:
    """"Opéra" for "Opéra de Paris", "Eurotunnel" for "Groupe Eurotunnel": refused."""
    shorts = {"Opéra de Paris": "opéra", "Groupe Eurotunnel": "eurotunnel"}
    return [
        label(q)
        for q in qs
        if q["answer"] in shorts and shorts[q["answer"]] not in {a.lower() for a in q["accepted"]}
    ]


def substance_among_bodies(qs: list[Json], _: str) -> list[str]:
    """"hydrofluorocarbons" offered where an organisation is asked."""
    return [label(q) for q in qs if q["type"] == "mcq" and any(c.endswith("carbons") for c in q["choices"])
            and not str(q["answer"]).endswith("carbons")]  # fmt: skip


def acronym_alone(qs: list[Json], _: str) -> list[str]:
    """"Que désigne le sigle « COR » ?" with nothing to say which COR."""
    alone = re.compile(r"^(?:Que désigne le sigle « [A-Z]+ » \?|What does the acronym \"[A-Z]+\" stand for\?)$")
    return [label(q) for q in qs if alone.match(q["prompt"])]


def named_by_the_sentence(qs: list[Json], _: str) -> list[str]:
    """"The _____ was signed in Vienna": the Vienna Convention."""
    return [label(q) for q in qs if "_____ was signed in Vienna" in q["prompt"]]


def tenure_asked(qs: list[Json], _: str) -> list[str]:
    """The years of someone's term, in an apposition to their name: a side detail."""
    blanked = re.compile(r"de l’OMS de (?:_{3,} à \d{4}|\d{4} à _{3,})")
    judged = re.compile(r"de l’OMS de \d{4} à \d{4}")
    return [
        label(q)
        for q in qs
        if blanked.search(q["prompt"]) or (q["type"] == "true_false" and judged.search(q["prompt"]))
    ]


def said_twice(qs: list[Json], _: str) -> list[str]:
    """"le projet de la tour Eiffel, auquel … Gustave Eiffel a donné son nom": named twice."""
    return [label(q) for q in qs if "le projet de la tour Eiffel, auquel" in q["prompt"]]


def cut_before_of(qs: list[Json], _: str) -> list[str]:
    """"National Institutes" accepted for "National Institutes of Health"."""
    return [
        f"{label(q)}: {a!r}"
        for q in qs
        for a in q["accepted"]
        if isinstance(q["answer"], str) and q["answer"].startswith(f"{a} of ")
    ]


def him_without_antecedent(qs: list[Json], _: str) -> list[str]:
    """"Francis Collins succeeded him" with no one before him in the quote."""
    return [label(q) for q in qs if "succeeded him" in q["prompt"] and "Watson" not in q["prompt"]]


def comparing_aside(qs: list[Json], _: str) -> list[str]:
    """"apparu lui aussi", "a elle aussi été": like what? The quote does not say."""
    return [label(q) for q in qs if re.search(r"\b(?:lui|elle|eux|elles) aussi\b", q["prompt"])]


def chronology_spliced(qs: list[Json], _: str) -> list[str]:
    """A chronology's entry ("24 juin 2024 : …") spliced before another sentence."""
    entry = re.compile(r"^\d{1,2}(?:er)? \w+ \d{4} : [^.]*\. [A-ZÀ-Ý]")
    return [label(q) for q in qs if entry.match(quoted_sentence(q["prompt"]) or "")]


def person_for_a_station(qs: list[Json], text: str) -> list[str]:
    """People the sheet calls architect or engineer offered as a station ("entre _____")."""
    people = set(re.findall(r"(?:architecte|ingénieur)\s+\[?([A-ZÀ-Ý][\w-]+ [A-ZÀ-Ý][\w-]+)", text))
    return [
        label(q)
        for q in qs
        if q["type"] == "mcq" and "entre _____" in q["prompt"] and people & set(q["choices"])
    ]


def bound_given_by_its_length(qs: list[Json], _: str) -> list[str]:
    """"cinq fois de suite, de 1991 à _____": the count and one bound give the other."""
    return [label(q) for q in qs if "de suite" in q["prompt"] and re.search(r"de (?:\d{4}|_{3,}) à (?:\d{4}|_{3,})", q["prompt"]) and BLANK_RE.search(q["prompt"])]  # fmt: skip


def title_gives_the_acronym(qs: list[Json], text: str) -> list[str]:
    """"What does "HGP" stand for" on a sheet titled "The Human Genome Project"."""
    title = text.strip().splitlines()[0]
    return [label(q) for q in qs if q["type"] == "short" and str(q["answer"]) in title]


def titled_unlike_the_answer(qs: list[Json], text: str) -> list[str]:
    """"President _____" offered people the sheet never calls President."""
    return [
        f"{label(q)}: {c}"
        for q in qs
        if q["type"] == "mcq" and "President _____" in q["prompt"]
        for c in q["choices"]
        if f"President {c}" not in text
    ]


def event_cut_from_its_date(qs: list[Json], _: str) -> list[str]:
    """"lors d'un référendum organisé.": the participle lost the date it took."""
    return [
        f"{event!r}"
        for q in qs
        if q["type"] == "order"
        for event in q["answer"]
        if re.search(r"\b(?:un|une|d’un|d'un|d’une|d'une)\s+\w+\s+\w+(?:é|ée|és|ées)\.$", event)
    ]


def rider_of_another_age(qs: list[Json], text: str) -> list[str]:
    """A person the sheet dates 40 years or more away from the prompt's year offered."""
    faults = []
    for q in (q for q in qs if q["type"] == "mcq" and re.search(r"\b1[89]\d\d\b", q["prompt"])):
        year = int(re.search(r"\b1[89]\d\d\b", q["prompt"]).group())
        for choice in q["choices"]:
            lines = [line for line in text.splitlines() if choice in line]
            years = [int(y) for line in lines for y in re.findall(r"\b(?:19|20)\d\d\b", line)]
            if years and min(years) - year > 40:
                faults.append(f"{label(q)}: {choice}")
    return faults


def quotes_inside_quotes(qs: list[Json], _: str) -> list[str]:
    """"…: "… "The Eagle has landed," Armstrong told…"": the sentence's own quotation
    marks at the prompt's level."""
    prompts = [(q, re.sub(r"(?:acronym|sigle) [«\"][^\"»]*[»\"]", "", q["prompt"])) for q in qs]
    return [label(q) for q, p in prompts if p.count('"') > 2 or p.count("«") > 1]


def regnal_number_accepted(qs: list[Json], _: str) -> list[str]:
    """"XIV" accepted for "Louis XIV"."""
    return [f"{label(q)}: {a!r}" for q in qs for a in q["accepted"] if re.fullmatch(r"[IVXLC]+", a)]


def name_cut_before_its_number(qs: list[Json], _: str) -> list[str]:
    """"le plan _____ 2050" answered "Reef": half of the plan's name."""
    return [label(q) for q in qs if re.search(r"_{3,} \d+\b(?![.,]?\d)(?!\s*[%a-zà-ÿ])", q["prompt"])]


def foreign_acronym_spelled(qs: list[Json], _: str) -> list[str]:
    """"Que désigne le sigle « AIMS »" answered in English on a French sheet."""
    return [label(q) for q in qs if "sigle" in q["prompt"] and re.search(r"\b(?:of|Institute|Authority)\b", str(q["answer"]))]  # fmt: skip


# (fault class, sheet slug of the example, the check)
ROWS: list[tuple[str, str, Callable[[list[Json], str], list[str]]]] = [
    ("worth: a city right after its station", "fr-tunnel-sous-la-manche", city_after_its_landmark),
    ("worth: the city where an assembly met", "fr-eradication-variole", city_after_its_landmark),
    ("worth: a whole paragraph to judge", "en-montreal-protocol", paragraph_to_judge),
    ("ambiguous: SETE asked with no context", "fr-tour-eiffel", acronym_without_context),
    ("ambiguous: CDC asked with no context", "fr-eradication-variole", acronym_without_context),
    ("grammar: « Le ESOC »-like article before an acronym", "fr-eradication-variole", elided_before_acronym),
    ("leaning: « Parmi les signataires »", "fr-tour-eiffel", leaning_on_the_sentence_before),
    ("leaning: « On estime qu’elle »", "fr-eradication-variole", leaning_on_the_sentence_before),
    ("leaning: « did so »", "en-montreal-protocol", leaning_on_the_sentence_before),
    ("order: an event that names nothing", "fr-tunnel-sous-la-manche", vague_or_broken_event),
    ("distractor: a writer among the engineers", "fr-tour-eiffel", colleague_of_another_trade),
    ("worth: a minor date after a long true sentence (treaty)", "fr-tunnel-sous-la-manche", paragraph_to_judge),
    ("worth: a minor date after a long true sentence (strains)", "fr-eradication-variole", paragraph_to_judge),
    ("key: Donald Henderson without his initial", "fr-eradication-variole", right_name_refused),
    ("key: « Dumas fils »", "fr-tour-eiffel", right_name_refused),
    ("worth: the company the title names", "fr-tour-eiffel", given_by_the_title),
    ("worth: who commented on the report", "en-montreal-protocol", who_said_it),
    ("key: « Opéra » for « Opéra de Paris » (review A8)", "fr-tour-eiffel", short_name_refused),
    ("key: « Eurotunnel » (review A8)", "fr-tunnel-sous-la-manche", short_name_refused),
    ("distractor: a substance among organisations (A8)", "en-montreal-protocol", substance_among_bodies),
    ("ambiguous: an acronym asked alone (A8)", "en-montreal-protocol", acronym_alone),
    ("worth: the treaty the sentence's city names (A8)", "en-montreal-protocol", named_by_the_sentence),
    ("worth: the years of someone's term (A8)", "fr-eradication-variole", tenure_asked),
    ("well-formed: the work named twice (A8)", "fr-tour-eiffel", said_twice),
    ("key: an English name cut before « of » (B1)", "en-human-genome-project", cut_before_of),
    ("well-formed: « succeeded him », who? (B1)", "en-human-genome-project", him_without_antecedent),
    ("well-formed: « lui aussi » like what? (B1)", "fr-tour-de-france", comparing_aside),
    ("well-formed: « elle aussi » like what? (B1)", "fr-metro-de-paris", comparing_aside),
    ("well-formed: a chronology entry spliced in (B1)", "fr-metro-de-paris", chronology_spliced),
    ("distractor: people offered for a station (B1)", "fr-metro-de-paris", person_for_a_station),
    ("worth: a range's bound given by its length (B1)", "fr-tour-de-france", bound_given_by_its_length),
    ("worth: the acronym of the sheet's title (B1)", "en-human-genome-project", title_gives_the_acronym),
    ("distractor: scientists for « President _____ » (B1)", "en-human-genome-project", titled_unlike_the_answer),
    ("order: a participle cut from its date (B1)", "fr-euro-bce", event_cut_from_its_date),
    ("distractor: a rider of 2022 for 1919 (B1)", "fr-tour-de-france", rider_of_another_age),
    ("well-formed: quotation marks inside the quote (C1)", "en-apollo-11", quotes_inside_quotes),
    ("well-formed: « … » inside « … » (C1)", "fr-prix-nobel", quotes_inside_quotes),
    ("key: « XIV » for « Louis XIV » (C1)", "fr-canal-du-midi", regnal_number_accepted),
    ("worth: half a name, « plan _____ 2050 » (C1)", "fr-grande-barriere-de-corail", name_cut_before_its_number),
    ("worth: an English acronym spelled out in French (C1)", "fr-grande-barriere-de-corail", foreign_acronym_spelled),
]  # fmt: skip


def assert_fault_gone(
    generated: dict[str, list[Json]],
    fault: str,
    slug: str,
    check: Callable[[list[Json], str], list[str]],
) -> None:
    """Fail with the first faulty questions if ``check`` finds the fault on ``slug``."""
    questions = generated[slug]
    assert questions, f"no question on {slug}"
    faults = check(questions, sheet_text(slug))
    assert not faults, f"{fault}:\n  " + "\n  ".join(faults[:5])


@pytest.mark.parametrize(("fault", "slug", "check"), ROWS, ids=[row[0] for row in ROWS])
def test_the_fault_is_gone(
    generated: dict[str, list[Json]],
    fault: str,
    slug: str,
    check: Callable[[list[Json], str], list[str]],
) -> None:
    assert_fault_gone(generated, fault, slug, check)
