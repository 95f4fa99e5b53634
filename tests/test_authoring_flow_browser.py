"""The whole authoring story in a real Chromium, against a live server, one step after another.

An instructor logs in through the login page, uploads a French sheet (the
Millau viaduct, ``tests/data/flow/``) and reads its paragraphs and facts;
approves some of its generated drafts from the review queue filtered on the
sheet (chosen by the paragraph they cite, not by their generated wording); edits
one approved question: a new prompt and answer, and its evidence re-pointed to
another paragraph by dragging the mouse over the words in the picker;
approves that new version from its page; uploads a revision of the sheet that
rewrites two paragraphs (one cited by approved questions, one by the edited
question's first version) and finds the stale questions flagged; retires one.
A visitor then takes a quiz on each revision and gets only approved, current
questions: never a draft, a superseded version, a retired or a stale question;
every question the quiz leaves out would have given an asked one away.

Every step is checked in the database (``app.app_context()``), not only on the
page. Uploads run the real ``quiz import-file`` in a child process (spaCy):
seconds each. Screenshots land in ``tests/screenshots/flow-*.png``.

A second test takes the same steps, then uploads a revision that rewrites only
the paragraph the edited question was re-pointed to: the question waits for the
instructor in the stale list, and the pipeline never gets its replaced version back.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from browser_helpers import CHROMIUM, CHROMIUM_ARGS, ROLE_PASSWORD, live_server
from conftest import REPO_ROOT, make_app
from flask import Flask
from sqlalchemy import select

from quiz.extensions import db
from quiz.generate.questions.overlap import pick
from quiz.models import (
    STATUS_APPROVED,
    STATUS_DRAFT,
    STATUS_RETIRED,
    STATUS_SUPERSEDED,
    Attempt,
    Paragraph,
    Question,
    Revision,
    Sheet,
    User,
)
from quiz.services.accounts import users
from quiz.services.authoring import approval
from quiz.services.study import attempts
from quiz.services.study.drawing import pool_of

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FLOW = REPO_ROOT / "tests" / "data" / "flow"
FIRST_FILE = FLOW / "viaduc-de-millau-2004.md"
SECOND_FILE = FLOW / "viaduc-de-millau-2024.md"
# Another second revision: it rewrites only the paragraph the edited question was re-pointed to.
REPOINTED_CHANGED = FLOW / "viaduc-de-millau-2023.md"
SLUG = "viaduc-de-millau"  # typed in the form
TITLE = "Le viaduc de Millau"  # left blank in the form: the file's first heading
OLD, NEW = "2004", "2024"
TEACHER = "instructrice-flow"
SCREENSHOTS = REPO_ROOT / "tests" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
NEW_PROMPT = "Quel ingénieur a conçu le viaduc ? Complétez : « L'ouvrage est conçu par _____. »"
# The words the edited question's evidence is re-pointed to, in the last paragraph.
NEW_EVIDENCE = "l'ouvrage conçu par Michel Virlogeux"
# The generated drafts the instructor approves, found by what they ask about, not by their
# exact wording (the generator's questions change): the paragraph they cite (how it begins).
# The edited one, a free answer on the designer's paragraph, gets the designer's name as its
# answer, which its new evidence proves.
EDITED = "L'ingénieur français"  # the revision rewrites it
NEW_ANSWER = "Michel Virlogeux"
WORKS = "Le chantier commence"  # rewritten too: one question stays stale, one is retired
# Unchanged by the revision: two of their questions are carried (never the one the edited
# question is re-pointed to: the second story's revision rewrites it).
UNCHANGED = ("Le viaduc de Millau est", "Le président", "Le tablier mesure", "Eiffage exploite")
# The new revision's added paragraph: one of its questions is approved there.
ADDED = "Le viaduc reçoit"
# A learner answers these types through the quiz pages as ``take_quiz`` does.
ANSWERABLE = ("mcq", "true_false", "cloze", "short", "numeric")


@dataclass
class Story:
    """The ids the steps find and the later steps check."""

    edited: int = 0  # version 1 of the edited question
    new_version: int = 0  # its version 2
    stale: int = 0
    retired: int = 0
    kept: list[int] = field(default_factory=list)
    own: int = 0  # a question generated for the new revision, approved there
    flagged: set[int] = field(default_factory=set)  # the stale list, as the page shows it

    @property
    def approved(self) -> list[int]:
        return [self.edited, self.stale, self.retired, *self.kept]


# Fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    """A live server on a fresh SQLite file with one instructor account; yields (URL, app)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    app = make_app(tmp_path / "quiz.sqlite")
    with app.app_context():
        db.create_all()
        users.register(TEACHER, ROLE_PASSWORD, role="instructor")
        db.session.commit()
    with live_server(app) as url:
        yield url, app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def browser(server: tuple[str, Flask]) -> Iterator[Any]:
    """A headless Chromium (the system's, never a downloaded one)."""
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def new_page(browser: Any, base: str) -> Any:
    """A desktop-sized tab in a context of its own; its script errors are collected."""
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR", base_url=base)
    context.set_default_timeout(30_000)  # an upload generates questions: seconds
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    return page


