"""llama.cpp chat backend: the GGUF itself, run by llama.cpp's prebuilt CPU libraries through ctypes."""

from __future__ import annotations

import codecs
import ctypes
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from chatbot.llm.base import (
    DEFAULT_MAX_NEW_TOKENS, ChatModelError, LocalChatModel, Message, available_cpus, reusable_prefix,
)
from chatbot.llm.llama_cpp_lib import LlamaCppUnavailable, load_library
from chatbot.llm.llamacpp_grammar import GrammarSampler
from chatbot.llm.model_files import resolve_model

CONTEXT_TOKENS = 4096  # at most; prompts here stay under ~1k tokens, and the KV cache is allocated up front
# Batched: each reply sequence gets this much context of its own (KV caches are allocated up front, per sequence).
SEQUENCE_TOKENS = 2048
BATCH_TOKENS = 512  # tokens per llama_decode when batching: every writing reply's next token plus prompt chunks
PIECE_BYTES = 256
# Sampling (temperature > 0) keeps tokens at least this likely relative to the best one (llama.cpp's default min-p):
# a 135M model's long tail of unlikely tokens is where its nonsense words come from.
MIN_P = 0.05


class LlamaCppChatModel(LocalChatModel):
    """A GGUF chat model decoded by llama.cpp on CPU, streamed token by token, reusing the prompt's KV cache.

    parallel: 1 writes one reply at a time under a lock; more decodes up to that many concurrent replies together
    in one batch (chatbot/llm/llamacpp_batch.py), each in its own sequence of one context.
    """

    supports_grammar = True  # GBNF through llama.cpp's grammar sampler (chatbot/llm/llamacpp_grammar.py)
    reports_logprobs = True  # each sampled token's log-probability, read off logits computed anyway

    def __init__(
        self,
        spec: str,
        threads: int | None = None,
        *,
        max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS,
        timeout_s: float | None = None,
        reuse_prefix: bool = True,
        lib_dir: Path | None = None,
        parallel: int = 1,
        busy_threads: int | None = None,
        adapter: Path | None = None,
        adapter_scale: float = 1.0,
    ) -> None:
        super().__init__(max_new_tokens=max_new_tokens, timeout_s=timeout_s)
        started = time.perf_counter()
        self.spec = spec
        self.path = gguf_path(spec)
        try:
            self._lib = lib = load_library(lib_dir)
        except LlamaCppUnavailable as exc:
            raise ChatModelError(str(exc)) from exc
        self._model = lib.llama_model_load_from_file(str(self.path).encode(), lib.llama_model_default_params())
        if not self._model:
            raise ChatModelError(f"llama.cpp could not load {self.path}; is it a complete GGUF file?")
        if parallel < 1:
            raise ChatModelError(f"parallel must be at least 1, got {parallel}; check RECBOT_CHAT_PARALLEL")
        self.parallel = parallel
        params = lib.llama_context_default_params()
        params.n_ctx = min(CONTEXT_TOKENS, max(512, lib.llama_model_n_ctx_train(self._model)))
        # A whole prompt in one decode call. llama.cpp aborts the process (GGML_ASSERT) on a batch over n_batch or
        # a position past n_ctx; _generate_locked refuses any prompt + reply longer than the context first.
        params.n_batch = params.n_ctx
        if parallel > 1:
            # One KV stream per sequence (kv_unified off): a reply attends over its own tokens only, not over
            # every reply's. Sequence 0 holds the shared prompt prefix; 1..parallel the replies.
            sequence = min(SEQUENCE_TOKENS, max(512, lib.llama_model_n_ctx_train(self._model)))
            params.n_seq_max = parallel + 1
            params.n_ctx = sequence * (parallel + 1)
            params.n_batch = params.n_ubatch = BATCH_TOKENS
            params.kv_unified = False
        # Every core, as for onnx: replies never compete with each other (the model lock runs one at a time).
        params.n_threads = params.n_threads_batch = self.threads = threads or available_cpus()
        self.busy_threads = min(busy_threads, self.threads) if busy_threads else self.threads
        self._ctx = lib.llama_init_from_model(self._model, params)
        if not self._ctx:
            lib.llama_model_free(self._model)
            raise ChatModelError(f"llama.cpp could not make a context of {params.n_ctx} tokens for {self.path}")
        self._adapter = None
        self.adapter = None
        if adapter is not None:
            self._apply_adapter(Path(adapter), adapter_scale)
        self._vocab = lib.llama_model_get_vocab(self._model)
        self._memory = lib.llama_get_memory(self._ctx)
        self.context_length = int(min(lib.llama_n_ctx(self._ctx), lib.llama_n_batch(self._ctx)))
        self._batcher = None
        if parallel > 1:
            from chatbot.llm.llamacpp_batch import Batcher

            self.context_length = int(lib.llama_n_ctx(self._ctx)) // (parallel + 1)  # per sequence
            self._batcher = Batcher(self, parallel, int(lib.llama_n_batch(self._ctx)))
        self._n_vocab = int(lib.llama_vocab_n_tokens(self._vocab))
        special = {"bos_token": self._token_text(lib.llama_vocab_bos(self._vocab)),
                   "eos_token": self._token_text(lib.llama_vocab_eos(self._vocab))}
        self._template = _chat_template(self._metadata("tokenizer.chat_template"), special)
        self._piece = ctypes.create_string_buffer(PIECE_BYTES)
        self._rng = np.random.default_rng()
        # Prefix reuse: the KV cache keeps the last prompt and reply; the next prompt keeps the tokens both share
        # (the system prompt, at least) and computes only the rest.
        self.reuse_prefix = reuse_prefix
        self._cached: list[int] = []  # the tokens whose keys and values are in the KV cache, in order
        self.reused_tokens = 0  # prompt tokens the last reply did not have to compute again
        self.load_seconds = time.perf_counter() - started

    def _apply_adapter(self, path: Path, scale: float) -> None:
        """Load a LoRA adapter GGUF (python -m chatbot train-lead-in) and apply it to every reply of this context."""
        lib = self._lib
        if not path.is_file():
            self.__del__()
            raise ChatModelError(f"no LoRA adapter at {path}; check RECBOT_CHAT_ADAPTER")
        # Owned by the model: llama_model_free frees it too.
        self._adapter = lib.llama_adapter_lora_init(self._model, str(path).encode())
        if not self._adapter:
            self.__del__()
            raise ChatModelError(f"llama.cpp could not load the LoRA adapter {path} for {self.path}: is it an "
                                 "adapter GGUF trained for this model? (RECBOT_CHAT_ADAPTER)")
        adapters, scales = (ctypes.c_void_p * 1)(self._adapter), (ctypes.c_float * 1)(scale)
        if lib.llama_set_adapters_lora(self._ctx, adapters, 1, scales) != 0:
            self.__del__()
            raise ChatModelError(f"llama.cpp could not apply the LoRA adapter {path}")
        self.adapter = path

    def __del__(self) -> None:
        lib = getattr(self, "_lib", None)
        if lib is not None and getattr(self, "_ctx", None):
            lib.llama_free(self._ctx)
            lib.llama_model_free(self._model)
            self._ctx = None

    def format_prompt(self, messages: list[Message]) -> str:
        """The exact prompt text the model sees, from the model's own chat template."""
        try:
            return self._template(messages)
        except Exception as exc:
            raise ChatModelError(f"the chat template of {self.path} failed: {exc}") from exc

    def tokenize(self, text: str) -> list[int]:
        """Token ids of text, special tokens such as <|im_start|> included."""
        data = text.encode()
        size = len(data) + 8
        while True:
            ids = (ctypes.c_int32 * size)()
            n = self._lib.llama_tokenize(self._vocab, data, len(data), ids, size, True, True)
            if n >= 0:
                return list(ids[:n])
            size = -n  # too small: llama.cpp says how many it needs

    def count_tokens(self, text: str) -> int:
        """How many tokens text is."""
        return len(self.tokenize(text))

    def batch_stats(self) -> dict[str, object]:
        """Replies per decode step the batch reached: {'max', 'steps', 'sizes'}; max 1 when one at a time."""
        if self._batcher is None:
            return {"max": 1, "steps": 0, "sizes": {}}
        return self._batcher.stats()

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
        if self._batcher is None:
            return super()._stream(
                messages, max_new_tokens=max_new_tokens, stop=stop, deadline=deadline, temperature=temperature,
                grammar=grammar, logprobs=logprobs,
            )
        return self._batched(messages, max_new_tokens, deadline, temperature, grammar, logprobs)

    def _batched(
        self, messages: list[Message], max_new_tokens: int, deadline: float | None, temperature: float,
        grammar: str | None = None, logprobs: list[float] | None = None,
    ) -> Iterator[str]:
        ids = self._checked_prompt(messages, max_new_tokens)
        assert self._batcher is not None
        # Closing it frees the sequence (and the grammar sampler).
        yield from self._batcher.stream(ids, max_new_tokens, deadline, temperature, self.grammar_sampler(grammar),
                                        logprobs)

    def grammar_sampler(self, grammar: str | None) -> GrammarSampler | None:
        """A fresh sampler for one reply that must match GBNF `grammar`; None without one."""
        return GrammarSampler(self._lib, self._vocab, self._n_vocab, grammar) if grammar else None

    def spare_replies(self) -> int:
        """Free batch sequences nobody waits for; one at a time, as LocalChatModel."""
        return self._batcher.spare() if self._batcher is not None else super().spare_replies()

    def _checked_prompt(self, messages: list[Message], max_new_tokens: int) -> list[int]:
        ids = self.tokenize(self.format_prompt(messages))
        if len(ids) + max_new_tokens > self.context_length:
            raise ChatModelError(
                f"prompt of {len(ids)} tokens + {max_new_tokens} new tokens exceeds the model's context "
                f"of {self.context_length}; shorten the dialogue history"
            )
        return ids

    def _generate_locked(
        self, messages: list[Message], max_new_tokens: int, deadline: float | None, temperature: float,
        grammar: str | None = None,
        logprobs: list[float] | None = None,
    ) -> Iterator[str]:
        ids = self._checked_prompt(messages, max_new_tokens)
        lib = self._lib
        constraint = self.grammar_sampler(grammar)
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")  # a character may span tokens
        try:
            self._read_prompt(ids)
            for _ in range(max_new_tokens):
                if deadline is not None and time.monotonic() >= deadline:
                    break
                token = self._sample(temperature, constraint, logprobs)
                if token is None or lib.llama_vocab_is_eog(self._vocab, token):
                    break
                text = decoder.decode(self._token_bytes(token))
                if text:
                    yield text
                self._decode([token])
        except GeneratorExit:
            # The reader stopped early (a stop string, enough sentences): the KV cache still matches _cached.
            raise
        except BaseException:
            self._forget()  # its state is unknown now: the next reply computes its prompt afresh
            raise
        finally:
            if constraint is not None:
                constraint.close()
            if not self.reuse_prefix:
                self._forget()

    def _read_prompt(self, ids: list[int]) -> None:
        shared = reusable_prefix(self._cached, ids)
        if shared and not self._lib.llama_memory_seq_rm(self._memory, 0, shared, -1):
            shared = 0
        if not shared:
            self._forget()
        else:
            del self._cached[shared:]
        self.reused_tokens = shared
        self._decode(ids[shared:])

    def _decode(self, tokens: list[int]) -> None:
        array = (ctypes.c_int32 * len(tokens))(*tokens)
        status = self._lib.llama_decode(self._ctx, self._lib.llama_batch_get_one(array, len(tokens)))
        if status != 0:
            raise ChatModelError(f"llama.cpp could not decode {len(tokens)} tokens (status {status})")
        self._cached.extend(tokens)

    def _logits(self) -> np.ndarray:
        """The model's scores for the token after the last one decoded (a view into llama.cpp's buffer)."""
        return np.ctypeslib.as_array(self._lib.llama_get_logits_ith(self._ctx, -1), shape=(self._n_vocab,))

    def _sample(self, temperature: float, constraint: GrammarSampler | None = None,
                logprobs: list[float] | None = None) -> int | None:
        """The next token; with a grammar, one it allows (advancing it), or None when it allows none."""
        if constraint is None:
            return self._pick(self._logits(), temperature, logprobs)
        token = constraint.pick(self._logits(), temperature, self._pick)
        if token is not None and not self._lib.llama_vocab_is_eog(self._vocab, token):
            constraint.accept(token)
        return token

    def _pick(self, logits: np.ndarray, temperature: float, logprobs: list[float] | None = None) -> int:
        """A token from one row of logits: the best at temperature 0, else sampled (min-p); its log-probability
        under the model itself (temperature 1) is appended to logprobs when given."""
        if temperature <= 0:
            token = int(logits.argmax())
        else:
            scaled = logits.astype(np.float64) / temperature
            weights = np.exp(scaled - scaled.max())
            weights[weights < MIN_P ** (1 / temperature)] = 0.0  # p / p_max < MIN_P, before the temperature
            token = int(self._rng.choice(self._n_vocab, p=weights / weights.sum()))
        if logprobs is not None:
            top = float(logits.max())
            logprobs.append(float(logits[token]) - top - float(np.log(np.exp(logits - top, dtype=np.float64).sum())))
        return token

    def _token_bytes(self, token: int) -> bytes:
        n = self._lib.llama_token_to_piece(self._vocab, token, self._piece, PIECE_BYTES, 0, False)
        return self._piece.raw[: max(n, 0)]

    def _token_text(self, token: int) -> str:
        if token < 0:  # the model has no such token
            return ""
        text = self._lib.llama_vocab_get_text(self._vocab, token)
        return text.decode(errors="replace") if text else ""

    def _forget(self) -> None:
        self._lib.llama_memory_clear(self._memory, True)
        self._cached = []

    def _metadata(self, key: str) -> str:
        size = self._lib.llama_model_meta_val_str(self._model, key.encode(), None, 0)
        if size < 0:
            return ""
        buffer = ctypes.create_string_buffer(size + 1)
        self._lib.llama_model_meta_val_str(self._model, key.encode(), buffer, size + 1)
        return buffer.value.decode(errors="replace")


def gguf_path(spec: str) -> Path:
    """The GGUF file of a model spec; llama.cpp runs GGUF files only."""
    try:
        resolved = resolve_model(spec)
    except ValueError as exc:
        raise ChatModelError(f"cannot use chat model {spec!r}: {exc}; check RECBOT_CHAT_MODEL") from None
    if not resolved.gguf_file:
        raise ChatModelError(
            f"the llama.cpp backend runs GGUF files and {spec!r} is not one; point RECBOT_CHAT_MODEL at a .gguf "
            "file or use RECBOT_CHAT_BACKEND=onnx"
        )
    return Path(resolved.location) / resolved.gguf_file


def _chat_template(source: str, special: dict[str, str]) -> Callable[[list[Message]], str]:
    """Render messages with the GGUF's Jinja chat template, as transformers does (sandboxed, trimmed blocks)."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    if not source:
        raise ChatModelError("the GGUF has no chat template (tokenizer.chat_template); use another model")

    def raise_exception(message: str) -> None:
        raise ValueError(message)

    environment = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    environment.globals["raise_exception"] = raise_exception
    template = environment.from_string(source)
    return lambda messages: template.render(messages=messages, add_generation_prompt=True, **special)
