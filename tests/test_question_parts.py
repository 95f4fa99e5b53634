"""The pure stages of question making, as tables of input → expected output: what
leans on the sentence before, what a determiner admits, what kind a name is, which
forms of an answer are accepted, which false statements contradict themselves.
"""

from __future__ import annotations

import pytest

from quiz.generate.model import DateValue, Fact, Paragraph, Span
from quiz.generate.questions.acronyms import spelled_by
from quiz.generate.questions.classes import institution_kind, place_kind
from quiz.generate.questions.grammar import Agreement, Lexicon, admits, determiner_before
from quiz.generate.questions.leaks import chronology_kept, echoed, order_kept
from quiz.generate.questions.stems import build_stems, leans, unquotable
from quiz.generate.questions.topic import name_topic, name_work
from quiz.generate.questions.variants import answer_key, date_forms, name_forms

pytestmark = pytest.mark.no_database  # `make test-postgres` skips it

LEANS = [
    ("fr", "La Russie a établi une mission diplomatique auprès de l'OTAN.", False),
    ("fr", "De son côté, l'OTAN a ouvert un bureau d'information à Moscou.", True),
    ("fr", "En octobre 2021, l'OTAN a de nouveau revu ce chiffre à la baisse.", True),
    ("fr", "Elle est entrée en vigueur le 6 mars 1995.", True),
    ("fr", "Long de 50 kilomètres, il possède la plus longue section sous-marine du monde.", True),
    ("fr", "Le chantier a débuté le 28 janvier 1887.", True),
    ("fr", "Le fait que la Russie viole le traité, qu'elle ne respecte plus, inquiète.", False),
    ("fr", "L'Assemblée a lancé le programme l'année suivante, en 1959.", True),
    ("fr", "En réponse au renforcement du dispositif militaire russe, l'OTAN a réagi.", False),
    ("en", "Its commission meets every year in Hobart.", True),
    ("en", "Seven countries, among them Norway, claim parts of the continent.", False),
    ("en", "In 1991, it was signed in Madrid.", True),
    ("en", "The Madrid Protocol was signed in Madrid on 4 October 1991.", False),
    ("fr", "On estime qu’elle a encore fait quelque 300 millions de morts.", True),
    ("fr", "Parmi les signataires figuraient l’écrivain Guy de Maupassant.", True),
    ("fr", "Parmi les signataires du traité figuraient douze États.", False),
    ("fr", "Le laboratoire européen Columbus y a été arrimé en février 2008.", True),
    ("fr", "À Bruxelles, l'OTAN a dit qu'il ne pouvait y avoir de retour à la normale.", False),
    ("en", "Developing countries did so by 2010.", True),
    # Review B1: who "him" is, what "ensuite" follows, whom one succeeds.
    ("en", "In April 1993, the geneticist Francis Collins succeeded him as director.", True),
    ("fr", "La BCE, instituée le 1er juin 1998, a ensuite succédé à l’IME.", True),
    ("fr", "En 1998, Wim Duisenberg lui a succédé à la tête de l'institut.", True),
    ("fr", "Le maillot blanc est apparu lui aussi en 1975.", True),
    ("fr", "Le maillot blanc du Tour de France est apparu en 1975.", False),
]


@pytest.mark.parametrize(("lang", "sentence", "expected"), LEANS)
def test_what_leans_on_the_sentence_before(lang: str, sentence: str, expected: bool) -> None:
    assert leans(sentence, lang) is expected


UNQUOTABLE = [
    ("fr", "Je viens de rencontrer le ministre turc.", True),
    ("fr", "Mes collègues et moi avons signé le texte.", True),
    # Review B1: "MES" is the European Stability Mechanism, not "mes".
    ("fr", "Le traité instituant le MES a été signé à Bruxelles le 2 février 2012.", False),
    ("en", "In 1991 we signed the treaty.", True),
    ("en", "The US signed the treaty in 1991.", False),
]


@pytest.mark.parametrize(("lang", "sentence", "expected"), UNQUOTABLE)
def test_first_person_sentences_are_not_quoted(lang: str, sentence: str, expected: bool) -> None:
    assert unquotable(sentence, lang) is expected


