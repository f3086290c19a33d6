"""The prompt-prefix KV reuse scenario every local chat backend must pass (onnx, llama.cpp)."""

from __future__ import annotations

SYSTEM = {"role": "system", "content": "You are a friendly film expert. Answer in one short sentence."}
ASKS = [
    [SYSTEM, {"role": "user", "content": "Recommend a comedy."}],
    [SYSTEM, {"role": "user", "content": "Recommend a science fiction film."}],
    [SYSTEM, {"role": "user", "content": "Recommend a science fiction film."}],  # the whole prompt is cached
    [{"role": "user", "content": "What is 2+2? Answer with just the number."}],  # nothing shared
    [SYSTEM, {"role": "user", "content": "Recommend a comedy."}],
]


def check_prefix_reuse(kept, fresh) -> None:  # noqa: ANN001 - two chat models of one backend
    """kept reuses its KV cache between replies, fresh starts every reply anew: their replies must agree."""
    # Appending a suffix to a cached prefix runs other kernels than one whole-prompt pass, so float sums can
    # differ in the last bits and greedy decoding may part ways late, at a near tie; the start must agree.
    for ask in ASKS:
        got, want = kept.generate(ask), fresh.generate(ask)
        assert got.split()[:3] == want.split()[:3], (ask, got, want)
    kept.generate(ASKS[1])
    assert kept.reused_tokens > 10  # the system prompt, at least, came from the kept KV cache
    assert fresh.reused_tokens == 0
    # A reply cut short by a stop string leaves the kept cache usable.
    text = kept.generate(ASKS[1])
    words = text.split()
    assert len(words) > 3, text
    cut = kept.generate(ASKS[1], stop=[" " + words[len(words) // 2]])
    assert len(cut) < len(text)
    assert kept.generate(ASKS[1]).split()[:3] == words[:3]
    assert kept.reused_tokens > 10  # ...and its KV cache: a reply stopped early must not cost the next one reuse
    stream = kept.stream(ASKS[0])
    next(stream)
    stream.close()  # a reader that stops after the first chunk, as the reply writer does after two sentences
    assert kept.generate(ASKS[1]).split()[:3] == fresh.generate(ASKS[1]).split()[:3]
    assert kept.reused_tokens > 10
