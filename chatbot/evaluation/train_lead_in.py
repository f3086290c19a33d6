"""The `train-lead-in` command: a LoRA adapter that teaches the chat model to write a true one-sentence lead-in.

Pairs come from the train half of the dev dialogues only (the split `eval` and the explanations eval score the
other half of): each request is answered by the engine as served, and the reference lead-in is built from the
facts the adapter's prompt shows (chatbot/reply/lead_in_facts.py). A reference the writer's own checks would drop
is not learned.
"""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chatbot.evaluation.replay import Case, dialogue_log, load_cases, replayed_session, shadowing, split_cases
from chatbot.evaluation.run import sample
from chatbot.llm.lora_training import Example, LoraOptions, train_adapter
from chatbot.reply.lead_in_facts import reference_lead_in
from chatbot.reply.writer import ReplyWriter
from retrieval.collaborative import write_interactions

ANSWER_ITEMS = 5


@dataclass
class LeadInTrainOptions:
    """Everything `python -m chatbot train-lead-in` takes."""

    dialogs: Path
    out: Path
    catalog: Path | None = None
    data_dir: Path | None = None
    limit: int = 600
    seed: int = 0
    split_train_fraction: float = 0.5
    lora: LoraOptions = LoraOptions()
    progress: bool = True


def facts_writer(writer: ReplyWriter) -> ReplyWriter:
    """A writer like the engine's, asking with the adapter's prompt (the first pick's facts)."""
    return ReplyWriter(None, writer.matcher, writer.max_new_tokens, writer.timeout_s, item_kind=writer.item_kind,
                       facts=True)


def pair_for(engine: Any, writer: ReplyWriter, case: Case) -> Example | None:
    """The adapter prompt for the case's last request as the engine answers it, with its reference lead-in."""
    asked: dict[str, Any] = {}

    def capture(user_text: str, items: list, interests: list[str], aversions: list[str]) -> Any:
        asked.update(user_text=user_text, items=items, interests=interests, aversions=aversions)
        return iter(())

    # Records what the writer is asked to introduce.
    with shadowing(engine.writer, "_model_lead_in", capture), \
            replayed_session(engine, case, "lead-in-") as (session, request_text):
        "".join(engine.turn(session, request_text, k=ANSWER_ITEMS).stream)
    if not asked.get("items"):
        return None  # a clarifying question or nothing found: the template, not a lead-in
    items, interests, aversions = asked["items"], asked["interests"], asked["aversions"]
    sense = writer.sense_guard(asked["user_text"], items, interests, aversions)
    guard = writer.lead_in_guard(items, interests, aversions, sense)
    reference = reference_lead_in(items, interests, writer.matcher.catalog, writer.item_kind)
    if not list(writer._kept(iter([reference]), guard, sense)):
        return None  # the checks would not show it: not worth teaching
    return Example(writer.messages(asked["user_text"], items, interests, aversions), reference)


def training_cases(options: LeadInTrainOptions) -> tuple[list[Case], list[Case]]:
    """(the train half, the requests pairs are built from: a seeded sample of it); never the held-out half."""
    train_cases, _ = split_cases(load_cases(options.dialogs), options.seed, options.split_train_fraction)
    return train_cases, sample(train_cases, options.limit, options.seed)


def train(options: LeadInTrainOptions) -> dict[str, Any]:
    """Build the pairs from the train half, train the adapter, write it and a summary beside it."""
    from tqdm import tqdm

    from chatbot.components import build_engine, build_retrieval
    from chatbot.config import load_settings
    from chatbot.llm.fake import FakeChatModel
    from chatbot.llm.model_files import resolve_model

    started = time.perf_counter()
    overrides: dict[str, Any] = {"llm_signals": False, "chat_backend": "fake", "chat_adapter": "none"}
    if options.catalog:
        overrides["catalog"] = options.catalog
    if options.data_dir:
        overrides["data_dir"] = options.data_dir
    settings = load_settings(**overrides)
    retrieval = build_retrieval(settings)
    train_cases, cases = training_cases(options)
    options.out.parent.mkdir(parents=True, exist_ok=True)
    plain = build_engine(settings, retrieval=retrieval, chat_model=FakeChatModel(default="x")).engine
    with tempfile.TemporaryDirectory(prefix="recbot-lead-in-") as folder:
        # The reasons cite the train half's own log, as the explanations eval's do (never the held-out half's).
        log_path = Path(folder) / "train_interactions.jsonl"
        write_interactions(log_path, dialogue_log(train_cases, plain.extractor.find_titles))
        engine = build_engine(load_settings(**overrides, interactions=log_path), retrieval=retrieval,
                              chat_model=FakeChatModel(default="x")).engine
        writer = facts_writer(engine.writer)
        pairs = [pair for case in tqdm(cases, desc="pairs", disable=not options.progress)
                 if (pair := pair_for(engine, writer, case)) is not None]
    model = resolve_model(settings.chat_model)
    if not model.gguf_file:
        raise ValueError(f"train-lead-in trains an adapter for a GGUF chat model; {settings.chat_model!r} is not one "
                         "(RECBOT_CHAT_MODEL)")
    summary = train_adapter(pairs, Path(model.location) / model.gguf_file, options.out, options.lora,
                            progress=options.progress)
    summary["train_cases"] = len(train_cases)
    summary["examples"] = [{"prompt": p.messages[-1]["content"], "reference": p.answer} for p in pairs[:5]]
    summary["total_seconds"] = round(time.perf_counter() - started, 1)
    options.out.with_suffix(".json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    return summary
