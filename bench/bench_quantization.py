"""What each onnx precision costs in quality and gains in speed, against the transformers reference.

    .venv/bin/python bench/bench_quantization.py                    # int4 and int8 (int8 is built once, ~1 min)
    .venv/bin/python bench/bench_quantization.py --tokens 800

Quality is perplexity on catalog descriptions (the sample's first items; lower is better), scored token by token
with teacher forcing; the transformers backend runs the package's GGUF dequantized to float32, so it is the
model as shipped. Speed is greedy decode tokens/s after a short prompt.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402

from chatbot.config import load_settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PROMPT = [{"role": "user", "content": "Write a long, detailed paragraph about why people love science fiction films."}]


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


def transformers_nll(model, text: str, tokens: int) -> float:  # noqa: ANN001 - a TransformersChatModel
    """Mean negative log-likelihood per token of text under the transformers reference."""
    import torch

    ids = model.tokenizer(text, return_tensors="pt").input_ids[:, :tokens]
    with torch.no_grad():
        return float(model.model(ids, labels=ids).loss)


def decode_rate(model, max_new_tokens: int) -> float:  # noqa: ANN001 - any local chat model
    """Greedy decode tokens/s after the first chunk (median of three runs)."""
    rates = []
    model.generate(PROMPT, max_new_tokens=4)
    for _ in range(3):
        started, first, pieces = time.perf_counter(), None, []
        for chunk in model.stream(PROMPT, max_new_tokens=max_new_tokens):
            first = first or time.perf_counter()
            pieces.append(chunk)
        count = model.count_tokens("".join(pieces))
        if first is not None and count > 1:
            rates.append((count - 1) / (time.perf_counter() - first))
    return float(np.median(rates)) if rates else float("nan")


def main() -> None:
    """Print perplexity and decode speed per backend and precision."""
    settings = load_settings()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--precisions", default="int4,int8")
    parser.add_argument("--tokens", type=int, default=400, help="tokens of text to score")
    parser.add_argument("--max-new-tokens", type=int, default=128)
    args = parser.parse_args()

    from chatbot.hf_model import TransformersChatModel
    from chatbot.onnx_model import OnnxChatModel

    text = scoring_text()
    rows = []
    reference = TransformersChatModel(settings.chat_model, settings.model_cache_dir)
    rows.append(("transformers fp32", transformers_nll(reference, text, args.tokens),
                 decode_rate(reference, args.max_new_tokens)))
    del reference
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
