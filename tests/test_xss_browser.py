"""Hostile sheets in a real Chromium: every page that shows their text keeps it inert.

``tests/data/hostile`` holds one sheet in three revisions (Markdown, HTML,
plain text) full of ``<script>``, ``onerror=``/``onload=`` attributes and
``javascript:`` links, each of which would set ``window.__pwned``. They are
imported like any sheet, and played in a live session (its first answer revealed,
a player named with markup); then an instructor visits every page of the app that
can show them: every GET route in the URL map, its variables filled with the
hostile sheet's slug, revision labels, question ids and attempts, plus the
feedback pages of answered questions. On each page, after it loaded:

- no script ran (``window.__pwned`` unset, no dialog opened);
- no element carries an ``on…`` attribute, no link or frame a ``javascript:`` URL;
- every ``<script>`` is one of ours (``/static/…``) or inert JSON data;
- the payloads that survive the readers show up as text, so the test exercised them.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from browser_helpers import CHROMIUM, CHROMIUM_ARGS, require_chromium, served_for_browser
from conftest import REPO_ROOT, make_empty_app
from flask import Flask
from sqlalchemy import select
from werkzeug.routing import Rule

from quiz.class_models import Assignment, AssignmentAttempt
from quiz.extensions import db
from quiz.jobs.model import JOB_FAILED, ImportJob
from quiz.live_models import LiveParticipant, LiveSession
from quiz.models import Answer, Attempt, Question, Revision, Sheet, User, utcnow
from quiz.services.accounts import users
from quiz.services.classroom import answers as live_answers
from quiz.services.classroom import assignments, classes, participants, sessions
from quiz.services.classroom.assignments import QuestionChoice, Schedule
from quiz.services.library.sheet_pages import evidence_url
from quiz.services.study import attempts
from quiz.services.study.attempts import Owner
from quiz.views.classroom.shared_quiz import share_token

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HOSTILE = REPO_ROOT / "tests" / "data" / "hostile"
SLUG = "canal-hostile"
PASSWORD = "correct horse battery"
# A player's nickname (30 characters at most) that would run if it were markup.
HOSTILE_NICKNAME = "<svg onload=window.__pwned=3>"
SCRIPT_KINDS = ("application/json", "application/ld+json")
# Endpoints that show no sheet text, or are not pages.
NOT_PAGES = {
    "static",
    "auth.set_language",
    "api.openapi",
    "classroom.qr_code",  # an SVG image of the join link
    "classroom.results_csv",  # a download
}
NOT_PAGES |= {"homework.teach_grades_csv", "homework.teach_grades_xlsx"}

INERT_CHECK = """
() => {
  const all = [...document.querySelectorAll('*')];
  const handlers = all.flatMap(e => [...e.attributes]
    .filter(a => a.name.toLowerCase().startsWith('on'))
    .map(a => `${e.tagName}[${a.name}]`));
  const urls = all.flatMap(e => ['href', 'src', 'action', 'formaction', 'data']
    .map(n => e.getAttribute(n) || '')
    .filter(v => v.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase().startsWith('javascript:'))
    .map(v => `${e.tagName}: ${v}`));
  const scripts = [...document.scripts]
    .filter(s => !(s.src && new URL(s.src).pathname.startsWith('/static/')))
    .filter(s => !KINDS.includes((s.type || '').toLowerCase()))
    .map(s => s.outerHTML.slice(0, 80));
  const embeds = [...document.querySelectorAll('iframe, object, embed, svg[onload], img[src="x"]')]
    .map(e => e.outerHTML.slice(0, 80));
  return {pwned: window.__pwned ?? null, handlers, urls, scripts, embeds,
          text: document.body.innerText};
}
""".replace("KINDS", str(list(SCRIPT_KINDS)))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Flask]]:
    """A live server whose only sheet is the hostile one, answered once; yields (URL, app)."""
    require_chromium()
    folder = tmp_path_factory.mktemp("hostile")
    shutil.copytree(HOSTILE, folder / "questions" / "hostile")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("QUIZ_INSTANCE_PATH", str(folder / "instance"))
        app = make_empty_app(folder / "quiz.sqlite", QUESTIONS_DIR=str(folder / "questions"))
        result = app.test_cli_runner().invoke(args=["import-sheets"])
        assert result.exit_code == 0, result.output
        with app.app_context():
            seed_instructor_and_answers()
            seed_homework()
        with served_for_browser(app) as url_and_app:
            yield url_and_app


def seed_instructor_and_answers() -> None:
    """An instructor with one attempt per revision, each with a wrong answer given."""
    user = users.register("teacher", PASSWORD, role="instructor")
    db.session.flush()
    sheet = db.session.scalar(select(Sheet).filter_by(slug=SLUG))
    assert sheet is not None and len(sheet.revisions) == 3
    for revision in sheet.revisions:
        attempt = attempts.start_attempt(
            Owner(user_id=user.id), SLUG, revision_label=revision.label, count=50
        )
        for question_id in attempt.question_ids[:3]:
            question = db.session.get(Question, question_id)
            assert question is not None
            attempts.submit_answer(attempt, question_id, wrong_answer(question))
    db.session.commit()
    seed_live_session(user)


def seed_live_session(owner: User) -> None:
    """A live session of the hostile sheet at its first reveal, a player named with markup
    having answered: the projector, the results and the play page show sheet text,
    answers and nicknames."""
    session = sessions.create_session(owner, SLUG, count=50)
    seat = participants.join(session, HOSTILE_NICKNAME)
    sessions.start(session, None)
    db.session.commit()
    question = db.session.get(Question, session.current_question_id)
    assert question is not None
    live_answers.submit_answer(session.code, seat.token, question.id, wrong_answer(question))
    sessions.reveal(session, None)
    db.session.commit()


def join_live_session(page: Any, app: Flask) -> None:
    """Join the live session in ``page``: its play page then shows it (without a seat the
    page would send the browser to the join form)."""
    with app.app_context():
        code = db.session.scalar(select(LiveSession.code))
    page.goto(f"/live/{code}")
    page.fill("#nickname", "prof")
    page.click("#join-form [type=submit]")
    page.wait_for_url(f"**/live/{code}/play")


def seed_homework() -> None:
    """The teacher's class and assignment named with markup, a student named with markup who
    answered it, and a shared quiz link: their pages must show the markup as text."""
    markup = '<img src=x onerror="window.__pwned=3">'
    teacher = users.find_user("teacher")
    assert teacher is not None
    classroom = classes.create_class(teacher, f"{markup} classe")
    student = users.register("<b onclick=x>eleve</b>", PASSWORD)
    db.session.flush()
    classes.join_class(student, classroom.code)
    now = utcnow()
    schedule = Schedule(f"{markup} devoir", now - timedelta(hours=1), now + timedelta(days=1))
    assignment = assignments.create_assignment(classroom, schedule, QuestionChoice(SLUG, count=50))
    attempt = assignments.start_or_resume(student, assignment.id)
    for question_id in attempt.question_ids[:3]:
        question = db.session.get(Question, question_id)
        assert question is not None
        attempts.submit_answer(attempt, question_id, wrong_answer(question))
    db.session.commit()


def wrong_answer(question: Question) -> Any:
    """A well-formed wrong answer to ``question``."""
    if question.type == "order":
        return list(reversed(question.answer))
    if question.type == "numeric":
        return "123456"
    others = [choice for choice in question.choices if choice != question.answer]
    return others[0] if others else "x"


def hostile_job(slug: str, labels: list[str]) -> int:
    """A failed import job whose file name and reason are markup: its page must show them
    as text."""
    markup = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    job = ImportJob(
        state=JOB_FAILED, slug=slug, label=f"{labels[0]}-job", file_name=f"{markup}.md",
        reason=markup, paragraphs_read=0, tries=1,
    )
    db.session.add(job)
    db.session.commit()
    return job.id


def url_values(app: Flask) -> dict[str, list[Any]]:
    """Values for URL variables, taken from the hostile sheet's rows."""
    with app.app_context():
        sheet = db.session.scalar(select(Sheet).filter_by(slug=SLUG))
        assert sheet is not None
        revisions = list(db.session.scalars(select(Revision).filter_by(sheet_id=sheet.id)))
        questions = list(
            db.session.scalars(
                select(Question).where(
                    Question.revision_id.in_([revision.id for revision in revisions])
                )
            )
        )
        attempt_ids = list(db.session.scalars(select(Attempt.id)))
        answered = [
            tuple(row) for row in db.session.execute(select(Answer.attempt_id, Answer.question_id))
        ]
        # A question per revision, one per type where there is one: every template branch.
        shown: dict[tuple[int, str], int] = {}
        for question in questions:
            shown.setdefault((question.revision_id, question.type), question.id)
        labels = [revision.label for revision in revisions]
        jobs = [hostile_job(SLUG, labels)]
        assignment = db.session.scalars(select(Assignment)).one()
        student_id = db.session.scalars(select(AssignmentAttempt.student_id)).first()
        settings = {"sheet": SLUG, "revision": labels[0], "count": 5, "types": None, "tags": None}
        with app.test_request_context():
            shared = share_token(settings)
        live = db.session.scalars(select(LiveSession)).one()
        players = list(db.session.scalars(select(LiveParticipant.id)))
    return {
        "session_id": [live.id],
        "participant_id": players,
        "code": [live.code],
        "job_id": jobs,
        "slug": [SLUG],
        "label": labels,
        "revision": labels,
        "attempt_id": attempt_ids,
        "question_id": list(shown.values()),
        "id": list(shown.values()),
        "answered": answered,
        "class_id": [assignment.class_id],
        "assignment_id": [assignment.id],
        "student_id": [student_id],
        "token": [shared],
    }


