"""What the rules read about films a person has seen: judgements, soft endorsements, and answers to the last reply."""

from __future__ import annotations

import pytest

from tests.conftest import SAMPLE_CATALOG

HEAT, ALIEN = "wp:Heat_(1995_film)", "wp:Alien_(film)"


@pytest.fixture(scope="module")
def rules():
    from chatbot.understanding.signals import SignalExtractor
    from retrieval.catalog import load_catalog

    return SignalExtractor(load_catalog(SAMPLE_CATALOG), use_llm=False)


def _items(result) -> dict[str, float]:
    return {s.facet: s.strength for s in result.signals if s.facet.startswith("item:")}


@pytest.mark.parametrize(("text", "liked", "seen"), [
    ("I loved Heat (1995)", 2.0, True),  # a judgement means they saw it
    ("Heat (1995) was so boring", -2.0, True),
    ("I saw Heat (1995) last week", 1.0, True),  # named as watched: a weak like
    ("Have you seen Heat (1995)?", 1.0, True),  # asked about as a viewer
    ("I've already seen Heat (1995)", None, True),  # "already": only don't offer it again
    ("I haven't seen Heat (1995) but it sounds good", 2.0, False),
])
def test_films_named_by_the_person(rules, text, liked, seen) -> None:
    result = rules.extract(text)
    assert _items(result).get(f"item:{HEAT}") == liked
    assert (HEAT in result.all_seen()) is seen


@pytest.mark.parametrize(("previous", "answer", "more", "reject", "seen"), [
    ("Have you seen Heat (1995)?", "Yes, loved it!", [1], [], True),
    ("Have you seen Heat (1995)?", "Yes I have", [], [], True),
    ("Did you watch Heat (1995)?", "I did, but it was boring", [], [1], True),
    ("Have you seen Heat (1995)?", "No, not yet. Is it good?", [], [], False),
    ("Have you seen Heat (1995)?", "I like comedies", [], [], False),  # about something else
    ("Would you like Heat (1995)?", "yes", [], [], False),  # a bare yes to another question says nothing seen
])
def test_answers_about_the_one_film_just_named(rules, previous, answer, more, reject, seen) -> None:
    result = rules.extract(answer, last_shown=[HEAT], previous=previous)
    assert result.more_like_shown == more and result.reject_shown == reject
    assert (HEAT in result.all_seen()) is seen


def test_an_answer_is_not_guessed_when_several_films_were_named(rules) -> None:
    result = rules.extract("Yes, loved it!", last_shown=[HEAT, ALIEN], previous="Heat (1995) or Alien (1979)?")
    assert result.more_like_shown == [] and result.all_seen() == []


def test_the_engine_passes_its_last_reply(make_app) -> None:
    engine = make_app().engine
    engine.observe("ctx", "assistant", "Have you seen Heat (1995)?")
    result = engine.turn("ctx", "yes, loved it")
    assert any(f.facet == f"item:{HEAT}" and f.weight > 0 for f in result.profile)
    state = engine.sessions.state("ctx", engine.clock(), engine.half_lives)
    assert HEAT in state.seen


@pytest.mark.parametrize(("text", "liked", "seen"), [
    ("I watched Heat (1995). Thanks for the tip. It was a bit boring.", -2.0, True),
    ("I saw Heat (1995) yesterday. It was great!", 2.0, True),
    ("I haven't seen Heat (1995). It sounds great.", None, False),  # an expectation, not a judgement
    ("Heat (1995) isn't my style.", -2.0, True),
])
def test_a_later_sentence_judges_the_film_before(rules, text, liked, seen) -> None:
    result = rules.extract(text)
    assert _items(result).get(f"item:{HEAT}") == liked
    assert (HEAT in result.all_seen()) is seen
