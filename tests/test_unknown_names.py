"""A name the catalog does not have ("I loved Stranger Things") is said to be unknown, not read as a film or as words."""

from __future__ import annotations

import pytest

HEAT = "wp:Heat_(1995_film)"


@pytest.mark.parametrize("text, unknown", [
    ("I loved Stranger Things", ["Stranger Things"]),
    ("I loved Harry Potter", []),  # in titles: words to search with
    ("something like The Office", ["The Office"]),
    ("I love Game of Thrones and Heat (1995)", ["Game of Thrones"]),
    ("I loved The Dark Knight", []),  # in the catalog
    ("I liked Tom Hanks in Big", []),  # a person the catalog knows
    ("I watched Netflix", []),  # one capitalized word is too often no title
    ("I loved Sex and Fury", ["Sex and Fury"]),  # a film's title ("Fury") runs into the longer name
    ("I loved Alien and Fury", []),  # two films
    ("I love Marvel and DC", []),  # "and" lists two names unless a title runs into them
])
def test_names_the_catalog_lacks(rules, text: str, unknown: list[str]) -> None:
    assert rules.extract(text).unknown_names == unknown


def test_the_reply_says_the_name_is_unknown_and_learns_nothing_from_it(make_app) -> None:
    engine = make_app().engine
    result = engine.turn("unknown", "I love Game of Thrones and Heat (1995)")
    reply = "".join(result.stream)
    assert reply.startswith("I don't know “Game of Thrones”: it is not among the films I can recommend from.")
    now = engine.clock()
    weights = engine.sessions.state("unknown", now, engine.half_lives).profile.weights(now)
    assert weights.get(f"item:{HEAT}", 0) > 0
    assert not [f for f in weights if "throne" in f or f == "item:wp:The_Game_(1997_film)"], weights


@pytest.mark.parametrize("text, sign", [("I loved Breaking Bad", 1), ("anything like Breaking Bad?", 1),
                                        ("I hated Breaking Bad", -1)])
def test_a_judging_word_inside_a_name_is_part_of_the_name(text: str, sign: int) -> None:
    # Before: "Bad" judged "breaking", so loving Breaking Bad was a dislike.
    from chatbot.understanding.signals import SignalExtractor
    from retrieval.catalog import Catalog, Item

    films = [Item("camino", "El Camino: A Breaking Bad Movie", "An epilogue to the series Breaking Bad.", 2019,
                  ("Crime",)),
             Item("boys", "Bad Boys", "Two detectives.", 1995, ("Action",)), Item("heat", "Heat", "A heist.", 1995)]
    signals = SignalExtractor(Catalog(films), use_llm=False).extract(text).signals
    assert [(s.facet, s.strength > 0) for s in signals] == [("phrase:breaking bad", sign > 0)]
