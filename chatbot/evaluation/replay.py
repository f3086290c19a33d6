"""Replay recommendation dialogues through the engine and measure where the human recommender's picks rank."""

from __future__ import annotations

import hashlib
import json
import math
import statistics
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from retrieval.catalog import Catalog, popular_head
from retrieval.collaborative import Interaction

if TYPE_CHECKING:
    from chatbot.engine import Engine
    from chatbot.understanding.title_match import TitleMatch

KS = (1, 5, 10, 20, 50)  # Recall@k points in the report and the plot
LIST_K = 50  # items asked for per case: the longest list any metric looks at
MAX_TEXT = 2000  # the engine refuses longer messages; a replayed message is cut, not dropped


class DialogError(ValueError):
    """The dialogues file cannot be used; the message names file, line and field."""


@dataclass(frozen=True)
class Case:
    """A conversation cut just before the recommender named the target items."""

    id: str
    source: str
    dialog_id: str
    context: tuple[tuple[str, str], ...]  # (role, text), role "user" or "assistant"
    targets: tuple[str, ...]


def jsonl_records(path: Path, what: str) -> Iterator[tuple[int, Any]]:
    """(line number, parsed JSON) of every non-blank line; a missing file or a line that is not JSON raises."""
    if not path.is_file():
        raise DialogError(f"{path}: dialogues file not found")
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as exc:
                raise DialogError(f"{path}, line {number}: not {what} (JSONDecodeError: {exc})") from None


def load_cases(path: str | Path) -> list[Case]:
    """Read and validate a dialogues JSONL file (id, source, dialog_id, context, target_item_ids)."""
    path = Path(path)
    cases: list[Case] = []
    for number, record in jsonl_records(path, "a dialogue case"):
        try:
            context = tuple((m["role"], m["text"]) for m in record["context"])
            targets = tuple(str(t) for t in record["target_item_ids"])
            case = Case(str(record["id"]), str(record.get("source") or "all"),
                        str(record.get("dialog_id") or record["id"]), context, targets)
        except (KeyError, TypeError) as exc:
            raise DialogError(f"{path}, line {number}: not a dialogue case ({type(exc).__name__}: {exc})") from None
        if not any(role == "user" for role, _ in context) or not targets:
            raise DialogError(f"{path}, line {number}: needs a user message in context and target_item_ids")
        cases.append(case)
    if not cases:
        raise DialogError(f"{path}: no cases")
    return cases


# --- metrics: ranked ids against the set of target ids --------------------------------------------------------
def recall_at(ranked: Sequence[str], targets: Iterable[str], k: int) -> float:
    """Share of the targets found in the top k."""
    wanted = set(targets)
    return len(wanted.intersection(ranked[:k])) / len(wanted) if wanted else 0.0


def ndcg_at(ranked: Sequence[str], targets: Iterable[str], k: int) -> float:
    """Binary-relevance NDCG@k: hits discounted by log2(rank + 1), over the best possible order."""
    wanted = set(targets)
    dcg = sum(1.0 / math.log2(rank + 2) for rank, item in enumerate(ranked[:k]) if item in wanted)
    ideal = sum(1.0 / math.log2(rank + 2) for rank in range(min(len(wanted), k)))
    return dcg / ideal if ideal else 0.0


def reciprocal_rank(ranked: Sequence[str], targets: Iterable[str]) -> float:
    """1 / rank of the first target in the list, 0 when none is in it."""
    wanted = set(targets)
    return next((1.0 / (rank + 1) for rank, item in enumerate(ranked) if item in wanted), 0.0)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-quantile (0..1) by linear interpolation; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# --- the split and the log learned from the train part ------------------------------------------------------------
def dialog_hash(key: str, seed: int) -> int:
    """A stable 64-bit hash of (seed, key): the same on every machine and run, unlike hash()."""
    return int.from_bytes(hashlib.sha256(f"{seed}\x00{key}".encode()).digest()[:8], "big")


def in_train(dialog_id: str, seed: int, train_fraction: float) -> bool:
    """Deterministic split by dialogue: a hash of (seed, dialog_id) below the fraction means train."""
    return dialog_hash(dialog_id, seed) / 2**64 < train_fraction


def split_cases(cases: Sequence[Case], seed: int, train_fraction: float) -> tuple[list[Case], list[Case]]:
    """(train, test) cases; all cases of one dialogue fall on the same side."""
    train = [c for c in cases if in_train(c.dialog_id, seed, train_fraction)]
    test = [c for c in cases if not in_train(c.dialog_id, seed, train_fraction)]
    return train, test


def dialogue_log(cases: Iterable[Case], find_titles: Callable[[str], list[TitleMatch]]) -> list[Interaction]:
    """Films named in each conversation (in its messages or as targets), one row per (dialogue, film), in order."""
    named: dict[str, dict[str, None]] = defaultdict(dict)
    for case in cases:
        items = named[case.dialog_id]
        for _, text in case.context:
            for match in find_titles(text):
                items[match.item_id] = None
        for target in case.targets:
            items[target] = None
    return [Interaction(dialog, item, time=float(order))
            for dialog, items in named.items() for order, item in enumerate(items)]


# --- replay -------------------------------------------------------------------------------------------------------
@dataclass
class CaseResult:
    """What the engine ranked for one case, and how long the whole replay took."""

    case_id: str
    source: str
    ranked: list[str]
    targets: list[str]
    missing: list[str]  # targets the catalog does not have: always misses
    seconds: float
    request: Any = None  # the RankRequest of the final turn: ablations re-rank it without replaying the dialogue
    candidate_hits: int = 0  # targets among the candidates before the second stage chose: retrieval's share


