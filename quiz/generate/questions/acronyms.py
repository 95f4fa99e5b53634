"""Questions on acronyms: what an acronym stands for, asked in its own sentence
(or on its sheet when it recurs), and the acronym of a name whose initials do not
spell it."""

from __future__ import annotations

import re

from ..model import Fact
from ..normalize import contains_words, fold
from ..resources import COMMON_ACRONYMS, NAME_LINKS
from .builders import Builder, Draft
from .forms import crisp, gaps
from .phrasing import TEXT, readable, with_article
from .variants import name_forms

LINK_WORDS = {fold(word) for word in NAME_LINKS}
ELIDED_BEFORE = re.compile(r"\b[ldLD]['’]\s*$")  # "l'", "d'": only before a vowel
ELIDABLE_BEFORE = re.compile(r"\b(le|la|de|Le|La|De) $")
# Words that say an acronym's name is in the other language than the sheet's.
FOREIGN_WORDS = {
    "fr": re.compile(
        r"\b(?:of|and|the|for|Authority|Institute|Agency|Administration|Center|Park|Board|"
        r"Department|Office|Society|Survey|Trust)\b"
    ),
    "en": re.compile(r"\b(?:de|du|des|la|le|les|et|pour|sur)\b"),
}
QUOTE_MARKS = re.compile(r"[«»“”\"]")  # a quotation inside the quoted sentence


def spelled_by(acronym: str, name: str) -> bool:
    """Whether ``acronym`` is the initials of ``name``'s words, in order ("COR" for
    "Conseil OTAN-Russie"): then the name gives it away."""
    initials = [
        part[0].upper()
        for word in name.replace("’", "'").split()
        if fold(word) not in LINK_WORDS
        for part in re.split(r"[-']", word)
        if part
    ]
    position = 0
    for letter in acronym.replace("-", ""):
        while position < len(initials) and initials[position] != letter:
            position += 1
        if position == len(initials):
            return False
        position += 1
    return True


def acronym_questions(b: Builder, fact: Fact) -> list[Draft]:
    """'Que désigne le sigle « KFOR » ?' and, when the name's initials do not spell the
    acronym, 'Quel est le sigle de la Force pour le Kosovo ?', both answered freely:
    choices would be matched letter by letter to the acronym."""
    if fact.text in COMMON_ACRONYMS:
        return []  # "Que désigne le sigle « UE » ?": everyone knows
    lang = fact.paragraph.lang
    name = str(fact.value)
    if FOREIGN_WORDS[lang].search(name):
        return []  # "AIMS" on a French sheet: spelling out English is no fact to learn
    if contains_words(b.sheet.title, name):
        return []  # "HGP" on "The Human Genome Project": the sheet's subject, given away
    tags = ["acronym", "institution"]
    once = b.uses(fact.text) < 2
    # Asked in its sentence, or at least on its sheet: "CDC", "COR" alone could stand
    # for anything (Caisse des dépôts, Conseil d'orientation des retraites).
    quoted = acronym_in_sentence(b, fact)
    if quoted is not None:
        prompt = TEXT[lang]["acronym_means_in"].format(acronym=fact.text, s=quoted)
    elif once:
        return []  # defined and never used again: not worth asking out of its sentence
    else:
        prompt = TEXT[lang]["acronym_means_on"].format(acronym=fact.text, title=b.sheet.title)
    accepted = name_forms(Fact("institution", name, fact.span, fact.evidence, fact.paragraph))
    drafts = [Draft("short", prompt, name, fact, "acronym-means", [], accepted, tags)]
    if not once and fact.data.get("category") != "term" and not spelled_by(fact.text, name):
        of_name = with_article(name, fact.data, lang, "de" if lang == "fr" else "of")
        asked = TEXT[lang]["acronym_of"].format(of_name=of_name)
        drafts.append(Draft("short", asked, fact.text, fact, "acronym-of", [], [], tags))
    return drafts


def acronym_in_sentence(b: Builder, fact: Fact) -> str | None:
    """The acronym's sentence with the acronym in place of the name it stands for
    ("…en participant à la Force pour le Kosovo (KFOR), dirigée…" → "…à la KFOR,
    dirigée…"), or None when the sentence does not write "name (acronym)" or an
    elided article would not fit the acronym ("l'SCA")."""
    name = str(fact.value)
    for gap in gaps(b, fact):
        before, after = gap.before.rstrip(), gap.after.lstrip()
        if not (before.endswith("(") and after.startswith(")")):
            continue
        head = before[:-1].rstrip()
        if not head.endswith(name):
            continue
        head = head[: -len(name)]
        vowel = fact.text[:1] in "AEIOUY"
        if ELIDED_BEFORE.search(head) and not vowel:
            continue
        if vowel:  # "le ESOC" → "l'ESOC"
            mark = "’" if "’" in head + after else "'"
            elided = ELIDABLE_BEFORE.search(head)
            head = head[: elided.start()] + elided.group(1)[0] + mark if elided else head
        quoted = readable(head + fact.text + after[1:])
        if crisp(quoted) and not QUOTE_MARKS.search(quoted):
            return quoted
    return None
