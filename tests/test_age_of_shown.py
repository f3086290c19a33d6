"""Which pick of the last list is the newest or the oldest: answered about that list, not with new films."""

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
