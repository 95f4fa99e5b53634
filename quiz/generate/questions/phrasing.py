"""Wording: articles, blanks, statements and direct questions in French and English.

Direct French questions are built from spaCy's parse with complex inversion:
"la Russie a rejoint le PPP (en 1994)" → "En quelle année la Russie a-t-elle
rejoint le PPP ?". When the clause is not simple enough to turn safely, the
builders fall back to a cloze item; a wrong question is worse than none.
"""

from __future__ import annotations

import re
from typing import Any

from ..model import DateValue, Fact
from ..nlp import tokens_within
from ..resources import FEMININE_HEADS, INSTITUTION_HEADS, MONTH_NAMES, SCALES

BLANK = "_____"
_VOWEL = re.compile(r"^[aeiouyàâäéèêëîïôöûüœh]", re.I)
_GLUED = re.compile(r"(\d)([A-ZÀ-Ý][a-zà-ÿ])")

TEXT = {
    "fr": {
        "cloze": "Complétez : « {s} »",
        "cloze_year": "Complétez par l'année : « {s} »",
        "cloze_month": "Complétez par le mois et l'année : « {s} »",
        "cloze_day": "Complétez par la date (jour, mois et année) : « {s} »",
        "cloze_season": "Complétez par la saison et l'année : « {s} »",
        "cloze_period": (
            "Complétez par la période (par exemple « début 1950 », « fin des années 1960 ») : "
            "« {s} »"
        ),
        "cloze_choice": "Complétez avec la bonne réponse : « {s} »",
        "number": "Complétez par un nombre : « {s} »",
        "true_false": "Vrai ou faux ? « {s} »",
        "true": "Vrai",
        "false": "Faux",
        "acronym_of": "Quel est le sigle {of_name} ?",
        "acronym_means_in": "Que désigne le sigle « {acronym} » dans cette phrase : « {s} »",
        "acronym_means_on": "Dans la fiche « {title} », que désigne le sigle « {acronym} » ?",
        "order": (
            "Remettez ces événements dans l'ordre chronologique, du plus ancien au plus récent."
        ),
        "explain": "D'après la fiche « {title} »{section} : « {evidence} »",
        "section": ", section « {section} »",
        "answer": "Réponse : {answer}.",
        "statement_false": "Faux : la fiche dit « {truth} », pas « {wrong} ».",
    },
    "en": {
        "cloze": 'Fill in the blank: "{s}"',
        "cloze_year": 'Fill in the year: "{s}"',
        "cloze_month": 'Fill in the month and year: "{s}"',
        "cloze_day": 'Fill in the date (day, month and year): "{s}"',
        "cloze_season": 'Fill in the season and year: "{s}"',
        "cloze_period": 'Fill in the period (for example "early 1950", "the late 1960s"): "{s}"',
        "cloze_choice": 'Choose the word or phrase that completes: "{s}"',
        "number": 'Fill in the number: "{s}"',
        "true_false": 'True or false? "{s}"',
        "true": "True",
        "false": "False",
        "acronym_of": "What is the acronym {of_name}?",
        "acronym_means_in": 'What does the acronym "{acronym}" stand for in this sentence: "{s}"',
        "acronym_means_on": 'In the sheet "{title}", what does the acronym "{acronym}" stand for?',
        "order": "Put these events in chronological order, earliest first.",
        "explain": 'From the sheet "{title}"{section}: "{evidence}"',
        "section": ', section "{section}"',
        "answer": "Answer: {answer}.",
        "statement_false": 'False: the sheet says "{truth}", not "{wrong}".',
    },
}
TREATY_QUESTIONS = {
    "fr": {
        "violated": "Selon la fiche, quel texte {party} viole-t-{pron} ?",
        "stopped_respecting": "Selon la fiche, quel texte {party} ne respecte-t-{pron} plus ?",
        "withdrew": "De quel texte {party} a-t-{pron} décidé de se retirer ?",
        "suspended": "Quel texte {party} a-t-{pron} suspendu ?",
        "signed": "Quel texte {party} a-t-{pron} signé ?",
        "proposed": "Quel texte {party} a-t-{pron} proposé ?",
        "ratified": "Quel texte {party} a-t-{pron} ratifié ?",
        "revoked_ratification": "De quel texte {party} a-t-{pron} révoqué la ratification ?",
        "entered_into_force": "Selon la fiche, quel texte est entré en vigueur{date} ?",
    },
    "en": {
        "violated": "According to the sheet, which agreement does {party} violate?",
        "stopped_respecting": (
            "According to the sheet, which agreement does {party} no longer respect?"
        ),
        "withdrew": "Which agreement did {party} withdraw from?",
        "suspended": "Which agreement did {party} suspend?",
        "signed": "Which agreement did {party} sign?",
        "proposed": "Which agreement did {party} propose?",
        "ratified": "Which agreement did {party} ratify?",
        "revoked_ratification": "Which agreement did {party} revoke its ratification of?",
        "entered_into_force": "According to the sheet, which agreement entered into force{date}?",
    },
}
# When the sheet names no party ("The treaty was signed in 1959 by twelve countries").
TREATY_PASSIVE = {
    "fr": {
        "violated": "Selon la fiche, quel texte a été violé{date} ?",
        "stopped_respecting": "Selon la fiche, quel texte n'est plus respecté ?",
        "suspended": "Selon la fiche, quel texte a été suspendu{date} ?",
        "signed": "Selon la fiche, quel texte a été signé{date} ?",
        "proposed": "Selon la fiche, quel texte a été proposé{date} ?",
        "ratified": "Selon la fiche, quel texte a été ratifié{date} ?",
        "entered_into_force": "Selon la fiche, quel texte est entré en vigueur{date} ?",
    },
    "en": {
        "violated": "According to the sheet, which agreement was violated{date}?",
        "stopped_respecting": "According to the sheet, which agreement is no longer respected?",
        "suspended": "According to the sheet, which agreement was suspended{date}?",
        "signed": "According to the sheet, which agreement was signed{date}?",
        "proposed": "According to the sheet, which agreement was proposed{date}?",
        "ratified": "According to the sheet, which agreement was ratified{date}?",
        "entered_into_force": "According to the sheet, which agreement entered into force{date}?",
    },
}
PRONOUNS = {"fem": "elle", "masc": "il", "plural": "ils"}


