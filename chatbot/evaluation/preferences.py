"""The `eval-preferences` command: replay whole dialogues through the engine and score the profile it ends with.

Ground truth is what real seekers said afterwards (ReDial: liked / seen per film they brought up) or what each of
their turns names (INSPIRED: genres and people). Seeker turns go through Engine.turn exactly as in a live chat;
recommender turns through Engine.observe, so the films they name count as shown.
"""

from __future__ import annotations

import hashlib
import json
import random
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from chatbot.evaluation.replay import MAX_TEXT, DialogError, in_train, jsonl_records, percentile
from chatbot.types import facet_key

if TYPE_CHECKING:
    from chatbot.engine import Engine

RULES, LLM, BOTH = "rules only", "LLM only", "rules + LLM"
METRICS = ("liked_recall", "disliked_recall", "disliked_count", "disliked_as_liked", "disliked_unread",
           "sign_precision", "seen_recall", "mention_recall", "offered_liked_recall", "offered_seen_recall", "cases",
           "turns", "turn_p50_s", "turn_p95_s")
HEADERS = ("liked R", "disliked R", "disliked n", "read as liked", "not read", "sign P", "seen R", "mention R",
           "offered liked R", "offered seen R", "dialogues", "turns", "p50 s/turn", "p95 s/turn")
COUNTS = ("disliked_count", "disliked_as_liked", "disliked_unread", "cases", "turns")  # whole numbers in the table
TARGETS = {"liked_recall": 0.90, "sign_precision": 0.95, "disliked_recall": 0.60, "seen_recall": 0.70,
           "mention_recall": 0.80}


@dataclass(frozen=True)
class Dialogue:
    """One whole conversation with what the seeker said about it afterwards."""

    id: str
    source: str
    dialog_id: str
    messages: tuple[tuple[str, str], ...]
    labels: tuple[dict[str, Any], ...] = ()  # films the seeker brought up: item_id, liked, seen
    offered: tuple[dict[str, Any], ...] = ()  # films the recommender brought up, with the seeker's answers
    mentions: tuple[dict[str, Any], ...] = ()  # genres and people a seeker turn names: kind, value, turn


def load_dialogues(path: str | Path) -> list[Dialogue]:
    """Read preferences_dev.jsonl-style records; errors name the file, line and field."""
    path = Path(path)
    out: list[Dialogue] = []
    for number, r in jsonl_records(path, "a preferences dialogue"):
        try:
            messages = tuple((str(m["role"]), str(m["text"])) for m in r["messages"])
            out.append(Dialogue(str(r["id"]), str(r.get("source") or "all"), str(r.get("dialog_id") or r["id"]),
                                messages, tuple(r.get("labels") or ()), tuple(r.get("recommended") or ()),
                                tuple(r.get("mentions") or ())))
        except (KeyError, TypeError) as exc:
            raise DialogError(f"{path}, line {number}: not a preferences dialogue "
                              f"({type(exc).__name__}: {exc}); needs id and messages [{{role, text}}]") from None
        if any(role not in ("user", "assistant") for role, _ in messages):
            raise DialogError(f"{path}, line {number}: message roles must be 'user' or 'assistant'")
    if not out:
        raise DialogError(f"{path}: no dialogues")
    return out


def split_dialogues(dialogues: Sequence[Dialogue], seed: int, train_fraction: float
                    ) -> tuple[list[Dialogue], list[Dialogue]]:
    """(train, held-out) by dialog_id, the same hash as the recommendation eval's split_cases."""
    train = [d for d in dialogues if in_train(d.dialog_id, seed, train_fraction)]
    return train, [d for d in dialogues if not in_train(d.dialog_id, seed, train_fraction)]


