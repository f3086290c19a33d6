"""Start to ready, in fresh processes: settings -> build_engine on an existing index -> first streamed turn.

    .venv/bin/python bench/bench_startup.py                         # default backend, sample catalog
    .venv/bin/python bench/bench_startup.py --backend onnx,transformers,fake --runs 3
    .venv/bin/python bench/bench_startup.py --data-dir /tmp/eval-data --catalog ../shared/data/movies/catalog.jsonl
    .venv/bin/python bench/bench_startup.py --app    # python app.py: /api/health 200, chat page, first chat

The first run of each backend is "cold" (first process to touch the model and index files since they were
written, so OS file caches may still be cold and any one-off conversion or indexing happens); later runs are
"warm" (same files, fresh process). Each child prints its phase timings as JSON; this prints the table.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, os, resource, sys, tempfile, time
t0 = time.perf_counter()
sys.path.insert(0, {root!r})
from pathlib import Path
from chatbot.config import load_settings
from chatbot.components import build_engine
runtime = Path(tempfile.mkdtemp(prefix="bench-startup-run-"))
(runtime / "models").symlink_to(load_settings().model_cache_dir.resolve(), target_is_directory=True)
overrides = {{"chat_backend": {backend!r}, "data_dir": runtime, "chroma_path": Path({data_dir!r}) / "chroma"}}
if {catalog!r}:
    overrides["catalog"] = Path({catalog!r})
settings = load_settings(**overrides)
t_import = time.perf_counter() - t0
app = build_engine(settings)
t_ready = time.perf_counter() - t0
result = app.engine.turn("startup", "a funny movie for tonight")
first = None
for chunk in result.stream:
    if first is None:
        first = time.perf_counter() - t0
t_turn = time.perf_counter() - t0
print("RESULT " + json.dumps({{"import": t_import, "ready": t_ready, "first": first or t_turn, "turn": t_turn,
      "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
      "indexed": not app.retrieval.index_report.skipped,
      "converted": getattr(app.engine.writer.model, "from_cache", True) is False}}))
"""


def run_child(backend: str, args: argparse.Namespace) -> dict:
    code = CHILD.format(root=str(ROOT), backend=backend, data_dir=str(args.data_dir),
                        catalog=str(args.catalog) if args.catalog else "")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"{backend} child failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return {**json.loads(line[7:]), "wall": wall}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_app(args: argparse.Namespace) -> dict:
    """Start `python app.py` and time, from process start: listening, /api/health 200, the chat page, a chat."""
    import httpx

    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "RECBOT_PORT": str(port), "RECBOT_DATA_DIR": str(args.data_dir)}
    if args.catalog:
        env["RECBOT_CATALOG"] = str(args.catalog)
    url = f"http://127.0.0.1:{port}"
    times: dict = {}
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    try:
        while "health" not in times or "page" not in times:
            if proc.poll() is not None:
                raise SystemExit(f"app.py exited ({proc.returncode}):\n{proc.stderr.read()[-3000:]}")
            now = time.perf_counter() - started
            try:
                health = httpx.get(url + "/api/health", timeout=2)
                times.setdefault("listening", now)
                if health.status_code == 200:
                    times.setdefault("health", now)
                if "page" not in times and "gradio" in httpx.get(url + "/", timeout=2).text.lower():
                    times["page"] = time.perf_counter() - started
            except httpx.TransportError:
                pass
            if now > 600:
                raise SystemExit("app.py was not ready within 600 s")
            time.sleep(0.05)
        chat_started = time.perf_counter()
        reply = httpx.post(url + "/api/chat", json={"message": "a funny movie for tonight"}, timeout=120)
        reply.raise_for_status()
        times["chat"] = time.perf_counter() - chat_started
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return times


def main_app(args: argparse.Namespace) -> None:
    """The --app table: one cold run (may index) and warm ones."""
    rows = [run_app(args) for _ in range(args.runs)]
    print(f"\npython app.py, index in {args.data_dir}, {len(os.sched_getaffinity(0))} CPUs, "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"{'start':<6}{'listening s':>12}{'health 200 s':>13}{'chat page s':>12}{'first chat s':>13}")
    for n, r in enumerate(rows):
        print(f"{'cold' if n == 0 else 'warm':<6}{r['listening']:>12.2f}{r['health']:>13.2f}{r['page']:>12.2f}"
              f"{r['chat']:>13.2f}")
    print("(from process start: the API answers /api/health 200 when the engine is ready; the Gradio chat page is "
          "mounted after it; first chat = one whole /api/chat turn after both)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", default="", help="comma list; default the app's RECBOT_CHAT_BACKEND default")
    parser.add_argument("--runs", type=int, default=3, help="processes per backend: 1 cold + runs-1 warm")
    parser.add_argument("--catalog", type=Path, default=None)
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="folder whose chroma/ holds the index (built by the first run if missing)")
    parser.add_argument("--app", action="store_true", help="time the whole app (python app.py) instead")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from chatbot.config import load_settings

    backends = [b.strip() for b in (args.backend or load_settings().chat_backend).split(",")]
    if args.data_dir is None:
        args.data_dir = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    if args.app:
        main_app(args)
        return
    rows = []
    for backend in backends:
        for n in range(args.runs):
            r = run_child(backend, args)
            rows.append((backend, "cold" if n == 0 else "warm", r))
    load = os.getloadavg()
    print(f"\nindex in {args.data_dir}, {len(os.sched_getaffinity(0))} CPUs, "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"{'backend':<13}{'start':<6}{'import s':>9}{'ready s':>9}{'first s':>9}{'turn s':>8}{'process s':>10}"
          f"{'peak RSS MB':>12}  one-off work")
    for backend, kind, r in rows:
        once = ", ".join(w for w, flag in (("indexed", r["indexed"]), ("converted", r["converted"])) if flag) or "-"
        print(f"{backend:<13}{kind:<6}{r['import']:>9.2f}{r['ready']:>9.2f}{r['first']:>9.2f}{r['turn']:>8.2f}"
              f"{r['wall']:>10.2f}{r['rss']:>12.0f}  {once}")
    print("(times from process start; ready = build_engine done; first = first reply chunk of the first turn)")


if __name__ == "__main__":
    main()
