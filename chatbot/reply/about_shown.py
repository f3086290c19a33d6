"""Answers to questions about the picks just shown, not new asks: "which one is the best?", "what's it about?"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from chatbot.reply.lead_in_facts import listed, said_as
from chatbot.reply.reasons import ReasonContext, explain_answer, rating_of
from chatbot.reply.writer import reasons_said
from chatbot.types import Explanation
from chatbot.understanding.intents import LENGTH_ASKED
from retrieval.catalog import Catalog
from retrieval.rank import Scored


@dataclass
class ShownAnswer:
    """The picks an answer about the last list shows again, their reasons, and the sentence that answers."""

    scored: list[Scored]
    explained: list[list[Explanation]]
    sentence: str


def best_of_shown(shown: list[str], catalog: Catalog, regard: Callable[[str], float],
                  by_age: int = 0) -> ShownAnswer:
    """The last list again, best regarded first (regard: an item id -> its shrunk rating), and a sentence naming
    the best one with its standing: "Of those, Fight Club (1999) is the best regarded (well rated: 8.4/10 ...).";
    with no rating to tell them apart, the first one shown. by_age 1 or -1: newest or oldest first instead;
    LENGTH_ASKED: the list as it was (no catalog field says how long a film runs; the reply says so)."""
    if by_age == LENGTH_ASKED:
        scored = [Scored(i, 0.0, {}) for i in shown if catalog.get(i)]
        return ShownAnswer(scored, explain_answer(scored, catalog, ReasonContext()), "Here they are again.")
    if by_age:
        return _by_age(shown, catalog, by_age)
    order = sorted((i for i in shown if catalog.get(i)), key=lambda i: -regard(i))
    scored = [Scored(i, round(regard(i), 4), {}) for i in order]
    explained = explain_answer(scored, catalog, ReasonContext())
    best = catalog.by_id[order[0]]
    standing = next((e.text for e in explained[0] if e.kind == "standing"), "")
    if not standing or regard(best.id) <= 0:  # nothing says how well regarded they are: no claim of the best
        return ShownAnswer(scored, explained, f"Of those, I would start with {best.label}.")
    # The rating shrunk by its votes decides, but a pick shown with a higher mean would belie "the best regarded"
    # (Casino, 8.0 from 4,582 votes, "best regarded" above Some Like It Hot, 8.1 from 2,764).
    if any((rating_of(catalog.by_id[i]) or 0.0) > (rating_of(best) or 0.0) for i in order[1:]):
        return ShownAnswer(scored, explained, f"Of those, I would start with {best.label} ({standing}).")
    return ShownAnswer(scored, explained, f"Of those, {best.label} is the best regarded ({standing}).")


def _by_age(shown: list[str], catalog: Catalog, by_age: int) -> ShownAnswer:
    """The last list again, newest first (by_age 1) or oldest first (-1), and a sentence naming the first of them
    and any of its year: "Of those, Cruella (2021) is the newest."; with no year known, the first one shown."""
    dated = [catalog.by_id[i] for i in shown if catalog.get(i)]
    order = sorted(dated, key=lambda item: -by_age * item.year if item.year else float("inf"))
    scored = [Scored(item.id, 0.0, {}) for item in order]
    explained = explain_answer(scored, catalog, ReasonContext())
    if not order[0].year:
        return ShownAnswer(scored, explained, f"I don't know when those came out; {order[0].label} was the first.")
    first = [item.label for item in order if item.year == order[0].year]
    which = "newest" if by_age > 0 else "oldest"
    verb = "is" if len(first) == 1 else "are"
    return ShownAnswer(scored, explained, f"Of those, {listed(first)} {verb} the {which}.")


def why_shown(shown: list[str], position: int, catalog: Catalog, reply: str | None) -> ShownAnswer:
    """One pick of the last list and why it was one: the reasons the last reply gave it (reply: that reply's text),
    or its reasons now if that reply is not at hand."""
    number = _number(shown, position)
    item = catalog.by_id[shown[number - 1]]
    scored = [Scored(item.id, 0.0, {})]
    explained = explain_answer(scored, catalog, ReasonContext())
    said = (reasons_said(reply, number) if reply else None) or "; ".join(e.text for e in explained[0])
    return ShownAnswer(scored, explained, f"I suggested {item.label} for this: {said}.")


def why_these(shown: list[str], catalog: Catalog, interests: list[str], aversions: list[str]) -> ShownAnswer:
    """The last list again and what it was picked for ("why?", "what do you know about me?"): the interests and
    aversions the person gave (profile labels, strongest first), or, with none yet, that they are popular picks."""
    scored = [Scored(i, 0.0, {}) for i in shown if catalog.get(i)]
    explained = explain_answer(scored, catalog, ReasonContext())
    if not interests:
        return ShownAnswer(scored, explained, "You haven't told me what you like yet, so these are popular and "
                                              "varied picks; name a film you loved and I'll pick for it.")
    liked, avoided = listed([said_as(i) for i in interests[:3]]), listed([said_as(a) for a in aversions[:2]])
    avoiding = f", and to keep away from {avoided}" if aversions else ""
    return ShownAnswer(scored, explained, f"So far you've told me about {liked}{avoiding}; these picks are for that.")


def about_shown(shown: list[str], position: int, catalog: Catalog) -> ShownAnswer:
    """One pick of the last list (1-based position; past the end, the last): its kinds, who made it and who is in
    it, and what it is about, from its plot: "Heat (1995), crime and thriller, directed by Michael Mann, with Al
    Pacino and Robert De Niro: ..."."""
    item = catalog.by_id[shown[_number(shown, position) - 1]]
    scored = [Scored(item.id, 0.0, {})]
    links = item.links()
    facts = [listed(list(item.facets[:3])),
             *(f"{verb} {listed(list(links[field][:n]))}" for field, verb, n in _CREDITS if links.get(field))]
    story = " ".join((item.plot or item.description).split())
    return ShownAnswer(scored, explain_answer(scored, catalog, ReasonContext()),
                       ", ".join([item.label, *(f for f in facts if f)]) + f": {story}")


_CREDITS = (("director", "directed by", 2), ("directors", "directed by", 2), ("cast", "with", 3))


def _number(shown: list[str], position: int) -> int:
    """The 1-based number in the last list of the pick at `position` (-1 or past the end: the last)."""
    return len(shown) if position < 0 else min(position, len(shown))
