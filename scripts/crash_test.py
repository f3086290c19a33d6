"""Kill the server with SIGKILL at random moments during chat and feedback traffic; check nothing acknowledged is lost.

    python scripts/crash_test.py --rounds 50

Each round starts `python app.py` on a private data directory, checks that every event acknowledged in earlier
rounds is still stored, runs chat and feedback traffic from a few threads, and kills the server at a random moment
(SIGKILL: no cleanup runs). Every fifth round the catalog changes, so the kill can land in the middle of a re-index.
Between rounds the session database is checked with SQLite's integrity_check (or, with RECBOT_DATABASE_URL set,
PostgreSQL's amcheck). The chat model is the fake backend:
the point is durability, and the real model would only make each round slower.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data" / "movies_sample.jsonl"
READY_TIMEOUT_S = 600.0
# Sessions in the data dir's SQLite file, or in PostgreSQL when RECBOT_DATABASE_URL is set (passed to the server).
BACKEND = "PostgreSQL" if os.environ.get("RECBOT_DATABASE_URL") else "SQLite"


@dataclass
class Ledger:
    """What the server acknowledged (HTTP 200), per session; thread-safe."""

    chats: dict[str, list[str]] = field(default_factory=dict)  # session -> user texts
    feedback: dict[str, list[tuple[str, bool]]] = field(default_factory=dict)  # session -> (item, liked)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def chat(self, session: str, text: str) -> None:
        with self.lock:
            self.chats.setdefault(session, []).append(text)

    def like(self, session: str, item: str, liked: bool) -> None:
        with self.lock:
            self.feedback.setdefault(session, []).append((item, liked))

    def counts(self) -> tuple[int, int]:
        with self.lock:
            return sum(map(len, self.chats.values())), sum(map(len, self.feedback.values()))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_catalog(work: Path, variant: int) -> Path:
    """The sample catalog (with its shipped vectors), plus `variant` extra items so its fingerprint changes."""
    path = work / "catalog.jsonl"
    tmp = path.with_suffix(".tmp")
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    for n in range(variant):
        lines.append(json.dumps({"id": f"crash-test-{n}", "title": f"Crash Test Reel {n}",
                                 "description": "A short film made to be indexed while the server is killed."}))
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)
    shutil.copyfile(SAMPLE.with_suffix(".vectors.npz"), path.with_suffix(".vectors.npz"))
    return path


def start_server(work: Path, catalog: Path, port: int, log_file: Path) -> subprocess.Popen:
    env = {**os.environ, "RECBOT_DATA_DIR": str(work / "data"), "RECBOT_CATALOG": str(catalog),
           "RECBOT_PORT": str(port), "RECBOT_HOST": "127.0.0.1", "RECBOT_CHAT_BACKEND": "fake",
           "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False",
           # Traffic from this one script is deliberately faster than any person: rate limits would only slow it.
           "RECBOT_SESSION_TURNS_PER_MINUTE": "0", "RECBOT_CLIENT_REQUESTS_PER_MINUTE": "0"}
    with log_file.open("a") as log:
        return subprocess.Popen([sys.executable, str(REPO / "app.py")], cwd=work, env=env, stdout=log,
                                stderr=subprocess.STDOUT)


def wait_ready(base: str, process: subprocess.Popen) -> float:
    started = time.monotonic()
    while time.monotonic() - started < READY_TIMEOUT_S:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before it was ready")
        if is_ready(base):
            return time.monotonic() - started
        time.sleep(0.2)
    raise RuntimeError(f"server not ready after {READY_TIMEOUT_S:.0f} s")


def is_ready(base: str) -> bool:
    """Whether the server answers /api/health with 200 (False while it starts, indexes, or does not listen yet)."""
    try:
        return httpx.get(f"{base}/api/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def missing_events(base: str, ledger: Ledger) -> list[str]:
    """Acknowledged events the restarted server no longer has."""
    missing = []
    with ledger.lock:
        sessions = set(ledger.chats) | set(ledger.feedback)
        expected = {s: (list(ledger.chats.get(s, [])), list(ledger.feedback.get(s, []))) for s in sessions}
    for session, (texts, clicks) in expected.items():
        events = httpx.get(f"{base}/api/profile/{session}/export", timeout=30).json().get("events", [])
        said = [e["payload"]["text"] for e in events if e["kind"] == "user_message"]
        clicked = [(e["payload"]["item_id"], e["payload"]["liked"]) for e in events if e["kind"] == "feedback"]
        missing += [f"{session}: chat {t!r}" for t in texts if t not in said]
        missing += [f"{session}: feedback {c}" for c in clicks if c not in clicked]
    return missing


def traffic(base: str, ledger: Ledger, worker: int, round_no: int, stop: threading.Event) -> None:
    """One user: chats and clicks until the server dies; records only what was acknowledged."""
    rng = random.Random(worker * 1000 + round_no)
    session = f"crash-{worker}"
    genres = ["science fiction", "comedy", "horror", "romance", "animation", "documentaries"]
    n = 0
    with httpx.Client(timeout=30) as client:
        while not stop.is_set():
            n += 1
            text = f"round {round_no} message {n}: I love {rng.choice(genres)}"
            try:
                reply = client.post(f"{base}/api/chat", json={"session_id": session, "message": text})
                if reply.status_code != 200:
                    time.sleep(0.2)  # busy: back off briefly, as a client honouring Retry-After would
                    continue
                ledger.chat(session, text)
                items = reply.json()["items"]
                if items:
                    item, liked = rng.choice(items)["item_id"], rng.random() < 0.7
                    click = client.post(f"{base}/api/feedback",
                                        json={"session_id": session, "item_id": item, "liked": liked})
                    if click.status_code == 200:
                        ledger.like(session, item, liked)
            except httpx.HTTPError:
                return  # the server was killed: this request was never acknowledged


def integrity(db: Path) -> str:
    """The session database's own verdict (the server is dead, so nothing writes meanwhile)."""
    if os.environ.get("RECBOT_DATABASE_URL"):
        return pg_integrity(os.environ["RECBOT_DATABASE_URL"])
    if not db.exists():
        return "ok"
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def pg_integrity(url: str) -> str:
    """PostgreSQL's amcheck on the events index against its table (the app user may lack it: then a full read)."""
    import psycopg

    try:
        with psycopg.connect(url, autocommit=True) as conn:
            if conn.execute("SELECT to_regclass('events')").fetchone()[0] is None:
                return "ok"  # killed before the schema was created
            try:
                conn.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
                conn.execute("SELECT bt_index_check('events_by_session'::regclass, true)")
            except psycopg.errors.InsufficientPrivilege:
                pass
            conn.execute("SELECT COUNT(*), SUM(length(payload)) FROM events").fetchone()
        return "ok"
    except psycopg.Error as exc:
        return f"{type(exc).__name__}: {exc}"


