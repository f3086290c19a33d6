"""An occasion a film is wanted for is no story to search: "for his birthday" is no topic, and an anniversary or
Valentine's Day asks for what a date night does."""

from __future__ import annotations

import pytest


def test_a_birthday_is_no_topic(rules) -> None:
    # Stop 53: "my dad loves westerns, any recommendations for his birthday?" searched "birthday": five westerns
    # from 1917 to 1954 nobody rated, at 38k.
    facets = {s.facet for s in rules.extract("my dad loves westerns, any recommendations for his birthday?").signals}
    assert "genre:western" in facets and not [f for f in facets if f.startswith("phrase:")]


@pytest.mark.parametrize("text", ["something for our anniversary", "a movie for valentines day"])
def test_an_anniversary_asks_for_a_date_film(rules, text: str) -> None:
    # Stop 53: each read as nothing (the cold-start list).
    facets = {s.facet: s.strength for s in rules.extract(text).signals}
    assert facets.get("genre:romance", 0) > 0 and facets.get("genre:comedy", 0) > 0
