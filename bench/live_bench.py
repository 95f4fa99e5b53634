"""Benchmark of a live session: simulated students on loopback join and answer under gunicorn.

What it starts, in a temporary folder deleted at the end, as ``make run`` or
docs/deploy.md would:
  --database sqlite (default): ``make run``'s defaults: a SQLite file, no other
      server, gunicorn with two gevent workers and the queue worker beside it;
  --database postgres --redis: a throwaway PostgreSQL cluster and redis-server
      on loopback (bench/stack.py), ``REDIS_URL`` set, the same gunicorn.
Then one instructor makes a session of 10 approved questions (correctness
scoring) and ``--students`` simulated phones (gevent greenlets in this process,
each with its event stream and its own kept-alive connection for answers) join
it and play it through:
  - each round the instructor sends "next"; each phone records when the event
    carrying the new question arrives, waits a little (0.2 to 3 s), answers
    (right or wrong, drawn per phone and question); some send the same answer
    again (a retry: must be 200, repeated), some a different one (must be 409);
  - five latecomers answer each question after its reveal (must be 409 too_late);
  - halfway, a tenth of the phones drop their stream and rejoin with their
    nickname and token: same participant, and the score their answers earned.
Printed: p50/p95/max from "next" to receipt on the phones, answers stored
(counted in the database: students x 10 exactly), late and duplicate answers
refused, rejoins with the right score, final scores right, and the server's
errors (5xx seen, tracebacks in its log): 0 expected.

Usage: .venv/bin/python bench/live_bench.py [--students 300] [--database sqlite|postgres] [--redis]
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from contextlib import ExitStack  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import gevent  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from live_servers import (  # noqa: E402  (bench/live_servers.py)
    PASSWORD,
    REVISION,
    TEACHER,
    approved_questions,
    bare_baseline,
    bring_up,
    run_query,
)

ROUNDS = 10
SECONDS = 20
LATECOMERS = 5


class Client:
    """One keep-alive HTTP connection; a request retried once on a dropped connection."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.server_errors = 0

    def call(
        self, method: str, path: str, body: Any = None, token: str | None = None
    ) -> tuple[int, Any]:
        """``(status, decoded JSON)``; a 5xx is counted."""
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = json.dumps(body) if body is not None else None
        for attempt in range(2):
            try:
                self.connection.request(method, f"/api/v1{path}", data, headers)
                response = self.connection.getresponse()
                payload = response.read()
                break
            except (http.client.HTTPException, OSError):
                # The server closed the kept-alive connection: the request is idempotent.
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt:
                    raise
        if response.status >= 500:
            self.server_errors += 1
        return response.status, json.loads(payload) if payload else None


class Student:
    """A simulated phone: joins, follows the events, answers."""

    def __init__(self, bench: Bench, number: int) -> None:
        self.bench, self.number = bench, number
        self.nickname = f"Élève {number:04d}"
        self.client = Client(bench.port)
        self.random = random.Random(number)
        self.token = ""
        self.participant_id = 0
        self.expected_score = 0
        self.stream: gevent.Greenlet | None = None
        self.seen_version = 0

    def join(self) -> None:
        """Join the session (201)."""
        wanted = {"nickname": self.nickname}
        status, body = self.client.call("POST", f"/live/{self.bench.code}/join", wanted)
        assert status == 201, (status, body)
        self.token, self.participant_id = body["participant_token"], body["participant_id"]

    def follow(self) -> None:
        """Read the event stream until the session ends (or the greenlet is killed)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.bench.port, timeout=120)
        headers = {"Last-Event-ID": str(self.seen_version)} if self.seen_version else {}
        connection.request("GET", f"/api/v1/live/{self.bench.code}/events", headers=headers)
        response = connection.getresponse()
        try:
            while True:
                line = response.fp.readline()
                if not line:
                    return
                if line.startswith(b"data: "):
                    self.on_state(json.loads(line[6:]), time.monotonic())
        finally:
            connection.close()

    def on_state(self, state: dict[str, Any], received: float) -> None:
        """A new shared state: a new question is timed and answered."""
        self.seen_version = state["version"]
        if state["phase"] != "question" or state["version"] not in self.bench.sent_at:
            return
        delay = received - self.bench.sent_at[state["version"]]
        self.bench.delays.append(delay)
        self.bench.delays_by_version.setdefault(state["version"], []).append(delay)
        gevent.spawn(self.answer, state["question"])

    def answer(self, question: dict[str, Any]) -> None:
        """Think, answer, maybe send it again or send another one."""
        gevent.sleep(self.random.uniform(0.2, 3.0))
        right = self.random.random() < 0.6
        given = self.bench.answer_for(question, right)
        status, body = self.send(question["id"], given)
        if status != 200:
            self.bench.failures.append(f"{self.nickname}: answer {status} {body}")
            return
        self.bench.answers_accepted += 1
        self.expected_score += 1000 if right else 0
        draw = self.random.random()
        if draw < 0.2:
            status, body = self.send(question["id"], given)
            ok = status == 200 and body["repeated"]
            self.bench.retries_ok += ok
            if not ok:
                self.bench.failures.append(f"{self.nickname}: retry {status} {body}")
        elif draw < 0.3:
            other = self.bench.answer_for(question, not right)
            status, body = self.send(question["id"], other)
            refused = status == 409 and body["error"]["reason"] == "already_answered"
            self.bench.duplicates_refused += refused
            self.bench.duplicates_sent += 1

    def send(self, question_id: int, given: Any) -> tuple[int, Any]:
        """POST an answer; ``(status, body)``."""
        body = {"question_id": question_id, "answer": given}
        return self.client.call("POST", f"/live/{self.bench.code}/answers", body, self.token)

    def state(self) -> dict[str, Any]:
        """The phone's own state (200)."""
        status, body = self.client.call("GET", f"/live/{self.bench.code}/state", token=self.token)
        assert status == 200, (status, body)
        return dict(body)