def test_a_definite_description_of_the_sheets_subject_stands_alone() -> None:
    assert not leans("La tour a été achevée le 31 mars 1889.", "fr", "La tour Eiffel")
    assert leans("La tour a été achevée le 31 mars 1889.", "fr", "Le canal de Suez")


TOPICS = [
    ("Depuis 2022, la tour culmine à 330 mètres.", "La tour Eiffel", "Depuis 2022, la tour Eiffel culmine à 330 mètres."),
    ("La tour Eiffel culmine.", "La tour Eiffel", "La tour Eiffel culmine."),
    ("la plus haute tour du monde", "La tour Eiffel", "la plus haute tour du monde"),
    ("Les faits suivants ont suscité des condamnations.", "Les relations OTAN-Russie", "Les faits suivants ont suscité des condamnations."),
    ("Les relations entre l'OTAN et la Russie ont débuté.", "Les relations OTAN-Russie", "Les relations entre l'OTAN et la Russie ont débuté."),
    ("dans les Balkans occidentaux", "Les relations OTAN-Russie", "dans les Balkans occidentaux"),
    ("Article IV of the treaty freezes claims.", "The Antarctic Treaty", "Article IV of the Antarctic Treaty freezes claims."),
    ("L’Agence a été créée.", "L’Agence spatiale européenne (ESA)", "L’Agence spatiale européenne a été créée."),
]  # fmt: skip


@pytest.mark.parametrize(("text", "title", "expected"), TOPICS)
def test_the_subject_is_named(text: str, title: str, expected: str) -> None:
    assert name_topic(text, title) == expected


WORKS = [
    ("Michel Virlogeux conçoit l'ouvrage.", "Le viaduc de Millau", "fr", "Michel Virlogeux conçoit le viaduc de Millau."),
    ("L'ouvrage est inauguré en 2004.", "Le viaduc de Millau", "fr", "Le viaduc de Millau est inauguré en 2004."),
    ("Le coût de l'ouvrage atteint 400 millions.", "Le viaduc de Millau", "fr", "Le coût du viaduc de Millau atteint 400 millions."),
    ("Le chantier commence en 2001.", "Le viaduc de Millau", "fr", "Le chantier du viaduc de Millau commence en 2001."),
    ("Les travaux durent trois ans.", "La tour Eiffel", "fr", "Les travaux de la tour Eiffel durent trois ans."),
    ("La structure pèse 7 300 tonnes.", "La tour Eiffel", "fr", "La tour Eiffel pèse 7 300 tonnes."),
    # The gender would not agree, or the description is another work, or no work at all.
    ("L'édifice est inauguré en 1889.", "La tour Eiffel", "fr", "L'édifice est inauguré en 1889."),
    ("Il est l'ouvrage le plus haut.", "Le viaduc de Millau", "fr", "Il est l'ouvrage le plus haut."),
    ("l'ouvrage d'art", "Le viaduc de Millau", "fr", "l'ouvrage d'art"),
    ("Le chantier commence en 2001.", "Les relations OTAN-Russie", "fr", "Le chantier commence en 2001."),
    ("The construction began and the structure opened.", "Panama Canal", "en", "The construction of the Panama Canal began and the Panama Canal opened."),
    ("The construction began in 1990.", "The Human Genome Project", "en", "The construction began in 1990."),
]  # fmt: skip


@pytest.mark.parametrize(("text", "title", "lang", "expected"), WORKS)
def test_a_built_work_is_named_where_the_sheet_says_it_without_its_name(
    text: str, title: str, lang: str, expected: str
) -> None:
    assert name_work(text, title, lang) == expected


def test_a_work_named_by_the_title_stands_alone() -> None:
    assert not leans("Le chantier commence le 14 décembre 2001.", "fr", "Le viaduc de Millau")
    assert leans("Le chantier commence le 14 décembre 2001.", "fr", "Les relations OTAN-Russie")


