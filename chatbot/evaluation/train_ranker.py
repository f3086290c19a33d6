"""The `train` command: a LightGBM LambdaRank second stage learned from recommendation dialogues.

Training never sees the cases `eval` scores: it keeps to the train half of the same split by dialogue (seed and
fraction as in eval). Inside that half, the interaction log comes from one part of the dialogues and the ranked
examples from the other, so no feature (co-occurrence, pick prior) already knows a training target.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from chatbot.evaluation.replay import LIST_K, Case, dialogue_log, load_cases, replay, split_cases
from chatbot.evaluation.run import EvalOptions, _engine, _settings, catalog_with_popularity
from retrieval.collaborative import write_interactions
from retrieval.learned_rank import FEATURES, features

log = logging.getLogger(__name__)
LOG_SHARE = 0.5  # of the train half's dialogues: the log; the rest are the ranked examples
VALIDATION_SHARE = 0.15  # of the examples' dialogues: early stopping only


@dataclass
class TrainOptions:
    """Everything `python -m chatbot train` takes."""

    catalog: Path
    dialogs: Path
    out: Path
    interactions: Path | None = None
    seed: int = 0
    split_train_fraction: float = 0.5
    popularity_field: str | None = None
    data_dir: Path | None = None
    rounds: int = 300
    progress: bool = True


def _halves(cases: list[Case], seed: int, share: float) -> tuple[list[Case], list[Case]]:
    """Split cases by dialogue with another seed than the eval's train/test split."""
    return split_cases(cases, seed + 1_000_003, share)


def collect(engine: Any, cases: list[Case], progress: bool = True) -> tuple[np.ndarray, np.ndarray, list[int], int]:
    """(features, labels, group sizes, cases with a target among the candidates) for the cases, as served."""
    from tqdm import tqdm

    rows, labels, groups, usable = [], [], [], 0
    for case in tqdm(cases, desc="examples", unit="case", disable=not progress):
        request = replay(engine, case, k=LIST_K, consume_reply=False).request
        if request is None:
            continue
        scored, _ = engine.ranker.score(request)
        wanted = set(case.targets)
        hits = [s.item_id in wanted for s in scored]
        if not any(hits):
            continue  # nothing to learn about order: the target was not a candidate
        usable += 1
        rows.append(features(scored, request, engine.ranker.vectors))
        labels.append(np.array(hits, dtype=np.int32))
        groups.append(len(scored))
    if not rows:
        return np.zeros((0, len(FEATURES))), np.zeros(0), [], 0
    return np.vstack(rows), np.concatenate(labels), groups, usable


def train(options: TrainOptions) -> dict[str, Any]:
    """Fit the ranker and write it to options.out (LightGBM's text model format); returns a summary."""
    import lightgbm

    from chatbot.components import build_retrieval, tqdm_progress
    from chatbot.config import load_settings

    started = time.monotonic()
    catalog_path = options.catalog
    if options.popularity_field:
        data_dir = options.data_dir or load_settings().data_dir
        catalog_path = catalog_with_popularity(options.catalog, options.popularity_field, data_dir)
    eval_like = EvalOptions(catalog=catalog_path, dialogs=options.dialogs, data_dir=options.data_dir,
                            progress=options.progress)
    cases = load_cases(options.dialogs)
    train_cases, _scored_by_eval = split_cases(cases, options.seed, options.split_train_fraction)
    settings = _settings(eval_like, catalog_path, llm=False)
    retrieval = build_retrieval(settings, tqdm_progress("indexing") if options.progress else None)
    log_path, examples = options.interactions, train_cases
    work = options.out.parent
    work.mkdir(parents=True, exist_ok=True)
    if log_path is None:
        log_cases, examples = _halves(train_cases, options.seed, LOG_SHARE)
        plain = _engine(settings, retrieval, llm=False)
        log_path = work / f"{options.out.stem}.train_log.jsonl"
        write_interactions(log_path, dialogue_log(log_cases, plain.extractor.find_titles))
    engine = _engine(_settings(eval_like, catalog_path, False, log_path), retrieval, llm=False)
    fit_cases, valid_cases = _halves(examples, options.seed + 1, 1 - VALIDATION_SHARE)
    x_fit, y_fit, g_fit, n_fit = collect(engine, fit_cases, options.progress)
    x_val, y_val, g_val, n_val = collect(engine, valid_cases, options.progress)
    if not g_fit:
        raise ValueError("no training case had a target among the candidates; check the catalog and dialogues")
    model = lightgbm.LGBMRanker(
        objective="lambdarank", n_estimators=options.rounds, learning_rate=0.05, num_leaves=15,
        min_child_samples=20, subsample=0.8, subsample_freq=1, colsample_bytree=0.8, random_state=options.seed,
        verbose=-1, lambdarank_truncation_level=20,
    )
    fit_args: dict[str, Any] = {"group": g_fit, "feature_name": list(FEATURES)}
    if g_val:
        fit_args.update(eval_set=[(x_val, y_val)], eval_group=[g_val], eval_at=[10],
                        callbacks=[lightgbm.early_stopping(30, verbose=False)])
    model.fit(x_fit, y_fit, **fit_args)
    tmp = options.out.with_suffix(".tmp")
    model.booster_.save_model(str(tmp), num_iteration=model.best_iteration_ or None)
    tmp.replace(options.out)
    importance = dict(zip(FEATURES, (int(v) for v in model.booster_.feature_importance("gain"))))
    return {
        "model": str(options.out), "bytes": options.out.stat().st_size, "interaction_log": str(log_path),
        "train_dialogs": len({c.dialog_id for c in train_cases}), "example_cases": len(examples),
        "fit_cases_with_target": n_fit, "validation_cases_with_target": n_val,
        "rounds": int(model.best_iteration_ or options.rounds), "gain_by_feature": importance,
        "seconds": round(time.monotonic() - started, 1),
    }
