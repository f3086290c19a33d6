"""The SessionStore interface: an append-only event log per session, with rebuilt states cached in memory."""

from __future__ import annotations

import copy
import math
import threading
from abc import ABC, abstractmethod
from collections import OrderedDict
from dataclasses import asdict, dataclass
from typing import Any

from chatbot.profile import HalfLives
from chatbot.sessions.events import (
    Event, SessionState, check_session_id, check_ts, payload_text, replay, with_origins,
)

CACHE_SIZE = 256  # rebuilt states kept in memory; a miss only costs one replay

Row = tuple[str, float, str, str]  # (session_id, ts, kind, payload JSON), as stored


@dataclass
class _Cached:
    last_seq: int
    max_ts: float
    half_lives: HalfLives
    state: SessionState


class SessionStore(ABC):
    """Append-only event log of sessions; a backend stores rows, this class validates, replays and caches.

    Backends: SQLiteSessionStore (one file, the embedded default) and PostgresSessionStore (shared by replicas).
    Seqs grow in each session's commit order and are never reused, so a session's newest seq identifies its content.
    """

    def __init__(self) -> None:
        self._cache: OrderedDict[str, _Cached] = OrderedDict()
        self._cache_lock = threading.Lock()

    # --- what a backend provides ---------------------------------------------------------------------------------

    @abstractmethod
    def _insert(self, session_id: str, rows: list[Row]) -> list[int]:
        """Store the rows in one transaction (all or none) and return their seqs, in order."""

    @abstractmethod
    def _select(self, session_id: str) -> list[Event]:
        """Every event of the session in log order."""

    @abstractmethod
    def _newest_seq(self, session_id: str) -> int:
        """The session's highest seq (0: no events)."""

    @abstractmethod
    def _delete(self, session_id: str) -> int:
        """Delete the session's events and scrub them from storage; returns how many were deleted."""

    @abstractmethod
    def _delete_idle(self, before: float) -> list[str]:
        """Delete and scrub every session whose newest event is older than `before`; returns their ids."""

    @abstractmethod
    def session_ids(self) -> list[str]:
        """Ids of every session with at least one event, sorted."""

    @abstractmethod
    def _exists(self, session_id: str) -> bool:
        """Whether the session has at least one event."""

    @abstractmethod
    def close(self) -> None:
        """Release the connections."""

    # --- the interface ---------------------------------------------------------------------------------------------

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def append(self, session_id: str, kind: str, payload: dict[str, Any], ts: float) -> int:
        """Validate and durably store one event; returns its seq."""
        return self.append_many(session_id, [(kind, payload)], ts)[0]

    def append_many(self, session_id: str, events: list[tuple[str, dict[str, Any]]], ts: float) -> list[int]:
        """Validate and durably store several events of one session in one transaction: all of them or none."""
        check_session_id(session_id)
        ts = check_ts(ts)
        rows = [(session_id, ts, kind, payload_text(kind, payload)) for kind, payload in events]
        seqs = self._insert(session_id, rows)
        self._drop_cached(session_id)
        return seqs

    def events(self, session_id: str) -> list[Event]:
        """All events of one session in log order."""
        return self._select(check_session_id(session_id))

    def state(self, session_id: str, now: float, half_lives: HalfLives = HalfLives()) -> SessionState:
        """Session state as of `now` (events stamped later are not yet visible), rebuilt from the log."""
        check_session_id(session_id)
        now = check_ts(now, "now")
        # The newest seq identifies the log's content (append-only, seqs never reused), so a cached state is
        # valid iff it was built up to that seq; this also catches appends made by other processes or replicas.
        last_seq = self._newest_seq(session_id)
        with self._cache_lock:
            hit = self._cache.get(session_id)
            if hit and hit.last_seq == last_seq and hit.half_lives == half_lives and hit.max_ts <= now:
                self._cache.move_to_end(session_id)
                return copy.deepcopy(hit.state)
        events = self._select(session_id)
        visible = [e for e in events if e.ts <= now]
        state = replay(session_id, visible, half_lives)
        if len(visible) == len(events):
            max_ts = max((e.ts for e in events), default=-math.inf)
            with self._cache_lock:
                self._cache[session_id] = _Cached(state.last_seq, max_ts, half_lives, copy.deepcopy(state))
                self._cache.move_to_end(session_id)
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        return state

    def export(self, session_id: str, now: float, half_lives: HalfLives = HalfLives()) -> dict[str, Any]:
        """Everything stored about a session, JSON-able: every event plus the profile's facets at `now`."""
        state = self.state(session_id, now, half_lives)
        events = self.events(session_id)
        return {
            "session_id": session_id,
            "now": now,
            "events": [{"seq": e.seq, "ts": e.ts, "kind": e.kind, "payload": e.payload} for e in events],
            "profile": [asdict(f) for f in with_origins(state.profile.top(now, n=None, min_abs=0.0), state.origins)],
        }

    def forget(self, session_id: str) -> int:
        """Delete every event of a session and scrub it from storage; returns how many events were deleted."""
        check_session_id(session_id)
        self._drop_cached(session_id)
        return self._delete(session_id)

    def purge_idle(self, before: float) -> int:
        """Delete, and scrub from storage, every session whose newest event is older than `before`; returns how many."""
        stale = self._delete_idle(check_ts(before, "before"))
        for session_id in stale:
            self._drop_cached(session_id)
        return len(stale)

    def exists(self, session_id: str) -> bool:
        """Whether the session has at least one event (one lookup in the session index)."""
        return self._exists(check_session_id(session_id))

    def _drop_cached(self, session_id: str) -> None:
        with self._cache_lock:
            self._cache.pop(session_id, None)
