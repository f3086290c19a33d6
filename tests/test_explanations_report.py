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


@pytest.mark.slow
def test_a_reason_is_checked_against_all_of_the_profile_not_the_twelve_facets_shown(make_app, sample_catalog) -> None:
    # Before (stop 47): the person's words were checked against the twelve facets a turn shows; with more films
    # liked, a genre they asked for fell out of the twelve and a reason quoting it was called unfaithful.
    from chatbot.evaluation.explanations import replay_answer
    from chatbot.evaluation.replay import Case

    matcher = SignalExtractor(sample_catalog, use_llm=False).titles
    popular = sorted((i for i in sample_catalog.items if i.year and i.popularity), key=lambda i: -i.popularity)
    known = [i for i in popular if [m.item_id for m in matcher.find(f"I loved {i.title}")] == [i.id]][:15]
    context = tuple(("user", f"I loved {item.title}") for item in known) + (("user", "anything else?"),)
    answer = replay_answer(make_app().engine, Case("c", "redial", "d", context, ()), consume=False)
    assert len(known) == 15 and all(item.label in answer["said"] for item in known), answer["said"]  # with years