def page_urls(app: Flask) -> list[str]:
    """Every GET page of the app, for every hostile value of its variables."""
    values = url_values(app)
    urls: list[str] = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or set()) or rule.endpoint in NOT_PAGES:
            continue
        if rule.rule.startswith("/api/"):
            continue
        urls.extend(urls_of(rule, values))
    return sorted(set(urls))


def urls_of(rule: Rule, values: dict[str, list[Any]]) -> list[str]:
    """``rule`` built once per value of each variable (the others at their first value)."""
    arguments = sorted(rule.arguments)
    if {"attempt_id", "question_id"} <= set(arguments):
        # A question of an attempt: only pairs that exist, each answered once.
        pairs = [{"attempt_id": a, "question_id": q} for a, q in values["answered"]]
        built = [rule.build(pair, append_unknown=False) for pair in pairs]
        return [result[1] for result in built if result is not None]
    missing = [name for name in arguments if name not in values]
    assert not missing, f"{rule.rule}: say which hostile values fill {missing}"
    first = {name: values[name][0] for name in arguments}
    combos = [first] + [first | {name: value} for name in arguments for value in values[name][1:]]
    built = [rule.build(combo, append_unknown=False) for combo in combos]
    return [result[1] for result in built if result is not None]


def assert_inert(page: Any, url: str) -> str:
    """Load ``url``; fail on any sign of a payload at work; return the page's text."""
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status < 500, f"{url}: {response and response.status}"
    page.wait_for_timeout(50)  # broken images fire onerror just after load
    found = page.evaluate(INERT_CHECK)
    assert found["pwned"] is None, f"{url}: a payload ran ({found['pwned']})"
    for kind in ("handlers", "urls", "scripts", "embeds"):
        assert found[kind] == [], f"{url}: {kind} {found[kind]}"
    return str(found["text"])


