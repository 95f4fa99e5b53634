"""Push: one subscriber per worker process wakes that worker's event streams.

An event stream (``GET /api/v1/live/<code>/events``) waits on a
``Subscription`` and holds no database connection while it waits. Each worker
process has one ``LiveHub`` and one watcher thread (a greenlet under gunicorn's
gevent workers), whatever the number of streams:

- with ``REDIS_URL`` set, the watcher is subscribed to the Redis channel
  ``quiz:live``; every change of a session is published there after its
  commit (``announce``), so workers on every machine hear it at once (and the
  watcher still reads the versions every 2 s, in case a message was lost);
- without it (``make run``: SQLite, several workers, no other server), the
  watcher reads the versions of the sessions its streams watch every 100 ms,
  in one query for all of them; the worker that made the change tells its own
  streams at once.

Either way, on a new version the watcher reads the session's shared state
once (``state.shared_snapshot``) and hands it to every stream of that
session; streams skip versions they missed and send the newest (clients read
``/state`` for their own part). Redis was chosen over PostgreSQL's
LISTEN/NOTIFY because it also serves SQLite deployments spread over machines
and is already the queue's and the rate limits' server there.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import select

from ...extensions import db
from ...live_models import LiveSession
from ...models import utcnow
from .state import iso, shared_snapshot

CHANNEL = "quiz:live"
POLL_INTERVAL_S = 0.1
# With Redis: how often the versions are read anyway, should a message be lost.
SAFETY_POLL_S = 2.0
RETRY_AFTER_ERROR_S = 1.0
EXTENSION_KEY = "quiz.live_hub"

log = logging.getLogger(__name__)


class StreamClosed(Exception):
    """The worker is stopping: streams end so that it may exit."""


@dataclass(frozen=True)
class Latest:
    """The newest shared state of a session this worker knows: its JSON without ``server_now``."""

    version: int
    phase: str
    body_json: str

    def event_data(self) -> str:
        """The JSON an event carries, with the server's time of sending."""
        return f'{self.body_json[:-1]},"server_now":"{iso(utcnow())}"}}'


class Subscription:
    """One stream's wait for versions of one session newer than the last it sent."""

    def __init__(self, hub: LiveHub, session_id: int, seen_version: int) -> None:
        self.hub = hub
        self.session_id = session_id
        self.seen_version = seen_version
        self.wake = threading.Event()

    def next_state(self, timeout_s: float) -> Latest | None:
        """The newest state past the last one returned; None after ``timeout_s`` without one.

        ``StreamClosed`` once the worker stops.
        """
        deadline = time.monotonic() + timeout_s
        while True:
            self.wake.clear()
            if self.hub.closing:
                raise StreamClosed
            latest = self.hub.latest.get(self.session_id)
            if latest is not None and latest.version > self.seen_version:
                self.seen_version = latest.version
                return latest
            left = deadline - time.monotonic()
            if left <= 0 or not self.wake.wait(left):
                return None

    def close(self) -> None:
        """Stop watching (the stream ended or its client left)."""
        self.hub.unsubscribe(self)


