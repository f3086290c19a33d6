"""Which film of a title was meant, said after it: "no, I meant the 1995 one" is that year's film of the title, and
no ask for films of that year."""

from __future__ import annotations

import pytest

from chatbot.types import Constraints
from chatbot.understanding.signals import SignalExtractor
from retrieval.catalog import Catalog, Item

CATALOG = Catalog([Item("crash-05", "Crash", "Racial tensions in Los Angeles.", 2005, popularity=900),
                   Item("crash-96", "Crash", "Car-crash fetishists.", 1996, popularity=300),
                   Item("fargo", "Fargo", "A kidnapping goes wrong.", 1996, popularity=800)])


@pytest.fixture(scope="module")
def extractor() -> SignalExtractor:
    return SignalExtractor(CATALOG, use_llm=False)


@pytest.mark.parametrize("text", ["the 1996 one", "no, I meant the 1996 one", "not the racism one, the 1996 one"])
def test_the_year_said_after_a_film_picks_that_years_film_of_its_title(extractor, text: str) -> None:
    # Stop 50: "I liked Crash" then "the 1996 one" asked for films of 1996 (Fargo, Sleepers, Daylight at 38k) and
    # kept the 2005 Crash liked.
    reading = extractor.extract(text, liked_before=["crash-05"])
    assert [(s.facet, s.strength) for s in reading.signals] == [("item:crash-96", 2.0)]
    assert reading.taken_back == ["item:crash-05"] and reading.constraints == Constraints()


def test_the_year_of_the_film_already_liked_asks_for_nothing_new(extractor) -> None:
    reading = extractor.extract("no, I meant the 2005 one", liked_before=["crash-05"])
    assert reading.signals == [] and reading.taken_back == [] and reading.constraints == Constraints()


def test_without_a_film_liked_the_year_is_an_ask_for_films_of_it(extractor) -> None:
    reading = extractor.extract("the 1996 one")
    assert (reading.constraints.year_min, reading.constraints.year_max) == (1996, 1996)