def choose(dialogues: Sequence[Dialogue], part: str, seed: int, train_fraction: float,
           limit: int | None) -> list[Dialogue]:
    """The scored dialogues: held-out half ("test"), "train" half or "all", then a seeded sample of `limit`."""
    train, test = split_dialogues(dialogues, seed, train_fraction)
    chosen = {"test": test, "train": train, "all": list(dialogues)}[part]
    chosen = [d for d in chosen if d.labels or d.mentions]  # nothing to score without ground truth
    if limit is not None and limit < len(chosen):
        keep = set(random.Random(seed).sample(range(len(chosen)), limit))
        chosen = [d for i, d in enumerate(chosen) if i in keep]
    return chosen


# --- replay -------------------------------------------------------------------------------------------------------
@dataclass
class DialogueResult:
    """The profile a dialogue ended with, as far as the scoring needs it."""

    dialogue: Dialogue
    weights: dict[str, float]  # facet -> signed weight at the end
    seen: set[str]  # items the session marked seen
    turn_seconds: list[float] = field(default_factory=list)


def replay_dialogue(engine: Engine, dialogue: Dialogue) -> DialogueResult:
    """Seeker turns through Engine.turn, recommender turns through Engine.observe; then read the session."""
    session = "prefs-" + hashlib.sha1(dialogue.id.encode()).hexdigest()[:16]
    engine.forget(session)
    seconds: list[float] = []
    try:
        for role, text in dialogue.messages:
            text = text[:MAX_TEXT]
            if not text.strip():
                continue
            if role == "assistant":
                engine.observe(session, "assistant", text)
                continue
            started = time.perf_counter()
            try:
                result = engine.turn(session, text)
            except ValueError:  # no visible text once cleaned: a live chat refuses it too
                continue
            seconds.append(time.perf_counter() - started)
            result.stream.close()  # the reply is not what is measured; the real recommender's turn follows
        now = engine.clock()
        state = engine.sessions.state(session, now, engine.half_lives)
        weights, seen = state.profile.weights(now), set(state.seen)
    finally:
        engine.forget(session)
    return DialogueResult(dialogue, weights, seen, seconds)


def run_dialogues(engine: Engine, dialogues: Sequence[Dialogue], desc: str, progress: bool = True
                  ) -> list[DialogueResult]:
    """Replay every dialogue with a progress bar."""
    from tqdm import tqdm

    return [replay_dialogue(engine, d) for d in tqdm(dialogues, desc=desc, unit="dialogue", disable=not progress)]


# --- scoring ------------------------------------------------------------------------------------------------------
def _ratio(hits: int, total: int) -> float | None:
    return hits / total if total else None


def _unique(labels: Iterable[dict[str, Any]], known: set[str] | None) -> dict[str, dict[str, Any]]:
    """One label per film (the first), only films the catalog has (others cannot be in any profile)."""
    out: dict[str, dict[str, Any]] = {}
    for label in labels:
        item = label.get("item_id")
        if item and (known is None or item in known) and item not in out:
            out[item] = label
    return out


def mention_facets(kind: str, value: str, ground: Any = None) -> set[str]:
    """Facets that count as a mention being in the profile: its own key plus what the vocabulary maps it to."""
    facets = {facet_key("person" if kind == "person" else "genre", value)}
    if ground is not None:
        facets.update(ground(value))
    return facets