def date_phrase(date: str | None, precision: str | None, lang: str) -> str:
    """' le 1er mars 1999', ' en 2002', ' on 1 December 1959', ' in 1980' (or nothing)."""
    if not date:
        return ""
    first = date.split()[0].lower()
    if lang == "fr":
        if precision == "day":
            return f" le {date}"
        if first in ("début", "fin", "mi", "milieu") or first.startswith("mi-"):
            return f" {date[0].lower()}{date[1:]}"  # "fin 2002", never "en fin 2002"
        if first == "printemps":
            return f" au {date}"
        return f" en {date}"
    if precision == "day":
        return f" on {date}"
    return f" in {date}"


def nested(text: str, lang: str) -> str:
    """A sentence's own quotation marks at the second level, since the prompt quotes the
    sentence: « … » inside « … » reads “ … ” in French, "…" inside "…" reads ‘…’ in
    English, without the spaces French sets inside « »."""
    if lang == "fr":
        return re.sub(r"\s*»", "”", re.sub(r"«\s*", "“", text))
    text = text.replace("“", "‘").replace("”", "’")
    parts = text.split('"')
    marks = ("‘" if i % 2 == 0 else "’" for i in range(len(parts) - 1))
    return "".join(part + mark for part, mark in zip(parts, marks, strict=False)) + parts[-1]


def quote(key: str, lang: str, sentence: str) -> str:
    """The prompt ``TEXT[lang][key]`` quoting ``sentence``."""
    return TEXT[lang][key].format(s=nested(sentence, lang))


def readable(text: str) -> str:
    """Display text with scraping glue undone ("2015Le" → "2015 Le") and spaces collapsed."""
    text = re.sub(rf"{BLANK}(?=\w)", f"{BLANK} ", _GLUED.sub(r"\1 \2", text))
    return " ".join(text.split())


def with_article(name: str, data: dict[str, Any], lang: str, preposition: str = "") -> str:
    """'du Conseil OTAN-Russie', "de l'Acte fondateur", 'des accords de Minsk', 'of the Treaty'."""
    if lang == "en":
        return f"{preposition + ' ' if preposition else ''}the {name}"
    if data.get("plural"):
        article = "des" if preposition == "de" else "aux" if preposition == "à" else "les"
    elif _VOWEL.match(name):
        article = f"{preposition} l'" if preposition else "l'"
    elif data.get("gender") == "fem":
        article = f"{preposition} la" if preposition else "la"
    else:
        article = {"de": "du", "à": "au"}.get(preposition, "le")
    return f"{article}{name}" if article.endswith("'") else f"{article} {name}"


