"""What real seekers wrote (ReDial, the train half of the dev cases), read by the rules on the sample catalog: chat
idioms, talk about the talk and asides about themselves are no film, no topic and no no (rows as in
tests/test_signals.py: TABLE); an answer to a film offered says whether they want to see it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import check_reading

TABLE: list[tuple[str, dict[str, Any]]] = [
    # stop 50: a chat's idiom named Fair Enough (1918); talk words were topics
    ("Ha ha ha. Fair enough.", {"signals": {}, "vague": True}),
    ("I'm guessing it's a superhero movie with great potential", {"signals": {"genre:superhero": 1.0},
                                                                  "c": {"include_genres": ["superhero"]}}),
    ("I also stray away from comic book movies", {"signals": {"genre:superhero": -1.0},
                                                  "c": {"exclude_genres": ["superhero"]}}),
    ("Definitely something more adult oriented.", {"signals": {}, "c": {  # "adult" was a topic to search
        "exclude_genres": ["family", "children", "kids", "childrens", "animation", "animated"]}}),
    ("I'm not really picky about movies, for example comedies", {"signals": {"genre:comedy": 1.0}}),
    ("I don't have any kids! Although I do enjoy animated movies", {"signals": {  # a no to family films
        "genre:animated": 1.0, "genre:animation": 1.0}}),
    ("I love the whole cars series", {"signals": {"item:wp:Cars_(film)": 2.0}}),  # "cars series" a topic
    # a sentence-initial title in capitals praised as chat writes it (stop 50: a horror film and a topic "relly")
    ("Scary Movie good thas movie is relly good other", {"signals": {"item:wp:Scary_Movie": 2.0}}),
    ("Do you have any additional recommendations? I like crimes", {"signals": {"genre:crime": 1.0}}),
    ("Kevin Smith is a genius", {"signals": {"person:kevin smith": 1.0}}),  # "genius" was a topic
    ("Yeah, I like him. He always cracks me up. Good combination", {"signals": {"genre:comedy": 1.0},
                                                                   "c": {"include_genres": ["comedy"]}}),
]


@pytest.mark.parametrize(("text", "expected"), TABLE, ids=[t for t, _ in TABLE])
def test_seekers_words_table(rules, text: str, expected: dict[str, Any]) -> None:
    check_reading(rules.extract(text), expected)


HEAT = "wp:Heat_(1995_film)"


@pytest.mark.parametrize(("previous", "answer", "sign"), [
    # stop 53 (the train half's answers to a film offered, each read as nothing): a wish to see it ...
    ("How about Heat (1995)?", "No, but I should!", 1),
    ("Have you seen Heat (1995)?", "I have not. But will see it.", 1),
    ("You could also check out Heat (1995)", "Ok, I will! Thanks!", 1),
    ("Have you seen Heat (1995)?", "No, i have not seen it, i think i will try that one!", 1),
    ("Have you seen Heat (1995)?", "That's one I haven't seen! I'll check that out for sure!", 1),
    ("How about Heat (1995)?", "I haven't seen it. That is a great suggestion.", 1),
    # ... and none (the first was read as a wish to see it)
    ("Have you seen Heat (1995)?", "No, and I don't want to see it", -1),
    ("Have you seen Heat (1995)?", "nope, never gonna watch it", -1),
])
def test_an_answer_says_whether_the_film_offered_is_wanted(rules, previous: str, answer: str, sign: int) -> None:
    result = rules.extract(answer, last_shown=[HEAT], previous=previous)
    assert (result.more_like_shown, result.reject_shown) == (([1], []) if sign > 0 else ([], [1]))
    assert HEAT not in result.all_seen()


@pytest.mark.parametrize("text", ["I've already seen Heat (1995) and Alien (1979), anything else?",
                                  "I've seen Heat (1995) and Alien (1979). Any other suggestions?"])
def test_films_seen_and_more_asked_for_are_liked_a_little(rules, text: str) -> None:
    # Stop 53: "I've already seen Arrival and Interstellar, anything else?" got the cold-start list.
    result = rules.extract(text)
    strengths = {s.facet: s.strength for s in result.signals}
    assert [strengths.get(f"item:{i}", 0.0) for i in (HEAT, "wp:Alien_(film)")] == [1.0, 1.0]
    assert {HEAT, "wp:Alien_(film)"} <= set(result.all_seen()) and not result.is_vague
