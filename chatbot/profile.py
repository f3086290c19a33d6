"""Interest profile: signed facet weights that decay with a half-life per event kind; pure functions of `now`."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, NamedTuple, get_args

from chatbot.types import EventKind, ProfileFacet, Signal

if TYPE_CHECKING:  # only for the annotation; the profile itself needs no settings machinery
    from chatbot.config import Settings

EVENT_KINDS: tuple[str, ...] = get_args(EventKind)
LN2 = math.log(2)
DAY = 86400.0
JSON_VERSION = 1
# A facet whose every accumulator has decayed below this is dropped on the next apply(): it can no longer
# matter (top() hides anything under 0.05) and it keeps long sessions from growing without bound.
PRUNE_BELOW = 1e-6


@dataclass(frozen=True)
class HalfLives:
    """Half-life in seconds for each event kind; defaults match Settings."""

    said: float = 3 * DAY
    liked: float = 30 * DAY
    disliked: float = 60 * DAY
    viewed: float = 1 * DAY

    def __post_init__(self) -> None:
        for kind in EVENT_KINDS:
            value = getattr(self, kind)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
                raise ValueError(f"half-life for {kind!r} must be a positive number of seconds, got {value!r}")

    @classmethod
    def from_settings(cls, settings: Settings) -> HalfLives:
        """Half-lives from Settings.half_life_*_s."""
        return cls(
            said=settings.half_life_said_s,
            liked=settings.half_life_liked_s,
            disliked=settings.half_life_disliked_s,
            viewed=settings.half_life_viewed_s,
        )

    def of(self, event: str) -> float:
        """Half-life of one event kind."""
        if event not in EVENT_KINDS:
            raise ValueError(f"unknown event kind {event!r}; use one of {EVENT_KINDS}")
        return float(getattr(self, event))


class Accumulator(NamedTuple):
    """Decayed sum of one event kind's strengths for one facet, exact as of time `t`."""

    w: float
    t: float


def _decay(dt: float, half_life: float) -> float:
    # dt < 0 means "asked about a moment before the last update": clamp so weights never grow backwards.
    return math.exp(-LN2 * max(dt, 0.0) / half_life)


def _check_time(now: float) -> float:
    if isinstance(now, bool) or not isinstance(now, (int, float)) or not math.isfinite(now):
        raise ValueError(f"now must be finite epoch seconds (float), got {now!r}")
    return float(now)


def facet_label(facet: str, item_label: Callable[[str], str | None] | None = None) -> str:
    """Human text for a facet: "horror (genre)", "tom hanks (person)", an item's title or its raw id."""
    kind, sep, value = facet.partition(":")
    if not sep:
        return facet
    if kind == "item":
        return (item_label(value) if item_label else None) or value
    return f"{value} ({kind})"


