"""Continuous batching for llama.cpp: concurrent replies decoded together, one sequence each, in one context.

One decode thread owns the llama context. Each step it builds one llama_batch holding the next token of every
reply being written plus prompt tokens of replies joining (chunked within n_batch), decodes it once, and samples
each reply from its own row of logits. Replies join when a sequence is free and leave at end of turn, max tokens,
their deadline, or when their reader stops; the sequence is then cleared for the next. Sequence 0 holds the
prompt prefix that requests share (the rules and worked examples), read once and copied into each new sequence
(llama_memory_seq_cp), as llama.cpp's examples/parallel does with its system prompt.
"""

from __future__ import annotations

import codecs
import ctypes
import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from chatbot.llm.base import ChatModelError, reusable_prefix
from chatbot.llm.llama_cpp_lib import Batch
from chatbot.llm.llamacpp_grammar import GrammarSampler

if TYPE_CHECKING:
    from chatbot.llm.llamacpp_model import LlamaCppChatModel

log = logging.getLogger(__name__)

PREFIX_SEQ = 0  # holds the shared prompt prefix only; replies use sequences 1..slots
MIN_PREFIX_GAIN = 32  # re-read the shared prefix only when that saves at least this many tokens per reply
STATS_LOG_S = 30.0
_DONE = object()


@dataclass(eq=False)
class _Reply:
    """One reply being written: its prompt, limits, sequence and where its text goes."""

    ids: list[int]
    max_new_tokens: int
    deadline: float | None
    temperature: float
    constraint: GrammarSampler | None = None  # the grammar its tokens must follow, if any
    logprobs: list[float] | None = None  # each sampled token's log-probability goes here, when given
    out: queue.SimpleQueue = field(default_factory=queue.SimpleQueue)
    seq: int = -1
    fed: int = 0  # prompt tokens in the KV cache so far (copied prefix included)
    next_token: int = -1  # sampled, to be decoded in the next step
    row: int = -1  # its logits row in the batch just decoded, or -1
    made: int = 0
    cancelled: bool = False
    decoder: codecs.IncrementalDecoder = field(
        default_factory=lambda: codecs.getincrementaldecoder("utf-8")(errors="replace")
    )


