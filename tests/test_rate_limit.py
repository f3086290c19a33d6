"""RateLimiter: per-key token buckets that refill over a minute, stay small, and can be switched off."""

from __future__ import annotations

import threading

import pytest

from chatbot.web.rate_limit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_allows_the_limit_then_says_when_to_retry() -> None:
    clock = Clock()
    limiter = RateLimiter(6, clock=clock)  # one token every 10 s
    assert [limiter.hit("a") for _ in range(6)] == [0] * 6
    assert limiter.hit("a") == 10
    clock.now += 4
    assert limiter.hit("a") == 6  # a refused hit costs nothing: the wait only shrinks
    clock.now += 6
    assert limiter.hit("a") == 0
    assert limiter.hit("a") == 10


def test_keys_are_independent() -> None:
    limiter = RateLimiter(2, clock=Clock())
    assert limiter.hit("a") == 0 and limiter.hit("a") == 0 and limiter.hit("a") > 0
    assert limiter.hit("b") == 0


def test_zero_means_off() -> None:
    limiter = RateLimiter(0)
    assert not limiter.enabled
    assert all(limiter.hit("a") == 0 for _ in range(1000))
    assert len(limiter) == 0


def test_idle_keys_are_dropped_after_a_minute() -> None:
    clock = Clock()
    limiter = RateLimiter(5, clock=clock)
    for n in range(100):
        limiter.hit(f"visitor-{n}")
    assert len(limiter) == 100
    clock.now += 61  # every bucket is full again, which is the same as having none
    limiter.hit("newcomer")
    assert len(limiter) == 1


def test_memory_is_capped_even_under_a_flood_of_keys() -> None:
    limiter = RateLimiter(5, max_keys=50, clock=Clock())
    for n in range(10_000):
        limiter.hit(f"made-up-{n}")
    assert len(limiter) == 50


def test_counts_exactly_under_concurrent_hits() -> None:
    limiter = RateLimiter(500, clock=Clock())  # the clock stands still: no refill during the test
    allowed = []

    def worker() -> None:
        allowed.append(sum(1 for _ in range(100) if limiter.hit("shared") == 0))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(allowed) == 500


@pytest.mark.parametrize(("per_minute", "max_keys"), [(-1, 10), (5, 0)])
def test_bad_limits_are_refused(per_minute: int, max_keys: int) -> None:
    with pytest.raises(ValueError, match="per_minute"):
        RateLimiter(per_minute, max_keys)
