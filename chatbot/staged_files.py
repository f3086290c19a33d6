"""Writes that never leave a half-written file behind: stage beside the target, then swap it in at once."""

from __future__ import annotations

import logging
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)


@contextmanager
def staged_file(target: Path) -> Iterator[Path]:
    """A temp path beside target (same suffix, since numpy adds one otherwise) to write into; when the block ends
    cleanly it replaces target at once. On any error the temp file is removed and target is left as it was."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}-{threading.get_ident()}{target.suffix}")
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def keep_only_cache_file(target: Path, write: Callable[[Path], None], what: str,
                         errors: tuple[type[Exception], ...] = (OSError,)) -> None:
    """Write a cache file whole (staged_file) and delete the folder's other files of its kind (older versions).
    errors are logged, not raised: the cache only saves time, and the next start builds it again."""
    try:
        with staged_file(target) as tmp:
            write(tmp)
        for old in target.parent.glob(f"*{target.suffix}"):
            if old != target:
                old.unlink(missing_ok=True)
    except errors as exc:
        log.warning("could not keep a %s in %s (%s)", what, target.parent, exc)


@contextmanager
def staged_folder(target: Path, is_complete: Callable[[Path], bool]) -> Iterator[Path]:
    """A folder path beside target to write into (not created: writers such as save_pretrained make it); when the
    block ends cleanly the folder becomes target at once.

    A crash never leaves a half-written target. If another process published a complete target first, theirs
    is kept; the staging folder is removed in every case.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.tmp-{os.getpid()}-{threading.get_ident()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        yield tmp
        try:
            os.replace(tmp, target)
        except OSError:
            if not is_complete(target):  # not just another process finishing the same work first
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
