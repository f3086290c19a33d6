"""The `eval-interactive` command: a simulated seeker plays each ReDial dialogue against the engine, turn by turn.

The seeker wants the films the real seeker was glad to be offered (`recommended` with `liked: true`), minus any it
named itself. It opens with the real seeker's first message; after each answer it likes the shown films it wants
and dislikes the ones it disliked (Engine.feedback, as a click), then says the next thing the real seeker said, with
the titles of the films it wants masked out, or "something else" once the recording runs out. The engine sees only
those words and clicks; the simulator alone knows the wanted films.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from chatbot.evaluation.preferences import Dialogue, load_dialogues, split_dialogues
from chatbot.evaluation.replay import MAX_TEXT, DialogError, percentile, popular_head

if TYPE_CHECKING:
    from chatbot.engine import Engine

MASK = "another film"
SOMETHING_ELSE = "Something else, please."
TURN_GAP_S = 30.0  # simulated seconds between turns: decay acts as in a real chat, the same way every run
YEAR_SUFFIX = re.compile(r"\s*\(\d{4}\)\s*$")


@dataclass(frozen=True)
class Seeker:
    """What one simulated seeker wants and what it can say."""

    dialogue: Dialogue
    wants: frozenset[str]  # films it was glad to be offered and did not name itself
    dislikes: frozenset[str]  # films it said it disliked
    utterances: tuple[str, ...]  # its real messages in order, wanted titles masked


def _distinctive(title: str) -> bool:
    """A bare title that cannot be an ordinary word of a sentence ("It", "M" and "Up" can)."""
    return len(title.split()) >= 2 or len(title) >= 5


def _title_patterns(titles: Sequence[str]) -> list[re.Pattern[str]]:
    """Word-bounded patterns for "Title (Year)" and, where it cannot be an ordinary word, the bare title."""
    forms: dict[str, None] = {}
    for title in titles:
        title = title.strip()
        bare = YEAR_SUFFIX.sub("", title).strip()
        if bare != title:
            forms[title] = None
        if bare and _distinctive(bare):
            forms[bare] = None
    # Longest first, so "The Exorcist (1973)" goes before "The Exorcist" leaves a stray "(1973)".
    return [re.compile(rf"(?<!\w){re.escape(f)}(?!\w)", re.IGNORECASE) for f in sorted(forms, key=len, reverse=True)]


def mask_titles(text: str, titles: Sequence[str]) -> str:
    """The text with every wanted title replaced, so the seeker's words never hand the engine the answer."""
    for pattern in _title_patterns(titles):
        text = pattern.sub(MASK, text)
    return text


def make_seeker(dialogue: Dialogue, known: set[str], titles_of: Any = None) -> Seeker | None:
    """The seeker of one dialogue, or None when it wants nothing the catalog has or never speaks."""
    named = {lab["item_id"] for lab in dialogue.labels if lab.get("item_id")}
    wants = {o["item_id"] for o in dialogue.offered
             if o.get("liked") is True and o.get("item_id") in known and o["item_id"] not in named}
    dislikes = {r["item_id"] for r in (*dialogue.offered, *dialogue.labels)
                if r.get("liked") is False and r.get("item_id") in known}
    titles = [o["title"] for o in dialogue.offered if o.get("item_id") in wants and o.get("title")]
    if titles_of is not None:
        titles += [t for i in sorted(wants) for t in titles_of(i)]
    said = tuple(mask_titles(text[:MAX_TEXT], titles) for role, text in dialogue.messages
                 if role == "user" and text.strip())
    if not wants or not said:
        return None
    return Seeker(dialogue, frozenset(wants), frozenset(dislikes - wants), said)


@dataclass
class SessionResult:
    """One simulated conversation: what was shown and hit at each turn."""

    seeker: Seeker
    shown: list[list[str]] = field(default_factory=list)  # per turn, the answer's item ids
    hits: list[list[str]] = field(default_factory=list)  # per turn, wanted films shown that turn
    explored: list[str | None] = field(default_factory=list)  # per turn, the exploring pick if any
    seconds: list[float] = field(default_factory=list)

    def first_hit(self) -> int | None:
        """1-based turn of the first hit, or None."""
        return next((t for t, h in enumerate(self.hits, 1) if h), None)


