"""Item-item co-occurrence and a "what people pick" prior, learned from an interaction log (CSV or JSONL)."""

from __future__ import annotations

import csv
import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from retrieval.catalog import Catalog, Item

# Column names accepted for each role, first match wins: shop exports, MovieLens and our own dialogue logs differ.
SESSION_COLUMNS = ("session_id", "session", "user_id", "user", "dialog_id", "basket_id", "order_id")
ITEM_COLUMNS = ("item_id", "item", "product_id", "movie_id", "id")
RATING_COLUMNS = ("rating", "score", "stars")
TIME_COLUMNS = ("time", "timestamp", "ts", "date")
MAX_SESSION_ITEMS = 200  # a "session" with thousands of items is a whole user history; its pairs say little
YEAR_BUCKET = 5
POPULARITY_BUCKETS = 10


class InteractionError(ValueError):
    """The interaction log cannot be used; the message names file, line and column."""


@dataclass(frozen=True)
class Interaction:
    """One row of a log: who (session or user), which item, and optionally how much they liked it and when."""

    session: str
    item_id: str
    rating: float | None = None
    time: float | None = None


def _pick(record: dict[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        if name in record and record[name] not in (None, ""):
            return record[name]
    return None


def _number(value: Any, path: Path, line: int, column: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InteractionError(f"{path}, line {line}: {column} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise InteractionError(f"{path}, line {line}: {column} must be finite, got {value!r}")
    return number


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        if path.suffix.lower() == ".csv":
            reader = csv.DictReader(handle)
            for row in reader:
                yield reader.line_num, {k.strip().lower(): v for k, v in row.items() if k is not None}
            return
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                raise InteractionError(f"{path}, line {number}: not valid JSON ({exc.msg})") from None
            if not isinstance(record, dict):
                raise InteractionError(f"{path}, line {number}: each line must be a JSON object")
            yield number, {str(k).lower(): v for k, v in record.items()}


def load_interactions(path: str | Path) -> list[Interaction]:
    """Read a log: one row per (session or user, item), with optional rating and time columns."""
    path = Path(path)
    if not path.is_file():
        raise InteractionError(f"{path}: interaction log not found (set RECBOT_INTERACTIONS or pass --interactions)")
    if path.suffix.lower() not in (".csv", ".jsonl", ".json"):
        raise InteractionError(f"{path}: unknown log format '{path.suffix}'; use .csv or .jsonl")
    rows: list[Interaction] = []
    for line, record in _records(path):
        session, item = _pick(record, SESSION_COLUMNS), _pick(record, ITEM_COLUMNS)
        if session is None or item is None:
            raise InteractionError(
                f"{path}, line {line}: needs a session/user column ({', '.join(SESSION_COLUMNS[:4])}) "
                f"and an item column ({', '.join(ITEM_COLUMNS[:3])})"
            )
        rating = _number(_pick(record, RATING_COLUMNS), path, line, "rating")
        time = _number(_pick(record, TIME_COLUMNS), path, line, "time")
        rows.append(Interaction(str(session).strip(), str(item).strip(), rating, time))
    return rows


def write_interactions(path: str | Path, rows: Iterable[Interaction]) -> int:
    """Write rows as JSONL (session_id, item_id, rating, time); returns how many."""
    count = 0
    with Path(path).open("w", encoding="utf-8") as handle:
        for row in rows:
            record = {"session_id": row.session, "item_id": row.item_id}
            if row.rating is not None:
                record["rating"] = row.rating
            if row.time is not None:
                record["time"] = row.time
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def _cell(item: Item, pct: dict[str, float]) -> tuple[int, int]:
    """Feature cell of an item for the prior's back-off: (popularity decile or -1, year bucket or -1)."""
    known = item.popularity is not None
    decile = min(int(pct.get(item.id, 0.0) * POPULARITY_BUCKETS), POPULARITY_BUCKETS - 1) if known else -1
    return decile, (item.year // YEAR_BUCKET if item.year else -1)


def popularity_percentiles(catalog: Catalog) -> dict[str, float]:
    """Catalog popularity as a percentile in (0, 1]; items without popularity are absent."""
    known = sorted((item.popularity, item.id) for item in catalog.items if item.popularity is not None)
    return {item_id: (rank + 1) / len(known) for rank, (_, item_id) in enumerate(known)}


class CoOccurrence:
    """Sessions that hold both X and Y make Y a neighbour of X; call it with liked ids (a CollaborativeSignal).

    Similarity is cosine over sessions, shrunk towards 0 for pairs seen together only a few times:
    sim = co / sqrt(n_x * n_y) * co / (co + shrink). Each session's pairs count 1/log2(1 + size) so one long
    session does not dominate. `prior` is how often each item is picked, smoothed onto unseen items by the
    rate of their (catalog popularity decile, year bucket) cell in the log: people talk about known, recent
    films, and the log says how much more.
    """

    def __init__(
        self,
        rows: Iterable[Interaction],
        catalog: Catalog | None = None,
        *,
        min_rating: float | None = None,
        shrink: float = 2.0,
        neighbours: int = 100,
        prior_smoothing: float = 1.0,
    ) -> None:
        sessions: dict[str, dict[str, None]] = defaultdict(dict)
        for row in rows:
            if min_rating is not None and row.rating is not None and row.rating < min_rating:
                continue  # a low rating is not a sign the items go together
            if catalog is None or catalog.get(row.item_id) is not None:
                sessions[row.session][row.item_id] = None
        self.sessions = {s: list(items)[:MAX_SESSION_ITEMS] for s, items in sessions.items()}
        self.counts: Counter[str] = Counter(i for items in self.sessions.values() for i in items)
        pair: dict[str, Counter[str]] = defaultdict(Counter)
        weight: dict[str, Counter[str]] = defaultdict(Counter)
        for items in self.sessions.values():
            w = 1.0 / math.log2(1 + len(items))
            for a in items:
                for b in items:
                    if a != b:
                        pair[a][b] += 1
                        weight[a][b] += w
        self.neighbours: dict[str, list[tuple[str, float]]] = {}
        for a, others in pair.items():
            sims = [(b, weight[a][b] / math.sqrt(self.counts[a] * self.counts[b]) * co / (co + shrink))
                    for b, co in others.items()]
            self.neighbours[a] = sorted(sims, key=lambda p: -p[1])[:neighbours]
        self.prior = self._prior(catalog, prior_smoothing) if catalog is not None else self._plain_prior()
        self._top: list[str] = []
        self._holding: dict[str, set[str]] | None = None  # item -> sessions holding it, built on first use

    def _plain_prior(self) -> dict[str, float]:
        top = max(self.counts.values(), default=1)
        return {i: math.log1p(c) / math.log1p(top) for i, c in self.counts.items()}

    def _prior(self, catalog: Catalog, smoothing: float) -> dict[str, float]:
        """log(count + smoothing * cell rate), scaled to [0, 1] over the catalog; none from a log with no rows."""
        if not self.counts:
            return {}  # an empty log file says nothing of what people pick (log(0) below)
        pct = popularity_percentiles(catalog)
        cells = {item.id: _cell(item, pct) for item in catalog.items}
        size: Counter[tuple[int, int]] = Counter(cells.values())
        hits: Counter[tuple[int, int]] = Counter()
        for item_id, count in self.counts.items():
            hits[cells[item_id]] += count
        total_rate = sum(self.counts.values()) / max(len(catalog), 1)
        # Rate per cell with one pseudo-item at the catalog-wide rate, so tiny cells do not get extreme rates.
        rate = {cell: (hits[cell] + total_rate) / (n + 1) for cell, n in size.items()}
        raw = {i: self.counts.get(i, 0) + smoothing * rate[cells[i]] for i in cells}
        low, high = math.log(min(raw.values())), math.log(max(raw.values()))
        span = max(high - low, 1e-9)
        return {i: (math.log(v) - low) / span for i, v in raw.items()}

    def __len__(self) -> int:
        return len(self.sessions)

    def __call__(self, liked: list[str]) -> dict[str, tuple[float, str]]:
        """Candidates co-occurring with the liked items: id -> (score in [0, 1], the liked id it comes via)."""
        scores: dict[str, float] = defaultdict(float)
        best: dict[str, tuple[float, str]] = {}
        for source in liked:
            for other, sim in self.neighbours.get(source, ()):
                scores[other] += sim
                if other not in best or sim > best[other][0]:
                    best[other] = (sim, source)
        ranked = sorted(scores.items(), key=lambda p: -p[1])
        return {i: (min(s, 1.0), best[i][1]) for i, s in ranked if i not in liked}

    def together(self, a: str, b: str) -> int:
        """In how many logged sessions both items appear (the count an explanation cites)."""
        if self._holding is None:
            holding: dict[str, set[str]] = defaultdict(set)
            for session, items in self.sessions.items():
                for item_id in items:
                    holding[item_id].add(session)
            self._holding = dict(holding)
        return len(self._holding.get(a, set()) & self._holding.get(b, set()))

    def top_prior(self, n: int) -> list[str]:
        """The n items the prior ranks highest."""
        if len(self._top) < min(n, len(self.prior)):
            self._top = sorted(self.prior, key=lambda i: -self.prior[i])[: max(n, 1000)]
        return self._top[:n]


def load_collaborative(path: str | Path, catalog: Catalog | None = None, **options: Any) -> CoOccurrence:
    """Load a log and learn the co-occurrence signal and prior from it (ids not in the catalog are ignored)."""
    return CoOccurrence(load_interactions(path), catalog, **options)
