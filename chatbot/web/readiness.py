"""The engine slot: holds the engine once built and reports build progress, so servers answer before it is ready."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Literal

if TYPE_CHECKING:
    from chatbot.engine import Engine

log = logging.getLogger(__name__)

State = Literal["starting", "indexing", "loading", "ok", "error"]


@dataclass(frozen=True)
class Readiness:
    """How far the engine build has got; `message` is what a person should read."""

    status: State
    done: int = 0
    total: int = 0
    message: str = ""


class NotReady(RuntimeError):
    """The engine is not built yet (or failed to build)."""

    def __init__(self, readiness: Readiness) -> None:
        super().__init__(readiness.message)
        self.readiness = readiness


class EngineSlot:
    """Holds the engine once built and reports build progress, so the server can answer before it is ready."""

    def __init__(self, engine: Engine | None = None) -> None:
        self._lock = threading.Lock()
        self._engine = engine
        self._readiness = Readiness("ok", message="ready") if engine else Readiness("starting", message="Starting…")

    @property
    def engine(self) -> Engine | None:
        """The engine, or None while it is being built."""
        return self._engine

    def readiness(self) -> Readiness:
        """The current build state."""
        with self._lock:
            return self._readiness

    def require(self) -> Engine:
        """The engine, or NotReady saying what is still happening."""
        engine = self._engine
        if engine is None:
            raise NotReady(self.readiness())
        return engine

    def progress(self, done: int, total: int) -> None:
        """Progress callback for indexing (components.Progress)."""
        with self._lock:
            if done >= total:
                self._readiness = Readiness("loading", done, total, "Catalog indexed; loading the models…")
            else:
                self._readiness = Readiness("indexing", done, total, f"Preparing the catalog… {done:,}/{total:,}")

    def set_engine(self, engine: Engine) -> None:
        """Publish the built engine."""
        with self._lock:
            self._engine = engine
            self._readiness = Readiness("ok", message="ready")

    def fail(self, message: str) -> None:
        """Record that building failed; surfaces show the message instead of waiting forever."""
        with self._lock:
            self._readiness = Readiness("error", message=message)

    def build_in_background(self, build: Callable[[Callable[[int, int], None]], Engine]) -> threading.Thread:
        """Run build(progress) in a daemon thread and publish its engine (or its error)."""

        def run() -> None:
            with self._lock:
                self._readiness = Readiness("loading", message="Loading the catalog and the models…")
            try:
                self.set_engine(build(self.progress))
            except Exception as exc:  # the server keeps running so /api/health and the UI can say what broke
                log.exception("building the engine failed")
                self.fail(f"The recommender failed to start: {exc}")

        thread = threading.Thread(target=run, name="engine-build", daemon=True)
        thread.start()
        return thread
