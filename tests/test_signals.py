"""Signal extraction: a table of real-style messages (rules only), the LLM path with stub models, another domain."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from chatbot.understanding.llm_signals import first_json_object, parse_extraction
from chatbot.understanding.signals import SignalExtractor, merge
from chatbot.types import Constraints, Signal, TurnSignals
from chatbot.understanding.vocabulary import Vocabulary
from retrieval.catalog import load_catalog
from tests.conftest import check_reading

COURSES = Path(__file__).resolve().parent / "data" / "courses.jsonl"
SHOWN = ["wp:Heat_(1995_film)", "wp:Alien_(film)", "wp:Jaws_(film)", "wp:Up_(2009_film)", "wp:Big_(film)"]


class StubModel:
    """Returns scripted outputs and records the messages it got (independent of chatbot.llm)."""

    def __init__(self, *outputs: str | Exception) -> None:
        self.outputs = list(outputs)
        self.history: list[list[dict[str, str]]] = []

    def generate(self, messages, *, max_new_tokens=None, stop=None, timeout_s=None, temperature=0.0) -> str:
        self.history.append([dict(m) for m in messages])
        output = self.outputs.pop(0) if self.outputs else ""
        if isinstance(output, Exception):
            raise output
        return output


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(Path(__file__).resolve().parent.parent / "data" / "movies_sample.jsonl")


@pytest.fixture(scope="module")
def vocabulary(catalog):
    return Vocabulary.from_catalog(catalog)


@pytest.fixture(scope="module")
def rules_only(catalog, vocabulary):
    return SignalExtractor(catalog, vocabulary=vocabulary, use_llm=False)


def with_model(catalog, vocabulary, *outputs: str | Exception, **options) -> tuple[SignalExtractor, StubModel]:
    model = StubModel(*outputs)
    return SignalExtractor(catalog, vocabulary=vocabulary, model=model, **options), model


def strengths(result: TurnSignals) -> dict[str, float]:
    return {s.facet: s.strength for s in result.signals}


# Each row: message, and what must come out. "signals" is the exact {facet: strength} map; every other key is
# compared exactly too ("c" = constraint fields that must hold; unnamed constraint fields must stay empty).
TABLE: list[tuple[str, dict[str, Any]]] = [
    # liked / disliked / seen items
    ("I loved The Dark Knight", {"signals": {"item:wp:The_Dark_Knight": 2.0}}),
    ("Can you find something like Inception?", {"signals": {"item:wp:Inception": 2.0}}),
    ("Heat was great", {"signals": {"item:wp:Heat_(1995_film)": 2.0}}),
    ("I hated Titanic", {"signals": {"item:wp:Titanic_(1997_film)": -2.0}}),
    ("Jurassic Park was so boring", {"signals": {"item:wp:Jurassic_Park_(film)": -2.0}}),
    ("not Titanic please", {"signals": {"item:wp:Titanic_(1997_film)": -2.0}}),
    ("I've already seen Alien (1979)", {"signals": {}, "seen": ["wp:Alien_(film)"]}),
    ("already watched Jaws, loved it", {"signals": {"item:wp:Jaws_(film)": 2.0}, "seen": ["wp:Jaws_(film)"]}),
    ("I watched It (2017) and loved it", {"signals": {"item:wp:It_(2017_film)": 2.0}, "seen": ["wp:It_(2017_film)"]}),
    ("Didn't see Wedding Crashers but I liked Superbad",
     {"signals": {"item:wp:Superbad_(film)": 2.0}, "mentioned": ["wp:Wedding_Crashers", "wp:Superbad_(film)"]}),
    ("I love crime movies like Goodfellas (1990), Casino (1995) and Scarface (1983)",
     {"signals": {"genre:crime": 1.5, "item:wp:Goodfellas": 2.0, "item:wp:Casino_(film)": 2.0,
                  "item:wp:Scarface_(1983_film)": 2.0}}),
    ("I saw the Notebook and loved it! But not Game Night, About Time, or Sherlock Holmes.",
     {"signals": {"item:wp:The_Notebook": 2.0, "item:wp:Game_Night_(film)": -2.0,
                  "item:wp:About_Time_(2013_film)": -2.0, "item:wp:Sherlock_Holmes_(2009_film)": -2.0},
      "seen": ["wp:The_Notebook"]}),
    ("Is there anything like Mad Max: Fury Road but less violent?",
     {"signals": {"item:wp:Mad_Max:_Fury_Road": 2.0, "phrase:violent": -1.0,
                  **{f"genre:{g}": -0.4 for g in ("horror", "war", "crime", "thriller", "slasher", "action", "western",
                                                  "martial arts")}}}),
    # interests and aversions with negation scope
    ("not horror", {"signals": {"genre:horror": -1.0}, "c": {"exclude_genres": ["horror"]}}),
    ("no romance please", {"signals": {"genre:romance": -1.0}, "c": {"exclude_genres": ["romance"]}}),
    ("I don't like musicals", {"signals": {"genre:musical": -1.0}, "c": {"exclude_genres": ["musical"]}}),
    ("anything but westerns", {"signals": {"genre:western": -1.0}, "c": {"exclude_genres": ["western"]}}),
    ("I'm not into sci-fi", {"signals": {"genre:science fiction": -1.0},
                             "c": {"exclude_genres": ["science fiction"]}}),
    ("I like comedy but not horror", {"signals": {"genre:comedy": 1.0, "genre:horror": -1.0},
                                      "c": {"exclude_genres": ["horror"]}}),
    ("I love scary movies", {"signals": {"genre:horror": 1.5}}),
    ("I hate horror, musicals and westerns",
     {"signals": {"genre:horror": -1.5, "genre:musical": -1.5, "genre:western": -1.5},
      "c": {"exclude_genres": ["horror", "musical", "western"]}}),
    ("No, I haven't seen it. I like horror", {"signals": {"genre:horror": 1.0}}),
    ("Not a big fan of Tom Cruise", {"signals": {"person:tom cruise": -1.0}}),
    ("I love Adam Sandler movies", {"signals": {"person:adam sandler": 1.5}}),
    ("I'm looking for a funny sci-fi movie",
     {"signals": {"genre:comedy": 1.0, "genre:science fiction": 1.0},
      "c": {"include_genres": ["comedy", "science fiction"], "together": True}}),
    ("something scary but not too gory",  # gore is the catalog's slasher genre
     {"signals": {"genre:horror": 1.0, "genre:slasher": -1.0},
      "c": {"include_genres": ["horror"], "exclude_genres": ["slasher"]}}),
    # free phrases
    ("a heist movie with a strong female lead", {"signals": {"phrase:heist": 1.0, "phrase:heroine": 1.0}}),  # stop 52
    ("time travel", {"signals": {"phrase:time travel": 1.0}}),
    # where a film is set is a topic, not the film of that name
    ("a crime movie set in Chicago", {"signals": {"genre:crime": 1.0, "phrase:chicago": 1.0},
                                      "c": {"include_genres": ["crime"]}}),
    ("a romance that takes place in Casablanca", {"signals": {"genre:romance": 1.0, "phrase:casablanca": 1.0},
                                                  "c": {"include_genres": ["romance"]}}),
    ("movies set in New York", {"signals": {"phrase:new york": 1.0}}),
    ("I loved Chicago", {"signals": {"item:wp:Chicago_(2002_film)": 2.0}}),
    # a director the catalog names only in the summary ("directed by ...") is a person
    ("movies directed by Ridley Scott", {"signals": {"person:ridley scott": 1.0}}),
    # hard constraints
    ("something funny from the 90s", {"signals": {"genre:comedy": 1.0},
                                      "c": {"include_genres": ["comedy"], "year_min": 1990, "year_max": 1999}}),
    ("80s action movies", {"signals": {"genre:action": 1.0},
                           "c": {"include_genres": ["action"], "year_min": 1980, "year_max": 1989}}),
    ("a thriller made before 2000", {"signals": {"genre:thriller": 1.0},
                                     "c": {"include_genres": ["thriller"], "year_max": 1999}}),
    ("anything after 1995 with Tom Hanks", {"signals": {"person:tom hanks": 1.0}, "c": {"year_min": 1996}}),
    ("nothing before 2000 please", {"signals": {}, "c": {"year_min": 2000}}),
    ("show me some older films", {"signals": {}, "older": True}),
    ("something more recent", {"signals": {}, "newer": True}),
    ("something for kids", {"signals": {}, "c": {"kids": True}}),
    ("family movie night tonight!", {"signals": {}, "c": {"kids": True}}),
    ("what would my 7 year old like?", {"signals": {}, "c": {"kids": True}}),
    # references to the last list (SHOWN has 5 items)
    ("more like the second one", {"signals": {}, "more": [2]}),
    ("not that one", {"signals": {}, "reject": [1]}),
    ("not the first", {"signals": {}, "reject": [1]}),
    ("the last one looks good", {"signals": {}, "more": [5]}),
    ("the third one was boring", {"signals": {}, "reject": [3]}),
    # the whole list judged at once (stop 44: each read as nothing)
    ("I didn't like any of those", {"signals": {}, "reject": [1, 2, 3, 4, 5]}),
    ("meh, those look boring", {"signals": {}, "reject": [1, 2, 3, 4, 5]}),
    ("they all look great", {"signals": {}, "more": [1, 2, 3, 4, 5]}),
    ("I've seen all of those", {"signals": {}, "seen": SHOWN, "mentioned": []}),
    ("none of those", {"signals": {}, "reject": [1, 2, 3, 4, 5]}),
    ("less like the first one", {"signals": {}, "reject": [1]}),  # stop 43: was "more like" it
    # seen, which says no to none of their kind (stop 43: it was a no to all five westerns: Kill Bill answered)
    ("none of those, I've seen them all", {"signals": {}, "seen": SHOWN, "mentioned": []}),
    # a like taken back is no like (stop 43: "forget that I like horror" answered horror); a thing said, dropped
    ("forget that I like horror", {"signals": {"genre:horror": -1.0}, "c": {"exclude_genres": ["horror"]}}),
    ("forget I said I love horror", {"signals": {}, "taken_back": ["genre:horror"], "vague": True}),
    ("I haven't seen that one", {"signals": {}, "vague": True}),
    # nothing usable
    ("hi", {"signals": {}, "vague": True}),
    ("", {"signals": {}, "vague": True}),
    ("what do you suggest?", {"signals": {}, "vague": True}),
    ("I like all movies", {"signals": {}, "vague": True}),
]


@pytest.mark.parametrize(("text", "expected"), TABLE, ids=[t or "<empty>" for t, _ in TABLE])
def test_rule_table(rules_only, text, expected):
    check_reading(rules_only.extract(text, last_shown=SHOWN), expected)


def test_table_titles_exist_in_sample(catalog):
    # The table must talk about real catalog items, not ids invented to pass.
    for _, expected in TABLE:
        for facet in expected["signals"]:
            if facet.startswith("item:"):
                assert catalog.get(facet.removeprefix("item:")) is not None, facet
    assert all(catalog.get(i) for i in SHOWN)


def test_references_without_last_list(rules_only):
    assert rules_only.extract("more like the second one").more_like_shown == [2]
    assert rules_only.extract("the last one").more_like_shown == []  # "last" needs the list to resolve
    assert rules_only.extract("the fourth one", last_shown=SHOWN[:2]).more_like_shown == []  # out of range


def test_seen_reference_resolves_to_item(rules_only):
    result = rules_only.extract("I've seen the second one", last_shown=SHOWN)
    assert result.seen_item_ids == [SHOWN[1]]
    assert result.more_like_shown == [] and result.reject_shown == []


def test_year_forms(rules_only):
    def years(text: str) -> tuple[int | None, int | None]:
        c = rules_only.extract(text).constraints
        return c.year_min, c.year_max

    assert years("movies from the 1970s") == (1970, 1979)
    assert years("She was in her 90s") == years("a man in his early 30s") == (None, None)  # ages, not decades
    assert years("late 80s or early 90s") == (1985, 1994)
    assert years("between 1990 and 2005") == (1990, 2005)
    assert years("something from 1994") == (1994, 1994)
    assert years("2010 or later") == (2010, None)
    assert years("the eighties") == (1980, 1989)
    assert years("Alien 1979") == (None, None)  # the year belongs to the title
    assert years("Blade Runner 2049 was great") == (None, None)


def test_kids_negated_is_not_kids(rules_only):
    assert rules_only.extract("something not for kids").constraints.kids is False
    assert rules_only.extract("my daughter is 6").constraints.kids is True
    assert rules_only.extract("for my 16 year old").constraints.kids is False


@pytest.mark.parametrize("text", ["❶", "my ❼ year old", "number ❷ please", "from ❶❾❾❹", "I like #❺"])
def test_digit_like_symbols_are_not_numbers(rules_only, text):
    """Dingbat digits pass str.isdigit() but int() rejects them (a crash found by the API fuzz test)."""
    result = rules_only.extract(text, last_shown=SHOWN)
    assert result.constraints.year_min is None and result.constraints.kids is False and result.more_like_shown == []


def test_other_scripts_decimal_digits_still_count(rules_only):
    assert rules_only.extract("for my ٧ year old").constraints.kids is True  # Arabic-Indic seven


# --- LLM path ------------------------------------------------------------------------------------------------

GOOD = json.dumps({"likes": ["Horror", "science fiction movies"], "dislikes": ["musicals"],
                   "liked_titles": ["the dark knight"], "disliked_titles": [], "year_min": None, "year_max": None})


def test_llm_good_json_is_grounded_and_merged(catalog, vocabulary):
    # Rules leave "up" alone (an everyday word with no cue); the model names it, and the user did say it.
    output = json.dumps({"likes": ["Animated movies"], "dislikes": ["musicals"], "liked_titles": ["Up"],
                         "disliked_titles": [], "year_min": None, "year_max": None})
    extractor, model = with_model(catalog, vocabulary, "Sure! " + output + " Hope this helps.")
    text = "honestly we loved up, that pixar one, just no musicals"
    assert "item:wp:Up_(2009_film)" not in strengths(extractor.rules.extract(text))
    result = extractor.extract(text)
    assert strengths(result) == {"genre:animation": 1.0, "genre:animated": 1.0, "genre:musical": -1.0,
                                 "phrase:pixar": 1.0, "item:wp:Up_(2009_film)": 2.0}  # "pixar": Pixar's first
    assert result.mentioned_item_ids == ["wp:Up_(2009_film)"]
    assert result.source == "llm+rules"
    assert len(model.history) == 1


def test_works_with_the_project_fake_model(catalog, vocabulary):
    # chatbot.llm.fake.FakeChatModel streams word by word and honours stop strings: the "}" stop cuts the object,
    # and the parser closes it again.
    from chatbot.llm.fake import FakeChatModel

    model = FakeChatModel()
    model.enqueue('{"likes": ["western"], "dislikes": [], "liked_titles": ["Jaws"], "year_min": null}')
    extractor = SignalExtractor(catalog, vocabulary=vocabulary, model=model)
    result = extractor.extract("a western, or something like jaws")
    assert strengths(result) == {"genre:western": 1.0, "item:wp:Jaws_(film)": 2.0}
    assert model.history == [extractor.prompt("a western, or something like jaws")]


def test_llm_facets_must_be_said_unless_inference_is_on(catalog, vocabulary):
    output = '{"likes": ["comedy"], "liked_titles": ["Titanic"]}'
    strict, _ = with_model(catalog, vocabulary, output)
    result = strict.extract("what do you suggest?")
    assert result.signals == [] and result.is_vague and result.source == "rules"
    inferring, _ = with_model(catalog, vocabulary, output, llm_inference=True)
    result = inferring.extract("what do you suggest?")
    assert strengths(result) == {"genre:comedy": 0.5}  # inferred: half strength; the unsaid title stays out
    assert result.source == "llm" and not result.is_vague


def test_llm_catalog_hallucinations_are_dropped(catalog, vocabulary):
    # What the 135M default really does: real catalog values that the user never mentioned.
    output = json.dumps({"likes": ["drama"], "dislikes": ["romance"],
                         "liked_titles": ["The Dark Knight", "The Lion King", "Inception"]})
    extractor, _ = with_model(catalog, vocabulary, output)
    result = extractor.extract("I loved The Dark Knight but I hate musicals")
    assert strengths(result) == {"item:wp:The_Dark_Knight": 2.0, "genre:musical": -1.5}
    assert result.source == "llm+rules"  # the model agreed on the Dark Knight


def test_prompt_contains_user_text_and_asks_for_json(catalog, vocabulary):
    extractor, model = with_model(catalog, vocabulary, GOOD)
    text = "I loved Heat (1995) but no musicals, please!"
    extractor.extract(text)
    messages = model.history[0]
    assert [m["role"] for m in messages] == ["system", "user"]
    assert messages == extractor.prompt(text)
    user = messages[1]["content"]
    assert f"Message: {text}\nJSON:" in user
    for key in ("likes", "dislikes", "liked_titles", "disliked_titles", "year_min", "year_max"):
        assert f'"{key}"' in user
    assert "horror" in user  # the catalog's own genres are offered
    assert "ONE JSON object" in messages[0]["content"]


@pytest.mark.parametrize("garbage", [
    "", "I am a helpful assistant.", "{", "{{{{", "[1, 2, 3]", '{"likes": 5, "dislikes": {"a": 1}}',
    "likes: horror", '{"likes": [null, 3, {"x": 1}]}', "\x00\x01", "}{" * 50, '{"year_min": "soon"}',
])
def test_llm_garbage_falls_back_to_rules(catalog, vocabulary, rules_only, garbage):
    extractor, _ = with_model(catalog, vocabulary, garbage)
    text = "not horror, something from the 80s"
    result = extractor.extract(text)
    expected = rules_only.extract(text)
    assert strengths(result) == strengths(expected) == {"genre:horror": -1.0}
    assert result.constraints == expected.constraints
    assert result.source == "rules"


def test_llm_exception_falls_back_to_rules(catalog, vocabulary):
    extractor, _ = with_model(catalog, vocabulary, TimeoutError("model took too long"))
    result = extractor.extract("I love westerns")
    assert strengths(result) == {"genre:western": 1.5}
    assert result.source == "rules"


def test_llm_partial_json_is_closed(catalog, vocabulary):
    truncated = '```json\n{"likes": ["western", "animation"], "dislikes": ["horr'
    extractor, _ = with_model(catalog, vocabulary, truncated)
    result = extractor.extract("maybe a western or an animation?")
    # "animation" grounds to both spellings the sample uses; the cut-off "horr" is dropped, not guessed.
    assert strengths(result) == {"genre:western": 1.0, "genre:animation": 1.0, "genre:animated": 1.0}


def test_llm_ungrounded_values_are_dropped(catalog, vocabulary):
    output = json.dumps({"likes": ["quantum knitting", "Space Opera Deluxe", "x" * 300],
                         "liked_titles": ["A Movie That Does Not Exist At All"], "dislikes": ["blorp"]})
    extractor, _ = with_model(catalog, vocabulary, output)
    result = extractor.extract("hello there")
    assert result.signals == [] and result.is_vague and result.source == "rules"


def test_llm_conflicting_polarity_rules_win(catalog, vocabulary):
    output = json.dumps({"likes": ["horror"], "liked_titles": ["Titanic", "Up"]})
    extractor, _ = with_model(catalog, vocabulary, output)
    result = extractor.extract("no horror please, and I hated Titanic. my kid loved up though")
    got = strengths(result)
    assert got["genre:horror"] == -1.0 and got["item:wp:Titanic_(1997_film)"] == -2.0
    assert got["item:wp:Up_(2009_film)"] == 2.0  # the model's unopposed, said title is kept
    assert result.constraints.exclude_genres == ["horror"]
    assert result.source == "llm+rules"


def test_llm_contradicting_itself_is_ignored(catalog, vocabulary):
    output = '{"liked_titles": ["Titanic"], "disliked_titles": ["Titanic"], "likes": ["western"]}'
    extractor, _ = with_model(catalog, vocabulary, output)
    result = extractor.extract("what about titanic? or a western")
    assert "item:wp:Titanic_(1997_film)" not in strengths(result)
    assert strengths(result)["genre:western"] == 1.0


def test_llm_everyday_title_needs_the_user_to_say_it(catalog, vocabulary):
    extractor, _ = with_model(catalog, vocabulary, '{"liked_titles": ["Up", "Heat"]}')
    result = extractor.extract("the one with the bank robbery, Heat maybe")
    items = {f for f in strengths(result) if f.startswith("item:")}
    assert items == {"item:wp:Heat_(1995_film)"}  # "Up" was never said


def test_llm_years_need_a_time_cue(catalog, vocabulary):
    output = '{"likes": [], "year_min": 1980, "year_max": 1989}'
    extractor, _ = with_model(catalog, vocabulary, output, output)
    assert extractor.extract("I like westerns").constraints.year_min is None
    dated = extractor.extract("I like westerns from 1985")
    assert (dated.constraints.year_min, dated.constraints.year_max) == (1985, 1985)  # rules' year wins


def test_llm_copying_the_example_is_ignored(catalog, vocabulary):
    extractor, _ = with_model(catalog, vocabulary)
    extractor.model.outputs.append(json.dumps(extractor.example.answer))
    result = extractor.extract("hello")
    assert result.signals == [] and result.is_vague


def test_llm_list_sizes_are_capped():
    data = parse_extraction(json.dumps({"likes": [f"g{i}" for i in range(100)], "liked_titles": "Heat"}))
    assert data is not None and len(data.likes) == 8 and data.liked_titles == ["Heat"]


@pytest.mark.parametrize(("text", "expected"), [
    ('noise {"a": 1} more {"b": 2}', {"a": 1}),
    ("{'likes': ['horror'], 'year_min': None,}", {"likes": ["horror"], "year_min": None}),
    ('{"likes": ["a}b"], "x": "{"}', {"likes": ["a}b"], "x": "{"}),
    ('{"likes": ["horror", "com', {"likes": ["horror", "com"]}),
    ('{"likes": ["horror"], "dis', {"likes": ["horror"]}),
    ("no json here", None),
])
def test_first_json_object(text, expected):
    assert first_json_object(text) == expected


def test_merge_does_not_use_llm_when_nothing_grounded():
    rules = TurnSignals(signals=[Signal("genre:horror", -1.0)], constraints=Constraints(exclude_genres=["horror"]))
    from chatbot.understanding.llm_signals import LLMSignals

    merged = merge(rules, LLMSignals(signals=[Signal("genre:horror", 1.0)]))
    assert merged.signals == [Signal("genre:horror", -1.0)] and merged.source == "rules"


# --- another domain ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def courses():
    return SignalExtractor(load_catalog(COURSES), use_llm=False)


def test_course_catalog_is_valid():
    catalog = load_catalog(COURSES)
    assert len(catalog) >= 20
    assert all(item.tags and item.description for item in catalog.items)


@pytest.mark.parametrize(("text", "expected"), [
    ("I want to learn python but no statistics", {"tag:python": 1.0, "tag:statistics": -1.0}),
    ("something on machine learning with Priya Raman", {"tag:machine learning": 1.0, "person:priya raman": 1.0}),
    ("I want to get better at stats", {"tag:statistics": 1.0}),
    ("nothing with javascript please", {"tag:javascript": -1.0}),
    ("I loved Statistics 101, more like that", {"item:c03": 2.0}),
    ("I'm into UX", {"tag:user experience": 1.0}),
])
def test_course_domain_grounding(courses, text, expected):
    assert strengths(courses.extract(text)) == expected


def test_film_synonyms_do_not_leak_into_courses(courses):
    result = courses.extract("I like scary movies")
    assert result.signals == [] and result.is_vague


# --- speed (printed, not asserted: machines differ) ----------------------------------------------------------

def test_speed_is_printed(catalog, capsys):
    start = time.perf_counter()
    extractor = SignalExtractor(catalog, use_llm=False)
    build_s = time.perf_counter() - start
    texts = [text for text, _ in TABLE] * 5
    start = time.perf_counter()
    for text in texts:
        extractor.extract(text, last_shown=SHOWN)
    per_message_ms = (time.perf_counter() - start) * 1000 / len(texts)
    with capsys.disabled():
        print(f"\n[signals] sample build {build_s:.2f} s, {per_message_ms:.2f} ms/message")
    assert strengths(extractor.extract("not horror")) == {"genre:horror": -1.0}


@pytest.mark.parametrize("text, acclaimed", [
    ("a good movie", True), ("the best westerns", True), ("a really good drama", True), ("classic films", True),
    ("a feel good movie", False), ("some feel-good comedies", False), ("I feel good about it", False),
    ("what's popular right now?", True), ("a crowd pleaser", True),  # what many like (stop 36: was no ask)
    ("a smart comedy", True), ("a clever thriller", True),  # stop 44: "smart" a story word (Get Smart)
    ("something smarter", True),  # ... or nothing
])
def test_good_asks_for_acclaim_but_feel_good_asks_for_a_mood(rules_only, text: str, acclaimed: bool) -> None:
    assert rules_only.extract(text).wants_acclaimed is acclaimed

