"""Filters a person no longer holds to: a genre let go by a film loved outside it stays gone on the next turn, a year
said of a film is no filter, and foreign films welcome beside the rest are not all that is asked for."""

from __future__ import annotations

import pytest

from tests.conftest import picks

pytestmark = pytest.mark.slow


def test_a_genre_let_go_for_a_film_loved_outside_it_stays_gone(make_app) -> None:
    # Before: the turn after "I loved The Godfather" was kept to comedies again, the feel-good mood's filter back from
    # the log: a turn that let every filter go stored nothing, and an empty turn means "nothing new".
    app = make_app()
    for text in ("A feel-good movie", "I loved The Godfather"):
        picks(app, text, session="let-go")
    kinds = [app.engine.catalog.by_id[i.item_id].facets for i in picks(app, "Any others?", session="let-go").items]
    assert [k for k in kinds if "comedy" not in k], kinds
    state = app.engine.sessions.state("let-go", app.engine.clock(), app.engine.half_lives)
    assert state.constraints.is_empty()


@pytest.mark.parametrize(("text", "years"), [
    ("It's a great movie! It was actually released in 2018. Love that movie.", (None, None)),  # said of a film
    ("Anything from 2018?", (2018, 2018)),
    ("I loved Heat (1995), something from the 90s please", (1990, 1999)),
])
def test_a_year_said_of_a_film_is_no_filter(rules, text, years) -> None:
    constraints = rules.extract(text).constraints
    assert (constraints.year_min, constraints.year_max) == years


@pytest.mark.parametrize(("text", "kept_to", "kept_out"), [
    ("I don't mind foreign films too", 0, 0),  # before: every pick in another language
    ("I also like foreign films", 0, 0),
    ("I like Korean movies too", 0, 0),
    ("I'm fine with foreign films", 0, 0),
    ("It doesn't matter if it's foreign with subtitles or in English", 0, 0),  # before: both, so nothing
    ("I don't care if it has subtitles", 0, 0),  # before: every other language kept out
    ("I wouldn't mind a French movie", 1, 0),  # asks for one
    ("I want a Korean movie", 1, 0),
    ("No subtitles please", 0, 33),
])
def test_films_in_other_languages_welcome_beside_the_rest_are_no_filter(rules, text, kept_to, kept_out) -> None:
    read = rules.extract(text)
    assert (len(read.constraints.languages), len(read.constraints.exclude_languages)) == (kept_to, kept_out)
    assert not [s.facet for s in read.signals if s.facet.startswith("phrase:")]  # "foreign" is no story to search
