"""The two forms most questions take: a sentence to complete, a statement to judge.

Both quote a stem (a whole, self-contained sentence: see ``stems``). A blank
shows only the fact's own place: the answer standing elsewhere in the sentence,
or its acronym beside the blank, gives it away and the form is not made.
Choices agree with the words around the blank (``grammar``); when too few do,
the determiner moves into every choice. A false statement swaps the fact for a
distractor that keeps the sentence's grammar and chronology.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..model import Fact, QuestionType
from ..nlp import tokens_within
from ..normalize import contains_words, fold
from ..resources import (
    ACRONYM_BESIDE,
    ARTICLELESS_COUNTRIES,
    CONTINENTS,
    COUNTRY_AFTER,
    DAY_SPAN_BEFORE,
    HOME_WORLD,
    SURNAME_AFTER,
)
from .builders import Builder, Draft, choices_for
from .classes import country_code
from .distractors import pick
from .grammar import (
    PREPOSITION_OF,
    Agreement,
    agrees,
    country_preposition,
    determiner_before,
    with_determiner,
)
from .leaks import (
    AFTER_ITS_CITY,
    DEDUCED_BEFORE,
    NAME_HEAD_BEFORE,
    NAME_RUNS_ON,
    QUALIFIED_BY_CONTINENT,
    counted_by_name,
    country_given,
    echoed,
    embedded,
    glossed,
    hinted,
    located_by_landmark,
    shows_any,
    strip_acronym,
)
from .people import named_already
from .phrasing import BLANK, TEXT, quote, readable
from .stems import Stem
from .topic import name_pronoun, name_topic, name_work

_SUBJECTS = {"nsubj", "nsubj:pass", "expl:subj"}
ORDINAL_BEFORE = re.compile(
    r"\b(?:\d+\s*(?:e|er|re|ème|st|nd|rd|th)|premi[eè]re?|first|second)\s*$", re.I
)
# Kinds of places French names with an article, save a few ("la France", "Monaco").
BARE = {"country", "region"}
_HELD = "Ø\0"  # where the fact stands while the sentence is named
MAX_STATEMENT = 320  # characters of a statement to judge true or false
# Where one sentence of a statement ends and another begins.
SENTENCE_END = re.compile(r"(?<=[a-zà-ÿ0-9)»\"])[.!?…](?=\s+[A-ZÀ-Ý«“\"])")
_AGREEING = {"amod", "acl", "acl:relcl"}


@dataclass(frozen=True)
class Gap:
    """A stem with the fact's place opened: the text around it and what precedes it."""

    stem: Stem
    before: str
    after: str
    det: str


def gaps(builder: Builder, fact: Fact) -> list[Gap]:
    """The fact's stems, best first, each split around the fact (found once per fact:
    each kind of question asks for them again)."""
    key = ("gaps", id(fact.paragraph), fact.span, fact.kind, fact.text)
    if key not in builder.memo:
        builder.memo[key] = _split_stems(builder, fact)
    return list(builder.memo[key])


def _split_stems(builder: Builder, fact: Fact) -> list[Gap]:
    found = []
    for stem in builder.stems(fact):
        where = stem.locate(fact.span)
        if where is None:
            continue
        # The sheet's subject named once, where the sentence first says "la tour".
        lang = fact.paragraph.lang
        before = name_topic(stem.text[: where.start], builder.sheet.title, lang)
        after = stem.text[where.end :]
        if before == stem.text[: where.start]:
            after = name_topic(after, builder.sheet.title, lang)
        # Named as one sentence, the fact held by a capital ("le projet ferroviaire du
        # groupement _____" is the named one): "l'ouvrage", "Elle pèse _____ tonnes".
        named = name_work(f"{before}{_HELD}{after}", builder.sheet.title, lang)
        if stem.names_work:
            named = name_pronoun(named, builder.sheet.title, lang)
        before, after = named.split(_HELD)
        if fact.kind != "acronym":
            after = strip_acronym(after, builder.alias(fact.text))
        found.append(Gap(stem, before, after, determiner_before(before)))
    return found


def open_gap(builder: Builder, fact: Fact) -> Gap | None:
    """The best of the fact's ``gaps``, or None."""
    found = gaps(builder, fact)
    return found[0] if found else None


