"""One entry point for every surface: a turn updates the profile, ranks items, and streams a grounded reply."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from chatbot.reply.about_shown import about_shown, best_of_shown, why_shown, why_these
from chatbot.reply.reasons import context_for, explain_answer, explore_reason
from chatbot.profile import HalfLives, InterestProfile, dropped_facets, outweighed
from chatbot.reply.writer import ReplyWriter
from chatbot.sessions import SessionState, SessionStore, check_session_id, note_origins, with_origins
from chatbot.standing_filters import merge_constraints, shown_year
from chatbot.understanding.genre_twins import shown_once, twins
from chatbot.understanding.intents import says_only_seen, settled_on, still_acclaimed
from chatbot.understanding.script_check import unreadable_reply, unreadable_script
from chatbot.understanding.search_text import conversation_text, turn_search_text
from chatbot.understanding.signals import SignalExtractor
from chatbot.types import Constraints, Explanation, ProfileFacet, Recommendation, Signal, TurnResult, TurnSignals
from retrieval.catalog import Catalog, Item
from retrieval.explore import Explorer, turn_rng
from retrieval.rank import Ranker, RankRequest, Scored

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 2000
TURN_STRENGTH, LIST_PASSED = 2.0, 0.25  # "more like the second one" counts like naming a liked item; see below
CLARIFY_ITEMS = 4
# A film a reply offered (one of a few it named) that the person says they have seen, judged no further, is one they
# liked: 235 of 244 such answers in ReDial's train half (preferences_dev.jsonl), as for a film named as seen.
OFFERED_FEW, SEEN_OFFERED = 3, 1.0
LIKED_LATELY = 0.75  # an item liked (2.0) keeps this much four turns, one named (1.0) the next: "newer" than it
MIN_KNOWN_OF_KIND = 5  # best-known items of a genre enough for their years to say what an old one of it is
PURGE_EVERY_S = 3600.0  # how often a long-running server looks for sessions past their retention


class InputError(ValueError):
    """The request cannot be served as sent; the message says what to change."""


def clean_text(text: object) -> str:
    """Validate a user message: text, at most MAX_MESSAGE_CHARS, control characters removed."""
    if not isinstance(text, str):
        raise InputError(f"message must be text, got {type(text).__name__}")
    if len(text) > MAX_MESSAGE_CHARS:
        raise InputError(f"message is {len(text):,} characters; keep it under {MAX_MESSAGE_CHARS:,}")
    return "".join(ch for ch in text if ch.isprintable() or ch in "\n\t").strip()


def check_facet(facet: object) -> str:
    """Validate a facet key to remove: printable text like 'genre:horror' (kind, colon, value)."""
    if not isinstance(facet, str) or not facet.isprintable():
        raise InputError(f"facet must be printable text like 'genre:horror', got {facet!r}")
    kind, colon, value = facet.partition(":")
    if not (kind.strip() and colon and value.strip()):
        raise InputError(f"facet must look like 'genre:horror', got {facet!r}")
    return facet


@dataclass
class Plan:
    """What a turn decided before writing the reply."""

    signals: list[Signal]
    constraints: Constraints
    items: list[Recommendation]
    clarifying: bool
    answer: str = ""  # what a question about the picks shown is answered with ("Of those, X is the best regarded")


class Engine:
    """Signals -> profile -> retrieval -> ranking -> reasons -> reply, with state in the session store."""

    def __init__(
        self,
        catalog: Catalog,
        extractor: SignalExtractor,
        ranker: Ranker,
        writer: ReplyWriter,
        sessions: SessionStore,
        half_lives: HalfLives = HalfLives(),
        top_k: int = 5,
        candidates: int = 200,
        clock: Callable[[], float] = time.time,
        retention_s: float | None = None,
        turn_keep: float = 1.0,
        shift_keep: float = 1.0,
        explorer: Explorer | None = None,
    ) -> None:
        self.catalog = catalog
        self.extractor = extractor
        self.ranker = ranker
        self.writer = writer
        self.sessions = sessions
        self.half_lives = half_lives
        self.top_k = top_k
        self.candidates = candidates
        self.clock = clock
        self.retention_s = retention_s  # None: sessions are kept until forgotten
        self.turn_keep = turn_keep  # share of earlier said interests kept at each user turn
        self.shift_keep = shift_keep  # share of earlier interests kept when the person changes direction
        self.explorer = explorer  # None: every pick exploits what is known
        self._next_purge = 0.0
        self._known_eras: dict[tuple[str, ...], tuple[int, int] | tuple[None, None]] = {}

    def purge_expired(self) -> int:
        """Delete sessions idle for longer than the retention period; returns how many (0 when retention is off)."""
        if not self.retention_s:
            return 0
        now = self.clock()
        self._next_purge = now + PURGE_EVERY_S
        return self.sessions.purge_idle(now - self.retention_s)

    # --- the turn --------------------------------------------------------------------------------------
    def turn(self, session_id: str, text: str, k: int | None = None) -> TurnResult:
        """Handle one user message; the reply streams from TurnResult.stream and is logged when it ends."""
        session_id = check_session_id(session_id)
        text = clean_text(text)
        if not text:
            raise InputError("message has no visible text once control characters are removed; send some words")
        now = self.clock()
        if self.retention_s and now >= self._next_purge:
            self.purge_expired()  # hourly at most, so expired sessions go even if the server never restarts
        state = self.sessions.state(session_id, now, self.half_lives)
        if script := unreadable_script(text):
            return self._unreadable(session_id, text, script, state, now)
        extracted = self._read(state, text, now)
        if extracted.seen_series:  # "I've seen all the Avengers movies": none of them again, this turn or later
            series = [o for i in extracted.mentioned_item_ids for o in self.ranker.vectors.series_of(i)]
            extracted.seen_item_ids += [o for o in dict.fromkeys(series) if o not in extracted.seen_item_ids]
        plan = self.plan(state, extracted, text, now, k)
        shown = ("shown", {"item_ids": [r.item_id for r in plan.items]})
        # One transaction: after a crash the log holds the whole turn or none of it.
        self.sessions.append_many(
            session_id, [*self._user_events(plan.signals, plan.constraints, extracted, text, now, state), shown], now
        )
        origins = dict(state.origins)
        for facet in dropped_facets(state.profile, plan.signals, now, extracted.taken_back):
            origins.pop(facet, None)
        note_origins(origins, state.user_turns + 1, [s.facet for s in plan.signals], extracted.found_by)
        profile = self._profile_after(state.profile, plan.signals, now, self._keep(state.profile, extracted),
                                      extracted.taken_back)
        interests, aversions = self._summary(profile, now)
        chunks = self.writer.stream(text, plan.items, interests, aversions, clarifying=plan.clarifying,
                                    unknown=extracted.unknown_names, answer=plan.answer,
                                    running_time=extracted.running_time)
        return TurnResult(
            session_id=session_id,
            stream=self._logged(session_id, chunks, plan.items),
            items=plan.items,
            profile=self.profile_view(profile, now, origins=origins),
            clarifying=plan.clarifying,
        )

    def _read(self, state: SessionState, text: str, now: float) -> TurnSignals:
        """One message read against the session: the list shown, the last reply, the films liked last."""
        items = {f[5:]: w for f, w in state.profile.positives(now, min_abs=1.0).items() if f.startswith("item:")}
        top = max(items.values(), default=0.0)
        latest = [i for i, w in items.items() if w >= top - 0.01]  # "I liked Get Out and Us": both, said together
        return self.extractor.extract(text, last_shown=state.last_shown, previous=state.last_reply(),
                                      liked_before=latest)

    def _unreadable(self, session_id: str, text: str, script: str, state: SessionState, now: float) -> TurnResult:
        """A message in a script the models cannot read: say so, learn nothing, show nothing."""
        reply = unreadable_reply(script)
        self.sessions.append_many(session_id, [("user_message", {"text": text}),
                                               ("assistant_message", {"text": reply, "item_ids": []})], now)
        return TurnResult(session_id=session_id, stream=iter([reply]), items=[],
                          profile=self.profile_view(state.profile, now, origins=state.origins))

    def _user_events(self, signals: list[Signal], constraints: Constraints, extracted: TurnSignals, text: str,
                     now: float, before: SessionState) -> list[tuple[str, dict[str, Any]]]:
        """The log events of one user message: the text, reversed facets, then the signals."""
        events: list[tuple[str, dict[str, Any]]] = [("user_message", {"text": text})]
        events += [("facet_removed", {"facet": f})
                   for f in dropped_facets(before.profile, signals, now, extracted.taken_back)]
        events.append(("signals", {
            "signals": signals, "constraints": constraints, "seen_item_ids": extracted.all_seen(),
            "cleared": constraints.is_empty() and not before.constraints.is_empty(),  # a filter let go stays gone
            "found_by": {s.facet: extracted.found_by[s.facet] for s in signals if s.facet in extracted.found_by},
            "keep": self._keep(before.profile, extracted),
        }))
        return events

    def _keep(self, profile: InterestProfile, extracted: TurnSignals) -> dict[str, float]:
        """How much of each earlier interest this turn keeps: turn recency, and far less on a change of mind."""
        if not profile.facets:
            return {}
        if extracted.shift:  # "let's start over": nothing liked before is kept
            return dict.fromkeys(("said", "liked", "viewed"), 0.0 if extracted.starts_over else self.shift_keep)
        return {"said": self.turn_keep} if self.turn_keep < 1.0 else {}

    def observe(self, session_id: str, role: str, text: str) -> None:
        """Record an earlier message without answering it (import a conversation, replay a dialogue).

        A user message updates the profile exactly as in turn(); items an assistant named count as shown.
        """
        session_id = check_session_id(session_id)
        text = clean_text(text)
        now = self.clock()
        state = self.sessions.state(session_id, now, self.half_lives)
        if role == "user" and unreadable_script(text):
            self.sessions.append(session_id, "user_message", {"text": text}, now)  # read nothing into it
        elif role == "user":
            extracted = self._read(state, text, now)
            constraints = self._constraints(state, extracted, now)
            signals = self._reference_signals(state, extracted, now)
            self.sessions.append_many(
                session_id, self._user_events(signals, constraints, extracted, text, now, state), now
            )
        elif role == "assistant":
            named = list(dict.fromkeys(m.item_id for m in self.extractor.find_titles(text)))
            self.sessions.append(session_id, "assistant_message", {"text": text, "item_ids": named}, now)
            if named:  # the films offered shown last: "I loved it!" after "not like Taken, but Room was good" is Room
                talked = [i for i in named if f"item:{i}" in state.profile.facets]
                offered = [i for i in named if i not in talked]
                lists = [talked, offered] if talked and offered else [named]
                self.sessions.append_many(session_id, [("shown", {"item_ids": ids}) for ids in lists], now)
        else:
            raise InputError(f"role must be 'user' or 'assistant', got {role!r}")

    def _logged(self, session_id: str, chunks: Iterator[str], items: list[Recommendation]) -> Iterator[str]:
        """Pass chunks through and record the assistant's full reply once streaming ends (or is abandoned)."""
        said: list[str] = []
        try:
            for chunk in chunks:
                said.append(chunk)
                yield chunk
        finally:
            self.sessions.append(session_id, "assistant_message",
                                 {"text": "".join(said), "item_ids": [r.item_id for r in items]}, self.clock())

    def _chosen(self, state: SessionState, extracted: TurnSignals, text: str) -> str:
        """The label of the one pick of the last list the person settles on (intents.settled_on), else ""."""
        item = self.catalog.get(settled_on(state.last_shown, extracted, text) or "")
        return item.label if item else ""

    def plan(self, state: SessionState, extracted: TurnSignals, text: str, now: float, k: int | None = None) -> Plan:
        """Decide signals, constraints and items for a turn; pure apart from ranking (no writes).

        k: items wanted; by default top_k, or a few with a clarifying question when nothing is known yet.
        """
        signals = self._reference_signals(state, extracted, now)
        constraints = self._constraints(state, extracted, now)
        profile = self._profile_after(state.profile, signals, now, self._keep(state.profile, extracted),
                                      extracted.taken_back)
        # "thanks, bye!", "I'll watch the first one, thanks!": a goodbye, not an ask for more
        chosen = self._chosen(state, extracted, text)
        if extracted.says_goodbye and (extracted.is_vague or chosen):
            return Plan(signals, constraints, [], False, self.writer.goodbye(bool(state.last_shown), chosen))
        clarifying = (extracted.is_vague or says_only_seen(extracted)) and not profile.positives(now)  # "seen X"
        wanted = k or extracted.asked_count or (CLARIFY_ITEMS if clarifying else self.top_k)
        earlier = [m["content"] for m in reversed(state.dialogue) if m["role"] == "user"]  # newest first
        exploring = (self.explorer is not None and not clarifying  # a clarifying answer is varied already
                     and self.explorer.wants_to_explore(turn_rng(state.session_id, state.user_turns)))
        request = RankRequest(
            positives=profile.positives(now),
            negatives=profile.negatives(now),
            turn_text=turn_search_text(text, extracted, self.catalog),
            conversation_text=conversation_text([text, *earlier]),
            constraints=constraints,
            exclude_ids=set(state.shown) | set(state.disliked) | set(state.seen) | set(extracted.all_seen()),
            k=wanted + (self.explorer.pool if exploring and self.explorer else 0),
            candidates=self.candidates,
            acclaimed=extracted.wants_acclaimed or still_acclaimed(extracted, earlier),
            hidden=extracted.wants_hidden, best_of_all=extracted.wants_acclaimed and not clarifying,
            whole_series=extracted.wants_series,
            other_series=extracted.avoids_series,
        )
        scored = self.ranker.rank(request)
        explored = None
        if exploring and self.explorer:
            scored, explored = self.explorer.choose(scored, wanted, self._tried(state, profile, now))
        # Reasons are chosen per answer, not per item, so that the items' reasons tell them apart.
        explained = explain_answer(scored, self.catalog, context_for(request, self.ranker.collaborative))
        if explored:
            item = self.catalog.by_id[scored[explored.position].item_id]
            explained[explored.position] = [explore_reason(item, explored.genre), *explained[explored.position][:2]]
        items = [self._recommendation(s, e, explore=explored is not None and i == explored.position)
                 for i, (s, e) in enumerate(zip(scored, explained))]
        plan = Plan(signals, constraints, items, clarifying)
        asks = (state.last_shown and not extracted.signals) or extracted.asks_about_item  # "who is in Heat?"
        return self._answered(plan, state, extracted) if asks else plan

    def _answered(self, plan: Plan, state: SessionState, extracted: TurnSignals) -> Plan:
        """"which one is the best?": the picks shown, best regarded first; "what's it about?", "why that one?": it;
        "who stars in Inception?": the film named."""
        asked = [extracted.asks_about_item] if extracted.asks_about_item else state.last_shown
        position = extracted.asks_about_shown or extracted.asks_why_shown
        if not (position or extracted.asks_best_of_shown or extracted.asks_why_all):
            return plan
        answer = (why_shown(state.last_shown, position, self.catalog, state.last_reply()) if extracted.asks_why_shown
                  else why_these(state.last_shown, self.catalog, *self._summary(state.profile, self.clock()))
                  if extracted.asks_why_all else about_shown(asked, position, self.catalog) if position
                  else best_of_shown(state.last_shown, self.catalog, self.ranker.vectors.regard,
                                     extracted.asks_age_of_shown))
        items = [self._recommendation(s, e) for s, e in zip(answer.scored, answer.explained)]
        if position:  # then what the turn would have shown: the conversation goes on
            items += [r for r in plan.items if r.item_id != items[0].item_id][:len(plan.items) - 1]
        return Plan(plan.signals, plan.constraints, items, False, answer.sentence)

    def _tried(self, state: SessionState, profile: InterestProfile, now: float) -> set[str]:
        """Genres and tags the conversation has touched: in the profile (either sign) or on an item shown."""
        tried = {f.split(":", 1)[1] for f in profile.weights(now) if f.startswith(("genre:", "tag:"))}
        for item_id in state.shown:
            if item := self.catalog.get(item_id):
                tried.update(item.facets)
        return tried

    @staticmethod
    def _reference_signals(state: SessionState, extracted: TurnSignals, now: float) -> list[Signal]:
        """The turn's own signals plus "the second one" / "not that one" resolved against the last list, less
        passing mentions that a stronger earlier judgement outweighs."""
        signals = list(extracted.signals)
        for positions, sign in ((extracted.more_like_shown, 1), (extracted.reject_shown, -1)):
            # "none of these" passes on a whole list, not on its kind (five dislikes turned from the liked film's kind)
            strength = sign * TURN_STRENGTH * (LIST_PASSED if sign < 0 and len(positions) > OFFERED_FEW else 1.0)
            for position in positions:
                if 0 < position <= len(state.last_shown):
                    signals.append(Signal(f"item:{state.last_shown[position - 1]}", strength, "said"))
        if len(state.last_shown) <= OFFERED_FEW:  # "Have you seen Zathura?" - "I have": seen, and so a weak like
            judged = {s.facet for s in signals}
            signals += [Signal(f"item:{i}", SEEN_OFFERED, "said") for i in extracted.all_seen()
                        if i in state.last_shown and f"item:{i}" not in judged]
        return [s for s in signals if not outweighed(state.profile, s, now)]

    def _years_liked_lately(self, state: SessionState, liked: list[Item], now: float) -> list[int]:
        """Years of the items liked this turn (`liked`) or in the last few (weight not yet faded below LIKED_LATELY)."""
        kept = [item for f in state.profile.positives(now, LIKED_LATELY) if f.startswith("item:")
                and (item := self.catalog.get(f[5:]))]
        return [y for item in {i.id: i for i in liked + kept}.values() if (y := item.year)]

    def _constraints(self, state: SessionState, extracted: TurnSignals, now: float) -> Constraints:
        """This turn's constraints on top of the session's; "older"/"newer" move relative to the last list and the films
        liked lately, unless the turn names its years ("something older, from the 80s" means the 80s)."""
        merged = merge_constraints(state.constraints, extracted.constraints)
        liked = [item for s in extracted.signals if s.facet.startswith("item:") and s.strength > 0
                 and (item := self.catalog.get(s.facet[5:]))]
        if merged.include_genres and not extracted.constraints.include_genres:
            kinds = {s.facet[6:] for s in extracted.signals if s.facet.startswith("genre:") and s.strength > 0}
            # What is wanted now lifts the filter: "a feel-good movie", then "I loved The Godfather" (not only
            # comedies); "horror please", then "a comedy instead" or "I like comedies" (no horror filter)
            if extracted.shift or kinds - set(merged.include_genres) or liked and not any(
                    {g.lower() for g in item.genres} & set(merged.include_genres) for item in liked):
                merged.include_genres = []
        if extracted.constraints.year_min is not None or extracted.constraints.year_max is not None or not (
                extracted.wants_older or extracted.wants_newer):
            return merged
        shown = [y for i in state.last_shown if (item := self.catalog.get(i)) and (y := item.year)]
        # The films liked count: after "I loved The Shawshank Redemption", "similar but more recent" answered
        # Reservoir Dogs (1992), newer than the middle of the list shown only
        again = state.constraints.relative_years == ("older" if extracted.wants_older else "newer")
        anchors = ([shown_year(shown, extracted.wants_older, again)] if shown else []) + self._years_liked_lately(
            state, liked, now)
        # with neither, the best-known films' eras ("a classic noir": old for known noir)
        older, newer = (min(anchors), max(anchors)) if anchors else self.known_eras(tuple(merged.include_genres))
        if older is not None and extracted.wants_older:
            merged.year_max, merged.year_min, merged.relative_years = older - 1, None, "older"
        if newer is not None and extracted.wants_newer:
            merged.year_min, merged.year_max, merged.relative_years = newer + 1, None, "newer"
        return merged

    def known_eras(self, genres: tuple[str, ...] = ()) -> tuple[int, int] | tuple[None, None]:
        """Years a quarter of the best-known items, and of these genres', are older / newer than (noir: 1970s)."""
        if genres not in self._known_eras:
            known = [item for i in self.ranker.vectors.best_known if (item := self.catalog.get(i)) and item.year]
            of_kind = [item for item in known if set(genres) & set(item.facets)]
            eras = [(y[len(y) // 4], y[3 * len(y) // 4]) for y in (sorted(i.year for i in items) for items in
                    (known, of_kind if len(of_kind) >= MIN_KNOWN_OF_KIND else []) if items)]
            self._known_eras[genres] = (min(e[0] for e in eras), max(e[1] for e in eras)) if eras else (None, None)
        return self._known_eras[genres]

    @staticmethod
    def _profile_after(profile: InterestProfile, signals: list[Signal], now: float,
                       keep: dict[str, float] | None = None, taken_back: list[str] | None = None) -> InterestProfile:
        """The profile after a turn's signals (and facets taken back), exactly as the session log will replay it."""
        for facet in dropped_facets(profile, signals, now, taken_back or ()):
            profile = profile.remove(facet)
        if keep:
            profile = profile.kept(keep, now)
        return profile.apply(signals, now) if signals else profile

    def _recommendation(self, scored: Scored, explanations: list[Explanation], explore: bool = False) -> Recommendation:
        item = self.catalog.by_id[scored.item_id]
        return Recommendation(
            item_id=item.id, title=item.title, year=item.year, description=item.description,
            image_url=item.image_url, url=item.url, score=round(scored.score, 4),
            reasons=[e.text for e in explanations], explanations=explanations,
            long_tail=scored.popularity_pct < 0.35 and scored.parts.get("long_tail", 0) > 0, explore=explore,
        )

    # --- the profile, as the person sees and controls it ----------------------------------------------------
    def profile_view(self, profile: InterestProfile, now: float, n: int = 12,
                     origins: dict[str, dict[str, Any]] | None = None) -> list[ProfileFacet]:
        """Top facets with current weights, both polarities, each with the turn and source that set it."""
        label = self.catalog.get  # an item facet is named by its title and year
        view = profile.top(now, n=n, item_label=lambda i: it.label if (it := label(i)) else None)
        return with_origins(shown_once(view), origins or {})  # "animated" and "animation": one bar

    def _summary(self, profile: InterestProfile, now: float) -> tuple[list[str], list[str]]:
        view = self.profile_view(profile, now, n=8)
        return [f.label for f in view if f.weight > 0][:4], [f.label for f in view if f.weight < 0][:3]

    def profile(self, session_id: str) -> list[ProfileFacet]:
        """What the system currently believes about this session."""
        now = self.clock()
        state = self.sessions.state(check_session_id(session_id), now, self.half_lives)
        return self.profile_view(state.profile, now, origins=state.origins)

    def feedback(self, session_id: str, item_id: str, liked: bool) -> list[ProfileFacet]:
        """Record a like/dislike on an item; returns the updated profile."""
        session_id = check_session_id(session_id)
        if not isinstance(liked, bool):
            raise InputError("liked must be true or false")
        if not isinstance(item_id, str) or self.catalog.get(item_id) is None:
            raise InputError(f"unknown item id {item_id!r}; use an id from a recommendation")
        self.sessions.append(session_id, "feedback", {"item_id": item_id, "liked": liked}, self.clock())
        return self.profile(session_id)

    def remove_facet(self, session_id: str, facet: str) -> list[ProfileFacet]:
        """Forget one facet of the profile (the person disagrees with it)."""
        session_id = check_session_id(session_id)
        check_facet(facet)
        for each in (facet, *twins(facet)):  # "animated" goes with "animation": one genre, shown once
            self.sessions.append(session_id, "facet_removed", {"facet": each}, self.clock())
        return self.profile(session_id)

    def has_session(self, session_id: str) -> bool:
        """Whether anything is stored about this session (a fresh or forgotten one has nothing)."""
        return self.sessions.exists(check_session_id(session_id))

    def export(self, session_id: str) -> dict[str, Any]:
        """Everything stored about a session, as JSON-able data."""
        return self.sessions.export(check_session_id(session_id), self.clock(), self.half_lives)

    def forget(self, session_id: str) -> int:
        """Delete everything about a session; returns how many events were removed."""
        return self.sessions.forget(check_session_id(session_id))

    def history(self, session_id: str) -> list[dict[str, str]]:
        """The dialogue so far as role/content messages."""
        return self.sessions.state(check_session_id(session_id), self.clock(), self.half_lives).dialogue
