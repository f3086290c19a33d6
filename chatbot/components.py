"""Build the heavy objects once from Settings and hand them to whoever needs them."""

from __future__ import annotations

import logging
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from chatbot.config import Settings
from chatbot.data_lock import lock_data_dir
from retrieval.catalog import Catalog
from retrieval.store import IndexReport, ItemStore, StoreError, make_client

if TYPE_CHECKING:
    from chatbot.engine import Engine
    from chatbot.understanding.grounding_cache import GroundedCatalog
    from retrieval.explore import Explorer

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


def open_store(settings: Settings, embeddings: object | None = None) -> ItemStore:
    """The ItemStore for these settings (embedded or server Chroma), with the configured embedding model."""
    from retrieval.embeddings import build_serving_embeddings

    lock_data_dir(settings.data_dir)  # before anything opens files in it: a second process fails here, at once
    if settings.chroma_mode == "embedded":
        settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    client = make_client(settings.chroma_mode, str(settings.chroma_dir), settings.chroma_host, settings.chroma_port)
    return ItemStore(
        client,
        settings.collection,
        embeddings or build_serving_embeddings(  # type: ignore[arg-type]
            settings.embedding_model, settings.model_cache_dir, settings.query_encoder, settings.query_model
        ),
        settings.embedding_model,
        snapshot_dir=settings.data_dir / "vector-snapshots",
    )


def tqdm_progress(description: str) -> Progress:
    """A progress callback that draws a tqdm bar on the terminal."""
    from tqdm import tqdm

    bar: dict[str, tqdm] = {}

    def update(done: int, total: int) -> None:
        if "bar" not in bar:
            bar["bar"] = tqdm(total=total, desc=description, unit="item")
        bar["bar"].update(done - bar["bar"].n)
        if done >= total:
            bar["bar"].close()

    return update


def ensure_index(store: ItemStore, catalog: Catalog, progress: Progress | None = None,
                 force: bool = False) -> IndexReport:
    """Index the catalog unless the active collection already matches it (then this takes milliseconds)."""
    report = store.reindex(catalog, progress=progress, force=force)
    if report.skipped:
        log.info("index %s is up to date (%d items)", report.collection, report.items)
    else:
        log.info(
            "indexed %d items into %s in %.1f s (%d embedded, %d reused)",
            report.items, report.collection, report.seconds, report.embedded, report.reused,
        )
    return report


def check_index(store: ItemStore, catalog: Catalog) -> None:
    """Raise StoreError unless the active collection holds the whole catalog and answers a nearest-neighbour query."""
    count = store.count()
    if count != len(catalog):
        raise StoreError(f"the index holds {count} items, the catalog {len(catalog)}")
    if catalog.items:
        ids, matrix = store.vectors([catalog.items[0].id])
        if not ids or not store.search(matrix[0], k=1, metadata=False):
            raise StoreError("the index returned nothing for one of its own vectors")


def open_index(settings: Settings, catalog: Catalog, progress: Progress | None = None,
               force: bool = False) -> tuple[ItemStore, IndexReport]:
    """Open the store and make sure it serves this catalog; an embedded index that cannot is rebuilt from scratch."""
    lock_data_dir(settings.data_dir)  # outside the try: a busy data dir is an error to report, not damage to repair
    try:
        store = open_store(settings)
        report = ensure_index(store, catalog, progress, force)
        check_index(store, catalog)
        return store, report
    except Exception as exc:
        if settings.chroma_mode != "embedded":
            raise  # a server's index is not ours to delete
        # A crash (power cut, SIGKILL mid-write) can leave Chroma's files unreadable. The index is only a cache of
        # the catalog, so the cure is to rebuild it; sessions live elsewhere and are untouched.
        log.warning("the vector index in %s cannot be used (%s: %s); rebuilding it from the catalog",
                    settings.chroma_dir, type(exc).__name__, exc)
    discard_embedded_index(settings.chroma_dir)
    store = open_store(settings)
    report = ensure_index(store, catalog, progress, force=True)
    check_index(store, catalog)
    return store, report


def discard_embedded_index(folder: Path) -> None:
    """Delete an embedded Chroma folder and forget Chroma's in-process handle on it, so it can be created afresh."""
    from chromadb.api.shared_system_client import SharedSystemClient

    # Chroma keeps one system per path per process and would hand the broken one back; drop just that one
    # (clear_system_cache() would also break every other Chroma client in the process).
    broken = SharedSystemClient._identifier_to_system.pop(str(folder), None)
    if broken is not None:
        try:
            broken.stop()
        except Exception:  # noqa: BLE001 - it is broken already; the rebuild matters, not a clean stop
            log.debug("stopping the damaged Chroma system failed", exc_info=True)
    aside = folder.with_name(f"{folder.name}.broken-{time.time_ns()}")
    if folder.exists():
        folder.rename(aside)  # rename first: a crash during the delete leaves no half-deleted index in place
        shutil.rmtree(aside, ignore_errors=True)


@dataclass
class Retrieval:
    """Catalog and store, ready to search."""

    settings: Settings
    catalog: Catalog
    store: ItemStore
    index_report: IndexReport
    grounding: GroundedCatalog | None = None  # vocabulary and title index, when already built or cached