def is_subject(doc: Any, fact: Fact) -> bool:
    """Whether the fact is the subject of its clause ("Moscou continue de ...")."""
    if doc is None:
        return False
    inside = tokens_within(doc, fact.span.start, fact.span.end)
    ids = {t.i for t in inside}
    return any(t.head.i not in ids and t.dep_ in _SUBJECTS for t in inside)


def agreeing_words(doc: Any, fact: Fact) -> bool:
    """Whether words outside the fact agree with it: it is a subject, or an adjective
    or participle hangs on it ("la Force ..., dirigée par l'OTAN")."""
    if doc is None:
        return False
    inside = tokens_within(doc, fact.span.start, fact.span.end)
    ids = {t.i for t in inside}
    for token in inside:
        if token.head.i not in ids and token.dep_ in _SUBJECTS:
            return True
        for child in token.children:
            if child.i not in ids and child.dep_ in _AGREEING and child.pos_ in ("ADJ", "VERB"):
                return True
    return False


def agreement_here(builder: Builder, fact: Fact, det: str) -> Agreement:
    """The answer's agreement where it stands: the determiner says most of it."""
    known = builder.lexicon.agreement(fact.text, fact.paragraph.lang)
    gender = {"le": "m", "du": "m", "au": "m", "la": "f", "de la": "f", "à la": "f"}.get(det)
    plural = True if det in ("les", "des", "aux") else known.plural
    return Agreement(gender or known.gender, plural, known.vowel)


def cloze(
    builder: Builder,
    fact: Fact,
    answer: str,
    tags: list[str],
    accepted: list[str],
    candidates: list[str] | None = None,
    qtype: QuestionType = "cloze",
) -> Draft | None:
    """The stem with the fact blanked: choices when enough of ``candidates`` fit,
    else a free answer (``qtype``: cloze or numeric). The best stem that does not
    show the answer elsewhere is used."""
    alias = builder.alias(answer)
    for gap in gaps(builder, fact):
        sentence = readable(gap.before + BLANK + gap.after)
        if len(sentence.replace(BLANK, "").split()) < 5:
            continue
        rest = sentence.replace(BLANK, " ")
        if shows_any(rest, [answer, *accepted, alias or ""]) or echoed(rest, answer):
            continue  # the answer, its acronym or a word of its stem stands in the sentence
        if fact.kind != "number" and embedded(rest, answer, fact.kind == "person"):
            continue  # "Le Toblerone… par _____": Tobler
        if fact.kind == "number" and counted_by_name(rest, float(fact.value)):
            continue  # "the Heptastadion, about _____ stadia long": seven
        if fact.kind != "acronym" and ACRONYM_BESIDE.match(gap.after):
            continue  # "of the _____ (CEAlex)": its short form, which the name spells out
        if fold(answer) in HOME_WORLD:
            continue  # "visible to the naked eye from _____": Earth, what else?
        if builder.pools.kind(fact) == "treaty" and hinted(rest, answer, []):
            continue  # "The _____ was signed in Vienna": the Vienna Convention
        if fact.kind == "person" and SURNAME_AFTER.match(gap.after):
            continue  # "_____ Cailler": the first name of a name the sentence writes whole
        if fact.kind not in ("date", "number") and NAME_RUNS_ON.match(gap.after):
            continue  # the blank holds only part of a name
        if NAME_HEAD_BEFORE.search(gap.before) or DEDUCED_BEFORE.search(gap.before):
            continue  # "the Cape of _____", « et donc à _____ » (Paris): no fact to know
        if fold(answer) in CONTINENTS and QUALIFIED_BY_CONTINENT.search(gap.before):
            continue  # « le castor d'_____ »: a species' name, not where it lives
        if fact.kind != "acronym" and glossed(gap.before, gap.after, answer):
            continue  # "the Staatsbibliothek zu Berlin (_____)": its translation
        if DAY_SPAN_BEFORE.search(gap.before):
            continue  # "on the night of 13–_____": the blank is the end of a span
        country = builder.pools.kind(fact) == "country"
        if country and country_given(rest, answer, builder.country_of):
            continue  # "near Le Mans, in _____, … French aviators": France
        if builder.pools.kind(fact) in ("country", "region") and AFTER_ITS_CITY.search(gap.before):
            continue  # "à Berchtesgaden, en _____": Bavière, and Allemagne as well
        if builder.pools.kind(fact) == "city" and located_by_landmark(gap.before):
            continue  # "à la gare de Saint-Pancras, à _____": the station says Londres
        defined = fact.data.get("acronym")
        if defined and not re.match(r"\s*\(", fact.paragraph.text[fact.span.end :]):
            continue  # the name its acronym stands for runs on ("..., la science et la culture")
        return _blank(builder, fact, gap, answer, tags, accepted, candidates, qtype)
    return None


