"""Which pick of the last list is the newest, the oldest or the longest: answered about that list, no new films."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("question, newest", [("which of these is the newest?", True),
                                              ("which one came out first?", False)])
def test_the_newest_of_the_picks_shown_is_named_and_the_list_kept(make_app, question: str, newest: bool) -> None:
    # Stop 53: "comedies" then "which of these is the newest?" gave a new list of newer comedies.
    engine = make_app().engine
    first = engine.turn("u1", "I like comedies")
    "".join(first.stream)
    asked = engine.turn("u1", question)
    reply = "".join(asked.stream)
    shown = {r.item_id: r.year for r in first.items}
    years = [r.year for r in asked.items]
    assert {r.item_id for r in asked.items} == set(shown)
    assert years == sorted(years, reverse=newest)
    top = [r for r in asked.items if r.year == years[0]]
    assert reply.startswith(f"Of those, {top[0].title} ({top[0].year})")
    assert ("the newest." if newest else "the oldest.") in reply


def test_the_longest_of_the_picks_shown_is_said_unknown_and_the_list_kept(make_app) -> None:
    # Stop 53: "which one is the longest?" gave a new list and said nothing of the question.
    engine = make_app().engine
    first = engine.turn("u2", "I like comedies")
    "".join(first.stream)
    asked = engine.turn("u2", "which one is the longest?")
    reply = "".join(asked.stream)
    assert [r.item_id for r in asked.items] == [r.item_id for r in first.items]
    assert reply.startswith("I can't tell how long films run. Here they are again.")
