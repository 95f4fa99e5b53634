"""Rate-limit counters in the app's database, so that every worker counts together.

A sliding window over two fixed windows (what ``limits`` calls a sliding window
counter): the hits of the current window plus those of the previous one,
weighted by how much of it the sliding window still covers. Each hit is one
upsert that returns the new count, so two workers never both pass the last hit.

The counters run on a connection of their own, committed at once: a refused
login must count even though its request writes nothing. Views count before
they write anything, so this connection never waits for their transaction.
"""

from __future__ import annotations

import hashlib
import time

from limits import RateLimitItem
from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from .extensions import db
from .models import RateLimitCounter

_COUNTERS = RateLimitCounter.__table__


class DatabaseCounters:
    """Counts hits in the ``rate_limit_counters`` table (SQLite or PostgreSQL)."""

    def hit(self, item: RateLimitItem, *identifiers: str) -> bool:
        """Count one hit of ``identifiers`` against ``item``; False once past the limit."""
        period = item.get_expiry()
        key = hashlib.sha256(item.key_for(*identifiers).encode()).hexdigest()
        now = time.time()
        window_start = int(now // period * period)
        with db.engine.begin() as connection:
            current = _count_hit(connection, key, window_start, window_start + 2 * period)
            previous = connection.scalar(
                select(_COUNTERS.c.hits).where(
                    _COUNTERS.c.key == key, _COUNTERS.c.window_start == window_start - period
                )
            )
            connection.execute(delete(_COUNTERS).where(_COUNTERS.c.expires_at < int(now)))
        still_covered = 1 - (now - window_start) / period
        return (previous or 0) * still_covered + current <= item.amount

    def test(self, item: RateLimitItem, *identifiers: str) -> bool:
        """Whether one more hit of ``identifiers`` would pass ``item``, counting nothing."""
        period = item.get_expiry()
        key = hashlib.sha256(item.key_for(*identifiers).encode()).hexdigest()
        now = time.time()
        window_start = int(now // period * period)
        with db.engine.connect() as connection:
            rows = connection.execute(
                select(_COUNTERS.c.window_start, _COUNTERS.c.hits).where(
                    _COUNTERS.c.key == key,
                    _COUNTERS.c.window_start.in_([window_start, window_start - period]),
                )
            ).all()
            hits: dict[int, int] = {int(start): int(count) for start, count in rows}
        still_covered = 1 - (now - window_start) / period
        counted = hits.get(window_start - period, 0) * still_covered + hits.get(window_start, 0)
        return bool(counted + 1 <= item.amount)


def _count_hit(connection: Connection, key: str, window_start: int, expires_at: int) -> int:
    """Add one to the counter of ``key`` in this window (created at 1); the new count."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(_COUNTERS)
        .values(key=key, window_start=window_start, hits=1, expires_at=expires_at)
        .on_conflict_do_update(
            index_elements=[_COUNTERS.c.key, _COUNTERS.c.window_start],
            set_={"hits": _COUNTERS.c.hits + 1},
        )
        .returning(_COUNTERS.c.hits)
    )
    return int(connection.execute(statement).scalar_one())