def run(rounds: int, work: Path, seed: int, workers: int) -> int:
    rng = random.Random(seed)
    ledger = Ledger()
    log_file = work / "server.log"
    variant, ready_times, lost, corrupt, kills_while_indexing = 0, [], [], [], 0
    catalog = write_catalog(work, variant)
    for round_no in range(1, rounds + 1):
        reindex_round = round_no % 5 == 0
        if reindex_round:
            variant += 1
            catalog = write_catalog(work, variant)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        process = start_server(work, catalog, port, log_file)
        if reindex_round:  # kill during start-up, most likely while the changed catalog is being indexed
            time.sleep(rng.uniform(2.0, 12.0))
            kills_while_indexing += not is_ready(base)
        else:
            ready_times.append(wait_ready(base, process))
            lost += missing_events(base, ledger)
            stop = threading.Event()
            threads = [threading.Thread(target=traffic, args=(base, ledger, w, round_no, stop)) for w in range(workers)]
            for t in threads:
                t.start()
            time.sleep(rng.uniform(0.3, 4.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        if not reindex_round:
            stop.set()
            for t in threads:
                t.join()
        verdict = integrity(work / "data" / "sessions.sqlite3")
        if verdict != "ok":
            corrupt.append(f"round {round_no}: {verdict}")
        chats, clicks = ledger.counts()
        print(f"round {round_no:3d}: {'killed during start-up/indexing' if reindex_round else 'killed under traffic'}"
              f"; acknowledged so far: {chats} chats, {clicks} feedback; lost {len(lost)}; {BACKEND} {verdict}",
              flush=True)
    # A last start checks what the last kill left behind.
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = start_server(work, catalog, port, log_file)
    try:
        ready_times.append(wait_ready(base, process))
        lost += missing_events(base, ledger)
        served = httpx.post(f"{base}/api/chat", json={"message": "a funny space adventure"}, timeout=60)
        serving = served.status_code == 200 and bool(served.json()["items"])
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait()
    log_text = log_file.read_text(errors="replace")
    chats, clicks = ledger.counts()
    print("\n| figure | value |\n|---|---|")
    for name, value in [
        ("SIGKILLs", rounds), ("kills during start-up (index being rebuilt)", kills_while_indexing),
        ("acknowledged chat turns", chats), ("acknowledged feedback clicks", clicks),
        ("acknowledged events missing after restart", len(lost)), (f"{BACKEND} integrity failures", len(corrupt)),
        ("index builds (first start and catalog changes)", log_text.count("indexed ")),
        ("damaged index rebuilt automatically", log_text.count("rebuilding it from the catalog")),
        ("index serves after the last restart", serving),
        ("time to ready p50 / max (s)", f"{statistics.median(ready_times):.1f} / {max(ready_times):.1f}"),
    ]:
        print(f"| {name} | {value} |")
    for problem in (lost + corrupt)[:20]:
        print("PROBLEM:", problem)
    return 0 if not lost and not corrupt and serving else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=4, help="concurrent users sending chat and feedback")
    parser.add_argument("--work-dir", type=Path, help="where data and server.log go (default: a temp folder)")
    args = parser.parse_args()
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="recbot-crash-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"work dir {work}; server log {work / 'server.log'}", flush=True)
    return run(args.rounds, work, args.seed, args.workers)


if __name__ == "__main__":
    sys.exit(main())
