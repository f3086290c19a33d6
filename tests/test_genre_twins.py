"""A genre the catalog names twice ("animation" and "animated") is one interest: one bar in the profile, one removal."""

from __future__ import annotations

import pytest

TWINS = {"genre:animation", "genre:animated"}


@pytest.mark.parametrize("text", ["something animated", "I love animation"])
def test_twin_genres_show_once_and_go_together(make_app, text: str) -> None:
    # Stop 53: "animated" showed "animated (genre) +1.0" and "animation (genre) +1.0", two bars for one interest
    # (so did "sport" and "sports"), and removing one left the other.
    engine = make_app().engine
    shown = [f for f in engine.turn("t", text).profile if f.facet in TWINS]
    assert [f.facet for f in shown] == ["genre:animation"] and shown[0].weight > 0  # its first name, every time
    after = engine.remove_facet("t", shown[0].facet)
    assert not [f for f in after if f.facet in TWINS]
    state = engine.sessions.state("t", engine.clock(), engine.half_lives)
    assert not TWINS & set(state.profile.weights(engine.clock()))
