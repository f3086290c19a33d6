"""The catalog with its vocabulary and title index is parsed once per catalog file and code, then unpickled."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import chatbot.understanding.grounding_cache as grounding_cache
from chatbot.understanding.grounding_cache import load_grounded, save_grounded
from retrieval.catalog import CatalogError

COURSES = Path(__file__).parent / "data" / "courses.jsonl"


@pytest.fixture
def catalog_file(tmp_path: Path) -> Path:
    path = tmp_path / "catalog" / "courses.jsonl"
    path.parent.mkdir()
    shutil.copy(COURSES, path)
    return path


def no_build(path: Path) -> None:
    pytest.fail(f"built {path} again although the cache matched")


def test_second_load_comes_from_the_cache_and_behaves_the_same(catalog_file: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    first = load_grounded(catalog_file, cache)
    monkeypatch.setattr(grounding_cache, "build_grounded", no_build)
    again = load_grounded(catalog_file, cache)
    assert again.catalog.items == first.catalog.items and again.catalog.path == first.catalog.path
    title = first.catalog.items[0].title
    message = f"I loved {title}, anything like it?"
    assert [m.item_id for m in again.titles.find(message)] == [m.item_id for m in first.titles.find(message)]
    assert again.titles.find(message) and again.vocabulary.genres == first.vocabulary.genres


def test_an_edited_or_moved_catalog_is_parsed_again(catalog_file: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = load_grounded(catalog_file, cache)
    catalog_file.write_text(catalog_file.read_text().replace(first.catalog.items[0].title, "A Brand New Course"))
    edited = load_grounded(catalog_file, cache)
    assert edited.catalog.items[0].title == "A Brand New Course"
    assert edited.titles.find("I liked A Brand New Course")[0].item_id == first.catalog.items[0].id
    assert len(list(cache.glob("*.pickle"))) == 1  # the old catalog's cache is gone
    moved = tmp_path / "elsewhere.jsonl"
    shutil.copy(catalog_file, moved)
    assert load_grounded(moved, cache).catalog.path == moved  # it remembers where it came from


def test_a_broken_cache_file_is_ignored_and_rewritten(catalog_file: Path, tmp_path: Path,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    cache = tmp_path / "cache"
    first = load_grounded(catalog_file, cache)
    (kept,) = cache.glob("*.pickle")
    kept.write_bytes(b"torn write")
    assert load_grounded(catalog_file, cache).catalog.items == first.catalog.items
    assert "ignoring unreadable catalog cache" in caplog.text and kept.read_bytes() != b"torn write"


def test_a_bad_catalog_still_fails_with_file_and_line_and_caches_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1", "title": "A", "description": "ok"}\n{"id": "2", "title": ""}\n')
    with pytest.raises(CatalogError, match=r"bad\.jsonl, line 2"):
        load_grounded(bad, tmp_path / "cache")
    with pytest.raises(CatalogError, match=r"missing\.jsonl"):
        load_grounded(tmp_path / "missing.jsonl", tmp_path / "cache")
    assert not any((tmp_path / "cache").glob("*.pickle"))


def test_index_fingerprints_are_kept_with_the_cache_and_dropped_with_an_edit(catalog_file: Path,
                                                                             tmp_path: Path) -> None:
    from retrieval.catalog import Catalog
    from retrieval.store import ItemStore

    cache = tmp_path / "cache"
    first = load_grounded(catalog_file, cache)
    fingerprint = ItemStore(None, "items", None, "model-a").catalog_fingerprint(first.catalog)  # type: ignore[arg-type]
    save_grounded(first, cache)
    again = load_grounded(catalog_file, cache)
    assert list(again.catalog.fingerprints.values()) == [fingerprint]
    # The kept value is what hashing the items again gives; another embedding model has its own.
    fresh = Catalog(list(again.catalog.items))
    assert ItemStore(None, "items", None, "model-a").catalog_fingerprint(fresh) == fingerprint  # type: ignore[arg-type]
    assert ItemStore(None, "items", None, "model-b").catalog_fingerprint(again.catalog) != fingerprint  # type: ignore[arg-type]
    catalog_file.write_text(catalog_file.read_text().replace(first.catalog.items[0].title, "A Brand New Course"))
    edited = load_grounded(catalog_file, cache)
    assert edited.catalog.fingerprints == {}
    assert ItemStore(None, "items", None, "model-a").catalog_fingerprint(edited.catalog) != fingerprint  # type: ignore[arg-type]


def old_layout_pickle() -> bytes:
    """A cache file as the flat layout wrote it: it names chatbot.grounding_cache, a module that no longer exists."""
    return b"\x80\x02cchatbot.grounding_cache\nGroundedCatalog\n)\x81}b."  # GLOBAL, EMPTY_TUPLE, NEWOBJ, BUILD


def test_a_cache_written_before_the_package_layout_is_rebuilt_not_an_unpickling_error(
        catalog_file: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    # Worst case for an upgrade: the old file sits exactly where the new code looks for its cache.
    (cache / f"{grounding_cache.cache_key(catalog_file)}.pickle").write_bytes(old_layout_pickle())
    grounded = load_grounded(catalog_file, cache)
    title = grounded.catalog.items[0].title
    assert grounded.titles.find(f"I loved {title}") and len(grounded.catalog) > 0
    again = load_grounded(catalog_file, cache)  # rewritten in the new layout: the next start unpickles it
    assert again.catalog.items == grounded.catalog.items


def test_every_project_module_a_builder_imports_is_in_the_cache_key() -> None:
    # Before: normalize moved from the vocabulary to retrieval.name_keys, and the form genres came from
    # retrieval.likeness, but neither was hashed: an edit there would have unpickled a vocabulary built by old code.
    # retrieval.store is hashed for the index fingerprint alone; what it imports builds nothing that is pickled.
    import ast

    builders = {m.__name__ for m in grounding_cache.BUILDERS}
    for module in grounding_cache.BUILDERS:
        if module.__name__ == "retrieval.store":
            continue
        tree = ast.parse(Path(module.__file__ or "").read_text())
        imported = {n.module for n in tree.body if isinstance(n, ast.ImportFrom) and n.module}
        imported |= {a.name for n in tree.body if isinstance(n, ast.Import) for a in n.names}
        project = {name for name in imported if name.split(".")[0] in ("chatbot", "retrieval")}
        assert project <= builders, (module.__name__, sorted(project - builders))