def format_date(value: DateValue, lang: str) -> str:
    """A date as a learner would write it: '12 janvier 2022', 'mars 2018', '1994'."""
    months = MONTH_NAMES[lang]
    if value.precision == "day" and value.month and value.day:
        day = "1er" if lang == "fr" and value.day == 1 else str(value.day)
        return f"{day} {months[value.month - 1]} {value.year}"
    if value.precision == "month" and value.month:
        return f"{months[value.month - 1]} {value.year}"
    if value.precision == "season" and value.qualifier:
        season = {"spring": "printemps", "summer": "été", "autumn": "automne", "winter": "hiver"}
        word = season[value.qualifier] if lang == "fr" else value.qualifier
        return f"{word} {value.year}"
    if value.precision == "decade":
        part = {"early": "début", "late": "fin", "mid": "milieu"}
        if lang == "fr":
            lead = f"{part[value.qualifier]} des " if value.qualifier in part else ""
            return f"{lead}années {value.year}"
        lead = f"the {value.qualifier} " if value.qualifier in part else "the "
        return f"{lead}{value.year}s"
    if value.qualifier in ("early", "late", "mid") and lang == "fr":
        lead = {"early": "début ", "late": "fin ", "mid": "mi-"}[value.qualifier]
        return f"{lead}{value.year}"
    if value.qualifier in ("early", "late", "mid"):
        return f"{value.qualifier} {value.year}"
    return str(value.year)


def format_number(value: float, like: str, lang: str) -> str:
    """A number written in the style of ``like`` ('100 000', '3,5', '2500', '300 millions')."""
    scale = next((w for w in like.split()[1:] if w.lower() in SCALES), None)
    if scale:
        base = value / SCALES[scale.lower()]
        return f"{format_number(base, like.split()[0], lang)} {scale}"
    if value != int(value):
        text = f"{value:.1f}"
        return text.replace(".", ",") if lang == "fr" else text
    number = int(value)
    separator = next((c for c in like if c in " \u00a0\u202f,"), None) if len(like) > 3 else None
    if separator and number >= 1000:
        return f"{number:,}".replace(",", separator)
    return str(number)


def _question_word(fact: Fact, preposition: str, lang: str) -> str:
    precision = fact.value.precision
    if preposition in ("depuis",):
        return "Depuis quand"
    if preposition.startswith("jusqu"):
        return "Jusqu'à quand"
    if precision == "year" and not fact.value.qualifier:
        return "En quelle année"
    if precision == "day":
        return "À quelle date"
    return "Quand"


def _inverted(finite: Any, pronoun: str) -> str:
    verb = finite.text
    joint = "-t-" if verb[-1] in "aeé" else "-"
    return f"{verb}{joint}{pronoun}"


def _pronoun(head: Any) -> str | None:
    word = head.text.lower()
    if word in INSTITUTION_HEADS:  # "l'Union européenne": the tagger leaves gender out
        return "elle" if word in FEMININE_HEADS else "il"
    morph = head.morph
    plural_article = any(
        c.dep_ == "det" and "Plur" in c.morph.get("Number") for c in head.children
    )
    if plural_article and head.text[:1].isupper():
        return "ils"  # "les Curie": a family or a couple, whatever the tagger says of "Curie"
    plural = "Plur" in morph.get("Number") or plural_article
    feminine = "Fem" in morph.get("Gender")
    if plural:
        return "elles" if feminine else "ils"
    return "elle" if feminine else "il"


