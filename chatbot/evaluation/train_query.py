"""The `train-query` command: fine-tune the query side of the embedding model on (what the seeker said -> film).

Pairs come from the train half of the dev dialogues only (the split `eval` scores the other half of). The text is
what the seeker said before the recommendation, newest message first, cut as a served turn cuts it
(chatbot.engine.conversation_text, RankRequest.conversation_text); the target is the frozen vector of the film the
human recommender named. A part of the
train half's dialogues is kept out of training to report recall before and after (never the eval's half).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chatbot.understanding.search_text import conversation_text
from chatbot.evaluation.replay import Case, load_cases, split_cases
from retrieval.query_tuning import QueryPair, TuningOptions, tune_query_encoder

VALIDATION_SHARE = 0.2  # of the train half's dialogues: recall before/after only


@dataclass
class QueryTrainOptions:
    """Everything `python -m chatbot train-query` takes."""

    catalog: Path
    dialogs: Path
    out: Path
    data_dir: Path | None = None
    popularity_field: str | None = None
    seed: int = 0
    split_train_fraction: float = 0.5
    tuning: TuningOptions = field(default_factory=TuningOptions)
    progress: bool = True


def query_text(case: Case) -> str:
    """What a served turn embeds for this case as the conversation's text: the seeker's messages, newest first."""
    return conversation_text(text for role, text in reversed(case.context) if role == "user")


def pairs_for(cases: list[Case], row: dict[str, int]) -> list[QueryPair]:
    """One pair per (case, target film in the index)."""
    return [QueryPair(query_text(case), row[target]) for case in cases for target in case.targets if target in row]


def train(options: QueryTrainOptions) -> dict[str, Any]:
    """Fine-tune the query encoder on the train half and write it to options.out; returns a summary."""
    from chatbot.components import build_retrieval, tqdm_progress
    from chatbot.config import load_settings
    from chatbot.evaluation.run import EvalOptions, _settings, catalog_with_popularity

    catalog_path = options.catalog
    if options.popularity_field:  # the same catalog copy, so the same index, as `eval --popularity-field`
        catalog_path = catalog_with_popularity(options.catalog, options.popularity_field,
                                               options.data_dir or load_settings().data_dir)
    settings = _settings(EvalOptions(catalog=catalog_path, dialogs=options.dialogs, data_dir=options.data_dir,
                                     progress=options.progress), catalog_path, llm=False)
    retrieval = build_retrieval(settings, tqdm_progress("indexing") if options.progress else None)
    ids, matrix = retrieval.store.vectors()
    row = {item_id: i for i, item_id in enumerate(ids)}
    train_cases, _scored_by_eval = split_cases(load_cases(options.dialogs), options.seed,
                                               options.split_train_fraction)
    fit, held = split_cases(train_cases, options.seed + 1, 1 - VALIDATION_SHARE)
    summary = tune_query_encoder(settings.embedding_model, pairs_for(fit, row), matrix, options.out,
                                 options.tuning, pairs_for(held, row))
    return {**summary, "train_dialogs": len({c.dialog_id for c in train_cases}),
            "use_with": f"RECBOT_QUERY_MODEL={options.out}"}
