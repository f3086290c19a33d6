"""Compare chat backends on one prompt in one process: load time, time to first text, decode tokens per second.

    .venv/bin/python bench/bench_chat_model.py                         # transformers, onnx, llama.cpp
    .venv/bin/python bench/bench_chat_model.py --cold                  # also time the one-off conversions
    .venv/bin/python bench/bench_chat_model.py --backends openai --openai-url http://127.0.0.1:8080/v1
    # llama.cpp's own runner as the reference (node-llama-cpp, same prebuilt libraries the llama.cpp backend uses;
    # once: npm ci --prefix bench/llama_cpp):
    .venv/bin/python bench/bench_chat_model.py --backends node-llama-cpp,llama.cpp,onnx:int4,onnx:int8,transformers
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from chatbot.config import load_settings  # noqa: E402
from chatbot.llm.base import ChatModel  # noqa: E402

PROMPT = [
    {"role": "system", "content": "You are a friendly film expert."},
    # Asks for length, so both backends decode the full budget instead of stopping early at different points.
    {"role": "user", "content": "Write a long, detailed paragraph about why people love science fiction films."},
]


LLAMA_CPP_DIR = Path(__file__).resolve().parent / "llama_cpp"
HEAVY_IMPORTS = {"transformers": ["torch", "transformers"], "onnx": ["onnxruntime_genai"], "openai": ["httpx"],
                 "llama.cpp": ["numpy"]}


def import_seconds(backend: str) -> float:
    """Time to import a backend's libraries, so that load s is the model alone."""
    started = time.perf_counter()
    for name in HEAVY_IMPORTS.get(backend, []):
        importlib.import_module(name)
    return time.perf_counter() - started


def build(backend: str, args: argparse.Namespace, cache_dir: Path) -> ChatModel:
    """One backend, built the way the app builds it."""
    if backend == "transformers":
        from chatbot.llm.transformers_model import TransformersChatModel

        return TransformersChatModel(args.model, cache_dir, threads=args.threads)
    if backend.startswith("onnx"):  # "onnx" (the default precision), "onnx:int4" or "onnx:int8"
        from chatbot.llm.onnx_model import OnnxChatModel

        precision = backend.partition(":")[2] or load_settings().chat_precision
        return OnnxChatModel(args.model, cache_dir, threads=args.threads, precision=precision)
    if backend == "llama.cpp":
        from chatbot.llm.llamacpp_model import LlamaCppChatModel

        return LlamaCppChatModel(args.model, threads=args.threads, lib_dir=load_settings().llama_cpp_dir)
    if backend == "openai":
        from chatbot.llm.openai_model import OpenAIChatModel

        return OpenAIChatModel(args.openai_url, args.openai_model, timeout_s=120)
    raise SystemExit(f"unknown backend {backend!r}; use node-llama-cpp, llama.cpp, onnx, transformers or openai")


def measure(model: ChatModel, max_new_tokens: int, count_tokens) -> tuple[float, float, int]:  # noqa: ANN001
    """Seconds to the first text chunk, decode tokens/s after it, and tokens generated."""
    started = time.perf_counter()
    first = None
    pieces = []
    for chunk in model.stream(PROMPT, max_new_tokens=max_new_tokens):
        if first is None:
            first = time.perf_counter() - started
        pieces.append(chunk)
    total = time.perf_counter() - started
    tokens = count_tokens("".join(pieces))
    rate = (tokens - 1) / (total - first) if first is not None and total > first and tokens > 1 else float("nan")
    return first or float("nan"), rate, tokens


