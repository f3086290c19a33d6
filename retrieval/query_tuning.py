"""Fine-tune the query side of the embedding model against frozen item vectors (conversation -> recommended item).

The index keeps its vectors: only the encoder that embeds what the person says is trained, so that its vector lands
near the items people were recommended after saying it. The loss is a softmax over the whole catalog's frozen item
vectors (38k x 384 is one matrix product per batch), so every other item is a negative, not just the batch's.
"""

from __future__ import annotations

import logging
import os
import random
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from chatbot.llm.model_files import resolve_model

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueryPair:
    """What the person said up to the recommendation, and the row of the item the recommender named."""

    text: str
    row: int


@dataclass(frozen=True)
class TuningOptions:
    """Training knobs; the defaults took ~2 min on the dev train half here."""

    epochs: int = 2
    batch_size: int = 16
    learning_rate: float = 2e-5
    temperature: float = 0.05  # sentence-transformers' MultipleNegativesRankingLoss uses 1/20
    seed: int = 0


def recall_at(encode: Any, pairs: Sequence[QueryPair], matrix: np.ndarray, k: int) -> float:
    """Share of pairs whose item is among the k nearest items to the encoded text (exact search)."""
    if not pairs:
        return 0.0
    queries = np.asarray(encode([p.text for p in pairs]), dtype=np.float32)
    sims = queries @ matrix.T
    target = sims[np.arange(len(pairs)), [p.row for p in pairs]]
    better = (sims > target[:, None]).sum(axis=1)
    return float(np.mean(better < k))


def tune_query_encoder(spec: str, pairs: Sequence[QueryPair], matrix: np.ndarray, out: Path,
                       options: TuningOptions = TuningOptions(),
                       validation: Sequence[QueryPair] = ()) -> dict[str, Any]:
    """Train a copy of the embedding model on pairs against the frozen item matrix; write it to out (whole)."""
    if not pairs:
        raise ValueError("no (conversation, item) pairs to learn from; check the dialogues and the catalog")
    import torch
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(options.seed)
    rng = random.Random(options.seed)
    model = SentenceTransformer(resolve_model(spec).location, device="cpu")
    items = torch.from_numpy(np.ascontiguousarray(matrix, dtype=np.float32))

    def encode(texts: list[str]) -> np.ndarray:
        return model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)

    before = {k: recall_at(encode, validation, matrix, k) for k in (10, 100)}
    optimizer = torch.optim.AdamW(model.parameters(), lr=options.learning_rate)
    started, steps, losses = time.monotonic(), 0, []
    order = list(range(len(pairs)))
    model.train()
    for _ in range(options.epochs):
        rng.shuffle(order)
        for start in range(0, len(order), options.batch_size):
            batch = [pairs[i] for i in order[start : start + options.batch_size]]
            texts = [p.text for p in batch]
            features = model.preprocess(texts) if hasattr(model, "preprocess") else model.tokenize(texts)
            embedded = model(features)["sentence_embedding"]
            embedded = torch.nn.functional.normalize(embedded, dim=-1)
            logits = embedded @ items.T / options.temperature
            loss = torch.nn.functional.cross_entropy(logits, torch.tensor([p.row for p in batch]))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
            steps += 1
    model.eval()
    after = {k: recall_at(encode, validation, matrix, k) for k in (10, 100)}
    save_replacing(model, Path(out))
    return {
        "out": str(out), "pairs": len(pairs), "validation_pairs": len(validation), "steps": steps,
        "seconds": round(time.monotonic() - started, 1),
        "first_loss": round(float(np.mean(losses[:10])), 3), "last_loss": round(float(np.mean(losses[-10:])), 3),
        "validation_recall_before": before, "validation_recall_after": after,
    }


def save_replacing(model: Any, out: Path) -> None:
    """Save a sentence-transformers model as out, whole: written beside it, then swapped in for any old one."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp, old = out.parent / f".{out.name}.tmp-{os.getpid()}", out.parent / f".{out.name}.old-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        model.save(str(tmp))
        if out.exists():
            os.replace(out, old)
        os.replace(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
