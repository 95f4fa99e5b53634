"""Item analysis: p, D, choice counts and flags from real answers, and the pages showing them.

Answers are given through the real services (``start_attempt`` and
``submit_answer``) by learners with accounts and by visitors, with right and
wrong patterns chosen so that every figure can be computed by hand. The
sheet is ``study_data``'s small one (no pipeline): one question per type.

The six learners of ``CLASS`` answer the mcq, true/false and short questions:

    learner        mcq      true_false  short   sheet score
    ana (user)     Russie   Vrai        CCP     3/3
    ben (user)     Russie   Vrai        OTAN    2/3
    cleo (user)    Russie   Faux        CCP     2/3
    visitor-d      France   Vrai        otan    1/3
    visitor-e      Russie   Faux        ONU     1/3
    visitor-f      Ukraine  Faux        OTAN    0/3

Six learners: each third weighs 2. Top third: ana (weight 1), then ben and
cleo, tied at 2/3, half each. Bottom third: visitor-f (1), then visitor-d
and visitor-e, tied at 1/3, half each. For the mcq: p = 4/6; top third
(1 + ½·1 + ½·1) / 2 = 1; bottom third (0 + ½·0 + ½·1) / 2 = ¼; D = ¾.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import pytest
import test_postgres
from browser_helpers import log_in_as, logged_in_client
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from study_data import make_sheet

from quiz.extensions import db
from quiz.models import STATUS_APPROVED, STATUS_SUPERSEDED, Question
from quiz.services.accounts import users
from quiz.services.authoring import item_analysis
from quiz.services.authoring.item_analysis import (
    POOR_DISCRIMINATION,
    TOO_EASY,
    TOO_HARD,
    third_scores,
)
from quiz.services.errors import NotFound
from quiz.services.study import attempts
from quiz.services.study.attempts import Owner

PASSWORD = "correct horse battery"
SHEET = "otan"
# learner → (mcq, true_false, short) answers; a name is an account, "visitor-…" a visitor.
CLASS: dict[str, tuple[str, str, str]] = {
    "ana": ("Russie", "Vrai", "CCP"),
    "ben": ("Russie", "Vrai", "OTAN"),
    "cleo": ("Russie", "Faux", "CCP"),
    "visitor-d": ("France", "Vrai", "otan"),
    "visitor-e": ("Russie", "Faux", "ONU"),
    "visitor-f": ("Ukraine", "Faux", "OTAN"),
}
KINDS = ("mcq", "true_false", "short")


@pytest.fixture
def ctx(app: Flask) -> Iterator[dict[str, int]]:
    """An app context with the small sheet; yields ``{type: question id}``."""
    with app.app_context():
        sheet = make_sheet(SHEET, ("2022",))
        db.session.commit()
        yield {question.type: question.id for question in sheet.revisions[0].questions}


def owner_of(name: str) -> Owner:
    """The learner ``name``: a visitor id for "visitor-…", else an account (made on first use)."""
    if name.startswith("visitor-"):
        return Owner(visitor_id=name)
    user = users.find_user(name) or users.register(name, PASSWORD)
    return Owner(user_id=user.id)


def answer(name: str, given: dict[int, Any]) -> None:
    """One attempt of learner ``name`` answering ``{question id: given}`` (the rest left open)."""
    attempt = attempts.start_attempt(owner_of(name), SHEET, count=50)
    for question_id, text in given.items():
        attempts.submit_answer(attempt, question_id, text)
    db.session.commit()


def answer_class(ids: dict[str, int], learners: dict[str, tuple[str, ...]] = CLASS) -> None:
    """Every learner of ``learners`` answers the questions of ``KINDS`` in one attempt."""
    for name, answers in learners.items():
        answer(name, {ids[kind]: text for kind, text in zip(KINDS, answers, strict=True)})


# The six learners of the docstring -------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "p", "upper", "lower", "discrimination"),
    [
        ("mcq", Fraction(4, 6), 1, Fraction(1, 4), Fraction(3, 4)),
        # Right: ana, ben, visitor-d. Top (1 + ½·1 + ½·0)/2, bottom (0 + ½·1 + ½·0)/2.
        ("true_false", Fraction(3, 6), Fraction(3, 4), Fraction(1, 4), Fraction(1, 2)),
        # Right: ana, cleo. Top (1 + ½·0 + ½·1)/2, bottom nobody.
        ("short", Fraction(2, 6), Fraction(3, 4), 0, Fraction(3, 4)),
    ],
)
def test_p_and_d_of_each_question(
    ctx: dict[str, int], kind: str, p: Fraction, upper: Any, lower: Any, discrimination: Fraction
) -> None:
    answer_class(ctx)
    result = item_analysis.analyse([ctx[kind]])[ctx[kind]]
    assert (result.answers, result.learners) == (6, 6)
    assert result.right == p * 6
    assert result.p == pytest.approx(float(p))
    assert result.upper_p == pytest.approx(float(upper))
    assert result.lower_p == pytest.approx(float(lower))
    assert result.discrimination == pytest.approx(float(discrimination))
    assert result.flags == ()
    assert result.enough


@pytest.mark.parametrize(
    ("kind", "counts"),
    [
        (
            "mcq",
            [
                ("France", 1, False),
                ("Russie", 4, True),
                ("Ukraine", 1, False),
                ("Géorgie", 0, False),
            ],
        ),
        ("true_false", [("Vrai", 3, True), ("Faux", 3, False)]),
    ],
)
def test_choice_counts_follow_the_choices(
    ctx: dict[str, int], kind: str, counts: list[tuple[str, int, bool]]
) -> None:
    answer_class(ctx)
    result = item_analysis.analyse([ctx[kind]])[ctx[kind]]
    assert [(c.choice, c.count, c.right) for c in result.choices] == counts
    assert result.unmatched == 0
    assert result.wrong_answers == ()


def test_choices_are_compared_as_the_checker_compares_them(ctx: dict[str, int]) -> None:
    # The checker trims and NFC-normalizes: "  Russie " and a decomposed "Géorgie" are choices.
    answer("ana", {ctx["mcq"]: "  Russie "})
    answer("ben", {ctx["mcq"]: "Ge\u0301orgie"})
    result = item_analysis.analyse([ctx["mcq"]])[ctx["mcq"]]
    assert {c.choice: c.count for c in result.choices} == {
        "France": 0,
        "Russie": 1,
        "Ukraine": 0,
        "Géorgie": 1,
    }


def test_an_answer_no_longer_among_the_choices_is_counted_apart(ctx: dict[str, int]) -> None:
    answer_class(ctx)
    question = db.session.get(Question, ctx["mcq"])
    question.choices = ["Russie", "Ukraine", "Géorgie", "Biélorussie"]  # France dropped in place
    db.session.commit()
    result = item_analysis.analyse([ctx["mcq"]])[ctx["mcq"]]
    assert [c.count for c in result.choices] == [4, 1, 0, 0]
    assert result.unmatched == 1


def test_free_answers_list_the_frequent_wrong_ones(ctx: dict[str, int]) -> None:
    answer_class(ctx)
    result = item_analysis.analyse([ctx["short"]])[ctx["short"]]
    # "OTAN" twice and "otan" once are one answer, shown as first typed.
    assert result.wrong_answers == (("OTAN", 3), ("ONU", 1))
    assert result.choices == ()


def test_a_learner_answering_twice_counts_once_in_the_thirds(ctx: dict[str, int]) -> None:
    answer_class(ctx)
    answer("visitor-f", {ctx["mcq"]: "Russie"})  # a second attempt, right this time
    result = item_analysis.analyse([ctx["mcq"]])[ctx["mcq"]]
    assert (result.answers, result.right, result.learners) == (7, 5, 6)
    assert result.p == pytest.approx(5 / 7)
    # visitor-f: sheet score 1/4 (still last), half right on the mcq. Bottom third:
    # (1·½ + ½·0 + ½·1) / 2 = ½; top third unchanged: 1.
    assert (result.upper_p, result.lower_p) == (1.0, 0.5)
    assert result.discrimination == 0.5
    assert {c.choice: c.count for c in result.choices}["Russie"] == 5


def test_the_sheet_score_covers_every_revision_of_the_sheet(app: Flask) -> None:
    with app.app_context():
        sheet = make_sheet(SHEET, ("2021", "2022"))
        db.session.commit()
        old, new = ({q.type: q.id for q in revision.questions} for revision in sheet.revisions)
        for name, first, second in [("ana", "Russie", "France"), ("ben", "France", "Russie")]:
            attempts.submit_answer(
                attempts.start_attempt(owner_of(name), SHEET, "2021", count=50), old["mcq"], first
            )
            attempts.submit_answer(
                attempts.start_attempt(owner_of(name), SHEET, "2022", count=50), new["mcq"], second
            )
        db.session.commit()
        ana, ben = owner_of("ana").user_id, owner_of("ben").user_id
        half = Fraction(1, 2)
        assert item_analysis.sheet_scores([sheet.id]) == {
            sheet.id: {("user", ana): half, ("user", ben): half}
        }
        figures = item_analysis.analyse([old["mcq"], new["mcq"]])
        assert (figures[old["mcq"]].answers, figures[old["mcq"]].p) == (2, 0.5)
        assert (figures[new["mcq"]].answers, figures[new["mcq"]].p) == (2, 0.5)


# Flags and small groups --------------------------------------------------------------


@pytest.mark.parametrize(
    ("mcq_answers", "p", "discrimination", "flags"),
    [
        # Everyone right: every learner ties, both thirds are everyone, D = 0.
        (["Russie"] * 6, 1, 0, (TOO_EASY, POOR_DISCRIMINATION)),
        # 9 in 10 right, the threshold itself. Thirds weigh 10/3: the top one is
        # nine tied right learners; the bottom one the wrong learner and 7/3 of them.
        (["Russie"] * 9 + ["France"], Fraction(9, 10), Fraction(3, 10), (TOO_EASY,)),
        # One right in six: top (1 + 5 × ⅕·0) / 2 = ½, bottom 0.
        (["Russie"] + ["France"] * 5, Fraction(1, 6), Fraction(1, 2), (TOO_HARD,)),
        # 1 in 5, the threshold itself: top (1 + 1 + 4/3 × 0) / (10/3) = 3/5, bottom 0.
        (["Russie"] * 2 + ["France"] * 8, Fraction(1, 5), Fraction(3, 5), (TOO_HARD,)),
        (["Russie"] * 3 + ["France"] * 3, Fraction(1, 2), 1, ()),
        # D of 0.2 is no longer poor; just below it is (see the unit cases below).
    ],
)
def test_flags_with_enough_learners(
    ctx: dict[str, int], mcq_answers: list[str], p: Fraction, discrimination: Any, flags: tuple
) -> None:
    for index, given in enumerate(mcq_answers):
        answer(f"visitor-{index}", {ctx["mcq"]: given})
    result = item_analysis.analyse([ctx["mcq"]])[ctx["mcq"]]
    assert result.p == pytest.approx(float(p))
    assert result.discrimination == pytest.approx(float(discrimination))
    assert result.flags == flags


def test_below_six_learners_there_is_no_d_and_no_flag(ctx: dict[str, int]) -> None:
    for index in range(item_analysis.MIN_LEARNERS - 1):
        answer(f"visitor-{index}", {ctx["mcq"]: "Russie"})
    result = item_analysis.analyse([ctx["mcq"]])[ctx["mcq"]]
    assert (result.answers, result.learners, result.p) == (5, 5, 1.0)
    assert result.discrimination is None and result.upper_p is None
    assert result.flags == () and not result.enough


def test_a_question_without_answers(ctx: dict[str, int]) -> None:
    result = item_analysis.analyse([ctx["order"]])[ctx["order"]]
    assert (result.answers, result.learners, result.p, result.flags) == (0, 0, None, ())


@pytest.mark.parametrize(
    ("scores", "shares", "upper", "lower"),
    [
        # Three learners, no ties: each third is one learner.
        ([3, 2, 1], [1, 0, 0], 1, 0),
        # Four learners: a third weighs 4/3; the second learner counts for 1/3.
        ([4, 3, 2, 1], [1, 0, 1, 0], Fraction(3, 4), Fraction(1, 4)),
        # Everyone tied: both thirds are everyone, at a third of a weight each.
        ([1, 1, 1, 1, 1, 1], [1, 1, 0, 0, 0, 1], Fraction(1, 2), Fraction(1, 2)),
        # Two tied at the top for one place: half each.
        ([2, 2, 1], [1, 0, 0], Fraction(1, 2), 0),
    ],
)
def test_third_scores_share_ties_alike(
    scores: list[int], shares: list[int], upper: Any, lower: Any
) -> None:
    learners = [("visitor", str(index)) for index in range(len(scores))]
    result = third_scores(
        {who: Fraction(share) for who, share in zip(learners, shares, strict=True)},
        {who: Fraction(score) for who, score in zip(learners, scores, strict=True)},
    )
    assert result == (upper, lower)


# Versions, many questions at once ----------------------------------------------------


def test_a_superseded_version_keeps_its_own_figures(ctx: dict[str, int]) -> None:
    answer_class(ctx)
    old = db.session.get(Question, ctx["mcq"])
    edited = Question(
        uid=old.uid,
        revision=old.revision,
        paragraph=old.paragraph,
        type="mcq",
        prompt="Quel pays a rejoint le Partenariat pour la paix ?",
        choices=["Russie", "Ukraine"],
        answer="Russie",
        lang="fr",
        evidence_start=old.evidence_start,
        evidence_end=old.evidence_end,
        status=STATUS_APPROVED,
        version=2,
        replaces_id=old.id,
    )
    old.status = STATUS_SUPERSEDED
    db.session.add(edited)
    db.session.commit()
    answer("ana", {edited.id: "Russie"})
    answer("visitor-g", {edited.id: "Ukraine"})
    both = item_analysis.analyse([old.id, edited.id])
    assert (both[old.id].answers, both[old.id].p) == (6, pytest.approx(4 / 6))
    assert (both[edited.id].answers, both[edited.id].p) == (2, 0.5)
    assert [(c.choice, c.count) for c in both[edited.id].choices] == [("Russie", 1), ("Ukraine", 1)]
    report = item_analysis.question_report(edited.id)
    assert [(row.id, figures.answers) for row, figures in report.related] == [(old.id, 6)]


def test_many_questions_take_three_queries(ctx: dict[str, int]) -> None:
    answer_class(ctx)
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        every = item_analysis.analyse(ctx.values())
        one = len(statements)
        item_analysis.analyse([ctx["mcq"]])
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert set(every) == set(ctx.values())
    assert one == 3 and len(statements) == 6


def test_unknown_questions(ctx: dict[str, int]) -> None:
    assert item_analysis.analyse([999_999]) == {}
    assert item_analysis.analyse([]) == {}
    with pytest.raises(NotFound):
        item_analysis.question_report(999_999)


def test_overview_keeps_the_flagged_questions(ctx: dict[str, int]) -> None:
    for index in range(6):
        answer(f"visitor-{index}", {ctx["mcq"]: "Russie", ctx["true_false"]: "Faux"})
    every = item_analysis.overview()
    assert [question.id for question, _ in every.items] == sorted([ctx["mcq"], ctx["true_false"]])
    easy = item_analysis.overview(TOO_EASY)
    hard = item_analysis.overview(TOO_HARD)
    assert [question.id for question, _ in easy.items] == [ctx["mcq"]]
    assert [question.id for question, _ in hard.items] == [ctx["true_false"]]


# The pages ---------------------------------------------------------------------------


@pytest.fixture
def ids(app: Flask) -> dict[str, int]:
    """The small sheet in ``app``'s database, no app context left pushed (clients push theirs)."""
    with app.app_context():
        sheet = make_sheet(SHEET, ("2022",))
        db.session.commit()
        return {question.type: question.id for question in sheet.revisions[0].questions}


