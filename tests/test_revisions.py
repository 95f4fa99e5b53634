"""Revision tracking: the sheet diff, ``quiz sheet-diff``, importing a new revision, PDFs.

The small sheet below has two revisions: of four quizzable paragraphs, one is
moved but unchanged (Maastricht), one stays in place (Lisbonne, with a doubled
space and a typographic apostrophe that leave its anchor alone), one is
rewritten (BCE), one removed (euro), and one paragraph is new (Parlement).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import QUESTIONS_DIR, Snapshot, attempt_on
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from quiz.extensions import db
from quiz.generate import Paragraph, SheetError, SheetResult, discover, generate
from quiz.generate.diff import diff_paragraphs, diff_sheets, evidence_anchors
from quiz.generate.readers import pdf_paragraphs, read_sheet
from quiz.models import STATUS_APPROVED, Answer, Question, Revision, Sheet
from quiz.services.library.revisions import same_span
from quiz.services.study import attempts
from quiz.services.study.attempts import Owner, candidate_questions

SLUG = "fiche-essai"
BUILTIN = QUESTIONS_DIR / "otan-russie"
VISITOR = Owner(visitor_id="visitor-revisions")

MAASTRICHT = (
    "Le traité de Maastricht a été signé le 7 février 1992 par les douze États membres"
    " de la Communauté européenne."
)
LISBONNE = (
    "Le traité de Lisbonne a été signé le 13 décembre 2007 par les dirigeants des États"
    " membres de l'Union européenne."
)
# The same paragraph for the anchor: white space and apostrophes are folded.
LISBONNE_RETYPED = LISBONNE.replace("traité de", "traité  de").replace("l'Union", "l\u2019Union")
BCE = "La Banque centrale européenne (BCE) a été créée le 1er juin 1998 et siège à Francfort."
BCE_REWRITTEN = (
    "La Banque centrale européenne (BCE) a été créée le 1er juin 1998 et siège à"
    " Francfort-sur-le-Main depuis sa création."
)
EURO = "L'euro est entré en circulation le 1er janvier 2002 dans douze pays de l'Union européenne."
PARLEMENT = (
    "Le Parlement européen compte 720 députés élus au suffrage universel direct depuis les"
    " élections de juin 2024."
)
FIRST_TEXT = [MAASTRICHT, LISBONNE, BCE, EURO]
SECOND_TEXT = [BCE_REWRITTEN, LISBONNE_RETYPED, MAASTRICHT, PARLEMENT]


def write_sheet(folder: Path, revisions: dict[str, list[str]]) -> Path:
    """A sheet folder: one Markdown file per revision label, and its sheet.toml."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = [f'slug = "{SLUG}"', 'title = "Fiche d\'essai"', 'lang = "fr"']
    for label, paragraphs in revisions.items():
        (folder / f"{label}.md").write_text(
            "# Fiche d'essai\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8"
        )
        manifest += ["", "[[revisions]]", f'label = "{label}"', f'file = "{label}.md"']
    (folder / "sheet.toml").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def small_sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two-revision sheet folder (module-wide: only read)."""
    folder = tmp_path_factory.mktemp("sheets") / SLUG
    return write_sheet(folder, {"v1": FIRST_TEXT, "v2": SECOND_TEXT})


@pytest.fixture(scope="module")
def small_revisions(small_sheet: Path) -> tuple[SheetResult, SheetResult]:
    """Both revisions of the small sheet through the pipeline, generated together."""
    old, new = generate(discover([small_sheet])).sheets
    return old, new


def anchor_of(sheet: SheetResult, text: str) -> str:
    """The anchor of the paragraph of ``sheet`` that reads ``text``."""
    return next(p.anchor for p in sheet.paragraphs if p.text == text)


# --------------------------------------------------------------------------- the diff


def test_diff_sorts_paragraphs_into_four_groups(
    small_revisions: tuple[SheetResult, SheetResult],
) -> None:
    old, new = small_revisions
    diff = diff_sheets(old, new)
    assert diff.paragraphs.counts() == {"unchanged": 2, "changed": 1, "removed": 1, "added": 1}
    unchanged = {(o.text, n.text) for o, n in diff.paragraphs.unchanged}
    assert unchanged == {(MAASTRICHT, MAASTRICHT), (LISBONNE, LISBONNE_RETYPED)}
    [change] = diff.paragraphs.changed
    assert (change.old.text, change.new.text) == (BCE, BCE_REWRITTEN)
    assert 0.6 <= change.similarity < 1
    assert [p.text for p in diff.paragraphs.removed] == [EURO]
    assert [p.text for p in diff.paragraphs.added] == [PARLEMENT]


def test_a_moved_paragraph_is_unchanged(small_revisions: tuple[SheetResult, SheetResult]) -> None:
    old, new = small_revisions
    [(before, after)] = [
        pair for pair in diff_sheets(old, new).paragraphs.unchanged if pair[0].text == MAASTRICHT
    ]
    assert before.anchor == after.anchor
    assert before.index != after.index


def test_questions_are_carried_only_when_all_their_evidence_is_unchanged(
    small_revisions: tuple[SheetResult, SheetResult],
) -> None:
    old, new = small_revisions
    diff = diff_sheets(old, new)
    kept = {anchor_of(old, MAASTRICHT), anchor_of(old, LISBONNE)}
    assert diff.carried and diff.stale
    assert all(evidence_anchors(q) <= kept for q in diff.carried)
    assert all(not evidence_anchors(q) <= kept for q in diff.stale)
    assert sorted(q.id for q in diff.carried + diff.stale) == sorted(q.id for q in old.questions)
    # An order question cites every event's paragraph: some of them changed.
    assert [q.type for q in diff.stale if q.type == "order"]
    assert "order" not in {q.type for q in diff.carried}


def test_diff_json_shape(small_revisions: tuple[SheetResult, SheetResult]) -> None:
    old, new = small_revisions
    data = diff_sheets(old, new).to_json()
    assert list(data) == ["paragraphs", "stale_questions", "carried_questions"]
    assert list(data["paragraphs"]) == ["unchanged", "changed", "removed", "added"]


def paragraph(anchor: str, text: str, quizzable: bool = True) -> Paragraph:
    return Paragraph(anchor=anchor, index=0, text=text, lang="fr", quizzable=quizzable)


def test_rewrites_are_matched_best_first_and_one_to_one() -> None:
    base = "Le Conseil OTAN-Russie a été créé en mai 2002 à Rome lors d'un sommet."
    close = base.replace("mai 2002", "mai 2003")
    closer = base.replace("Rome", "Rome.")
    unrelated = "La Banque mondiale finance des projets de développement depuis 1944."
    old = [paragraph("p-a", close), paragraph("p-b", closer), paragraph("p-h", "Titre", False)]
    new = [paragraph("p-c", base), paragraph("p-d", unrelated), paragraph("p-i", "Autre", False)]
    diff = diff_paragraphs(old, new)
    assert [(c.old.anchor, c.new.anchor) for c in diff.changed] == [("p-b", "p-c")]
    assert [p.anchor for p in diff.removed] == ["p-a"]
    assert [p.anchor for p in diff.added] == ["p-d"]
    assert diff.counts() == {"unchanged": 0, "changed": 1, "removed": 1, "added": 1}


def test_same_span_follows_white_space_and_apostrophes() -> None:
    start = LISBONNE.index("13 décembre 2007")
    end = len(LISBONNE)
    new_start, new_end = same_span(LISBONNE, LISBONNE_RETYPED, start, end)
    assert (
        LISBONNE_RETYPED[new_start:new_end]
        == "13 décembre 2007 par les dirigeants des États membres de l\u2019Union européenne."
    )


# ------------------------------------------------------------------- quiz sheet-diff


def test_sheet_diff_json_on_the_builtin_revisions(runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["sheet-diff", str(BUILTIN / "2022-early.md"), str(BUILTIN / "later.txt"), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["paragraphs", "stale_questions", "carried_questions"]
    counts = data["paragraphs"]
    assert set(counts) == {"unchanged", "changed", "removed", "added"}
    # The later revision keeps almost nothing of the 2022 text.
    assert counts["unchanged"] + counts["changed"] <= 1
    assert counts["removed"] >= 20 and counts["added"] >= 1
    assert data["stale_questions"]
    assert len(data["carried_questions"]) < len(data["stale_questions"])
    # The ids are those of the import: the folder's sheet.toml gives the slug.
    generated = generate(discover([BUILTIN])).sheets[0]
    ids = data["stale_questions"] + data["carried_questions"]
    assert sorted(ids) == sorted(q.id for q in generated.questions)


def test_sheet_diff_listing(runner: FlaskCliRunner, small_sheet: Path) -> None:
    result = runner.invoke(
        args=["sheet-diff", str(small_sheet / "v1.md"), str(small_sheet / "v2.md")]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"{SLUG} [v1] v1.md → {SLUG} [v2] v2.md"
    assert lines[1] == "Paragraphs: 2 unchanged, 1 changed, 1 removed, 1 added"
    assert sum(line.startswith("  changed ") for line in lines) == 1
    assert any(line.startswith("Questions of v1: ") and "stale" in line for line in lines)
    assert any(line.startswith("  stale ") for line in lines)
    assert any(line.startswith("  carried ") for line in lines)


@pytest.mark.parametrize(
    "arguments",
    [
        ["missing.md", "v2.md"],
        ["v1.md", "."],
        ["v1.md", "sheet.toml"],
    ],
    ids=["missing file", "folder", "unknown type"],
)
def test_sheet_diff_bad_input_is_one_error_line(
    runner: FlaskCliRunner, small_sheet: Path, arguments: list[str]
) -> None:
    paths = [str(small_sheet / argument) for argument in arguments]
    result = runner.invoke(args=["sheet-diff", *paths, "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")


# ------------------------------------------------------------ importing a new revision


def import_sheets(runner: FlaskCliRunner, folder: Path) -> str:
    result = runner.invoke(args=["import-sheets", str(folder)])
    assert result.exit_code == 0, result.output
    return result.output


def revision(label: str) -> Revision:
    return db.session.scalars(select(Revision).filter_by(label=label)).one()


def by_paragraph_text(rev: Revision) -> dict[str, set[str]]:
    """uids of a revision's questions, by the text of their evidence paragraph."""
    grouped: dict[str, set[str]] = {}
    for question in rev.questions:
        grouped.setdefault(" ".join(question.paragraph.text.split()), set()).add(question.uid)
    return grouped


