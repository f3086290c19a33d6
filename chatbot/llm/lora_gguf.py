"""A peft LoRA of a Llama-family model written as a llama.cpp adapter GGUF, which the llama.cpp backend loads beside
the base GGUF (RECBOT_CHAT_ADAPTER)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Mapping

import numpy as np

from chatbot.staged_files import staged_file

# Hugging Face module -> llama.cpp tensor, for the modules an adapter here may train. q_proj and k_proj are left
# out on purpose: llama.cpp stores them with their rows permuted for its rope layout, so their LoRA B would need
# the same permutation; v, o and the MLP carry the adapter as well.
GGUF_NAMES = {
    "self_attn.v_proj": "attn_v", "self_attn.o_proj": "attn_output",
    "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up", "mlp.down_proj": "ffn_down",
}
TARGET_MODULES = tuple(name.split(".")[-1] for name in GGUF_NAMES)
PEFT_KEY = re.compile(r"(?:^|\.)layers\.(\d+)\.(\w+\.\w+)\.lora_([AB])(?:\.\w+)?\.weight$")


class AdapterExportError(ValueError):
    """The LoRA has a tensor llama.cpp could not apply; the message says which and why."""


def gguf_tensors(state: Mapping[str, object]) -> dict[str, np.ndarray]:
    """peft state-dict tensors renamed to llama.cpp's ("blk.3.ffn_up.weight.lora_a"), as float16 arrays.

    The shapes stay as peft has them, A (rank, in) and B (out, rank): ggml reads numpy's shape reversed, which is
    the layout llama.cpp's adapter loader checks for.
    """
    out: dict[str, np.ndarray] = {}
    for key, tensor in state.items():
        found = PEFT_KEY.search(key)
        if not found or found.group(2) not in GGUF_NAMES:
            raise AdapterExportError(f"cannot export LoRA tensor {key!r}: only {', '.join(TARGET_MODULES)} of the "
                                     "decoder layers can be written for llama.cpp")
        layer, module, half = found.groups()
        array = tensor.detach().float().cpu().numpy() if hasattr(tensor, "detach") else np.asarray(tensor)
        out[f"blk.{layer}.{GGUF_NAMES[module]}.weight.lora_{half.lower()}"] = array.astype(np.float16)
    if not out:
        raise AdapterExportError("the LoRA has no tensors to export")
    return out


def write_adapter(state: Mapping[str, object], out: Path, alpha: float, architecture: str = "llama",
                  task: str = "") -> Path:
    """Write the LoRA state dict (peft's get_peft_model_state_dict) as a llama.cpp adapter file, whole or not at all."""
    import gguf

    tensors = gguf_tensors(state)
    with staged_file(Path(out)) as tmp:
        writer = gguf.GGUFWriter(str(tmp), architecture)
        writer.add_type(gguf.GGUFType.ADAPTER)
        writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
        writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, float(alpha))
        if task:
            writer.add_string(gguf.Keys.Adapter.LORA_TASK_NAME, task)
        for name, array in sorted(tensors.items()):
            writer.add_tensor(name, array)
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
    return Path(out)