@pytest.fixture
def instructor(app: Flask, ids: dict[str, int]) -> FlaskClient:
    """A client logged in as an instructor, the interface in English (after ``ids``)."""
    return logged_in_client(app)


def given_by(app: Flask, learners: dict[str, dict[int, str]]) -> None:
    """Each learner answers ``{question id: given}`` in an attempt of their own."""
    with app.app_context():
        for name, given in learners.items():
            answer(name, given)


def analysis_url(question_id: int) -> str:
    return f"/author/questions/{question_id}/analysis"


def test_the_analysis_page_shows_the_figures(
    app: Flask, instructor: FlaskClient, ids: dict[str, int]
) -> None:
    with app.app_context():
        answer_class(ids)
    response = instructor.get(analysis_url(ids["mcq"]))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'data-figure="answers">6<' in page
    assert 'data-figure="learners">6<' in page
    assert 'data-figure="p">67%<' in page
    assert 'data-figure="d">0.75<' in page
    assert 'data-figure="upper">100%<' in page and 'data-figure="lower">25%<' in page
    assert 'data-choice="Russie" data-count="4"' in page
    assert 'data-choice="Géorgie" data-count="0"' in page
    assert 'class="choice-bar-fill" width="66.7%"' in page  # Russie's bar
    assert "author-analysis.css" in page


