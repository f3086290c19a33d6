"""The reply around chosen items: an LLM lead-in (filtered, with a template fallback) plus one line per item."""

from __future__ import annotations

import logging
import re
import time
from functools import partial
from typing import Iterable, Iterator

import prompts
from chatbot.llm.base import ChatModel
from chatbot.reply.candidates import best, write_candidates
from chatbot.reply.lead_in_facts import FACT_REQUEST_CHARS, listed, pick_facts, prompt_interests, said_as, tidy
from chatbot.reply.output_guard import LeadInGuard, TitleGuard, norm, word_ngrams
from chatbot.reply.sense_guard import SenseGuard
from chatbot.understanding.title_match import TitleMatcher
from chatbot.types import Recommendation

log = logging.getLogger(__name__)

SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
WHOLE_SENTENCE = re.compile(r"[.!?:][\"”’)]*\s*$")  # a lead-in the model stopped in the middle of ("You're in for")
MIN_USEFUL_CHARS = 12
MAX_LEAD_IN_CHARS = 400
MAX_LEAD_IN_SENTENCES = 2  # the prompt asks for one or two; small models ramble on
LOOP_WORDS = 3  # a sentence opening like an earlier one means a small model is looping
EXAMPLE_PICKS = 3  # titles in each worked example of the prompt
# Markdown syntax in a catalog title or reason would render as a link, an image or emphasis; escaped, it reads as
# typed. ("<" and "&" are the renderer's to escape: a backslash before them would show up in the page.)
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]~])")
_ESCAPED = re.compile(r"\\" + MARKDOWN_SPECIAL.pattern)  # what escape_markdown wrote, to read it back
_EXPLORE_LABEL = " *(something different to try)*"  # after an exploring pick's title


def escape_markdown(text: str) -> str:
    """Text that markdown shows exactly as written."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def split_sentences(chunks: Iterable[str]) -> Iterator[str]:
    """Re-chunk streamed text into whole sentences (each with its trailing space) as soon as each ends."""
    buffer = ""
    for chunk in chunks:
        buffer += chunk
        while True:
            match = SENTENCE_END.search(buffer)
            if not match:
                break
            yield buffer[: match.end()]
            buffer = buffer[match.end() :]
    if buffer:
        yield buffer


def template_lead_in(items: list[Recommendation], interests: list[str], clarifying: bool) -> str:
    """The reply used when the model fails, stalls or says nothing useful."""
    if clarifying:
        return (
            "Tell me a title you loved, a genre, or a mood you're in, and I'll tailor my picks. "
            "Meanwhile, here are a few popular and varied ones:"
        )
    if not items:
        return "I couldn't find anything that fits all of that. Could you loosen a condition, like the years or genres?"
    if interests:
        return f"Based on what you told me ({', '.join(map(said_as, interests[:3]))}), here is what I'd suggest:"
    return "Here is what I'd suggest:"


def request_prompt(user_text: str, titles: list[str], interests: list[str], aversions: list[str]) -> str:
    """The user turn asking for a lead-in: what the person said, their interests, and the chosen titles."""
    return prompts.render("recommend", user_text=user_text[:500], titles=titles, interests=interests,
                          aversions=aversions)


def example_messages(matcher: TitleMatcher) -> list[dict[str, str]]:
    """Two worked request/answer pairs from the catalog's commonest facets and best-known titles (any domain)."""
    facets = [v for v, _ in (matcher.vocabulary.genres + matcher.vocabulary.tags).most_common(3)]
    if len(facets) < 3:
        return []  # a catalog without genres or tags: no examples rather than odd ones
    asks = [  # (what the person said, likes, avoids)
        (f"I'm in the mood for {facets[0]}", [facets[0]], []),
        (f"anything {facets[1]}, but no {facets[2]} please", [facets[1]], [facets[2]]),
    ]
    messages: list[dict[str, str]] = []
    for number, (said, likes, avoid) in enumerate(asks, 1):
        picks = matcher.example_titles(EXAMPLE_PICKS, lambda item: likes[0] in item.facets
                                       and not set(avoid) & set(item.facets))
        if len(picks) < EXAMPLE_PICKS:
            return []
        messages += [
            {"role": "user", "content": request_prompt(said, picks, likes, avoid)},
            {"role": "assistant", "content": prompts.render("recommend_example", number=number, likes=likes,
                                                            titles=picks)},
        ]
    return messages


def item_lines(items: list[Recommendation]) -> Iterator[str]:
    """One markdown line per chosen item with its reasons."""
    for number, item in enumerate(items, 1):
        year = f" ({item.year})" if item.year else ""
        reasons = "; ".join(_inline(reason) for reason in item.reasons)
        label = _EXPLORE_LABEL if item.explore else ""
        yield f"\n{number}. **{_inline(item.title)}**{year}{label}: {reasons}."


def reasons_said(reply: str, number: int) -> str | None:
    """The reasons item_lines gave the item at `number` (1-based) of a reply, as plain text; None if it has none."""
    line = re.search(rf"^{number}\. \*\*.+?\*\*(?: \(\d+\))?(?:{re.escape(_EXPLORE_LABEL)})?: (.+)\.$", reply, re.M)
    return _ESCAPED.sub(r"\1", line.group(1)) if line else None


