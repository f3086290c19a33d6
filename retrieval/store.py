"""Items in Chroma through langchain-chroma: atomic re-indexing, vector reuse, filtered search."""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, TypeVar

import numpy as np
from langchain_core.embeddings import Embeddings

from chatbot.staged_files import keep_only_cache_file
from retrieval.catalog import Catalog, Item
from retrieval.embeddings import (
    ReusingEmbeddings,
    embedding_order,
    load_vector_cache,
    save_vector_cache,
    vector_cache_path,
)

log = logging.getLogger(__name__)

ALIAS_SUFFIX = "__active"  # a tiny collection whose metadata names the collection that serves
# HNSW graph settings of every collection. Measured on 200k blended real vectors (bench/bench_retrieval.py, against
# exact numpy search): Chroma's defaults (16 neighbours, ef_search 10) found 0.885 of the true top 10; these find
# 0.990, for a slower search (p50 4.3 vs 1.6 ms on an idle 2-core CPU; exact search 17 ms) and a 2.4x slower build.
HNSW = {"space": "cosine", "max_neighbors": 32, "ef_construction": 200, "ef_search": 200}
# Chroma writes the graph to disk after every `sync_threshold` added items (default 1000) and, on each open, adds
# the rest again from its log on several threads: every process then searched a slightly different graph, and a
# restart could answer the same request with other films. Writing it once, when the last item is in, keeps one graph.
INDEX_FORMAT = "graph-written-whole"  # in the fingerprint: an index built before this is built again (vectors reused)
BATCH = 64  # one encode batch per Chroma add: sentence-transformers re-sorts each call by characters, not tokens
Progress = Callable[[int, int], None]  # (done, total)


class StoreError(RuntimeError):
    """The vector index is missing or unusable; the message says how to rebuild it."""


F = TypeVar("F", bound=Callable[..., Any])


def _server_reachable(method: F) -> F:
    """Turn a lost Chroma server connection (server stopped after start) into a StoreError that says what to do."""

    @functools.wraps(method)
    def wrapper(self: ItemStore, *args: Any, **kwargs: Any) -> Any:
        import httpx  # chromadb's HttpClient transport; only raised in server mode

        try:
            return method(self, *args, **kwargs)
        except httpx.TransportError as exc:
            settings = self.client.get_settings()
            where = f"{settings.chroma_server_host}:{settings.chroma_server_http_port}"
            raise StoreError(
                f"lost the Chroma server at {where} ({exc}); is it still running? start it with "
                f"`chroma run --host {settings.chroma_server_host} --port {settings.chroma_server_http_port} "
                f"--path DIR` or set RECBOT_CHROMA_MODE=embedded"
            ) from exc

    return wrapper  # type: ignore[return-value]


def _read_snapshot(path: Path) -> tuple[list[str], np.ndarray] | None:
    """(ids, matrix) from a vector snapshot, or None if there is none or it cannot be used."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            ids, matrix = [str(i) for i in data["ids"]], data["vectors"].astype(np.float32)
    except (OSError, KeyError, ValueError) as exc:  # a broken snapshot only costs time: read Chroma instead
        log.warning("ignoring unreadable vector snapshot %s (%s)", path, exc)
        return None
    if matrix.ndim != 2 or len(ids) != matrix.shape[0]:
        log.warning("ignoring vector snapshot %s: %d ids for %s vectors", path, len(ids), matrix.shape)
        return None
    return ids, matrix


@dataclass(frozen=True)
class SearchHit:
    """One search result: item id, cosine similarity in [-1, 1], and stored metadata."""

    item_id: str
    score: float
    metadata: dict[str, Any]


@dataclass(frozen=True)
class IndexReport:
    """What a (re)index did."""

    collection: str
    items: int
    embedded: int
    reused: int
    seconds: float
    skipped: bool = False


def make_client(mode: str, path: str | None = None, host: str = "127.0.0.1", port: int = 8000) -> Any:
    """A Chroma client: embedded PersistentClient at `path`, or HttpClient to a `chroma run` server."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if mode == "embedded":
        if not path:
            raise ValueError("embedded Chroma needs a path (RECBOT_CHROMA_PATH or RECBOT_DATA_DIR)")
        return chromadb.PersistentClient(path=path, settings=settings)
    if mode == "server":
        try:
            return chromadb.HttpClient(host=host, port=port, settings=settings)
        except Exception as exc:  # chromadb raises several types for "nothing listens"
            raise StoreError(
                f"cannot reach the Chroma server at {host}:{port} ({exc}); start it with "
                f"`chroma run --host {host} --port {port} --path DIR` or set RECBOT_CHROMA_MODE=embedded"
            ) from None
    raise ValueError(f"unknown Chroma mode {mode!r}; use 'embedded' or 'server'")