def shoot(page: Any, name: str, at_element: str | None = None) -> None:
    """A full-page screenshot of the current page; of the window around ``at_element``
    (a CSS selector) instead, for the long pages."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if at_element is not None:
        page.locator(at_element).evaluate("element => element.scrollIntoView()")
    page.screenshot(path=SCREENSHOTS / f"flow-{name}.png", full_page=at_element is None)


def at(path: str, **params: str) -> Callable[[str], bool]:
    """Whether a URL is ``path`` with (at least) these query parameters."""

    def matches(url: str) -> bool:
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        return parts.path == path and all(query.get(k) == v for k, v in params.items())

    return matches


def flash(page: Any) -> str:
    return " ".join(page.locator(".flash").all_inner_texts())


# The database -------------------------------------------------------------------------------


def revision_of(label: str) -> Revision:
    revision = db.session.scalar(
        select(Revision).join(Sheet).where(Sheet.slug == SLUG, Revision.label == label)
    )
    assert revision is not None, f"no revision {label} of {SLUG}"
    return revision


def generated(
    app: Flask,
    paragraph_start: str,
    label: str = OLD,
    types: tuple[str, ...] = ANSWERABLE,
    skip: tuple[int, ...] = (),
) -> int | None:
    """The first generated question (by id) of revision ``label`` whose paragraph begins with
    ``paragraph_start``, of one of ``types``, none of ``skip``; among the first page of the
    review queue (where the instructor ticks it).
    None when there is none."""
    with app.app_context():
        questions = sorted(revision_of(label).questions, key=lambda q: q.id)
        found = [
            question.id
            for question in questions[: approval.QUEUE_PAGE_SIZE]
            if question.carried_from_id is None
            and question.id not in skip
            and question.type in types
            and "'" not in str(question.answer)  # the quiz page's selectors quote it
            and question.paragraph.text.startswith(paragraph_start)
        ]
    return found[0] if found else None


def chosen(found: int | None, what: str) -> int:
    """``found``, which the sheet's generated questions must hold."""
    assert found is not None, f"no generated question {what}"
    return found


def statuses(app: Flask, label: str) -> dict[int, str]:
    """Status of each question of the revision, by id."""
    with app.app_context():
        return {question.id: question.status for question in revision_of(label).questions}


def paragraph_starting(app: Flask, label: str, start: str) -> Paragraph:
    with app.app_context():
        found = [p for p in revision_of(label).paragraphs if p.text.startswith(start)]
        assert len(found) == 1, start
        db.session.expunge_all()
        return found[0]


def evidence_anchors(question: Question) -> set[str]:
    """Every paragraph a question's proof rests on (``order`` questions cite several)."""
    return {question.paragraph.anchor, *(source["anchor"] for source in question.item_sources)}


# Steps --------------------------------------------------------------------------------------


