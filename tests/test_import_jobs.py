"""Uploads imported as background jobs, by real ``quiz worker`` processes.

Each test starts its own worker (a child process, as ``make run`` does) on
the test's SQLite file and instance folder, with the embedded SQLite queue,
or with Redis when ``REDIS_URL`` names a ``redis-server`` the test started.
The web side is the app's test client: the upload answers at once with the
job's page, and the job is followed through its JSON status.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from big_sheet import write_long_sheet
from browser_helpers import free_port, logged_in_client, token_for
from conftest import make_empty_app
from flask import Flask
from flask.testing import FlaskClient
from test_author_sheets import PANAMA, SUEZ_2019, post_bytes, post_upload, stored_files
from worker_helpers import (
    HEARTBEAT_SECONDS,
    job_statuses,
    rows_but_jobs,
    running_redis,
    running_worker,
    write_instance_config,
)

from quiz.extensions import db
from quiz.jobs.model import ImportJob
from quiz.jobs.queue import queue_worker_alive
from quiz.services.library.sheet_pages import find_revision

pytestmark = pytest.mark.slow
JOB_TIMEOUT_S = 300.0


@pytest.fixture
def instance(tmp_path: Path) -> Path:
    """The instance folder (``QUIZ_INSTANCE_PATH``), with the settings the worker reads."""
    folder = tmp_path / "instance"
    write_instance_config(folder, QUEUE_HEARTBEAT_SECONDS=HEARTBEAT_SECONDS)
    return folder


@pytest.fixture
def site(tmp_path: Path, instance: Path) -> Iterator[Flask]:
    """An app (CSRF on) on an empty database, beating as fast as its worker."""
    app = make_empty_app(
        tmp_path / "quiz.sqlite", QUEUE_IMMEDIATE=False, QUEUE_HEARTBEAT_SECONDS=HEARTBEAT_SECONDS
    )
    yield app
    with app.app_context():
        db.engine.dispose()


def first_progress(client: FlaskClient, job_url: str) -> dict[str, Any]:
    """Poll the job's status until it has read some paragraphs (and not all); that status."""
    deadline = time.monotonic() + JOB_TIMEOUT_S
    while time.monotonic() < deadline:
        status: dict[str, Any] = client.get(f"{job_url}/status").get_json()
        assert status["state"] in ("queued", "running"), status
        if status["paragraphs_read"]:
            return status
        time.sleep(0.05)
    raise AssertionError("the job never got going")


def job_row(app: Flask, job_id: int) -> dict[str, Any]:
    """The job's row, as stored (the file's bytes included)."""
    with app.app_context():
        job = db.session.get(ImportJob, job_id)
        assert job is not None
        return {"data": job.data, "reason": job.reason, "tries": job.tries, "state": job.state}


def test_an_upload_answers_at_once_and_a_worker_imports_it(
    site: Flask, instance: Path, tmp_path: Path
) -> None:
    client = logged_in_client(site)
    with site.app_context():
        assert not queue_worker_alive()
    started = time.monotonic()
    response = post_upload(
        client, "/author/upload", SUEZ_2019, title="Le canal de Suez", revision="2019"
    )
    assert time.monotonic() - started < 2  # queued, not imported, by the request
    assert response.status_code == 303
    job_url = response.headers["Location"]
    assert job_url == "/author/jobs/1"
    page = client.get(job_url).get_data(as_text=True)
    assert "Waiting for the import worker" in page and "<progress" in page
    with running_worker(instance, tmp_path / "quiz.sqlite", tmp_path / "worker.log"):
        with site.app_context():
            assert queue_worker_alive()
        statuses = job_statuses(client, job_url, ("done", "failed"), JOB_TIMEOUT_S)
    assert statuses[-1]["state"] == "done", statuses[-1]
    assert statuses[-1]["paragraphs_read"] == statuses[-1]["paragraphs_total"] > 0
    done = client.get(job_url)
    assert done.status_code == 303
    assert done.headers["Location"] == "/author/sheets/le-canal-de-suez/revisions/2019"
    sheet_page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Revision 2019 imported." in sheet_page
    with site.app_context():
        revision = find_revision("le-canal-de-suez", "2019")
        assert revision.questions and revision.sheet.title == "Le canal de Suez"
    assert stored_files(instance) == ["le-canal-de-suez/2019.md"]
    assert job_row(site, 1)["data"] is None  # the bytes go once they are imported
    with site.app_context():
        time.sleep(HEARTBEAT_SECONDS * 6)
        assert not queue_worker_alive()  # stopped: no more heartbeats