def stem_texts(
    paragraph: str, fact: str, before: list[str] | None = None, lang: str = "fr"
) -> list[str]:
    """The stems for the first occurrence of ``fact``, sentences split on ". "."""
    sentences, start = [], 0
    for part in paragraph.split(". "):
        end = start + len(part) + (1 if start + len(part) < len(paragraph) else 0)
        sentences.append(Span(start, min(end, len(paragraph))))
        start = end + 1
    at = paragraph.index(fact)
    return [s.text for s in build_stems(paragraph, sentences, Span(at, at + len(fact)), lang, before)]


LONG_LIST = (
    "Les faits suivants ont suscité des condamnations : l'attaque menée au moyen d'un agent "
    "neurotoxique à Salisbury en mars 2018 ; les explosions survenues dans des dépôts de munitions "
    "à Vrbetice en 2014 ; le tir d'essai d'un missile antisatellite mené de manière irresponsable "
    "en novembre 2021 ; l'emploi de la force contre des navires ukrainiens près de Kertch."
)
STEMS = [
    # A sentence that stands alone is quoted whole, and only it.
    ("Le COR a été créé en 2002. Il s'est réuni onze fois.", "2002", ["Le COR a été créé en 2002."]),
    # A leaning sentence comes with the one before.
    ("Le COR a été créé en 2002. Il s'est réuni onze fois.", "onze",
     ["Le COR a été créé en 2002. Il s'est réuni onze fois."]),
    # A loose opener is dropped.
    ("Par ailleurs, en 1998, la Russie a établi une mission diplomatique auprès de l'OTAN.", "1998",
     ["En 1998, la Russie a établi une mission diplomatique auprès de l'OTAN."]),
    # A first-person sentence with no speaker is never quoted.
    ("Je viens de rencontrer le ministre turc en 2015.", "2015", []),
    # An enumeration is quoted one item at a time: the item as the subject of what the
    # introduction says of the whole list.
    (LONG_LIST,
     "Vrbetice", ["Les explosions survenues dans des dépôts de munitions à Vrbetice en 2014 ont "
                  "suscité des condamnations."]),
    (LONG_LIST,
     "Salisbury", ["L'attaque menée au moyen d'un agent neurotoxique à Salisbury en mars 2018 a "
                   "suscité des condamnations."]),
    # A comparing aside is dropped: the sentence reads well without it (review B1).
    ("La ligne 1 du métro de Paris a elle aussi été automatisée en 2012.", "2012",
     ["La ligne 1 du métro de Paris a été automatisée en 2012."]),
    # Two subjects in an item take a plural verb (review B1).
    (LONG_LIST.replace("les explosions survenues", "l'intervention de la Russie et la présence russe"),
     "Vrbetice", ["L'intervention de la Russie et la présence russe dans des dépôts de munitions à "
                  "Vrbetice en 2014 ont suscité des condamnations."]),
    # A short list is quoted whole.
    ("Les faits suivants ont suscité des condamnations : l'attaque de Salisbury en 2018 ; "
     "les explosions de Vrbetice en 2014.", "Vrbetice",
     ["Les faits suivants ont suscité des condamnations : l'attaque de Salisbury en 2018 ; "
      "les explosions de Vrbetice en 2014."]),

]  # fmt: skip


@pytest.mark.parametrize(("paragraph", "fact", "expected"), STEMS)
def test_stems(paragraph: str, fact: str, expected: list[str]) -> None:
    assert stem_texts(paragraph, fact)[: len(expected) or None] == expected


def test_an_item_is_one_of_a_list_after_its_introduction() -> None:
    paragraph = (
        "The parties have strengthened the Protocol several times: the London Amendment of 1990, "
        "which created a fund to help developing countries comply; the Copenhagen Amendment of "
        "1992, which brought forward the phase-out dates; the Kigali Amendment of 2016, which "
        "added hydrofluorocarbons."
    )
    assert stem_texts(paragraph, "Kigali", lang="en")[0] == (
        "The parties have strengthened the Protocol several times, including the Kigali "
        "Amendment of 2016, which added hydrofluorocarbons."
    )


def test_a_list_item_leans_on_the_item_before() -> None:
    before = ["Au lendemain de l'attaque de Salisbury, l'effectif a été ramené de 30 à 20 personnes."]
    item = "En octobre 2021, l'OTAN a de nouveau revu ce chiffre à la baisse."
    assert stem_texts(item, "2021") == []
    assert stem_texts(item, "2021", before) == [f"{before[0]} {item}"]


