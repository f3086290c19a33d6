"""The `eval` command: catalog and log prepared, engine built as the chat builds it, cases replayed, report written."""

from __future__ import annotations

import json
import logging
import random
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Sequence

from chatbot.evaluation.replay import (
    KS, Case, CaseResult, dialogue_log, load_cases, rerank, run_cases, split_cases, summarize,
)
from retrieval.catalog import Catalog
from retrieval.collaborative import CoOccurrence, write_interactions

log = logging.getLogger(__name__)

# Ablation rows: each ranking signal off in turn (RankWeights.without), then the interaction log off.
NO_LOG = "no interaction log"
NO_LLM, WITH_LLM = "rules only (subset)", "rules + LLM (subset)"
LOG_SIGNALS = ("collaborative", "context", "prior")  # nothing to switch off without a log


@dataclass
class EvalOptions:
    """Everything the eval command takes; see `python -m chatbot eval --help`."""

    catalog: Path
    dialogs: Path
    out: Path = Path("eval-out")
    limit: int | None = None
    seed: int = 0
    llm: bool = False
    interactions: Path | None = None
    split_train_fraction: float = 0.5
    popularity_field: str | None = None
    only_items: Path | None = None  # restrict the catalog to these ids (one per line), e.g. ReDial's own film list
    data_dir: Path | None = None
    ablation: bool = False
    ablation_llm: int = 0  # cases for the with/without-LLM rows (0: none)
    progress: bool = True


def catalog_with_popularity(path: Path, field_name: str | None, out_dir: Path, only: Path | None = None) -> Path:
    """A copy of the catalog whose `popularity` is read from another field (items that have one keep theirs),
    holding only the ids listed in `only` (one per line) when given."""
    name = path.stem + (f".popularity-{field_name}" if field_name else "") + (f".only-{only.stem}" if only else "")
    target = out_dir / f"{name}.jsonl"
    inputs = [path, *([only] if only else [])]
    if target.is_file() and all(target.stat().st_mtime >= p.stat().st_mtime for p in inputs):
        return target  # same input, same output: keep it (and the index fingerprint) as it is
    keep = {line.strip() for line in only.open(encoding="utf-8") if line.strip()} if only else None
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    with path.open(encoding="utf-8-sig") as src, tmp.open("w", encoding="utf-8") as dst:
        for line in src:
            if not line.strip():
                continue
            record = json.loads(line)
            if keep is not None and str(record.get("id")) not in keep:
                continue
            if field_name and record.get("popularity") in (None, "") and record.get(field_name) not in (None, ""):
                record["popularity"] = record[field_name]
            dst.write(json.dumps(record, ensure_ascii=False) + "\n")
    tmp.replace(target)
    return target


def sample(cases: Sequence[Case], limit: int | None, seed: int) -> list[Case]:
    """At most `limit` cases, a seeded random sample in file order (all when no limit)."""
    if limit is None or limit >= len(cases):
        return list(cases)
    chosen = set(random.Random(seed).sample(range(len(cases)), limit))
    return [case for i, case in enumerate(cases) if i in chosen]


def log_stats(engine: Any) -> dict[str, Any] | None:
    """What the engine learned from its interaction log, if it has one."""
    model = engine.ranker.collaborative
    if not isinstance(model, CoOccurrence):
        return None
    return {"sessions": len(model), "items": len(model.counts), "rows": sum(model.counts.values())}


def _settings(options: EvalOptions, catalog_path: Path, llm: bool, interactions: Path | None = None) -> Any:
    from chatbot.config import ConfigError, load_settings

    # The log comes from the options (a train split or --interactions), never from the shell's RECBOT_INTERACTIONS.
    overrides: dict[str, Any] = {"catalog": catalog_path, "llm_signals": llm, "interactions": interactions}
    if options.data_dir:
        overrides["data_dir"] = options.data_dir
    if not llm:
        overrides["chat_backend"] = "fake"
    settings = load_settings(**overrides)
    if llm and settings.chat_backend == "fake":
        raise ConfigError("--llm needs a real chat model: set RECBOT_CHAT_BACKEND to transformers, onnx or openai")
    return settings


def _engine(settings: Any, retrieval: Any, llm: bool) -> Any:
    """The engine exactly as the chat builds it from these settings (the reply model is a fake without --llm)."""
    from chatbot.components import build_engine
    from chatbot.llm.fake import FakeChatModel

    model = None if llm else FakeChatModel(default="Here are some picks.")
    return build_engine(settings, retrieval=retrieval, chat_model=model).engine


