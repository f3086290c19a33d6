"""Per-session state as an append-only event log (SQLite embedded, or PostgreSQL for replicas), rebuilt by replay."""

from __future__ import annotations

from pathlib import Path

from chatbot.sessions.events import (
    FEEDBACK_STRENGTH,
    SESSION_ID_RE,
    Event,
    SessionState,
    check_session_id,
    feedback_signals,
    note_origins,
    replay,
    with_origins,
)
from chatbot.sessions.sqlite_store import SQLiteSessionStore
from chatbot.sessions.store import SessionStore

__all__ = [
    "FEEDBACK_STRENGTH", "SESSION_ID_RE", "Event", "SQLiteSessionStore", "SessionState", "SessionStore",
    "check_session_id", "feedback_signals", "note_origins", "open_session_store", "replay", "with_origins",
]

SQLITE_NAME = "sessions.sqlite3"


def open_session_store(database_url: str | None, data_dir: Path, pool_size: int = 8) -> SessionStore:
    """PostgreSQL when database_url is a postgresql:// URL, else the SQLite file in data_dir (the default)."""
    if not database_url:
        return SQLiteSessionStore(Path(data_dir) / SQLITE_NAME)
    if database_url.startswith(("postgresql://", "postgres://")):
        from chatbot.sessions.postgres_store import PostgresSessionStore  # psycopg loads only in this mode

        return PostgresSessionStore(database_url, pool_size=pool_size)
    raise ValueError(f"RECBOT_DATABASE_URL must start with postgresql://, got {database_url.split(':')[0]!r}:...; "
                     "leave it unset to keep sessions in SQLite in the data dir")
