"""Year phrases mean what people mean: a table of what a person says and the years they want."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatbot.understanding.signals import SignalExtractor
from chatbot.understanding.vocabulary import Vocabulary
from retrieval.catalog import load_catalog


@pytest.fixture(scope="module")
def rules_only() -> SignalExtractor:
    catalog = load_catalog(Path(__file__).resolve().parent.parent / "data" / "movies_sample.jsonl")
    return SignalExtractor(catalog, vocabulary=Vocabulary.from_catalog(catalog), use_llm=False)


YEAR_PHRASES = [  # what people mean, as (year_min, year_max): bounds are exclusive unless the words say otherwise
    ("something before 1970", (None, 1969)),
    ("a western made before 1970", (None, 1969)),
    ("older than 1990", (None, 1989)),
    ("pre-1960 films", (None, 1959)),
    ("anything before the 80s", (None, 1979)),
    ("until 1980", (None, 1980)),
    ("no later than 1995", (None, 1995)),
    ("after 2010", (2011, None)),
    ("a comedy after 2010", (2011, None)),
    ("newer than 2015", (2016, None)),
    ("post 2000", (2001, None)),
    ("after the 90s", (2000, None)),
    ("since 2000", (2000, None)),
    ("from 2005 onwards", (2005, None)),
    ("2010 or later", (2010, None)),
    ("not before 2000", (2000, None)),
    ("from the 90s", (1990, 1999)),
    ("something from the 90s", (1990, 1999)),
    ("90s action", (1990, 1999)),
    ("in the 80s", (1980, 1989)),
    ("the 2000s", (2000, 2009)),
    ("early 2000s", (2000, 2004)),
    ("between 1990 and 2005", (1990, 2005)),
    ("released in 2005", (2005, 2005)),
    # Counted back from the catalog's newest year (2023 in the sample), not today's: stop 49, "the last couple of
    # years" read as nothing, and on a catalog older than today would have found nothing
    ("something from this decade", (2020, 2029)),
    ("a film from the last couple of years", (2021, None)),
    ("the past couple years", (2021, None)),
    ("something from the last 5 years", (2018, None)),
    ("the last couple", (None, None)),
]


@pytest.mark.parametrize("text, bounds", YEAR_PHRASES)
def test_year_phrases_mean_what_people_mean(rules_only, text: str, bounds: tuple[int | None, int | None]) -> None:
    constraints = rules_only.extract(text).constraints
    assert (constraints.year_min, constraints.year_max) == bounds