@pytest.fixture
def teacher_page(hostile_site: tuple[str, Flask]) -> Iterator[Any]:
    """A Chromium tab logged in as the instructor; any dialog fails the test."""
    base, _ = hostile_site
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=base, locale="fr-FR")
        context.set_default_timeout(10_000)
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto("/login")
        page.fill("input[name=username]", "teacher")
        page.fill("input[name=password]", PASSWORD)
        page.click("form.auth-form [type=submit], main form [type=submit]")
        page.wait_for_load_state("load")
        assert "/login" not in page.url
        yield page
        assert dialogs == []
        context.close()
        browser.close()


def test_every_page_keeps_hostile_sheets_inert(
    hostile_site: tuple[str, Flask], teacher_page: Any
) -> None:
    _, app = hostile_site
    urls = page_urls(app)
    assert any(url.startswith("/author/") for url in urls)
    join_live_session(teacher_page, app)
    payload_shown = []
    for url in urls:
        text = assert_inert(teacher_page, url)
        if "window.__pwned" in text:
            payload_shown.append(url)
    # The sheet pages and question pages do show the payloads, as text.
    assert any(url.startswith(f"/sheets/{SLUG}") for url in payload_shown), payload_shown
    assert any("/answers/" in url for url in payload_shown), payload_shown
    # So do the homework pages: a class, an assignment and a student named with markup.
    assert any(url.startswith("/teach/assignments/") for url in payload_shown), payload_shown
    assert any(url.startswith("/teach/classes/") for url in payload_shown), payload_shown
    # So do the live session's projector, its results and the play page (built by its script).
    live_pages = {url for url in payload_shown if "/live/" in url}
    assert any(url.startswith("/teach/live/") for url in live_pages), payload_shown
    assert any(url.endswith("/results") for url in live_pages), payload_shown
    assert any(url.endswith("/play") for url in live_pages), payload_shown


def test_highlighted_evidence_and_a_fresh_quiz_stay_inert(
    hostile_site: tuple[str, Flask], teacher_page: Any
) -> None:
    """The evidence highlight splits the text around the span: still escaped."""
    _, app = hostile_site
    with app.app_context():
        for question in db.session.scalars(select(Question)):
            if "window.__pwned" in question.paragraph.text:
                url = evidence_url(
                    SLUG,
                    question.revision.label,
                    question.paragraph.anchor,
                    question.evidence_start,
                    question.evidence_end,
                )
                break
        else:
            pytest.fail("no question cites a paragraph with a payload")
    assert "window.__pwned" in assert_inert(teacher_page, url)
    teacher_page.goto("/quiz/new")
    teacher_page.locator("main form [type=submit]").last.click()
    teacher_page.wait_for_load_state("load")
    assert_inert(teacher_page, teacher_page.url)
