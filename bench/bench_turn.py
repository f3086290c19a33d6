"""Whole-turn latency through Engine.turn: signals + retrieval + ranking + streamed reply, p50/p95.

    .venv/bin/python bench/bench_turn.py --backend fake                     # sample catalog, no model
    .venv/bin/python bench/bench_turn.py --backend llama.cpp --turns 20     # the default fast backend
    .venv/bin/python bench/bench_turn.py --backend llama.cpp,onnx,transformers  # side by side, one process
    .venv/bin/python bench/bench_turn.py --backend llama.cpp,llama.cpp:noreuse  # what prompt-prefix KV reuse gains
    .venv/bin/python bench/bench_turn.py --backend llama.cpp,llama.cpp:noadapter  # what the lead-in adapter costs
    # 38k catalog, reusing an index built once (RECBOT_DATA_DIR=... recbot index), read-only use:
    .venv/bin/python bench/bench_turn.py --catalog ../shared/data/movies/catalog.jsonl --data-dir /tmp/eval-data
    # 200k synthetic catalog (sample items copied with jittered vectors, index built in --data-dir once):
    .venv/bin/python bench/bench_turn.py --synthetic 200000 --data-dir /tmp/bench-turn-200k

Prints, per backend: the time before the reply starts (signals + retrieval + ranking), the model's own first token,
the first reply chunk shown and the end of the turn (p50/p95), and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

# A few sessions of realistic messages: each list is one conversation, in order.
SESSIONS = [
    ["I want a funny movie for tonight", "something with more romance please", "not a musical",
     "I loved the first one, more like that", "anything from the 90s?"],
    ["recommend me a dark sci-fi thriller", "no horror please", "something like Blade Runner",
     "shorter, under two hours", "what about animated sci-fi?"],
    ["a family film for kids aged 8", "with animals maybe", "I hated the second one",
     "something Christmas themed", "older classics are fine too"],
    ["I like slow, thoughtful dramas", "in French or Italian", "a crime drama then",
     "something by Martin Scorsese", "more recent, after 2010"],
]


def percentile(xs: list[float], q: float) -> float:
    return float(np.percentile(xs, q)) if xs else float("nan")


def peak_rss_mb() -> float:
    """Peak resident set size of this process (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic_catalog(count: int, folder: Path, seed: int = 0, noise: float = 0.04) -> Path:
    """Write a `count`-item catalog of renamed sample items, with jittered sample vectors cached next to it.

    The vectors go in NAME.vectors.npz keyed the way the store keys them, so indexing embeds nothing.
    """
    import hashlib

    from chatbot.config import DEFAULT_EMBEDDING_MODEL
    from retrieval.catalog import load_catalog
    from retrieval.embeddings import load_vector_cache, save_vector_cache, vector_cache_path

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"synthetic-{count}.jsonl"
    if target.exists() and vector_cache_path(target).exists():
        return target
    sample = ROOT / "data" / "movies_sample.jsonl"
    key = lambda text: hashlib.sha256(f"{DEFAULT_EMBEDDING_MODEL}\n{text}".encode()).hexdigest()[:32]  # noqa: E731
    known = load_vector_cache(vector_cache_path(sample))
    items = load_catalog(sample).items
    base = np.asarray([known[key(item.embedding_text())] for item in items], dtype=np.float32)
    rows = [json.loads(line) for line in sample.read_text().splitlines() if line.strip()]
    picks = np.random.default_rng(seed).integers(0, len(rows), size=count)
    with target.open("w") as out:
        for n, i in enumerate(picks):
            out.write(json.dumps({**rows[i], "id": f"syn{n}", "title": f"{rows[i]['title']} ({n})"}) + "\n")
    jitter = np.random.default_rng(seed + 1).normal(0, noise, size=(count, base.shape[1])).astype(np.float32)
    vectors = base[picks] + jitter  # each item's own sample vector, jittered as in bench_retrieval
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    synth = load_catalog(target).items
    save_vector_cache(vector_cache_path(target), [key(item.embedding_text()) for item in synth], vectors)
    return target


class FirstTokenClock:
    """Wraps a chat model and notes when its stream yields the first text: the model's own time to first token."""

    def __init__(self, model) -> None:  # noqa: ANN001 - any ChatModel
        self.model = model
        self.first_at: float | None = None

    def __getattr__(self, name: str):  # noqa: ANN204 - everything else is the wrapped model's
        return getattr(self.model, name)

    def stream(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201 - the ChatModel signature
        for chunk in self.model.stream(*args, **kwargs):
            if self.first_at is None and chunk:
                self.first_at = time.perf_counter()
            yield chunk


def run_backend(backend: str, args: argparse.Namespace) -> dict:
    from chatbot.components import build_engine
    from chatbot.config import load_settings

    # Sessions go to a temp folder; the index is read from --data-dir; converted models come from the app's own
    # cache (<default data_dir>/models), so a model is converted once for the app and every bench, not per run.
    runtime = Path(tempfile.mkdtemp(prefix="bench-turn-run-"))
    (runtime / "models").symlink_to(load_settings().model_cache_dir.resolve(), target_is_directory=True)
    load_settings().model_cache_dir.mkdir(parents=True, exist_ok=True)
    # "onnx:noreuse" / "llama.cpp:noreuse": prompt-prefix KV reuse off, to measure what the reuse gains;
    # "llama.cpp:noadapter": the base model's lead-in (worked examples, no LoRA), against the shipped adapter.
    name, _, variant = backend.partition(":")
    overrides: dict = {
        "chat_backend": name, "data_dir": runtime, "chroma_path": args.data_dir / "chroma",
        "max_new_tokens": args.max_new_tokens,
    }
    if variant == "noadapter":
        overrides["chat_adapter"] = "none"
    if args.catalog:
        overrides["catalog"] = args.catalog
    settings = load_settings(**overrides)
    started = time.perf_counter()
    from chatbot.llm.factory import build_chat_model

    model = build_chat_model(settings)
    if variant == "noreuse":
        model.reuse_prefix = False  # the local backends read it at every reply
    clock = FirstTokenClock(model)
    app = build_engine(settings, chat_model=clock)
    ready_s = time.perf_counter() - started
    import chatbot.engine as engine_module

    explain, reasons_s = engine_module.explain_answer, []

    def timed_explain(*a, **k):  # what choosing the items' reasons costs inside each turn
        t = time.perf_counter()
        try:
            return explain(*a, **k)
        finally:
            reasons_s.append(time.perf_counter() - t)

    engine_module.explain_answer = timed_explain
    engine = app.engine
    messages = [(i, text) for i, session in enumerate(SESSIONS) for text in session]
    # One warm-up turn (first-call allocations), then the measured turns, cycling through the sessions.
    run_id = uuid.uuid4().hex[:8]
    warm = engine.turn(f"warm-{run_id}", "a good comedy")
    "".join(warm.stream)
    first, whole, pre, chars, model_first = [], [], [], [], []
    for n in range(args.turns):
        session, text = messages[n % len(messages)]
        sid = f"bench-{run_id}-{session}-{n // len(messages)}"
        clock.first_at = None
        t0 = time.perf_counter()
        result = engine.turn(sid, text)
        t_pre = time.perf_counter() - t0
        got_first = None
        reply = []
        for chunk in result.stream:
            if got_first is None:
                got_first = time.perf_counter() - t0
            reply.append(chunk)
        whole.append(time.perf_counter() - t0)
        first.append(got_first if got_first is not None else whole[-1])
        pre.append(t_pre)
        if clock.first_at is not None:  # turns that ask a question instead of recommending skip the model
            model_first.append(clock.first_at - t0)
        chars.append(len("".join(reply)))
    return {
        "backend": backend, "ready_s": ready_s, "items": len(app.retrieval.catalog.items),
        "first50": percentile(first, 50), "first95": percentile(first, 95),
        "whole50": percentile(whole, 50), "whole95": percentile(whole, 95),
        "pre50": percentile(pre, 50), "reasons50": percentile(reasons_s, 50), "reasons95": percentile(reasons_s, 95),
        "model50": percentile(model_first, 50), "chars": float(np.mean(chars)), "rss": peak_rss_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--catalog", type=Path, default=None, help="catalog file; default the sample catalog")
    parser.add_argument("--backend", default="fake", help="fake, llama.cpp, onnx, transformers, or a comma list")
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--max-new-tokens", type=int, default=80)
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="runtime folder with an existing index to reuse (default: a temp folder, indexed now)")
    parser.add_argument("--synthetic", type=int, default=0, help="make and use an N-item synthetic catalog")
    args = parser.parse_args()
    if args.data_dir is None:
        args.data_dir = Path(tempfile.mkdtemp(prefix="bench-turn-"))
    if args.synthetic:
        args.catalog = synthetic_catalog(args.synthetic, args.data_dir)
    rows = [run_backend(b.strip(), args) for b in args.backend.split(",")]
    load = os.getloadavg()
    print(f"\n{rows[0]['items']:,} items, {args.turns} turns, <= {args.max_new_tokens} new tokens, "
          f"{len(os.sched_getaffinity(0))} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"{'backend':<18}{'ready s':>8}{'pre p50':>8}{'model 1st':>10}{'first p50':>10}{'first p95':>10}"
          f"{'turn p50':>9}{'turn p95':>9}{'chars':>7}{'peak RSS MB':>12}")
    for r in rows:
        print(f"{r['backend']:<18}{r['ready_s']:>8.1f}{r['pre50']:>8.3f}{r['model50']:>10.3f}{r['first50']:>10.3f}"
              f"{r['first95']:>10.3f}{r['whole50']:>9.3f}{r['whole95']:>9.3f}{r['chars']:>7.0f}{r['rss']:>12.0f}")
    print("(seconds from the message: pre = signals + retrieval + ranking; model 1st = the model's first token, p50;\n"
          " first = first reply chunk shown, i.e. the first lead-in sentence that passed the output guard or the\n"
          " template; turn = reply complete. Peak RSS is the process high-water mark.)")
    for r in rows:
        print(f"{r['backend']}: choosing the items' reasons took {r['reasons50'] * 1000:.1f} ms p50, "
              f"{r['reasons95'] * 1000:.1f} ms p95 per turn (part of pre)")


if __name__ == "__main__":
    main()
