"""Series and franchises read from the data (titles, people, declared fields), and the shrunk rating prior."""

from __future__ import annotations

import pytest

from retrieval.catalog import Item
from retrieval.quality import rating_prior
from retrieval.series import SeriesKeys, same_series, title_stem


def film(title: str, cast: list[str] | None = None, **extra: object) -> Item:
    return Item(id=title, title=title, description="d", extra={"cast": cast or [], **extra})


@pytest.mark.parametrize("title, stem", [
    ("Aliens", ("alien",)), ("Alien 3", ("alien",)), ("Alien: Covenant", ("alien",)),
    ("The Godfather Part II", ("godfather",)), ("Rocky IV", ("rocky",)), ("Toy Story 2", ("toy", "story")),
    ("Mission: Impossible - Fallout", ("mission",)), ("Up in the Air", ("up", "in", "the", "air")),
])
def test_title_stems_drop_numbering_subtitles_articles_and_plurals(title: str, stem: tuple[str, ...]) -> None:
    assert title_stem(title) == stem


@pytest.mark.parametrize("a, b, similarity, same", [
    (film("Alien", ["Sigourney Weaver"]), film("Alien Resurrection", ["Sigourney Weaver"]), 0.3, True),
    (film("Alien"), film("Alien: Covenant"), 0.0, True),  # equal stems, one a marked instalment
    (film("Alien"), film("Alien vs. Predator"), 0.55, True),  # reads alike
    (film("Harry Potter and the Philosopher's Stone", ["Daniel Radcliffe"]),
     film("Harry Potter and the Chamber of Secrets", ["Daniel Radcliffe"]), 0.4, True),
    (film("Up", ["Ed Asner"]), film("Up in the Air", ["George Clooney"]), 0.50, False),
    (film("Star Wars", ["Mark Hamill"]), film("Star Trek", ["Chris Pine"]), 0.33, False),
    (film("Casino Royale", collection="James Bond"), film("Skyfall", collection="James Bond"), 0.0, True),
    (film("Heat", ["Al Pacino"]), film("Scarface", ["Al Pacino"]), 0.6, False),  # shared cast alone is no series
    # Two sequels of a liked film that is not in the answer: they link to each other, not only through it.
    (film("The Matrix Reloaded", ["Keanu Reeves"]), film("The Matrix Revolutions", ["Keanu Reeves"]), 0.45, True),
    (film("Star Wars", ["Harrison Ford"]), film("Star Trek", ["Chris Pine"]), 0.6, False),
    # The series a title puts after its colon, and sequels that share only the first word but read much alike.
    (film("The Lost World: Jurassic Park", ["Jeff Goldblum"]), film("Jurassic Park III", ["Sam Neill"]), 0.6, True),
    (film("Jurassic Park III", ["Sam Neill"]), film("Jurassic World: Fallen Kingdom", ["Chris Pratt"]), 0.7, True),
    (film("Monsters, Inc."), film("Monsters vs. Aliens"), 0.67, False),
    (film("Captain America: Civil War", ["Chris Evans"]), film("Civil War", ["Kirsten Dunst"]), 0.4, False),
])
def test_same_series_from_the_data(a: Item, b: Item, similarity: float, same: bool) -> None:
    assert same_series(SeriesKeys(a), SeriesKeys(b), similarity) is same
    assert same_series(SeriesKeys(b), SeriesKeys(a), similarity) is same


def test_rating_prior_shrinks_few_votes_to_zero_and_ranks_many_votes_by_rating() -> None:
    items = [film("acclaimed", rating=8.6, votes=20000), film("panned", rating=3.5, votes=15000),
             film("middling", rating=6.4, votes=9000), film("one fan", rating=10.0, votes=2),
             film("one hater", rating=1.0, votes=2), film("unrated")]
    prior = dict(zip([i.title for i in items], rating_prior(items, "rating", "votes")))
    assert prior["acclaimed"] > prior["middling"] > prior["panned"]
    assert prior["acclaimed"] > 0 > prior["panned"]
    assert abs(prior["one fan"]) < 0.05 and abs(prior["one hater"]) < 0.05  # too few votes to tell
    assert prior["unrated"] == 0.0 and all(-1 <= v <= 1 for v in prior.values())


def test_a_catalog_without_the_rating_fields_gets_no_prior() -> None:
    assert not rating_prior([film("a"), film("b", rating="n/a", votes=3)], "rating", "votes").any()
