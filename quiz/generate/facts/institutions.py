"""Institutions, programmes, missions and treaties, with their acronyms.

Rules go first: statistical NER splits "Conseil conjoint permanent OTAN-Russie"
in two. A name opens on a head noun ("Conseil", "traité", "Agency") and runs
over adjectives, capitalised words and linking prepositions; a name followed
by "(ACR)" is delimited by the acronym, whose letters pick the name's start.
"""

from __future__ import annotations

import re
from typing import Any

from ..model import Fact, FactKind, Span
from ..resources import (
    ACRONYM,
    ACRONYM_TOKEN,
    ADJECTIVE_ENDING,
    FEMININE_HEADS,
    INSTITUTION_HEADS,
    NAME_LINKS,
    TREATY_HEADS,
)
from .context import ParagraphContext, Token

_FUNCTION_CAPITALS = {
    "the", "a", "an", "in", "on", "at", "since", "after", "before", "during", "by", "under",
    "this", "these", "its", "their", "le", "la", "les", "l'", "un", "une", "en", "au", "dans",
    "depuis", "après", "avant", "lors", "par", "pour", "ce", "cette", "ces", "son", "sa", "ses",
    "avec", "sans", "entre", "chez", "selon", "sous", "vers", "with", "from", "for", "and", "et",
    "de", "du", "des", "of", "to", "as", "comme", "it", "il", "elle", "ils", "we", "nous",
}  # fmt: skip
_CLAUSE_BREAKERS = {"VERB", "AUX", "PRON", "SCONJ"}
_DETERMINERS = {"la", "le", "les", "l'", "the", "un", "une", "a", "an"}
# In French "a" is the verb ("l'Agence spatiale européenne a été signée"), not an article.
_FRENCH_DETERMINERS = _DETERMINERS - {"the", "a", "an"}
# Lower-case nouns that open a proper name when something proper follows them.
_LOWER_HEADS = TREATY_HEADS | {"ministère", "sommet", "programme", "ministry", "summit"}
_WINDOW_STOPS = {",", ";", ":", "(", ")", ".", "!", "?", "–", "—"}


def _is_link(token: Token) -> bool:
    return token.lower in NAME_LINKS


def _is_proper(token: Token) -> bool:
    return token.is_capitalised and token.text[0].isalpha()


def _closing_quote(tokens: list[Token], i: int) -> int | None:
    """Index of the quotation mark closing the one at ``i`` (within a few words)."""
    closer = "»" if tokens[i].text == "«" else '"'
    for j in range(i + 1, min(i + 10, len(tokens))):
        if tokens[j].text == closer:
            return j
    return None


def _agreement(morph: str) -> set[str]:
    return {f for f in morph.split("|") if f.startswith(("Gender=", "Number="))}


def _french_modifier(tokens: list[Token], i: int, previous: str, name_start: int) -> bool:
    """Lower-case words that continue a French name: nouns after 'de', adjectives.

    The small tagger errs both ways ("alpine" as a verb, "redessine" as an
    adjective), so an adjective is taken on its tag, its attachment or its ending,
    and never when a determiner follows it (a verb taking its object).
    """
    token = tokens[i]
    following = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    if previous == "link":
        return token.pos in ("NOUN", "X", "ADJ", "PROPN")
    if following in _FRENCH_DETERMINERS:
        return False
    attached = name_start <= token.head < token.start
    ending = ADJECTIVE_ENDING.search(token.lower) is not None or "-" in token.text
    participle = token.pos == "VERB" and "VerbForm=Part" in token.morph  # "Nations unies"
    if ending or (token.pos in ("ADJ", "PROPN") and attached) or (participle and attached):
        return True
    if token.pos == "NOUN" and previous == "lower" and tokens[i - 1].pos == "NOUN":
        agreement = _agreement(token.morph)
        return bool(agreement) and agreement == _agreement(tokens[i - 1].morph)
    return False