def test_a_chronology_entry_is_no_antecedent() -> None:
    """"24 juin 2024 : …" ends the paragraph before: a sentence leaning on what came
    before is not asked with it (review B1)."""
    before = ["24 juin 2024 : la ligne 14 est prolongée jusqu'à Orly."]
    sentence = "Cette ligne fonctionne sans conducteur depuis 2012."
    assert stem_texts(sentence, "2012", before) == []


DETERMINERS = [
    ("... remplacé par le ", "le"), ("... membre du ", "du"), ("... dans le cadre des ", "des"),
    ("... la dissolution de l'", "de l'"), ("... la dissolution de l’", "de l'"), ("... menée en ", "en"),
    ("... signé par les ", "les"), ("... à ", "à"), ("Le 4 juin, ", ""),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), DETERMINERS)
def test_the_determiner_before_a_blank(text: str, expected: str) -> None:
    assert determiner_before(text) == expected


MASCULINE = Agreement("m", False, False)
FEMININE = Agreement("f", False, False)
VOWEL = Agreement("f", False, True)
PLURAL = Agreement("m", True, False)
ADMITS = [
    ("le", MASCULINE, True), ("le", FEMININE, False), ("le", VOWEL, False), ("du", FEMININE, False),
    ("la", FEMININE, True), ("l'", VOWEL, True), ("l'", MASCULINE, False), ("les", PLURAL, True),
    ("les", FEMININE, False), ("des", MASCULINE, False), ("en", FEMININE, True),
    ("en", MASCULINE, False), ("en", Agreement("m", False, True), True), ("", PLURAL, True),
]  # fmt: skip


@pytest.mark.parametrize(("det", "agreement", "expected"), ADMITS)
def test_what_a_determiner_admits(det: str, agreement: Agreement, expected: bool) -> None:
    assert admits(det, agreement) is expected


def test_the_corpus_says_how_it_writes_a_name() -> None:
    lexicon = Lexicon()
    lexicon.observe(["La Russie et les États-Unis ont signé. Il est allé au Bélarus et en Géorgie."])
    assert lexicon.agreement("Russie", "fr") == Agreement("f", False, False)
    assert lexicon.agreement("États-Unis", "fr").plural is True
    assert lexicon.agreement("Bélarus", "fr").gender == "m"
    assert lexicon.agreement("Force pour le Kosovo", "fr").gender == "f"  # its head noun
    assert lexicon.agreement("Ukraine", "fr") == Agreement("f", False, True)  # the -e rule


KINDS = [
    (institution_kind, "Conseil OTAN-Russie", "body"), (institution_kind, "Force pour le Kosovo", "force"),
    (institution_kind, "sommet de Bruxelles", "event"), (institution_kind, "traité « Ciel ouvert »", "treaty"),
    (institution_kind, "Union soviétique", "country"), (institution_kind, "Groupe Eurotunnel", "company"),
    (institution_kind, "Groupe Eurotunnel", "company"),
    (place_kind, "Géorgie", "country"), (place_kind, "Bruxelles", "city"), (place_kind, "Palais d'Egmont", "building"),
    (place_kind, "Chrysler Building", "building"), (place_kind, "Earth", "celestial"), (place_kind, "Europe", "continent"),
    (place_kind, "Seine", "place"), (place_kind, "Port-Saïd", "place"),
]  # fmt: skip


@pytest.mark.parametrize(("classify", "name", "expected"), KINDS)
def test_fine_kinds(classify: object, name: str, expected: str) -> None:
    found = classify(name, "fr") if classify is institution_kind else classify(name)  # type: ignore[operator]
    assert found == expected


def test_english_names_end_on_their_head() -> None:
    assert institution_kind("Madrid Protocol", "en") == "treaty"
    assert institution_kind("Antarctic Treaty Secretariat", "en") == "organisation"
    assert institution_kind("International Geophysical Year", "en") == "event"


def test_hints_say_what_a_place_is() -> None:
    assert place_kind("Salzbourg", "city") == "city"
    assert place_kind("Crimée", "country") == "region"
    assert place_kind("Bhola", "island") == "island"