def french_date_question(
    fact: Fact, doc: Any, genders: dict[str, str] | None = None
) -> tuple[str, str] | None:
    """'En quelle année la Russie a-t-elle rejoint ... ?' and the declarative clause, or None."""
    if doc is None or fact.data.get("relative"):
        return None
    tokens = tokens_within(doc, fact.span.start, fact.span.end)
    if not tokens:
        return None
    root = next(
        (t for t in tokens if not (fact.span.start <= t.head.idx < fact.span.end)), tokens[0]
    )
    attach, verb = root, root.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        attach, verb = verb, verb.head
    if verb.pos_ not in ("VERB", "AUX") or attach.head.i != verb.i:
        return None
    date_phrase = {t.i for t in attach.subtree}
    if len(date_phrase) > len(tokens) + 3:
        return None  # the date sits in a larger phrase: no safe way to ask about it alone
    preposition = " ".join(t.text.lower() for t in attach.subtree if t.dep_ == "case")
    return _assemble(fact, doc, verb, date_phrase, preposition, genders or {})


_DROPPED = {"conj", "advcl", "parataxis", "punct", "mark", "cc", "discourse", "vocative"}
_CONTEXTUAL = re.compile(r"\b(?:ce|cet|cette|ces|celui|celle|ceux|this|that|these|those)\b", re.I)


def join_tokens(doc: Any, ids: set[int]) -> str:
    """The text of some tokens of a parse, with a space wherever a gap was cut out."""
    parts: list[str] = []
    previous = None
    for i in sorted(ids):
        if previous is not None and i != previous + 1 and parts and not parts[-1][-1:].isspace():
            parts.append(" ")
        parts.append(doc[i].text_with_ws)
        previous = i
    return re.sub(r"\s+", " ", "".join(parts)).strip().strip(",;: ")


def _subject_pronoun(subject: Any) -> str | None:
    if any(c.dep_ == "conj" for c in subject.children):
        feminine = all(
            "Fem" in t.morph.get("Gender")
            for t in [subject, *(c for c in subject.children if c.dep_ == "conj")]
        )
        return "elles" if feminine else "ils"
    return _pronoun(subject)


def _assemble(
    fact: Fact,
    doc: Any,
    verb: Any,
    date_phrase: set[int],
    preposition: str,
    genders: dict[str, str],
) -> tuple[str, str] | None:
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubj:pass")), None)
    if subject is None or subject.pos_ == "PRON":
        return None
    auxiliaries = [
        c
        for c in verb.children
        if c.dep_ in ("aux", "aux:tense", "aux:pass", "cop") and c.i < verb.i
    ]
    kept = {verb.i} | {a.i for a in auxiliaries}
    for child in verb.children:
        if child.i in date_phrase or child.dep_ in _DROPPED or child.i in kept:
            continue
        kept |= {t.i for t in child.subtree}
    kept -= date_phrase
    subject_ids = {t.i for t in subject.subtree}
    finite = auxiliaries[0] if auxiliaries else verb
    reflexive = any(c.dep_.startswith("expl") for c in verb.children)
    if reflexive or "VerbForm=Fin" not in str(finite.morph):
        return None  # "s'est réunie" or a mis-tagged adjective: no safe inversion
    first = doc[min(subject_ids)]
    between = doc[max(subject_ids) + 1 : finite.i].text if max(subject_ids) < finite.i else ""
    if min(subject_ids) > finite.i or first.pos_ in ("CCONJ", "ADP", "SCONJ") or "," in between:
        return None  # not a plain "subject + verb" clause: the parse cannot be trusted here
    complete = any(c.dep_ in ("obj", "ccomp", "xcomp", "aux:pass", "cop") for c in verb.children)
    if not complete:
        return None  # "ont proposé à l'OTAN" with the object lost in a coordination
    rest_ids = {i for i in kept if i > finite.i and i not in subject_ids}
    if any(doc[i].pos_ == "AUX" or "VerbForm=Fin" in str(doc[i].morph) for i in rest_ids):
        return None  # a second finite verb: the parse took a word for the verb
    rest = join_tokens(doc, rest_ids)
    subject_text = join_tokens(doc, subject_ids)
    if first.pos_ == "DET":
        subject_text = subject_text[0].lower() + subject_text[1:]
    pronoun = genders.get(subject.text) or _subject_pronoun(subject)
    question_text = f"{subject_text} {rest}"
    if (
        not pronoun
        or len(rest.split()) < 2
        or re.search(r"[()]", question_text)
        or _CONTEXTUAL.search(question_text)
    ):
        return None
    inverted = _inverted(finite, pronoun)
    question = f"{_question_word(fact, preposition, 'fr')} {subject_text} {inverted} {rest} ?"
    if len(question) > 170:
        return None
    return question, join_tokens(doc, kept | subject_ids)
