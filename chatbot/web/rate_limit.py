"""Per-key rate limits (a session, a client address): token buckets in memory, thread-safe, bounded in size."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from typing import Callable

MAX_KEYS = 100_000  # a hard cap against a flood of made-up keys; normally idle keys are dropped long before


class RateLimiter:
    """At most `per_minute` hits per key and minute: a bucket of that many tokens, refilled evenly over a minute.

    A bucket untouched for a minute is full again, which is the same as having none, so it is dropped; memory
    stays proportional to the keys active in the last minute (and never above max_keys). per_minute=0 is off.
    """

    blocking = False  # a hit takes microseconds: fine on the event loop

    def __init__(
        self, per_minute: int, max_keys: int = MAX_KEYS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if per_minute < 0 or max_keys < 1:
            raise ValueError(f"need per_minute >= 0 and max_keys >= 1, got {per_minute} and {max_keys}")
        self.per_minute = per_minute
        self.max_keys = max_keys
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, when), oldest first

    @property
    def enabled(self) -> bool:
        """False when the limit is off (per_minute=0)."""
        return self.per_minute > 0

    def __len__(self) -> int:
        return len(self._buckets)

    def hit(self, key: str) -> int:
        """Count a hit for key: 0 if allowed, else whole seconds until one would be (a refused hit is not counted)."""
        if not self.enabled:
            return 0
        rate = self.per_minute / 60.0  # tokens per second
        now = self._clock()
        with self._lock:
            tokens, when = self._buckets.pop(key, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - when) * rate)
            allowed = tokens >= 1.0
            self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
            self._drop_idle(now)
        return 0 if allowed else max(1, math.ceil((1.0 - tokens) / rate))

    def _drop_idle(self, now: float) -> None:
        while self._buckets:
            key, (_, when) = next(iter(self._buckets.items()))
            if now - when < 60.0 and len(self._buckets) <= self.max_keys:
                return
            del self._buckets[key]


BUCKETS_SCHEMA = """
CREATE TABLE IF NOT EXISTS rate_buckets (
    scope TEXT NOT NULL,              -- which limit: 'session' turns, 'client' requests
    key TEXT NOT NULL,
    tokens DOUBLE PRECISION NOT NULL,
    at DOUBLE PRECISION NOT NULL,     -- epoch seconds of the last hit, by the database's clock
    allowed BOOLEAN NOT NULL,         -- whether the last hit was let through
    PRIMARY KEY (scope, key)
)
"""
# One statement, so two replicas hitting the same bucket at once are serialised by the row lock. Every SET
# expression reads the row as it was, so `allowed` and `tokens` see the same refill.
HIT_SQL = """
INSERT INTO rate_buckets AS b (scope, key, tokens, at, allowed)
VALUES (%(scope)s, %(key)s, %(cap)s - 1, COALESCE(%(now)s, extract(epoch FROM clock_timestamp())), true)
ON CONFLICT (scope, key) DO UPDATE SET
    tokens = LEAST(%(cap)s, b.tokens + GREATEST(0, EXCLUDED.at - b.at) * %(rate)s)
             - CASE WHEN LEAST(%(cap)s, b.tokens + GREATEST(0, EXCLUDED.at - b.at) * %(rate)s) >= 1 THEN 1 ELSE 0 END,
    allowed = LEAST(%(cap)s, b.tokens + GREATEST(0, EXCLUDED.at - b.at) * %(rate)s) >= 1,
    at = EXCLUDED.at
RETURNING allowed, tokens
"""
SWEEP_EVERY = 500  # hits between deletions of buckets idle for a minute (full again, so the same as none)


class SharedRateLimiter:
    """The same token buckets in PostgreSQL, so every replica behind a load balancer counts against one limit.

    A table in the sessions database rather than, say, Redis: the replicas already share that database, and a
    hit is one small upsert, cheap next to a chat turn. The database's clock times the refills, so replicas
    need no synchronised clocks. Connects on the first hit.
    """

    blocking = True  # a hit is a database round trip: callers on the event loop run it in a worker thread

    def __init__(self, per_minute: int, database_url: str, scope: str,
                 clock: Callable[[], float] | None = None) -> None:
        if per_minute < 0:
            raise ValueError(f"need per_minute >= 0, got {per_minute}")
        self.per_minute = per_minute
        self.scope = scope
        self._url = database_url
        self._clock = clock  # tests only; None: the database's clock
        self._pool: object | None = None
        self._lock = threading.Lock()
        self._hits = 0

    @property
    def enabled(self) -> bool:
        """False when the limit is off (per_minute=0)."""
        return self.per_minute > 0

    def __len__(self) -> int:
        with self._connection() as conn:
            row = conn.execute("SELECT COUNT(*) FROM rate_buckets WHERE scope = %s", (self.scope,)).fetchone()
        return int(row[0])

    def _connection(self) -> object:
        with self._lock:
            if self._pool is None:
                from chatbot.sessions.postgres_store import SCHEMA_LOCK, open_pool

                pool = open_pool(self._url, 4, f"recbot-rate-{self.scope}")
                with pool.connection() as conn, conn.transaction():
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))  # replicas start together
                    conn.execute(BUCKETS_SCHEMA)
                self._pool = pool
            return self._pool.connection()  # type: ignore[attr-defined]

    def hit(self, key: str) -> int:
        """Count a hit for key: 0 if allowed, else whole seconds until one would be (a refused hit is not counted)."""
        if not self.enabled:
            return 0
        rate = self.per_minute / 60.0
        now = self._clock() if self._clock else None
        params = {"scope": self.scope, "key": key, "cap": float(self.per_minute), "rate": rate, "now": now}
        with self._connection() as conn:
            allowed, tokens = conn.execute(HIT_SQL, params).fetchone()
            self._hits += 1
            if self._hits % SWEEP_EVERY == 0:
                conn.execute("DELETE FROM rate_buckets WHERE at < "
                             "COALESCE(%s, extract(epoch FROM clock_timestamp())) - 60", (now,))
        return 0 if allowed else max(1, math.ceil((1.0 - tokens) / rate))

    def close(self) -> None:
        """Close the connections, if any were opened."""
        if self._pool is not None:
            self._pool.close()  # type: ignore[attr-defined]


def make_rate_limiter(
    per_minute: int, database_url: str | None, scope: str
) -> RateLimiter | SharedRateLimiter:
    """Buckets in this process, or in PostgreSQL when the sessions are (RECBOT_DATABASE_URL): shared by replicas."""
    if database_url:
        return SharedRateLimiter(per_minute, database_url, scope)
    return RateLimiter(per_minute)
