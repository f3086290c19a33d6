"""Session event log: replay, isolation, durability, concurrency and real deletion, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import asdict
from pathlib import Path

import pytest

from chatbot.profile import DAY, HalfLives
from chatbot.sessions import (
    FEEDBACK_STRENGTH,
    SessionStore,
    SQLiteSessionStore,
    check_session_id,
    feedback_signals,
    open_session_store,
)
from chatbot.types import Constraints, Signal

T0 = 1_700_000_000.0
HL = HalfLives(said=1 * DAY, liked=10 * DAY, disliked=20 * DAY, viewed=0.5 * DAY)


@pytest.fixture
def open_log(database_url, tmp_path: Path):
    """Opens a store on this test's log (SQLite file or PostgreSQL database); each call is a new connection."""
    opened: list[SessionStore] = []

    def open_(data_dir: Path = tmp_path) -> SessionStore:
        opened.append(open_session_store(database_url, data_dir))
        return opened[-1]

    yield open_
    for s in opened:
        s.close()


@pytest.fixture
def store(open_log):
    with open_log() as s:
        yield s


@pytest.fixture
def stored_bytes(database_url, tmp_path: Path, request):
    """Every byte the backend keeps on disk: the SQLite file and its WAL, or all of the PostgreSQL server's files."""
    if database_url is None:
        return lambda: _file_bytes(tmp_path / "sessions.sqlite3")
    return request.getfixturevalue("postgres").stored_bytes


def sig(facet: str, strength: float, event: str = "said") -> dict:
    return {"facet": facet, "strength": strength, "event": event}


def test_state_is_rebuilt_from_the_log(store: SessionStore) -> None:
    s = "abc"
    store.append(s, "user_message", {"text": "horror please, not comedy"}, T0)
    store.append(s, "signals", {"signals": [sig("genre:horror", 1.0), sig("genre:comedy", -1.0)]}, T0)
    store.append(s, "assistant_message", {"text": "Try these.", "item_ids": ["a", "b", "c"]}, T0 + 1)
    store.append(s, "shown", {"item_ids": ["a", "b", "c"]}, T0 + 1)
    store.append(s, "feedback", {"item_id": "b", "liked": True}, T0 + 2)
    store.append(s, "shown", {"item_ids": ["c", "d"]}, T0 + 3)
    store.append(s, "feedback", {"item_id": "d", "liked": False}, T0 + 4)

    st = store.state(s, T0 + DAY, HL)
    assert st.dialogue == [
        {"role": "user", "content": "horror please, not comedy"},
        {"role": "assistant", "content": "Try these."},
    ]
    assert st.shown == ["a", "b", "c", "d"]
    assert st.last_shown == ["c", "d"]
    assert st.liked == ["b"] and st.disliked == ["d"]
    assert st.last_seq == 7
    # Signals apply at their own timestamps: one "said" half-life later, horror is at 0.5.
    assert st.profile.weight("genre:horror", T0 + DAY) == pytest.approx(0.5)
    assert st.profile.weight("genre:comedy", T0 + DAY) == pytest.approx(-0.5)
    assert st.profile.weight("item:b", T0 + 2) == pytest.approx(FEEDBACK_STRENGTH)
    assert st.profile.weight("item:d", T0 + 4 + 20 * DAY) == pytest.approx(-FEEDBACK_STRENGTH / 2)
    assert st.profile.half_lives == HL


@pytest.mark.parametrize(
    ("liked", "strength", "event"),
    [(True, FEEDBACK_STRENGTH, "liked"), (False, -FEEDBACK_STRENGTH, "disliked")],
)
def test_feedback_signals(liked: bool, strength: float, event: str) -> None:
    expected = [Signal("item:wp:Alien_(film)", strength, event)]  # type: ignore[arg-type]
    assert feedback_signals("wp:Alien_(film)", liked) == expected


def test_changing_feedback_moves_the_item(store: SessionStore) -> None:
    store.append("s", "feedback", {"item_id": "x", "liked": True}, T0)
    store.append("s", "feedback", {"item_id": "x", "liked": False}, T0)
    st = store.state("s", T0, HL)
    assert st.liked == [] and st.disliked == ["x"]
    assert st.profile.weight("item:x", T0) == pytest.approx(0.0)  # like and dislike net out