@dataclass(frozen=True)
class InterestProfile:
    """Immutable map facet -> {event kind: Accumulator}; every operation returns a new profile."""

    half_lives: HalfLives = field(default_factory=HalfLives)
    # Never mutated in place: apply() and remove() copy what they change.
    facets: dict[str, dict[str, Accumulator]] = field(default_factory=dict)

    def apply(self, signals: Iterable[Signal], now: float) -> InterestProfile:
        """New profile with each signal added at time `now`: w_k <- w_k*exp(-ln2*dt/hl_k) + strength."""
        now = _check_time(now)
        facets = dict(self.facets)
        touched: set[str] = set()
        for signal in signals:
            if not isinstance(signal.facet, str) or not signal.facet:
                raise ValueError(f"signal facet must be a non-empty facet_key(...) string, got {signal.facet!r}")
            if not math.isfinite(signal.strength):
                raise ValueError(f"signal strength must be finite, got {signal.strength!r} for {signal.facet!r}")
            half_life = self.half_lives.of(signal.event)
            accs = dict(facets.get(signal.facet, {}))
            prev = accs.get(signal.event)
            if prev is None:
                accs[signal.event] = Accumulator(float(signal.strength), now)
            else:
                # Referencing both terms to the later time keeps the sum exact even for an out-of-order `now`.
                ref = max(prev.t, now)
                w = prev.w * _decay(ref - prev.t, half_life) + signal.strength * _decay(ref - now, half_life)
                accs[signal.event] = Accumulator(w, ref)
            facets[signal.facet] = accs
            touched.add(signal.facet)
        for facet in [f for f in facets if f not in touched and self._faded(facets[f], now)]:
            del facets[facet]
        return InterestProfile(self.half_lives, facets)

    def kept(self, keep: dict[str, float], now: float) -> InterestProfile:
        """New profile where each current interest (positive weight) keeps only keep[kind] of its kind's weight.

        On top of the time decay: a conversation moves on turn by turn ("turn recency"), and a change of mind
        ("actually", "forget", "these days") lowers what came before at once. Aversions are left as they are.
        """
        now = _check_time(now)
        for kind, share in keep.items():
            self.half_lives.of(kind)  # raises on an unknown event kind
            if not (isinstance(share, (int, float)) and 0.0 <= share <= 1.0):
                raise ValueError(f"the share kept of {kind!r} must be between 0 and 1, got {share!r}")
        facets = {
            facet: ({k: Accumulator(a.w * keep.get(k, 1.0), a.t) for k, a in accs.items()}
                    if self.weight(facet, now) > 0 else accs)
            for facet, accs in self.facets.items()
        }
        return InterestProfile(self.half_lives, facets)

    def _faded(self, accs: dict[str, Accumulator], now: float) -> bool:
        return all(abs(a.w) * _decay(now - a.t, self.half_lives.of(k)) < PRUNE_BELOW for k, a in accs.items())

    def weight(self, facet: str, now: float) -> float:
        """Signed decayed weight of a facet at `now` (0.0 when absent)."""
        now = _check_time(now)
        accs = self.facets.get(facet, {})
        return sum(a.w * _decay(now - a.t, self.half_lives.of(k)) for k, a in accs.items())

    def updated_at(self, facet: str) -> float | None:
        """Time of the facet's latest update, or None when absent."""
        accs = self.facets.get(facet)
        return max(a.t for a in accs.values()) if accs else None

    def weights(self, now: float, min_abs: float = 0.0) -> dict[str, float]:
        """Every facet's signed weight at `now` whose magnitude is at least `min_abs`."""
        out = {facet: self.weight(facet, now) for facet in self.facets}
        return {f: w for f, w in out.items() if abs(w) >= min_abs and w != 0.0}

    def positives(self, now: float, min_abs: float = 0.05) -> dict[str, float]:
        """Facets the user currently likes: facet -> weight (> 0)."""
        return {f: w for f, w in self.weights(now, min_abs).items() if w > 0}

    def negatives(self, now: float, min_abs: float = 0.05) -> dict[str, float]:
        """Facets the user currently dislikes: facet -> weight (< 0, sign kept)."""
        return {f: w for f, w in self.weights(now, min_abs).items() if w < 0}

    def top(
        self,
        now: float,
        n: int | None = 10,
        min_abs: float = 0.05,
        item_label: Callable[[str], str | None] | None = None,
    ) -> list[ProfileFacet]:
        """Strongest facets of either polarity, by |weight|; `item_label(item_id)` names item facets."""
        ranked = sorted(self.weights(now, min_abs).items(), key=lambda fw: (-abs(fw[1]), fw[0]))
        if n is not None:
            ranked = ranked[:n]
        return [
            ProfileFacet(facet=f, label=facet_label(f, item_label), weight=w, updated_at=self.updated_at(f) or 0.0)
            for f, w in ranked
        ]

    def remove(self, facet: str) -> InterestProfile:
        """New profile without `facet` (no trace of it is kept); absent facets are fine."""
        if facet not in self.facets:
            return self
        return InterestProfile(self.half_lives, {f: a for f, a in self.facets.items() if f != facet})

    def __contains__(self, facet: object) -> bool:
        return facet in self.facets

    def __len__(self) -> int:
        return len(self.facets)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form; floats survive json exactly, so from_dict(to_dict()) == self."""
        return {
            "version": JSON_VERSION,
            "half_lives": asdict(self.half_lives),
            "facets": {f: {k: [a.w, a.t] for k, a in accs.items()} for f, accs in self.facets.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InterestProfile:
        """Inverse of to_dict(); raises ValueError naming what is wrong."""
        if not isinstance(data, dict) or data.get("version") != JSON_VERSION:
            found = data.get("version") if isinstance(data, dict) else type(data).__name__
            raise ValueError(
                f"not an InterestProfile v{JSON_VERSION} dict (version={found!r}); build it with to_dict()"
            )
        try:
            half_lives = HalfLives(**data["half_lives"])
            facets = {
                str(facet): {str(k): Accumulator(float(w), float(t)) for k, (w, t) in accs.items()}
                for facet, accs in data["facets"].items()
            }
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"malformed InterestProfile dict: {exc!r}; build it with to_dict()") from None
        for accs in facets.values():
            for kind in accs:
                half_lives.of(kind)  # raises on an unknown event kind
        return cls(half_lives, facets)

    def to_json(self) -> str:
        """JSON text of to_dict()."""
        return json.dumps(self.to_dict(), allow_nan=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> InterestProfile:
        """Inverse of to_json()."""
        return cls.from_dict(json.loads(text))


STATEMENT = 0.5  # a signal this strong states a preference; a weaker one leans (a light mood's push away, -0.4)


def dropped_facets(profile: InterestProfile, signals: list[Signal], now: float,
                   taken_back: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Facets a new statement reverses ("I love horror" then "no horror" means no horror now) or takes back
    ("forget that I said I love Titanic": no Titanic, and no dislike of it). A soft lean ("nothing too violent"
    against thrillers, under STATEMENT) lowers the interest without reversing it."""
    return [f for f in taken_back if f in profile] + [
        s.facet for s in signals
        if s.event == "said" and abs(s.strength) >= STATEMENT and profile.weight(s.facet, now) * s.strength < 0]


def outweighed(profile: InterestProfile, signal: Signal, now: float) -> bool:
    """A passing mention of an item ("I saw X": +1) does not overturn a stronger judgement of it ("I hated X": -2)."""
    if signal.event != "said" or not signal.facet.startswith("item:"):
        return False  # "I love horror" then "no horror": a genre's last word wins
    weight = profile.weight(signal.facet, now)
    return weight * signal.strength < 0 and abs(signal.strength) < abs(weight)