def score(results: Sequence[DialogueResult], known: set[str] | None = None, ground: Any = None) -> dict[str, Any]:
    """The profile metrics over these dialogues (see the README's "Reading preferences")."""
    liked = disliked = liked_hit = disliked_hit = seen = seen_hit = 0
    signed = signed_ok = mentions = mention_hit = offered_liked = offered_liked_hit = offered_seen = 0
    offered_seen_hit = missing = marked = marked_ok = disliked_as_liked = 0
    seconds: list[float] = []
    for r in results:
        seconds += r.turn_seconds
        labels = _unique(r.dialogue.labels, known)
        missing += len(_unique(r.dialogue.labels, None)) - len(labels)
        offered = {i: lab for i, lab in _unique(r.dialogue.offered, known).items() if i not in labels}
        for item, label in labels.items():
            weight = r.weights.get(f"item:{item}", 0.0)
            if label.get("liked") is True:
                liked += 1
                liked_hit += weight > 0
            elif label.get("liked") is False:
                disliked += 1
                disliked_hit += weight < 0
                disliked_as_liked += weight > 0
            if label.get("seen") is True:
                seen += 1
                seen_hit += item in r.seen
            if item in r.seen and label.get("seen") in (True, False):
                marked += 1
                marked_ok += label["seen"] is True
        for item, label in offered.items():
            if label.get("liked") is True and label.get("seen") is True:
                offered_liked += 1  # only what they had seen: a film not yet seen is liked as an idea
                offered_liked_hit += r.weights.get(f"item:{item}", 0.0) > 0
            if label.get("seen") is True:
                offered_seen += 1
                offered_seen_hit += item in r.seen
        answers = {**offered, **labels}
        for facet, weight in r.weights.items():
            label = answers.get(facet[5:]) if facet.startswith("item:") else None
            if label is not None and label.get("liked") in (True, False) and weight:
                signed += 1
                signed_ok += (weight > 0) == label["liked"]
        said = {(m["kind"], " ".join(str(m["value"]).lower().split())) for m in r.dialogue.mentions}
        for kind, value in said:
            mentions += 1
            mention_hit += any(r.weights.get(f) for f in mention_facets(kind, value, ground))
    return {
        "liked_recall": _ratio(liked_hit, liked), "liked_count": liked,
        "disliked_recall": _ratio(disliked_hit, disliked), "disliked_count": disliked,
        # where the misses are: read as liked (the judgement) or not in the profile at all (the film not found)
        "disliked_as_liked": disliked_as_liked, "disliked_unread": disliked - disliked_hit - disliked_as_liked,
        "sign_precision": _ratio(signed_ok, signed), "signed_facets": signed,
        "seen_recall": _ratio(seen_hit, seen), "seen_count": seen, "seen_precision": _ratio(marked_ok, marked),
        "mention_recall": _ratio(mention_hit, mentions), "mention_count": mentions,
        "offered_liked_recall": _ratio(offered_liked_hit, offered_liked), "offered_liked_count": offered_liked,
        "offered_seen_recall": _ratio(offered_seen_hit, offered_seen), "offered_seen_count": offered_seen,
        "labels_missing_from_catalog": missing,
        "cases": len(results), "turns": len(seconds),
        "turn_p50_s": percentile(seconds, 0.5), "turn_p95_s": percentile(seconds, 0.95),
        "turn_mean_s": statistics.fmean(seconds) if seconds else 0.0,
    }


def summarize(results: Sequence[DialogueResult], known: set[str] | None = None, ground: Any = None
              ) -> dict[str, dict[str, Any]]:
    """Metrics overall and per source."""
    groups: dict[str, list[DialogueResult]] = {"overall": list(results)}
    for r in results:
        groups.setdefault(r.dialogue.source, []).append(r)
    return {name: score(group, known, ground) for name, group in groups.items()}


# --- report -------------------------------------------------------------------------------------------------------
def _cell(value: Any, key: str) -> str:
    if value is None:
        return "–"
    if key in COUNTS:
        return str(value)
    return f"{value:.2f}" if key.endswith("_s") else f"{value:.3f}"


def markdown(report: dict[str, Any]) -> str:
    """The rows (rules only, LLM only, rules + LLM) overall and per source, with the targets."""
    config = report["config"]
    lines = [f"# Reading preferences: {config['part']} dialogues of {config['dialogs']}", "",
             "| variant | group | " + " | ".join(HEADERS) + " |", "|---" * (len(HEADERS) + 2) + "|"]
    for name, summary in report["rows"].items():
        for group, metrics in summary.items():
            lines.append(f"| {name} | {group} | " + " | ".join(_cell(metrics.get(k), k) for k in METRICS) + " |")
    lines += ["", "Targets (held-out half): " + ", ".join(f"{k} >= {v:.2f}" for k, v in TARGETS.items()), "",
              f"{config['catalog_items']} catalog items; split seed {config['seed']}, train fraction "
              f"{config['split_train_fraction']}; {report['seconds']:.0f} s in all.", ""]
    return "\n".join(lines)