def build_retrieval(settings: Settings, progress: Progress | None = None) -> Retrieval:
    """Load and validate the catalog, open the store, and index on first start."""
    started = time.monotonic()
    from chatbot.understanding.grounding_cache import load_grounded, save_grounded

    lock_data_dir(settings.data_dir)  # first: a busy data dir fails at once, and only its owner writes the cache
    cache_dir = settings.data_dir / "catalog-cache"
    grounding = load_grounded(settings.catalog, cache_dir)
    known = dict(grounding.catalog.fingerprints)
    store, report = open_index(settings, grounding.catalog, progress)
    if grounding.catalog.fingerprints != known:
        save_grounded(grounding, cache_dir)  # once per catalog and store settings: later starts skip the hashing
    log.info("retrieval ready in %.1f s", time.monotonic() - started)
    return Retrieval(settings, grounding.catalog, store, report, grounding)


@dataclass
class App:
    """Everything a surface needs, built once."""

    settings: Settings
    retrieval: Retrieval
    engine: Engine


def build_explorer(settings: Settings, catalog: Catalog) -> Explorer | None:
    """The exploration policy RECBOT_EXPLORATION asks for, or None when it is off."""
    from retrieval.explore import Explorer

    if settings.exploration == "off":
        return None

    def facets_of(item_id: str) -> tuple[str, ...]:
        item = catalog.get(item_id)
        return item.facets if item else ()

    return Explorer(settings.exploration_rate, facets_of)


def build_engine(
    settings: Settings,
    retrieval: Retrieval | None = None,
    chat_model: object | None = None,
    progress: Progress | None = None,
) -> App:
    """Wire catalog, store, vectors, models, session store and engine from settings (the one place that does)."""
    from chatbot.engine import Engine
    from chatbot.llm.factory import build_chat_model
    from chatbot.profile import HalfLives
    from chatbot.reply.writer import ReplyWriter
    from chatbot.sessions import open_session_store
    from chatbot.understanding.signals import SignalExtractor
    from retrieval.collaborative import load_collaborative
    from retrieval.learned_rank import LearnedRanker
    from retrieval.rank import Ranker
    from retrieval.rank_weights import RankWeights
    from retrieval.vectors import ItemVectors

    if chat_model is None:
        # The model loads in a second thread while retrieval starts: llama.cpp reads its GGUF in C, without the
        # interpreter lock, so the two overlap on a 2-core CPU (0.4 s of a ~5 s warm start). The data dir is
        # locked first, as a model build may write its cache there.
        lock_data_dir(settings.data_dir)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="load-chat-model") as pool:
            loading = pool.submit(build_chat_model, settings)
            retrieval = retrieval or build_retrieval(settings, progress)
            model = loading.result()
    else:
        model = chat_model
        retrieval = retrieval or build_retrieval(settings, progress)
    ids, matrix = retrieval.store.vectors()
    vectors = ItemVectors(retrieval.catalog, ids, matrix, retrieval.store.embed_query,
                          rating_field=settings.rating_field, votes_field=settings.votes_field,
                          language_field=settings.language_field)
    weights = RankWeights(long_tail=settings.long_tail_lift, mmr_lambda=settings.mmr_lambda,
                          series_cap=settings.series_cap, less_known_every=settings.less_known_every,
                          conversation=settings.conversation_share, liked_title_echo=settings.liked_title_echo)
    cooccurrence = load_collaborative(settings.interactions, retrieval.catalog) if settings.interactions else None
    learned = LearnedRanker.load(settings.ranker, vectors) if settings.ranker else None
    ranker = Ranker(retrieval.store, vectors, weights, collaborative=cooccurrence,
                    prior=cooccurrence.prior if cooccurrence else None, learned=learned)
    grounding = retrieval.grounding
    extractor = SignalExtractor(
        retrieval.catalog, model=model, use_llm=settings.llm_signals,  # type: ignore[arg-type]
        llm_timeout_s=settings.llm_signals_timeout_s,
        vocabulary=grounding.vocabulary if grounding else None, titles=grounding.titles if grounding else None,
    )
    writer = ReplyWriter(model, extractor.titles, settings.max_new_tokens, settings.reply_timeout_s,  # type: ignore[arg-type]
                         item_kind=settings.item_kind, candidates=settings.lead_in_candidates,  # type: ignore[arg-type]
                         temperature=settings.lead_in_temperature, facts=getattr(model, "adapter", None) is not None)
    lock_data_dir(settings.data_dir)
    engine = Engine(
        retrieval.catalog, extractor, ranker, writer, open_session_store(settings.database_url, settings.data_dir),
        half_lives=HalfLives.from_settings(settings), top_k=settings.top_k, candidates=settings.candidates,
        retention_s=settings.session_retention_days * 86400 or None,
        turn_keep=settings.turn_keep, shift_keep=settings.shift_keep,
        explorer=build_explorer(settings, retrieval.catalog),
    )
    purged = engine.purge_expired()
    if purged:
        log.info("deleted %d sessions idle for over %g days (RECBOT_SESSION_RETENTION_DAYS)",
                 purged, settings.session_retention_days)
    return App(settings, retrieval, engine)
