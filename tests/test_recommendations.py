"""What a person notices in the picks, on the real sample catalog with the real embedding model (topics:
tests/test_topics_in_chat.py; series: tests/test_series_in_chat.py): a liked film's answer is of its kinds, "good" means
well rated, "underrated" well rated and less known, a mood ("sad", "feel-good") its genre, a change of mind moves
picks and reasons, a bare genre or person (a director too, read from the summaries) brings their best-known films
(and a genre beside a film brings them among the candidates), "for kids" means family films of what was asked, and
a word of the request, or of a liked film's title, in a title is no reason to pick it."""

from __future__ import annotations

import re

import pytest

from chatbot.types import Constraints
from retrieval.catalog import Item
from retrieval.likeness import for_families, genre_kinds, named_kinds, shares_lead
from retrieval.quality import rating_of
from retrieval.rank import RankRequest
from tests.conftest import about, picks

pytestmark = pytest.mark.slow


@pytest.fixture
def app(make_app):
    return make_app()


def rating(app, item_id: str) -> float | None:
    found = rating_of(app.engine.catalog.by_id[item_id], "rating", "votes")
    return found[0] if found else None


@pytest.mark.parametrize("request_text", ["I loved Inception", "I loved Jurassic Park",
                                          "I'm looking for a good comedy like Superbad"])
def test_a_grown_up_films_answer_holds_no_family_film(app, request_text: str) -> None:
    # Before: Inside Out after Inception, The Good Dinosaur and Ice Age after Jurassic Park.
    items = picks(app, request_text, k=6).items
    assert len(items) == 6 and not any(for_families(app.engine.catalog.by_id[i.item_id]) for i in items), [
        i.title for i in items]


def test_a_family_films_answer_still_holds_family_films(app) -> None:
    items = picks(app, "I liked Toy Story", k=6).items
    assert sum(for_families(app.engine.catalog.by_id[i.item_id]) for i in items) >= 4, [i.title for i in items]


def test_a_liked_films_answer_is_of_its_kinds_or_shares_its_people(app) -> None:
    # Before: Memento, close in text (memory, Alzheimer's), came first for The Notebook.
    catalog = app.engine.catalog
    notebook = next(i for i in catalog.items if i.title == "The Notebook")
    items = [catalog.by_id[i.item_id] for i in picks(app, "I liked The Notebook", k=6).items]
    assert len(items) == 6 and all(genre_kinds(i) & genre_kinds(notebook) or shares_lead(i, notebook)
                                   for i in items), [i.title for i in items]


@pytest.mark.parametrize("title", ["Arrival", "Contact", "Her", "Black Swan", "Interstellar"])
def test_sharing_only_drama_with_a_liked_film_is_no_likeness(app, title: str) -> None:
    # Before: "I loved Arrival" brought The Proposal and La La Land at 38k, which share only drama with it.
    catalog = app.engine.catalog
    liked = next(i for i in catalog.items if i.title == title)
    telling = genre_kinds(liked) - {"drama"}
    items = [catalog.by_id[i.item_id] for i in picks(app, f"I loved {title}", k=6).items]
    assert len(items) == 6 and all(genre_kinds(i) & telling or shares_lead(i, liked) for i in items), [
        (i.title, i.genres) for i in items]


@pytest.mark.parametrize("request_text", ["I hated Titanic", "I hate musicals"])
def test_a_turn_that_only_says_what_to_avoid_gets_well_known_films_without_it(app, request_text: str) -> None:
    # Before: the words were searched for (The Hateful Eight, Titanic itself) and what lay opposite the disliked film
    # (Ip Man 2, The Nona Tapes).
    items = picks(app, request_text, k=6).items
    best_known = app.engine.ranker.vectors.best_known
    assert len(items) == 6 and sum(i.item_id not in best_known for i in items) <= 1, [i.title for i in items]
    assert not any("hate" in i.title.lower() or i.title == "Titanic" for i in items), [i.title for i in items]


