"""The chat model interface and what every backend shares: message checks, stop strings, deadlines, KV-prefix reuse."""

from __future__ import annotations

import os
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol, runtime_checkable

# One chat message: {"role": "system" | "user" | "assistant", "content": "..."}.
Message = dict[str, str]

DEFAULT_MAX_NEW_TOKENS = 80


SPARE_UNKNOWN = 1 << 20  # spare_replies() of a backend that cannot tell: as if unlimited


class ChatModelError(RuntimeError):
    """The chat model could not produce a reply; the message says what failed and how to fix it."""


@runtime_checkable
class ChatModel(Protocol):
    """Anything that turns a list of chat messages into streamed reply text."""

    def stream(
        self,
        messages: list[Message],
        *,
        max_new_tokens: int | None = None,
        stop: list[str] | None = None,
        timeout_s: float | None = None,
        temperature: float = 0.0,
        grammar: str | None = None,
        logprobs: list[float] | None = None,
    ) -> Iterator[str]:
        """Yield the reply in text chunks; ends early at a stop string, max_new_tokens or timeout_s.

        grammar: GBNF text the reply must match, where the backend can (supports_grammar); ignored otherwise.
        logprobs: a list the backend appends each sampled token's log-probability to, where it can
        (reports_logprobs); it stays empty otherwise.
        """
        ...

    def generate(
        self,
        messages: list[Message],
        *,
        max_new_tokens: int | None = None,
        stop: list[str] | None = None,
        timeout_s: float | None = None,
        temperature: float = 0.0,
        grammar: str | None = None,
        logprobs: list[float] | None = None,
    ) -> str:
        """The whole reply as one string."""
        ...

    def spare_replies(self) -> int:
        """How many more replies could start now without making anyone's reply wait."""
        ...


def cut_at_stop(chunks: Iterable[str], stop: list[str] | None) -> Iterator[str]:
    """Re-yield chunks, ending before the first stop string (even one split across chunks).

    Text that could be the start of a stop string is held back until the next chunk settles it,
    so a caller never sees part of a stop string. The source iterator is closed when a stop hits,
    which lets a backend stop generating.
    """
    stops = [s for s in (stop or []) if s]
    if not stops:
        yield from chunks
        return
    source = iter(chunks)
    pending = ""
    try:
        for chunk in source:
            pending += chunk
            cut = _first_stop(pending, stops)
            if cut is not None:
                if cut:
                    yield pending[:cut]
                return
            keep = _partial_stop_len(pending, stops)
            if len(pending) > keep:
                yield pending[: len(pending) - keep]
                pending = pending[len(pending) - keep :]
        if pending:
            yield pending
    finally:
        close = getattr(source, "close", None)
        if close is not None:
            close()


def _first_stop(text: str, stops: list[str]) -> int | None:
    hits = [i for i in (text.find(s) for s in stops) if i >= 0]
    return min(hits) if hits else None


def _partial_stop_len(text: str, stops: list[str]) -> int:
    # Longest tail of text that is a proper prefix of some stop string.
    best = 0
    for s in stops:
        for n in range(min(len(s) - 1, len(text)), best, -1):
            if text.endswith(s[:n]):
                best = n
                break
    return best


def check_messages(messages: list[Message]) -> None:
    """Raise ChatModelError unless messages is a non-empty list of {"role", "content"} string dicts."""
    if not isinstance(messages, list) or not messages:
        raise ChatModelError("messages must be a non-empty list of {'role': ..., 'content': ...} dicts")
    for i, m in enumerate(messages):
        if not isinstance(m, dict) or not isinstance(m.get("role"), str) or not isinstance(m.get("content"), str):
            raise ChatModelError(f"message {i} must be a dict with string 'role' and 'content', got {m!r}")


