"""FakeChatModel: a scripted chat model for tests and the `fake` backend, recording every prompt it gets."""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Callable, Iterator

from chatbot.llm.base import DEFAULT_MAX_NEW_TOKENS, BaseChatModel, ChatModelError, Message

# What the "fake" backend says: a fixed, harmless reply so the app runs without any model.
FAKE_REPLY = "Here are a few picks I think you will like."

Responder = Callable[[list[Message]], str]


class FakeChatModel(BaseChatModel):
    """A scripted model for tests: replies come from a queue (or a function), streamed word by word.

    Every call records the exact messages it got in `history`, so a test can assert the prompt.
    max_new_tokens counts words; delay_s sleeps before each word so timeouts can be tested. scores (reply text ->
    log-probability of each of its words) makes it report logprobs, as llama.cpp does; other replies score 0.
    """

    def __init__(
        self,
        responses: list[str] | Responder | None = None,
        *,
        default: str | None = None,
        delay_s: float = 0.0,
        max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS,
        timeout_s: float | None = None,
        scores: dict[str, float] | None = None,
    ) -> None:
        super().__init__(max_new_tokens=max_new_tokens, timeout_s=timeout_s)
        self.scores = scores
        self.reports_logprobs = scores is not None
        self.temperatures: list[float] = []  # of every call, in order
        self._responder = responses if callable(responses) else None
        self._queue: deque[str] = deque([] if callable(responses) or responses is None else responses)
        self.default = default
        self.delay_s = delay_s
        self.history: list[list[Message]] = []

    def enqueue(self, text: str) -> None:
        """Add a reply to be returned by a later call."""
        self._queue.append(text)

    def _next_reply(self, messages: list[Message]) -> str:
        if self._queue:
            return self._queue.popleft()
        if self._responder is not None:
            return self._responder(messages)
        if self.default is not None:
            return self.default
        raise ChatModelError("FakeChatModel has no reply queued: call enqueue(text) or pass responses=/default=")

    def _stream(
        self,
        messages: list[Message],
        *,
        max_new_tokens: int,
        stop: list[str],
        deadline: float | None,
        temperature: float,
        logprobs: list[float] | None = None,
    ) -> Iterator[str]:
        self.history.append([dict(m) for m in messages])
        self.temperatures.append(temperature)
        reply = self._next_reply(messages)
        return self._words(reply, max_new_tokens, deadline, logprobs)

    def _words(self, reply: str, max_new_tokens: int, deadline: float | None,
               logprobs: list[float] | None = None) -> Iterator[str]:
        # Each chunk is a word with its leading whitespace, so joining chunks gives back the text.
        for word in re.findall(r"\s*\S+\s*$|\s*\S+", reply)[:max_new_tokens]:
            if self.delay_s:
                time.sleep(self.delay_s)
            if deadline is not None and time.monotonic() >= deadline:
                return
            if logprobs is not None:
                logprobs.append((self.scores or {}).get(reply, 0.0))
            yield word