def test_good_beside_a_liked_film_does_not_trade_the_film_for_the_best_rated(app) -> None:
    # Before: The Grand Budapest Hotel, The Truman Show, Fargo: the best-rated comedies, one of them with Jonah Hill.
    catalog = app.engine.catalog
    superbad = next(i for i in catalog.items if i.title == "Superbad")
    items = [catalog.by_id[i.item_id] for i in picks(app, "I'm looking for a good comedy like Superbad", k=6).items]
    assert len(items) == 6 and sum(shares_lead(i, superbad) for i in items) >= 3, [i.title for i in items]


@pytest.mark.parametrize("grown_up", ["something for adults though", "not for kids", "something more grown-up",
                                      "something less childish", "more mature please"])
def test_for_adults_keeps_family_films_out_until_kids_are_asked_for(app, grown_up: str) -> None:
    # Before: "for adults" was a phrase to search with (Jumanji: "an adult who's been trapped inside the game").
    catalog = app.engine.catalog
    picks(app, "I loved Toy Story", k=6)
    items = picks(app, grown_up, k=6).items
    assert len(items) == 6 and not any(for_families(catalog.by_id[i.item_id]) for i in items), [i.title for i in items]
    kids = picks(app, "now something for my kids", k=6).items
    assert len(kids) == 6 and all(for_families(catalog.by_id[i.item_id]) for i in kids), [i.title for i in kids]


@pytest.mark.parametrize("request_text, word", [("something funny", "funny"), ("a film for a night in", "night"),
                                                ("a movie with a twist ending", "twist"),
                                                ("a feel good movie for a rainy day", "rain")])
def test_a_request_word_in_a_title_is_no_reason_to_pick_it(app, request_text: str, word: str) -> None:
    titles = [i.title for i in picks(app, request_text).items]
    assert not [t for t in titles if word in t.lower()], titles


@pytest.mark.parametrize("liked, word", [("Up", r"\bups?\b"), ("Blade Runner", r"\bblade\b"),
                                         ("Get Out", r"\bout\b(?<!Knives Out)")])  # Knives Out shares a star
def test_a_word_of_a_liked_title_is_no_reason_to_pick_a_film(app, liked: str, word: str) -> None:
    titles = [i.title for i in picks(app, f"I loved {liked}", k=10).items]
    echoes = [t for t in titles if re.search(word, t, re.I) and not t.startswith(liked)]  # its own series may come
    assert len(titles) == 10 and not echoes, titles


@pytest.mark.parametrize("liked, meaning", [("Heat", r"\bhot\b"), ("Speed", r"\bfast\b"), ("Frozen", r"\bice\b")])
def test_what_a_liked_title_means_is_no_reason_to_pick_a_film(app, liked: str, meaning: str) -> None:
    # Before: the liked film's vector, its title's meaning in it: Hot Fuzz second for Heat, The Fast and the Furious
    # first for Speed, Ice Age second for Frozen.
    titles = [i.title for i in picks(app, f"I loved {liked}").items]
    assert len(titles) == 5 and not [t for t in titles if re.search(meaning, t, re.I)], titles


@pytest.mark.parametrize("genre", ["drama", "western"])
def test_good_x_puts_well_rated_x_first(app, genre: str) -> None:
    plain = picks(app, f"a {genre}", session="plain").items
    good = picks(app, f"the best {genre}s, something really good", session="good").items
    first = rating(app, good[0].item_id)
    assert first is not None and first >= 7.5, (good[0].title, first)
    mean = lambda items: sum(rating(app, i.item_id) or 6.0 for i in items) / len(items)  # noqa: E731
    # A bare genre already leans on the genre's best-regarded films, so "good" may bring the same ones, never worse.
    assert mean(good) >= mean(plain), ([i.title for i in good], [i.title for i in plain])
    assert all(genre in app.engine.catalog.by_id[i.item_id].facets for i in good)


@pytest.mark.parametrize("request_text, genre", [("an underrated thriller", "thriller"),
                                                  ("hidden gems please, comedies", "comedy")])
