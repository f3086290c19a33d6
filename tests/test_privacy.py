"""Privacy: no conversation text in logs, forget-me empties every store, sessions expire after the retention period."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

import pytest

from chatbot.llm.fake import FakeChatModel

MARKER = "Quokka-Privacy-Marker-4417"


@pytest.fixture
def make_app(make_app, database_url):
    """Every test here runs against both session backends: SQLite in the data dir, and PostgreSQL."""
    return lambda chat_model=None, **overrides: make_app(chat_model, database_url=database_url, **overrides)


def leaky_model() -> FakeChatModel:
    """A model whose failures quote the prompt, as a real backend's error message might."""

    def respond(messages: list[dict[str, str]]) -> str:
        raise RuntimeError(f"model choked on: {messages[-1]['content']}")

    return FakeChatModel(respond)


def test_conversation_text_never_reaches_the_logs(make_app, caplog, capfd) -> None:
    caplog.set_level(logging.DEBUG)  # stricter than the default INFO: not even debug records may quote the user
    engine = make_app(leaky_model(), llm_signals=True).engine
    for text in (f"I love space operas, {MARKER}", f"no horror please {MARKER}", f"more like the first one {MARKER}"):
        reply = "".join(engine.turn("privacy-1", text).stream)
        assert reply  # the template reply stands in for the failed model
    first = engine.turn("privacy-1", "and comedies").items[0]
    engine.feedback("privacy-1", first.item_id, liked=True)
    assert "failed" in caplog.text  # the failures were logged...
    out, err = capfd.readouterr()
    for where in (caplog.text, out, err):
        assert MARKER not in where and MARKER.lower() not in where  # ...without the words that caused them


def test_forget_me_leaves_nothing_in_any_store(make_app, database_url, request, tmp_path: Path) -> None:
    marker = f"{MARKER}-{uuid.uuid4().hex[:8]}"  # this test's own: the PostgreSQL server is shared by many tests
    app = make_app()
    engine = app.engine
    engine.turn("privacy-2", f"I adore Japanese animation, {marker}")
    engine.feedback("privacy-2", engine.turn("privacy-2", "and musicals").items[0].item_id, liked=False)
    engine.turn("someone-else", "westerns please")
    assert engine.profile("privacy-2")
    assert engine.forget("privacy-2") > 0
    assert engine.profile("privacy-2") == [] and engine.history("privacy-2") == []
    assert engine.export("privacy-2")["events"] == []
    for path in app.settings.data_dir.rglob("*"):  # the session database, its WAL, and anything else in the data dir
        if path.is_file():
            assert marker.encode() not in path.read_bytes(), path
    if database_url:  # every file of the PostgreSQL server: tables, indexes, WAL
        assert marker.encode() not in request.getfixturevalue("postgres").stored_bytes()
    assert engine.history("someone-else")  # other sessions are untouched


def say(engine, session_id: str, text: str) -> str:
    """One whole turn, reply consumed (the assistant's message is logged when its stream ends)."""
    return "".join(engine.turn(session_id, text).stream)


def test_sessions_idle_past_the_retention_period_are_deleted(make_app) -> None:
    engine = make_app(session_retention_days=2).engine
    now = [1_800_000_000.0]
    engine.clock = lambda: now[0]
    say(engine, "idle", f"thrillers, {MARKER}")
    say(engine, "active", "thrillers")
    now[0] += 1.5 * 86400
    say(engine, "active", "and some comedy")  # keeps "active" alive; "idle" is 1.5 days old, not yet expired
    assert engine.history("idle")
    now[0] += 1 * 86400  # "idle" is now 2.5 days old, "active" 1 day
    say(engine, "active", "maybe a documentary")  # the hourly purge runs inside a turn
    assert engine.history("idle") == [] and engine.export("idle")["events"] == []
    assert len(engine.history("active")) == 6


def test_retention_zero_keeps_sessions_until_forgotten(make_app) -> None:
    engine = make_app(session_retention_days=0).engine
    now = [1_800_000_000.0]
    engine.clock = lambda: now[0]
    engine.turn("kept", "thrillers")
    now[0] += 400 * 86400
    engine.turn("other", "comedy")
    assert engine.purge_expired() == 0 and engine.history("kept")
