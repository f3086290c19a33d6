"""Print how long signal extraction takes to build and to run per message, on the sample and the full catalog."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from chatbot.understanding.signals import SignalExtractor  # noqa: E402
from retrieval.catalog import load_catalog  # noqa: E402

FULL_CATALOG = Path("/work/shared/data/movies/catalog.jsonl")
DIALOGS = Path("/work/shared/data/movies/dialogs_dev.jsonl")
FALLBACK_MESSAGES = [
    "I loved the dark knigt and jurassic park", "not horror, something funny from the 90s",
    "more like the second one", "I've seen Alien (1979) and hated it", "a heist movie with a strong female lead",
    "something for my 7 year old", "hi", "I'm not into sci-fi but I like Tom Hanks",
]


def messages(limit: int) -> list[str]:
    """Real user messages from the dialogue file when present, else a fixed list."""
    if not DIALOGS.is_file():
        return FALLBACK_MESSAGES
    texts: list[str] = []
    with DIALOGS.open() as handle:
        for line in handle:
            for turn in json.loads(line)["context"]:
                if turn["role"] == "user" and turn["text"] not in texts:
                    texts.append(turn["text"])
            if len(texts) >= limit:
                break
    return texts[:limit]


def bench(path: Path, texts: list[str]) -> None:
    """Build once, then time every message; prints build seconds and ms/message (median, p95, max)."""
    catalog = load_catalog(path)
    start = time.perf_counter()
    extractor = SignalExtractor(catalog, use_llm=False)
    build_s = time.perf_counter() - start
    times = []
    for text in texts:
        start = time.perf_counter()
        extractor.extract(text, last_shown=[item.id for item in catalog.items[:5]])
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"{path.name}: {len(catalog):,} items, build {build_s:.2f} s, {len(texts)} messages: "
          f"median {statistics.median(times):.2f} ms, p95 {p95:.2f} ms, max {times[-1]:.2f} ms")


def main() -> None:
    """Run the benchmark on the sample catalog and, if present, the full movie catalog."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=500)
    args = parser.parse_args()
    texts = messages(args.messages)
    bench(REPO / "data" / "movies_sample.jsonl", texts)
    if FULL_CATALOG.is_file():
        bench(FULL_CATALOG, texts)


if __name__ == "__main__":
    main()
