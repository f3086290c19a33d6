"""The parsed catalog with its grounding tables (vocabulary, title index), pickled once per catalog file and code.

Parsing the 38k-film catalog and building its vocabulary and title index takes ~4.5 s of every start here (3.1 s
before the title nicknames, which read every summary once, ~4 s before the vocabulary read every plot too);
unpickling them takes ~0.25 s. The catalog carries its
attribute links and, once the index was checked, its index fingerprint (~0.8 s more to compute). The cache key is a
hash of the catalog file's bytes and of the source of the modules that build these objects, so an edited catalog
or a code change rebuilds. The files live in the data directory, which only this process writes (it holds the
data-dir lock); a broken file is ignored and rewritten.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path

import chatbot.understanding.film_verdicts
import chatbot.understanding.lexicon
import chatbot.understanding.moods
import chatbot.understanding.title_context
import chatbot.understanding.title_match
import chatbot.understanding.title_nicknames
import chatbot.understanding.title_series
import chatbot.types
import chatbot.understanding.vocabulary
import retrieval.catalog
import retrieval.credits
import retrieval.likeness
import retrieval.name_keys
import retrieval.series
import retrieval.store
import retrieval.title_words
from chatbot.staged_files import keep_only_cache_file
from chatbot.understanding.title_match import TitleMatcher
from chatbot.understanding.vocabulary import Vocabulary
from retrieval.catalog import Catalog, load_catalog

log = logging.getLogger(__name__)

# Every module whose code decides what the pickled objects hold (retrieval.store: the catalog's index fingerprints):
# the builders and what they import (name_keys: the lookup form of every key; likeness, with what it imports: the
# form genres).
BUILDERS = (retrieval.catalog, retrieval.credits, chatbot.understanding.vocabulary, chatbot.understanding.title_match,
            chatbot.understanding.title_context, chatbot.understanding.title_series, chatbot.understanding.lexicon,
            chatbot.understanding.title_nicknames, chatbot.understanding.film_verdicts, chatbot.understanding.moods,
            chatbot.types, retrieval.likeness, retrieval.series, retrieval.title_words, retrieval.name_keys,
            retrieval.store)


@dataclass
class GroundedCatalog:
    """A catalog with the tables that ground a person's words in it."""

    catalog: Catalog
    vocabulary: Vocabulary
    titles: TitleMatcher


def build_grounded(path: Path) -> GroundedCatalog:
    """Parse and validate the catalog file and build its vocabulary, title index and attribute links."""
    catalog = load_catalog(path)
    catalog.attribute_links()  # kept on the catalog, so pickled with it
    vocabulary = Vocabulary.from_catalog(catalog)
    return GroundedCatalog(catalog, vocabulary, TitleMatcher(catalog, vocabulary))


def cache_key(path: Path) -> str:
    """Hash of the catalog's location and bytes, the builders' source and the Python version."""
    # The location too: the catalog remembers its path (a vector cache beside it is found through it).
    digest = hashlib.sha256(f"{sys.version}\x00{Path(path).resolve()}".encode())
    for module in BUILDERS:
        digest.update(Path(module.__file__ or "").read_bytes())
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:32]


def load_grounded(path: Path, cache_dir: Path | None) -> GroundedCatalog:
    """The grounded catalog from the cache when it matches the file and code, else built (and cached)."""
    if cache_dir is None:
        return build_grounded(path)
    try:
        target = Path(cache_dir) / f"{cache_key(path)}.pickle"
    except OSError:
        return build_grounded(path)  # the catalog cannot be read: load_catalog says why, with the file name
    if (kept := _read(target)) is not None:
        return kept
    grounded = build_grounded(path)
    _write(target, grounded)
    return grounded


def save_grounded(grounded: GroundedCatalog, cache_dir: Path | None) -> None:
    """Write the grounded catalog to the cache again, with what was computed since loading (index fingerprints)."""
    path = grounded.catalog.path
    if cache_dir is None or path is None:
        return
    try:
        _write(Path(cache_dir) / f"{cache_key(path)}.pickle", grounded)
    except OSError as exc:  # the catalog file went away: the next start reads it again and says so
        log.warning("could not update the catalog cache (%s)", exc)


def _write(target: Path, grounded: GroundedCatalog) -> None:
    def write(tmp: Path) -> None:
        with open(tmp, "wb") as file:
            pickle.dump(grounded, file, protocol=pickle.HIGHEST_PROTOCOL)

    keep_only_cache_file(target, write, "catalog cache", errors=(OSError, pickle.PicklingError))


def _read(target: Path) -> GroundedCatalog | None:
    if not target.is_file():
        return None
    collecting = gc.isenabled()
    gc.disable()  # unpickling ~1.5M small objects: the cycle collector's passes would triple the time
    try:
        with open(target, "rb") as file:
            grounded = pickle.load(file)
    except Exception as exc:  # noqa: BLE001 - a torn or foreign file only costs a rebuild
        log.warning("ignoring unreadable catalog cache %s (%s: %s)", target, type(exc).__name__, exc)
        return None
    finally:
        if collecting:
            gc.enable()
    return grounded if isinstance(grounded, GroundedCatalog) else None
