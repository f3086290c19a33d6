"""A running time asked for ("under 90 minutes"), which no catalog field holds, is said back as unchecked, not
dropped in silence; a film judged as too long asks for nothing."""

from __future__ import annotations

import pytest

from chatbot.understanding.running_time import running_time_ask


@pytest.mark.parametrize("text, asked", [
    ("a thriller under 2 hours", "under 2 hours"),
    ("something short, under 90 minutes", "under 90 minutes"),
    ("anything less than an hour and a half?", "less than an hour and a half"),
    ("a 90 minute movie", "90 minute movie"),
    ("nothing too long please", "nothing too long"),
    ("yeah, too long", None),  # a film judged: why it was not liked (tests/test_chat_requests.py)
    ("Heat was too long", None),
    ("I watched it for 2 hours", None),
    ("a movie about a long night", None),
])
def test_a_running_time_ask_is_found(text: str, asked: str | None) -> None:
    assert running_time_ask(text) == asked


def test_the_reply_says_a_running_time_cannot_be_checked(make_app) -> None:
    # Before: "a thriller under 2 hours" answered thrillers as if the length had been heard (The Hateful Eight, 3 h).
    engine = make_app().engine
    result = engine.turn("length", "a thriller under 2 hours")
    reply = "".join(result.stream)
    assert reply.startswith("I can't tell how long films run, so these were not picked for “under 2 hours”."), reply
    assert result.items and all("thriller" in engine.catalog.by_id[i.item_id].facets for i in result.items)
