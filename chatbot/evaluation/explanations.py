"""Replay held-out dev requests and measure the explanations: faithful to their sources, distinct per answer, and how
often the model's lead-in survives the guards. `python -m chatbot.evaluation.explanations --help`."""

from __future__ import annotations

import argparse
import json
import logging
import random
import statistics
import time
from pathlib import Path
from typing import Any, Sequence

from chatbot.evaluation.faithful import FaithfulnessCheck
from chatbot.evaluation.replay import Case, dialogue_log, load_cases, replayed_session, shadowing, split_cases
from chatbot.evaluation.run import sample
from chatbot.reply.distinct import distinct_ok
from retrieval.collaborative import write_interactions

ANSWER_ITEMS = 5


class DropCounter(logging.Handler):
    """Counts why the writer dropped lead-in sentences (its log lines say which check)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.why: dict[str, int] = {}
        # Per turn that sampled more lead-ins (best of N): (greedy s, extra s, whether a sampled one was shown).
        self.rescues: list[tuple[float, float, bool]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("dropped a lead-in"):
            key = record.getMessage().removeprefix("dropped a lead-in ").removeprefix("sentence that ")
            key = key.split(" '")[0]  # "calls a pick 'western', which..." -> one row per check
            self.why[key] = self.why.get(key, 0) + 1
        elif record.getMessage().startswith("lead-in: ") and isinstance(record.args, tuple):
            _, extra_s, greedy_s, outcome = record.args
            self.rescues.append((float(greedy_s), float(extra_s), outcome != "none passed"))


def replay_answer(engine: Any, case: Case, consume: bool) -> dict[str, Any]:
    """One case: the context observed, the last user message answered with five items; the session forgotten."""
    shown: list[str] = []
    original = engine.writer._model_lead_in

    def recording(*args: Any, **kwargs: Any) -> Any:
        for sentence in original(*args, **kwargs):
            shown.append(sentence)
            yield sentence

    # Records what the guards let through.
    with shadowing(engine.writer, "_model_lead_in", recording), \
            replayed_session(engine, case, "explain-") as (session, request_text):
        started = time.perf_counter()
        result = engine.turn(session, request_text, k=ANSWER_ITEMS)
        plan_s = time.perf_counter() - started
        reply = "".join(result.stream) if consume else (result.stream.close() or "")
        turn_s = time.perf_counter() - started
        # All of the profile, not the twelve facets a turn shows: a reason may mark any word of it.
        now = engine.clock()
        held = engine.sessions.state(session, now, engine.half_lives).profile
        profile = [f.label for f in engine.profile_view(held, now, n=len(held.facets)) if f.weight > 0]
    said = " ".join([*(t for r, t in case.context if r == "user"), *profile])
    last_said = next(text for role, text in reversed(case.context) if role == "user")
    return {"case": case, "items": result.items, "said": said, "lead_in": "".join(shown).strip(), "reply": reply,
            "plan_s": plan_s, "turn_s": turn_s, "user_text": last_said}


def measure(engine: Any, cases: Sequence[Case], consume: bool, progress: bool = True,
            partial: Path | None = None) -> dict[str, Any]:
    """Faithfulness and distinctness over the answers to `cases`."""
    from tqdm import tqdm

    log = engine.ranker.collaborative
    check = FaithfulnessCheck(engine.catalog, getattr(log, "together", None), getattr(log, "counts", None))
    answers, problems, kinds, distinct, seconds = [], [], {}, 0, []
    drops = DropCounter()
    writer_log = logging.getLogger("chatbot.reply.writer")
    writer_log.addHandler(drops)
    writer_log.setLevel(logging.INFO)
    for case in tqdm(cases, desc="explanations", disable=not progress):
        tried = len(drops.rescues)
        answer = replay_answer(engine, case, consume)
        answer["source"] = ("template" if not answer["lead_in"] else
                            "sampled" if len(drops.rescues) > tried and drops.rescues[-1][2] else "greedy")
        answers.append(answer)
        seconds.append(answer["plan_s"])
        for rec in answer["items"]:
            problems += [f"{case.id} {rec.item_id}: {p}" for p in check.problems(rec, answer["said"])]
            for e in rec.explanations:
                kinds[e.kind] = kinds.get(e.kind, 0) + 1
        distinct += distinct_ok([r.reasons for r in answer["items"]])
        if partial and len(answers) % 10 == 0:  # a slow model run can be read before it ends
            shown = sum(bool(a["lead_in"]) for a in answers)
            partial.write_text(json.dumps({"answers": len(answers), "model_words_shown": shown,
                                           "dropped": drops.why,
                                           "best_of_n": best_of_n(drops.rescues, len(answers)),
                                           "lead_ins": [[a["user_text"][:160], a["lead_in"], a["source"],
                                                         "; ".join(r.title for r in a["items"][:3])]
                                                        for a in answers]},
                                          indent=1, ensure_ascii=False))
    reasons = sum(kinds.values())
    return {
        "answers": len(answers), "reasons": reasons, "unfaithful": len(problems), "problems": problems[:50],
        "distinct_share": distinct / max(len(answers), 1), "reason_kinds": dict(sorted(kinds.items())),
        "items_per_answer": statistics.fmean(len(a["items"]) for a in answers) if answers else 0,
        "turn_p50_s": statistics.median(seconds) if seconds else 0.0, "dropped": drops.why,
        "best_of_n": best_of_n(drops.rescues, len(answers)),
        "whole_turn_p50_s": statistics.median(a["turn_s"] for a in answers) if answers else 0.0,
        "samples": [{"request": a["user_text"][:160], "items": [[r.title, *r.reasons] for r in a["items"]]}
                    for a in answers[:8]],
        "_answers": answers,
    }


def best_of_n(rescues: list[tuple[float, float, bool]], turns: int) -> dict[str, Any]:
    """What sampling more lead-ins did: turns it ran on, turns it rescued, and its time against the greedy one's."""
    if not rescues:
        return {"tried": 0, "rescued": 0}
    ratios = [extra / greedy for greedy, extra, _ in rescues if greedy > 0]
    return {"tried": len(rescues), "rescued": sum(shown for *_, shown in rescues), "turns": turns,
            "extra_over_greedy_time_p50": statistics.median(ratios) if ratios else None}