def test_a_sheet_the_pipeline_refuses_fails_its_job_and_writes_nothing(
    site: Flask, instance: Path, tmp_path: Path
) -> None:
    client = logged_in_client(site)
    before = rows_but_jobs(site)
    response = post_bytes(
        client, "/author/upload", "titre.md", b"# Rien qu'un titre\n", slug="titre", revision="1"
    )
    assert response.status_code == 303
    job_url = response.headers["Location"]
    with running_worker(instance, tmp_path / "quiz.sqlite", tmp_path / "worker.log"):
        statuses = job_statuses(client, job_url, ("done", "failed"), JOB_TIMEOUT_S)
    reason = "No paragraph of text to ask about was found in this file."
    assert statuses[-1]["state"] == "failed" and statuses[-1]["reason"] == reason
    page = client.get(job_url)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert reason in text and "Retry the import" in text
    assert rows_but_jobs(site) == before
    assert stored_files(instance) == []  # neither kept nor left staged
    assert job_row(site, 1)["reason"] == "no paragraph of text to ask about was found"


def test_a_worker_killed_mid_import_leaves_nothing_and_a_retry_succeeds(
    site: Flask, instance: Path, tmp_path: Path
) -> None:
    long_sheet = write_long_sheet(tmp_path / "longue.md", 100_000)
    client = logged_in_client(site)
    before = rows_but_jobs(site)
    response = post_upload(client, "/author/upload", long_sheet, slug="longue", revision="1")
    job_url = response.headers["Location"]
    database, log = tmp_path / "quiz.sqlite", tmp_path / "worker.log"
    with running_worker(instance, database, log) as worker:
        reading = first_progress(client, job_url)
        assert 0 < reading["paragraphs_read"] < reading["paragraphs_total"]
        assert (instance / "uploads" / "longue" / "1.md").exists()  # its copy, stored first
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
    failed = job_statuses(client, job_url, ("failed", "done"), HEARTBEAT_SECONDS * 20)
    assert failed[-1]["state"] == "failed"
    assert "interrupted" in failed[-1]["reason"]
    assert rows_but_jobs(site) == before
    assert stored_files(instance) == []
    with running_worker(instance, database, log):
        retried = client.post(f"{job_url}/retry", data={"csrf_token": token_for(client, job_url)})
        assert retried.status_code == 303 and retried.headers["Location"] == job_url
        statuses = job_statuses(client, job_url, ("done", "failed"), JOB_TIMEOUT_S)
    assert statuses[-1]["state"] == "done", statuses[-1]
    assert job_row(site, 1)["tries"] == 2
    with site.app_context():
        assert find_revision("longue", "1").questions
    assert stored_files(instance) == ["longue/1.md"]


def test_on_redis_two_uploads_at_once_run_while_the_site_answers(
    tmp_path: Path, instance: Path
) -> None:
    """``REDIS_URL`` set (a throwaway ``redis-server``): the web queues there, the worker reads."""
    with running_redis(tmp_path) as redis_url:
        app = make_empty_app(
            tmp_path / "quiz.sqlite",
            QUEUE_IMMEDIATE=False,
            QUEUE_HEARTBEAT_SECONDS=HEARTBEAT_SECONDS,
            REDIS_URL=redis_url,
        )
        assert type(app.extensions["quiz_queue"].huey).__name__ == "RedisHuey"
        client = logged_in_client(app)
        worker_log = tmp_path / "worker.log"
        with running_worker(instance, tmp_path / "quiz.sqlite", worker_log, REDIS_URL=redis_url):
            with app.app_context():
                assert queue_worker_alive()  # its heartbeat is in Redis
            answers = [
                post_upload(client, "/author/upload", path, slug=slug, revision="1")
                for path, slug in ((SUEZ_2019, "suez"), (PANAMA, "panama"))
            ]
            page_times = []
            for answer in answers:
                assert answer.status_code == 303
                while client.get(f"{answer.headers['Location']}/status").get_json()[
                    "state"
                ] in ("queued", "running"):
                    started = time.monotonic()
                    assert client.get("/author/sheets").status_code == 200
                    page_times.append(time.monotonic() - started)
                    time.sleep(0.2)
        assert max(page_times, default=0) < 1.0
        with app.app_context():
            assert find_revision("suez", "1").questions and find_revision("panama", "1").questions
            db.engine.dispose()


def test_an_unreachable_queue_is_a_503_and_the_job_waits_failed_for_a_retry(
    tmp_path: Path,
) -> None:
    """``REDIS_URL`` names a port where nothing listens: the upload says so; nothing is stored."""
    app = make_empty_app(
        tmp_path / "quiz.sqlite",
        QUEUE_IMMEDIATE=False,
        REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",
    )
    client = logged_in_client(app)
    before = rows_but_jobs(app)
    response = post_upload(client, "/author/upload", SUEZ_2019, slug="suez", revision="1")
    assert response.status_code == 503
    assert "The import could not be queued: nothing was stored." in response.get_data(as_text=True)
    assert rows_but_jobs(app) == before
    job = job_row(app, 1)
    assert job["state"] == "failed" and job["data"] == SUEZ_2019.read_bytes()
    status = client.get("/author/jobs/1/status").get_json()
    assert status["reason"] == "The import could not be queued: nothing was stored. Try again in a moment."
    with app.app_context():
        db.engine.dispose()