def log_in(page: Any) -> None:
    """Step 1: the login page, then the interface in English through the language switch."""
    page.goto("/login")
    page.fill("input[name=username]", TEACHER)
    page.fill("input[name=password]", ROLE_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(at("/author/questions"))  # an instructor lands on the review queue
    assert page.locator(".username").inner_text() == TEACHER
    with page.expect_navigation():
        page.click(".language-switch button[lang=en]")
    assert at("/author/questions")(page.url)
    assert page.get_attribute("html", "lang") == "en"
    assert page.get_by_role("link", name="Authoring").get_attribute("aria-current") == "page"


def upload_sheet(page: Any, app: Flask) -> None:
    """Step 2: a new sheet through the upload form; its paragraphs with their facts."""
    page.goto("/author/sheets")
    page.get_by_role("link", name="Upload a new sheet").click()
    page.wait_for_url("**/author/upload")
    page.set_input_files("input[name=file]", FIRST_FILE)
    page.fill("input[name=slug]", SLUG)
    page.fill("input[name=revision]", OLD)
    shoot(page, "upload")
    page.get_by_role("button", name="Upload and write the questions").click()
    page.wait_for_url(f"**/author/sheets/{SLUG}/revisions/{OLD}")
    assert flash(page) == f"Revision {OLD} imported."
    with app.app_context():
        revision = revision_of(OLD)
        assert (revision.sheet.title, revision.sheet.lang) == (TITLE, "fr")
        facts = {p.anchor: p.facts for p in revision.paragraphs if p.quizzable}
        assert len(facts) == 7 and all(facts.values())
        assert revision.questions and {q.status for q in revision.questions} == {STATUS_DRAFT}
    # Each paragraph as stored, with as many facts as the import found in it.
    shown = page.locator(".author-paragraph").evaluate_all(
        "items => items.map(item => [item.id, Number(item.dataset.facts)])"
    )
    assert dict(shown) == {anchor: len(found) for anchor, found in facts.items()}
    assert page.locator(".fact-list li").count() == sum(len(found) for found in facts.values())
    # Each fact is marked in its paragraph (those overlapping no other: a mark of its kind).
    for anchor, found in facts.items():
        for fact in found:
            if any(
                other is not fact and other["start"] < fact["end"] and fact["start"] < other["end"]
                for other in found
            ):
                continue
            marks = page.locator(f"[id='{anchor}'] mark.fact-{fact['kind']}", has_text=fact["text"])
            assert marks.count() >= 1, (anchor, fact)
    assert page.locator("mark.fact-person", has_text="Michel Virlogeux").count() >= 1
    shoot(page, "sheet")


def approve_some(page: Any, app: Flask, story: Story) -> None:
    """Step 3: the queue filtered on the sheet; tick some drafts, approve them in bulk."""
    story.edited = chosen(generated(app, EDITED, types=("cloze", "short")), f"on {EDITED!r}")
    story.stale = chosen(generated(app, WORKS), f"on {WORKS!r}")
    story.retired = chosen(generated(app, WORKS, skip=(story.stale,)), f"on {WORKS!r}")
    kept = [generated(app, start) for start in UNCHANGED]
    story.kept = [question_id for question_id in kept if question_id is not None][:2]
    assert len(story.kept) == 2, f"no two questions on the paragraphs {UNCHANGED}"
    before = statuses(app, OLD)
    page.get_by_role("link", name="Review these questions").click()
    page.wait_for_url(at("/author/questions", sheet=SLUG, revision=OLD))
    assert page.locator(".queue-count").inner_text() == f"{len(before)} questions"
    assert page.locator(".queue-item .status-draft").count() == min(len(before), 20)
    for question_id in story.approved:
        page.check(f"#pick-{question_id}")
    shoot(page, "queue", at_element=f"#question-{story.edited}")
    with page.expect_navigation():
        page.get_by_role("button", name="Approve the ticked questions").click()
    assert at("/author/questions", sheet=SLUG, revision=OLD)(page.url)  # the filters kept
    assert flash(page) == f"{len(story.approved)} questions approved."
    after = statuses(app, OLD)
    assert {qid for qid, status in after.items() if status == STATUS_APPROVED} == set(
        story.approved
    )
    assert {qid for qid, status in after.items() if status == STATUS_DRAFT} == (
        set(before) - set(story.approved)
    )
    # The queue shows drafts (the work left); the approved ones are under their status.
    assert page.locator(".queue-item .status-draft").count() == min(
        len(before) - len(story.approved), 20
    )
    for question_id in story.approved:
        assert page.locator(f"#question-{question_id}").count() == 0
    page.select_option(".queue-filters select[name=status]", "approved")
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()
    for question_id in story.approved:
        assert page.locator(f"#question-{question_id} .status-approved").is_visible()


def drag_over(page: Any, text: str, words: str) -> None:
    """Select ``words`` of the picker's text with the mouse: press before their first
    character, drag to just after their last one, release."""
    start = text.index(words)
    page.locator(".picker-text").scroll_into_view_if_needed()
    first, last = page.evaluate(
        """([start, end]) => {
          const node = document.querySelector('.picker-text').firstChild;
          const units = (i) => Array.from(node.data).slice(0, i).join('').length;
          const box = (i) => {
            const range = document.createRange();
            range.setStart(node, units(i));
            range.setEnd(node, units(i + 1));
            return range.getBoundingClientRect().toJSON();
          };
          return [box(start), box(end - 1)];
        }""",
        [start, start + len(words)],
    )
    page.mouse.move(first["left"] + 1, first["top"] + first["height"] / 2)
    page.mouse.down()
    page.mouse.move(last["right"] - 1, last["top"] + last["height"] / 2, steps=8)
    page.mouse.up()


def edit_and_repoint(page: Any, app: Flask, story: Story) -> None:
    """Step 4: edit an approved question, re-point its evidence, approve the new version."""
    target = paragraph_starting(app, OLD, "En 2019")
    with app.app_context():
        original = db.session.get(Question, story.edited)
        old_prompt, old_paragraph = original.prompt, original.paragraph_id
    page.click(f"#question-{story.edited} a.queue-edit")
    page.wait_for_url(f"**/author/questions/{story.edited}/edit")
    page.fill("textarea[name=prompt]", NEW_PROMPT)
    page.fill("input[name=answer]", NEW_ANSWER)
    page.fill("textarea[name=accepted]", "")
    page.select_option("select[name=paragraph]", str(target.id))
    assert page.locator(".picker-text").text_content() == target.text
    assert page.input_value("input[name=evidence_start]") == ""  # positions of the old one go
    drag_over(page, target.text, NEW_EVIDENCE)
    start = target.text.index(NEW_EVIDENCE)
    end = start + len(NEW_EVIDENCE)
    assert page.input_value("input[name=evidence_start]") == str(start)
    assert page.input_value("input[name=evidence_end]") == str(end)
    assert page.locator(".picker-text mark").inner_text() == NEW_EVIDENCE
    assert page.locator(".picker-selected q").inner_text() == NEW_EVIDENCE
    shoot(page, "editor")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r".*/author/questions/\d+$"))
    story.new_version = int(page.url.rsplit("/", 1)[1])
    assert story.new_version != story.edited
    assert "Saved as version 2, a draft" in flash(page)
    assert "Learners get version 1 until this one is approved." in page.inner_text(".editor-notice")
    assert page.locator(".check-failed").count() == 0
    assert page.locator(".editor-preview .prompt").inner_text() == NEW_PROMPT
    assert page.locator(".editor-preview mark").inner_text() == NEW_EVIDENCE
    with app.app_context():
        draft = db.session.get(Question, story.new_version)
        original = db.session.get(Question, story.edited)
        assert (draft.status, draft.version, draft.replaces_id) == (STATUS_DRAFT, 2, original.id)
        assert (draft.uid, draft.revision_id) == (original.uid, original.revision_id)
        assert (draft.prompt, draft.answer, draft.paragraph_id) == (
            NEW_PROMPT,
            NEW_ANSWER,
            target.id,
        )
        assert (draft.evidence_start, draft.evidence_end) == (start, end)
        assert draft.edited_at is not None
        assert draft.edited_by_id == db.session.scalar(select(User.id).filter_by(username=TEACHER))
        # Learners keep the approved version, untouched, until the new one is approved.
        assert original.status == STATUS_APPROVED
        assert (original.prompt, original.paragraph_id) == (old_prompt, old_paragraph)
    page.click("#approve")
    page.wait_for_url(f"**/author/questions/{story.new_version}")
    assert flash(page) == "Version 2 approved: learners get it now."
    assert page.locator(".editor-where .status-approved").is_visible()
    assert page.locator(".history-entry").count() == 2
    shoot(page, "question")
    with app.app_context():
        assert db.session.get(Question, story.new_version).status == STATUS_APPROVED
        assert db.session.get(Question, story.edited).status == STATUS_SUPERSEDED
    page.goto(f"/author/questions/{story.edited}")
    assert "Version 2 replaced this one." in page.inner_text(".editor-notice")
    assert page.locator(".editor-where .status-superseded").is_visible()