def test_facet_removed_applies_at_its_point_in_the_replay(store: SessionStore) -> None:
    store.append("s", "signals", {"signals": [sig("genre:horror", 1.0), sig("genre:drama", 1.0)]}, T0)
    store.append("s", "feedback", {"item_id": "x", "liked": True}, T0)
    store.append("s", "facet_removed", {"facet": "genre:horror"}, T0 + 1)
    store.append("s", "facet_removed", {"facet": "item:x"}, T0 + 1)
    st = store.state("s", T0 + 2, HL)
    assert "genre:horror" not in st.profile and "item:x" not in st.profile
    assert st.liked == []
    assert [f.facet for f in st.profile.top(T0 + 2)] == ["genre:drama"]
    # A later mention counts again, from zero.
    store.append("s", "signals", {"signals": [sig("genre:horror", 0.4)]}, T0 + 3)
    assert store.state("s", T0 + 3, HL).profile.weight("genre:horror", T0 + 3) == pytest.approx(0.4)


def test_constraints_latest_wins_and_empty_extraction_keeps_them(store: SessionStore) -> None:
    kids = asdict(Constraints(kids=True, year_min=1990))
    store.append("s", "signals", {"signals": [], "constraints": kids}, T0)
    store.append("s", "signals", {"signals": [], "constraints": asdict(Constraints())}, T0 + 1)
    assert store.state("s", T0 + 1, HL).constraints == Constraints(kids=True, year_min=1990)
    store.append("s", "constraints", {"exclude_genres": ["horror"]}, T0 + 2)
    assert store.state("s", T0 + 2, HL).constraints == Constraints(exclude_genres=["horror"])
    store.append("s", "constraints", {}, T0 + 3)  # an explicit constraints event can clear them
    assert store.state("s", T0 + 3, HL).constraints.is_empty()


def test_signal_and_constraints_objects_are_accepted(store: SessionStore) -> None:
    store.append("s", "signals", {"signals": [Signal("tag:heist", 1.0)], "constraints": Constraints(year_max=2000)}, T0)
    st = store.state("s", T0, HL)
    assert st.profile.weight("tag:heist", T0) == 1.0 and st.constraints.year_max == 2000
    assert store.events("s")[0].payload["signals"] == [sig("tag:heist", 1.0)]


def test_state_as_of_now_hides_later_events(store: SessionStore) -> None:
    store.append("s", "user_message", {"text": "one"}, T0)
    store.append("s", "user_message", {"text": "two"}, T0 + 10)
    assert [m["content"] for m in store.state("s", T0 + 5, HL).dialogue] == ["one"]
    assert [m["content"] for m in store.state("s", T0 + 10, HL).dialogue] == ["one", "two"]


def test_empty_session_state(store: SessionStore) -> None:
    st = store.state("new", T0, HL)
    assert st.dialogue == [] and len(st.profile) == 0 and st.last_seq == 0 and st.constraints.is_empty()


def test_cached_state_is_a_copy_and_is_invalidated_by_append(store: SessionStore) -> None:
    store.append("s", "user_message", {"text": "hi"}, T0)
    first = store.state("s", T0, HL)
    first.dialogue.append({"role": "user", "content": "tampered"})
    first.constraints.include_genres.append("tampered")
    second = store.state("s", T0, HL)
    assert second.dialogue == [{"role": "user", "content": "hi"}] and second.constraints.include_genres == []
    store.append("s", "user_message", {"text": "again"}, T0 + 1)
    assert len(store.state("s", T0 + 1, HL).dialogue) == 2
    # Different half-lives must not be served from a cache built with others.
    store.append("s", "signals", {"signals": [sig("genre:x", 1.0)]}, T0)
    other = HalfLives(said=2 * DAY)
    assert store.state("s", T0 + 2 * DAY, other).profile.weight("genre:x", T0 + 2 * DAY) == pytest.approx(0.5)
    assert store.state("s", T0 + 2 * DAY, HL).profile.weight("genre:x", T0 + 2 * DAY) == pytest.approx(0.25)


def test_appends_by_another_connection_are_seen(open_log) -> None:
    with open_log() as a, open_log() as b:
        a.append("s", "user_message", {"text": "one"}, T0)
        assert len(a.state("s", T0, HL).dialogue) == 1  # now cached in a
        b.append("s", "user_message", {"text": "two"}, T0)
        assert len(a.state("s", T0, HL).dialogue) == 2


