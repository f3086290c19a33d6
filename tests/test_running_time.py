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
    ("something shorter", "something shorter"),  # before (stop 47): the word searched, and 1940s shorts answered
    ("I'd like something a bit short", "something a bit short"),
    ("any shorter ones?", "shorter ones"),
    ("yeah, too long", None),  # a film judged: why it was not liked (tests/test_chat_requests.py)
    ("Heat was too long", None),
    ("I watched it for 2 hours", None),
    ("a movie about a long night", None),
    # stop 50: a length said before the film word, and said back (before, comedies as if it had been heard)
    ("a short funny movie", "a short funny movie"), ("a short, funny movie", "a short, funny movie"),
    ("something long and epic", "something long"),
    ("a quick watch", "a quick watch"), ("a short film", None),  # a kind of film the catalog has
    ("a long time ago I loved Heat", None), ("a short story adaptation", None),
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


def test_a_films_length_asked_is_said_unknown_and_the_film_described(make_app) -> None:
    # Stop 50: "how long is Heat?" searched stories for "long" (The Milky Waif, 36 Hours at 38k).
    result = make_app().engine.turn("length-asked", "how long is Heat (1995)?")
    reply = "".join(result.stream)
    assert reply.startswith("I can't tell how long films run. Heat (1995), crime"), reply
    assert result.items[0].item_id == "wp:Heat_(1995_film)"


def test_a_length_word_is_no_topic_to_search() -> None:
    # Before (stop 47): "something shorter" searched stories and titles for "shorter" and answered 1940s shorts
    # ("Something Short of Paradise", "Hic-cup Pup").
    from chatbot.understanding.signals import SignalExtractor
    from retrieval.catalog import load_catalog
    from tests.conftest import SAMPLE_CATALOG

    signals = SignalExtractor(load_catalog(SAMPLE_CATALOG), use_llm=False).extract("something shorter")
    assert signals.running_time == "something shorter"
    assert not [s.facet for s in signals.signals if s.facet.startswith("phrase:")]