def llama_cpp_row(args: argparse.Namespace) -> tuple:
    """Run llama.cpp's own chat runner (node-llama-cpp) on the model's GGUF in a node process; a row like the others."""
    from chatbot.llm.base import available_cpus
    from chatbot.llm.model_files import resolve_model

    resolved = resolve_model(args.model)
    if not resolved.gguf_file:
        raise SystemExit(f"llama.cpp needs a GGUF model; {args.model!r} is not one")
    if shutil.which("node") is None or not (LLAMA_CPP_DIR / "node_modules").is_dir():
        raise SystemExit(f"llama.cpp reference not installed; run: npm install --prefix {LLAMA_CPP_DIR}")
    gguf = Path(resolved.location) / resolved.gguf_file
    cmd = ["node", str(LLAMA_CPP_DIR / "reference.mjs"), str(gguf), str(args.threads or available_cpus()),
           str(args.max_new_tokens), str(args.runs), PROMPT[0]["content"], PROMPT[1]["content"]]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        raise SystemExit(f"llama.cpp reference failed:\n{done.stderr[-2000:]}")
    got = json.loads(done.stdout.strip().splitlines()[-1])
    # Its own process: import time is inside load s.
    return ("node-llama-cpp", 0.0, got["load_s"], None, got["first_s"], got["tok_s"], got["tokens"])


def main() -> None:
    """Print one table row per backend."""
    settings = load_settings()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="transformers,onnx,llama.cpp")
    parser.add_argument("--model", default=settings.chat_model)
    parser.add_argument("--cache-dir", type=Path, default=settings.model_cache_dir)
    parser.add_argument("--cold", action="store_true", help="use an empty temp cache, so conversions are timed")
    parser.add_argument("--max-new-tokens", type=int, default=64)
    parser.add_argument("--runs", type=int, default=3, help="measured runs per backend (after one warm-up)")
    parser.add_argument("--threads", type=int, default=None, help="decode threads (default: each backend's own)")
    parser.add_argument("--openai-url", default=settings.openai_base_url)
    parser.add_argument("--openai-model", default=settings.openai_model)
    args = parser.parse_args()

    cache_dir = Path(tempfile.mkdtemp(prefix="bench-chat-")) if args.cold else args.cache_dir
    rows = []
    for backend in args.backends.split(","):
        backend = backend.strip()
        if backend == "node-llama-cpp":
            rows.append(llama_cpp_row(args))
            continue
        import_s = import_seconds(backend.partition(":")[0])
        started = time.perf_counter()
        model = build(backend, args, cache_dir)
        load_s = time.perf_counter() - started
        cached = getattr(model, "from_cache", None)
        # Token counts come from the backend's own tokenizer; the OpenAI backend has none, so words stand in.
        count = getattr(model, "count_tokens", lambda text: len(text.split()))
        model.generate(PROMPT, max_new_tokens=4)  # warm-up: first-call allocations are not what users wait for
        runs = [measure(model, args.max_new_tokens, count) for _ in range(args.runs)]
        first = sorted(r[0] for r in runs)[len(runs) // 2]
        rate = sorted(r[1] for r in runs)[len(runs) // 2]
        rows.append((backend, import_s, load_s, cached, first, rate, runs[0][2]))
        del model

    print(f"\nmodel {args.model}, {args.max_new_tokens} new tokens max, median of {args.runs} runs, "
          f"{len(os.sched_getaffinity(0))} CPUs, cache {cache_dir}{' (started empty)' if args.cold else ''}, "
          f"threads {args.threads or 'per backend (llama.cpp, onnx: all CPUs; transformers: CPUs - 1)'}, "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"{'backend':<15}{'import s':>9}{'load s':>8}{'cached':>8}{'first s':>9}{'tok/s':>8}{'tokens':>8}")
    for backend, import_s, load_s, cached, first, rate, tokens in rows:
        cached_txt = "-" if cached is None else ("yes" if cached else "no")
        print(f"{backend:<15}{import_s:>9.2f}{load_s:>8.2f}{cached_txt:>8}{first:>9.3f}{rate:>8.1f}{tokens:>8}")
    base = rows[0]
    for row in rows[1:]:
        if base[5] > 0 and row[4] > 0:
            print(f"{row[0]} vs {base[0]}: {row[5] / base[5]:.2f}x tok/s, first text {base[4] / row[4]:.1f}x sooner")


if __name__ == "__main__":
    main()
