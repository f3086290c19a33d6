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


# --- shared by replicas: the buckets in PostgreSQL ---------------------------------------------------------------


def test_shared_buckets_count_hits_from_every_replica_against_one_limit(postgres) -> None:
    from chatbot.web.rate_limit import SharedRateLimiter

    url, clock = postgres.new_database(), Clock()
    a, b = (SharedRateLimiter(6, url, "session", clock=clock) for _ in range(2))  # one token every 10 s
    other_scope = SharedRateLimiter(6, url, "client", clock=clock)
    try:
        assert [a.hit("s1"), b.hit("s1"), a.hit("s1"), b.hit("s1"), a.hit("s1"), b.hit("s1")] == [0] * 6
        assert a.hit("s1") == 10 and b.hit("s1") == 10
        clock.now += 4
        assert b.hit("s1") == 6  # a refused hit costs nothing, whichever replica it reached
        clock.now += 6
        assert a.hit("s1") == 0 and b.hit("s1") == 10
        assert a.hit("s2") == 0 and other_scope.hit("s1") == 0  # other keys and other limits are independent
        assert len(a) == 2 and len(other_scope) == 1
    finally:
        for limiter in (a, b, other_scope):
            limiter.close()


def test_two_replicas_on_one_database_share_the_per_session_turn_limit(make_small_engine, postgres, tmp_path) -> None:
    from fastapi.testclient import TestClient

    from chatbot.config import load_settings
    from chatbot.web.api import create_api
    from chatbot.web.readiness import EngineSlot

    url = postgres.new_database()
    settings = load_settings(data_dir=tmp_path, chat_backend="fake", api_key=None, cors_origins="", database_url=url,
                             session_turns_per_minute=2, client_requests_per_minute=0)
    replicas = [TestClient(create_api(EngineSlot(make_small_engine(database_url=url)), settings)) for _ in range(2)]
    first = replicas[0].post("/api/chat", json={"message": "a western"})
    assert first.status_code == 200
    session = first.json()["session_id"]
    turns = [replicas[n % 2].post("/api/chat", json={"message": "more", "session_id": session}) for n in range(3)]
    assert [t.status_code for t in turns] == [200, 200, 429]  # the third turn of the minute, on either replica
    assert "at most 2 chat turns a minute per session" in turns[2].json()["detail"]
    assert replicas[1].get(f"/api/profile/{session}").status_code == 200  # the session itself is shared too
