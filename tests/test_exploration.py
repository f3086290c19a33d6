"""Exploration: one pick of an answer from a direction the conversation has not tried, labelled, with its reason."""

from __future__ import annotations

import pytest

from chatbot.evaluation.faithful import FaithfulnessCheck
from chatbot.reply.writer import item_lines
from chatbot.web.ui_render import render_card
from retrieval.explore import Explorer, turn_rng
from retrieval.rank import Scored

GENRES = {"a": ["Drama"], "b": ["Drama", "Romance"], "c": ["Romance"], "d": ["Drama"], "e": ["Western", "Drama"],
          "f": ["Horror"]}


def _ranked(*ids: str) -> list[Scored]:
    return [Scored(i, 1.0 - n / 10, {}) for n, i in enumerate(ids)]


def test_choose_keeps_the_top_and_takes_the_best_later_candidate_with_an_untried_genre() -> None:
    explorer = Explorer(1.0, lambda i: GENRES[i])
    answer, pick = explorer.choose(_ranked("a", "b", "c", "d", "e", "f"), k=3, tried={"drama"})
    # a, b kept; c (romance) is tried through b; d is drama; e brings western: the best untried direction.
    assert [s.item_id for s in answer] == ["a", "b", "e"]
    assert pick is not None and pick.position == 2 and pick.genre == "Western"


def test_choose_without_an_untried_genre_is_the_plain_top_k() -> None:
    explorer = Explorer(1.0, lambda i: GENRES[i])
    answer, pick = explorer.choose(_ranked("a", "b", "c", "d"), k=3, tried=set())
    assert [s.item_id for s in answer] == ["a", "b", "c"] and pick is None
    assert Explorer(1.0, lambda i: GENRES[i]).choose(_ranked("a", "b"), k=1, tried=set())[1] is None


def test_rate_is_checked_and_the_draw_is_fixed_by_session_and_turn() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        Explorer(1.5, lambda i: ())
    explorer = Explorer(0.5, lambda i: ())
    draws = [explorer.wants_to_explore(turn_rng("s1", t)) for t in range(40)]
    assert draws == [explorer.wants_to_explore(turn_rng("s1", t)) for t in range(40)]
    assert 5 < sum(draws) < 35  # about half the turns
    assert not any(Explorer(0.0, lambda i: ()).wants_to_explore(turn_rng("s1", t)) for t in range(40))


def test_an_exploring_answer_labels_one_pick_with_its_own_faithful_reason(make_small_engine, small_catalog) -> None:
    engine = make_small_engine(exploration="on", exploration_rate=1.0)
    result = engine.turn("explore-1", "a tense crime thriller")
    reply = "".join(result.stream)
    explored = [r for r in result.items if r.explore]
    assert len(explored) == 1 and len(result.items) == 5
    pick = explored[0]
    reason = pick.explanations[0]
    assert reason.kind == "explore" and reason.text.startswith("something different to try")
    genre = reason.marked[0]
    assert genre.lower() in small_catalog.by_id[pick.item_id].facets
    others = {f for r in result.items if r is not pick for f in small_catalog.by_id[r.item_id].facets}
    assert genre.lower() not in others
    check = FaithfulnessCheck(small_catalog)
    assert check.problems(pick, "a tense crime thriller") == []
    assert "something different to try" in reply and "something different to try" in render_card(pick, 5)
    line = [line for line in item_lines(result.items) if pick.title in line][0]
    assert "(something different to try)" in line


def test_feedback_on_the_exploring_pick_moves_the_profile(make_small_engine) -> None:
    engine = make_small_engine(exploration="on", exploration_rate=1.0)
    result = engine.turn("explore-2", "a tense crime thriller")
    pick = next(r for r in result.items if r.explore)
    profile = {f.facet: f.weight for f in engine.feedback("explore-2", pick.item_id, liked=True)}
    assert profile.get(f"item:{pick.item_id}", 0) > 0


def test_exploration_is_off_by_default_and_a_replayed_turn_explores_the_same_way(make_small_engine) -> None:
    plain = make_small_engine()
    assert not any(r.explore for r in plain.turn("explore-3", "a tense crime thriller").items)
    first = make_small_engine(exploration="on", exploration_rate=0.5)
    second = make_small_engine(exploration="on", exploration_rate=0.5)
    runs = []
    for engine in (first, second):
        picks = []
        for text in ("a tense crime thriller", "something funny", "a war film", "a love story", "space adventure"):
            picks.append([(r.item_id, r.explore) for r in engine.turn("explore-4", text).items])
        runs.append(picks)
    assert runs[0] == runs[1]
    assert any(explore for turn in runs[0] for _, explore in turn)


def test_the_http_api_marks_the_exploring_pick(make_small_engine, tmp_path) -> None:
    from fastapi.testclient import TestClient

    from chatbot.config import load_settings
    from chatbot.web.api import create_api
    from chatbot.web.readiness import EngineSlot

    engine = make_small_engine(exploration="on", exploration_rate=1.0)
    settings = load_settings(data_dir=tmp_path, chat_backend="fake", llm_signals=False, api_key=None, cors_origins="")
    response = TestClient(create_api(EngineSlot(engine), settings)).post(
        "/api/chat", json={"message": "a tense crime thriller"})
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [i["explore"] for i in items].count(True) == 1
    explored = next(i for i in items if i["explore"])
    assert explored["explanations"][0]["kind"] == "explore" and "something different" in explored["reasons"][0]
