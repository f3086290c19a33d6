"""The `train` command: a LightGBM LambdaRank second stage learned from recommendation dialogues.

Training never sees the cases `eval` scores: it keeps to the train half of the same split by dialogue (seed and
fraction as in eval). Inside that half the examples are built out of fold: the dialogues are cut into FOLDS parts,
and each part's cases are ranked by an engine whose interaction log holds only the other parts. So no feature
(co-occurrence, pick prior) already knows a training target, every train-half case is an example, and the log
behind the features is nearly as large as the one `eval` serves with (the whole train half).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from chatbot.evaluation.replay import LIST_K, Case, dialog_hash, dialogue_log, load_cases, replay, split_cases
from chatbot.evaluation.run import EvalOptions, _engine, _settings, catalog_with_popularity
from retrieval.collaborative import write_interactions
from retrieval.learned_rank import FEATURES, features

log = logging.getLogger(__name__)
FOLDS = 4  # out-of-fold examples: each fold ranked with the log of the other folds
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


def folds(cases: list[Case], seed: int, count: int) -> list[tuple[list[Case], list[Case]]]:
    """(this fold's cases, every other fold's cases) for each of count folds, split by dialogue."""
    fold_of = {c.dialog_id: dialog_hash(f"fold\x00{c.dialog_id}", seed) % count for c in cases}
    return [([c for c in cases if fold_of[c.dialog_id] == f], [c for c in cases if fold_of[c.dialog_id] != f])
            for f in range(count)]


def _stack(parts: list[tuple[np.ndarray, np.ndarray, list[int], int]]) -> tuple[np.ndarray, np.ndarray, list[int], int]:
    """The examples of several folds as one set."""
    kept = [p for p in parts if p[2]]
    if not kept:
        return np.zeros((0, len(FEATURES))), np.zeros(0), [], 0
    return (np.vstack([p[0] for p in kept]), np.concatenate([p[1] for p in kept]),
            [g for p in kept for g in p[2]], sum(p[3] for p in kept))


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
    work = options.out.parent
    work.mkdir(parents=True, exist_ok=True)
    if options.interactions is not None:  # a log of other people: no training target can be in it
        engines = [(_engine(_settings(eval_like, catalog_path, False, options.interactions), retrieval, False),
                    train_cases)]
    else:
        find_titles = _engine(settings, retrieval, llm=False).extractor.find_titles
        engines = []
        for fold, (examples, log_cases) in enumerate(folds(train_cases, options.seed, FOLDS)):
            log_path = work / f"{options.out.stem}.fold{fold}_log.jsonl"
            write_interactions(log_path, dialogue_log(log_cases, find_titles))
            engines.append((_engine(_settings(eval_like, catalog_path, False, log_path), retrieval, False), examples))
    fit, valid = [], []
    for engine, examples in engines:
        fit_cases, valid_cases = _halves(examples, options.seed + 1, 1 - VALIDATION_SHARE)
        fit.append(collect(engine, fit_cases, options.progress))
        valid.append(collect(engine, valid_cases, options.progress))
    x_fit, y_fit, g_fit, n_fit = _stack(fit)
    x_val, y_val, g_val, n_val = _stack(valid)
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
        "model": str(options.out), "bytes": options.out.stat().st_size,
        "interaction_log": str(options.interactions) if options.interactions else f"out of fold ({FOLDS} folds)",
        "train_dialogs": len({c.dialog_id for c in train_cases}), "example_cases": len(train_cases),
        "fit_cases_with_target": n_fit, "validation_cases_with_target": n_val,
        "rounds": int(model.best_iteration_ or options.rounds), "gain_by_feature": importance,
        "seconds": round(time.monotonic() - started, 1),
    }
