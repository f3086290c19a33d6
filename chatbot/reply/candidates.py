"""Best of N lead-ins: more replies sampled to the same prompt, each filtered by the guards, the likeliest kept.

Used when the greedy lead-in lost every sentence to the guards. The candidates are written at once, each read by
its own thread: llama.cpp with RECBOT_CHAT_PARALLEL > 1 decodes them together in one batch, so they cost about one
reply's time, not N; a backend that writes one reply at a time takes them in turn.
"""

from __future__ import annotations

import logging
import statistics
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from chatbot.llm.base import ChatModel, Message

log = logging.getLogger(__name__)

Filter = Callable[[Iterator[str]], Iterator[str]]  # streamed text -> the sentences the guards let through


@dataclass
class Candidate:
    """One sampled lead-in: the sentences the guards kept and the model's log-probability of each token."""

    index: int
    shown: list[str]
    logprobs: list[float] = field(default_factory=list)
    failed: str | None = None  # the exception's type, when the model failed on this one

    @property
    def mean_logprob(self) -> float:
        """The model's own mean token log-likelihood of what it wrote (0 where the backend reports none)."""
        return statistics.fmean(self.logprobs) if self.logprobs else 0.0


def write_candidates(model: ChatModel, messages: list[Message], n: int, keep: Filter, *, temperature: float,
                     **stream_args: object) -> list[Candidate]:
    """n replies to messages at the temperature, written together, each passed through keep()."""
    scored = bool(getattr(model, "reports_logprobs", False))
    started: list[tuple[int, Iterator[str] | None, list[float], str | None]] = []
    for index in range(n):  # started in order here, so a scripted model answers them in order
        scores: list[float] = []
        extra = {"logprobs": scores} if scored else {}
        try:
            started.append((index, model.stream(messages, temperature=temperature, **extra, **stream_args),
                            scores, None))
        except Exception as exc:  # noqa: BLE001 - one failed candidate leaves the others
            started.append((index, None, scores, type(exc).__name__))

    def read(job: tuple[int, Iterator[str] | None, list[float], str | None]) -> Candidate:
        index, chunks, scores, failed = job
        if chunks is None:
            return Candidate(index, [], scores, failed)
        try:
            return Candidate(index, list(keep(chunks)), scores)
        except Exception as exc:  # noqa: BLE001 - the type only: a backend's message may quote the conversation
            return Candidate(index, [], scores, type(exc).__name__)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()  # a reader that stopped early frees the model's sequence now, not when collected

    with ThreadPoolExecutor(max_workers=max(1, n), thread_name_prefix="lead-in") as pool:
        return list(pool.map(read, started))


def best(candidates: list[Candidate]) -> Candidate | None:
    """The candidate with the highest mean token log-likelihood among those with sentences kept (the first of
    equals), or None when the guards kept nothing of any."""
    kept = [c for c in candidates if c.shown]
    for candidate in candidates:
        if candidate.failed:
            log.info("a lead-in candidate failed (%s)", candidate.failed)
    return max(kept, key=lambda c: (c.mean_logprob, -c.index)) if kept else None
