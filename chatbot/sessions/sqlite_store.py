"""The embedded SessionStore backend: one SQLite file in WAL mode, fsynced at every commit."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

from chatbot.sessions.events import Event
from chatbot.sessions.store import Row, SessionStore

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- AUTOINCREMENT: a seq is never reused, even after forget()
    session_id TEXT NOT NULL,
    ts REAL NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL                   -- JSON object
);
CREATE INDEX IF NOT EXISTS events_by_session ON events(session_id);
"""


class SQLiteSessionStore(SessionStore):
    """Append-only event log in SQLite (WAL); one shared connection guarded by a lock, safe across threads."""

    def __init__(self, path: Path | str) -> None:
        super().__init__()
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: autocommit, so every append is exactly one committed transaction.
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30.0)
        self._lock = threading.Lock()
        mode = self._conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            self._conn.close()
            raise RuntimeError(f"{self.path}: SQLite refused WAL mode (got {mode!r}); put sessions on a local disk")
        # FULL fsyncs the WAL at every commit: once append() returns, the event survives a power cut, which
        # NORMAL does not promise. It costs one fsync per event, nothing at chat rates.
        self._conn.execute("PRAGMA synchronous=FULL")
        # Deleted rows are overwritten with zeros, so forget() leaves no readable text behind in the file.
        self._conn.execute("PRAGMA secure_delete=ON")
        self._conn.executescript(SCHEMA)

    def close(self) -> None:
        """Close the connection (a checkpoint folds the WAL into the main file)."""
        with self._lock:
            self._conn.close()

    def _insert(self, session_id: str, rows: list[Row]) -> list[int]:
        with self._lock:
            # One transaction: a crash between the events of one turn cannot leave half a turn in the log.
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                seqs = [
                    int(self._conn.execute(
                        "INSERT INTO events (session_id, ts, kind, payload) VALUES (?, ?, ?, ?)", row
                    ).lastrowid)
                    for row in rows
                ]
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            return seqs

    def _select(self, session_id: str) -> list[Event]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT seq, ts, kind, payload FROM events WHERE session_id = ? ORDER BY seq", (session_id,)
            ).fetchall()
        return [Event(seq, session_id, ts, kind, json.loads(payload)) for seq, ts, kind, payload in rows]

    def _newest_seq(self, session_id: str) -> int:
        with self._lock:
            row = self._conn.execute("SELECT MAX(seq) FROM events WHERE session_id = ?", (session_id,)).fetchone()
        return int(row[0] or 0)

    def _delete(self, session_id: str) -> int:
        with self._lock:
            deleted = self._conn.execute("DELETE FROM events WHERE session_id = ?", (session_id,)).rowcount
            busy = self._scrub(deleted > 0)
        if busy:
            raise RuntimeError(
                f"session {session_id!r}: {deleted} events deleted, but another connection kept the WAL from being "
                "truncated, so old bytes may remain in the -wal file; call forget() again once it is idle"
            )
        return deleted

    def _delete_idle(self, before: float) -> list[str]:
        with self._lock:
            stale = [row[0] for row in self._conn.execute(
                "SELECT session_id FROM events GROUP BY session_id HAVING MAX(ts) < ?", (before,)
            )]
            for session_id in stale:
                self._conn.execute("DELETE FROM events WHERE session_id = ?", (session_id,))
            self._scrub(bool(stale))
        return stale

    def _scrub(self, deleted: bool) -> int:
        """Leave no deleted text in the files (caller holds the lock); returns non-zero if the WAL stayed busy."""
        if deleted:
            # secure_delete zeroes the deleted cells, but not stale bytes that b-tree rebalancing left in the
            # free space of live pages (a test found them); VACUUM rebuilds every page from live rows only.
            # It rewrites the whole file, which is fine for a rare, user-requested erasure.
            self._conn.execute("VACUUM")
        # Older copies of those pages may still sit in the WAL; TRUNCATE checkpoints the rebuilt pages
        # into the main file and empties the -wal file.
        busy, _, _ = self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return int(busy)

    def session_ids(self) -> list[str]:
        """Ids of every session with at least one event, sorted."""
        with self._lock:
            return [r[0] for r in self._conn.execute("SELECT DISTINCT session_id FROM events ORDER BY session_id")]

    def _exists(self, session_id: str) -> bool:
        with self._lock:
            row = self._conn.execute("SELECT 1 FROM events WHERE session_id = ? LIMIT 1", (session_id,)).fetchone()
        return row is not None