def test_underrated_x_gets_well_rated_x_that_few_know(app, request_text: str, genre: str) -> None:
    items = picks(app, request_text).items
    best_known = app.engine.ranker.vectors.best_known
    assert len(items) == 5 and all(genre in app.engine.catalog.by_id[i.item_id].facets for i in items)
    assert sum(i.item_id in best_known for i in items) <= 1, [i.title for i in items]
    assert all((rating(app, i.item_id) or 0.0) >= 7.0 for i in items), [(i.title, rating(app, i.item_id))
                                                                         for i in items]


@pytest.mark.parametrize("request_text, genres", [("a sad movie that will make me cry", {"drama"}),
                                                   ("something feel-good to cheer me up", {"comedy"}),
                                                   ("a date night movie", {"romance", "comedy"}),
                                                   ("a movie based on a true story", {"biography"}),
                                                   ("something darker and gritty", {"thriller", "crime"}),
                                                   ("a thought-provoking film", {"science fiction", "mystery"}),
                                                   ("a movie that will make me think", {"science fiction", "mystery"}),
                                                   ("something mind-bending", {"science fiction"}),  # Gone Girl was
                                                   ("I prefer smaller indie films", {"independent"})])
def test_a_mood_asked_for_brings_films_of_that_mood(app, request_text: str, genres: set[str]) -> None:
    items = picks(app, request_text).items
    assert len(items) == 5 and all(genres & set(app.engine.catalog.by_id[i.item_id].facets) for i in items), [
        i.title for i in items]


@pytest.mark.parametrize("request_text", ["I want a feel-good movie", "something for a rainy day"])
def test_a_light_mood_gets_no_crime_war_or_horror_film(app, request_text: str) -> None:
    # Before: Pulp Fiction was the third feel-good pick (Action, Comedy, Crime).
    dark = {"crime", "war", "horror", "thriller", "slasher"}
    items = picks(app, request_text, session=f"light-{len(request_text)}").items
    assert len(items) == 5 and not [i.title for i in items if dark & set(app.engine.catalog.by_id[i.item_id].facets)]


def test_a_film_loved_after_a_mood_is_not_kept_to_that_moods_genre(app) -> None:
    # Before: after "a feel-good movie", "I loved The Godfather" answered six comedies (Bad Boys for Life first):
    # the comedy filter of the mood stayed. A film named with no genre says what is wanted now.
    picks(app, "A feel-good movie", session="mood-then-film")
    titles = [i.title for i in picks(app, "I loved The Godfather", session="mood-then-film").items]
    assert "The Godfather Part II" in titles, titles


def genre_rank(app, item_id: str, genre: str) -> float:
    """The share of the genre's films that are less popular than this one (1.0: the genre's best known)."""
    values = [i.popularity or 0.0 for i in app.engine.catalog.items if genre in i.facets]
    own = app.engine.catalog.by_id[item_id].popularity or 0.0
    return sum(v < own for v in values) / len(values)


@pytest.mark.parametrize("request_text, genre", [("I like war films", "war"), ("I like comedies", "comedy"),
                                                 ("I want a horror movie", "horror")])
def test_a_request_for_a_genre_gets_its_best_known_films(app, request_text: str, genre: str) -> None:
    items = picks(app, request_text).items
    ranks = sorted(genre_rank(app, i.item_id, genre) for i in items)
    assert len(items) == 5 and all(genre in app.engine.catalog.by_id[i.item_id].facets for i in items)
    assert ranks[2] >= 0.8, [(i.title, round(genre_rank(app, i.item_id, genre), 2)) for i in items]
    assert not [i.title for i in items if genre[:4] in i.title.lower()]


@pytest.mark.parametrize("request_text, person", [("I like Tom Hanks movies", "Tom Hanks"),
                                                  ("anything with Morgan Freeman", "Morgan Freeman"),
                                                  ("I love Johnny Depp films", "Johnny Depp")])
