"""Constrained decoding for llama.cpp: a GBNF grammar sampler that masks every token the grammar forbids."""

from __future__ import annotations

import ctypes
from collections.abc import Callable

import numpy as np

from chatbot.llm.base import ChatModelError
from chatbot.llm.llama_cpp_lib import TokenData, TokenDataArray

# One llama_token_data as numpy sees it: {int32 id; float logit; float p}, 12 bytes, no padding.
_TOKEN_DATA = np.dtype([("id", np.int32), ("logit", np.float32), ("p", np.float32)])
assert _TOKEN_DATA.itemsize == ctypes.sizeof(TokenData)

Picker = Callable[[np.ndarray, float], int]


class GrammarSampler:
    """One reply's grammar state: which tokens may come next, advanced by every token the reply takes."""

    def __init__(self, lib: ctypes.CDLL, vocab: int, n_vocab: int, grammar: str) -> None:
        self._lib = lib
        self._sampler = lib.llama_sampler_init_grammar(vocab, grammar.encode(), b"root")
        if not self._sampler:
            raise ChatModelError("llama.cpp could not parse the GBNF grammar it was given (see its log above)")
        self._all = np.zeros(n_vocab, dtype=_TOKEN_DATA)
        self._all["id"] = np.arange(n_vocab, dtype=np.int32)
        self._one = np.zeros(1, dtype=_TOKEN_DATA)

    def close(self) -> None:
        """Free the llama.cpp sampler (idempotent)."""
        if self._sampler:
            self._lib.llama_sampler_free(self._sampler)
            self._sampler = None

    def __del__(self) -> None:
        self.close()

    def _apply(self, candidates: np.ndarray) -> None:
        array = TokenDataArray(candidates.ctypes.data, len(candidates), -1, False)
        self._lib.llama_sampler_apply(self._sampler, ctypes.byref(array))

    def allows(self, token: int) -> bool:
        """True when the grammar accepts token next."""
        self._one["id"], self._one["logit"] = token, 0.0
        self._apply(self._one)
        return bool(np.isfinite(self._one["logit"][0]))

    def pick(self, logits: np.ndarray, temperature: float, picker: Picker) -> int | None:
        """The token picker chooses among the allowed ones; None when the grammar allows nothing more.

        The unconstrained choice is checked first (one candidate instead of the whole vocabulary), as
        llama.cpp's own sampler does: most tokens of a well-prompted reply already fit.
        """
        token = picker(logits, temperature)
        if self.allows(token):
            return token
        self._all["logit"] = logits
        self._apply(self._all)
        masked = self._all["logit"]
        if not np.isfinite(masked).any():
            return None
        return picker(np.ascontiguousarray(masked), temperature)

    def accept(self, token: int) -> None:
        """Advance the grammar past a token pick() returned."""
        self._lib.llama_sampler_accept(self._sampler, token)
