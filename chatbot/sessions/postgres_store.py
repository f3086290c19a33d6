"""The shared SessionStore backend: the same append-only log in PostgreSQL, for replicas on several machines."""

from __future__ import annotations

import json
import logging
import re
import time
from typing import TYPE_CHECKING, Any

from chatbot.sessions.events import Event
from chatbot.sessions.store import Row, SessionStore

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- a sequence: a seq is never reused, even after forget()
    session_id TEXT NOT NULL,
    ts DOUBLE PRECISION NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL                                 -- JSON object, stored as sent (as in SQLite)
);
CREATE INDEX IF NOT EXISTS events_by_session ON events(session_id, seq);
"""
SCHEMA_LOCK = 0x5EC5B07  # advisory lock id: replicas starting together create the schema one at a time
SCRUB_TRIES = 5  # VACUUM FULL rounds before forget() says some deleted rows could not be removed yet
STILL_VISIBLE_RE = re.compile(r"(\d+) dead row versions cannot be removed yet")


def redacted(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def _durable(conn: Any) -> None:
    # A commit returns only once its WAL is flushed to disk, whatever the server's default says: an acknowledged
    # turn survives a crash of the database server too (as synchronous=FULL promises for SQLite).
    conn.execute("SET synchronous_commit = on")


def open_pool(url: str, max_size: int, name: str, wait_s: float = 30.0) -> ConnectionPool:
    """A psycopg connection pool (autocommit connections, checked before use) that has reached the server once."""
    try:
        from psycopg_pool import ConnectionPool, PoolTimeout
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise RuntimeError("RECBOT_DATABASE_URL needs psycopg 3 and psycopg-pool: pip install "
                           "'psycopg[binary]' psycopg-pool") from exc
    pool = ConnectionPool(url, min_size=1, max_size=max_size, kwargs={"autocommit": True}, name=name,
                          check=ConnectionPool.check_connection, configure=_durable, open=False)
    pool.open()
    try:
        pool.wait(timeout=wait_s)
    except PoolTimeout:
        pool.close()
        raise RuntimeError(
            f"cannot reach PostgreSQL at {redacted(url)} within {wait_s:g} s; start it (scripts/cluster.sh start does) "
            "or fix RECBOT_DATABASE_URL"
        ) from None
    return pool


class PostgresSessionStore(SessionStore):
    """Append-only event log in PostgreSQL through a connection pool; every replica may serve every session."""

    def __init__(self, url: str, pool_size: int = 8) -> None:
        super().__init__()
        self.url = url
        self._pool = open_pool(url, pool_size, "recbot-sessions")
        self._wal_warned = False
        with self._pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
            for statement in filter(str.strip, SCHEMA.split(";")):
                conn.execute(statement)

    def close(self) -> None:
        """Close every pooled connection."""
        self._pool.close()

    def _insert(self, session_id: str, rows: list[Row]) -> list[int]:
        with self._pool.connection() as conn, conn.transaction():
            # One transaction per turn, and one writer per session at a time: seqs are then handed out in commit
            # order within a session, so a reader never sees a later event before an earlier one.
            conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (session_id,))
            return [
                int(conn.execute(
                    "INSERT INTO events (session_id, ts, kind, payload) VALUES (%s, %s, %s, %s) RETURNING seq", row
                ).fetchone()[0])
                for row in rows
            ]

    def _select(self, session_id: str) -> list[Event]:
        with self._pool.connection() as conn:
            rows = conn.execute(
                "SELECT seq, ts, kind, payload FROM events WHERE session_id = %s ORDER BY seq", (session_id,)
            ).fetchall()
        return [Event(int(seq), session_id, ts, kind, json.loads(payload)) for seq, ts, kind, payload in rows]

    def _newest_seq(self, session_id: str) -> int:
        with self._pool.connection() as conn:
            row = conn.execute("SELECT MAX(seq) FROM events WHERE session_id = %s", (session_id,)).fetchone()
        return int(row[0] or 0)

    def _exists(self, session_id: str) -> bool:
        with self._pool.connection() as conn:
            row = conn.execute("SELECT 1 FROM events WHERE session_id = %s LIMIT 1", (session_id,)).fetchone()
        return row is not None

    def session_ids(self) -> list[str]:
        """Ids of every session with at least one event, sorted."""
        with self._pool.connection() as conn:
            return [r[0] for r in conn.execute("SELECT DISTINCT session_id FROM events ORDER BY session_id")]

    def _delete(self, session_id: str) -> int:
        with self._pool.connection() as conn:
            deleted = conn.execute("DELETE FROM events WHERE session_id = %s", (session_id,)).rowcount
            if deleted:
                self._scrub(conn, f"session {session_id!r}: {deleted} events deleted")
        return int(deleted)

    def _delete_idle(self, before: float) -> list[str]:
        with self._pool.connection() as conn:
            rows = conn.execute(
                "DELETE FROM events WHERE session_id IN "
                "(SELECT session_id FROM events GROUP BY session_id HAVING MAX(ts) < %s) RETURNING session_id",
                (before,),
            ).fetchall()
            stale = sorted({r[0] for r in rows})
            if stale:
                self._scrub(conn, f"{len(stale)} idle sessions deleted")
        return stale

    def _scrub(self, conn: Any, what: str) -> None:
        """Leave no deleted text in the database's files: rewrite the table, then retire the WAL that held it."""
        # A DELETE only marks rows dead, and plain VACUUM frees their space without overwriting it; VACUUM FULL
        # writes a new copy of the table (and its TOAST and index) from live rows only and drops the old files.
        # It locks the table for the rewrite, which is fine for a rare, user-requested erasure.
        still_visible: list[int] = []

        def on_notice(diag: Any) -> None:
            found = STILL_VISIBLE_RE.search(diag.message_detail or "")
            if found:
                still_visible.append(int(found.group(1)))

        conn.add_notice_handler(on_notice)
        try:
            for attempt in range(SCRUB_TRIES):
                still_visible.clear()
                conn.execute("VACUUM (FULL, VERBOSE) events")
                # A transaction that began before the DELETE may still see the rows; VACUUM FULL then keeps
                # them. Such transactions are short here (autocommit everywhere), so wait and rewrite again.
                if not any(still_visible):
                    break
                time.sleep(0.2 * (attempt + 1))
            else:
                raise RuntimeError(f"{what}, but {max(still_visible)} deleted rows were still visible to another "
                                   "transaction, so their bytes may remain in the table; call forget() again")
        finally:
            conn.remove_notice_handler(on_notice)
        self._retire_wal(conn)

    def _retire_wal(self, conn: Any) -> None:
        """Close the WAL segment that logged the deleted rows and checkpoint, so the server drops it."""
        import psycopg

        # With wal_recycle=off (scripts/cluster.sh sets it) the checkpoint deletes the old segments instead of
        # renaming them for reuse. Needs superuser, or pg_checkpoint plus EXECUTE on pg_switch_wal.
        try:
            conn.execute("SELECT pg_switch_wal()")
            conn.execute("CHECKPOINT")
        except psycopg.errors.InsufficientPrivilege:
            if not self._wal_warned:
                self._wal_warned = True
                log.warning("the database role may not run pg_switch_wal()/CHECKPOINT, so deleted sessions stay "
                            "in PostgreSQL's WAL files until they are recycled; GRANT pg_checkpoint and EXECUTE "
                            "ON FUNCTION pg_switch_wal() to it")