def test_a_request_for_a_persons_films_gets_films_with_that_person(app, request_text: str, person: str) -> None:
    items = picks(app, request_text).items
    without = [i.title for i in items if person not in (app.engine.catalog.by_id[i.item_id].extra.get("cast") or [])]
    assert len(items) == 5 and without == [], without  # not "Peeping Tom", nor the films near the words


@pytest.mark.parametrize("request_text, director", [("movies directed by Ridley Scott", "Ridley Scott"),
                                                    ("I love Alfred Hitchcock films", "Alfred Hitchcock")])
def test_a_request_for_a_directors_films_gets_films_they_directed(app, request_text: str, director: str) -> None:
    # The catalog has no director field: who directed a film is read from its summary ("directed by ...").
    items = picks(app, request_text).items
    by_others = [i.title for i in items
                 if director not in (app.engine.catalog.by_id[i.item_id].extra.get("directors") or [])]
    assert len(items) == 5 and by_others == [], by_others


def test_a_change_of_mind_moves_the_picks_and_the_reasons(app) -> None:
    before = picks(app, "I want war films", session="mind").items
    assert sum("war" in app.engine.catalog.by_id[i.item_id].facets for i in before) >= 4
    after = picks(app, "forget war films, these days I only want romantic comedies", session="mind")
    war = [i.title for i in after.items if "war" in app.engine.catalog.by_id[i.item_id].facets]
    assert war == [], war
    assert not [r for i in after.items for r in i.reasons if "war" in r], [i.reasons for i in after.items]
    weights = {f.facet: f.weight for f in after.profile}
    assert weights.get("genre:war", 0.0) <= 0 < weights["genre:romance"]
    assert weights["genre:comedy"] > 0


def test_a_change_of_mind_drops_the_kind_asked_for_before(app) -> None:
    # Before: "horror please", then "actually I changed my mind, a comedy instead" answered horror comedies only:
    # the first ask's horror filter stayed.
    picks(app, "horror please", session="mind-instead")
    after = picks(app, "actually I changed my mind, a comedy instead", session="mind-instead")
    kinds = {i.title: app.engine.catalog.by_id[i.item_id].facets for i in after.items}
    assert sum("horror" in f for f in kinds.values()) <= 1 and all("comedy" in f for f in kinds.values()), kinds
    picks(app, "horror please", session="mind-broader")  # a kind named now lifts the filter too; horror still counts
    picks(app, "I like comedies", session="mind-broader")
    assert app.engine.sessions.state("mind-broader", app.engine.clock(), app.engine.half_lives).constraints == (
        Constraints())


@pytest.mark.parametrize("request_text", ["I usually go for westerns, but lately I've been into science fiction",
                                          "I love westerns but tonight I want science fiction"])
def test_a_turn_within_one_message_follows_what_is_wanted_now(app, request_text: str) -> None:
    """"I usually go for X, but lately Y": X is a habit the message turns from, weighed as a change of mind weighs
    earlier turns (both were weighed the same, and both asked for)."""
    answer = picks(app, request_text, session=f"turn-{len(request_text)}")
    kinds = {i.title: app.engine.catalog.by_id[i.item_id].facets for i in answer.items}
    assert sum("science fiction" in f for f in kinds.values()) >= 4, kinds
    weights = {f.facet: f.weight for f in answer.profile}
    assert 0 < weights["genre:western"] < weights["genre:science fiction"] / 2


@pytest.mark.parametrize("request_text", ["I want a movie that will make me cry", "a tearjerker please"])
def test_a_sad_mood_gets_dramas_and_no_comedies(app, request_text: str) -> None:
    kinds = {i.title: app.engine.catalog.by_id[i.item_id].facets for i in picks(app, request_text).items}
    assert len(kinds) == 5 and all("drama" in f and "comedy" not in f for f in kinds.values()), kinds


@pytest.mark.parametrize("request_text, genre", [("a good movie for kids", None),
                                                 ("something funny for the whole family", "comedy"),
                                                 ("something for my kids, they are 8 and 10", None)])