class LiveHub:
    """The worker's one subscriber to session changes, fanning them out to its streams."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.redis_url = str(app.config.get("REDIS_URL") or "")
        self.latest: dict[int, Latest] = {}
        self.closing = False
        self._waiters: dict[int, set[Subscription]] = {}
        self._lock = threading.Lock()
        self._watcher: threading.Thread | None = None
        self._redis: Any = None
        if self.redis_url:
            import redis  # only where Redis is configured

            self._redis = redis.Redis.from_url(self.redis_url)

    def subscribe(self, session_id: int, seen_version: int) -> Subscription:
        """Watch a session; the current state is fetched now if this worker does not know it."""
        subscription = Subscription(self, session_id, seen_version)
        with self._lock:
            self._waiters.setdefault(session_id, set()).add(subscription)
        self._ensure_watcher()
        if session_id not in self.latest:
            self.refresh(session_id)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        """Forget a subscription; a session nobody watches any more is forgotten too."""
        with self._lock:
            waiters = self._waiters.get(subscription.session_id, set())
            waiters.discard(subscription)
            if not waiters:
                self._waiters.pop(subscription.session_id, None)
                self.latest.pop(subscription.session_id, None)

    def stream_count(self) -> int:
        """How many streams this worker serves (for tests and health)."""
        with self._lock:
            return sum(len(waiters) for waiters in self._waiters.values())

    def announce(self, session_id: int, version: int) -> None:
        """Tell every worker that ``session_id`` is at ``version``: call after the commit.

        This worker's streams hear it at once; the others through Redis when it
        is configured, else at their next read of the versions. Then the caller
        steps aside (``time.sleep(0)``: a switch under gevent) so that the woken
        streams send the event before the caller builds its own response.
        """
        if self._redis is not None:
            try:
                self._redis.publish(CHANNEL, f"{session_id}:{version}")
            except Exception:  # Redis down: the others read the versions every 2 s
                log.exception("could not publish live session %s to Redis", session_id)
        if session_id in self._waiters:
            self.refresh(session_id)
            time.sleep(0)

    def refresh(self, session_id: int) -> None:
        """Read the session's shared state (one snapshot per version) and wake its streams."""
        with self.app.app_context():
            try:
                session = db.session.get(LiveSession, session_id)
                if session is None:
                    return
                known = self.latest.get(session_id)
                if known is not None and known.version >= session.version:
                    return
                body = json.dumps(shared_snapshot(session).body, ensure_ascii=False)
                latest = Latest(session.version, session.phase, body)
            finally:
                db.session.remove()  # the connection goes back to the pool at once
        self._publish_locally(session_id, latest)

    def close(self) -> None:
        """End every stream of this worker (it is stopping)."""
        self.closing = True
        with self._lock:
            subscriptions = [sub for subs in self._waiters.values() for sub in subs]
        for subscription in subscriptions:
            subscription.wake.set()

    def _publish_locally(self, session_id: int, latest: Latest) -> None:
        """Keep ``latest`` if newer than what this worker had, and wake the session's streams."""
        with self._lock:
            known = self.latest.get(session_id)
            if known is not None and known.version >= latest.version:
                return
            if session_id not in self._waiters:
                return
            self.latest[session_id] = latest
            subscriptions = list(self._waiters[session_id])
        for subscription in subscriptions:
            subscription.wake.set()

    def _ensure_watcher(self) -> None:
        """Start this process's watcher on first use (after gunicorn forked the worker)."""
        with self._lock:
            if self._watcher is not None and self._watcher.is_alive():
                return
            self._watcher = threading.Thread(target=self._watch, name="live-watch", daemon=True)
            self._watcher.start()

    def _watch(self) -> None:
        """The watcher's loop: Redis messages, or the versions read every 100 ms."""
        pubsub = None
        while not self.closing:
            try:
                if self._redis is not None:
                    if pubsub is None:
                        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
                        pubsub.subscribe(CHANNEL)
                    message = pubsub.get_message(timeout=SAFETY_POLL_S)
                    if message is not None:
                        self._on_message(message.get("data"))
                        continue
                else:
                    time.sleep(POLL_INTERVAL_S)
                self._poll_versions()
            except Exception:  # a database or Redis hiccup must not end the watcher
                log.exception("live session watcher failed; retrying")
                pubsub = None
                time.sleep(RETRY_AFTER_ERROR_S)

    def _on_message(self, data: Any) -> None:
        """A ``<session id>:<version>`` message: refresh that session if watched and newer."""
        text = data.decode() if isinstance(data, bytes) else str(data)
        session_part, _sep, version_part = text.partition(":")
        if not (session_part.isdigit() and version_part.isdigit()):
            return
        session_id, version = int(session_part), int(version_part)
        known = self.latest.get(session_id)
        if session_id in self._waiters and (known is None or known.version < version):
            self.refresh(session_id)

    def _poll_versions(self) -> None:
        """Read the versions of every watched session in one query; refresh the newer ones."""
        with self._lock:
            watched = list(self._waiters)
        if not watched:
            return
        with self.app.app_context(), db.engine.connect() as connection:
            versions = connection.execute(
                select(LiveSession.id, LiveSession.version).where(LiveSession.id.in_(watched))
            ).all()
        for session_id, version in versions:
            known = self.latest.get(session_id)
            if known is None or known.version < version:
                self.refresh(session_id)


_hubs: dict[tuple[int, int], LiveHub] = {}
_hubs_lock = threading.Lock()


def hub_for(app: Flask) -> LiveHub:
    """This process's hub for ``app`` (made on first use, so after gunicorn's fork)."""
    key = (os.getpid(), id(app))
    with _hubs_lock:
        hub = _hubs.get(key)
        if hub is None:
            hub = _hubs[key] = LiveHub(app)
        return hub


def close_streams() -> None:
    """End every stream of this process (gunicorn's worker is stopping)."""
    with _hubs_lock:
        hubs = [hub for (pid, _app), hub in _hubs.items() if pid == os.getpid()]
    for hub in hubs:
        hub.close()