DATE_FORMS = [
    (DateValue(2002, 1, 1, precision="day"), "1er janvier 2002", "fr",
     ["1 janvier 2002", "1/1/2002", "01/01/2002", "2002-01-01", "1 janv. 2002"]),
    (DateValue(2021, 10, precision="month"), "octobre 2021", "fr", ["oct. 2021", "10/2021"]),
    (DateValue(1990, qualifier="late", precision="decade"), "fin des années 1990", "fr", ["fin des années 90"]),
    (DateValue(1959, 12, 1, precision="day"), "1 December 1959", "en",
     ["1/12/1959", "01/12/1959", "1959-12-01", "1 Dec. 1959", "December 1, 1959"]),
    (DateValue(1980, qualifier="late", precision="decade"), "the late 1980s", "en", ["late 80s", "late 1980s"]),
]  # fmt: skip


@pytest.mark.parametrize(("value", "written", "lang", "expected"), DATE_FORMS)
def test_date_forms_accepted(value: DateValue, written: str, lang: str, expected: list[str]) -> None:
    forms = date_forms(value, written, lang)
    assert forms == expected
    assert answer_key(written) not in {answer_key(f) for f in forms}  # never the answer again


SPELLED = [
    ("COR", "Conseil OTAN-Russie", True), ("BAS", "British Antarctic Survey", True),
    ("KFOR", "Force pour le Kosovo", False), ("ESA", "Agence spatiale européenne", False),
    ("FNI", "traité sur les forces nucléaires à portée intermédiaire", True),
]  # fmt: skip


@pytest.mark.parametrize(("acronym", "name", "expected"), SPELLED)
def test_which_names_spell_their_acronym(acronym: str, name: str, expected: bool) -> None:
    assert spelled_by(acronym, name) is expected


def test_a_false_date_keeps_the_sentences_chronology() -> None:
    spring_2009 = DateValue(2009, qualifier="spring", precision="season")
    august_2008 = DateValue(2008, 8, precision="month")
    assert chronology_kept(august_2008, DateValue(2008, 2, precision="month"), [spring_2009])
    assert not chronology_kept(august_2008, DateValue(2014, 3, precision="month"), [spring_2009])
    assert order_kept(30, 45, [20]) and not order_kept(30, 15, [20])


ECHOES = [
    ("Both scientists, the chemists, shared the Nobel Prize in _____.", "Chemistry", True),
    ("les régions géorgiennes d'Abkhazie et d'Ossétie", "Géorgie", True),
    ("the ozone hole over Antarctica", "British Antarctic Survey", False),
]  # fmt: skip


@pytest.mark.parametrize(("text", "answer", "expected"), ECHOES)
def test_a_word_of_the_answers_stem_gives_it_away(text: str, answer: str, expected: bool) -> None:
    assert echoed(text, answer) is expected


NAME_FORMS = [
    ("person", "Donald A. Henderson", ["Donald Henderson", "Henderson"]),
    ("person", "Alexandre Dumas fils", ["Dumas fils"]),
    ("person", "Guy de Maupassant", ["Maupassant"]),
    ("institution", "Acte fondateur OTAN-Russie", ["Acte fondateur"]),
    ("institution", "Conseil OTAN-Russie", []),
    ("institution", "Secrétariat permanent de la Convention alpine", ["Secrétariat permanent"]),
]


@pytest.mark.parametrize(("kind", "name", "expected"), NAME_FORMS)
def test_other_ways_to_write_a_name(kind: str, name: str, expected: list[str]) -> None:
    paragraph = Paragraph("p-1", 0, name, "fr")
    fact = Fact(kind, name, Span(0, len(name)), Span(0, len(name)), paragraph, name, {})  # type: ignore[arg-type]
    assert name_forms(fact) == expected


def test_an_english_name_is_not_cut_before_of() -> None:
    """"National Institutes" is not the NIH (review B1)."""
    name = "National Institutes of Health"
    paragraph = Paragraph("p-1", 0, name, "en")
    fact = Fact("institution", name, Span(0, len(name)), Span(0, len(name)), paragraph, name, {})  # type: ignore[arg-type]
    assert "National Institutes" not in name_forms(fact)