def test_a_request_for_kids_gets_family_films_of_what_was_asked(app, request_text: str, genre: str | None) -> None:
    items = picks(app, request_text).items
    facets = {i.title: set(app.engine.catalog.by_id[i.item_id].facets) for i in items}
    assert len(items) == 5
    assert all(f & {"family", "children", "kids"} for f in facets.values()), facets  # not adult animation
    assert genre is None or all(genre in f for f in facets.values()), facets  # funny AND for the family


def test_a_genre_asked_for_beside_a_film_brings_its_best_known_films_to_the_ranking(app) -> None:
    """"I like action, have you seen The Notebook?": the best-known action films compete, though far from the
    words and the film (the score then decides among them)."""
    ranker = app.engine.ranker
    scored, _ = ranker.score(RankRequest(positives={"genre:action": 1.0, "item:wp:The_Notebook": 1.0},
                                         turn_text="I like action. Have you seen The Notebook?"))
    action = [i for i in app.engine.catalog.items if "action" in i.facets and i.popularity is not None]
    best_known = {i.id for i in sorted(action, key=lambda i: -i.popularity)[:10]}
    assert best_known <= {s.item_id for s in scored}, best_known - {s.item_id for s in scored}


@pytest.mark.parametrize("request_text", ["I loved Inception and Interstellar", "I want something like The Notebook",
                                          "I loved The Godfather", "Mad Max: Fury Road was great"])
def test_without_a_log_a_liked_films_answer_is_of_films_people_know(app, request_text: str) -> None:
    """With no interaction log (the chat as shipped), how well known a film is stands in for how often people pick
    it: the answer is not a list of obscure films that happen to sit near the liked one's words ("Date Movie" for
    The Notebook). One less known place in five stays, on purpose."""
    items = picks(app, request_text).items
    pct = app.engine.ranker.vectors.popularity_pct
    obscure = [(i.title, round(pct.get(i.item_id, 0.0), 2)) for i in items if pct.get(i.item_id, 0.0) < 0.5]
    assert len(items) == 5 and len(obscure) <= 1, obscure