def upload_new_revision(page: Any, path: Path, label: str) -> None:
    """A new revision of the sheet through its upload form, from the latest revision's page."""
    page.goto(f"/author/sheets/{SLUG}")
    page.get_by_role("link", name="Upload a new revision").click()
    page.wait_for_url(f"**/author/sheets/{SLUG}/upload")
    page.set_input_files("input[name=file]", path)
    page.fill("input[name=revision]", label)
    page.get_by_role("button", name="Upload and write the questions").click()
    page.wait_for_url(f"**/author/sheets/{SLUG}/revisions/{label}")
    assert page.locator(".flash-success").inner_text() == f"Revision {label} imported."
    # The questions this revision left stale are announced, with where to decide.
    assert "stale list" in page.locator(".flash-warning").inner_text()


def stale_ids(page: Any) -> list[int]:
    """The question ids the stale list shows."""
    return page.locator(".stale-item").evaluate_all(
        "items => items.map(item => Number(item.dataset.question))"
    )


def stale_list_of_old(page: Any) -> list[int]:
    """The ids the stale list of the first revision shows, reached from its page."""
    page.goto(f"/author/sheets/{SLUG}/revisions/{OLD}")
    page.get_by_role("link", name="Carry them forward or retire them").click()
    page.wait_for_url(at(f"/author/sheets/{SLUG}/stale", revision=OLD))
    return stale_ids(page)