def test_the_analysis_page_says_when_answers_are_too_few(
    app: Flask, instructor: FlaskClient, ids: dict[str, int]
) -> None:
    given_by(app, {"ana": {ids["mcq"]: "Russie"}})
    page = instructor.get(analysis_url(ids["mcq"])).get_data(as_text=True)
    assert "not enough answers" in page
    assert "Only 1 learner has answered" in page
    empty = instructor.get(analysis_url(ids["order"])).get_data(as_text=True)
    assert "No answers yet" in empty


def test_the_analysis_page_links_to_the_question_in_the_queue(
    instructor: FlaskClient, ids: dict[str, int]
) -> None:
    page = instructor.get(analysis_url(ids["mcq"])).get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)">Find it in the review queue', page)
    url = link.group(1).replace("&amp;", "&")
    assert url.endswith(f"#question-{ids['mcq']}") and "type=mcq" in url
    assert f'id="question-{ids["mcq"]}"' in instructor.get(url).get_data(as_text=True)


def test_the_analysis_page_of_an_unknown_question_is_404(instructor: FlaskClient) -> None:
    assert instructor.get(analysis_url(999_999)).status_code == 404


@pytest.mark.parametrize("url", ["/author/analysis", "/author/questions/1/analysis"])
def test_only_instructors_see_the_analysis(app: Flask, ids: dict[str, int], url: str) -> None:
    client = app.test_client()
    assert client.get(url).status_code == 302
    log_in_as(client, app, "student")
    assert client.get(url).status_code == 403