@pytest.mark.parametrize("request_text", ["show me some older films", "an old classic please"])
def test_older_on_a_first_turn_means_old_for_what_people_know(app, request_text: str) -> None:
    """With nothing shown yet, "older" is measured against the catalog's best-known films, and a request of nothing
    but that gets well-known old films, not titles with "Old" in them."""
    items = picks(app, request_text).items
    known = sorted(app.engine.catalog.by_id[i].year for i in app.engine.ranker.vectors.best_known
                   if app.engine.catalog.by_id[i].year)
    older_than = known[len(known) // 4]  # older than three in four of the best-known films
    pct = app.engine.ranker.vectors.popularity_pct
    assert len(items) == 5 and all(i.year < older_than for i in items), [(i.title, i.year) for i in items]
    assert not [i.title for i in items if re.search(r"\bold", i.title, re.I)]
    assert sorted(pct.get(i.item_id, 0.0) for i in items)[2] >= 0.8, [(i.title, pct.get(i.item_id)) for i in items]


@pytest.mark.parametrize("pointing", ["the third one looks great", "not the first"])
def test_pointing_at_the_last_list_is_no_words_to_search_with(app, pointing: str) -> None:
    shown = picks(app, "I want a comedy", session="pointing").items
    series = shown[2 if "third" in pointing else 0].title.split()[0]  # its sequels may be named so: Shrek the Third
    titles = [i.title for i in picks(app, pointing, session="pointing").items]
    assert len(titles) == 5 and not [t for t in titles if re.search(r"\b(third|3|iii|first|1)\b", t, re.I)
                                     and not t.startswith(series)], titles


def test_a_liked_film_in_another_language_brings_films_in_it_and_says_so(app) -> None:
    # Before: "I loved Memories of Murder" answered Se7en, Memento, A Clockwork Orange, Pulp Fiction: one Korean film.
    catalog = app.engine.catalog
    result = picks(app, "I loved Memories of Murder", k=6)
    korean = [r for r in result.items if catalog.by_id[r.item_id].extra.get("original_language") == "ko"]
    assert len(korean) >= 3, [r.title for r in result.items]
    assert any("also in Korean, like Memories of Murder" in r.reasons for r in korean), [r.reasons for r in korean]
    english = picks(app, "I loved Se7en", session="english", k=6).items  # English says nothing: most films are
    assert len(english) == 6 and not any("also in" in reason for r in english for reason in r.reasons)


def test_a_genre_asked_for_brings_films_that_are_mostly_of_it(app) -> None:
    # Before: The Imitation Game (History, Drama, Thriller) came into "a good war movie" for its rating alone.
    catalog = app.engine.catalog
    items = [catalog.by_id[r.item_id] for r in picks(app, "I want a good war movie", k=6).items]
    assert len(items) == 6 and all("war" in [g.lower() for g in i.genres[:2]] for i in items), [
        (i.title, i.genres) for i in items]


def language(app, item_id: str) -> str:
    return app.engine.ranker.vectors.language_of(app.engine.catalog.by_id[item_id])


@pytest.mark.parametrize("request_text", ["I like comedies", "I want a drama"])
def test_a_request_in_english_with_no_foreign_film_in_it_gets_films_in_english(app, request_text: str) -> None:
    # Before: Life Is Beautiful (Italian) was the fourth comedy and the third drama; 1% of the dev targets are in
    # a language other than English, 8% of the picks were. "The best dramas" may still hold it.
    items = picks(app, request_text, session=f"english-{len(request_text)}").items
    assert len(items) == 5 and all(language(app, i.item_id) in ("", "en") for i in items), [
        (i.title, language(app, i.item_id)) for i in items]


@pytest.mark.parametrize("request_text", ["I love foreign films", "something with subtitles"])
def test_foreign_films_asked_for_are_films_not_in_english(app, request_text: str) -> None:
    items = picks(app, request_text, session=f"foreign-{len(request_text)}").items
    assert len(items) == 5 and all(language(app, i.item_id) not in ("", "en") for i in items), [
        (i.title, language(app, i.item_id)) for i in items]



def test_what_is_said_no_to_stays_out_of_the_picks_and_their_reasons(app) -> None:
    # Before: "not Marvel or DC" answered DC films first, with a reason quoting "produced by Marvel Studios"; "not the
    # Jurassic ones" kept Jurassic Park (its own story does not name it; its title does).
    result = picks(app, "a superhero movie that's not Marvel or DC", k=5)
    named = [i.title for i in result.items if re.search(r"\bmarvel|\bdc\b", about(app, i.item_id) + i.title, re.I)]
    quoted = [r for i in result.items for r in i.reasons if re.search(r"marvel|\bdc\b", r, re.I)]
    assert len(result.items) == 5 and len(named) <= 1 and not quoted, (named, quoted)
    titles = [i.title for i in picks(app, "I love Spielberg movies but not the Jurassic ones", "j").items]
    assert len(titles) == 5 and not any("Jurassic" in t for t in titles), titles


def test_a_makers_surname_brings_their_films(app) -> None:
    # Before: "I'm a huge Tarantino fan" read nothing and got the cold-start list (Inception, Bohemian Rhapsody...).
    items = picks(app, "I'm a huge Tarantino fan").items
    theirs = [i.title for i in items if "tarantino" in about(app, i.item_id)
              or "Quentin Tarantino" in app.engine.catalog.by_id[i.item_id].links().get("cast", ())]
    assert len(items) == 5 and len(theirs) >= 4, [i.title for i in items]


def test_a_series_seen_in_full_stays_out(app) -> None:
    # Before: "I've seen all the Toy Story ones" answered Toy Story 2 and 3.
    picks(app, "I love Pixar movies", "t")
    titles = [i.title for i in picks(app, "I've seen all the Toy Story ones", "t").items]
    assert len(titles) == 5 and not any(t.startswith("Toy Story") for t in titles), titles


@pytest.mark.parametrize("text, director", [("I loved Jaws, what else did that director make?", "Steven Spielberg"),
                                            ("Fargo was great, more from the same directors?", "Joel Coen")])
def test_the_same_director_brings_their_films(app, text: str, director: str) -> None:
    # Before: only the film was read, and its neighbours answered (Jaws 2, Saw, King Kong; Forrest Gump).
    items = picks(app, text).items
    theirs = [i.title for i in items if director in app.engine.catalog.by_id[i.item_id].links().get("directors", ())]
    assert len(items) == 5 and len(theirs) >= 4, [i.title for i in items]


def test_the_same_director_asked_a_turn_later_brings_the_liked_films_director(app) -> None:
    # Before (stop 47): "I liked Jaws" then "what else by the same director?" read no director, and the neighbours
    # of Jaws answered again.
    picks(app, "I liked Jaws", "d")
    items = picks(app, "what else by the same director?", "d").items
    theirs = [i.title for i in items if "Steven Spielberg" in app.engine.catalog.by_id[i.item_id].links().get(
        "directors", ())]
    assert len(items) == 5 and len(theirs) >= 4, [i.title for i in items]


def test_an_actors_serious_films_when_the_silly_ones_are_refused(app) -> None:
    # Before: "not one of his silly ones" was read as nothing, and Yes Man and Bruce Almighty answered.
    items = picks(app, "something with Jim Carrey, but not one of his silly ones").items
    serious = [i.title for i in items if "Drama" in app.engine.catalog.by_id[i.item_id].genres]
    assert len(items) == 5 and len(serious) >= 4, [i.title for i in items]


def test_two_spellings_of_one_genre_are_one_ask(app) -> None:
    # Before: "a historical movie" asks for History and Historical (the catalog spells it both ways), and a film
    # listing both (Schindler's List) counted twice what one listing either did (The Imitation Game).
    catalog = app.engine.catalog
    scored, _ = app.engine.ranker.score(RankRequest(positives={"genre:history": 1.0, "genre:historical": 1.0},
                                                    turn_text="I want a historical movie"))
    kinds = {"history", "historical"}

    def leads_with_it(item: Item) -> bool:
        """Listed among its first two genres and named by its summary's opening, if that names any; family films and
        kinds a summary leaves out count less (retrieval.likeness.kind_share)."""
        named = named_kinds(item)
        return bool(kinds & set(item.facets[:2])) and (not named or bool(kinds & named)) and not for_families(item)

    leading = {round(s.parts["facet"], 6) for s in scored if leads_with_it(catalog.by_id[s.item_id])}
    assert leading == {app.engine.ranker.weights.facet}, leading
    both = [s for s in scored if {"history", "historical"} <= set(catalog.by_id[s.item_id].facets)]
    assert both and all(len(s.matched_facets) == 1 for s in both)


@pytest.mark.parametrize("request_text, kinds", [
    ("a funny horror movie", {"comedy", "horror"}),
    ("I'm looking for a funny sci-fi movie", {"comedy", "science fiction"}),
    ("a good sci-fi horror movie", {"science fiction", "horror"})])
def test_a_kind_of_two_genres_brings_films_of_both_across_turns(app, request_text: str, kinds: set[str]) -> None:
    # Before: either genre would do (The Grand Budapest Hotel for a funny horror film; after "something older",
    # The Shining, 2001: A Space Odyssey, Pulp Fiction). At 38k "romantic comedies" brought romantic dramas.
    catalog = app.engine.catalog
    for text in (request_text, "something older"):
        items = [catalog.by_id[r.item_id] for r in picks(app, text, k=6).items]
        assert len(items) == 6 and all(kinds <= set(i.facets) for i in items), [(i.title, i.genres) for i in items]


def test_a_kind_of_two_genres_too_rare_for_an_answer_takes_either(app) -> None:
    catalog = app.engine.catalog
    few = sum({"animation", "western"} <= set(i.facets) or {"animated", "western"} <= set(i.facets)
              for i in catalog.items)
    items = picks(app, "animated westerns please", k=6).items
    assert few < 6 and len(items) == 6, few