def upload_revision(page: Any, app: Flask, story: Story) -> None:
    """Step 5: the new revision; the stale list flags what it no longer proves."""
    upload_new_revision(page, SECOND_FILE, NEW)
    shoot(page, "revision")
    with app.app_context():
        old, new = revision_of(OLD), revision_of(NEW)
        kept_anchors = {p.anchor for p in new.paragraphs if p.quizzable and not p.retired}
        rewritten = {p.anchor for p in old.paragraphs if p.quizzable} - kept_anchors
        assert len(rewritten) == 2  # the designer's paragraph and the works' one
        # Independent of the import's own flags: whose proof rests on a rewritten paragraph.
        expected = {
            q.id
            for q in old.questions
            if q.status not in (STATUS_SUPERSEDED, STATUS_RETIRED)
            and evidence_anchors(q) & rewritten
        }
        assert {q.id for q in old.questions if q.stale} >= expected
        # None comes back in the new revision under its id (that would close it unseen).
        regenerated = {q.uid for q in new.questions} & {
            q.uid for q in old.questions if q.id in expected
        }
        assert not regenerated, f"stale questions' ids generated again: {regenerated}"
        assert {story.stale, story.retired} <= expected
        assert not {story.edited, story.new_version, *story.kept} & expected
        # The edited question's first version cited a rewritten paragraph; the new one does not.
        assert db.session.get(Question, story.edited).paragraph.anchor in rewritten
        assert not db.session.get(Question, story.new_version).stale
    page.locator(".revision-nav").get_by_role("link", name=OLD).click()
    page.wait_for_url(f"**/author/sheets/{SLUG}/revisions/{OLD}")
    notice = page.locator(".sheet-summary .notice-warning").inner_text()
    assert notice.startswith(f"{len(expected)} questions of this revision are stale")
    page.get_by_role("link", name="Carry them forward or retire them").click()
    page.wait_for_url(at(f"/author/sheets/{SLUG}/stale", revision=OLD))
    shown = stale_ids(page)
    story.flagged = set(shown)
    assert len(shown) == len(story.flagged)
    assert story.flagged == expected, (
        f"stale list {sorted(story.flagged)}, expected {sorted(expected)} "
        f"(superseded version 1: {story.edited})"
    )
    assert (
        page.locator(".stale-toolbar .queue-count")
        .inner_text()
        .startswith(f"{len(expected)} questions waiting for a decision")
    )
    assert page.locator(f"#question-{story.stale} .badge-warning").inner_text() == "stale"
    shoot(page, "stale", at_element=f"#question-{story.stale}")
    with page.expect_navigation():
        page.locator(f"#question-{story.retired}").get_by_role("button", name="Retire").click()
    assert flash(page) == f"Question {story.retired} retired."
    assert page.locator(f"#question-{story.retired}").count() == 0
    assert page.locator(".stale-item").count() == len(expected) - 1
    with app.app_context():
        assert db.session.get(Question, story.retired).status == STATUS_RETIRED
    page.locator(".author-nav").get_by_role("link", name="Sheets").click()
    page.wait_for_url(at("/author/sheets"))
    stale_link = page.locator(f"a[href='/author/sheets/{SLUG}/stale?revision={OLD}']")
    assert stale_link.inner_text() == str(len(expected) - 1)
    shoot(page, "sheets")