def _blank(
    builder: Builder,
    fact: Fact,
    gap: Gap,
    answer: str,
    tags: list[str],
    accepted: list[str],
    candidates: list[str] | None,
    qtype: QuestionType,
) -> Draft | None:
    """The blank of ``gap``: with choices when enough fit, else a free answer (none for
    a long name)."""
    sentence = readable(gap.before + BLANK + gap.after)
    if candidates:
        draft = _choice_cloze(builder, fact, gap, answer, accepted, candidates, tags)
        if draft is not None:
            return draft
    if len(answer.split()) >= 6 and answer[:1].islower():
        return None  # « ministère de la Défense de la Fédération de Russie »: a description
        # to type, which a learner's right answer would seldom match word for word
    lang = fact.paragraph.lang
    prompt = quote(cloze_key(fact, qtype), lang, sentence)
    return Draft(qtype, prompt, answer, fact, qtype, [], accepted, tags, evidence=gap.stem.evidence)


def cloze_key(fact: Fact, qtype: QuestionType) -> str:
    """Which instruction a free blank gets: a date's says the precision it wants."""
    if qtype == "numeric":
        return "number"
    if fact.kind != "date":
        return "cloze"
    precision = fact.value.precision
    if fact.value.qualifier and precision == "year":
        return "cloze_period"
    return f"cloze_{precision}" if precision != "decade" else "cloze_period"


def _choice_cloze(
    builder: Builder,
    fact: Fact,
    gap: Gap,
    answer: str,
    accepted: list[str],
    candidates: list[str],
    tags: list[str],
) -> Draft | None:
    """A blank with 3–4 choices that all fit it, or None."""
    lang = fact.paragraph.lang
    if ORDINAL_BEFORE.search(gap.before):
        return None  # "la 33e _____": only a body that meets again and again fits
    if lang == "fr" and gap.det in ("", "de", "à") and builder.pools.kind(fact) in BARE:
        return None  # "Monaco, qui..." / "à Chypre": whether another country takes an
        # article there, nothing tells
    sentence = readable(gap.before + BLANK + gap.after)
    shown = [sentence, fact.paragraph.text[gap.stem.evidence.start : gap.stem.evidence.end]]
    here = agreement_here(builder, fact, gap.det)
    strict = agreeing_words(builder.doc(fact.paragraph), fact)
    # A place the sheet names in a like sentence may be true as well ("présence militaire
    # russe en Syrie", and in Georgia): for places one shared word is enough to doubt.
    shared = 1 if fact.kind == "place" else 2
    fitting = [
        c
        for c in candidates
        if agrees(gap.det, here, builder.lexicon.agreement(c, lang), strict)
        and not builder.said_alike(c, sentence, shared)
    ]
    if fact.kind == "person":  # not the sentence's own people, nor the sheet's person
        fitting = named_already(fitting, [sentence, builder.sheet.title])
    home = builder.country_of(answer) if builder.pools.kind(fact) == "city" else None
    if home:  # New York among American towns, not Berkeley or Merca
        fitting = [c for c in fitting if builder.country_of(c) == home]
    stated = COUNTRY_AFTER.match(gap.after)
    if builder.pools.kind(fact) in ("city", "region") and stated:
        # "à _____, dans le Pas-de-Calais, en France": only French towns are choices (none
        # when the country is one the locale data does not know).
        code = country_code(stated.group("country"))
        fitting = [
            c
            for c in fitting
            if code and builder.country_of(c) == code and not country_code(c)  # not "Angleterre"
        ]
    distractors = pick(answer, shown, fitting)
    if len(distractors) < 2 and lang == "fr" and not strict:
        return _carried_determiner(builder, fact, gap, answer, accepted, candidates, shown, tags)
    if len(distractors) < 2 or hinted(sentence, answer, distractors):
        return None
    prompt = quote("cloze_choice", lang, sentence)
    choices = choices_for(builder, fact, answer, distractors)
    draft = Draft("mcq", prompt, answer, fact, "cloze-mcq", choices, accepted, tags)
    draft.evidence = gap.stem.evidence
    return draft


