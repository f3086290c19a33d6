"""Topics as a person asks for them, on the real sample catalog with the real embedding model: a topic request gets
the well-known films whose story is about it, beside a liked film too; what the person is done with ("tired of
Marvel", "I've seen all the Marvel movies") keeps the films that tell of it out, not the kind."""

from __future__ import annotations

import re

import pytest

from tests.conftest import about, picks

pytestmark = pytest.mark.slow


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.mark.parametrize("request_text, story", [
    ("a heist film", r"heist|rob|thie|steal|vault"),
    ("space adventures with robots", r"robot|android|droid|cyborg|machine"),
    ("a film about a shark", r"shark"),
    ("a movie about a submarine", r"submarine|\bsub\b|u-boat"),
    ("a film about a con artist", r"\bcon\b|con (artist|man)|swindl|scam|grift|fraud"),
    ("a film about a kidnapping", r"kidnap|abduct|ransom|hostage"),
    ("a movie about a dog", r"\bdog"),  # before: "dog" was too short a word, and the cold-start list answered
    ("a film about fugitives", r"fugitive|on the run|escape|manhunt"),  # stop 49: a word only plots use read as nothing
])
def test_a_topic_request_gets_mostly_films_whose_story_is_about_it(app, request_text: str, story: str) -> None:
    items = picks(app, request_text).items
    on_topic = [i.title for i in items if re.search(story, about(app, i.item_id), re.I)]
    assert len(items) == 5 and len(on_topic) >= 4, [i.title for i in items]


@pytest.mark.parametrize("request_text, story", [("movies set in New York", r"new york"),
                                                 ("a film about a shark", r"shark"),
                                                 ("a movie about dogs", r"\bdog")])
def test_a_topic_request_gets_the_well_known_films_about_it(app, request_text: str, story: str) -> None:
    # A film lover answers a topic with the films about it that people know, not with the obscure ones whose
    # words happen to sit nearest the request.
    about_it = sorted(i.popularity or 0.0 for i in app.engine.catalog.items
                      if re.search(story, f"{i.plot or ''} {i.description}", re.I))
    items = picks(app, request_text).items
    ranks = sorted(sum(p < (app.engine.catalog.by_id[i.item_id].popularity or 0.0) for p in about_it) / len(about_it)
                   for i in items)
    on_topic = [i for i in items if re.search(story, about(app, i.item_id), re.I)]
    assert len(items) == 5 and len(on_topic) >= 4 and ranks[2] >= 0.6, [(i.title, r) for i, r in zip(items, ranks)]


def test_a_topic_beside_a_liked_film_brings_the_films_about_it(app) -> None:
    # Before: only the liked film's neighbours and the words' nearest items competed, not the best-known films about
    # the topic (at 38k, after "I want a heist movie" and a liked Lock, Stock and Two Smoking Barrels, the third
    # answer held Chef and Lemonade Mouth).
    items = picks(app, "I liked Drive. Any heist movies like it?", k=8).items
    on_topic = [i.title for i in items if "heist" in about(app, i.item_id)]
    assert len(items) == 8 and len(on_topic) >= 7, [i.title for i in items]


def test_what_the_person_is_done_with_keeps_films_that_tell_of_it_out(app) -> None:
    # Before: "tired of Marvel" read as a dislike of superhero films, outweighed by the liking, and every pick was
    # Marvel's (The Avengers, Captain America...).
    catalog = app.engine.catalog
    items = [catalog.by_id[r.item_id] for r in picks(app, "I love superhero movies but I'm tired of Marvel", k=6).items]
    assert len(items) == 6 and not any("marvel" in i.story.lower() for i in items), [i.title for i in items]
    assert sum("superhero" in i.facets for i in items) >= 4, [i.title for i in items]


def test_having_seen_all_of_something_asks_for_something_else(app) -> None:
    # Before: "I've seen all the Marvel movies, what else?" answered six Marvel films.
    catalog = app.engine.catalog
    items = [catalog.by_id[r.item_id] for r in picks(app, "I've seen all the Marvel movies, what else?", k=6).items]
    assert len(items) == 6 and not any("marvel" in i.story.lower() for i in items), [i.title for i in items]
    # ... but of the kind a Marvel fan comes for (stop 44: the cold-start list, no superhero film)
    assert sum("superhero" in i.facets for i in items) >= 4, [i.title for i in items]


def test_having_seen_all_of_a_kind_keeps_the_kind_but_not_what_was_seen(app) -> None:
    # Before: "my kids have seen all the Pixar ones" answered Monsters University ("the first Pixar film"), Up...
    catalog = app.engine.catalog
    picks(app, "I loved Toy Story", session="all-pixar")
    items = [catalog.by_id[r.item_id] for r in picks(app, "my kids have seen all the Pixar ones", "all-pixar").items]
    told = [i.title for i in items if "pixar" in i.story.lower()]
    assert len(items) == 5 and len(told) <= 1, told  # the loved film's own series may stay (Toy Story 4)
    assert all({"animated", "animation"} & set(i.facets) for i in items), [i.title for i in items]


def test_gore_said_no_to_keeps_out_the_films_whose_story_tells_of_it(app) -> None:
    # Before (stop 46): "not gory" kept out only the slasher genres, and Saw, Hostel and The Silence of the Lambs, none
    # of them a slasher by its genres, answered "a horror movie that isn't gory".
    catalog = app.engine.catalog
    items = [catalog.by_id[r.item_id] for r in picks(app, "a horror movie that isn't gory", k=10).items]
    gore = re.compile(r"\b(sadist|tortur|gruesome|gory|dismember|mutilat|cannibal|chainsaw)", re.I)
    assert len(items) == 10 and not [i.title for i in items if gore.search(i.story)], [i.title for i in items]
    assert sum("horror" in i.facets for i in items) >= 8, [i.title for i in items]


@pytest.mark.parametrize("request_text", ["a movie with a strong female lead", "an action movie with a female lead"])
def test_a_film_with_a_female_lead_is_one_whose_story_is_told_of_her(app, request_text: str) -> None:
    # Before: the words were searched, and the titles with "woman" in them came first (38k: Womanpower, A Dangerous
    # Woman, Winning a Woman; Inception led the action request).
    items = picks(app, request_text).items
    hers = [i.title for i in items if len(re.findall(r"\b(she|her|herself)\b", about(app, i.item_id)))
            > len(re.findall(r"\b(he|his|him|himself)\b", about(app, i.item_id)))]
    assert len(items) == 5 and len(hers) >= 4, [i.title for i in items]
