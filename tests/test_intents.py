"""What a message asks of the answer as a whole, read by the rules: here, a series wanted or kept out."""

from __future__ import annotations

import pytest

from chatbot.types import TurnSignals
from chatbot.understanding.intents import read_intents


@pytest.mark.parametrize("text, wants, avoids", [
    ("all the Alien films", True, False), ("are there any sequels?", True, False), ("the next one", True, False),
    ("no more sequels please", False, True), ("skip the sequels", False, True), ("not another sequel", False, True),
    ("nothing from the same franchise", False, True), ("I'm tired of franchises", False, True),
    ("a good thriller", False, False),
    # stop 33: seen in full keeps the series out ("all the Harry Potter movies" read as the series wanted)
    ("I've seen all the Toy Story ones", False, True), ("we watched all of the Harry Potter movies", False, True),
    ("I've seen every one of the Alien films", False, True),
])
def test_a_series_asked_for_or_kept_out(text: str, wants: bool, avoids: bool) -> None:
    signals = read_intents(text, TurnSignals())
    assert (signals.wants_series, signals.avoids_series) == (wants, avoids)