class Batcher:
    """The decode loop of one llama context with `slots` reply sequences (plus the shared-prefix sequence)."""

    def __init__(self, model: LlamaCppChatModel, slots: int, n_batch: int) -> None:
        self.model = model
        self.slots = slots
        self.n_batch = n_batch
        self._cond = threading.Condition()
        self._waiting: list[_Reply] = []
        self._active: list[_Reply] = []
        self._free = list(range(1, slots + 1))
        self._prefix: list[int] = []  # tokens held by PREFIX_SEQ
        self._last_prompt: list[int] = []
        # What a caller can observe: how many replies each decode step carried, and the most at once.
        self.step_sizes: Counter[int] = Counter()
        self.max_batch = 0
        self.decode_steps = 0
        self.reused_tokens = 0
        self._logged = (0.0, 0)
        self._logged_max = 0
        array = ctypes.c_int32 * n_batch
        self._token, self._pos, self._n_seq = array(), array(), array()
        self._logits = (ctypes.c_int8 * n_batch)()
        self._seq_ids = [(ctypes.c_int32 * 1)(s) for s in range(slots + 1)]
        self._seq_ptrs = (ctypes.POINTER(ctypes.c_int32) * n_batch)()
        self._threads = model.threads  # what llama.cpp computes with now (see _pick_threads)
        self.thread_steps: Counter[int] = Counter()  # decode steps per thread count
        self._thread = threading.Thread(target=self._run, name="llama.cpp-batch", daemon=True)
        self._thread.start()

    def stats(self) -> dict[str, object]:
        """Replies per decode step so far ({'max', 'steps', 'sizes': {replies: steps}}), and free sequences now."""
        with self._cond:
            return {"max": self.max_batch, "steps": self.decode_steps, "sizes": dict(sorted(self.step_sizes.items())),
                    "free": len(self._free), "waiting": len(self._waiting),
                    "threads": dict(sorted(self.thread_steps.items()))}

    def spare(self) -> int:
        """Sequences free for replies that could start now: free ones less the replies already waiting."""
        with self._cond:
            return max(0, len(self._free) - len(self._waiting))

    def stream(self, ids: list[int], max_new_tokens: int, deadline: float | None, temperature: float,
               constraint: GrammarSampler | None = None, logprobs: list[float] | None = None) -> Iterator[str]:
        """Queue one reply and yield its text as the decode loop writes it; closing this frees its sequence.

        constraint: a grammar sampler of its own (the batch owns it from here and frees it when the reply ends).
        logprobs: each sampled token's log-probability is appended here.
        """
        reply = _Reply(ids, max_new_tokens, deadline, temperature, constraint, logprobs)
        with self._cond:
            self._waiting.append(reply)
            self._cond.notify_all()
        try:
            while True:
                item = reply.out.get()
                if item is _DONE:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            with self._cond:
                reply.cancelled = True  # a reader that stops early: the loop drops the reply at its next step
                self._cond.notify_all()

    # --- the decode thread -------------------------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._waiting and not self._active:
                    self._cond.wait()
                self._retire_locked()
                joining = self._admit_locked()
            try:
                for reply in joining:
                    self._start(reply)
                if self._active:
                    self._step()
            except Exception as exc:  # noqa: BLE001 - fail every reply in the batch, keep the loop alive
                log.warning("llama.cpp batch decode failed: %s", exc)
                error = exc if isinstance(exc, ChatModelError) else ChatModelError(f"llama.cpp decode failed: {exc}")
                with self._cond:
                    for reply in self._active:
                        self._finish_locked(reply, error)
                    self._active = []
                self._forget_prefix()
            self._maybe_log()

    def _retire_locked(self) -> None:
        now = time.monotonic()
        for reply in list(self._waiting):
            if reply.cancelled:
                self._waiting.remove(reply)
            elif reply.deadline is not None and now >= reply.deadline:
                self._waiting.remove(reply)
                reply.out.put(ChatModelError(
                    "the chat model is busy with other replies; raise RECBOT_REPLY_TIMEOUT_S or retry"))
        for reply in list(self._active):
            if reply.cancelled or (reply.deadline is not None and now >= reply.deadline):
                self._finish_locked(reply, None)

    def _admit_locked(self) -> list[_Reply]:
        joining = []
        while self._waiting and self._free:
            reply = self._waiting.pop(0)
            reply.seq = self._free.pop(0)
            self._active.append(reply)
            joining.append(reply)
        return joining

    def _finish_locked(self, reply: _Reply, error: BaseException | None) -> None:
        if reply in self._active:
            self._active.remove(reply)
        if reply.seq > 0:
            self.model._lib.llama_memory_seq_rm(self.model._memory, reply.seq, -1, -1)
            self._free.append(reply.seq)
            reply.seq = -1
        tail = reply.decoder.decode(b"", final=True)
        if tail and error is None and not reply.cancelled:
            reply.out.put(tail)
        if reply.constraint is not None:
            reply.constraint.close()
        reply.out.put(error if error is not None else _DONE)

    def _start(self, reply: _Reply) -> None:
        """Give a joining reply its sequence: the shared prefix copied in, the rest of its prompt left to feed."""
        lib, memory, ids = self.model._lib, self.model._memory, reply.ids
        common = reusable_prefix(self._last_prompt, ids) if self._last_prompt else 0
        self._last_prompt = ids
        if common >= reusable_prefix(self._prefix, ids) + MIN_PREFIX_GAIN:
            self._read_prefix(ids[:common])
        shared = reusable_prefix(self._prefix, ids) if self._prefix else 0
        lib.llama_memory_seq_rm(memory, reply.seq, -1, -1)
        if shared:
            # Across KV streams llama.cpp copies a sequence whole, so copy it all and cut it back to what is shared.
            lib.llama_memory_seq_cp(memory, PREFIX_SEQ, reply.seq, -1, -1)
            lib.llama_memory_seq_rm(memory, reply.seq, shared, -1)
        reply.fed = shared
        self.reused_tokens = shared

    def _read_prefix(self, prefix: list[int]) -> None:
        keep = 0
        for a, b in zip(self._prefix, prefix):
            if a != b:
                break
            keep += 1
        self.model._lib.llama_memory_seq_rm(self.model._memory, PREFIX_SEQ, keep, -1)
        for start in range(keep, len(prefix), self.n_batch):
            chunk = prefix[start : start + self.n_batch]
            for i, token in enumerate(chunk):
                self._put(i, token, start + i, PREFIX_SEQ, False)
            self._decode(len(chunk))
        self._prefix = list(prefix)

    def _forget_prefix(self) -> None:
        self.model._lib.llama_memory_seq_rm(self.model._memory, PREFIX_SEQ, -1, -1)
        self._prefix = []

    def _step(self) -> None:
        """One llama_decode: a token for every reply writing, then prompt tokens of joining ones, then sampling."""
        n = 0
        writing = [r for r in self._active if r.fed >= len(r.ids)]
        for reply in writing:
            self._put(n, reply.next_token, len(reply.ids) + reply.made - 1, reply.seq, True)
            reply.row = n
            n += 1
        for reply in self._active:
            if reply.fed >= len(reply.ids) or n >= self.n_batch:
                continue
            take = min(len(reply.ids) - reply.fed, self.n_batch - n)
            for i in range(take):
                last = reply.fed + i == len(reply.ids) - 1
                self._put(n, reply.ids[reply.fed + i], reply.fed + i, reply.seq, last)
                reply.row = n if last else -1
                n += 1
            reply.fed += take
        self._decode(n)
        rows = [r for r in self._active if r.row >= 0]
        with self._cond:
            self.decode_steps += 1
            self.step_sizes[len(rows)] += 1
            self.max_batch = max(self.max_batch, len(rows))
        for reply in rows:
            row, reply.row = reply.row, -1
            self._sample_and_emit(reply, row)

    def _sample_and_emit(self, reply: _Reply, row: int) -> None:
        model = self.model
        logits = np.ctypeslib.as_array(model._lib.llama_get_logits_ith(model._ctx, row), shape=(model._n_vocab,))
        if reply.constraint is None:
            token: int | None = model._pick(logits, reply.temperature, reply.logprobs)
        else:
            token = reply.constraint.pick(logits, reply.temperature, model._pick)
        expired = reply.deadline is not None and time.monotonic() >= reply.deadline
        if token is None or reply.cancelled or expired or model._lib.llama_vocab_is_eog(model._vocab, token):
            with self._cond:
                self._finish_locked(reply, None)
            return
        if reply.constraint is not None:
            reply.constraint.accept(token)
        text = reply.decoder.decode(model._token_bytes(token))
        if text:
            reply.out.put(text)
        reply.made += 1
        reply.next_token = token
        if reply.made >= reply.max_new_tokens:
            with self._cond:
                self._finish_locked(reply, None)

    def _put(self, i: int, token: int, pos: int, seq: int, logits: bool) -> None:
        self._token[i], self._pos[i], self._n_seq[i] = token, pos, 1
        self._seq_ptrs[i] = self._seq_ids[seq]
        self._logits[i] = 1 if logits else 0

    def _pick_threads(self) -> None:
        """Every core for a reply alone; model.busy_threads (RECBOT_CHAT_BUSY_THREADS) while several are in flight.

        On a machine shared with other busy processes, llama.cpp's worker threads, which meet at a spinning barrier
        after every operation, lose their cores and every barrier waits a scheduler slice: measured here at a load
        of 4-5, 32 sessions x 10 turns ran 0.40 turns/s on 2 threads and 1.11 with 1 thread while busy. On the
        same machine idle it is the other way round (2.14 against 1.49), so the default keeps every core.
        """
        busy = len(self._active) + len(self._waiting) > 1
        wanted = self.model.busy_threads if busy else self.model.threads
        if wanted != self._threads:
            self.model._lib.llama_set_n_threads(self.model._ctx, wanted, wanted)
            self._threads = wanted
        self.thread_steps[wanted] += 1

    def _decode(self, n: int) -> None:
        self._pick_threads()
        if not 0 < n <= self.n_batch:  # llama.cpp aborts the process on a batch over n_batch
            raise ChatModelError(f"internal: a batch of {n} tokens does not fit n_batch {self.n_batch}")
        address = ctypes.addressof
        batch = Batch(n, address(self._token), None, address(self._pos), address(self._n_seq),
                      address(self._seq_ptrs), address(self._logits))
        status = self.model._lib.llama_decode(self.model._ctx, batch)
        if status != 0:
            raise ChatModelError(f"llama.cpp could not decode a batch of {n} tokens (status {status})")

    def _maybe_log(self) -> None:
        now = time.monotonic()
        grew = self.max_batch > self._logged_max  # a new largest batch is logged at once (bench_load reads it)
        if grew or (self.decode_steps != self._logged[1] and now - self._logged[0] >= STATS_LOG_S):
            self._logged_max = self.max_batch
            self._logged = (now, self.decode_steps)
            log.info("llama.cpp batch: %s", self.stats())
