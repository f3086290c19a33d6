"""Signals from the user's words: rules always, an LLM's JSON when available, merged with rules winning conflicts."""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence

from chatbot.understanding.intents import ask_for_directors, is_vague, read_intents
from chatbot.understanding.kind_answers import read_kind_answer
from chatbot.understanding.llm_signals import ChatModel, LLMSignals, build_example, build_messages, llm_extract
from chatbot.understanding.rules import RuleExtractor
from chatbot.understanding.running_time import running_time_ask
from chatbot.understanding.title_match import TitleMatch, TitleMatcher
from chatbot.types import Signal, TurnSignals
from chatbot.understanding.vocabulary import Vocabulary
from chatbot.understanding.which_one import meant_year
from retrieval.catalog import Catalog
from retrieval.credits import DIRECTOR_FIELDS
from retrieval.name_keys import name_key

__all__ = ["SignalExtractor", "merge"]

MAX_MESSAGE_CHARS = 4000  # about 0.1 s of rules on a 38k catalog; a chat message is far shorter
CAST_FIELDS = ("cast", "starring", "actors")  # fields a catalog may list its cast in, the lead first
WORKS_LIKED = 5  # "I've seen all of Nolan's": their best-known films stand for what the person likes in them
# "I've already seen Arrival and Interstellar, anything else?": more is asked for past the films seen
_ASKS_MORE = re.compile(r"\b(?:anything|something|what|any) (?:else|more)\b|\bany ?(?:thing)? others?\b"
                        r"|\b(?:other|more|any) (?:suggestions|recommendations|ideas|options)\b", re.I)


class SignalExtractor:
    """Turns one user message into TurnSignals grounded in the catalog; build once per catalog, reuse per turn."""

    def __init__(
        self,
        catalog: Catalog,
        vocabulary: Vocabulary | None = None,
        model: ChatModel | None = None,
        use_llm: bool = True,
        *,
        llm_timeout_s: float | None = 5.0,
        llm_max_new_tokens: int = 120,
        llm_inference: bool = False,
        titles: TitleMatcher | None = None,
    ) -> None:
        """Build grounding tables once (about 0.5 s for 3k items, 2-3 s for 38k), unless they are given.

        llm_inference: keep facets the model inferred but the user never said, at half strength; worth it only
        for a capable model (the 135M default echoes its prompt), so off by default.
        """
        self.catalog = catalog
        self.vocabulary = vocabulary or Vocabulary.from_catalog(catalog)
        self.titles = titles or TitleMatcher(catalog, self.vocabulary)
        self.rules = RuleExtractor(self.vocabulary, self.titles)
        self.model = model
        self.use_llm = use_llm
        self.llm_timeout_s = llm_timeout_s
        self.llm_max_new_tokens = llm_max_new_tokens
        self.llm_inference = llm_inference
        self.use_rules = True  # False only to measure what the model reads alone (eval-preferences)
        self.example = build_example(self.vocabulary, self.titles)

    def _names_in(self, item_id: str, fields: tuple[str, ...]) -> tuple[str, ...]:
        """The names in the first of these link fields the item has filled, in the catalog's order."""
        item = self.catalog.get(item_id)
        links = item.links() if item is not None else {}
        return next((links[name] for name in fields if links.get(name)), ())

    def _directors_of(self, item_id: str) -> tuple[str, ...]:
        """The item's directors: the catalog's own field, or the one read from its summary (retrieval/credits.py)."""
        return self._names_in(item_id, DIRECTOR_FIELDS)

    def _lead_of(self, item_id: str) -> tuple[str, ...]:
        """The item's first-billed name in its cast field, if it has one."""
        return self._names_in(item_id, CAST_FIELDS)[:1]

    def _kinds_in(self, question: str) -> tuple[list[str], bool]:
        """The facets a question names, and whether it names a film."""
        read = self.rules.extract(question)
        return [s.facet for s in read.signals], bool(read.mentioned_item_ids)

    def find_titles(self, text: str) -> list[TitleMatch]:
        """Catalog items named in the text, with spans (also useful to check an LLM reply)."""
        return self.titles.find(text)

    def prompt(self, text: str, previous: str | None = None) -> list[dict[str, str]]:
        """The exact messages the LLM gets for this text (and the last reply, `previous`)."""
        return build_messages(text, self.vocabulary, self.example, previous)

    def extract(self, text: str, last_shown: list[str] | None = None, previous: str | None = None,
                liked_before: Sequence[str] = ()) -> TurnSignals:
        """Signals, constraints and references from one message (`previous`: the last reply, for answers to
        "have you seen X?"; `liked_before`: the films liked last, for "that director"); never raises on model
        trouble."""
        text = text[:MAX_MESSAGE_CHARS] if isinstance(text, str) else ""
        rules = self.rules.extract(text, last_shown, previous) if self.use_rules else TurnSignals(source="llm")
        read_intents(text, rules)
        seen_in_full(rules, self.catalog)
        seen_and_more(rules, text)
        if rules.asks_why_shown or rules.asks_why_all or rules.asks_about_shown:  # "why that one?": no more like it
            rules.more_like_shown, rules.reject_shown = [], []
        rules.running_time = running_time_ask(text) or ""  # said back in the reply: no field can check it
        meant_year(text, rules, liked_before, self.titles)  # "I loved Crash" - "the 2004 one"
        ask_for_directors(text, rules, self._directors_of, liked_before, self._lead_of)
        if self.use_rules:
            read_kind_answer(text, previous, rules, self._kinds_in)  # "Do you like horror?" - "Yes"
        if not (self.use_llm and self.model is not None and text.strip()):
            return rules
        llm = llm_extract(self.model, text, self.vocabulary, self.titles, self.example,
                          max_new_tokens=self.llm_max_new_tokens, timeout_s=self.llm_timeout_s,
                          inference=self.llm_inference, previous=previous)
        return merge(rules, llm)