def item_metadata(item: Item) -> dict[str, Any]:
    """Chroma metadata for filters: year, popularity, lower-case genres/tags as string arrays."""
    meta: dict[str, Any] = {"title": item.title}
    if item.year is not None:
        meta["year"] = item.year
    if item.popularity is not None:
        meta["popularity"] = float(item.popularity)
    if item.facets:  # Chroma rejects empty arrays; a missing key still passes $not_contains
        meta["facets"] = list(item.facets)
    return meta


def build_where(
    year_min: int | None = None,
    year_max: int | None = None,
    include: list[str] | None = None,
    exclude: list[str] | None = None,
) -> dict[str, Any] | None:
    """A Chroma where-filter: year range, any-of included facets, none of excluded facets."""
    clauses: list[dict[str, Any]] = []
    if year_min is not None:
        clauses.append({"year": {"$gte": int(year_min)}})
    if year_max is not None:
        clauses.append({"year": {"$lte": int(year_max)}})
    if include:
        any_of = [{"facets": {"$contains": g.lower()}} for g in include]
        clauses.append(any_of[0] if len(any_of) == 1 else {"$or": any_of})
    for genre in exclude or []:
        clauses.append({"facets": {"$not_contains": genre.lower()}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class ItemStore:
    """The catalog's vectors in Chroma; one active collection at a time, swapped atomically after a re-index."""

    def __init__(self, client: Any, base_name: str, embeddings: Embeddings, embedding_spec: str,
                 snapshot_dir: Path | None = None) -> None:
        """snapshot_dir: where a copy of the active collection's vectors is kept for the next start (optional)."""
        self.client = client
        self.base_name = base_name
        self.embeddings = embeddings
        self.embedding_spec = embedding_spec  # part of the vector key: a new model never reuses old vectors
        self.snapshot_dir = snapshot_dir
        self._vectorstore: Any = None
        self._vectorstore_name: str | None = None
        self._collection: tuple[str, Any] | None = None  # (name, collection) for lean searches

    # --- naming and the active pointer -------------------------------------------------------------
    def _alias(self) -> Any:
        return self.client.get_or_create_collection(self.base_name + ALIAS_SUFFIX, metadata={"active": ""})

    @_server_reachable
    def active_name(self) -> str | None:
        """Name of the collection that serves searches, or None before the first index."""
        return self._alias().metadata.get("active") or None

    @_server_reachable
    def fingerprint(self) -> str | None:
        """Fingerprint of the catalog + model the active collection was built from."""
        return self._alias().metadata.get("fingerprint") or None

    def vector_key(self, text: str) -> str:
        """Content hash of an embedded text under this embedding model."""
        return hashlib.sha256(f"{self.embedding_spec}\n{text}".encode()).hexdigest()[:32]

    def catalog_fingerprint(self, catalog: Catalog) -> str:
        """Hash of every item's id, metadata and embedded text: equal means the index is up to date."""
        settings = f"{self.embedding_spec}\x00{sorted(HNSW.items())}\x00{INDEX_FORMAT}"  # new settings: rebuild
        if (known := catalog.fingerprints.get(settings)) is not None:
            return known  # Catalog items are never changed after loading, so one hash per catalog and settings
        digest = hashlib.sha256(settings.encode())
        for item in catalog.items:
            digest.update(f"{item.id}\x00{self.vector_key(item.embedding_text())}\x00{item_metadata(item)}\x01".encode())
        catalog.fingerprints[settings] = fingerprint = digest.hexdigest()[:32]
        return fingerprint

    def is_current(self, catalog: Catalog) -> bool:
        """True when the active collection was built from exactly this catalog and model."""
        return self.active_name() is not None and self.fingerprint() == self.catalog_fingerprint(catalog)

    # --- indexing ----------------------------------------------------------------------------------
    def _known_vectors(self, name: str | None) -> dict[str, list[float]]:
        """Vectors of the currently active collection by content hash, for reuse."""
        if not name:
            return {}
        known: dict[str, list[float]] = {}
        collection = self.client.get_collection(name)
        total = collection.count()
        for offset in range(0, total, 2000):
            page = collection.get(limit=2000, offset=offset, include=["metadatas", "embeddings"])
            for meta, vector in zip(page["metadatas"], page["embeddings"]):
                if meta and meta.get("vector_key"):
                    known[meta["vector_key"]] = list(vector)
        return known

    def _drop_stale(self, keep: set[str]) -> None:
        """Delete versions of this store that no longer serve (failed or replaced builds)."""
        # Exactly "<base>-v<digits>": a prefix test would also delete another store's collections ("films-vintage").
        version = re.compile(re.escape(self.base_name) + r"-v\d+")
        for collection in self.client.list_collections():
            name = collection if isinstance(collection, str) else collection.name
            if version.fullmatch(name) and name not in keep:
                self.client.delete_collection(name)

    @_server_reachable
    def reindex(self, catalog: Catalog, progress: Progress | None = None, force: bool = False) -> IndexReport:
        """Embed the catalog into a new collection and switch to it only once it is complete."""
        started = time.monotonic()
        fingerprint = self.catalog_fingerprint(catalog)
        old = self.active_name()
        if old and not force and self.fingerprint() == fingerprint:
            return IndexReport(old, len(catalog), 0, 0, 0.0, skipped=True)
        self._drop_stale(keep={old} if old else set())  # leftovers of an interrupted build
        # Vectors shipped next to the catalog first, then the active collection's: both are keyed by content hash.
        known = {**(load_vector_cache(vector_cache_path(catalog.path)) if catalog.path else {}),
                 **self._known_vectors(old)}
        reusing = ReusingEmbeddings(self.embeddings, known, self.vector_key)
        texts = [item.embedding_text() for item in catalog.items]
        keys = [self.vector_key(text) for text in texts]
        # Texts to embed go first, longest first (little padding per batch); reused vectors cost nothing.
        fresh = [i for i, key in enumerate(keys) if key not in known]
        order = [fresh[j] for j in embedding_order(self.embeddings, [texts[i] for i in fresh])]
        order += [i for i, key in enumerate(keys) if key in known]
        new_name = f"{self.base_name}-v{time.time_ns() // 1_000_000}"
        from langchain_chroma import Chroma

        building = Chroma(
            collection_name=new_name,
            embedding_function=reusing,
            client=self.client,
            # The graph goes to disk once, when the last item is in (INDEX_FORMAT above says why).
            collection_configuration={"hnsw": {**HNSW, "sync_threshold": max(1, len(catalog.items))}},  # type: ignore
        )
        try:
            for start in range(0, len(order), BATCH):
                chunk = order[start : start + BATCH]
                metadatas = [{**item_metadata(catalog.items[i]), "vector_key": keys[i]} for i in chunk]
                building.add_texts(
                    texts=[texts[i] for i in chunk], metadatas=metadatas, ids=[catalog.items[i].id for i in chunk]
                )
                if progress:
                    progress(start + len(chunk), len(catalog.items))
            count = self.client.get_collection(new_name).count()
            if count != len(catalog.items):
                raise StoreError(f"new collection {new_name} has {count} items, expected {len(catalog.items)}")
        except BaseException:
            # Ctrl-C or a failure: the old collection keeps serving; drop the half-built one.
            try:
                self.client.delete_collection(new_name)
            except Exception:  # noqa: BLE001 - best effort cleanup, the original error matters
                log.warning("could not delete half-built collection %s", new_name)
            raise
        # The swap: one metadata write on the alias collection.
        self._alias().modify(metadata={"active": new_name, "fingerprint": fingerprint})
        self._drop_stale(keep={new_name})
        self._vectorstore = None
        return IndexReport(new_name, len(catalog.items), reusing.embedded, reusing.reused, time.monotonic() - started)

    # --- searching ---------------------------------------------------------------------------------
    def vectorstore(self) -> Any:
        """The langchain Chroma over the active collection (rebuilt if the active collection changed)."""
        name = self.active_name()
        if not name:
            raise StoreError("no index yet: run `python -m chatbot index --catalog FILE` (or start the app once)")
        if self._vectorstore is None or self._vectorstore_name != name:
            from langchain_chroma import Chroma

            self._vectorstore = Chroma(
                collection_name=name,
                embedding_function=self.embeddings,
                client=self.client,
                create_collection_if_not_exists=False,
            )
            self._vectorstore_name = name
        return self._vectorstore

    def _active_collection(self) -> Any:
        """The active Chroma collection itself, kept while it stays the active one."""
        name = self.active_name()
        if not name:
            raise StoreError("no index yet: run `python -m chatbot index --catalog FILE` (or start the app once)")
        if self._collection is None or self._collection[0] != name:
            self._collection = (name, self.client.get_collection(name))
        return self._collection[1]

    @_server_reachable
    def count(self) -> int:
        """Items in the active collection (0 before the first index)."""
        name = self.active_name()
        return self.client.get_collection(name).count() if name else 0

    def embed_query(self, text: str) -> np.ndarray:
        """Unit-length query vector for a text."""
        return np.asarray(self.embeddings.embed_query(text), dtype=np.float32)

    @_server_reachable
    def search(
        self,
        query: str | np.ndarray | list[float],
        k: int = 10,
        where: dict[str, Any] | None = None,
        *,
        metadata: bool = True,
    ) -> list[SearchHit]:
        """Top-k items by cosine similarity to a text or vector, optionally filtered by a where-clause.

        metadata=False returns ids and scores only (empty metadata), for callers that hold the catalog anyway.
        """
        vector = self.embed_query(query) if isinstance(query, str) else np.asarray(query, dtype=np.float32)
        if not metadata:
            # Straight to the collection: fetching documents and metadata is ~85% of an unfiltered k=200 query
            # on the 38k catalog (31.6 vs 4.5 ms), and langchain's call always fetches them. Serving then never
            # imports langchain-chroma either (with langchain-core's tracing and langsmith, ~1 s of start-up).
            found = self._active_collection().query(
                query_embeddings=[vector.tolist()], n_results=k, where=where, include=["distances"]
            )
            return [SearchHit(i, 1.0 - float(d), {}) for i, d in zip(found["ids"][0], found["distances"][0])]
        pairs = self.vectorstore().similarity_search_by_vector_with_relevance_scores(
            vector.tolist(), k=k, filter=where
        )
        # This langchain call returns Chroma's cosine *distance*; similarity = 1 - distance.
        return [SearchHit(doc.id or "", 1.0 - float(distance), dict(doc.metadata)) for doc, distance in pairs]

    @_server_reachable
    def vectors(self, ids: list[str] | None = None) -> tuple[list[str], np.ndarray]:
        """Stored vectors (all, or for the given ids) as (ids, matrix) in Chroma's order."""
        name = self.active_name()
        if not name:
            raise StoreError("no index yet: run `python -m chatbot index --catalog FILE` (or start the app once)")
        snapshot = self._snapshot_path(name) if ids is None else None
        if snapshot is not None and (kept := _read_snapshot(snapshot)) is not None:
            return kept
        collection = self.client.get_collection(name)
        got_ids: list[str] = []
        rows: list[Any] = []
        if ids is not None:
            for start in range(0, len(ids), 2000):
                page = collection.get(ids=ids[start : start + 2000], include=["embeddings"])
                got_ids += page["ids"]
                rows += list(page["embeddings"])
        else:
            total = collection.count()
            for offset in range(0, total, 5000):
                page = collection.get(limit=5000, offset=offset, include=["embeddings"])
                got_ids += page["ids"]
                rows += list(page["embeddings"])
        matrix = np.asarray(rows, dtype=np.float32).reshape(len(got_ids), -1) if rows else np.zeros((0, 0), np.float32)
        if snapshot is not None:  # written whole; snapshots of collections no longer active are dropped
            keep_only_cache_file(snapshot, lambda tmp: np.savez(tmp, ids=np.asarray(got_ids, dtype=str),
                                                                vectors=matrix), "vector snapshot")
        return got_ids, matrix

    def _snapshot_path(self, name: str) -> Path | None:
        # A collection's vectors never change once it is active (a re-index builds a new one under a new name), so
        # name + fingerprint identify its vectors for good. Reading all 38k back from Chroma takes ~2.6 s here;
        # this file, ~0.1 s.
        if self.snapshot_dir is None:
            return None
        return Path(self.snapshot_dir) / f"{name}-{self.fingerprint() or 'none'}.npz"

    def export_vectors(self, path: Path) -> int:
        """Write the active collection's vectors, keyed by content hash, so a fresh install need not embed them."""
        name = self.active_name()
        if not name:
            raise StoreError("no index yet: run `python -m chatbot index --catalog FILE` first")
        collection = self.client.get_collection(name)
        keys: list[str] = []
        rows: list[Any] = []
        for offset in range(0, collection.count(), 2000):
            page = collection.get(limit=2000, offset=offset, include=["metadatas", "embeddings"])
            for meta, vector in zip(page["metadatas"], page["embeddings"]):
                keys.append(meta["vector_key"])
                rows.append(vector)
        save_vector_cache(path, keys, np.asarray(rows, dtype=np.float32))
        return len(keys)
