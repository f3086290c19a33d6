"""A language asked for is a filter: a table of what a person says and the languages they want, and the picks."""

from __future__ import annotations

import pytest

from chatbot.understanding.lexicon import LANGUAGE_WORDS

LANGUAGE_PHRASES = [  # (what the person says, languages wanted, languages not wanted)
    ("Korean thrillers", ["ko"], []),
    ("some good French comedies", ["fr"], []),
    ("a Japanese movie", ["ja"], []),
    ("I love anime", ["ja"], []),
    ("something in Spanish", ["es"], []),
    ("Italian movies", ["it"], []),  # the language, not the film "The Italian"
    ("Bollywood", ["hi"], []),
    ("no Japanese films please", [], ["ja"]),
    ("not anime", [], []),
    ("not Korean this time", [], ["ko"]),  # stop 43: read as a story word, and Korean films answered  # no cartoons, not no Japanese films (stop 43: it lost a Japanese horror its language)
    ("a movie about a German soldier", [], []),  # a soldier's nationality, not the film's language
    ("The Italian Job was great", [], []),  # a title
    # English keeps the other languages out (stop 33); it is no language kept to, as most items of a film catalog
    # carry none and would all be dropped
    ("I want an English film", [], list(LANGUAGE_WORDS["foreign"])),
    # a language at the end of what is asked (read as a topic, or in the 38k catalog as the actor Dawn French),
    # one named narrows "foreign", and one listed before another counts (stop 34)
    ("something French", ["fr"], []),
    ("Spanish please", ["es"], []),
    ("a foreign film with subtitles, maybe French", ["fr"], []),
    ("Korean or Japanese films", ["ko", "ja"], []),
    ("French fries", [], []),
    # ... or "only" it (stop 47: "only english please" searched stories for "english")
    ("only english please", [], list(LANGUAGE_WORDS["foreign"])), ("English only", [], list(LANGUAGE_WORDS["foreign"])),
    ("only French", ["fr"], []),
    ("a Spanish-language thriller", ["es"], []), ("a Korean-language film", ["ko"], []),  # stop 51: a topic
]


@pytest.mark.parametrize("text, wanted, unwanted", LANGUAGE_PHRASES)
def test_language_phrases_mean_what_people_mean(rules, text: str, wanted: list[str], unwanted: list[str]) -> None:
    constraints = rules.extract(text).constraints
    assert (constraints.languages, constraints.exclude_languages) == (wanted, unwanted)


def language(app, item_id: str) -> str | None:
    return app.engine.catalog.by_id[item_id].extra.get("original_language")


@pytest.mark.slow
def test_a_language_asked_for_keeps_the_picks_to_it_across_turns(make_app) -> None:
    app = make_app()
    for text in ("some French films", "something more recent"):
        result = app.engine.turn("fr", text, k=5)
        "".join(result.stream)
        assert len(result.items) == 5 and all(language(app, i.item_id) == "fr" for i in result.items), [
            (i.title, language(app, i.item_id)) for i in result.items]


@pytest.mark.slow
@pytest.mark.parametrize("turns", [["a Vietnamese movie"],  # the sample has none
                                   ["I adore Japanese animation", "and musicals"]])  # none of both
def test_a_language_that_would_leave_no_answer_is_let_go(make_app, turns: list[str]) -> None:
    engine = make_app().engine
    for text in turns:
        result = engine.turn("none", text, k=5)
        "".join(result.stream)
    assert len(result.items) == 5