def test_sessions_never_see_each_other(store: SessionStore) -> None:
    store.append("alice", "user_message", {"text": "alice secret"}, T0)
    store.append("alice", "signals", {"signals": [sig("genre:horror", 1.0)]}, T0)
    store.append("alice", "shown", {"item_ids": ["a1"]}, T0)
    store.append("bob", "user_message", {"text": "bob here"}, T0)
    store.append("bob", "feedback", {"item_id": "b1", "liked": True}, T0)
    a, b = store.state("alice", T0, HL), store.state("bob", T0, HL)
    assert [m["content"] for m in a.dialogue] == ["alice secret"]
    assert [m["content"] for m in b.dialogue] == ["bob here"]
    assert "genre:horror" not in b.profile and "item:b1" not in a.profile
    assert a.shown == ["a1"] and b.shown == [] and a.liked == [] and b.liked == ["b1"]
    assert {e.session_id for e in store.events("bob")} == {"bob"}
    assert "alice" not in json.dumps(store.export("bob", T0, HL))
    assert store.session_ids() == ["alice", "bob"]


@pytest.mark.parametrize("bad", ["", "a" * 129, "a/b", "../x", "a b", "ü", "x;DROP", None, 7])
def test_invalid_session_ids_are_rejected(store: SessionStore, bad: object) -> None:
    with pytest.raises(ValueError, match="1-128 characters"):
        check_session_id(bad)
    with pytest.raises(ValueError, match="1-128 characters"):
        store.append(bad, "user_message", {"text": "x"}, T0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="1-128 characters"):
        store.state(bad, T0, HL)  # type: ignore[arg-type]


@pytest.mark.parametrize("good", ["a", "A" * 128, "0f3c-9a_B"])
def test_valid_session_ids(good: str) -> None:
    assert check_session_id(good) == good


@pytest.mark.parametrize(
    ("kind", "payload", "match"),
    [
        ("shouted", {"text": "x"}, "unknown event kind"),
        ("user_message", {}, "'text'"),
        ("user_message", {"text": 3}, "'text'"),
        ("assistant_message", {"text": "x", "item_ids": "a"}, "item_ids"),
        ("shown", {"item_ids": ["a", 1]}, "item_ids"),
        ("feedback", {"item_id": "a", "liked": "yes"}, "'liked'"),
        ("feedback", {"liked": True}, "'item_id'"),
        ("feedback", {"item_id": "", "liked": True}, "non-empty"),
        ("facet_removed", {}, "'facet'"),
        ("facet_removed", {"facet": ""}, "non-empty"),
        ("signals", {"signals": [{"facet": "genre:x", "strength": "high"}]}, "strength"),
        ("signals", {"signals": [sig("genre:x", 1.0, "shouted")]}, "event"),
        ("signals", {"signals": [], "constraints": {"mood": "sad"}}, "constraints"),
        ("constraints", {"mood": "sad"}, "constraints"),
        ("user_message", [1, 2], "must be a dict"),
    ],
)
def test_bad_payloads_fail_at_append(store: SessionStore, kind: str, payload: object, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        store.append("s", kind, payload, T0)  # type: ignore[arg-type]
    assert store.events("s") == []


@pytest.mark.parametrize("ts", [float("nan"), float("inf"), "now", True])
def test_bad_timestamps_are_rejected(store: SessionStore, ts: object) -> None:
    with pytest.raises(ValueError, match="epoch seconds"):
        store.append("s", "user_message", {"text": "x"}, ts)  # type: ignore[arg-type]


def test_durable_across_close_and_reopen(open_log, tmp_path: Path) -> None:
    path = tmp_path / "nested"
    with open_log(path) as s:
        seqs = [s.append("s", "user_message", {"text": f"m{i} ✓"}, T0 + i) for i in range(3)]
        s.append("s", "feedback", {"item_id": "x", "liked": True}, T0 + 3)
    assert seqs == sorted(seqs)
    with open_log(path) as s:
        assert [e.payload.get("text") for e in s.events("s")] == ["m0 ✓", "m1 ✓", "m2 ✓", None]
        assert s.state("s", T0 + 3, HL).liked == ["x"]
        if not isinstance(s, SQLiteSessionStore):
            with s._pool.connection() as conn:  # a commit returns once the WAL is flushed to disk
                assert conn.execute("SHOW synchronous_commit").fetchone()[0] == "on"
                assert conn.execute("SHOW fsync").fetchone()[0] == "on"
            return
        conn = s._conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1


def test_concurrent_appends_lose_nothing(store: SessionStore) -> None:
    threads_n, per_thread = 8, 40
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for j in range(per_thread):
                store.append(f"t{i}", "user_message", {"text": f"{i}-{j}"}, T0 + j)
                if j % 10 == 0:
                    store.state(f"t{i}", T0 + j, HL)  # reads interleave with writes
        except BaseException as exc:  # surfaced below: a thread's exception is otherwise lost
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.session_ids() == sorted(f"t{i}" for i in range(threads_n))
    all_seqs = []
    for i in range(threads_n):
        evs = store.events(f"t{i}")
        assert [e.payload["text"] for e in evs] == [f"{i}-{j}" for j in range(per_thread)]
        all_seqs += [e.seq for e in evs]
    assert len(set(all_seqs)) == threads_n * per_thread


def test_export_is_json_and_complete(store: SessionStore) -> None:
    store.append("s", "user_message", {"text": "I love heists"}, T0)
    store.append("s", "signals", {"signals": [sig("tag:heist", 1.0), sig("genre:horror", -0.02)]}, T0)
    out = json.loads(json.dumps(store.export("s", T0 + DAY, HL)))
    assert out["session_id"] == "s" and out["now"] == T0 + DAY
    assert [e["kind"] for e in out["events"]] == ["user_message", "signals"]
    assert out["events"][0]["payload"] == {"text": "I love heists"}
    labels = [(f["facet"], f["label"]) for f in out["profile"]]
    assert labels == [("tag:heist", "heist (tag)"), ("genre:horror", "horror (genre)")]
    assert out["profile"][0]["weight"] == pytest.approx(0.5)


def _file_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in [path, Path(f"{path}-wal")] if p.exists())