def extend_name(tokens: list[Token], head: int, lang: str) -> tuple[int, bool]:
    """Last token index of the name opening at ``head``, and whether it holds a proper part."""
    last, links, previous, proper = head, 0, "head", False
    i = head + 1
    while i < len(tokens) and i - head < 14:
        token = tokens[i]
        if token.text in ("«", '"'):
            close = _closing_quote(tokens, i)
            if close is None:
                break
            last, i, links, previous, proper = close, close + 1, 0, "content", True
            continue
        between = any(t.lower in ("entre", "between") for t in tokens[head:i])
        if _is_link(token) and (token.lower not in ("et", "and") or between):
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if nxt is None or nxt.text[0].isdigit() or links >= 2:
                break
            if links == 0 and token.lower in _DETERMINERS:
                break  # "Organisation redessine l'architecture": a determiner opens a new phrase
            if lang == "en" and token.lower == "in" and head_word(tokens[head]) not in TREATY_HEADS:
                break  # "the Kennedy Space Center in Florida": where it is, not its name
            links, previous, i = links + 1, "link", i + 1
            continue
        if _is_proper(token) or ACRONYM_TOKEN.match(token.text):
            last, links, previous, proper, i = i, 0, "content", True, i + 1
            continue
        if (
            lang == "fr"
            and token.text.islower()
            and _french_modifier(tokens, i, previous, tokens[head].start)
        ):
            last, links, previous, i = i, 0, "lower", i + 1
            continue
        break
    following = tokens[last + 1].lower if last + 1 < len(tokens) else ""
    if lang == "en" and following == "that" and last > head:
        return head, proper  # "Protocol on Substances that Deplete…": its short name
    return last, proper


def _extend_left(tokens: list[Token], head: int) -> int:
    """English names put capitalised modifiers first: 'Antarctic Treaty'."""
    start = head
    while start > 0:
        prev = tokens[start - 1]
        if (
            not _is_proper(prev)
            or prev.lower in _FUNCTION_CAPITALS
            or prev.lower in INSTITUTION_HEADS
        ):
            break
        start -= 1
    return start


def head_word(token: Token) -> str:
    """The head noun of a token: 'accord' for 'accord-cadre'."""
    return token.lower.split("-")[0]


def head_of(tokens: list[Token], lang: str) -> Token:
    """The noun that says what a name is: first head in French, last in English."""
    if lang == "en":  # the noun before any "of/on/for" phrase: "Treaty on ... Forces in Europe"
        first_link = next((i for i, t in enumerate(tokens) if _is_link(t)), len(tokens))
        tokens = tokens[:first_link]
        heads = [t for t in tokens if head_word(t) in INSTITUTION_HEADS]
        return heads[-1] if heads else tokens[0]
    return next((t for t in tokens if head_word(t) in INSTITUTION_HEADS), tokens[0])


def _category(tokens: list[Token], lang: str) -> str:
    return "treaty" if head_word(head_of(tokens, lang)) in TREATY_HEADS else "organisation"


def _fact(ctx: ParagraphContext, tokens: list[Token], kind: FactKind, data: dict[str, Any]) -> Fact:
    span = Span(tokens[0].start, tokens[-1].end)
    text = ctx.paragraph.text[span.start : span.end]
    morph = _agreement(tokens[0].morph)
    head = tokens[0].lower
    gender = (
        "fem"
        if head in FEMININE_HEADS or (head not in INSTITUTION_HEADS and "Gender=Fem" in morph)
        else "masc"
    )
    plural = (
        "Number=Plur" in morph
        or tokens[0].lower.endswith(("s", "x"))
        and tokens[0].lower != "fonds"
    )
    return Fact(
        kind,
        text,
        span,
        ctx.sentence_of(span),
        ctx.paragraph,
        text,
        {"category": _category(tokens, ctx.lang), "gender": gender, "plural": plural, **data},
    )


def _initials_score(acronym: str, tokens: list[Token]) -> int:
    """How many of the acronym's letters are, in order, initials of the name's words."""
    initials = [
        part[0].upper() for t in tokens if not _is_link(t) for part in t.text.split("-") if part
    ]
    matched, position = 0, 0
    for letter in acronym:
        while position < len(initials) and initials[position] != letter:
            position += 1
        if position < len(initials):
            matched, position = matched + 1, position + 1
    return matched