def _quoted_names(names: list[str]) -> str:
    return listed([f"“{_inline(n)}”" for n in names[:3]])


def _inline(catalog_text: str) -> str:
    # One line, so a catalog field cannot start a heading, a list entry or a fake turn of its own.
    return escape_markdown(" ".join(catalog_text.split()))


class ReplyWriter:
    """Streams the reply: filtered LLM lead-in (or template), then the items with reasons."""

    def __init__(self, model: ChatModel | None, matcher: TitleMatcher, max_new_tokens: int = 80,
                 timeout_s: float = 20.0, item_kind: str = "film", candidates: int = 1,
                 temperature: float = 0.4, facts: bool = False) -> None:
        """candidates: lead-ins written in all when the greedy one is dropped whole (the others are sampled at
        temperature); 1 = the greedy one only. facts: the prompt a lead-in adapter was trained on (the first pick's
        facts, no worked examples; chatbot/reply/lead_in_facts.py) instead of the base model's."""
        self.model = model
        self.facts = facts
        self.candidates = candidates
        self.temperature = temperature
        self.item_kind = item_kind
        self.matcher = matcher
        self.max_new_tokens = max_new_tokens
        self.timeout_s = timeout_s
        self.system = "recommend_facts_system" if facts else "recommend_system"
        self.examples = [] if facts else example_messages(matcher)
        # The rules and the request's wording without data are what the model must never repeat (system prompt
        # leakage); echoing the worked examples' phrasing is the point of showing them.
        skeleton = [prompts.render(self.system, item_kind=self.item_kind), self._request("", [], [], [])]
        self.instructions = word_ngrams("\n".join(skeleton))

    def _request(self, user_text: str, items: list[Recommendation], interests: list[str],
                 aversions: list[str]) -> str:
        if not self.facts:
            return request_prompt(user_text, [i.title for i in items], interests, aversions)
        return prompts.render("recommend_facts", user_text=user_text[:FACT_REQUEST_CHARS],
                              interests=prompt_interests(interests), aversions=aversions,
                              facts=pick_facts(items, self.matcher.catalog))

    def messages(self, user_text: str, items: list[Recommendation], interests: list[str],
                 aversions: list[str]) -> list[dict[str, str]]:
        """The exact chat messages sent to the model: rules, worked examples, then this turn's request.

        Everything before the request is the same on every turn, so backends that keep the KV cache of a shared
        prompt prefix read only the request in (~60 tokens).
        """
        return [
            {"role": "system", "content": prompts.render(self.system, item_kind=self.item_kind)},
            *self.examples,
            {"role": "user", "content": self._request(user_text, items, interests, aversions)},
        ]

    def sense_guard(self, user_text: str, items: list[Recommendation], interests: list[str],
                    aversions: list[str]) -> SenseGuard:
        """The sense checks of this turn: the request, the interests and the picks' own genres and tags."""
        catalog = self.matcher.catalog
        picks = {" ".join(norm(r.title).split()): item.facets if (item := catalog.get(r.item_id)) else ()
                 for r in items}
        labels = [*self.matcher.vocabulary.genres, *self.matcher.vocabulary.tags]
        quotes = [e.quote or e.text for r in items for e in r.explanations if e.kind in ("plot", "premise")]
        return SenseGuard(user_text, interests, aversions, picks, labels, quotes)

    def lead_in_guard(self, items: list[Recommendation], interests: list[str], aversions: list[str],
                      sense: SenseGuard) -> LeadInGuard:
        """Every check of this turn's lead-in sentences. Besides the picks, it may name the items the person's
        interests name and those the picks' reasons name ("also with Al Pacino, like Heat"): all are in the prompt."""
        named = {e.other_id for r in items for e in r.explanations if e.other_id}
        named |= {m.item_id for label in interests for m in self.matcher.find(label)}
        titles = TitleGuard(self.matcher, items, [*interests, *aversions], also_ids=named)
        return LeadInGuard(titles, self.instructions, sense)

    def _model_lead_in(self, user_text: str, items: list[Recommendation], interests: list[str],
                       aversions: list[str]) -> Iterator[str]:
        if self.model is None or not items:
            return
        sense = self.sense_guard(user_text, items, interests, aversions)
        guard = self.lead_in_guard(items, interests, aversions, sense)
        messages = self.messages(user_text, items, interests, aversions)
        started = time.monotonic()
        said = False
        chunks = self.model.stream(messages, **self._stream_args())
        try:
            for sentence in self._kept(chunks, guard, sense):
                said = True
                yield sentence
        finally:
            if close := getattr(chunks, "close", None):
                close()  # stops the model and frees it (its lock or batch sequence) for the candidates below
        greedy_s = time.monotonic() - started
        left_s = self.timeout_s - greedy_s  # the whole lead-in keeps to one reply timeout
        # Extra candidates only from spare capacity: under load they would slow every other person's reply.
        if not said and self.candidates > 1 and left_s > 0 and self.model.spare_replies() >= self.candidates - 1:
            # The greedy lead-in lost everything to the guards: sample more, keep the likeliest that passes.
            keep = partial(self._kept, guard=guard, sense=sense, level=logging.DEBUG)
            chosen = best(write_candidates(self.model, messages, self.candidates - 1, keep,
                                           temperature=self.temperature, **self._stream_args(left_s)))
            log.info("lead-in: %d sampled candidates took %.3f s after the greedy one's %.3f s; %s",
                     self.candidates - 1, time.monotonic() - started - greedy_s, greedy_s,
                     "none passed" if chosen is None else f"candidate {chosen.index + 2} shown")
            if chosen is not None:
                yield from chosen.shown
        log.debug("lead-in took %.2f s", time.monotonic() - started)

    def _stream_args(self, timeout_s: float | None = None) -> dict[str, object]:
        return {"max_new_tokens": self.max_new_tokens, "stop": ["\n\n", "User:", "\n1."],
                "timeout_s": self.timeout_s if timeout_s is None else timeout_s}

    def _kept(self, chunks: Iterable[str], guard: LeadInGuard, sense: SenseGuard,
              level: int = logging.INFO) -> Iterator[str]:
        """The sentences of streamed model text that pass every check, as soon as each may be shown."""
        total, kept, openings = 0, 0, set()
        # A sentence naming no pick waits for one that does: a lead-in that never connects the request to a pick
        # by title is shown only when all it says is framing ("Here are some picks for you.").
        waiting: list[str] = []
        connected = False
        for sentence in split_sentences(chunks):
            opening = " ".join(norm(sentence).split()[:LOOP_WORDS])
            if opening in openings:
                break
            openings.add(opening)
            if problem := ("is cut off" if not WHOLE_SENTENCE.search(sentence)
                           else "starts mid-sentence" if sentence.lstrip()[:1].islower()
                           else guard.problem(sentence)):
                log.log(level, "dropped a lead-in sentence that %s", problem)
                continue
            total += len(sentence)
            if total > MAX_LEAD_IN_CHARS:
                break
            kept += 1
            waiting.append(tidy(sentence))
            if connected or sense.named_picks(sentence):
                connected = True
                yield from waiting
                waiting = []
            if kept >= MAX_LEAD_IN_SENTENCES:
                break
        if waiting and all(sense.is_framing(s) for s in waiting):
            yield from waiting
        elif waiting:
            log.log(level, "dropped a lead-in that names no pick")

    def unknown_note(self, names: list[str]) -> str:
        """"I don't know “Breaking Bad”: it is not among the films I can recommend from."."""
        it = "it is" if len(names) == 1 else "they are"
        return f"I don't know {_quoted_names(names)}: {it} not among the {self.item_kind}s I can recommend from."

    def goodbye(self, after_picks: bool, chosen: str = "") -> str:
        """What "thanks, bye!" is answered with: no new list, and how to come back for one; chosen: the pick the
        person settled on ("I'll watch the first one, thanks!")."""
        if chosen:
            return (f"Enjoy {chosen}! When you want more, tell me what you thought of it and I'll find more "
                    f"{self.item_kind}s from there.")
        if after_picks:
            return (f"Glad I could help, enjoy! When you want more, tell me what you thought of these and I'll find "
                    f"more {self.item_kind}s from there.")
        return f"Any time! Whenever you want a {self.item_kind}, tell me one you loved or what you're in the mood for."

    def running_time_note(self, asked: str) -> str:
        """"I can't tell how long films run, so these were not picked for “under 2 hours”."; asked as a question
        ("how long is Avatar?"), only the first half."""
        cannot = f"I can't tell how long {self.item_kind}s run"
        if asked.lower().startswith(("how long", "which")):  # a question: "which one is the longest?"
            return f"{cannot}."
        return f"{cannot}, so these were not picked for “{asked}”."

    def stream(self, user_text: str, items: list[Recommendation], interests: list[str],
               aversions: list[str], clarifying: bool = False, unknown: list[str] | None = None,
               answer: str = "", running_time: str = "") -> Iterator[str]:
        """Yield the whole reply in chunks; falls back to the template if the model gives nothing useful. unknown:
        names the person gave that the catalog lacks, said first so the picks are not taken for them; running_time:
        a length asked for, said to be unchecked. answer: the reply to a question about the picks shown ("which one
        is the best?"), said instead of a lead-in."""
        if unknown:
            yield self.unknown_note(unknown) + " "
        if running_time:
            yield self.running_time_note(running_time) + " "
        if answer:
            yield escape_markdown(" ".join(answer.split()))
            yield from item_lines(items)
            return
        said = ""
        if not clarifying:
            try:
                for sentence in self._model_lead_in(user_text, items, interests, aversions):
                    said += sentence
                    yield sentence
            except Exception as exc:  # noqa: BLE001 - any model failure falls back to the template reply
                # The type only, no traceback: a backend's message may quote the prompt, i.e. the conversation.
                log.warning("chat model failed (%s); using the template reply", type(exc).__name__)
        if len(said.strip()) < MIN_USEFUL_CHARS:
            yield ("" if not said else "\n") + template_lead_in(items, interests, clarifying)
        yield from item_lines(items)