def test_forget_scrubs_the_session_from_disk(open_log, stored_bytes, database_url, tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    marker = "ZQX-private-marker-7741"
    with open_log() as store:
        # Interleave sessions and use long texts so the victim's rows share pages and spill to overflow pages.
        for i in range(30):
            store.append("victim", "user_message", {"text": f"{marker} {i} " + "x" * (50 * i)}, T0 + i)
            store.append("victim", "signals", {"signals": [sig(f"phrase:{marker.lower()} {i}", 1.0)]}, T0 + i)
            store.append("keeper", "user_message", {"text": f"keep {i} " + "y" * (40 * i)}, T0 + i)
        store.close()  # checkpoint: copies of the marker now sit in the main file, not only in the WAL
    with open_log() as store:
        store.append("victim", "user_message", {"text": f"{marker} in the wal"}, T0 + 99)
        assert marker.encode() in stored_bytes()
        assert store.forget("victim") == 61
        data = stored_bytes()
        assert marker.encode() not in data and marker.lower().encode() not in data
        assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
        assert store.events("victim") == [] and store.session_ids() == ["keeper"]
        assert store.state("victim", T0 + 100, HL).dialogue == []
        assert len(store.events("keeper")) == 30  # the neighbour is untouched
        # Seqs are never reused, so a new event after forget() gets a fresh number.
        assert store.append("victim", "user_message", {"text": "new"}, T0 + 200) > 91
    # Still gone after a reopen, and the database is intact.
    if database_url is None:
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with open_log() as again:
        assert len(again.events("keeper")) == 30 and again.events("victim")[0].payload["text"] == "new"
    assert marker.encode() not in stored_bytes()


def test_forget_unknown_session_is_a_no_op(store: SessionStore) -> None:
    assert store.forget("nobody") == 0


def test_append_many_is_all_or_nothing(store: SessionStore) -> None:
    seqs = store.append_many("s", [("user_message", {"text": "hi"}), ("shown", {"item_ids": ["a", "b"]})], T0)
    assert seqs == sorted(seqs) and len(seqs) == 2
    # The third event is invalid, so none of the three may be stored.
    with pytest.raises(ValueError, match="item_ids"):
        store.append_many("s", [("user_message", {"text": "lost"}), ("shown", {"item_ids": ["c"]}),
                                ("shown", {"item_ids": "not-a-list"})], T0 + 1)
    assert [e.kind for e in store.events("s")] == ["user_message", "shown"]
    assert store.state("s", T0 + 2, HL).dialogue == [{"role": "user", "content": "hi"}]


def test_purge_idle_deletes_only_sessions_past_retention_and_scrubs_them(open_log, stored_bytes) -> None:
    with open_log() as store:
        store.append("old", "user_message", {"text": "OLD-SECRET-5521"}, T0)
        store.append("lively", "user_message", {"text": "first words"}, T0)
        store.append("lively", "user_message", {"text": "still talking"}, T0 + 10 * DAY)  # newest event counts
        store.append("new", "user_message", {"text": "hello"}, T0 + 9 * DAY)
        assert store.purge_idle(before=T0 + 5 * DAY) == 1
        assert store.session_ids() == ["lively", "new"]
        assert store.state("old", T0 + 11 * DAY, HL).dialogue == []
        assert b"OLD-SECRET-5521" not in stored_bytes()
        assert store.purge_idle(before=T0 + 5 * DAY) == 0