def seen_in_full(signals: TurnSignals, catalog: Catalog) -> None:
    """A person's films all seen ("I like Nolan but I've seen them all"): none is offered, and the best known are
    weak likes, so what is offered is like their films (their name's words alone found San Quentin for Tarantino)."""
    for facet in signals.seen_all_by:
        linked = catalog.attribute_links().get(name_key(facet.partition(":")[2]), {})
        works = dict.fromkeys(i for ids in linked.values() for i in ids)
        signals.seen_item_ids = list(dict.fromkeys([*signals.seen_item_ids, *works]))
        said = {s.facet for s in signals.signals}
        best = sorted(works, key=lambda i: -(catalog.by_id[i].popularity or 0))[:WORKS_LIKED]
        signals.signals += [Signal(f"item:{i}", 1.0) for i in best if f"item:{i}" not in said]


def seen_and_more(signals: TurnSignals, text: str) -> None:
    """Films named as seen and more asked for: each not judged is a weak like, so the picks are like them (stop 53:
    "I've already seen Arrival and Interstellar, anything else?" got the cold-start list)."""
    named = [i for i in signals.mentioned_item_ids if i in signals.seen_item_ids]  # not a series', a list's
    if named and not signals.seen_series and _ASKS_MORE.search(text):
        said = {s.facet for s in signals.signals}
        signals.signals += [Signal(f"item:{i}", 1.0) for i in named if f"item:{i}" not in said]
        signals.is_vague = False


def merge(rules: TurnSignals, llm: LLMSignals) -> TurnSignals:
    """Rule signals plus grounded LLM signals (a new object); on opposite polarity for a facet the rules win."""
    out = copy.deepcopy(rules)
    by_facet: dict[str, Signal] = {s.facet: s for s in out.signals}
    excluded = {f"genre:{g}" for g in out.constraints.exclude_genres}
    llm_used = False
    for signal in llm.signals:
        ruled = by_facet.get(signal.facet)
        if ruled is not None:
            agree = (ruled.strength > 0) == (signal.strength > 0)  # agreement: both sources stand behind it
            llm_used |= agree
            if agree:
                out.found_by[signal.facet] = "rules+model"
            continue
        if signal.strength > 0 and signal.facet in excluded or signal.facet in rules.taken_back:
            continue  # "no horror" from the rules beats an LLM "likes horror"; what was taken back stays so
        by_facet[signal.facet] = signal
        out.found_by[signal.facet] = "model"
        llm_used = True
        if signal.facet.startswith("item:") and (item_id := signal.facet[5:]) not in out.mentioned_item_ids:
            out.mentioned_item_ids.append(item_id)
    constraints = out.constraints
    if constraints.year_min is None and constraints.year_max is None and (llm.year_min or llm.year_max):
        constraints.year_min, constraints.year_max = llm.year_min, llm.year_max
        llm_used = True
    out.signals = list(by_facet.values())
    out.source = "llm+rules" if llm_used and not rules.is_vague else "llm" if llm_used else "rules"
    out.is_vague = is_vague(out)
    return out
