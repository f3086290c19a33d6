"""The session event log's content: event kinds, payload validation, and the replay that rebuilds a session."""

from __future__ import annotations

import copy
import json
import math
import re
from dataclasses import asdict, dataclass, field, fields, is_dataclass, replace
from typing import Any, Callable, Iterable

from chatbot.profile import EVENT_KINDS, HalfLives, InterestProfile
from chatbot.types import Constraints, ProfileFacet, Signal, facet_key

SESSION_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,128}")
FEEDBACK_STRENGTH = 2.0  # a click is stronger evidence than a passing mention (+1 "said")


def check_session_id(session_id: object) -> str:
    """Return the id if it is 1-128 chars of [A-Za-z0-9_-], else raise ValueError saying so."""
    if not isinstance(session_id, str) or not SESSION_ID_RE.fullmatch(session_id):
        raise ValueError(
            f"invalid session id {session_id!r}: use 1-128 characters of letters, digits, '_' or '-' (e.g. a uuid4 hex)"
        )
    return session_id


def feedback_signals(item_id: str, liked: bool) -> list[Signal]:
    """The profile signals a like/dislike click on an item stands for (the one place this mapping lives)."""
    if liked:
        return [Signal(facet_key("item", item_id), FEEDBACK_STRENGTH, "liked")]
    return [Signal(facet_key("item", item_id), -FEEDBACK_STRENGTH, "disliked")]


def signal_from_dict(data: Any) -> Signal:
    """Signal from its stored form {facet, strength, event}; raises ValueError on anything else."""
    if not isinstance(data, dict) or not isinstance(data.get("facet"), str) or not data["facet"]:
        raise ValueError(f"a signal must be {{'facet': str, 'strength': float, 'event': str}}, got {data!r}")
    strength, event = data.get("strength"), data.get("event", "said")
    if isinstance(strength, bool) or not isinstance(strength, (int, float)) or not math.isfinite(strength):
        raise ValueError(f"signal strength must be a finite number, got {strength!r} in {data!r}")
    if event not in EVENT_KINDS:
        raise ValueError(f"signal event must be one of {EVENT_KINDS}, got {event!r} in {data!r}")
    return Signal(data["facet"], float(strength), event)


def constraints_from_dict(data: Any) -> Constraints:
    """Constraints from their stored form (asdict(Constraints)); unknown keys are an error."""
    known = {f.name for f in fields(Constraints)}
    if not isinstance(data, dict) or set(data) - known:
        raise ValueError(f"constraints must be a dict with keys from {sorted(known)}, got {data!r}")
    return Constraints(**copy.deepcopy(data))


@dataclass(frozen=True)
class Event:
    """One row of the log."""

    seq: int
    session_id: str
    ts: float
    kind: str
    payload: dict[str, Any]


@dataclass
class SessionState:
    """Everything a turn needs about a session, rebuilt from its events (a fresh copy per call)."""

    session_id: str
    dialogue: list[dict[str, str]] = field(default_factory=list)  # [{"role", "content"}], Gradio's format
    profile: InterestProfile = field(default_factory=InterestProfile)
    shown: list[str] = field(default_factory=list)  # every item ever shown, first-shown order, no repeats
    last_shown: list[str] = field(default_factory=list)  # the latest list, for "the second one"
    liked: list[str] = field(default_factory=list)
    disliked: list[str] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)  # items the person said they have already seen
    constraints: Constraints = field(default_factory=Constraints)
    last_seq: int = 0  # seq of the newest event replayed (0: none)
    user_turns: int = 0  # user messages so far
    origins: dict[str, dict[str, Any]] = field(default_factory=dict)  # facet -> {"turn", "found_by"}

    def last_reply(self) -> str | None:
        """The assistant's message just before this turn, if the dialogue so far ends with one."""
        if self.dialogue and self.dialogue[-1].get("role") == "assistant":
            return self.dialogue[-1].get("content")
        return None


def note_origins(origins: dict[str, dict[str, Any]], turn: int, facets: Iterable[str],
                 found_by: dict[str, str] | None = None) -> None:
    """Record which user turn last set each facet and what found it (absent from found_by: the rules)."""
    for facet in facets:
        origins[facet] = {"turn": turn, "found_by": (found_by or {}).get(facet, "rules")}


def with_origins(facets: list[ProfileFacet], origins: dict[str, dict[str, Any]]) -> list[ProfileFacet]:
    """Profile facets annotated with the turn and the source that put them there."""
    return [replace(f, turn=origins[f.facet]["turn"], found_by=origins[f.facet]["found_by"])
            if f.facet in origins else f for f in facets]


# --- payload validation: bad payloads fail at append(), not later at every replay -------------------------------


def _need(payload: dict[str, Any], key: str, kind: type, event_kind: str, nonempty: bool = False) -> None:
    value = payload.get(key)
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)) or (nonempty and not value):
        what = f"a non-empty {kind.__name__}" if nonempty else f"of type {kind.__name__}"
        raise ValueError(f"{event_kind!r} payload needs {key!r} {what}, got {value!r}")


def _need_ids(payload: dict[str, Any], key: str, event_kind: str) -> None:
    value = payload.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError(f"{event_kind!r} payload needs {key!r} as a list of item id strings, got {value!r}")