class SimulatedClock:
    """Engine time for a simulation: fixed within a turn, TURN_GAP_S later at the next."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def tick(self) -> None:
        self.now += TURN_GAP_S


def session_for(seeker: Seeker, seed: int) -> str:
    """The session id a seeker plays under: fixed by dialogue and seed, so exploration draws replay alike."""
    return f"sim{seed}-" + hashlib.sha1(seeker.dialogue.id.encode()).hexdigest()[:16]


def play(engine: Engine, seeker: Seeker, turns: int, seed: int, clock: SimulatedClock) -> SessionResult:
    """One simulated conversation through Engine.turn and Engine.feedback, as a live chat runs them."""
    session = session_for(seeker, seed)
    engine.forget(session)
    result = SessionResult(seeker)
    said = list(seeker.utterances)
    message = said.pop(0)
    try:
        for _ in range(turns):
            clock.tick()
            started = time.perf_counter()
            answer = engine.turn(session, message)
            "".join(answer.stream)  # the reply is logged once read, as the browser reads it
            result.seconds.append(time.perf_counter() - started)
            shown = [r.item_id for r in answer.items]
            result.shown.append(shown)
            result.hits.append([i for i in shown if i in seeker.wants])
            result.explored.append(next((r.item_id for r in answer.items if r.explore), None))
            for item_id in shown:
                if item_id in seeker.wants or item_id in seeker.dislikes:
                    engine.feedback(session, item_id, liked=item_id in seeker.wants)
            message = said.pop(0) if said else SOMETHING_ELSE
    finally:
        engine.forget(session)
    return result


# --- scoring ------------------------------------------------------------------------------------------------------
def per_turn(results: Sequence[SessionResult], turns: int, catalog_size: int, head: set[str]) -> list[dict[str, Any]]:
    """For each turn t: hit rate and recall by t, coverage and long-tail share of what was shown by t, seconds."""
    rows = []
    n = len(results) or 1
    for t in range(1, turns + 1):
        shown = [i for r in results for answer in r.shown[:t] for i in answer]
        at_t = [i for r in results if len(r.shown) >= t for i in r.shown[t - 1]]
        seconds = [r.seconds[t - 1] for r in results if len(r.seconds) >= t]
        recall = [len({i for h in r.hits[:t] for i in h}) / len(r.seeker.wants) for r in results]
        explored = [r.explored[t - 1] for r in results if len(r.explored) >= t]
        rows.append({
            "turn": t,
            "hit_rate": sum(any(r.hits[:t]) for r in results) / n,
            "recall": sum(recall) / n,
            "coverage": len(set(shown)) / catalog_size if catalog_size else 0.0,
            "long_tail_share": sum(i not in head for i in at_t) / len(at_t) if at_t else 0.0,
            "explored_share": sum(e is not None for e in explored) / len(explored) if explored else 0.0,
            "explored_hits": sum(1 for r in results if len(r.explored) >= t and r.explored[t - 1] in r.hits[t - 1]),
            "turn_p50_s": percentile(seconds, 0.5),
            "turn_p95_s": percentile(seconds, 0.95),
        })
    return rows


def summarize(results: Sequence[SessionResult], turns: int, catalog_size: int, head: set[str]) -> dict[str, Any]:
    """The whole table of one variant: per-turn rows plus turns to the first hit and sessions with none."""
    firsts = [f for r in results if (f := r.first_hit()) is not None]
    seconds = [s for r in results for s in r.seconds]
    return {
        "sessions": len(results),
        "wanted_films": sum(len(r.seeker.wants) for r in results),
        "per_turn": per_turn(results, turns, catalog_size, head),
        "mean_turns_to_first_hit": statistics.fmean(firsts) if firsts else None,
        "no_hit_share": (len(results) - len(firsts)) / len(results) if results else 0.0,
        "turn_p50_s": percentile(seconds, 0.5),
        "turn_p95_s": percentile(seconds, 0.95),
    }


# --- the command --------------------------------------------------------------------------------------------------
@dataclass
class InteractiveOptions:
    """Everything eval-interactive takes; see `python -m chatbot eval-interactive --help`."""

    catalog: Path
    dialogs: Path
    out: Path = Path("eval-interactive-out")
    turns: int = 5
    seed: int = 0
    limit: int | None = None
    split_train_fraction: float = 0.5
    part: str = "test"  # "test": the held-out half; "train": the half one may tune on; "all"
    ranker: Path | None = None  # a learned ranker: adds its rows
    interactions: Path | None = None  # the interaction log the engine learns from (eval writes one from its train half)
    exploration: str = "both"  # "off", "on", or "both" (each ranking with and without)
    exploration_rate: float | None = None
    data_dir: Path | None = None
    popularity_field: str | None = None
    progress: bool = True


def choose_seekers(dialogues: Sequence[Dialogue], options: InteractiveOptions, known: set[str],
                   titles_of: Any = None) -> list[Seeker]:
    """The ReDial dialogues of the chosen part with something to want, then a seeded sample of `limit`."""
    train, test = split_dialogues(dialogues, options.seed, options.split_train_fraction)
    chosen = {"test": test, "train": train, "all": list(dialogues)}[options.part]
    seekers = [s for d in chosen if d.source == "redial" and (s := make_seeker(d, known, titles_of))]
    if options.limit is not None and options.limit < len(seekers):
        keep = set(random.Random(options.seed).sample(range(len(seekers)), options.limit))
        seekers = [s for i, s in enumerate(seekers) if i in keep]
    return seekers


def variants(options: InteractiveOptions) -> list[tuple[str, Path | None, bool]]:
    """(row name, ranker file, exploration) for every row the options ask for."""
    rankings: list[tuple[str, Path | None]] = [("today's ranking", None)]
    if options.ranker:
        rankings.append(("learned ranking", options.ranker))
    explore = {"off": [False], "on": [True], "both": [False, True]}[options.exploration]
    return [(name + (" + exploration" if e else ""), ranker, e) for name, ranker in rankings for e in explore]


def build_row_engine(options: InteractiveOptions, catalog: Path, retrieval: Any, ranker: Path | None,
                     explore: bool) -> Engine:
    """An engine as the chat builds it (rules-only signals, template replies), with this row's ranking."""
    from chatbot.components import build_engine
    from chatbot.config import load_settings
    from chatbot.llm.fake import FakeChatModel

    overrides: dict[str, Any] = {"catalog": catalog, "llm_signals": False, "interactions": options.interactions,
                                 "chat_backend": "fake", "ranker": ranker,
                                 "exploration": "on" if explore else "off"}
    if options.exploration_rate is not None:
        overrides["exploration_rate"] = options.exploration_rate
    if options.data_dir:
        overrides["data_dir"] = options.data_dir
    settings = load_settings(**overrides)
    return build_engine(settings, retrieval, chat_model=FakeChatModel(default="Here are some picks.")).engine


