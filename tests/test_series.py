"""Series and franchises read from the data (titles, people, declared fields), and the shrunk rating prior."""

from __future__ import annotations

import pytest

from retrieval.catalog import Item
from retrieval.quality import rating_prior
from retrieval.series import SeriesKeys, linked_series, same_series, title_stem


def film(title: str, cast: list[str] | None = None, year: int | None = None, **extra: object) -> Item:
    return Item(id=title, title=title, description="d", year=year, extra={"cast": cast or [], **extra})


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
    # A numbered title older than the plain one is the sequel of some other film of that name.
    (film("Arrival", ["Amy Adams"], year=2016), film("Arrival II", ["Patrick Muldoon"], year=1998), 0.6, False),
    (film("Taxi", ["Queen Latifah"], year=2004), film("Taxi 2", ["Samy Naceri"], year=2000), 0.6, False),
    (film("Alien", ["Sigourney Weaver"], year=1979), film("Alien 3", ["Charles Dance"], year=1992), 0.6, True),
    (film("Friday the 13th", ["Betsy Palmer"], year=1980), film("Friday the 13th Part 2", ["Betsy Palmer"],
                                                                   year=1981), 0.6, True),
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


def told(title: str, year: int, text: str = "d", popularity: float = 1.0) -> Item:
    return Item(id=f"{title} ({year})", title=title, description=text, year=year, popularity=popularity)


def test_the_texts_tie_sequels_and_named_series_together() -> None:
    items = [
        told("Batman", 1966), told("Batman", 1989, popularity=50.0),
        told("Batman Returns", 1992, "Batman Returns is a 1992 film. It is the sequel to Batman (1989)."),
        told("Batman Begins", 2005, "The film reboots the Batman film series."),
        told("The Dark Knight", 2008, "It is the sequel to Batman Begins (2005) and the second installment in The "
                                      "Dark Knight Trilogy."),
        told("Jurassic Park", 1993), told("Jurassic World", 2015),
        told("The Lost World: Jurassic Park", 1997, "A sequel to 1993's Jurassic Park, it was directed by Spielberg."),
        told("Jurassic World: Fallen Kingdom", 2018, "The sequel to Jurassic World (2015), it is the fifth "
                                                     "installment overall in the Jurassic Park film series."),
        # A title inside a longer one is not that film; a parody, a remake and a TV series tie to nothing.
        told("The Phantom", 1996),
        told("Attack of the Clones", 2002, "It is the sequel to The Phantom Menace and the second film of the saga."),
        told("Spaceballs", 1987, "Spaceballs is a parody of the Star Wars franchise."),
        told("Scarface", 1983, "It is a remake of the 1932 film Scarface."), told("Scarface", 1932),
        told("Friends Reunited", 2004, "It is a spin-off of the TV series Friends."), told("TV", 1999),
    ]
    linked = linked_series(items)
    batman = {linked[i] for i in ("Batman (1989)", "Batman Returns (1992)", "Batman Begins (2005)",
                                  "The Dark Knight (2008)")}
    jurassic = {linked[i] for i in ("Jurassic Park (1993)", "Jurassic World (2015)",
                                    "The Lost World: Jurassic Park (1997)", "Jurassic World: Fallen Kingdom (2018)")}
    assert len(batman) == 1 and len(jurassic) == 1 and batman != jurassic
    assert not {"Batman (1966)", "The Phantom (1996)", "Attack of the Clones (2002)", "Spaceballs (1987)",
                "Scarface (1983)", "Scarface (1932)", "Friends Reunited (2004)", "TV (1999)"} & set(linked)
    keys = {item.id: SeriesKeys(item, linked.get(item.id)) for item in items}
    assert same_series(keys["Batman Returns (1992)"], keys["The Dark Knight (2008)"])
    assert not same_series(keys["Batman Returns (1992)"], keys["Jurassic Park (1993)"])


def test_a_series_no_film_is_titled_after_ties_the_films_that_name_it() -> None:
    # Stop 49: "the twenty-second in the James Bond series" tied nothing (no film is titled "James Bond", and an
    # ordinal was no instalment word), so one answer held four Bond films.
    bond = [told(title, year, f"{title} is a spy film, the {nth} in the James Bond series.")
            for title, year, nth in (("GoldenEye", 1995, "seventeenth"), ("Skyfall", 2012, "twenty-third"),
                                     ("Spectre", 2015, "twenty-fourth"))]
    pair = [told(title, year, f"{title} is a 1985 film, a film in the 1980s series of comedies.")
            for title, year in (("Fletch", 1985), ("Clue", 1985))]
    linked = linked_series([*bond, *pair])
    assert len({linked.get(i.id) for i in bond}) == 1 and None not in {linked.get(i.id) for i in bond}
    assert not {i.id for i in pair} & set(linked)  # two films sharing a phrase are no series
