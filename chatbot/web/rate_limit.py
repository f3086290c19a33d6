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