def run(options: InteractiveOptions) -> dict[str, Any]:
    """Play every chosen seeker once per row; write report.json, report.md and hit_rate_by_turn.png."""
    from tqdm import tqdm

    from chatbot.components import build_retrieval, tqdm_progress
    from chatbot.config import load_settings
    from chatbot.evaluation.interactive_report import markdown, plot_hit_rate
    from chatbot.evaluation.run import catalog_with_popularity

    started = time.monotonic()
    if options.part not in ("test", "train", "all"):
        raise DialogError(f"part must be test, train or all, got {options.part!r}")
    if options.exploration not in ("off", "on", "both"):
        raise DialogError(f"exploration must be off, on or both, got {options.exploration!r}")
    if options.turns < 1:
        raise DialogError(f"turns must be at least 1, got {options.turns}")
    options.out.mkdir(parents=True, exist_ok=True)
    catalog = options.catalog
    if options.popularity_field:
        catalog = catalog_with_popularity(catalog, options.popularity_field,
                                          options.data_dir or load_settings().data_dir)
    settings = load_settings(catalog=catalog, **({"data_dir": options.data_dir} if options.data_dir else {}))
    retrieval = build_retrieval(settings, tqdm_progress("indexing") if options.progress else None)
    known = set(retrieval.catalog.by_id)
    seekers = choose_seekers(load_dialogues(options.dialogs), options, known,
                             lambda item_id: [retrieval.catalog.by_id[item_id].title])
    if not seekers:
        raise DialogError(f"{options.dialogs}: no ReDial dialogue in the {options.part} part has a liked "
                          "recommended film the catalog holds")
    head = popular_head(retrieval.catalog)
    rows: dict[str, dict[str, Any]] = {}
    for name, ranker, explore in variants(options):
        engine = build_row_engine(options, catalog, retrieval, ranker, explore)
        clock = SimulatedClock()
        engine.clock = clock
        results = [play(engine, s, options.turns, options.seed, clock)
                   for s in tqdm(seekers, desc=name, unit="seeker", disable=not options.progress)]
        rows[name] = summarize(results, options.turns, len(retrieval.catalog), head)
    report: dict[str, Any] = {
        "config": {**{k: (str(v) if isinstance(v, Path) else v) for k, v in vars(options).items()},
                   "catalog_used": str(catalog), "catalog_items": len(retrieval.catalog), "seekers": len(seekers),
                   "top_k": settings.top_k, "exploration_rate_used": options.exploration_rate
                   if options.exploration_rate is not None else settings.exploration_rate},
        "rows": rows,
        "seconds": round(time.monotonic() - started, 1),
    }
    (options.out / "report.json").write_text(json.dumps(report, indent=2))
    (options.out / "report.md").write_text(markdown(report))
    plot_hit_rate(rows, options.out / "hit_rate_by_turn.png")
    return report