def _valid_candidate(window: list[Token], lang: str) -> bool:
    first = window[0]
    if first.lower in _FUNCTION_CAPITALS or _is_link(first):
        return False
    if not (_is_proper(first) or first.lower in INSTITUTION_HEADS):
        return False
    for token in window[1:]:
        adjective_like = "VerbForm=Part" in token.morph or ADJECTIVE_ENDING.search(token.lower)
        if token.pos in _CLAUSE_BREAKERS and not (token.pos == "VERB" and adjective_like):
            return False
        if lang == "en" and token.text.islower() and not _is_link(token):
            return False
        if not token.text[0].isalnum() and token.text not in ("«", "»", '"', "'"):
            return False
    return True


def _named_before_acronym(ctx: ParagraphContext, paren: int, acronym: str) -> list[Token] | None:
    """The name an '(ACR)' at token ``paren`` abbreviates, chosen by its initials."""
    start = paren
    while start > 0 and ctx.tokens[start - 1].text not in _WINDOW_STOPS and paren - start < 14:
        start -= 1
    best: tuple[int, int, bool, bool, int] | None = None
    best_tokens: list[Token] | None = None
    for s in range(start, paren):
        window = ctx.tokens[s:paren]
        if not _valid_candidate(window, ctx.lang):
            continue
        # French names open on their head ("Conseil ..."); English ones end on it ("the
        # Panama Canal Authority (ACP)"), so there the longest window wins, unless one
        # spells the acronym with nothing left over ("Brian Gardiner and Jonathan
        # Shanklin of the British Antarctic Survey (BAS)" → "British Antarctic Survey").
        score = _initials_score(acronym, window)
        opens_on_head = ctx.lang == "fr" and window[0].lower in INSTITUTION_HEADS
        spare = 0
        if ctx.lang == "en" and score == len(acronym):
            spare = len([t for t in window if not _is_link(t)]) - score
        key = (score, -spare, opens_on_head, _is_proper(window[0]), len(window))
        if best is None or key > best:
            best, best_tokens = key, window
    return best_tokens


def _term_before_acronym(
    ctx: ParagraphContext, paren: int, acronym: str, match: re.Match[str]
) -> Fact | None:
    """The acronym of a lower-case term it abbreviates letter by letter, in one word
    ("chlorofluorocarbons (CFCs)"): an acronym fact, and no institution."""
    word = ctx.tokens[paren - 1] if paren > 0 else None
    letters = acronym.rstrip("s").lower()
    if word is None or not word.text.isalpha() or not word.text.islower():
        return None
    if len(word.text) < 3 * len(letters) or word.text[0] != letters[0]:
        return None
    rest = iter(word.text)
    if not all(letter in rest for letter in letters):
        return None  # its letters, in order, inside the word
    start = match.start("acr")
    span = Span(start, start + len(acronym))
    data = {"category": "term", "acronym": acronym, "name": word.text}
    return Fact("acronym", acronym, span, ctx.sentence_of(span), ctx.paragraph, word.text, data)


def _acronym_facts(ctx: ParagraphContext) -> tuple[list[Fact], list[Span]]:
    facts: list[Fact] = []
    claimed: list[Span] = []
    for match in ACRONYM.finditer(ctx.text):
        paren = ctx.token_index_at(match.start())
        acronym = match.group("acr")
        if paren is None or ctx.is_masked(*match.span()):
            continue
        name = _named_before_acronym(ctx, paren, acronym)
        if not name or len(name) < 2 and name[0].lower not in INSTITUTION_HEADS:
            term = _term_before_acronym(ctx, paren, acronym, match)
            facts += [term] if term else []
            continue
        name_fact = _fact(ctx, name, "institution", {"acronym": acronym})
        acronym_tokens = [t for t in ctx.tokens[paren : paren + 3] if t.text == acronym]
        if not acronym_tokens:
            continue
        span = Span(acronym_tokens[0].start, acronym_tokens[0].end)
        facts += [
            name_fact,
            Fact(
                "acronym",
                acronym,
                span,
                ctx.sentence_of(span),
                ctx.paragraph,
                name_fact.text,
                {**name_fact.data, "name": name_fact.text},
            ),
        ]
        claimed.append(Span(name_fact.span.start, match.end()))
    return facts, claimed