def _carried_determiner(
    builder: Builder,
    fact: Fact,
    gap: Gap,
    answer: str,
    accepted: list[str],
    candidates: list[str],
    shown: list[str],
    tags: list[str],
) -> Draft | None:
    """Choices that carry their own determiner: "signé par _____ et l'Union
    soviétique" with « les États-Unis », « la Russie », « l'Allemagne » (the name's
    other forms stay on record, "ASC" for "l'Agence spatiale canadienne")."""
    lang = fact.paragraph.lang
    det = gap.det
    if det not in PREPOSITION_OF and not (det == "en" and fact.kind == "place"):
        return None
    if not gap.before[: len(gap.before.rstrip()) - len(det)].strip():
        return None  # the determiner opens the sentence: a choice cannot start it
    known = [
        c
        for c in candidates
        if builder.lexicon.agreement(c, lang).gender is not None
        and fold(c) not in ARTICLELESS_COUNTRIES  # « le Cuba »
        and not builder.said_alike(c, readable(gap.before + BLANK + gap.after))
    ]
    distractors = pick(answer, shown, known)
    if len(distractors) < 2:
        return None

    def carried(name: str) -> str:
        agreement = builder.lexicon.agreement(name, lang)
        if det == "en":
            return country_preposition(name, agreement)
        return with_determiner(name, agreement, PREPOSITION_OF[det])

    before = gap.before[: len(gap.before.rstrip()) - len(det)].rstrip() + " "
    sentence = readable(before + BLANK + gap.after)
    if hinted(sentence, answer, distractors):
        return None
    right = carried(answer)
    choices = choices_for(builder, fact, right, [carried(d) for d in distractors])
    prompt = quote("cloze_choice", lang, sentence)
    draft = Draft("mcq", prompt, right, fact, "cloze-mcq", choices, list(accepted), tags)
    draft.evidence = gap.stem.evidence
    return draft


def statement(builder: Builder, fact: Fact, shown: str) -> tuple[str, Gap] | None:
    """The stem with ``shown`` in the fact's place, and the gap it fills. A statement
    to judge is judged by its paragraph alone: no sentence from the paragraph before;
    and it is ``crisp``."""
    for gap in gaps(builder, fact):
        text = readable(gap.before + shown + gap.after)
        if gap.stem.pieces[0].at == 0 and crisp(text):
            return text, gap
    return None


def crisp(statement: str) -> bool:
    """Whether a statement is short enough to judge as one claim: one sentence, not a
    paragraph copied out, nor a sentence of context before the claim to check."""
    return len(statement) <= MAX_STATEMENT and not SENTENCE_END.search(statement)


def true_false(
    builder: Builder,
    fact: Fact,
    wrong: str | None,
    truth: str | None = None,
    tags: list[str] | None = None,
) -> Draft | None:
    """'Vrai ou faux ?' on the stem, with the fact swapped for ``wrong`` when false.

    ``truth`` replaces the fact's own words in a true statement (a relative date
    "Le même mois" is stated as "octobre 2021")."""
    lang = fact.paragraph.lang
    is_true = wrong is None or builder.flip(fact, "tf")
    shown = (truth or fact.text) if is_true else str(wrong)
    if fact.text[:1].isupper() and not is_true:
        shown = shown[0].upper() + shown[1:]  # "Novembre 1956" opens its sentence
    made = statement(builder, fact, shown)
    if made is None:
        return None
    text, gap = made
    if not is_true and (contains_words(gap.before + gap.after, shown) or shown == fact.text):
        return None  # "X et X": the swapped name already stands in the sentence
    if not is_true and fact.kind in ("place", "institution", "person"):
        here = agreement_here(builder, fact, gap.det)
        strict = agreeing_words(builder.doc(fact.paragraph), fact)
        if not agrees(gap.det, here, builder.lexicon.agreement(shown, lang), strict):
            return None
    labels = [TEXT[lang]["true"], TEXT[lang]["false"]]
    prompt = quote("true_false", lang, text)
    return Draft(
        "true_false",
        prompt,
        labels[0] if is_true else labels[1],
        fact,
        "tf",
        labels,
        [],
        tags or [fact.kind],
        evidence=gap.stem.evidence,
    )