def approve_a_new_one(page: Any, app: Flask, story: Story) -> None:
    """Step 5 (end): the queue's filter form on the new revision's drafts; approve one."""
    story.own = chosen(generated(app, ADDED, label=NEW), f"on {ADDED!r}")
    with app.app_context():
        kind = db.session.get(Question, story.own).type
        drafts = {
            q.id for q in revision_of(NEW).questions if (q.type, q.status) == (kind, STATUS_DRAFT)
        }
    page.locator(".author-nav").get_by_role("link", name="Review queue").click()
    page.wait_for_url(at("/author/questions"))
    for name, value in (("sheet", SLUG), ("revision", NEW), ("type", kind), ("status", "draft")):
        page.select_option(f".queue-filters select[name={name}]", value)
    page.get_by_role("button", name="Filter").click()
    filtered = at("/author/questions", sheet=SLUG, revision=NEW, type=kind, status="draft")
    page.wait_for_url(filtered)
    listed = page.locator(".queue-item").evaluate_all(
        "items => items.map(item => Number(item.id.replace('question-', '')))"
    )
    assert set(listed) == drafts and story.own in drafts
    page.check(f"#pick-{story.own}")
    with page.expect_navigation():
        page.get_by_role("button", name="Approve the ticked questions").click()
    assert filtered(page.url)
    assert flash(page) == "1 question approved."
    assert page.locator(f"#question-{story.own}").count() == 0  # no longer a draft
    with app.app_context():
        assert db.session.get(Question, story.own).status == STATUS_APPROVED


def check_carried(app: Flask, story: Story) -> dict[str, int]:
    """The new revision's copies of the approved questions that still hold, by uid."""
    with app.app_context():
        new = revision_of(NEW)
        copies = {q.uid: q for q in new.questions if q.carried_from_id is not None}
        version_two = db.session.get(Question, story.new_version)
        copy = copies[version_two.uid]
        assert copy.carried_from_id == version_two.id  # the approved version, not the first
        assert (copy.status, copy.prompt, copy.stale) == (STATUS_APPROVED, NEW_PROMPT, False)
        assert copy.paragraph.revision_id == new.id
        assert copy.paragraph.text[copy.evidence_start : copy.evidence_end] == NEW_EVIDENCE
        for question_id in story.kept:
            origin = db.session.get(Question, question_id)
            assert copies[origin.uid].carried_from_id == origin.id
            assert copies[origin.uid].status == STATUS_APPROVED
        stale_uids = {db.session.get(Question, qid).uid for qid in story.flagged}
        assert not stale_uids & {q.uid for q in new.questions}
        return {uid: question.id for uid, question in copies.items()}


def take_quiz(page: Any, app: Flask, label: str) -> list[int]:
    """A visitor's quiz of as many questions as possible on revision ``label``, answered
    right one by one; the ids of the questions the pages asked, in order."""
    page.goto(f"/quiz/new?sheet={SLUG}&revision={label}")
    assert page.is_checked(f"input[name=revision][value='{label}']")
    page.fill("#count", "50")
    page.click("form.setup-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/quiz/\d+$"))
    attempt_id = int(page.url.rsplit("/", 1)[1])
    asked: list[int] = []
    while "/summary" not in page.url:
        question_id = int(page.get_attribute("input[name=question_id]", "value"))
        asked.append(question_id)
        with app.app_context():
            question = db.session.get(Question, question_id)
            kind, answer, prompt = question.type, question.answer, question.prompt
            evidence = question.paragraph.text[question.evidence_start : question.evidence_end]
        assert page.locator(".prompt").inner_text() == prompt
        if kind in ("mcq", "true_false"):
            page.check(f"input[name=answer][value='{answer}']")
        else:
            page.fill("#answer", answer)
        if question_id == asked[0] and label == NEW:
            shoot(page, "learner-question")
        page.click("form.answer-form button[type=submit]")
        page.wait_for_url(f"**/quiz/{attempt_id}/answers/{question_id}")
        assert page.locator(".verdict-right").is_visible()
        assert page.locator(".source mark").inner_text() == evidence
        if prompt == NEW_PROMPT:
            shoot(page, f"learner-feedback-{label}")
        with page.expect_navigation():
            page.click("#continue")
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.revision.label == label
        assert attempt.question_ids == asked
        assert len(attempt.answers) == len(asked) and all(a.correct for a in attempt.answers)
    return asked