def _named_by_head(ctx: ParagraphContext, claimed: list[Span]) -> list[Fact]:
    """A proper name an institution noun introduces in lower case: "l'agence spatiale
    russe Roscosmos", "la société Eiffage" (the name alone is the institution)."""
    found: list[Fact] = []
    tokens = ctx.tokens
    for i, token in enumerate(tokens):
        if not token.text.islower() or head_word(token) not in INSTITUTION_HEADS:
            continue
        if head_word(token) in TREATY_HEADS:
            continue
        j = i + 1
        while j < len(tokens) and j - i <= 3 and tokens[j].text.islower():
            if tokens[j].pos != "ADJ":
                break
            j += 1
        name: list[Token] = []
        while j < len(tokens) and _is_proper(tokens[j]) and len(name) < 3:
            name.append(tokens[j])
            j += 1
        if not name or name[0].lower in INSTITUTION_HEADS or name[0].lower in _FUNCTION_CAPITALS:
            continue
        span = Span(name[0].start, name[-1].end)
        if any(c.start < span.end and span.start < c.end for c in claimed):
            continue
        found.append(_fact(ctx, name, "institution", {"introduced_by": head_word(token)}))
    return found


def find_institutions(ctx: ParagraphContext) -> list[Fact]:
    """Named institutions and treaties; acronym definitions give an acronym fact too."""
    facts, claimed = _acronym_facts(ctx)
    if ctx.lang == "fr":
        introduced = _named_by_head(ctx, claimed)
        facts += introduced
        claimed += [f.span for f in introduced]
    tokens = ctx.tokens
    for head, token in enumerate(tokens):
        if head_word(token) not in INSTITUTION_HEADS or any(
            c.start <= token.start < c.end for c in claimed
        ):
            continue
        capital = _is_proper(token)
        if not capital and head_word(token) not in _LOWER_HEADS:
            continue
        start = _extend_left(tokens, head) if capital and ctx.lang == "en" else head
        last, proper = extend_name(tokens, head, ctx.lang)
        proper = proper or start < head  # "British Antarctic Survey": capitals before the head
        if last == start and capital and head_word(token) in TREATY_HEADS:
            # "l'Italie a ratifié la Convention": a short mention, for treaty actions only.
            short = _fact(ctx, [token], "institution", {"short": True})
            claimed.append(short.span)
            facts.append(short)
            continue
        name = tokens[start : last + 1]
        if not (capital or proper) and last > start and _after_indefinite(tokens, head):
            # "proposé ... un traité juridiquement contraignant": no name, yet a treaty
            # the sentence acts on; a mention for treaty actions only.
            generic = _fact(ctx, name, "institution", {"short": True})
            claimed.append(generic.span)
            facts.append(generic)
            continue
        if last == start or not (capital or proper):
            continue
        following = tokens[last + 1].lower if last + 1 < len(tokens) else ""
        determiners = _FRENCH_DETERMINERS if ctx.lang == "fr" else _DETERMINERS
        if not proper and len(name) < 3 and (following in determiners or len(name) < 2):
            continue  # "l'Organisation redessine l'architecture": a verb, not an adjective
        if not capital and _inner_capital_head(name[1:], ctx.lang):
            continue  # "programme du Partenariat pour la paix": the proper name is inside
        fact = _fact(ctx, name, "institution", {})
        if ctx.is_masked(fact.span.start, fact.span.end):
            continue
        claimed.append(fact.span)
        facts.append(fact)
    facts.sort(key=lambda f: (f.span.start, f.kind))
    return facts


def _after_indefinite(tokens: list[Token], head: int) -> bool:
    """Whether a treaty head comes after "un", "une", "a" or "an"."""
    return (
        head > 0
        and head_word(tokens[head]) in TREATY_HEADS
        and tokens[head - 1].lower in ("un", "une", "a", "an")
    )


def _inner_capital_head(tokens: list[Token], lang: str) -> bool:
    for i, token in enumerate(tokens):
        if _is_proper(token) and token.lower in INSTITUTION_HEADS:
            last, _ = extend_name(tokens, i, lang)
            if last > i:
                return True
    return False
