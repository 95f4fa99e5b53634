"""Regular expressions and word lists shared by the pipeline's stages.

Kept in one place (as textacy does) so that a rule is read, tested and changed
where all the others are. Patterns run on *matching text*: the paragraph with
typographic apostrophes and exotic spaces folded, same length as the original
(see ``normalize.matching_text``), so a match's offsets are valid on both.
"""

from __future__ import annotations

import re

# --- Months -----------------------------------------------------------------

MONTHS_FR = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
    "janv.": 1, "févr.": 2, "fév.": 2, "avr.": 4, "juil.": 7, "sept.": 9, "oct.": 10,
    "nov.": 11, "déc.": 12,
}  # fmt: skip
MONTHS_EN = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
MONTH_NAMES = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}  # fmt: skip


def _alternation(words: list[str]) -> str:
    """A regex alternation, longest first so that 'sept.' wins over 'sept'."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_FR_MONTH = (
    _alternation([m for m in MONTHS_FR if not m.endswith(".")])
    + "|"
    + _alternation([m for m in MONTHS_FR if m.endswith(".")])
)
# English months, full or abbreviated, with an optional dot ("May." is seen in scraped pages).
_EN_MONTH = r"(?:" + _alternation(list(MONTHS_EN)) + r")\.?"
MONTH = rf"(?:{_FR_MONTH}|{_EN_MONTH})"
DAY = r"(?:1er|1re|[12]\d|3[01]|0?[1-9])"
YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_END = r"(?![\d])"  # scraped text glues words to years ("2015Le"): no \b there

DATE_DMY = re.compile(
    rf"(?<![\d\w])(?P<day>{DAY})\s+(?P<month>{MONTH})\s+(?P<year>{YEAR}){_END}", re.I
)
DATE_MDY = re.compile(
    rf"(?<![\w])(?P<month>{_EN_MONTH})\s+(?P<day>{DAY}),?\s+(?P<year>{YEAR}){_END}", re.I
)
DATE_MY = re.compile(
    rf"(?<![\w])(?P<month>{MONTH})\s+(?:(?:de\s+|of\s+)?)(?P<year>{YEAR}){_END}", re.I
)
SEASONS = {
    "printemps": "spring", "été": "summer", "automne": "autumn", "hiver": "winter",
    "spring": "spring", "summer": "summer", "autumn": "autumn", "fall": "autumn",
    "winter": "winter",
}  # fmt: skip
PERIOD_PARTS = {
    "début": "early", "fin": "late", "mi": "mid", "milieu": "mid", "courant": "during",
    "early": "early", "late": "late", "mid": "mid",
}  # fmt: skip
DATE_QUALIFIED = re.compile(
    rf"(?<![\w])(?P<qual>printemps|été|automne|hiver|début|fin|mi|milieu|courant|"
    rf"spring|summer|autumn|fall|winter|early|late|mid)(?:-|\s+)(?:(?:de\s+l'année|d'|de|of)\s*)?"
    rf"(?P<year>{YEAR}){_END}",
    re.I,
)
DATE_DECADE = re.compile(
    rf"(?<![\w])(?:(?P<qual>début|fin|milieu|early|late|mid)(?:-|\s+)(?:des\s+)?)?"
    rf"(?:années\s+(?P<fr>(?:1[5-9]|20)\d0)|(?:the\s+)?(?P<en>(?:1[5-9]|20)\d0)s){_END}",
    re.I,
)
YEAR_ALONE = re.compile(rf"(?<![\d\w+/.,°#-]){YEAR}(?![\d\w%]|[.,]\d)")
SAME_PERIOD = re.compile(
    r"\b(?:le\s+même\s+(?P<fr_m>mois)|la\s+même\s+(?P<fr_y>année)|"
    r"the\s+same\s+(?P<en>month|year))\b",
    re.I,
)

# --- Things that are never facts (masked before any extraction) -------------

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(r"(?:https?://|www\.)[^\s)\]>]+|\b[\w-]+\.(?:int|org|com|net|eu|fr|gov)\b/?\S*")
HANDLE = re.compile(r"(?<![\w.])@\w{2,}")
PHONE = re.compile(r"(?:\+|\b00)\d{1,3}(?:[\s.-]?\(?\d+\)?){2,}|\b\d{2}(?:[\s.]\d{2}){4}\b")
IDENTIFIER = re.compile(r"\b[A-Z]{1,4}-?\d{1,5}\b|\b(?:n°|no\.|#)\s*\d+", re.I)
CONTACT_WORDS = re.compile(
    r"^(?:t[ée]l(?:[ée]phone)?\.?|fax|e-?mail|courriel|suivez-nous|follow us|contact|"
    r"press(?:e)? (?:office|et médias)|site|website)\b",
    re.I,
)

# --- Page chrome -------------------------------------------------------------

# "more" / "Lire la suite" glued to the next headline by scrapers ("moreNouvelles").
CHROME_PREFIX = re.compile(r"^(?:more|plus|read more|lire la suite|en savoir plus)(?=[A-ZÀ-Ý]|$)")
# Markdown's raw inline HTML: the text inside <script> and <style> is code, not prose.
HIDDEN_TAG_OPEN = re.compile(r"<(?:script|style)\b[^>]*(?<!/)>", re.IGNORECASE)
HIDDEN_TAG_CLOSE = re.compile(r"</(?:script|style)\s*>", re.IGNORECASE)

CHROME_LINE = re.compile(
    r"^(?:more|plus|read more|lire la suite|en savoir plus|retour en haut|back to top|"
    r"partager|share|imprimer|print|accueil|home|menu|nouvelles|news|actualités)\W*$",
    re.I,
)
# A news date glued to the start of a scraped line ("29 Sep. 2015Le secrétaire...").
GLUED_DATE = re.compile(rf"^{DAY}\s+{MONTH}\s+{YEAR}(?=[A-ZÀ-Ý])", re.I)

# --- Numbers -----------------------------------------------------------------

NUMBER_WORDS = {
    "fr": {
        "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
        "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
        "quinze": 15, "seize": 16, "vingt": 20, "trente": 30, "quarante": 40,
        "cinquante": 50, "soixante": 60, "cent": 100, "mille": 1000,
    },
    "en": {
        "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
        "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
    },
}  # fmt: skip
SCALES = {
    "million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9, "billion": 1e9,
    "billions": 1e9, "thousand": 1e3, "trillion": 1e12,
}  # fmt: skip
_DIGITS = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_WORDS = _alternation(sorted({w for ws in NUMBER_WORDS.values() for w in ws}))
NUMBER = re.compile(
    rf"(?<![\w.,/+-])(?P<num>{_DIGITS}|(?:{_WORDS}))(?!\w)"
    rf"(?:\s+(?P<scale>{_alternation(list(SCALES))}))?"
    rf"(?:\s+(?:de\s+|d'|of\s+))?"
    rf"(?P<unit>\s*%|\s*(?:square|cubic|carrés?|cubes?)\s+[^\W\d_][\w-]*|\s*[^\W\d_][\w-]*)?",
    re.I,
)
# Words after a number that are not what it counts.
NOT_UNITS = {
    "de", "des", "du", "d", "à", "a", "au", "et", "ou", "en", "le", "la", "les", "l", "un",
    "une", "par", "pour", "sur", "dans", "the", "of", "and", "or", "to", "in", "on", "by",
    "for", "an", "at", "ème", "e", "er", "re", "plus", "more", "than", "que",
}  # fmt: skip

# --- Institutions, treaties ---------------------------------------------------

ACRONYM = re.compile(r"\((?P<acr>[A-Z][A-Z0-9&]{1,9}(?:-[A-Z0-9]+)?)\)")
ACRONYM_TOKEN = re.compile(r"^[A-Z][A-Z0-9&]{1,9}$")
INSTITUTION_HEADS = {
    # French: capitalised or not, these nouns open the name of an institution.
    "conseil", "organisation", "union", "partenariat", "acte", "document", "traité", "force",
    "forces", "comité", "agence", "commission", "parlement", "assemblée", "cour", "fonds",
    "banque", "programme", "mission", "accord", "accords", "convention", "charte",
    "déclaration", "ministère", "office", "institut", "centre", "conférence", "groupe",
    "protocole", "pacte", "alliance", "observatoire", "station", "tribunal", "secrétariat",
    "sommet", "fondation", "université", "parti", "division", "direction", "bureau",
    "initiative", "stratégie", "plan", "mécanisme", "système", "réseau", "laboratoire",
    # English
    "council", "organization", "partnership", "act", "treaty", "committee",
    "agency", "parliament", "assembly", "court", "fund", "bank", "program", "agreement",
    "charter", "declaration", "ministry", "institute", "center", "conference", "group",
    "protocol", "pact", "summit", "foundation", "university", "party", "system", "network",
    "administration", "department", "service", "authority", "secretariat", "observatory",
    "laboratory", "survey", "expedition", "year",
}  # fmt: skip
# Grammatical gender of the French heads (the tagger often leaves it out).
FEMININE_HEADS = {
    "organisation", "union", "force", "forces", "agence", "commission", "assemblée", "cour",
    "banque", "mission", "convention", "charte", "déclaration", "conférence", "alliance",
    "station", "fondation", "université", "division", "direction", "initiative", "stratégie",
}  # fmt: skip
# Endings of French adjectives, for words the small tagger mislabels ("alpine" as a verb).
ADJECTIVE_ENDING = re.compile(
    r"(?:ique|iques|al|ale|ales|aux|el|elle|els|elles|aire|aires|ien|ienne|iens|iennes|"
    r"éen|éenne|éens|éennes|"
    r"ais|aise|aises|ain|aine|aines|ine|ines|ois|oise|oises|if|ive|ifs|ives|ent|ente|ents|entes|"
    r"eur|eure|eurs|eures)$"
)
TREATY_HEADS = {
    "traité", "accord", "accords", "convention", "acte", "document", "protocole", "pacte",
    "charte", "déclaration", "treaty", "agreement", "agreements", "act", "protocol", "pact",
    "charter", "declaration",
}  # fmt: skip
# Lower-case heads only open a name when something proper follows (a capital,
# a quotation, an acronym): "un traité juridiquement contraignant" is no name.
NAME_LINKS = {
    "de", "du", "des", "d'", "pour", "sur", "en", "à", "au", "aux", "la", "le", "les", "l'",
    "contre", "of", "for", "on", "the", "and", "in", "to", "et", "un", "une", "a", "an",
    "portant", "relatif", "relative", "relatifs", "relatives", "concernant", "entre",
    "regarding", "between", "against",
}  # fmt: skip

TREATY_ACTIONS: dict[str, re.Pattern[str]] = {
    # Order matters: the first action that matches a verb wins.
    "revoked_ratification": re.compile(
        r"\b(?:révoqu\w*|retir\w*|revok\w*|withdr\w*)\s+(?:sa|la|its|their|the)\s+ratification",
        re.I,
    ),
    "stopped_respecting": re.compile(
        r"\bne\s+(?:le\s+|la\s+|les\s+)?respect\w*\s+plus\b|\bne\s+plus\s+respecter\b|"
        r"\bcess\w+\s+de\s+respecter\b|\bno\s+longer\s+(?:compl\w+|respect\w*|abid\w+)|"
        r"\bstopp\w+\s+(?:complying|respecting)",
        re.I,
    ),
    "entered_into_force": re.compile(
        r"\b(?:entr\w+|est entré\w*)\s+en\s+vigueur|\b(?:entered|enter|enters|came|come|comes)"
        r"\s+into\s+force",
        re.I,
    ),
    "withdrew": re.compile(
        r"\bse\s+retir\w*|\bs'est\s+retir\w*|\bretrait\b|\bwithdr(?:ew|aw|awn|awal|aws)\b", re.I
    ),
    "suspended": re.compile(r"\bsuspen\w+", re.I),
    "violated": re.compile(
        r"\bviol(?:e|é|ée|és|ées|er|ent|ait|aient|ation|ations|ated?|ates|ating)\b", re.I
    ),
    "ratified": re.compile(r"\bratifi\w*|\bratif(?:y|ies|ied)\b", re.I),
    "signed": re.compile(r"\bsign(?:é|ée|és|ées|er|e|ent|ait|ature|ed|s|ing)\b", re.I),
}

# --- Language ------------------------------------------------------------------

FRENCH_MARKERS = re.compile(
    r"\b(?:le|la|les|des|du|une|est|et|dans|pour|avec|qui|que|sur|au|aux|ses|ont|été|"
    r"cette|ce|sont|par|pas|l'|d'|qu')\b|[éèêàùç]",
    re.I,
)
ENGLISH_MARKERS = re.compile(
    r"\b(?:the|and|of|to|in|is|are|was|were|with|for|that|which|has|have|by|its|their|"
    r"this|from|on|be|would|not)\b",
    re.I,
)

# --- Sentences that are not statements of fact ----------------------------------

TERMINAL = re.compile(r"[.!?;:…»\"')\]]\s*$")
TITLE_STOP = re.compile(r"[.!?]\s*$")
