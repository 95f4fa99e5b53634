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

# Lines that are only navigation. News headings ("Nouvelles") are kept as captions:
# they tell the paragraph stage that teasers follow (NEWS_HEADING below).
CHROME_LINE = re.compile(
    r"^(?:more|plus|read more|lire la suite|en savoir plus|retour en haut|back to top|"
    r"partager|share|imprimer|print|accueil|home|menu)\W*$",
    re.I,
)
# A news item's dateline: a date opening a block and running straight into its text,
# glued by a scraper ("29 Sep. 2015Le secrétaire...") or with a bare space ("12 juil.
# 2023 La commission..."). Prose puts a comma or a colon there, or writes "Le 12...".
DATELINE = re.compile(rf"^\s*(?:{DAY}\s+)?{MONTH}\s+{YEAR}\s*(?=[A-ZÀ-Ý])", re.I)
# A heading or caption that opens a list of news teasers: everything under it, up to
# the next heading, is page furniture, not the sheet's text.
NEWS_HEADING = re.compile(
    r"^(?:nouvelles|actualités|actualité|dernières nouvelles|à la une|à lire aussi|"
    r"lire aussi|voir aussi|sur le même sujet|dans la même rubrique|articles liés|"
    r"communiqués(?: de presse)?|news|latest news|related(?: news| articles| stories)?|"
    r"see also|read also|in the news|press releases|more news|top stories)\W*$",
    re.I,
)

# --- Numbers -----------------------------------------------------------------

