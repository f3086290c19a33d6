"""One process per data directory: an advisory lock, so a second process fails at once with a clear message."""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path
from typing import IO

LOCK_NAME = ".recbot.lock"

_held: dict[Path, IO[str]] = {}  # per process: engines built twice in one process share the data dir
_guard = threading.Lock()


class DataDirBusy(RuntimeError):
    """Another process holds the data directory."""


def lock_data_dir(directory: Path) -> Path:
    """Take the data directory for this process (idempotent) or raise DataDirBusy naming the holder."""
    directory = Path(directory).resolve()
    with _guard:
        if directory in _held:
            return directory
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / LOCK_NAME
        handle = path.open("a+", encoding="utf-8")
        try:
            # Non-blocking: two servers sharing SQLite and Chroma files would corrupt nothing thanks to their own
            # locks, but they would interleave sessions and re-indexes in ways nobody asked for; fail instead.
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            raise DataDirBusy(
                f"data directory {directory} is in use by another recbot process (pid {holder}); stop that process, "
                "or give this one its own folder with RECBOT_DATA_DIR"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        # The kernel drops the lock when the process dies, even on SIGKILL, so a crash never leaves it stuck.
        _held[directory] = handle
        return directory