def test_the_queue_shows_p_d_and_flags(
    app: Flask, instructor: FlaskClient, ids: dict[str, int]
) -> None:
    given_by(app, {f"visitor-{index}": {ids["mcq"]: "Russie"} for index in range(6)})
    page = instructor.get("/author/questions?status=").get_data(as_text=True)
    block = page[page.index(f'data-analysis="{ids["mcq"]}"') :]
    block = block[: block.index("</p>")]
    assert "<strong>100%</strong>" in block and "<strong>0.00</strong>" in block
    assert 'data-flag="too_easy"' in block and 'data-flag="poor_discrimination"' in block
    assert f'href="{analysis_url(ids["mcq"])}"' in block
    assert f'data-analysis="{ids["short"]}"' not in page  # no answers, no figures


def test_the_overview_filters_by_flag(
    app: Flask, instructor: FlaskClient, ids: dict[str, int]
) -> None:
    both = {ids["mcq"]: "Russie", ids["true_false"]: "Faux"}
    given_by(app, {f"visitor-{index}": both for index in range(6)})
    easy = instructor.get("/author/analysis?flag=too_easy").get_data(as_text=True)
    assert f'data-question="{ids["mcq"]}"' in easy
    assert f'data-question="{ids["true_false"]}"' not in easy
    every = instructor.get("/author/analysis").get_data(as_text=True)
    assert f'data-question="{ids["true_false"]}"' in every
    assert instructor.get("/author/analysis?flag=boring").status_code == 400


# The same queries on PostgreSQL --------------------------------------------------------

# test_postgres's fixtures: a throwaway cluster, and an app on it.
postgres_url = test_postgres.postgres_url
pg_app = test_postgres.postgres_app


@pytest.mark.postgres
@pytest.mark.slow
def test_the_figures_are_the_same_on_postgres(pg_app: Flask) -> None:
    with pg_app.app_context():
        assert db.engine.dialect.name == "postgresql"
        db.create_all()
        sheet = make_sheet(SHEET, ("2022",))
        db.session.commit()
        ids = {question.type: question.id for question in sheet.revisions[0].questions}
        answer_class(ids)
        answer("visitor-f", {ids["mcq"]: "Russie"})
        result = item_analysis.analyse(ids.values())
        mcq = result[ids["mcq"]]
        assert (mcq.answers, mcq.right, mcq.learners) == (7, 5, 6)
        assert (mcq.upper_p, mcq.lower_p, mcq.discrimination) == (1.0, 0.5, 0.5)
        assert result[ids["short"]].wrong_answers == (("OTAN", 3), ("ONU", 1))
        assert [question.id for question, _ in item_analysis.overview().items] == sorted(
            ids[kind] for kind in KINDS
        )