def _check_signals(p: dict[str, Any]) -> None:
    if not isinstance(p.get("signals"), list):
        raise ValueError(f"'signals' payload needs 'signals' as a list, got {p.get('signals')!r}")
    for s in p["signals"]:
        signal_from_dict(s)
    if "constraints" in p:
        constraints_from_dict(p["constraints"])
    p.setdefault("seen_item_ids", [])
    _need_ids(p, "seen_item_ids", "signals")
    keep = p.get("keep", {})
    if not isinstance(keep, dict) or not all(
            k in EVENT_KINDS and isinstance(v, (int, float)) and 0 <= v <= 1 for k, v in keep.items()):
        raise ValueError(f"'signals' payload 'keep' must map event kinds to shares in [0, 1], got {keep!r}")
    found_by = p.get("found_by", {})
    if not isinstance(found_by, dict) or not all(isinstance(v, str) for v in found_by.values()):
        raise ValueError(f"'signals' payload needs 'found_by' as {{facet: source}}, got {found_by!r}")


def _check_assistant(p: dict[str, Any]) -> None:
    _need(p, "text", str, "assistant_message")
    p.setdefault("item_ids", [])
    _need_ids(p, "item_ids", "assistant_message")


def _check_feedback(p: dict[str, Any]) -> None:
    _need(p, "item_id", str, "feedback", nonempty=True)
    _need(p, "liked", bool, "feedback")


CHECKS: dict[str, Callable[[dict[str, Any]], object]] = {  # raise ValueError on a bad payload
    "user_message": lambda p: _need(p, "text", str, "user_message"),
    "assistant_message": _check_assistant,
    "signals": _check_signals,
    "shown": lambda p: _need_ids(p, "item_ids", "shown"),
    "feedback": _check_feedback,
    "facet_removed": lambda p: _need(p, "facet", str, "facet_removed", nonempty=True),
    "constraints": constraints_from_dict,
}


def _jsonable(value: Any) -> Any:
    # Lets callers pass Signal / Constraints objects straight in; they are stored as plain dicts.
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def check_ts(ts: object, name: str = "ts") -> float:
    if isinstance(ts, bool) or not isinstance(ts, (int, float)) or not math.isfinite(ts):
        raise ValueError(f"{name} must be finite epoch seconds (float), got {ts!r}")
    return float(ts)


def payload_text(kind: str, payload: dict[str, Any]) -> str:
    """The stored JSON of a validated payload; ValueError saying what is wrong otherwise."""
    if kind not in CHECKS:
        raise ValueError(f"unknown event kind {kind!r}; use one of {sorted(CHECKS)}")
    payload = _jsonable(payload)
    if not isinstance(payload, dict):
        raise ValueError(f"{kind!r} payload must be a dict, got {type(payload).__name__}")
    CHECKS[kind](payload)
    return json.dumps(payload, ensure_ascii=False, allow_nan=False)


# --- replay -----------------------------------------------------------------------------------------------------


def _add_unique(items: list[str], new: Iterable[str]) -> None:
    seen = set(items)
    for item in new:
        if item not in seen:
            items.append(item)
            seen.add(item)


def replay(session_id: str, events: Iterable[Event], half_lives: HalfLives) -> SessionState:
    """Fold events (in log order) into a SessionState; signals apply at their own timestamps."""
    st = SessionState(session_id, profile=InterestProfile(half_lives))
    for ev in events:
        p = ev.payload
        if ev.kind == "user_message":
            st.dialogue.append({"role": "user", "content": p["text"]})
            st.user_turns += 1
        elif ev.kind == "assistant_message":
            st.dialogue.append({"role": "assistant", "content": p["text"]})
        elif ev.kind == "signals":
            if p.get("keep"):  # turn recency and changes of mind, decided when the turn was taken
                st.profile = st.profile.kept(p["keep"], ev.ts)
            st.profile = st.profile.apply([signal_from_dict(s) for s in p["signals"]], ev.ts)
            note_origins(st.origins, st.user_turns, [s["facet"] for s in p["signals"]], p.get("found_by"))
            _add_unique(st.seen, p.get("seen_item_ids", []))
            # An empty per-turn extraction means "no new constraints", not "clear them"; clearing is a
            # "constraints" event, or a turn that let every filter go ("cleared": "I loved The Godfather").
            said = constraints_from_dict(p.get("constraints") or {})
            if not said.is_empty() or p.get("cleared") is True:
                st.constraints = said
        elif ev.kind == "constraints":
            st.constraints = constraints_from_dict(p)
        elif ev.kind == "shown":
            _add_unique(st.shown, p["item_ids"])
            st.last_shown = list(p["item_ids"])
        elif ev.kind == "feedback":
            item, liked = p["item_id"], p["liked"]
            st.profile = st.profile.apply(feedback_signals(item, liked), ev.ts)
            note_origins(st.origins, st.user_turns, [facet_key("item", item)], {facet_key("item", item): "feedback"})
            st.liked = [i for i in st.liked if i != item]
            st.disliked = [i for i in st.disliked if i != item]
            (st.liked if liked else st.disliked).append(item)
        elif ev.kind == "facet_removed":
            st.profile = st.profile.remove(p["facet"])
            st.origins.pop(p["facet"], None)
            # Removing "item:X" also takes back the like/dislike of X, so X is neither boosted nor hidden.
            kind, _, value = p["facet"].partition(":")
            if kind == "item":
                st.liked = [i for i in st.liked if i != value]
                st.disliked = [i for i in st.disliked if i != value]
        st.last_seq = ev.seq
    return st