class BaseChatModel(ABC):
    """Shared behaviour: defaults, message checks, stop strings, the wall-clock limit, and generate()."""

    # A backend that can constrain decoding to a GBNF grammar sets this and takes `grammar` in _stream(); the
    # others never see the grammar, and callers must parse their output as they would anyway.
    supports_grammar = False
    # True for a backend whose _stream takes logprobs= and appends each sampled token's log-probability to it.
    reports_logprobs = False
    # The LoRA adapter GGUF applied to every reply, where the backend loaded one (llama.cpp); None otherwise.
    adapter: Path | None = None

    def __init__(self, *, max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS, timeout_s: float | None = None) -> None:
        self.max_new_tokens = max_new_tokens
        self.timeout_s = timeout_s

    def spare_replies(self) -> int:
        """How many more replies could start now without making anyone's reply wait: no limit known here (a
        remote server batches on its own); a model in this process says what it has free."""
        return SPARE_UNKNOWN

    @abstractmethod
    def _stream(
        self,
        messages: list[Message],
        *,
        max_new_tokens: int,
        stop: list[str],
        deadline: float | None,
        temperature: float,
    ) -> Iterator[str]:
        """Backend hook: yield raw text chunks; stop at max_new_tokens or when time.monotonic() passes deadline.

        Stop strings are applied by stream() whatever the backend does; a backend may also use them to stop early.
        """

    def stream(
        self,
        messages: list[Message],
        *,
        max_new_tokens: int | None = None,
        stop: list[str] | None = None,
        timeout_s: float | None = None,
        temperature: float = 0.0,
        grammar: str | None = None,
        logprobs: list[float] | None = None,
    ) -> Iterator[str]:
        """Yield the reply in text chunks; ends early at a stop string, max_new_tokens or timeout_s.

        grammar: GBNF text the reply must match (llama.cpp); a backend without supports_grammar ignores it.
        logprobs: filled with each sampled token's log-probability by a backend that reports_logprobs.
        """
        check_messages(messages)
        limit = self.max_new_tokens if max_new_tokens is None else max_new_tokens
        if limit < 1:
            raise ChatModelError(f"max_new_tokens must be at least 1, got {limit}")
        seconds = self.timeout_s if timeout_s is None else timeout_s
        deadline = None if seconds is None else time.monotonic() + seconds
        stops = [s for s in (stop or []) if s]
        extra: dict[str, object] = {"grammar": grammar} if grammar and self.supports_grammar else {}
        if logprobs is not None and self.reports_logprobs:
            extra["logprobs"] = logprobs
        raw = self._stream(messages, max_new_tokens=limit, stop=stops, deadline=deadline, temperature=temperature,
                           **extra)
        return cut_at_stop(_until(raw, deadline), stops)

    def generate(
        self,
        messages: list[Message],
        *,
        max_new_tokens: int | None = None,
        stop: list[str] | None = None,
        timeout_s: float | None = None,
        temperature: float = 0.0,
        grammar: str | None = None,
        logprobs: list[float] | None = None,
    ) -> str:
        """The whole reply as one string."""
        return "".join(
            self.stream(
                messages, max_new_tokens=max_new_tokens, stop=stop, timeout_s=timeout_s, temperature=temperature,
                grammar=grammar,
                logprobs=logprobs,
            )
        )


class LocalChatModel(BaseChatModel):
    """A model running in this process: one reply at a time, waiting for the model at most until the deadline."""

    def __init__(self, *, max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS, timeout_s: float | None = None) -> None:
        super().__init__(max_new_tokens=max_new_tokens, timeout_s=timeout_s)
        self._lock = threading.Lock()  # one generation at a time: two would halve each other's speed on a CPU

    def spare_replies(self) -> int:
        """None while a reply is being written (one at a time): another would wait for it."""
        return 0 if self._lock.locked() else 1

    def _stream(
        self,
        messages: list[Message],
        *,
        max_new_tokens: int,
        stop: list[str],
        deadline: float | None,
        temperature: float,
        grammar: str | None = None,
        logprobs: list[float] | None = None,
    ) -> Iterator[str]:
        wait = -1 if deadline is None else max(0.0, deadline - time.monotonic())
        if not self._lock.acquire(timeout=wait):
            raise ChatModelError("the chat model is busy with another reply; raise RECBOT_REPLY_TIMEOUT_S or retry")
        try:
            extra: dict[str, object] = {"grammar": grammar} if grammar else {}  # only backends with supports_grammar
            if logprobs is not None:  # only backends that report them get a list
                extra["logprobs"] = logprobs
            yield from self._generate_locked(messages, max_new_tokens, deadline, temperature, **extra)
        finally:
            self._lock.release()

    @abstractmethod
    def _generate_locked(
        self, messages: list[Message], max_new_tokens: int, deadline: float | None, temperature: float
    ) -> Iterator[str]:
        """Backend hook, called with the model's lock held."""


def reusable_prefix(cached: list[int], ids: list[int]) -> int:
    """How many leading tokens of ids a KV cache holding cached can keep: their common prefix, less at least one
    token, so that computing the rest gives logits to sample from."""
    shared = 0
    for a, b in zip(cached, ids):
        if a != b:
            break
        shared += 1
    return min(shared, len(ids) - 1)


def _until(chunks: Iterator[str], deadline: float | None) -> Iterator[str]:
    # Backends check the deadline too; this catches one that does not, so nothing follows a late chunk.
    try:
        for chunk in chunks:
            if not chunk:
                continue
            yield chunk
            if deadline is not None and time.monotonic() >= deadline:
                return
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()


def available_cpus() -> int:
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
