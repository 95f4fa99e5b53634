"""Another process holds SQLite's write lock: writes answer 503 in time, reads go on.

A real gunicorn (two workers, as `make run` starts it) serves a copy of the
imported database; the test itself plays the other process, holding the lock
with ``BEGIN IMMEDIATE`` on the file, as a backup or a long import would.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser_helpers import free_port
from conftest import copy_database, make_app
from server_helpers import (
    Reply,
    browser_opener,
    request,
    server_environment,
    start_gunicorn,
    stop_server,
    wait_until_serving,
)
from sqlalchemy.exc import OperationalError

from quiz.app import SQLITE_BUSY_TIMEOUT_MS
from quiz.extensions import db
from quiz.services.database import is_lock_timeout

pytestmark = [
    pytest.mark.slow,
    pytest.mark.sqlite_only(reason="SQLite's write lock, held by another connection"),
]

BUSY_TIMEOUT_S = SQLITE_BUSY_TIMEOUT_MS / 1000
# A write must be answered within the busy timeout, give or take a busy machine.
ANSWER_SLACK_S = 1.5
READ_WITHIN_S = 1.0
FRENCH = {"Accept-Language": "fr"}


@dataclass
class Site:
    """The served copy: its URL, its database file, and a learner's token and attempt."""

    url: str
    database: Path
    token: str
    attempt: dict


@pytest.fixture
def site(imported_database: Path, tmp_path: Path) -> Iterator[Site]:
    """gunicorn on a copy of the imported sheets, with a learner who started a quiz."""
    database = copy_database(imported_database, tmp_path / "quiz.sqlite")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = server_environment(f"sqlite:///{database}", tmp_path / "instance")
    # No queue worker here: uploads would run in the request, and /healthz knows it.
    (tmp_path / "instance").mkdir(exist_ok=True)
    (tmp_path / "instance" / "config.py").write_text("QUEUE_IMMEDIATE = True\n", encoding="utf-8")
    log = tmp_path / "gunicorn.log"
    server = start_gunicorn(port, env, log)
    try:
        wait_until_serving(f"{url}/", server, log)
        registered = request(
            "POST",
            f"{url}/api/v1/auth/register",
            json_body={"username": "learner", "password": "correct horse battery"},
        )
        assert registered.status == 201, registered.text
        token = registered.json()["token"]
        sheet = request("GET", f"{url}/api/v1/sheets", headers=bearer(token)).json()[0]["slug"]
        started = request(
            "POST",
            f"{url}/api/v1/attempts",
            json_body={"sheet": sheet, "count": 5},
            headers=bearer(token),
        )
        assert started.status == 201, started.text
        yield Site(url, database, token, started.json())
    finally:
        stop_server(server)


def bearer(token: str) -> dict[str, str]:
    """The header that authenticates an API request."""
    return {"Authorization": f"Bearer {token}"}


class HeldWriteLock:
    """Another process's write transaction on the file, open until ``release``."""

    def __init__(self, database: Path) -> None:
        self.connection = sqlite3.connect(database, isolation_level=None)
        self.connection.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        """End the transaction: the lock is free again."""
        self.connection.rollback()
        self.connection.close()


def while_reading(site: Site, write: threading.Thread) -> list[Reply]:
    """Read pages (HTML, API, health) for as long as ``write`` runs; the replies."""
    reads = []
    write.start()
    while write.is_alive():
        reads.append(request("GET", f"{site.url}/", timeout_s=10))
        reads.append(request("GET", f"{site.url}/api/v1/me/stats", headers=bearer(site.token)))
        reads.append(request("GET", f"{site.url}/healthz"))  # what a load balancer probes
    write.join()
    return reads


def in_thread(replies: list[Reply], *args: object, **kwargs: object) -> threading.Thread:
    """A thread that sends ``request(*args, **kwargs)`` and keeps its reply in ``replies``."""
    return threading.Thread(target=lambda: replies.append(request(*args, **kwargs)))  # type: ignore[arg-type]


def answer_rows(database: Path) -> int:
    """How many answers the database holds."""
    with sqlite3.connect(database) as check:
        return int(check.execute("SELECT count(*) FROM answers").fetchone()[0])


