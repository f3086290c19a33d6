"""Vector index vs exact search: latency and recall@10 of Chroma (HNSW) against numpy on the same vectors.

Usage: .venv/bin/python bench/bench_retrieval.py [--items 200000] [--queries 200]
Builds a synthetic catalog by blending pairs of real MiniLM vectors (so neighbourhoods look like real text
embeddings, not uniform noise or tight clusters), stores it in a temporary embedded Chroma twice (Chroma's default
HNSW settings and the ones the app serves with), and prints a table.
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
    """`count` unit vectors, each a random blend of two real vectors plus Gaussian jitter.

    Blends fill the space between real items, so the data has no tight clusters of near-copies, which would make
    nearest-neighbour search artificially easy.
    """
    rng = np.random.default_rng(seed)
    share = rng.uniform(0.3, 0.7, size=(count, 1)).astype(np.float32)
    rows = share * base[rng.integers(0, len(base), size=count)] + (1 - share) * base[rng.integers(0, len(base), size=count)]
    rows = rows + rng.normal(0, noise, size=rows.shape).astype(np.float32)
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


SAMPLE_VECTORS = Path(__file__).resolve().parent.parent / "data" / "movies_sample.vectors.npz"


def real_vectors(path: Path) -> np.ndarray:
    """Real MiniLM vectors from a vector file (`recbot index --save-vectors` writes one next to a catalog)."""
    from retrieval.embeddings import load_vector_cache

    return np.asarray(list(load_vector_cache(path).values()), dtype=np.float32)


def build_collection(client: object, name: str, vectors: np.ndarray, hnsw: dict) -> float:
    """A collection holding the vectors; returns the seconds it took."""
    collection = client.create_collection(name, configuration={"hnsw": hnsw})  # type: ignore[attr-defined]
    started = time.perf_counter()
    ids = [str(i) for i in range(len(vectors))]
    for start in range(0, len(vectors), 5000):
        collection.add(ids=ids[start : start + 5000], embeddings=vectors[start : start + 5000])
    return time.perf_counter() - started


def measure(collection: object, queries: np.ndarray, exact_ids: list[set[int]]) -> tuple[float, float, float]:
    """p50 and p95 query latency in ms and mean recall@10 against the exact top 10."""
    index_ms, recalls = [], []
    for query, exact in zip(queries, exact_ids):
        t0 = time.perf_counter()
        got = collection.query(query_embeddings=[query], n_results=10, include=[])["ids"][0]  # type: ignore[attr-defined]
        index_ms.append((time.perf_counter() - t0) * 1000)
        recalls.append(len(exact & {int(i) for i in got}) / 10)
    return float(np.percentile(index_ms, 50)), float(np.percentile(index_ms, 95)), statistics.mean(recalls)


def main() -> None:
    """Build, query, and print latency and recall figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--noise", type=float, default=0.02)
    parser.add_argument("--vectors", type=Path, default=SAMPLE_VECTORS,
                        help="real vectors to blend (default: the sample's; the 38k catalog's after --save-vectors)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-defaults", action="store_true", help="skip building with Chroma's default settings")
    args = parser.parse_args()

    import chromadb
    from chromadb.config import Settings as ChromaSettings

    from retrieval.store import HNSW

    base = real_vectors(args.vectors)
    vectors = synthetic_vectors(base, args.items, args.noise, args.seed)
    queries = synthetic_vectors(base, args.queries, args.noise, args.seed + 1)
    exact_ms, exact_ids = [], []
    for query in queries:
        t0 = time.perf_counter()
        exact_ids.append(set(np.argpartition(-(vectors @ query), 10)[:10].tolist()))
        exact_ms.append((time.perf_counter() - t0) * 1000)
    p = lambda xs, q: float(np.percentile(xs, q))  # noqa: E731
    rows = [("exact numpy", p(exact_ms, 50), p(exact_ms, 95), 1.0, 0.0)]
    settings = [("chroma defaults", {"space": "cosine"})] if not args.no_defaults else []
    settings.append(("chroma as served", dict(HNSW)))
    with tempfile.TemporaryDirectory() as folder:
        client = chromadb.PersistentClient(folder, settings=ChromaSettings(anonymized_telemetry=False))
        for n, (label, hnsw) in enumerate(settings):
            build_s = build_collection(client, f"bench{n}", vectors, hnsw)
            collection = client.get_collection(f"bench{n}")
            rows.append((label, *measure(collection, queries, exact_ids), build_s))

    print(f"{args.items:,} items x {vectors.shape[1]} dims blended from {len(base):,} real vectors, {args.queries} "
          f"queries; served HNSW settings {HNSW}")
    print(f"{'search':<20}{'p50 ms':>10}{'p95 ms':>10}{'recall@10':>12}{'build s':>10}")
    for label, p50, p95, recall, build_s in rows:
        print(f"{label:<20}{p50:>10.2f}{p95:>10.2f}{recall:>12.3f}{build_s:>10.1f}")
    served = next(row for row in rows if row[0] == "chroma as served")
    print(f"speed-up of the served index over exact search (p50): {rows[0][1] / served[1]:.1f}x; "
          f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