NUMBER_WORDS = {
    "fr": {
        "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
        "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
        "quinze": 15, "seize": 16, "vingt": 20, "trente": 30, "quarante": 40,
        "cinquante": 50, "soixante": 60, "cent": 100, "mille": 1000, "dix-sept": 17,
        "dix-huit": 18, "dix-neuf": 19, "soixante-dix": 70, "quatre-vingts": 80,
        "quatre-vingt-dix": 90,
    },
    "en": {
        "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
        "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
        "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90, "hundred": 100,
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

ACRONYM = re.compile(r"\((?P<acr>[A-Z][A-Z0-9&]{1,9}(?:-[A-Z0-9]+)?s?)\)")  # "(CFCs)" too
ACRONYM_TOKEN = re.compile(r"^[A-Z][A-Z0-9&]{1,9}$")
# Nouns of a trade or rank that introduce a person's full name ("l'architecte Stephen
# Sauvestre"), where a noun before a name otherwise names a craft ("la sonde Huygens").
PERSON_TRADES = {
    "architecte", "ingénieur", "ingénieure", "médecin", "écrivain", "écrivaine", "compositeur",
    "compositrice", "dramaturge", "chimiste", "physicien", "physicienne", "savant",
    "chercheur", "chercheuse", "biologiste", "microbiologiste", "épidémiologiste", "peintre",
    "sculpteur", "poète", "romancier", "romancière", "philosophe", "astronaute", "explorateur",
    "navigateur", "général", "amiral", "roi", "reine", "pape", "journaliste", "diplomate",
    "industriel", "mathématicien", "astronome", "cycliste", "coureur", "champion", "championne",
    "économiste", "banquier", "architectes", "ingénieurs",
}  # fmt: skip
INSTITUTION_HEADS = {
    # French: capitalised or not, these nouns open the name of an institution.
    "conseil", "organisation", "union", "partenariat", "acte", "document", "traité", "force",
    "forces", "comité", "agence", "commission", "parlement", "assemblée", "cour", "fonds",
    "banque", "programme", "mission", "accord", "accords", "convention", "charte",
    "déclaration", "ministère", "office", "institut", "centre", "conférence", "groupe",
    "protocole", "pacte", "alliance", "observatoire", "station", "tribunal", "secrétariat",
    "sommet", "fondation", "université", "parti", "division", "direction", "bureau",
    "initiative", "stratégie", "plan", "mécanisme", "système", "réseau", "laboratoire",
    "société", "entreprise", "compagnie", "groupement", "consortium", "amendement",
    "constitution",
    # English
    "council", "organization", "partnership", "act", "treaty", "committee",
    "agency", "parliament", "assembly", "court", "fund", "bank", "program", "agreement",
    "charter", "declaration", "ministry", "institute", "center", "conference", "group",
    "protocol", "pact", "summit", "foundation", "university", "party", "system", "network",
    "administration", "department", "service", "authority", "secretariat", "observatory",
    "laboratory", "survey", "expedition", "year", "amendment",
}  # fmt: skip
# Grammatical gender of the French heads (the tagger often leaves it out).
FEMININE_HEADS = {
    "organisation", "union", "force", "forces", "agence", "commission", "assemblée", "cour",
    "banque", "mission", "convention", "charte", "déclaration", "conférence", "alliance",
    "station", "fondation", "université", "division", "direction", "initiative", "stratégie",
    "constitution",
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
    "charte", "déclaration", "amendement", "constitution", "treaty", "agreement",
    "agreements", "act", "protocol", "pact", "charter", "declaration", "amendment",
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
    "ratified": re.compile(
        r"\bratifi(?:é|ée|és|ées|er|e|ent|ait|aient|ons|ez)\b|\bratif(?:y|ies|ied|ying)\b", re.I
    ),
    "signed": re.compile(r"\bsign(?:é|ée|és|ées|er|e|ent|ait|ature|ed|s|ing)\b", re.I),
    "proposed": re.compile(
        r"\bpropos(?:é|ée|és|ées|er|e|ent|ait|aient|ition|ed|es|ing|al)\b", re.I
    ),
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

# --- Sentences that lean on the one before, or cannot be quoted at all ------------

# Openers a sentence reads well without ("Par ailleurs, en 1998, ..." → "En 1998, ...").
# "Le même mois," dates a list item by the one before: without it, the item still
# says what happened, and nothing in it depends on another paragraph.
LOOSE_OPENER = re.compile(
    r"^(?:par ailleurs|en outre|de plus|néanmoins|cependant|toutefois|d'ailleurs|en effet|"
    r"de son côté|de leur côté|pour sa part|pour leur part|for (?:its|their) part|"
    r"(?:le|la) même (?:mois|année|jour|semaine)|however|moreover|furthermore|in addition|"
    r"nevertheless|indeed|the same (?:year|month|day|week))\s*,\s*",
    re.I,
)
# Openers that point back: the sentence means little without the one before.
LEANING_OPENER = re.compile(
    r"^(?:(?:il|elle|ils|elles)\b(?!\s+(?:y a|faut|existe)\b)|(?:son|sa|ses|leur|leurs|"
    r"celui-ci|celle-ci|ceux-ci|celles-ci|cela|ceci|ça|y|ce dernier|cette dernière|"
    r"ces derniers|ces dernières|de son côté|de leur côté|pour sa part|pour leur part|"
    r"malgré cela|malgré ceci|malgré tout|dans ce cadre|dans ce contexte|à cet égard|"
    r"à cette occasion|à ce titre|à cette fin|en réponse(?!\s+(?:à|au|aux)\b)|"
    r"par conséquent|c'est pourquoi|"
    r"c'est ainsi|depuis lors|dès lors|par la suite|ensuite|puis|ainsi|à l'époque|"
    r"it|its|they|their|them|he|his|she|her|this|these|that|those|such|both|the two|"
    r"the latter|the former|in response(?!\s+to\b)|as a result|despite this|meanwhile|then|"
    r"later|"
    r"afterwards|in turn|at the same time|since then|likewise|similarly|nor|neither)\b)",
    re.I,
)
# Anywhere in a sentence: a demonstrative, "à nouveau", "the same year"... The
# demonstrative "ces dix dernières années" dates from the page and is left alone.
LEANING_WORDS = {
    "fr": re.compile(
        r"\b(?:ce|cet|cette|ces)\s+(?!(?:\w+\s+)?derni)(?!qu|qui\b|dont\b)[a-zà-ÿ]|"
        r"\b(?:celui|celle|ceux|celles)-(?:ci|là)\b|\b(?:à|de) nouveau\b|"
        r"\bune nouvelle fois\b|\b(?:ledit|ladite|lesdits|lesdites)\b|"
        r"\b(?:le|la|les|l')\s*(?:dernier|dernière|derniers|dernières|premier|première|"
        r"premiers|premières|second|seconde|autre|autres)(?=\s*(?:[,.;:?!]|en\b|à\b|au\b|"
        r"de\b|du\b|des\b|par\b|pour\b|dans\b|$))|"
        r"\b(?:le|la) même (?:mois|année|jour|semaine)\b|"
        r"\b(?:l'|l’)(?:année|an) (?:suivante?|précédente?|d'après|d'avant)\b|"
        r"\b(?:le|la) (?:mois|semaine|jour|siècle|décennie) (?:suivante?|précédente?)\b|"
        r"\b(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|"
        r"décembre) (?:suivant|précédent)\b|"  # "Le 20 juin suivant": of which year?
        r"\bplus tard\b|\bauparavant\b|\bfait de même\b|\ben (?:a|ont) fait autant\b|"
        r"\bensuite\b|\b(?:lui|elle|eux|elles) aussi\b|"
        r"\b(?:lui|leur)\s+(?:a\s+|ont\s+)?succéd\w*|\b(?:le|la|les|l['’])\s*(?:a\s+|ont\s+)?remplac\w*|"
        r"\bles (?:signataires|participants|intéressés)\b(?!\s+(?:de|du|des|d['’])\b)|"
        r"\b(?:toutefois|cependant|pourtant|néanmoins|en revanche|par contre)\b|"
        r"\bà (?:son|leur) tour\b|"  # « l'adopta à son tour »: after whom?
        r"\bc['’]est (?:là|ici|alors) qu|"  # « C'est là qu'a lieu… »: where?
        r"\b(?:qui|ne|on)\s+l['’](?-i:[a-zéèêà]\w+)|"  # « la filiale qui l'exploite »: what?
        # « Les premières remontent… »: the first what?
        r"^les (?:premi|derni)(?:er|ère)s (?-i:[a-zà-ÿ]+(?:ent|ont))\b|"
        r"\bl['’](?:a|ont|avait|avaient|auront|aurait|auraient|eut|eurent)\b|"  # "l'a inscrite"
        r"(?<!il )(?<!il n')(?<!il n’)(?-i:\by\b)(?!-|\s+avoir\b)",  # "y a été arrimé": where?
        re.I,
    ),
    "en": re.compile(
        r"\b(?:this|these|those)\s+(?:[a-z]+\s+)?(?:treaty|agreement|convention|protocol|"
        r"country|countries|organi[sz]ation|decision|figure|number|agency|body|"
        r"program(?:me)?|project|period|event|plan|law|site|year|month|day)\b|"
        r"\bboth (?:countries|parties|sides|states|nations)\b|\bthe two (?:countries|"
        r"parties|sides|states|nations)\b|\bthe (?:latter|former)\b|\bagain\b|"
        r"\bonce more\b|\bthe same (?:year|month|day|week)\b|"
        r"\bthe (?:following|next|previous|preceding) (?:year|month|week|day|decade)\b|"
        r"\b(?:years?|months?|weeks?|days?) later\b|\bearlier\b|\bsubsequently\b|"
        r"\bafterwards\b|\b(?:succeed(?:ed|s)?|replac(?:ed|es?)) (?:him|her|them)\b|"
        r"\b(?:do|does|did|done|doing) (?:so|the same|likewise)\b|"
        r"\bthe (?:signatories|participants)\b(?!\s+(?:of|to)\b)|"
        r"\b(?:however|nevertheless|nonetheless)\b|\b(?:in|by) contrast\b|"
        r"\bin (?:its|their|his|her) turn\b|\bin turn\b|"  # "adopted it in turn": after whom?
        r"\bit (?:was|is) there\b|^there,? (?!(?:is|are|was|were|have|has|had)\b)|"  # where?
        r"^(?:construction|work|works|restoration|excavations?|building)\s+(?:began|started|"
        r"ended|finished|resumed|continued|lasted|took)\b",  # "Construction began": of what?
        re.I,
    ),
}
# What says which work a generic noun means: a name, maybe after a complement and an
# adjective ("l'ouvrage de Virlogeux", "le projet ferroviaire du groupement France-
# Manche"), or an indefinite complement ("le projet d'un tunnel pour diligences").
SPECIFIED_BY_NAME = (
    r"(?:\s+(?-i:[a-zà-ÿ]+)(?=\s+(?:de|du|des|d['’]|of)\b))?"
    r"(?:\s+(?:(?:de|du|des|d['’]|of)\s*(?:(?:la|l['’]|the)\s*)?(?:(?-i:[a-zà-ÿ]+)\s+){0,2})?"
    r"(?-i:[A-ZÀ-Ý])|\s+(?:d['’]|de\s+|of\s+)(?:une?|an?)\b)"
)
# A sentence opening on one of these nouns with no name to say which ("L'ouvrage est
# inauguré…", "Le chantier commence…", "An expansion opened…") leans on the one before.
UNNAMED_SUBJECT = re.compile(
    r"^(?:le|la|les|l['’]|un|une|the|an?)\s*(?-i:(?:premier|première|first|new|nouvel|nouveau|"
    r"nouvelle)?\s*(?:ouvrage|chantier|projet|travaux|édifice|monument|bâtiment|structure|"
    r"construction|site|pont|tunnel|canal|traité|convention|accord|texte|document|"
    r"organisation|agence|institution|programme|mission|réseau|extension|agrandissement|"
    r"expansion|extension|project|work|works|building|bridge|treaty|agreement|convention|"
    r"organi[sz]ation|agency|institution|programme|program|mission|network|facility|"
    r"system|plan|amendment|amendement|protocol|protocole|instrument|œuvre|oeuvre|ville|"
    r"cité|city|town|tour|tower|phare|lighthouse|île|island|entreprise|company|usine|"
    r"factory|fabrique|statue|église|church|cathédrale|cathedral|château|castle|palais|"
    r"palace|temple|musée|museum|périmètre|perimeter|zone|secteur|area|bien|classement|"
    r"inscription|listing)s?)(?![-\w])"
    rf"(?!{SPECIFIED_BY_NAME})",
    re.I,
)
# Anywhere in a sentence, nouns that stand for a work named elsewhere ("franchi
# l'ouvrage conçu par…", "took over the project").
UNNAMED_WORK = re.compile(
    r"\b(?:l['’]|le|la|the)\s*(?-i:ouvrage|chantier|projet|édifice|project|structure|works|"
    r"œuvre|oeuvre|ville|city|town)\b"
    rf"(?!{SPECIFIED_BY_NAME})",
    re.I,
)
# "La ligne 1 a elle aussi été automatisée": an aside comparing with what came before,
# which the sentence reads well without ("a été automatisée").
COMPARING_ASIDE = re.compile(r"\s+(?:lui|elle|eux|elles)\s+aussi\s+(?=\w)", re.I)
# "24 juin 2024 : la ligne 14 est prolongée…": an entry of a chronology, which no
# sentence of another paragraph leans on.
CHRONOLOGY_ENTRY = re.compile(r"^[^:.;]{0,30}\b\d{3,4}\s*:")
# Pronouns that need an antecedent; one standing before any name points outside.
PRONOUN = {
    "fr": re.compile(r"\b(?:il|elle|ils|elles|son|sa|ses|leur|leurs)\b(?!\s+(?:y a|faut))", re.I),
    "en": re.compile(r"\b(?:it|its|they|their|them|he|his|she|her)\b", re.I),
}
# What a pronoun further on may refer to: a name (a capital past the first word), a noun
# after a determiner, a plural noun.
ANTECEDENT = re.compile(
    r"(?<=\s)(?-i:[A-ZÀ-Ý])\w+|\b(?:(?:le|la|les|un|une|des|du|au|aux|the|a|an)\s+|l['’]\s*)"
    r"\w{3,}|"  # ("Après" is no "a" + noun)
    r"\b(?!(?:après|dans|sous|sans|puis|alors|depuis|moins|plus|très|lors|tous|toutes|vers|"
    r"hors|mais|jamais|toujours|parfois|this|his|its|was|has|thus|always|perhaps|whereas|"
    r"towards|afterwards|besides|less|unless|across|various)\b)\w{3,}s\b",
    re.I,
)
# The subject of the main clause as a pronoun, after a fronted phrase ("Long de 50
# kilomètres, il possède...", "In 1991, it was..."): it refers to what came before.
FRONTED_PRONOUN = re.compile(
    r"^(?:[^,;:]{1,90},\s*){1,4}(?:il|elle|ils|elles|it|they|he|she)\b", re.I
)
# A speaker in the first person, outside quotation marks: a quote with no speaker.
FIRST_PERSON = {
    # Lower case or capitalised only: "MES" is an acronym, not "mes".
    "fr": re.compile(r"\b(?:[Jj]e|[Jj]'|[Nn]ous|[Mm]oi|[Mm]on|[Mm]a|[Mm]es|[Nn]otre|[Nn]os)\b"),
    "en": re.compile(r"\b(?:we|our|us|my|me)\b|\bI\s+(?:am|was|have|had|will|would|[a-z]+ed)\b"),
}
# Someone's words introduced by who said them ("Petteri Taalas … said: « … »"): an
# opinion and its speaker, no fact to learn.
SPEAKER = re.compile(
    r"\b(?:said|says|declared|stated|(?:a|ont|aurait) (?:déclaré|affirmé|dit|confié))\s*:"
    r"\s*[«“\"]"
)
QUOTED = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"]*\"")
# An enumeration after a colon, items separated by semicolons.
ENUMERATION = re.compile(r":\s+(?=[^;]+;[^;]+)")
# Where a long sentence may end early: before a clause of its own.
CLAUSE_BREAK = re.compile(r"\s*;\s+|,\s+(?:mais|but|whereas|while)\s+")

# --- Gender and number of French place names (folded: no accents, lower case) ------

# Place names ending in -e that are masculine ("le Mexique").
MASCULINE_PLACES_IN_E = {
    "mexique", "cambodge", "mozambique", "zimbabwe", "belize", "suriname", "zaire",
    "peloponnese", "caucase", "maine", "tibesti",
}  # fmt: skip
# Place names that are plural ("les États-Unis", "aux Pays-Bas").
PLURAL_PLACES = {
    "etats-unis", "pays-bas", "emirats", "philippines", "comores", "maldives", "seychelles",
    "bahamas", "balkans", "alpes", "pyrenees", "antilles", "caraibes", "andes", "vosges",
    "ardennes", "fidji", "iles", "tuvalu", "samoa", "marshall", "salomon",
}  # fmt: skip

# --- Fine kinds: what a name names, so that distractors name the same kind of thing -

# Head nouns (folded) of institutions, by kind: a council is offered with councils.
INSTITUTION_KINDS = {
    "body": {
        "conseil", "comite", "commission", "assemblee", "parlement", "senat", "congres",
        "council", "committee", "assembly", "parliament", "senate", "congress", "board",
        "gouvernement", "government", "cabinet",
    },
    "court": {"cour", "tribunal", "court", "tribunale"},
    "force": {"force", "forces", "armee", "army", "troupes", "brigade", "flotte", "fleet"},
    "event": {
        "sommet", "conference", "summit", "year", "exposition", "jeux", "games", "coupe",
        "cup", "championnat", "championship", "festival", "salon", "expo", "olympiade",
    },
    "programme": {
        "programme", "program", "partenariat", "partnership", "plan", "initiative",
        "strategie", "strategy", "mecanisme", "mechanism", "systeme", "system", "projet",
        "project", "mission", "expedition", "campagne", "campaign", "operation",
    },
    "facility": {
        "station", "base", "observatoire", "observatory", "laboratoire", "laboratory",
        "port", "aeroport", "airport", "usine", "plant", "centrale", "telescope",
        "satellite", "sonde", "probe", "fusee", "rocket", "lanceur", "navette", "shuttle",
    },
    "party": {"parti", "party"},
    "company": {
        "societe", "groupe", "compagnie", "entreprise", "company", "corporation", "group",
        "consortium", "groupement", "firme", "firm", "holding",
    },
    "ministry": {"ministere", "ministry", "department", "departement"},
    # Learned bodies and schools: "the Institut d'Égypte, the learned body founded by
    # Bonaparte" is offered academies and universities, never a space agency.
    "learned": {
        "institut", "institute", "academie", "academy", "universite", "university", "ecole",
        "school", "college", "society", "faculte", "faculty", "sorbonne",
    },
    "foundation": {"fondation", "foundation", "fund", "fonds", "trust"},
    "agency": {"agence", "agency", "office", "administration", "bureau", "service"},
    "press": {"journal", "newspaper", "revue", "review", "magazine", "gazette", "quotidien"},
}
# Place names by their first word (folded).
BUILDING_HEADS = {
    "palais", "chateau", "musee", "tour", "pont", "gare", "cathedrale", "eglise",
    "basilique", "hotel", "siege", "batiment", "palace", "castle", "museum", "tower",
    "bridge", "cathedral", "church", "building", "hall", "abbaye", "abbey", "stade",
    "stadium", "theatre", "opera", "arc", "viaduc", "viaduct", "tunnel", "canal",
}  # fmt: skip
# What a sheet about one built work calls it without its name ("l'ouvrage", "the
# structure"), with the noun's gender: it stands for the work only where the title's
# gender agrees ("L'ouvrage est inauguré" is not "La tour Eiffel est inauguré").
WORK_NOUNS = {
    "fr": {
        "ouvrage": "m", "édifice": "m", "monument": "m", "bâtiment": "m", "structure": "f",
        "œuvre": "f", "oeuvre": "f",
    },
    "en": {"structure": "", "building": "", "monument": "", "landmark": "", "artwork": ""},
}
# Its building works, which take the work as their complement ("le chantier du viaduc").
WORKS_NOUNS = {"fr": ("chantier", "travaux"), "en": ("construction",)}
# Heads of titles that name a built work, beyond BUILDING_HEADS (folded).
WORK_HEADS = {
    "barrage", "dam", "aqueduc", "aqueduct", "phare", "lighthouse", "statue", "metro",
    "subway", "monument", "ligne", "railway", "mur", "wall", "port", "aeroport", "airport",
    # works of art, which a sheet calls "l'œuvre" or "the artwork"
    "tapisserie", "tapestry", "broderie", "embroidery", "tableau", "painting", "fresque",
    "fresco", "sculpture", "manuscrit", "manuscript", "mosaique", "mosaic", "vitrail",
    "retable", "altarpiece",
}  # fmt: skip
FEATURE_HEADS = {
    "mer", "ocean", "lac", "fleuve", "riviere", "mont", "montagne", "golfe", "detroit",
    "ile", "iles", "cap", "baie", "sea", "lake", "river", "mount", "mountain", "gulf",
    "strait", "island", "islands", "cape", "bay", "desert", "glacier", "peninsule",
    "peninsula", "plateau", "vallee", "valley", "massif", "chaine", "range", "pole",
    "arctique", "antarctique", "arctic", "antarctica", "alpes", "andes", "himalaya",
}  # fmt: skip
CELESTIAL = {
    "terre", "lune", "soleil", "mars", "venus", "mercure", "jupiter", "saturne", "uranus",
    "neptune", "pluton", "earth", "moon", "sun", "mercury", "saturn", "pluto", "titan",
    "europe-lune", "ceres", "comete", "comet", "asteroide", "asteroid",
}  # fmt: skip
CONTINENTS = {
    "europe", "afrique", "asie", "amerique", "oceanie", "antarctique", "africa", "asia",
    "america", "oceania", "antarctica", "amerique du nord", "amerique du sud",
    "north america", "south america", "amerique latine", "latin america",
}  # fmt: skip
# States that no longer exist, which the locale data behind country names leaves out.
FORMER_STATES = {
    "union sovietique", "urss", "yougoslavie", "tchecoslovaquie", "rda", "rfa",
    "empire ottoman", "soviet union", "ussr", "yugoslavia", "czechoslovakia",
    "east germany", "west germany", "ottoman empire", "prusse", "prussia",
    "republique democratique allemande", "republique federale d'allemagne",
}  # fmt: skip
# Well-known states whose names may stand in as distractors for a country (ISO codes).
COMMON_COUNTRIES = (
    "FR DE IT ES PT GB IE BE NL LU CH AT PL CZ SK HU RO BG GR SE NO FI DK IS EE LV LT UA BY "
    "MD RU GE AM AZ TR CY MT HR SI RS BA ME MK AL XK US CA MX BR AR CL CO PE VE CU CN JP KR "
    "KP IN PK AF IR IQ SY LB IL JO SA EG LY TN DZ MA NG ZA KE ET AU NZ ID VN TH PH KZ"
).split()
# Where the time zones' continents join what a learner tells apart: America's south
# from its north (Chile and Brazil, not Canada), Western Asia from the rest of Asia.
SUBCONTINENTS = {
    "South America": set("AR BO BR CL CO EC FK GF GY PE PY SR UY VE".split()),
    "Western Asia": set("AE AM AZ BH CY GE IL IQ IR JO KW LB OM PS QA SA SY TR YE".split()),
}

# Counted nouns that make a number trivia, not a fact ("s'est réuni à onze reprises").
TRIVIAL_UNITS = {"reprises", "reprise", "fois", "times", "occasions", "occasion"}
# Durations: even a small one is worth knowing ("tous les deux ans").
TIME_UNITS = {
    "ans", "an", "annees", "annee", "mois", "semaines", "jours", "siecles", "heures",
    "minutes", "years", "year", "months", "weeks", "days", "centuries", "hours",
}  # fmt: skip

# Wording that tells where an event stands among others: no order question shows it.
ORDER_GIVEAWAYS = {
    "fr": re.compile(
        r"\b\d+\s*(?:e|er|re|ème|eme|nd|nde)\b|\b(?:premi[eè]re?s?|deuxième|troisième|"
        r"quatrième|cinquième|second|seconde|derni[eè]re?s?|après|avant|suite|lendemain|puis|"
        r"ensuite|nouveau|nouvelle fois|encore|désormais|déjà|remplac\w*|success\w*|"
        r"précédent\w*|suivant\w*|auparavant|plus tard|dès lors|depuis|jusqu)\b",
        re.I,
    ),
    "en": re.compile(
        r"\b\d+(?:st|nd|rd|th)\b|\b(?:first|second|third|fourth|fifth|last|latest|final|"
        r"after|before|following|then|later|again|already|replac\w*|success\w*|previous\w*|"
        r"subsequent\w*|since|until|earlier|once more)\b",
        re.I,
    ),
}

# A city and the country it lies in: "à Genève, en Suisse", "in Hobart, Australia".
CITY_IN_COUNTRY = re.compile(
    r"\b(?:à|in|at|dans\s+(?:le|la|les|l')\s*)\s*"
    r"(?P<city>[A-ZÀ-Ý][\w'’-]+(?:[ -][A-ZÀ-Ý][\w'’-]+)*)\s*,\s*"
    r"(?:(?:dans|in)\s+(?:le|la|les|l'|the)?\s*[^,.;]+,\s*)?(?:en\s+|au\s+|aux\s+)?"
    r"(?P<country>[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+)*)"
)
# After a blank: ", en France", ", dans le Pas-de-Calais, en France", ", Australia".
COUNTRY_AFTER = re.compile(
    r"^\s*,\s*(?:(?:dans|in)\s+(?:le|la|les|l'|the)?\s*[^,.;]+,\s*)?(?:en\s+|au\s+|aux\s+)?"
    r"(?P<country>[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+)*)"
)
# Nations within a state, which the locale data names only as the state.
COUNTRY_PARTS = {
    "angleterre": "GB", "england": "GB", "ecosse": "GB", "scotland": "GB",
    "pays de galles": "GB", "wales": "GB", "irlande du nord": "GB", "northern ireland": "GB",
    "grande-bretagne": "GB", "great britain": "GB", "britain": "GB",
}  # fmt: skip
# Acronyms everyone knows: asking what they stand for tests nothing.
COMMON_ACRONYMS = {
    "UE", "EU", "ONU", "UN", "USA", "NASA", "OTAN", "NATO", "URSS", "USSR", "UNESCO", "OMS",
    "WHO", "FMI", "IMF", "CNRS", "SNCF", "PIB", "GDP", "ADN", "DNA", "TGV",
}  # fmt: skip
# Greek and Latin numeral prefixes that carry a count inside a name ("Heptastadion",
# "Pentagone", "octogone"): a blank for that number beside such a name is no question.
NUMERAL_PREFIXES: dict[int, tuple[str, ...]] = {
    4: ("tetra", "quadri"),
    5: ("penta", "quinqu"),
    6: ("hexa",),
    7: ("hepta",),
    8: ("octo", "octa"),
    9: ("ennea", "nona"),
    10: ("deca",),
    12: ("dodeca",),
    100: ("hecto",),
}
# An acronym in brackets right after a blank ("of the _____ (CEAlex)"): the blank
# would ask to spell out a name the sheet gives in short.
ACRONYM_BESIDE = re.compile(r"^\s*\(\s*[A-Z][\w&.-]*[A-Z][\w&.-]*\s*\)")
# A capitalised word right after a person's blank: the rest of their name.
SURNAME_AFTER = re.compile(r"^[ \t]+(?-i:[A-ZÀ-Ý][a-zà-ÿ])")
# What locates a place right after it ("Corsier, près de Vevey", "Serrières, dans le
# canton de Neuchâtel"): wrong choices elsewhere are ruled out by the clue alone.
LOCATED_AFTER = re.compile(
    r"\s*,\s*(?:près d|non loin d|à proximité d|au bord d|sur les bords d|sur la rive|"
    r"dans le canton|dans la région|dans le département|dans la province|"
    r"near\b|close to\b|on the (?:shores?|banks?|coast) of\b|in the (?:canton|region|"
    r"province|county) of\b)",
    re.I,
)
# A comma after which the main verb comes, maybe after its clitics ("Ralph Steinman,
# mort le 30 septembre 2011, …, l'a pourtant conservé"): no sentence may end there.
VERB_AFTER_COMMA = re.compile(
    r"[,;]\s*(?:(?:l['’]|le\s+|la\s+|les\s+|lui\s+|leur\s+|ne\s+|n['’]|y\s+|en\s+|"
    r"s['’]|se\s+)*)(?:a|ont|est|sont|était|étaient|avait|avaient|fut|furent|sera|seront|"
    r"has|have|had|was|were|is|are)\b",
    re.I,
)
# A term and its gloss after a colon ("Demotic (middle): a cursive script used for…",
# « Hiéroglyphes : l'écriture sacrée »): a caption or a glossary line, not a sentence.
GLOSSARY_ENTRY = re.compile(
    r"^[A-ZÀ-Ý][^\W\d]*(?:[ -][^\W\d]+){0,2}(?:\s*\([^)]{1,30}\))?\s*:\s+"
    r"(?:the|a|an|le|la|les|l['’]|un|une|des)\b"
)
# A number followed by a month, dated or not ("dated 6 November 1455", « Le 10 juillet »):
# the day of a date, which the date questions ask whole; never asked or falsified alone.
MONTH_AFTER = re.compile(
    r"(?:er)?\s+(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|"
    r"novembre|décembre|january|february|march|april|may|june|july|august|september|"
    r"october|november|december)\b",
    re.I,
)
# The sheet speaking of itself ("This sheet outlines…", "Dates are given in the Old Style
# calendar", « Cette fiche présente… »): an editorial note, not a fact of its subject.
META_NOTE = re.compile(
    r"\b(?:this|the present) (?:sheet|fact sheet|page|document|leaflet)\b|"
    r"\bcette (?:fiche|page|brochure)\b|\b(?:dates|figures|names) are given\b|"
    r"\b(?:les )?(?:dates|chiffres) sont (?:donnée|indiqué)s\b",
    re.I,
)
# A title and its dates, and nothing else ("L'Île mystérieuse (1873-1875).", "Le Tour du
# monde en quatre-vingts jours (1872, en volume en 1873)."): a list entry, no statement.
TITLE_WITH_DATES = re.compile(r"^[^.;:!?()]{1,90}\((?:[^()]*\b\d{4}\b[^()]*)\)\s*\.?\s*$")


# A sentence that dates one event from another ("forty-five years to the day after its
# first flight", « trois ans plus tard »): a false date in it contradicts its own words,
# and a count of years in it is a subtraction of two dates the sheet gives.
INTERVAL_STATED = re.compile(
    r"\bto the day\b|\bjour pour jour\b|"
    r"\b[\w-]+\s+(?:years?|months?|days?|weeks?|ans|années|mois|jours|semaines)\s+"
    r"(?:later|after|earlier|before|plus tard|après|auparavant|plus tôt)\b",
    re.I,
)
# A measure given in two units ("about 40 feet (12 metres)", « 14 mètres (46 pieds) »):
# either side blanked is a unit conversion, worked out from the other.
_ABOUT = r"(?:about|around|some|roughly|nearly|almost|over|environ|près de|plus de|c\.|ca\.)"
CONVERTED_BEFORE = re.compile(
    rf"\d[\d\s,.]*\s*[^\W\d]+\.?\s*\(\s*(?:{_ABOUT}\s*)?$", re.I
)
CONVERTED_AFTER = re.compile(
    rf"\s*(?:[^\W\d]+\.?\s*)?\(\s*(?:{_ABOUT}\s*)?\d[\d\s,.]*\s*[^\W\d]", re.I
)
# The words for a country's people and things, by ISO code: "French aviators" or « les
# troupes russes » in a sentence give the country they belong to.
DEMONYMS: dict[str, tuple[str, ...]] = {
    "FR": ("french", "frenchman", "frenchmen", "francais", "francaise", "francaises"),
    "GB": ("british", "english", "britannique", "britanniques", "anglais", "anglaise", "anglaises"),
    "DE": ("german", "germans", "allemand", "allemande", "allemands", "allemandes"),
    "IT": ("italian", "italians", "italien", "italienne", "italiens", "italiennes"),
    "US": ("american", "americans", "americain", "americaine", "americains", "americaines"),
    "ES": ("spanish", "spaniard", "spaniards", "espagnol", "espagnole", "espagnols", "espagnoles"),
    "RU": ("russian", "russians", "russe", "russes"),
    "CH": ("swiss", "suisse", "suisses"),
    "BE": ("belgian", "belgians", "belge", "belges"),
    "NL": ("dutch", "neerlandais", "neerlandaise", "neerlandaises", "hollandais"),
    "JP": ("japanese", "japonais", "japonaise", "japonaises"),
    "CN": ("chinese", "chinois", "chinoise", "chinoises"),
    "EG": ("egyptian", "egyptians", "egyptien", "egyptienne", "egyptiens", "egyptiennes"),
    "IL": ("israeli", "israelis", "israelien", "israelienne", "israeliens", "israeliennes"),
    "CA": ("canadian", "canadians", "canadien", "canadienne", "canadiens", "canadiennes"),
    "AT": ("austrian", "austrians", "autrichien", "autrichienne", "autrichiens", "autrichiennes"),
    "GR": ("greek", "greeks", "grec", "grecque", "grecs", "grecques"),
}  # fmt: skip
# A weekday before a date ("Thursday, 17 December 1903", « le jeudi 17 décembre »): any
# other day would not fall on it.
WEEKDAY_BEFORE = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche),?\s*$",
    re.I,
)
# An enumeration's item opening on a connective (« ; enfin, une passerelle … remplace »,
# "; finally, the …"): its items are clauses of their own, no noun phrases to list.
LIST_CONNECTIVE = re.compile(
    r"(?:enfin|puis|ensuite|et enfin|de plus|finally|then|and finally|lastly)\s*,?\s+", re.I
)
# A title naming an ensemble ("Le Mont-Saint-Michel et sa baie", "Louis Pasteur et la
# rage"): what follows the coordination is no part of the thing a sentence calls by name.
TITLE_ENSEMBLE = re.compile(r"\s+(?:et|and|&)\s+.*$", re.I)
# A place that only says where a named building stands ("St Mark's Monastery in _____",
# « l'église Saint-Pierre à _____ »): an adjunct of the building's name, a side detail.
BUILDING_LOCATED = re.compile(
    r"\b(?:Monastery|Church|Cathedral|Abbey|Museum|Palace|Temple|Mosque|Synagogue|"
    r"Library|University|College|Hospital|Convent|Priory)\s+(?:in|at)\s+$|"
    r"\b(?:monastère|abbaye|église|cathédrale|musée|palais|basilique|couvent|prieuré)"
    r"\s+(?:de\s+|du\s+|des\s+|d['’])?[A-ZÀ-Ý][\w'’-]*(?:[ -][A-ZÀ-Ý][\w'’-]*)*\s+à\s+$"
)
# A name that is a place's or a thing's, though it is a person's: after the noun of what
# was named after them (« aujourd'hui piscine Georges-Vallerey », "the Nobel prize"), or
# quoted whole as a nickname or a title ("'Daiku' ('Number Nine')").
NAMED_AFTER_BEFORE = re.compile(
    r"(?-i:\b(?:piscine|stade|rue|avenue|boulevard|place|lycée|collège|école|gare|station|"
    r"pont|quai|hôpital|salle|parc|square|aéroport|musée|prix|stadium|street|school|"
    r"college|hospital|airport|prize|pool))\s+$"
)
QUOTE_OPENING = re.compile(r"[‘“«\"']\s*$")
QUOTE_CLOSING = re.compile(r"\s*[’”»\"']")
# Events every learner dates: a year blank beside one of them is answered by general
# knowledge ("At Christmas _____, weeks after the fall of the Berlin Wall": 1989).
LANDMARK_EVENTS = [
    (re.compile(r"\b(?:fall of the Berlin Wall|chute du mur de Berlin)\b", re.I), 1989, 1989),
    (re.compile(r"\b(?:First World War|World War I\b|Great War|Première Guerre mondiale|"
                r"Grande Guerre)", re.I), 1914, 1918),
    (re.compile(r"\b(?:Second World War|World War II\b|Seconde Guerre mondiale|"
                r"Deuxième Guerre mondiale)", re.I), 1939, 1945),
    (re.compile(r"\b(?:French Revolution|Révolution française|prise de la Bastille|"
                r"storming of the Bastille)", re.I), 1789, 1799),
    (re.compile(r"\b(?:September 11 attacks|attentats du 11 septembre|9/11)", re.I), 2001, 2001),
    (re.compile(r"\b(?:D-Day|débarquement de Normandie|débarquement allié|Libération de "
                r"Paris|liberation of Paris)", re.I), 1944, 1944),
    (re.compile(r"\b(?:first moon landing|premiers pas sur la Lune|first steps on the Moon)",
                re.I), 1969, 1969),
]  # fmt: skip
# Countries French names with no article (« à Cuba », « Israël a signé »): « le Cuba » is
# no choice beside « les États-Unis ».
ARTICLELESS_COUNTRIES = {
    "cuba", "israel", "monaco", "singapour", "chypre", "malte", "madagascar", "haiti",
    "bahrein", "oman", "djibouti", "taiwan", "sri lanka", "andorre", "saint-marin",
    "maurice", "brunei", "nauru", "tonga", "samoa", "porto rico", "hong kong", "macao",
    "tuvalu", "kiribati", "palaos", "vanuatu", "sainte-lucie", "la barbade", "grenade",
}  # fmt: skip
# A line of data, not a sentence: "125 · Composed 1822–1824 · First performed in Vienna".
DATA_LINE = re.compile(r"(?:\s[·•|]\s[^·•|]+){2,}")
# Our planet as an answer: "visible to the naked eye from _____" can be nothing else.
HOME_WORLD = {"terre", "la terre", "earth", "the earth"}
# An entry of a timeline, not a sentence: "120 BC — the earliest sighting…", "1705: Halley
# publishes…", « 1896 – Premiers Jeux ».
TIMELINE_ENTRY = re.compile(
    r"^\s*(?:\d{1,4}(?:\s*(?:BC|AD|BCE|CE|av\.\s*J\.-C\.))?(?:\s*(?:and|et|&|[-–])\s*"
    r"\d{1,4}(?:\s*(?:BC|AD|BCE|CE))?)?)\s*(?:[—–:]|-\s)\s*"
)
# The first day of a span before a blank: "on the night of 13–_____": the blank is its end.
DAY_SPAN_BEFORE = re.compile(r"\b\d{1,2}\s*[–-]\s*$")