# --- the command --------------------------------------------------------------------------------------------------
@dataclass
class PreferenceOptions:
    """Everything eval-preferences takes; see `python -m chatbot eval-preferences --help`."""

    catalog: Path
    dialogs: Path
    out: Path = Path("eval-preferences-out")
    llm: bool = False
    limit: int | None = None
    seed: int = 0
    split_train_fraction: float = 0.5
    part: str = "test"  # "test": the held-out half; "train": the half rules may be tuned on; "all"
    data_dir: Path | None = None
    popularity_field: str | None = None
    progress: bool = True


def _settings(options: PreferenceOptions, catalog: Path, llm: bool) -> Any:
    from chatbot.config import ConfigError, load_settings

    overrides: dict[str, Any] = {"catalog": catalog, "llm_signals": llm, "interactions": None}
    if options.data_dir:
        overrides["data_dir"] = options.data_dir
    if not llm:
        overrides["chat_backend"] = "fake"
    settings = load_settings(**overrides)
    if llm and settings.chat_backend == "fake":
        raise ConfigError("--llm needs a real chat model: set RECBOT_CHAT_BACKEND to auto, llama.cpp, onnx, "
                          "transformers or openai")
    return settings


def engines(options: PreferenceOptions, catalog: Path) -> tuple[Any, dict[str, Engine]]:
    """The engines of each row, built as the chat builds them; the LLM rows share one loaded model."""
    from chatbot.components import build_engine, build_retrieval, tqdm_progress
    from chatbot.llm.factory import build_chat_model
    from chatbot.llm.fake import FakeChatModel

    plain = _settings(options, catalog, llm=False)
    retrieval = build_retrieval(plain, tqdm_progress("indexing") if options.progress else None)
    rows = {RULES: build_engine(plain, retrieval, chat_model=FakeChatModel(default="Here are some picks.")).engine}
    if options.llm:
        settings = _settings(options, catalog, llm=True)
        model = build_chat_model(settings)
        model_only = build_engine(settings, retrieval, chat_model=model).engine
        model_only.extractor.use_rules = False
        rows[LLM] = model_only
        rows[BOTH] = build_engine(settings, retrieval, chat_model=model).engine
    return retrieval, rows


def run(options: PreferenceOptions) -> dict[str, Any]:
    """Replay the chosen dialogues once per row and write report.json and report.md into options.out."""
    from chatbot.config import load_settings
    from chatbot.evaluation.run import catalog_with_popularity

    started = time.monotonic()
    if options.part not in ("test", "train", "all"):
        raise DialogError(f"part must be test, train or all, got {options.part!r}")
    options.out.mkdir(parents=True, exist_ok=True)
    catalog = options.catalog
    if options.popularity_field:
        catalog = catalog_with_popularity(catalog, options.popularity_field,
                                          options.data_dir or load_settings().data_dir)
    dialogues = choose(load_dialogues(options.dialogs), options.part, options.seed, options.split_train_fraction,
                       options.limit)
    retrieval, rows = engines(options, catalog)
    known = set(retrieval.catalog.by_id)
    summaries: dict[str, dict[str, Any]] = {}
    for name, engine in rows.items():
        results = run_dialogues(engine, dialogues, name, options.progress)
        summaries[name] = summarize(results, known, engine.extractor.vocabulary.ground)
    report: dict[str, Any] = {
        "config": {**{k: (str(v) if isinstance(v, Path) else v) for k, v in vars(options).items()},
                   "catalog_used": str(catalog), "catalog_items": len(retrieval.catalog),
                   "dialogues": len(dialogues)},
        "results": summaries[BOTH if options.llm else RULES],
        "rows": summaries,
        "targets": TARGETS,
        "seconds": round(time.monotonic() - started, 1),
    }
    (options.out / "report.json").write_text(json.dumps(report, indent=2))
    (options.out / "report.md").write_text(markdown(report))
    return report