def run(options: EvalOptions) -> dict[str, Any]:
    """Run the evaluation (and ablations) and write report.json, report.md and recall_at_k.png into options.out."""
    from chatbot.components import build_retrieval, tqdm_progress
    from chatbot.config import load_settings
    from chatbot.evaluation.report import markdown_report, plot_recall

    started = time.monotonic()
    options.out.mkdir(parents=True, exist_ok=True)
    catalog_path = options.catalog
    if options.popularity_field or options.only_items:
        data_dir = options.data_dir or load_settings().data_dir
        catalog_path = catalog_with_popularity(options.catalog, options.popularity_field, data_dir, options.only_items)
    cases = load_cases(options.dialogs)
    settings = _settings(options, catalog_path, options.llm)
    retrieval = build_retrieval(settings, tqdm_progress("indexing") if options.progress else None)
    catalog = retrieval.catalog
    plain = _engine(settings, retrieval, options.llm)  # no log: the chat without RECBOT_INTERACTIONS

    test, log_path, split_info = cases, options.interactions, {}
    if not log_path and options.split_train_fraction > 0:
        train, test = split_cases(cases, options.seed, options.split_train_fraction)
        log_path = options.out / "train_interactions.jsonl"
        write_interactions(log_path, dialogue_log(train, plain.extractor.find_titles))
        split_info = {"train_cases": len(train), "train_dialogs": len({c.dialog_id for c in train})}
    engine = plain
    if log_path:  # the chat with RECBOT_INTERACTIONS=log_path
        engine = _engine(_settings(options, catalog_path, options.llm, log_path), retrieval, options.llm)
    log_info = {"path": str(log_path), **(log_stats(engine) or {}), **split_info} if log_path else None
    test = sample(test, options.limit, options.seed)
    consume = not options.llm

    results = run_cases(engine, test, desc="eval", progress=options.progress, consume_reply=consume)
    report: dict[str, Any] = {
        "config": {
            **{f.name: (str(v) if isinstance(v, Path) else v) for f in fields(options)
               for v in [getattr(options, f.name)]},
            "catalog_used": str(catalog_path), "catalog_items": len(catalog),
            "weights": asdict(engine.ranker.weights), "interaction_log": log_info,
            "query_model": settings.query_model, "ranker": str(settings.ranker) if settings.ranker else None,
            "test_cases": len(test), "test_dialogs": len({c.dialog_id for c in test}),
        },
        "results": summarize(results, catalog),
    }
    if options.ablation:
        report["ablation"] = ablate(engine, plain if log_path else None, results, catalog)
    if options.ablation_llm:
        report.setdefault("ablation", {}).update(ablate_llm(options, retrieval, catalog_path, test, log_path))
    report["cases"] = [_case_row(r) for r in results]
    report["seconds"] = round(time.monotonic() - started, 1)
    (options.out / "report.json").write_text(json.dumps(report, indent=2))
    (options.out / "report.md").write_text(markdown_report(report))
    plot_recall(report["results"], options.out / "recall_at_k.png", KS)
    return report


def ablate(engine: Any, without_log: Any | None, results: Sequence[CaseResult], catalog: Catalog) -> dict[str, Any]:
    """Each ranking signal switched off in turn (RankWeights.without), then the ranker built without the log.

    Rows re-rank the requests recorded in the main run: the dialogue's signals and profile do not depend on
    ranking weights, so replaying them again would give the same requests, only slower.
    """
    weights = engine.ranker.weights
    rows: dict[str, Any] = {}
    for f in fields(weights):
        if getattr(weights, f.name) == getattr(weights.without(f.name), f.name):
            continue  # already off: the row would repeat the full system
        if f.name in LOG_SIGNALS and without_log is None:
            continue  # nothing to switch off without a log
        rows[f"without {f.name}"] = summarize(rerank(engine.ranker, results, weights.without(f.name)), catalog)
    if without_log is not None:
        rows[NO_LOG] = summarize(rerank(without_log.ranker, results, weights), catalog)
    return rows


def ablate_llm(options: EvalOptions, retrieval: Any, catalog_path: Path, cases: Sequence[Case],
               log_path: Path | None) -> dict[str, Any]:
    """The same subset with rules-only and with rules + LLM signal extraction (the LLM is slow on CPU)."""
    subset = sample(cases, options.ablation_llm, options.seed)
    rows: dict[str, Any] = {}
    for name, llm in ((NO_LLM, False), (WITH_LLM, True)):
        engine = _engine(_settings(options, catalog_path, llm, log_path), retrieval, llm)
        results = run_cases(engine, subset, desc=name, progress=options.progress, consume_reply=not llm)
        rows[name] = summarize(results, retrieval.catalog)
    return rows


def _case_row(result: CaseResult) -> dict[str, Any]:
    ranks = {t: (result.ranked.index(t) + 1 if t in result.ranked else None) for t in result.targets}
    return {"id": result.case_id, "source": result.source, "target_ranks": ranks, "top10": result.ranked[:10],
            "seconds": round(result.seconds, 3)}
