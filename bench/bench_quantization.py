"""What each backend and onnx precision costs in quality and gains in speed, against the transformers reference.

    .venv/bin/python bench/bench_quantization.py                    # llama.cpp, onnx int4 and int8 (int8 built once)
    .venv/bin/python bench/bench_quantization.py --tokens 800

Quality is perplexity on catalog descriptions (the sample's first items; lower is better), scored token by token
with teacher forcing; the transformers backend runs the package's GGUF dequantized to float32, and llama.cpp runs
the GGUF itself (Q4_1), so both are the model as shipped. Speed is greedy decode tokens/s after a short prompt.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402

from bench_chat_model import PROMPT, measure  # noqa: E402 - same prompt and timing as the backend comparison
from chatbot.config import load_settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def scoring_text(items: int = 40) -> str:
    """Titles and descriptions of the sample catalog's first items: the kind of text the app talks about."""
    lines = (ROOT / "data" / "movies_sample.jsonl").read_text().splitlines()[:items]
    rows = [json.loads(line) for line in lines if line.strip()]
    return "\n".join(f"{row['title']}: {row.get('description', '')}" for row in rows)


def onnx_nll(model, text: str, tokens: int) -> float:  # noqa: ANN001 - an OnnxChatModel
    """Mean negative log-likelihood per token of text under an onnx model."""
    og = model._og
    ids = list(model.tokenizer.encode(text))[:tokens]
    params = og.GeneratorParams(model.model)
    params.set_search_options(max_length=len(ids) + 1, do_sample=False)
    generator = og.Generator(model.model, params)
    losses = []
    for position in range(len(ids) - 1):
        generator.append_tokens([ids[position]])
        logits = np.asarray(generator.get_logits(), dtype=np.float64).reshape(-1)
        logits -= logits.max()
        losses.append(math.log(np.exp(logits).sum()) - logits[ids[position + 1]])
    return float(np.mean(losses))


def llama_cpp_nll(model, text: str, tokens: int) -> float:  # noqa: ANN001 - a LlamaCppChatModel
    """Mean negative log-likelihood per token of text under the llama.cpp backend (its KV cache is reset)."""
    ids = model.tokenize(text)[:tokens]
    model._forget()
    losses = []
    for position in range(len(ids) - 1):
        model._decode([ids[position]])
        logits = model._logits().astype(np.float64)
        logits -= logits.max()
        losses.append(math.log(np.exp(logits).sum()) - logits[ids[position + 1]])
    model._forget()
    return float(np.mean(losses))


def transformers_nll(model, text: str, tokens: int) -> float:  # noqa: ANN001 - a TransformersChatModel
    """Mean negative log-likelihood per token of text under the transformers reference."""
    import torch

    ids = model.tokenizer(text, return_tensors="pt").input_ids[:, :tokens]
    with torch.no_grad():
        return float(model.model(ids, labels=ids).loss)


def decode_rate(model, max_new_tokens: int, runs: int = 3) -> float:  # noqa: ANN001 - any local chat model
    """Decode tokens/s after the first chunk, median of runs, measured as bench_chat_model measures it."""
    model.generate(PROMPT, max_new_tokens=4)  # warm-up
    return float(np.median([measure(model, max_new_tokens, model.count_tokens)[1] for _ in range(runs)]))


def main() -> None:
    """Print perplexity and decode speed per backend and precision."""
    settings = load_settings()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--precisions", default="int4,int8", help="onnx precisions")
    parser.add_argument("--no-llama-cpp", action="store_true", help="skip the llama.cpp backend")
    parser.add_argument("--tokens", type=int, default=400, help="tokens of text to score")
    parser.add_argument("--max-new-tokens", type=int, default=128)
    args = parser.parse_args()

    from chatbot.llm.transformers_model import TransformersChatModel
    from chatbot.llm.onnx_model import OnnxChatModel

    text = scoring_text()
    rows = []
    reference = TransformersChatModel(settings.chat_model, settings.model_cache_dir)
    rows.append(("transformers fp32", transformers_nll(reference, text, args.tokens),
                 decode_rate(reference, args.max_new_tokens)))
    del reference
    if not args.no_llama_cpp:
        from chatbot.llm.llamacpp_model import LlamaCppChatModel

        model = LlamaCppChatModel(settings.chat_model, lib_dir=settings.llama_cpp_dir)
        rows.append(("llama.cpp (GGUF)", llama_cpp_nll(model, text, args.tokens),
                     decode_rate(model, args.max_new_tokens)))
        del model
    for precision in args.precisions.split(","):
        model = OnnxChatModel(settings.chat_model, settings.model_cache_dir, precision=precision.strip())
        rows.append((f"onnx {precision.strip()}", onnx_nll(model, text, args.tokens),
                     decode_rate(model, args.max_new_tokens)))
        del model

    print(f"\nmodel {settings.chat_model}: perplexity on {args.tokens} tokens of catalog text, decode of "
          f"{args.max_new_tokens} tokens; load average {os.getloadavg()[0]:.2f}")
    print(f"{'backend':<20}{'perplexity':>11}{'vs reference':>14}{'tok/s':>8}")
    for label, nll, rate in rows:
        print(f"{label:<20}{math.exp(nll):>11.2f}{math.exp(nll - rows[0][1]):>13.2f}x{rate:>8.1f}")


if __name__ == "__main__":
    main()