def replay(engine: Engine, case: Case, k: int = LIST_K, consume_reply: bool = True) -> CaseResult:
    """Observe the context up to the last user message, ask for k items on it, then forget the session.

    consume_reply=False skips writing the reply (a real LLM takes seconds; the ranking is what is measured).
    """
    started = time.perf_counter()
    with replayed_session(engine, case, "eval-") as (session, request_text):
        requests: list[Any] = []
        with recording(engine.ranker, requests):
            result = engine.turn(session, request_text, k=k)
        ranked = [r.item_id for r in result.items]
        seconds = time.perf_counter() - started
        if consume_reply:
            for _ in result.stream:  # logs the reply as a live chat would
                pass
        else:
            result.stream.close()  # a generator not yet started: nothing is generated
    missing = [t for t in case.targets if engine.catalog.get(t) is None]
    request = requests[-1] if requests else None
    candidates = {s.item_id for s in engine.ranker.score(request)[0]} if request is not None else set()
    return CaseResult(case.id, case.source, ranked, list(case.targets), missing, seconds, request,
                      len(candidates.intersection(case.targets)))


@contextmanager
def replayed_session(engine: Engine, case: Case, prefix: str) -> Iterator[tuple[str, str]]:
    """A fresh session (prefix + a digest of the case id) holding the case's context up to its last user message,
    forgotten afterwards; yields (session id, that last message), each message cut to MAX_TEXT."""
    last = max(i for i, (role, _) in enumerate(case.context) if role == "user")
    session = prefix + hashlib.sha1(case.id.encode()).hexdigest()[:16]
    engine.forget(session)
    try:
        for i, (role, text) in enumerate(case.context):
            if i != last:
                engine.observe(session, role, text[:MAX_TEXT])
        yield session, case.context[last][1][:MAX_TEXT]
    finally:
        engine.forget(session)


@contextmanager
def shadowing(obj: Any, name: str, replacement: Any) -> Iterator[None]:
    """obj.name is `replacement` while inside: an instance attribute shadows the class's method, then goes."""
    setattr(obj, name, replacement)
    try:
        yield
    finally:
        vars(obj).pop(name, None)


@contextmanager
def recording(ranker: Any, into: list[Any]) -> Iterator[None]:
    """Keep every request the ranker gets while inside (an instance attribute shadows Ranker.rank)."""
    rank = ranker.rank

    def record(request: Any, weights: Any = None) -> Any:
        into.append(request)
        return rank(request, weights)

    with shadowing(ranker, "rank", record):
        yield


def rerank(ranker: Any, results: Sequence[CaseResult], weights: Any = None) -> list[CaseResult]:
    """The recorded requests ranked again (other weights, another ranker): what replaying would give, minus
    the signal extraction, which does not depend on ranking. seconds is the ranking time alone."""
    out = []
    for result in results:
        started = time.perf_counter()
        ranked = [s.item_id for s in ranker.rank(result.request, weights)] if result.request is not None else []
        out.append(replace(result, ranked=ranked, seconds=time.perf_counter() - started))
    return out


def run_cases(engine: Engine, cases: Sequence[Case], k: int = LIST_K, desc: str = "eval",
              progress: bool = True, consume_reply: bool = True) -> list[CaseResult]:
    """Replay every case with a progress bar."""
    from tqdm import tqdm

    bar = tqdm(cases, desc=desc, unit="case", disable=not progress)
    return [replay(engine, case, k, consume_reply) for case in bar]


# --- summary ------------------------------------------------------------------------------------------------------
def summarize(results: Sequence[CaseResult], catalog: Catalog, head: set[str] | None = None) -> dict[str, Any]:
    """Metrics over all cases and per source."""
    head = popular_head(catalog) if head is None else head
    groups: dict[str, list[CaseResult]] = {"overall": list(results)}
    for result in results:
        groups.setdefault(result.source, []).append(result)
    return {name: _metrics(group, len(catalog), head) for name, group in groups.items()}


def _metrics(results: Sequence[CaseResult], catalog_size: int, head: set[str]) -> dict[str, Any]:
    n = len(results)
    mean = lambda values: sum(values) / n if n else 0.0  # noqa: E731
    top10 = [item for r in results for item in r.ranked[:10]]
    seconds = [r.seconds for r in results]
    out: dict[str, Any] = {"cases": n}
    for k in KS:
        out[f"recall@{k}"] = mean([recall_at(r.ranked, r.targets, k) for r in results])
    out["ndcg@10"] = mean([ndcg_at(r.ranked, r.targets, 10) for r in results])
    out["mrr"] = mean([reciprocal_rank(r.ranked, r.targets) for r in results])
    out["candidate_recall"] = mean([r.candidate_hits / len(r.targets) if r.targets else 0.0 for r in results])
    out["coverage@10"] = len(set(top10)) / catalog_size if catalog_size else 0.0
    out["long_tail_share@10"] = sum(i not in head for i in top10) / len(top10) if top10 else 0.0
    out["targets"] = sum(len(r.targets) for r in results)
    out["targets_missing_from_catalog"] = sum(len(r.missing) for r in results)
    out["short_lists"] = sum(len(r.ranked) < 10 for r in results)  # e.g. a clarifying turn offers only a few
    out["latency_p50_s"] = percentile(seconds, 0.5)
    out["latency_p95_s"] = percentile(seconds, 0.95)
    out["mean_latency_s"] = statistics.fmean(seconds) if seconds else 0.0
    return out