def learner_quizzes(browser: Any, base: str, app: Flask, story: Story) -> Any:
    """Step 6: a visitor, in a context of their own, takes a quiz on each revision."""
    copies = check_carried(app, story)
    learner = new_page(browser, base)
    latest = take_quiz(learner, app, NEW)
    shoot(learner, "learner-summary")
    with app.app_context():
        new = revision_of(NEW)
        served = {q.id for q in new.questions if q.status == STATUS_APPROVED}
        for question_id in latest:
            question = db.session.get(Question, question_id)
            assert question.revision_id == new.id, f"question {question_id} is of another revision"
            assert question.status == STATUS_APPROVED, f"{question_id} is {question.status}"
            assert not question.stale, f"question {question_id} is stale"
            assert question.paragraph.revision_id == new.id  # nothing cites the older text here
            # Of the earlier revision's questions, only carried copies come along.
            if question.carried_from_id is None:
                assert question.uid not in {q.uid for q in revision_of(OLD).questions}
            else:
                assert question.carried_from.revision.label == OLD
                assert question.carried_from_id not in (story.edited, story.stale, story.retired)
        kept_uids = {db.session.get(Question, qid).uid for qid in [story.new_version, *story.kept]}
        pool = {q.id for q in attempts.candidate_questions(new, None, None)}
    assert pool == served == {story.own, *(copies[uid] for uid in kept_uids)}
    assert_a_full_quiz(app, latest, pool)

    earlier = take_quiz(learner, app, OLD)
    assert story.edited not in earlier and story.retired not in earlier
    with app.app_context():
        pool = {q.id for q in attempts.candidate_questions(revision_of(OLD), None, None)}
    # The stale question is still true of its own revision: that revision's quizzes keep it.
    assert pool == {story.new_version, story.stale, *story.kept}
    assert_a_full_quiz(app, earlier, pool)
    assert learner.errors == []
    return learner


def assert_a_full_quiz(app: Flask, asked: list[int], pool: set[int]) -> None:
    """The quiz asked questions of ``pool`` only, and left one out only when it would give
    an asked one away or rest on the same sentence (a quiz never asks both)."""
    assert asked and set(asked) <= pool
    with app.app_context():
        for left_out in pool - set(asked):
            kept = pick([*pool_of(asked), *pool_of([left_out])], len(asked) + 1)
            assert len(kept) == len(asked), f"question {left_out} fits the quiz, left out"


# The story ----------------------------------------------------------------------------------


def author_and_edit(browser: Any, base: str, app: Flask, story: Story) -> Any:
    """The steps both stories share: log in, upload, approve some, edit and re-point one."""
    page = new_page(browser, base)
    log_in(page)
    upload_sheet(page, app)
    approve_some(page, app, story)
    edit_and_repoint(page, app, story)
    return page


def test_an_instructor_authors_a_sheet_and_a_learner_gets_only_approved_current_questions(
    browser: Any, server: tuple[str, Flask]
) -> None:
    base, app = server
    story = Story()
    page = author_and_edit(browser, base, app, story)
    upload_revision(page, app, story)
    approve_a_new_one(page, app, story)
    assert page.errors == []
    learner = learner_quizzes(browser, base, app, story)
    learner.context.close()
    page.context.close()


def test_a_revision_that_changes_the_repointed_paragraph_flags_the_edited_question(
    browser: Any, server: tuple[str, Flask]
) -> None:
    """The same instructor's steps, then a revision that rewrites only the paragraph the
    edited question now cites: that question must wait for her decision in the stale list,
    and the new revision must not get the version she replaced back."""
    base, app = server
    story = Story()
    page = author_and_edit(browser, base, app, story)
    upload_new_revision(page, REPOINTED_CHANGED, "2023")
    flagged = stale_list_of_old(page)
    with app.app_context():
        edited = db.session.get(Question, story.new_version)
        superseded = db.session.get(Question, story.edited)
        assert edited.stale  # the import does see that its evidence changed
        again = [
            (q.id, q.status, q.version)
            for q in revision_of("2023").questions
            if q.uid == edited.uid and q.prompt == superseded.prompt
        ]
    page.context.close()
    assert story.new_version in flagged, (
        f"question {story.new_version} (version 2, approved, stale) is missing from the stale"
        f" list {sorted(flagged)}; revision 2023 got its uid again with version 1's content"
        f" instead: (id, status, version) {again}"
    )
    assert again == [], f"revision 2023 regenerated the superseded version: {again}"
