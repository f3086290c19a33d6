"""Build the heavy objects once from Settings and hand them to whoever needs them."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from chatbot.config import Settings
from retrieval.catalog import Catalog, load_catalog
from retrieval.store import IndexReport, ItemStore, make_client

if TYPE_CHECKING:
    from chatbot.engine import Engine

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


def open_store(settings: Settings, embeddings: object | None = None) -> ItemStore:
    """The ItemStore for these settings (embedded or server Chroma), with the configured embedding model."""
    from retrieval.embeddings import build_embeddings

    if settings.chroma_mode == "embedded":
        settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    client = make_client(settings.chroma_mode, str(settings.chroma_dir), settings.chroma_host, settings.chroma_port)
    return ItemStore(
        client,
        settings.collection,
        embeddings or build_embeddings(settings.embedding_model),  # type: ignore[arg-type]
        settings.embedding_model,
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


def ensure_index(store: ItemStore, catalog: Catalog, progress: Progress | None = None) -> IndexReport:
    """Index the catalog unless the active collection already matches it (then this takes milliseconds)."""
    report = store.reindex(catalog, progress=progress)
    if report.skipped:
        log.info("index %s is up to date (%d items)", report.collection, report.items)
    else:
        log.info(
            "indexed %d items into %s in %.1f s (%d embedded, %d reused)",
            report.items, report.collection, report.seconds, report.embedded, report.reused,
        )
    return report


@dataclass
class Retrieval:
    """Catalog and store, ready to search."""

    settings: Settings
    catalog: Catalog
    store: ItemStore
    index_report: IndexReport


def build_retrieval(settings: Settings, progress: Progress | None = None) -> Retrieval:
    """Load and validate the catalog, open the store, and index on first start."""
    started = time.monotonic()
    catalog = load_catalog(settings.catalog)
    store = open_store(settings)
    report = ensure_index(store, catalog, progress)
    log.info("retrieval ready in %.1f s", time.monotonic() - started)
    return Retrieval(settings, catalog, store, report)


@dataclass
class App:
    """Everything a surface needs, built once."""

    settings: Settings
    retrieval: Retrieval
    engine: Engine


def build_engine(
    settings: Settings,
    retrieval: Retrieval | None = None,
    chat_model: object | None = None,
    progress: Progress | None = None,
) -> App:
    """Wire catalog, store, vectors, models, session store and engine from settings (the one place that does)."""
    from chatbot.engine import Engine
    from chatbot.models import build_chat_model
    from chatbot.profile import HalfLives
    from chatbot.reply import ReplyWriter
    from chatbot.sessions import SessionStore
    from chatbot.signals import SignalExtractor
    from retrieval.collaborative import load_collaborative
    from retrieval.rank import Ranker, RankWeights
    from retrieval.vectors import ItemVectors

    retrieval = retrieval or build_retrieval(settings, progress)
    model = chat_model if chat_model is not None else build_chat_model(settings)
    ids, matrix = retrieval.store.vectors()
    vectors = ItemVectors(retrieval.catalog, ids, matrix, retrieval.store.embed_query)
    weights = RankWeights(long_tail=settings.long_tail_lift, mmr_lambda=settings.mmr_lambda)
    log = load_collaborative(settings.interactions, retrieval.catalog) if settings.interactions else None
    ranker = Ranker(retrieval.store, vectors, weights, collaborative=log, prior=log.prior if log else None)
    extractor = SignalExtractor(
        retrieval.catalog, model=model, use_llm=settings.llm_signals,  # type: ignore[arg-type]
        llm_timeout_s=settings.llm_signals_timeout_s,
    )
    writer = ReplyWriter(model, extractor.titles, settings.max_new_tokens, settings.reply_timeout_s)  # type: ignore[arg-type]
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = Engine(
        retrieval.catalog, extractor, ranker, writer, SessionStore(settings.data_dir / "sessions.sqlite3"),
        half_lives=HalfLives.from_settings(settings), top_k=settings.top_k, candidates=settings.candidates,
    )
    return App(settings, retrieval, engine)
