"""Load through the HTTP API: N concurrent sessions x M turns against a real server with the real default model.

    .venv/bin/python bench/bench_load.py                          # 32 sessions x 10 turns, starts `app.py` itself
    .venv/bin/python bench/bench_load.py --sessions 8 --turns 3   # a quick look
    .venv/bin/python bench/bench_load.py --url http://127.0.0.1:7860   # against a server already running
    .venv/bin/python bench/bench_load.py --compare                # issue 18: batched vs one at a time, same run

--compare starts the server twice, with llama.cpp batching (the defaults) and with the one-at-a-time baseline
(RECBOT_CHAT_PARALLEL=1 and the former limits of 2 running, 8 waiting), and runs on each: one session alone
(a single person's turn), the closed loop (--sessions x --turns), and an open loop (--rate turns/s offered for
--duration s by sessions that think between turns); it prints both columns side by side with the batch sizes the
decoder reached (read from the server's log).

Each session is one client thread streaming its turns through /api/chat/stream, as the widget does. A 503 busy
or 429 answer is counted and retried after its Retry-After, as a well-behaved client would; anything else that is
not a clean stream is an error. When it starts the server, it gives it a fresh data dir (sample index rebuilt
from the shipped vectors, converted models reused from the app's cache) and turns the per-client rate limit off,
since every simulated client comes from 127.0.0.1; the turn limits stay at the app's defaults.

Prints: requests, turns, errors, busy and rate-limited answers, turn latency p50/p95 (request to the final event,
queueing included, retry waits not), time to the first reply chunk, throughput, and the server's limits.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench_turn import SESSIONS, percentile

ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT_S = 900  # first start may index the sample catalog
REQUEST_TIMEOUT_S = 600  # a queued turn on a loaded 2-core machine can wait minutes; not a failure


@dataclass
class Tally:
    """What every client saw, merged under a lock."""

    requests: int = 0
    turns: int = 0
    busy: int = 0
    limited: int = 0
    errors: list[str] = field(default_factory=list)
    latency_s: list[float] = field(default_factory=list)
    first_chunk_s: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, **counts: object) -> None:
        with self.lock:
            for name, value in counts.items():
                current = getattr(self, name)
                if isinstance(current, list):
                    current.append(value)
                else:
                    setattr(self, name, current + value)


def stream_turn(client: httpx.Client, body: dict, tally: Tally) -> str | None:
    """One turn, retried on 503/429 after Retry-After; returns the session id, or None after an error."""
    while True:
        started = time.perf_counter()
        first = None
        tally.add(requests=1)
        try:
            with client.stream("POST", "/api/chat/stream", json=body) as response:
                if response.status_code in (429, 503):
                    tally.add(**({"busy": 1} if response.status_code == 503 else {"limited": 1}))
                    time.sleep(float(response.headers.get("retry-after", "5")))
                    continue
                if response.status_code != 200:
                    tally.add(errors=f"HTTP {response.status_code}: {response.read()[:200]!r}")
                    return None
                done = None
                for line in response.iter_lines():
                    if not line:
                        continue
                    event = json.loads(line)
                    if event["type"] == "delta" and first is None:
                        first = time.perf_counter() - started
                    elif event["type"] == "error":
                        tally.add(errors=f"in-band error: {event.get('detail')}")
                    elif event["type"] == "done":
                        done = event
        except (httpx.HTTPError, json.JSONDecodeError) as exc:
            tally.add(errors=f"{type(exc).__name__}: {exc}")
            return None
        if done is None:
            tally.add(errors="stream ended without a done event")
            return None
        tally.add(turns=1, latency_s=time.perf_counter() - started)
        if first is not None:
            tally.add(first_chunk_s=first)
        return str(done["session_id"])


def converse(base_url: str, number: int, turns: int, start: threading.Barrier, tally: Tally) -> None:
    script = SESSIONS[number % len(SESSIONS)]
    session_id = None
    with httpx.Client(base_url=base_url, timeout=REQUEST_TIMEOUT_S) as client:
        start.wait()
        for turn in range(turns):
            body = {"message": script[turn % len(script)]} | ({"session_id": session_id} if session_id else {})
            session_id = stream_turn(client, body, tally) or session_id


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(data_dir: Path | None, extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str, Path]:
    """Start `python app.py` on a free loopback port with a fresh data dir; returns it once /api/health is ok."""
    sys.path.insert(0, str(ROOT))
    from chatbot.config import load_settings

    models = load_settings().model_cache_dir.resolve()
    if data_dir is None:
        data_dir = Path(tempfile.mkdtemp(prefix="bench-load-"))
        if models.is_dir():  # reuse the app's converted models instead of converting again
            (data_dir / "models").symlink_to(models, target_is_directory=True)
    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "RECBOT_HOST": "127.0.0.1", "RECBOT_PORT": str(port),
           "RECBOT_DATA_DIR": str(data_dir), "RECBOT_CLIENT_REQUESTS_PER_MINUTE": "0"} | (extra_env or {})
    log = (data_dir / "server.log").open("w")
    server = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, stdout=log, stderr=log)
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}; see {data_dir / 'server.log'}")
        try:
            health = httpx.get(f"{base_url}/api/health", timeout=5)
            if health.status_code == 200:
                return server, base_url, data_dir
            if health.json().get("status") == "error":
                raise SystemExit(f"the server failed to start: {health.json()['message']}")
        except httpx.HTTPError:
            pass
        time.sleep(1)
    server.terminate()
    raise SystemExit(f"the server was not ready within {READY_TIMEOUT_S} s; see {data_dir / 'server.log'}")


def p50_p95(seconds: list[float]) -> str:
    return f"{percentile(seconds, 50):.1f} s / {percentile(seconds, 95):.1f} s"


def report(tally: Tally, wall_s: float, sessions: int, turns: int) -> None:
    from chatbot.config import load_settings

    settings = load_settings()
    rows = [
        ("sessions x turns", f"{sessions} x {turns}"),
        ("requests (incl. retries)", f"{tally.requests:,}"),
        ("turns completed", f"{tally.turns:,} of {sessions * turns:,}"),
        ("errors", f"{len(tally.errors):,}"),
        ("503 busy answers", f"{tally.busy:,}"),
        ("429 rate-limited answers", f"{tally.limited:,}"),
        ("turn latency p50 / p95", p50_p95(tally.latency_s)),
        ("first chunk p50 / p95", p50_p95(tally.first_chunk_s)),
        ("throughput", f"{tally.turns / wall_s:.2f} turns/s ({tally.requests / wall_s:.2f} requests/s)"),
        ("wall time", f"{wall_s:.0f} s"),
        ("server limits (settings here)", f"{settings.max_active_turns} running, {settings.max_queued_turns} waiting, "
                                     f"{settings.session_turns_per_minute} turns/min/session"),
        ("load average (1/5/15 min)", " / ".join(f"{x:.1f}" for x in os.getloadavg())),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    for error in tally.errors[:10]:
        print(f"  error: {error}")


def closed_loop(base_url: str, sessions: int, turns: int) -> tuple[Tally, float]:
    """sessions clients, each streaming turns back to back; returns the tally and the wall time."""
    tally = Tally()
    start = threading.Barrier(sessions)
    clients = [threading.Thread(target=converse, args=(base_url, n, turns, start, tally)) for n in range(sessions)]
    started = time.perf_counter()
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    return tally, time.perf_counter() - started


def open_loop(base_url: str, rate: float, duration_s: float, seed: int = 0) -> tuple[Tally, float]:
    """Turns arrive at `rate` per second (Poisson) for duration_s, each from a session not in a turn; sessions
    think between their turns, as people chat. Returns the tally and the wall time until the last turn ended."""
    import random

    rng = random.Random(seed)
    tally = Tally()
    idle: list[dict] = []  # sessions between turns: {"number", "turn", "id"}
    lock = threading.Lock()
    threads = []
    count = 0

    def one(session: dict) -> None:
        script = SESSIONS[session["number"] % len(SESSIONS)]
        body = {"message": script[session["turn"] % len(script)]} | (
            {"session_id": session["id"]} if session["id"] else {})
        with httpx.Client(base_url=base_url, timeout=REQUEST_TIMEOUT_S) as client:
            session["id"] = stream_turn(client, body, tally) or session["id"]
        session["turn"] += 1
        with lock:
            idle.append(session)

    started = time.perf_counter()
    next_at = 0.0
    while next_at < duration_s:
        time.sleep(max(0.0, started + next_at - time.perf_counter()))
        with lock:
            session = idle.pop(0) if idle else {"number": count, "turn": 0, "id": None}
        count += 1
        thread = threading.Thread(target=one, args=(session,))
        thread.start()
        threads.append(thread)
        next_at += rng.expovariate(rate)
    for thread in threads:
        thread.join()
    return tally, time.perf_counter() - started


def batch_sizes(data_dir: Path) -> str:
    """The last batch statistics the server logged, or what it says when it does not batch."""
    lines = [line for line in (data_dir / "server.log").read_text(errors="replace").splitlines()
             if "llama.cpp batch:" in line]
    return lines[-1].split("llama.cpp batch:", 1)[1].strip() if lines else "none logged (one at a time)"


COMPARED = {
    "batched": {},
    "one at a time": {"RECBOT_CHAT_PARALLEL": "1", "RECBOT_MAX_ACTIVE_TURNS": "2", "RECBOT_MAX_QUEUED_TURNS": "8"},
}


def compare(args: argparse.Namespace) -> None:
    """Both servers, one after the other, on the same machine in the same run; one table side by side."""
    columns: dict[str, dict[str, str]] = {}
    for name, env in COMPARED.items():
        server, base_url, data_dir = start_server(None, env)
        print(f"{name}: server ready at {base_url} (data dir {data_dir})", flush=True)
        try:
            solo, _ = closed_loop(base_url, 1, args.solo_turns)
            closed, closed_s = closed_loop(base_url, args.sessions, args.turns)
            opened, _ = open_loop(base_url, args.rate, args.duration)
        finally:
            server.terminate()
            server.wait(timeout=60)
        columns[name] = {
            "single session: turn p50 / p95": p50_p95(solo.latency_s),
            "single session: first chunk p50": f"{percentile(solo.first_chunk_s, 50):.2f} s",
            f"closed {args.sessions}x{args.turns}: throughput": f"{closed.turns / closed_s:.2f} turns/s",
            f"closed {args.sessions}x{args.turns}: turns / errors": f"{closed.turns} / {len(closed.errors)}",
            f"closed {args.sessions}x{args.turns}: busy answers": str(closed.busy),
            f"closed {args.sessions}x{args.turns}: turn p50 / p95": p50_p95(closed.latency_s),
            f"open {args.rate:g}/s x {args.duration:.0f}s: turns / errors": f"{opened.turns} / {len(opened.errors)}",
            f"open {args.rate:g}/s x {args.duration:.0f}s: turn p50 / p95": p50_p95(opened.latency_s),
            f"open {args.rate:g}/s x {args.duration:.0f}s: busy answers": str(opened.busy),
            "batch sizes reached": batch_sizes(data_dir),
            "load average after": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
        }
        for error in [*closed.errors, *opened.errors][:5]:
            print(f"  {name} error: {error}")
    rows = list(next(iter(columns.values())))
    width = max(len(row) for row in rows)
    print(f"{'':<{width}}  " + "  |  ".join(columns))
    for row in rows:
        print(f"{row:<{width}}  " + "  |  ".join(column[row] for column in columns.values()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=32)
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--url", default=None, help="a running server; default: start app.py on a free port")
    parser.add_argument("--data-dir", type=Path, default=None, help="data dir for the started server (default: fresh)")
    parser.add_argument("--compare", action="store_true", help="batched vs one at a time, closed and open loop")
    parser.add_argument("--rate", type=float, default=3.0, help="open loop: turns offered per second")
    parser.add_argument("--duration", type=float, default=120.0, help="open loop: seconds of arrivals")
    parser.add_argument("--solo-turns", type=int, default=6, help="turns of the single session")
    args = parser.parse_args()
    if args.compare:
        compare(args)
        return
    server = None
    base_url = args.url
    if base_url is None:
        server, base_url, data_dir = start_server(args.data_dir)
        print(f"server ready at {base_url} (data dir {data_dir})", flush=True)
    tally = Tally()
    start = threading.Barrier(args.sessions)
    clients = [threading.Thread(target=converse, args=(base_url, n, args.turns, start, tally))
               for n in range(args.sessions)]
    started = time.perf_counter()
    try:
        for client in clients:
            client.start()
        for client in clients:
            client.join()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)
    report(tally, time.perf_counter() - started, args.sessions, args.turns)


if __name__ == "__main__":
    main()
