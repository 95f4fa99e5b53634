"""The sheet's subject named in a quoted sentence: "la tour culmine" on "La tour Eiffel"
becomes "la tour Eiffel culmine", so the learner reads one sentence, not the whole sheet."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..normalize import fold
from ..resources import (
    BUILDING_HEADS,
    SPECIFIED_BY_NAME,
    TITLE_ENSEMBLE,
    WORK_HEADS,
    WORK_NOUNS,
    WORKS_NOUNS,
)

_TITLE_NP = re.compile(
    r"^(?P<article>(?:les|le|la|the)\s+|l['’]\s*)(?P<words>[^\W_][^(]*?)\s*(?:\(|$)", re.I
)


# Where a title's subtitle begins: "Le lac Baïkal, le plus profond…", "Krakatoa: the 1883
# eruption", "Halley's Comet — a periodic visitor".
_SUBTITLE = re.compile(r"\s*[,:;]\s+|\s+[—–-]\s+")


# What already says which one is meant: "les relations entre l'OTAN et la Russie".
_SPECIFIED = re.compile(
    r"\s+(?:de|du|des|d['’]|entre|of|between|(?:le|la|les) (?:plus|moins)|most|least)\b|\s+[A-ZÀ-Ý]"
)


def name_topic(text: str, topic: str, lang: str = "fr") -> str:
    """``text`` with the first definite description of the sheet's subject completed
    by the title ("la tour culmine" → "la tour Eiffel culmine" on "La tour Eiffel", "the
    treaty" → "the Antarctic Treaty"): the learner reads one sentence, not the sheet."""
    topic = TITLE_ENSEMBLE.sub("", _SUBTITLE.split(topic.strip())[0])  # "le Mont-Saint-Michel",
    # not "… et sa baie"; "Le lac Baïkal", not "…, le plus profond et le plus ancien lac"
    if lang == "en" and not _TITLE_NP.match(topic.strip()):
        topic = f"The {topic.strip()}"  # "Panama Canal": an English title drops its article
    title = _TITLE_NP.match(topic.strip())
    words = title.group("words").split() if title else []
    if title is None or not 2 <= len(words) <= 5:
        return text
    english = title.group("article").strip().lower() == "the"
    # An English head stands before its "of" ("The 1883 Eruption of Krakatoa": the
    # eruption), else last; a French one first.
    of = words.index("of") if english and "of" in words[1:] else len(words)
    head = words[of - 1] if english else words[0]
    named = " ".join(words)
    article = r"(?:(?:les|le|la|the)\s+|l['’]\s*)"
    before = rf"(?:{re.escape(' '.join(words[: of - 1]))}\s+)?" if english else ""
    # The article in any case, a French head as the title writes it: "l'agence spatiale
    # russe" is not "L'Agence spatiale européenne"; English capitalises names only.
    flags = re.I if english else 0
    pattern = re.compile(rf"\b((?i:{article})){before}{re.escape(head)}\b", flags)
    for match in pattern.finditer(text):
        said = text[match.end(1) :].lower().startswith(named.lower())
        if not said and not _SPECIFIED.match(text[match.end() :]):
            if _POSSESSIVE.match(named):  # "Beethoven's Ninth Symphony" takes no article
                return text[: match.start(1)] + named + text[match.end() :]
            return text[: match.end(1)] + named + text[match.end() :]
    return text


_POSSESSIVE = re.compile(r"[^\W\d_][\w.-]*['’]s?\s", re.I)


# What follows a description that is not the sheet's work itself: a complement, a
# superlative, a relative clause ("l'ouvrage d'art", "l'édifice le plus haut").
_NOT_THE_WORK = re.compile(
    r"\s*(?:de|du|des|d['’]|of|le|la|les|plus|moins|qui|que|qu['’]|dont|où|that|which|"
    r"most|in|on)\b",
    re.I,
)


@dataclass(frozen=True)
class _Work:
    """A title naming one built work: its words, article and gender ("" when unsaid)."""

    named: str
    article: str
    gender: str


def _work(topic: str, lang: str) -> _Work | None:
    """The built work a sheet's title names ("Le viaduc de Millau"), or None."""
    topic = TITLE_ENSEMBLE.sub("", _SUBTITLE.split(topic.strip())[0])
    if lang == "en" and not _TITLE_NP.match(topic.strip()):
        topic = f"The {topic.strip()}"
    title = _TITLE_NP.match(topic.strip())
    if title is None:
        return None
    words = title.group("words").split()
    article = title.group("article").strip().lower()
    head = words[-1] if article == "the" else words[0]
    if article == "les" or fold(head) not in BUILDING_HEADS | WORK_HEADS:
        return None
    gender = {"le": "m", "la": "f", "the": ""}.get(article, "?")
    return _Work(" ".join(words), article, gender)


def name_work(text: str, topic: str, lang: str = "fr") -> str:
    """``text`` with the generic nouns a sheet about a built work uses for it named
    ("l'ouvrage" → "le viaduc de Millau", "le chantier" → "le chantier du viaduc de
    Millau"), where the gender agrees; unchanged on any other sheet."""
    work = _work(topic, lang)
    if work is None or lang not in WORK_NOUNS:
        return text
    nouns = "|".join(WORK_NOUNS[lang])
    pattern = re.compile(
        rf"\b(?:((?i:de|à))\s+)?((?i:l['’]\s*|le\s+|la\s+|the\s+))({nouns})\b(?![-\w])"
    )

    def named(match: re.Match[str]) -> str:
        preposition, noun = match.group(1), match.group(3)
        if _NOT_THE_WORK.match(text, match.end()) or WORK_NOUNS[lang][noun] != work.gender:
            return match.group(0)
        phrase = f"{_contracted(preposition, work.article)}{work.named}"
        return phrase[0].upper() + phrase[1:] if match.group(0)[0].isupper() else phrase

    text = pattern.sub(named, text)
    works = "|".join(WORKS_NOUNS[lang])
    complement = "of the" if lang == "en" else _contracted("de", work.article).strip()
    return re.sub(
        rf"\b((?i:le|les|the)\s+(?:{works}))\b(?!\s*(?:de|du|des|d['’]|of|on)\b)"
        rf"(?!{SPECIFIED_BY_NAME})",
        lambda m: f"{m.group(1)} {complement} {work.named}".replace("' ", "'"),
        text,
    )


# A subject pronoun opening the sentence, or its main clause after fronted phrases.
_SUBJECT_PRONOUN = re.compile(
    r"^(?P<front>(?:[^,;:]{1,90},\s*){0,4})(?P<pronoun>il|elle|it)\b"
    r"(?!\s+(?:y a|faut|existe|is|was)\b)",
    re.I,
)
_PRONOUN_GENDER = {"il": "m", "elle": "f", "it": ""}


def name_pronoun(text: str, topic: str, lang: str = "fr") -> str:
    """``text`` with the subject pronoun that opens it named as the sheet's built work
    ("Elle pèse 10 100 tonnes" → "La tour Eiffel pèse…", "Haute de 312 mètres, elle…"),
    where the genders agree; unchanged on any other sheet."""
    work = _work(topic, lang)
    found = _SUBJECT_PRONOUN.match(text)
    if work is None or found is None:
        return text
    if _PRONOUN_GENDER[found["pronoun"].lower()] != work.gender:
        return text
    phrase = f"{_contracted(None, work.article)}{work.named}"
    if not found["front"]:
        phrase = phrase[0].upper() + phrase[1:]
    return text[: found.start("pronoun")] + phrase + text[found.end("pronoun") :]


def _contracted(preposition: str | None, article: str) -> str:
    """"de" and "le" as French writes them ("du "), or the article alone."""
    if preposition is None:
        return f"{article} " if article != "l'" else article
    joined = {("de", "le"): "du ", ("à", "le"): "au ", ("de", "l'"): "de l'"}
    return joined.get((preposition.lower(), article), f"{preposition} {article} ")
