"""Train a LoRA adapter for the package-shipped GGUF chat model on CPU (peft) and write it for llama.cpp.

transformers reads the GGUF itself (dequantised to float32), so the adapter is trained on the very weights
llama.cpp runs; chatbot/llm/lora_gguf.py writes it in llama.cpp's adapter format.
"""

from __future__ import annotations

import math
import random
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from chatbot.llm.base import Message, available_cpus
from chatbot.llm.lora_gguf import TARGET_MODULES, write_adapter


@dataclass(frozen=True)
class Example:
    """One training pair: the chat messages sent to the model and the answer it should write."""

    messages: list[Message]
    answer: str


@dataclass(frozen=True)
class LoraOptions:
    """How the adapter is trained: small rank (the file stays a few MB), one or two passes, a few hundred pairs."""

    rank: int = 8
    alpha: float = 16.0
    epochs: int = 1
    learning_rate: float = 2e-3
    batch_size: int = 8
    seed: int = 0
    max_tokens: int = 320  # pairs longer than this are cut from the left of the prompt (the rules come first)


def load_base(gguf: Path) -> tuple[Any, Any]:
    """The GGUF chat model and its tokenizer in transformers, float32 on CPU."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
    return model, tokenizer


def with_lora(model: Any, options: LoraOptions, random_b: bool = False) -> Any:
    """The model wrapped with trainable LoRA weights on the modules llama.cpp can take (random_b: not a no-op)."""
    from peft import LoraConfig, get_peft_model

    config = LoraConfig(r=options.rank, lora_alpha=options.alpha, target_modules=list(TARGET_MODULES),
                        lora_dropout=0.0, task_type="CAUSAL_LM", init_lora_weights=not random_b)
    return get_peft_model(model, config)


def encode(tokenizer: Any, example: Example, max_tokens: int) -> tuple[list[int], int]:
    """Token ids of prompt + answer + end of turn, and how many of them (at the end) are the answer to learn."""
    prompt = tokenizer.apply_chat_template(example.messages, add_generation_prompt=True, tokenize=False)
    prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    answer_ids = tokenizer(example.answer + tokenizer.eos_token, add_special_tokens=False)["input_ids"]
    ids = (prompt_ids + answer_ids)[-max_tokens:]
    return ids, min(len(answer_ids), len(ids) - 1)


def _batches(encoded: list[tuple[list[int], int]], size: int, rng: random.Random) -> list[list[int]]:
    # Similar lengths together: padding is compute for nothing on a CPU.
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i][0]))
    batches = [order[i : i + size] for i in range(0, len(order), size)]
    rng.shuffle(batches)
    return batches


def train_adapter(examples: Sequence[Example], base: Path, out: Path, options: LoraOptions = LoraOptions(),
                  progress: bool = True) -> dict[str, Any]:
    """Train the adapter on the pairs (loss on the answers only) and write it to `out`; returns what it did."""
    import torch
    from peft import get_peft_model_state_dict
    from tqdm import tqdm

    if not examples:
        raise ValueError("no training pairs: check the dialogues file and --limit")
    started = time.perf_counter()
    torch.manual_seed(options.seed)
    torch.set_num_threads(available_cpus())
    model, tokenizer = load_base(base)
    model = with_lora(model, options)
    encoded = [encode(tokenizer, e, options.max_tokens) for e in examples]
    rng = random.Random(options.seed)
    steps = options.epochs * math.ceil(len(encoded) / options.batch_size)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=options.learning_rate, weight_decay=0.0)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1 - step / max(steps, 1))
    decoder, head = model.base_model.model.model, model.base_model.model.lm_head
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    losses: list[float] = []
    model.train()
    with tqdm(total=steps, desc="lora", disable=not progress) as bar:
        for _ in range(options.epochs):
            for batch in _batches(encoded, options.batch_size, rng):
                width = max(len(encoded[i][0]) for i in batch)
                ids = torch.full((len(batch), width), pad, dtype=torch.long)
                mask = torch.zeros((len(batch), width), dtype=torch.long)
                learn = torch.zeros((len(batch), width), dtype=torch.bool)
                for row, i in enumerate(batch):
                    tokens, answer = encoded[i]
                    ids[row, : len(tokens)] = torch.tensor(tokens)
                    mask[row, : len(tokens)] = 1
                    learn[row, len(tokens) - answer : len(tokens)] = True
                hidden = decoder(input_ids=ids, attention_mask=mask).last_hidden_state
                # The vocabulary projection only where a token is learned: on a CPU it is a fifth of the compute.
                targets = learn[:, 1:]
                logits = head(hidden[:, :-1][targets])
                loss = torch.nn.functional.cross_entropy(logits, ids[:, 1:][targets])
                loss.backward()
                optimizer.step()
                schedule.step()
                optimizer.zero_grad()
                losses.append(float(loss.detach()))
                bar.update(1)
                bar.set_postfix(loss=f"{statistics.fmean(losses[-10:]):.3f}")
    write_adapter(get_peft_model_state_dict(model), out, options.alpha, task="lead-in")
    window = min(10, max(1, len(losses) // 3))  # steps averaged at each end: the loss is noisy per batch
    return {"pairs": len(examples), "steps": steps, "loss_first": statistics.fmean(losses[:window]),
            "loss_last": statistics.fmean(losses[-window:]), "seconds": round(time.perf_counter() - started, 1),
            "adapter": str(out), "adapter_bytes": out.stat().st_size, "rank": options.rank}
