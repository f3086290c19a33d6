"""Crashes and contention: one process per data dir, a damaged index rebuilt, SIGKILL loses nothing acknowledged."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chatbot.data_lock import LOCK_NAME, DataDirBusy, lock_data_dir

REPO = Path(__file__).resolve().parent.parent


def run_cli(args: list[str], data_dir: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "RECBOT_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture
def small_catalog_file(tmp_path: Path, small_catalog) -> Path:
    import json

    path = tmp_path / "small.jsonl"
    path.write_text("".join(json.dumps({"id": i.id, "title": i.title, "description": i.description,
                                        "genres": i.genres, "year": i.year}) + "\n" for i in small_catalog.items))
    return path


def test_lock_is_shared_within_a_process_and_freed_when_its_holder_is_killed(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from chatbot.data_lock import lock_data_dir; "
         "lock_data_dir(sys.argv[1]); print('locked', flush=True); time.sleep(600)", str(tmp_path)],
        cwd=REPO, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(DataDirBusy, match=rf"in use by another recbot process \(pid {holder.pid}\).*RECBOT_DATA_DIR"):
            lock_data_dir(tmp_path)
    finally:
        holder.send_signal(signal.SIGKILL)  # no cleanup runs, yet the kernel releases the lock
        holder.wait()
    assert lock_data_dir(tmp_path) == tmp_path.resolve()
    assert lock_data_dir(tmp_path) == tmp_path.resolve()  # a second engine in the same process is fine
    assert (tmp_path / LOCK_NAME).read_text().strip() == str(os.getpid())


@pytest.mark.slow
def test_second_process_on_the_same_data_dir_fails_at_once_with_a_clear_message(
    tmp_path: Path, small_catalog_file: Path
) -> None:
    data = tmp_path / "data"
    lock_data_dir(data)  # this test process plays the running server
    for args in (["-m", "chatbot", "index", "--catalog", str(small_catalog_file)], [str(REPO / "app.py")]):
        started = time.monotonic()
        done = run_cli(args, data, timeout=120)
        assert done.returncode != 0, done.stdout
        assert f"{data.resolve()} is in use by another recbot process (pid {os.getpid()})" in done.stderr
        assert "RECBOT_DATA_DIR" in done.stderr
        assert time.monotonic() - started < 120  # reached only if it did not hang


@pytest.mark.slow
def test_unreadable_index_is_rebuilt_automatically_with_a_message(tmp_path: Path, small_catalog_file: Path) -> None:
    data = tmp_path / "data"
    built = run_cli(["-m", "chatbot", "index", "--catalog", str(small_catalog_file)], data)
    assert built.returncode == 0, built.stderr
    database = data / "chroma" / "chroma.sqlite3"
    database.write_bytes(b"this is not a database" * 100)  # what a torn write can leave behind
    again = run_cli(["-m", "chatbot", "index", "--catalog", str(small_catalog_file)], data)
    assert again.returncode == 0, again.stderr
    assert "cannot be used" in again.stderr and "rebuilding it from the catalog" in again.stderr
    found = run_cli(["-m", "chatbot", "search", "space adventure", "-k", "3"], data)
    assert found.returncode == 0, found.stderr
    assert len(found.stdout.strip().splitlines()) == 3
    assert not list((data).glob("chroma.broken-*"))  # the damaged copy is not left lying around


@pytest.mark.slow
def test_sigkill_during_traffic_loses_no_acknowledged_event(tmp_path: Path, database_url: str | None) -> None:
    # Five rounds: four kills under chat + feedback traffic and one during a re-index (the full run is 50 rounds).
    # Against both session backends: the server's SQLite file, and PostgreSQL (which outlives the kills).
    env = {k: v for k, v in os.environ.items() if k != "RECBOT_DATABASE_URL"}
    if database_url:
        env["RECBOT_DATABASE_URL"] = database_url
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "crash_test.py"), "--rounds", "5", "--workers", "2",
         "--work-dir", str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=900, env=env,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "| acknowledged events missing after restart | 0 |" in done.stdout
    assert f"| {'PostgreSQL' if database_url else 'SQLite'} integrity failures | 0 |" in done.stdout
    assert "| index serves after the last restart | True |" in done.stdout
    chats = int(done.stdout.split("| acknowledged chat turns | ")[1].split(" ")[0])
    assert chats > 0  # the kills really landed during traffic that had been acknowledged