def lead_in_sample(answers: list[dict[str, Any]], n: int, seed: int) -> list[dict[str, str]]:
    """n answers by a fixed seed (not picked): the request, the lead-in shown (or none) and the first pick."""
    chosen = random.Random(seed).sample(range(len(answers)), min(n, len(answers)))
    return [{"request": answers[i]["user_text"][:160], "lead_in": answers[i]["lead_in"] or "(template)",
             "source": answers[i]["source"],
             "picks": "; ".join(r.title for r in answers[i]["items"][:3])} for i in sorted(chosen)]


def main(argv: list[str] | None = None) -> int:
    """Command line: replay, check, print and write a JSON report."""
    from chatbot.components import build_engine, build_retrieval
    from chatbot.config import load_settings
    from chatbot.llm.fake import FakeChatModel

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dialogs", type=Path, required=True)
    parser.add_argument("--catalog", type=Path, help="default: RECBOT_CATALOG")
    parser.add_argument("--data-dir", type=Path, help="default: RECBOT_DATA_DIR")
    parser.add_argument("--limit", type=int, default=300, help="held-out cases replayed (seeded sample)")
    parser.add_argument("--llm", type=int, default=0, help="of these, answer N with the real chat model")
    parser.add_argument("--skip-replay", action="store_true", help="only the --llm part")
    parser.add_argument("--part", choices=("test", "train"), default="test",
                        help="test: the held-out half (log from the other); train: tune here (the training half "
                             "split again, log from one part, the other replayed)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--examples", type=int, default=20, help="lead-ins listed, by --seed")
    parser.add_argument("--out", type=Path, default=Path("eval-out/explanations.json"))
    args = parser.parse_args(argv)

    overrides: dict[str, Any] = {"llm_signals": False}
    if args.catalog:
        overrides["catalog"] = args.catalog
    if args.data_dir:
        overrides["data_dir"] = args.data_dir
    cases = load_cases(args.dialogs)
    settings = load_settings(**overrides, chat_backend="fake")
    retrieval = build_retrieval(settings)
    plain = build_engine(settings, retrieval=retrieval, chat_model=FakeChatModel(default="Here are some picks.")).engine
    train, test = split_cases(cases, 0, 0.5)  # the eval's split: the log from one half, only the other replayed
    if args.part == "train":  # nothing of the held-out half, not even its log
        train, test = split_cases(train, 1, 0.5)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    log_path = args.out.with_name("explanations_train_interactions.jsonl")
    write_interactions(log_path, dialogue_log(train, plain.extractor.find_titles))
    test = sample(test, args.limit, args.seed)
    engine = build_engine(load_settings(**overrides, chat_backend="fake", interactions=log_path), retrieval=retrieval,
                          chat_model=FakeChatModel(default="Here are some picks.")).engine
    report: dict[str, Any] = {"command": "python -m chatbot.evaluation.explanations " + " ".join(argv or [])}
    if not args.skip_replay:
        report["replay"] = measure(engine, test, consume=True)
        report["replay"].pop("_answers")
    if args.llm:
        real = build_engine(load_settings(**overrides, interactions=log_path), retrieval=retrieval).engine
        subset = sample(test, args.llm, args.seed)
        llm = measure(real, subset, consume=True, partial=args.out.with_name("explanations_llm_partial.json"))
        answers = llm.pop("_answers")
        llm["model_words_share"] = sum(bool(a["lead_in"]) for a in answers) / max(len(answers), 1)
        llm["examples"] = lead_in_sample(answers, args.examples, args.seed)
        llm["lead_ins"] = [{"request": a["user_text"][:160], "lead_in": a["lead_in"], "source": a["source"],
                            "picks": "; ".join(r.title for r in a["items"])} for a in answers if a["lead_in"]]
        report["llm"] = llm
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    listed = ("examples", "samples", "lead_ins")  # in the JSON file only
    print(json.dumps({k: {x: y for x, y in v.items() if x not in listed} if isinstance(v, dict) else v
                      for k, v in report.items()}, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