def test_an_api_answer_gets_503_in_time_while_reads_go_on(site: Site) -> None:
    question = next(q for q in site.attempt["questions"] if q["type"] != "order")
    answer_url = f"{site.url}/api/v1/attempts/{site.attempt['id']}/answers"
    answer = question["choices"][0] if question["choices"] else "1949"
    submission = {"question_id": question["id"], "answer": answer}
    before = answer_rows(site.database)
    lock = HeldWriteLock(site.database)
    try:
        replies: list[Reply] = []
        send = in_thread(replies, "POST", answer_url, json_body=submission, headers=bearer(site.token))
        reads = while_reading(site, send)
    finally:
        lock.release()
    [refused] = replies
    assert refused.status == 503, refused.text
    assert refused.headers["Retry-After"].isdigit()
    assert refused.json()["error"]["code"] == 503
    assert "réessayez" in refused.json()["error"]["message"].lower()
    assert refused.seconds < BUSY_TIMEOUT_S + ANSWER_SLACK_S
    assert reads and all(read.status == 200 for read in reads)
    slowest_read = max(read.seconds for read in reads)
    print(f"API 503 after {refused.seconds:.2f} s; {len(reads)} reads, slowest {slowest_read:.3f} s")
    assert slowest_read < READ_WITHIN_S
    assert answer_rows(site.database) == before  # nothing half-written
    retried = request("POST", answer_url, json_body=submission, headers=bearer(site.token))
    assert retried.status == 200, retried.text
    assert answer_rows(site.database) == before + 1


def csrf_token(page: str) -> str:
    """The CSRF token of the page's form."""
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def test_a_page_form_gets_a_clear_503_page_while_reads_go_on(site: Site) -> None:
    browser = browser_opener()
    form_page = request("GET", f"{site.url}/register", headers=FRENCH, opener=browser)
    form = {
        "csrf_token": csrf_token(form_page.text),
        "username": "newcomer",
        "password": "correct horse battery",
        "confirm": "correct horse battery",
    }
    lock = HeldWriteLock(site.database)
    try:
        replies: list[Reply] = []
        send = in_thread(
            replies, "POST", f"{site.url}/register", form=form, headers=FRENCH, opener=browser
        )
        reads = while_reading(site, send)
    finally:
        lock.release()
    [refused] = replies
    assert refused.status == 503
    assert refused.headers["Retry-After"].isdigit()
    assert "Service occupé" in refused.text and "Traceback" not in refused.text
    assert refused.seconds < BUSY_TIMEOUT_S + ANSWER_SLACK_S
    assert reads and all(read.status == 200 for read in reads)
    slowest_read = max(read.seconds for read in reads)
    print(f"page 503 after {refused.seconds:.2f} s; {len(reads)} reads, slowest {slowest_read:.3f} s")
    assert slowest_read < READ_WITHIN_S
    retried = request("POST", f"{site.url}/register", form=form, headers=FRENCH, opener=browser)
    assert retried.status == 302, retried.text  # the account is made, and logged in


def test_only_a_lock_timeout_counts_as_busy(tmp_path: Path) -> None:
    database = tmp_path / "t.sqlite"
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("CREATE TABLE t (x INTEGER)")
    holder.execute("BEGIN IMMEDIATE")
    writer = sqlite3.connect(database, timeout=0)
    with pytest.raises(sqlite3.OperationalError) as locked:
        writer.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(sqlite3.OperationalError) as missing:
        writer.execute("SELECT * FROM nowhere")
    holder.rollback()
    holder.close()
    writer.close()
    assert is_lock_timeout(locked.value)
    assert is_lock_timeout(OperationalError("INSERT …", {}, locked.value))  # as SQLAlchemy wraps it
    assert not is_lock_timeout(missing.value)
    assert not is_lock_timeout(ValueError("database is locked"))


def test_any_other_database_fault_stays_a_500_page(tmp_path: Path) -> None:
    """Not the client's to retry: no 503, no Retry-After, and still no traceback."""
    app = make_app(tmp_path / "no-tables.sqlite", TESTING=False)  # the schema was never created
    response = app.test_client().get("/", headers=FRENCH)
    assert response.status_code == 500
    assert "Retry-After" not in response.headers
    assert "Traceback" not in response.get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()


def test_two_writes_at_once_both_get_503_within_the_busy_timeout(site: Site) -> None:
    """Both workers write: the second queues at the write gate, and that wait counts too.

    (Before, the second answered after the gate's patience plus the busy timeout: 10 s.)
    """
    questions = [q for q in site.attempt["questions"] if q["type"] != "order"][:2]
    assert len(questions) == 2, site.attempt
    answer_url = f"{site.url}/api/v1/attempts/{site.attempt['id']}/answers"
    replies: list[Reply] = []
    writes = [
        in_thread(
            replies,
            "POST",
            answer_url,
            json_body={"question_id": q["id"], "answer": (q["choices"] or ["1949"])[0]},
            headers=bearer(site.token),
        )
        for q in questions
    ]
    lock = HeldWriteLock(site.database)
    try:
        for write in writes:
            write.start()
        for write in writes:
            write.join()
    finally:
        lock.release()
    assert [reply.status for reply in replies] == [503, 503]
    print(f"two writes: 503 after {', '.join(f'{r.seconds:.2f} s' for r in replies)}")
    assert max(reply.seconds for reply in replies) < BUSY_TIMEOUT_S + ANSWER_SLACK_S
