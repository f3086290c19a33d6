"""The explanations eval counts what best of N did from the writer's own log lines (no model needed)."""

from __future__ import annotations

import logging

import pytest

from chatbot.evaluation.explanations import DropCounter, best_of_n
from chatbot.llm.fake import FakeChatModel
from chatbot.reply.writer import ReplyWriter
from chatbot.types import Recommendation
from chatbot.understanding.signals import SignalExtractor


@pytest.fixture()
def counter():
    drops = DropCounter()
    writer_log = logging.getLogger("chatbot.reply.writer")
    level = writer_log.level
    writer_log.addHandler(drops)
    writer_log.setLevel(logging.INFO)
    yield drops
    writer_log.removeHandler(drops)
    writer_log.setLevel(level)


def test_rescued_and_failed_turns_are_counted_with_their_time(sample_catalog, counter) -> None:
    matcher = SignalExtractor(sample_catalog, use_llm=False).titles
    item = sample_catalog.by_id["wp:Galaxy_Quest"]
    chosen = [Recommendation(item.id, item.title, item.year, item.description, None, None, 1.0, ["r"])]
    model = FakeChatModel(["Watch The Dark Knight.", "Galaxy Quest is worth a look.",
                           "Watch The Dark Knight.", "Watch The Dark Knight."])
    writer = ReplyWriter(model, matcher, candidates=2)
    for _ in range(2):
        "".join(writer.stream("space comedy", chosen, [], []))
    assert [shown for *_, shown in counter.rescues] == [True, False]
    assert counter.why["names an item that was not chosen"] == 2  # the greedy ones only: one per turn
    report = best_of_n(counter.rescues, 2)
    assert (report["tried"], report["rescued"], report["turns"]) == (2, 1, 2)