@pytest.fixture
def republished(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> Iterator[Path]:
    """v1 imported and one of its carried questions answered; then v2 published and imported."""
    folder = write_sheet(tmp_path / SLUG, {"v1": FIRST_TEXT})
    import_sheets(runner, folder)
    with app.app_context():
        v1 = revision("v1")
        origin = next(
            q for q in v1.questions if q.paragraph.text == MAASTRICHT and q.type != "order"
        )
        attempt = attempt_on(VISITOR, [origin])
        attempts.submit_answer(attempt, origin.id, origin.answer)
        db.session.commit()
    write_sheet(folder, {"v1": FIRST_TEXT, "v2": SECOND_TEXT})
    import_sheets(runner, folder)
    yield folder


def test_new_revision_carries_unchanged_questions(app: Flask, republished: Path) -> None:
    with app.app_context():
        v1, v2 = revision("v1"), revision("v2")
        carried = [q for q in v2.questions if q.carried_from_id is not None]
        assert carried
        for copy in carried:
            origin = db.session.get(Question, copy.carried_from_id)
            assert origin is not None and origin.revision_id == v1.id
            assert (copy.uid, copy.prompt, copy.answer, copy.status) == (
                origin.uid,
                origin.prompt,
                origin.answer,
                origin.status,
            )
            assert copy.paragraph.revision_id == v2.id
            assert copy.paragraph.anchor == origin.paragraph.anchor
            assert not copy.stale and not origin.stale
            old_evidence = origin.paragraph.text[origin.evidence_start : origin.evidence_end]
            new_evidence = copy.paragraph.text[copy.evidence_start : copy.evidence_end]
            assert " ".join(new_evidence.replace("\u2019", "'").split()) == " ".join(
                old_evidence.split()
            )
        texts = {" ".join(q.paragraph.text.split()) for q in carried}
        assert texts == {MAASTRICHT, " ".join(LISBONNE_RETYPED.split())}
    # Where the pipeline asks the same question of v2, it cites the same span.
    [_v1, generated_v2] = generate(discover([republished])).sheets
    spans = {q.id: (q.source.evidence.start, q.source.evidence.end) for q in generated_v2.questions}
    with app.app_context():
        copies = [q for q in revision("v2").questions if q.carried_from_id and q.uid in spans]
        assert any(q.paragraph.text == LISBONNE_RETYPED for q in copies)
        assert all(spans[q.uid] == (q.evidence_start, q.evidence_end) for q in copies)


def test_the_answer_history_stays_on_the_original_row(app: Flask, republished: Path) -> None:
    with app.app_context():
        [answer] = db.session.scalars(select(Answer)).all()
        assert answer.question.revision.label == "v1"
        copies = db.session.scalars(
            select(Question).filter_by(carried_from_id=answer.question_id)
        ).all()
        assert [copy.revision.label for copy in copies] == ["v2"]


def test_questions_of_changed_or_removed_paragraphs_are_stale(
    app: Flask, republished: Path
) -> None:
    with app.app_context():
        v1 = revision("v1")
        stale = {q for q in v1.questions if q.stale}
        texts = {q.paragraph.text for q in stale}
        assert {BCE, EURO} <= texts
        assert all(q.paragraph.text in (BCE, EURO) or q.type == "order" for q in stale)
        # The old revision still lists (and quizzes) its own questions.
        grouped = by_paragraph_text(v1)
        assert set(grouped) == set(FIRST_TEXT)
        assert {q.status for q in v1.questions} == {STATUS_APPROVED}
        stale_uids = {q.uid for q in stale}
        assert stale_uids <= {q.uid for q in candidate_questions(v1, None, None)}
        assert not stale_uids & {q.uid for q in revision("v2").questions}


def test_the_latest_quiz_pool_has_carried_and_new_questions_never_stale(
    app: Flask, republished: Path
) -> None:
    with app.app_context():
        v2 = revision("v2")
        pool = candidate_questions(v2, None, None)
        assert {q.revision_id for q in pool} == {v2.id}
        assert not any(q.stale for q in pool)
        assert any(q.carried_from_id for q in pool)
        new = [q for q in pool if q.paragraph.text in (BCE_REWRITTEN, PARLEMENT)]
        # No review screen yet: new questions that pass the automatic checks are approved.
        assert new and {q.status for q in new} == {STATUS_APPROVED}
        stale = {q.id for q in revision("v1").questions if q.stale}
        for _ in range(5):
            attempt = attempts.start_attempt(VISITOR, SLUG, count=50)
            assert attempt.revision_id == v2.id
            assert not set(attempt.question_ids) & stale
            assert not any(db.session.get(Question, qid).stale for qid in attempt.question_ids)  # type: ignore[union-attr]


def test_importing_again_changes_nothing(
    app: Flask,
    runner: FlaskCliRunner,
    republished: Path,
    snapshot: Callable[[Flask], Snapshot],
) -> None:
    before = snapshot(app)
    output = import_sheets(runner, republished)
    assert "Up to date" in output
    assert snapshot(app) == before


def question_states(label: str) -> list[tuple[str, bool, bool, str]]:
    """(uid, stale, carried, status) of each question of the revision ``label``."""
    return sorted(
        (q.uid, q.stale, q.carried_from_id is not None, q.status) for q in revision(label).questions
    )


def test_importing_both_revisions_at_once_gives_the_same_result(
    app: Flask, runner: FlaskCliRunner, republished: Path
) -> None:
    with app.app_context():
        expected = {label: question_states(label) for label in ("v1", "v2")}
        # End the session's reading transaction first: on PostgreSQL, DROP TABLE
        # waits for every transaction that read the table, this one included.
        db.session.close()
        db.drop_all()
        db.create_all()
    import_sheets(runner, republished)
    with app.app_context():
        assert {label: question_states(label) for label in ("v1", "v2")} == expected


def test_a_changed_earlier_revision_redoes_the_carry_over(
    app: Flask, runner: FlaskCliRunner, republished: Path
) -> None:
    # v1 is edited after v2 was published: Lisbonne no longer reads the same in both.
    edited = LISBONNE.replace("13 décembre 2007", "13 décembre 2007 au monastère des Hiéronymites")
    write_sheet(republished, {"v1": [MAASTRICHT, edited, BCE, EURO], "v2": SECOND_TEXT})
    import_sheets(runner, republished)
    with app.app_context():
        v1, v2 = revision("v1"), revision("v2")
        carried_texts = {q.paragraph.text for q in v2.questions if q.carried_from_id}
        assert carried_texts == {MAASTRICHT}
        assert all(q.stale for q in v1.questions if q.paragraph.text == edited)
        # v2's Lisbonne questions are now its own, generated for it.
        lisbonne = [q for q in v2.questions if q.paragraph.text == LISBONNE_RETYPED]
        assert lisbonne and all(q.carried_from_id is None for q in lisbonne)
    assert "Up to date" in import_sheets(runner, republished)


def test_builtin_later_revision_flags_the_2022_questions(
    imported_app: Flask, runner: FlaskCliRunner
) -> None:
    with imported_app.app_context():
        sheet = db.session.scalars(select(Sheet)).one()
        early, later = sheet.revisions
        # Almost nothing of the 2022 text survives: its questions are stale, none mixed in.
        assert early.questions and all(q.stale for q in early.questions)
        assert later.questions and not any(q.stale or q.carried_from_id for q in later.questions)
        # A fresh install still gives learners approved questions on the latest revision.
        pool = candidate_questions(later, None, None)
        assert pool and {q.status for q in pool} == {STATUS_APPROVED}
        attempt = attempts.start_attempt(VISITOR, sheet.slug, count=50)
        asked = [db.session.get(Question, qid) for qid in attempt.question_ids]
        assert all(q is not None and q.revision_id == later.id and not q.stale for q in asked)
        db.session.rollback()
    result = runner.invoke(args=["import-sheets"])
    assert "Up to date" in result.output


# ------------------------------------------------------------------------------- PDF


def pdf_bytes(pages: list[list[str]]) -> bytes:
    """A minimal real PDF: one page per list of lines, Helvetica in WinAnsi (accents)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    for i, lines in enumerate(pages):
        operators = ["BT", "/F1 11 Tf", "14 TL", "50 780 Td"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            operators.append(f"({escaped}) Tj T*")
        operators.append("ET")
        if not lines:  # a scan: something drawn, no text
            operators = ["0 0 m 200 200 l S"]
        stream = "\n".join(operators).encode("cp1252")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
            b" /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


PDF_PAGES = [
    [
        "Les relations OTAN-Russie",
        "La Russie a rejoint le Conseil de coopération nord-atlantique en",
        "1991, puis le programme du Partenariat pour la paix en 1994. La coopé-",
        "ration pratique a été suspendue en avril 2014.",
        "L'Acte fondateur OTAN-",
        "Russie a été signé le 27 mai 1997 à Paris par les dirigeants des pays",
        "de l'OTAN et de la Russie.",
    ],
    [
        "2",
        "Le Conseil OTAN-Russie (COR) a été créé en mai 2002 à Rome, lors d'un",
        "sommet réunissant les chefs d'État et de gouvernement.",
    ],
]


def test_pdf_paragraphs_are_rebuilt_from_lines(tmp_path: Path) -> None:
    path = tmp_path / "fiche.pdf"
    path.write_bytes(pdf_bytes(PDF_PAGES))
    title, blocks = read_sheet(path)
    assert title == "Les relations OTAN-Russie"
    assert [block.kind for block in blocks] == ["heading", "paragraph", "paragraph", "paragraph"]
    first, second, third = (block.text for block in blocks[1:])
    assert first.startswith("La Russie a rejoint") and first.endswith("avril 2014.")
    assert "La coopération pratique" in first  # the hyphenated word is whole again
    assert second.startswith("L'Acte fondateur OTAN-Russie a été signé")  # a real hyphen stays
    assert third.startswith("Le Conseil OTAN-Russie (COR)")  # the page number is gone
    assert "2 Le Conseil" not in third


def test_a_pdf_sheet_goes_through_the_pipeline(tmp_path: Path) -> None:
    path = tmp_path / "fiche.pdf"
    path.write_bytes(pdf_bytes(PDF_PAGES))
    [sheet] = generate(discover([path])).sheets
    assert sheet.source.slug == "fiche" and sheet.questions
    assert {q.source.paragraph for q in sheet.questions} <= {p.text for p in sheet.paragraphs}


def test_pdf_paragraphs_split_on_blank_lines_and_bullets() -> None:
    pages = ["Une phrase sans point\n\nsuivie d'une autre.\n• un point de liste.\n• un autre"]
    assert pdf_paragraphs(pages) == [
        "Une phrase sans point",
        "suivie d'une autre.",
        "• un point de liste.",
        "• un autre",
    ]


def test_a_scanned_pdf_has_no_text_layer(tmp_path: Path, runner: FlaskCliRunner) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(pdf_bytes([[], []]))
    with pytest.raises(SheetError, match=r"no text layer \(scanned PDF\?\)"):
        read_sheet(path)
    result = runner.invoke(args=["generate", str(path), "--json"])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {path}: no text layer (scanned PDF?)"


def test_a_damaged_pdf_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "abime.pdf"
    path.write_bytes(b"%PDF-1.4\nce n'est pas un PDF\n")
    with pytest.raises(SheetError, match="not a readable PDF"):
        read_sheet(path)
    shutil.copy(path, tmp_path / "copie.pdf")
    with pytest.raises(SheetError, match="not a readable PDF"):
        generate(discover([tmp_path / "copie.pdf"]))