class Bench:
    """One session played by ``students`` phones against a running server."""

    def __init__(self, port: int, students: int, database_url: str) -> None:
        self.port, self.database_url = port, database_url
        self.teacher = Client(port)
        self.students = [Student(self, n) for n in range(students)]
        self.sent_at: dict[int, float] = {}
        self.delays: list[float] = []
        self.delays_by_version: dict[int, list[float]] = {}
        self.control_ms: list[float] = []
        self.failures: list[str] = []
        self.answers_accepted = self.retries_ok = self.duplicates_sent = self.duplicates_refused = 0
        self.late_sent = self.late_refused = 0
        self.rejoins = self.rejoins_right = 0
        self.code, self.session_id, self.version, self.token = "", 0, 0, ""
        self.expected: dict[int, Any] = {}
        self.bare = (0.0, 0.0)

    def answer_for(self, question: dict[str, Any], right: bool) -> Any:
        """A right or a wrong (but well-formed) answer to ``question``."""
        expected = self.expected[question["id"]]
        if right:
            return expected
        if question["type"] == "order":
            return list(reversed(expected))
        if question["type"] == "numeric":
            return "99999"
        others = [choice for choice in question["choices"] if choice != expected]
        return others[0] if others else "zzz faux"

    def control(self, action: str) -> dict[str, Any]:
        """An instructor's control with the version seen (200)."""
        path, seen = f"/live/{self.session_id}/{action}", {"version": self.version}
        status, body = self.teacher.call("POST", path, seen, self.token)
        assert status == 200, (action, status, body)
        self.version = body["version"]
        return dict(body)

    def setup(self) -> None:
        """Log in, make the session on 10 approved questions, read their answers."""
        credentials = {"username": TEACHER, "password": PASSWORD}
        status, body = self.teacher.call("POST", "/auth/token", credentials)
        assert status == 200, body
        self.token = body["token"]
        questions = approved_questions(self.database_url, ROUNDS)
        self.expected = {qid: answer for qid, answer in questions}
        wanted = {
            "sheet": "relations-otan-russie",
            "revision": REVISION,
            "seconds": SECONDS,
            "question_ids": [qid for qid, _answer in questions],
        }
        status, body = self.teacher.call("POST", "/live", wanted, self.token)
        assert status == 201, body
        self.code, self.session_id, self.version = body["code"], body["id"], body["version"]

    def play(self) -> None:
        """Join everyone, play the rounds, check the scores."""
        gevent.joinall([gevent.spawn(s.join) for s in self.students], raise_error=True)
        latecomers = [Student(self, 100_000 + n) for n in range(LATECOMERS)]
        gevent.joinall([gevent.spawn(s.join) for s in latecomers], raise_error=True)
        for student in self.students:
            student.stream = gevent.spawn(student.follow)
        streams_on = lambda: all(s.seen_version >= self.version for s in self.students)  # noqa: E731
        self.wait_for(streams_on, 30, "streams")
        for round_number in range(ROUNDS):
            self.sent_at[self.version + 1] = sent = time.monotonic()
            opened = self.control("next")
            self.control_ms.append((time.monotonic() - sent) * 1000)
            question = opened["question"]
            everyone = len(self.students)
            # The projector's count, read 4 times a second (a page would, once a second).
            answered = lambda: self.answered() >= everyone  # noqa: B023, E731
            self.wait_for(answered, SECONDS + 5, "answers", every_s=0.25)
            self.control("next")  # reveal
            self.latecomers_answer(latecomers, question)
            self.control("next")  # leaderboard
            if round_number == ROUNDS // 2 - 1:
                self.rejoin_some()
        self.control("next")  # the end
        for student in self.students:
            if student.state()["score"] != student.expected_score:
                self.failures.append(f"{student.nickname}: final score wrong")

    def answered(self) -> int:
        """How many answered the current question (the projector's count)."""
        status, body = self.teacher.call("GET", f"/live/{self.session_id}", token=self.token)
        return int(body["answered_count"]) if status == 200 else 0

    def latecomers_answer(self, latecomers: list[Student], question: dict[str, Any]) -> None:
        """After the reveal: answers that must be refused as too late."""
        for student in latecomers:
            status, body = student.send(question["id"], self.answer_for(question, True))
            self.late_sent += 1
            self.late_refused += status == 409 and body["error"]["reason"] == "too_late"

    def rejoin_some(self) -> None:
        """A tenth of the phones lose their connection and rejoin with nickname and token."""
        for student in self.students[:: 10]:
            if student.stream is not None:
                student.stream.kill()
            again = {"nickname": student.nickname.upper(), "participant_token": student.token}
            status, body = student.client.call("POST", f"/live/{self.code}/join", again)
            self.rejoins += 1
            same = status == 200 and body["participant_id"] == student.participant_id
            if same and student.state()["score"] == student.expected_score:
                self.rejoins_right += 1
            student.stream = gevent.spawn(student.follow)

    def wait_for(self, condition: Any, timeout_s: float, what: str, every_s: float = 0.1) -> None:
        """Poll ``condition`` every ``every_s``; a failure is noted after ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                self.failures.append(f"timed out waiting for {what}")
                return
            gevent.sleep(every_s)

    def server_errors(self) -> int:
        """5xx responses seen by every client."""
        clients = [self.teacher, *(s.client for s in self.students)]
        return sum(client.server_errors for client in clients)


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(bench: Bench, args: argparse.Namespace, log: Path, seconds: float) -> int:
    """Print the figures; 0 when every check held."""
    count = f"SELECT count(*) FROM live_answers WHERE session_id = {int(bench.session_id)}"
    stored = run_query(bench.database_url, count)[0][0]
    students = len(bench.students)
    tracebacks = log.read_text(errors="replace").count("Traceback")
    delays = [d * 1000 for d in bench.delays]
    setting = f"{args.database}{' + redis' if args.redis else ''}, {args.workers} gevent workers"
    print(f"live bench: {students} students, {ROUNDS} questions, {setting} ({seconds:.0f} s)")
    p50, p95 = statistics.median(delays), percentile(delays, 0.95)
    print(
        f"  next question -> receipt on the phone: p50 {p50:.0f} ms, p95 {p95:.0f} ms,"
        f" max {max(delays):.0f} ms ({len(delays)} receipts)"
    )
    bare50, bare95 = bench.bare
    print(
        f"  bare baseline (same push, no app, one process): p50 {bare50:.0f} ms,"
        f" p95 {bare95:.0f} ms; ratio live/bare: p50 {p50 / bare50:.1f}, p95 {p95 / bare95:.1f}"
    )
    expected = students * ROUNDS
    print(f"  answers stored: {stored} (expected {expected}), accepted {bench.answers_accepted}")
    print(f"  retries (same answer) answered 200 repeated: {bench.retries_ok}")
    print(f"  duplicate answers refused: {bench.duplicates_refused} / {bench.duplicates_sent}")
    print(f"  late answers refused: {bench.late_refused} / {bench.late_sent}")
    print(f"  rejoins with the right score: {bench.rejoins_right} / {bench.rejoins}")
    print(f"  worker errors: {bench.server_errors()} 5xx, {tracebacks} tracebacks in the log")
    rounds = [sorted(found) for _version, found in sorted(bench.delays_by_version.items())]
    print("  receipts per round, min/p50/max (ms): " + "  ".join(
        f"{r[0] * 1000:.0f}/{r[len(r) // 2] * 1000:.0f}/{r[-1] * 1000:.0f}" for r in rounds
    ))
    print("  the instructor's \"next\" answered in (ms): " + " ".join(
        f"{ms:.0f}" for ms in bench.control_ms
    ))
    for failure in bench.failures[:10]:
        print(f"  FAILED: {failure}")
    ok = (
        stored == expected
        and len(delays) == expected
        and bench.duplicates_refused == bench.duplicates_sent
        and bench.late_refused == bench.late_sent
        and bench.rejoins_right == bench.rejoins
        and bench.server_errors() == 0
        and tracebacks == 0
        and not bench.failures
    )
    print(f"  {'OK' if ok else 'FAILED'}")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    """Bring the server up, play one session, print the figures, bring it down."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--redis", action="store_true", help="REDIS_URL set: push through Redis")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="quiz-live-bench-"))
    folder.chmod(0o755)  # the postgres user must reach its cluster inside
    try:
        bare = bare_baseline(args.students, folder)
        with ExitStack() as services:
            port, url, log = bring_up(args, folder, services)
            bench = Bench(port, args.students, url)
            bench.bare = bare
            bench.setup()
            started = time.monotonic()
            bench.play()
            return report(bench, args, log, time.monotonic() - started)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
