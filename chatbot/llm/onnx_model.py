"""ONNX Runtime GenAI chat backend: the model is built once to int4 ONNX for CPU and cached; decoding is fast."""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from chatbot.llm.base import (
    DEFAULT_MAX_NEW_TOKENS, ChatModelError, LocalChatModel, Message, available_cpus, reusable_prefix,
)
from chatbot.llm.model_files import cache_name, resolve_model
from chatbot.llm.transformers_model import converted_path, prepare_model
from chatbot.staged_files import staged_folder

log = logging.getLogger(__name__)

INSTALL_HINT = "pip install onnxruntime-genai onnx onnx-ir"
BUILD_TIMEOUT_S = 1800
KEPT_MAX_LENGTH = 2048  # tokens the kept generator (prefix reuse) can hold before a fresh one is made
# Builder options, part of the cache folder's name so that changing them rebuilds. prune_lm_head: the prompt's
# read-in computes logits for its last token only, not for every prompt token (a 576 x 49152 matmul each):
# 20% faster read-in of a 138-token prompt (0.37 -> 0.30 s), the same tokens out.
BUILD_OPTIONS = ("prune_lm_head=true",)
# What the builder reads from a Hub snapshot: weights, configs and tokenizer. Hub repos often carry more (an onnx/
# folder of transformers.js exports, .bin copies of the weights), which a Space would otherwise download too.
HUB_FILES = ("*.json", "*.safetensors", "*.txt", "*.jinja", "tokenizer.model")


def onnx_path(spec: str, cache_dir: Path, precision: str = "int4") -> Path:
    """Folder of the cached ONNX build of a model spec for CPU at the given precision."""
    resolved = resolve_model(spec)
    if resolved.gguf_file:
        base = converted_path(spec, cache_dir).name.removesuffix("-hf")
    else:
        # Hub ids and local folders: a readable name plus a hash of the full location, so two never collide.
        location = str(Path(resolved.location).resolve()) if resolved.is_local else resolved.location
        base = cache_name(Path(resolved.location).name or resolved.location, location)
    return Path(cache_dir) / cache_name(f"{base}-onnx-{precision}-cpu", " ".join(BUILD_OPTIONS))


def build_onnx(source_dir: Path, target: Path, precision: str = "int4") -> None:
    """Run onnxruntime-genai's model builder on an HF-format folder; the result appears at target all at once."""
    missing = [name for name in ("onnxruntime_genai", "onnx", "onnx_ir") if importlib.util.find_spec(name) is None]
    if missing:
        raise ChatModelError(f"building the ONNX model needs {', '.join(missing)}; install with: {INSTALL_HINT}")
    # The source is a local folder, so the builder never needs the network; offline makes that certain.
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    started = time.perf_counter()
    log.info("building %s ONNX model from %s into %s (once)", precision, source_dir, target)
    with staged_folder(target, _is_complete) as tmp:
        scratch = tmp / "cache"  # the builder's intermediate files, dropped before the folder is published
        cmd = [
            sys.executable, "-m", "onnxruntime_genai.models.builder",
            "-i", str(source_dir), "-o", str(tmp), "-p", precision, "-e", "cpu", "-c", str(scratch),
            "--extra_options", *BUILD_OPTIONS,
        ]  # fmt: skip
        done = subprocess.run(
            cmd, env=env, cwd=target.parent, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S, check=False
        )
        shutil.rmtree(scratch, ignore_errors=True)
        if done.returncode != 0 or not _is_complete(tmp):
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
            raise ChatModelError(
                f"the ONNX model builder failed on {source_dir} (exit {done.returncode}). Last output:\n{tail}\n"
                f"Is the architecture supported by onnxruntime-genai? Otherwise use RECBOT_CHAT_BACKEND=transformers."
            )
    log.info("built ONNX model in %.1f s", time.perf_counter() - started)


def _is_complete(folder: Path) -> bool:
    return (folder / "genai_config.json").is_file() and any(folder.glob("*.onnx"))


def _source_dir(spec: str, cache_dir: Path) -> Path:
    # The builder wants a folder of HF files: the converted copy of a GGUF, a local folder, or a Hub snapshot.
    location = prepare_model(spec, cache_dir).location
    if Path(location).is_dir():
        return Path(location)
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(location, allow_patterns=list(HUB_FILES)))
    except Exception as exc:
        raise ChatModelError(
            f"cannot get {location!r} from the Hugging Face cache ({exc}); download it once with internet access "
            "or point RECBOT_CHAT_MODEL at a local folder"
        ) from exc


class OnnxChatModel(LocalChatModel):
    """A chat model run by onnxruntime-genai on CPU (int4 by default), streamed token by token."""

    def __init__(
        self,
        spec: str,
        cache_dir: Path,
        threads: int | None = None,
        *,
        precision: str = "int4",
        max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS,
        timeout_s: float | None = None,
        reuse_prefix: bool = True,
    ) -> None:
        super().__init__(max_new_tokens=max_new_tokens, timeout_s=timeout_s)
        started = time.perf_counter()
        try:
            import onnxruntime_genai as og
        except ImportError as exc:
            raise ChatModelError(
                f"the onnx backend needs onnxruntime-genai ({exc}); install with: {INSTALL_HINT}"
            ) from exc
        self._og = og
        self.spec = spec
        try:
            self.path = onnx_path(spec, Path(cache_dir), precision)
        except ValueError as exc:
            raise ChatModelError(f"cannot use chat model {spec!r}: {exc}; check RECBOT_CHAT_MODEL") from None
        self.from_cache = _is_complete(self.path)
        if not self.from_cache:
            build_onnx(_source_dir(spec, Path(cache_dir)), self.path, precision)
        config = og.Config(str(self.path))
        # Every core: on 2 idle cores 2 threads decode 132 tok/s against 75 for one, and prompt read-in is 1.6x
        # faster. Unlike torch's OpenMP, onnxruntime degrades gently beside a busy core (43 vs 58 tok/s measured),
        # and replies never compete with each other: the model lock runs one generation at a time.
        session = {"intra_op_num_threads": threads or available_cpus()}
        config.overlay(json.dumps({"model": {"decoder": {"session_options": session}}}))
        try:
            self.model = og.Model(config)
            self.tokenizer = og.Tokenizer(self.model)
        except Exception as exc:
            raise ChatModelError(
                f"could not load the ONNX model at {self.path}: {exc}; delete that folder to rebuild it"
            ) from exc
        self.context_length = _context_length(self.path)
        self._eos = {int(t) for t in self.tokenizer.eos_token_ids}
        # Prefix reuse: one generator is kept between replies with the KV cache of its last prompt; the next
        # prompt rewinds it to the tokens both share (the system prompt, at least) and appends only the rest.
        self.reuse_prefix = reuse_prefix
        self._kept: tuple[object, tuple, list[int]] | None = None  # (generator, search key, prompt ids in it)
        self.reused_tokens = 0  # prompt tokens the last reply did not have to compute again
        self.load_seconds = time.perf_counter() - started

    def format_prompt(self, messages: list[Message]) -> str:
        """The exact prompt text the model sees, from the model's own chat template."""
        try:
            return self.tokenizer.apply_chat_template(json.dumps(messages), add_generation_prompt=True)
        except Exception as exc:
            raise ChatModelError(f"the chat template of {self.path} failed: {exc}") from exc

    def count_tokens(self, text: str) -> int:
        """How many tokens text is."""
        return len(self.tokenizer.encode(text))

    def _generate_locked(
        self, messages: list[Message], max_new_tokens: int, deadline: float | None, temperature: float
    ) -> Iterator[str]:
        ids = self.tokenizer.encode(self.format_prompt(messages))
        if len(ids) + max_new_tokens > self.context_length:
            raise ChatModelError(
                f"prompt of {len(ids)} tokens + {max_new_tokens} new tokens exceeds the model's context "
                f"of {self.context_length}; shorten the dialogue history"
            )
        generator, fresh = self._generator_for(ids, max_new_tokens, temperature)
        try:
            generator.append_tokens(ids[len(ids) - fresh :])
            decoder = self.tokenizer.create_stream()
            for _ in range(max_new_tokens):
                if generator.is_done() or (deadline is not None and time.monotonic() >= deadline):
                    break
                generator.generate_next_token()
                token = int(generator.get_next_tokens()[0])
                if generator.is_done() and token in self._eos:
                    break
                text = decoder.decode(token)
                if text:
                    yield text
        except GeneratorExit:
            # The reader stopped early (a stop string, enough sentences): usual, and the KV cache still holds the
            # prompt and the tokens so far, so the next reply can rewind it. Dropping it here lost the reuse.
            raise
        except BaseException:
            self._kept = None  # its state is unknown now: the next reply starts a fresh generator
            raise
        finally:
            if not self.reuse_prefix:
                self._kept = None
                del generator  # frees the KV cache now rather than at the next GC

    def _generator_for(self, ids: list[int], max_new_tokens: int, temperature: float) -> tuple[object, int]:
        """A generator holding the longest cached prefix of ids, and how many of ids still need appending."""
        og = self._og
        needed = len(ids) + max_new_tokens
        # The kept generator's length limit outlives one reply: a window that fits usual prompts, not the whole
        # context, since some CPU builds allocate the KV buffer for max_length up front.
        longest = min(self.context_length, max(KEPT_MAX_LENGTH, needed)) if self.reuse_prefix else needed
        key = (temperature > 0, temperature)
        self.reused_tokens = 0
        if self._kept is not None and self._kept[1][:2] == key and needed <= self._kept[1][2]:
            generator, _, previous = self._kept
            shared = reusable_prefix(previous, ids)
            if shared > 0:
                try:
                    generator.rewind_to(shared)  # type: ignore[attr-defined]
                    self._kept = (generator, self._kept[1], list(ids))
                    self.reused_tokens = shared
                    return generator, len(ids) - shared
                except Exception as exc:  # noqa: BLE001 - an older runtime or a model that cannot rewind
                    log.info("cannot reuse the prompt's KV cache (%s); starting a fresh generator", exc)
        params = og.GeneratorParams(self.model)
        search: dict = {"max_length": longest, "do_sample": temperature > 0}
        if temperature > 0:
            search["temperature"] = temperature
        params.set_search_options(**search)
        generator = og.Generator(self.model, params)
        self._kept = (generator, (*key, longest), list(ids)) if self.reuse_prefix else None
        return generator, len(ids)


def _context_length(folder: Path) -> int:
    try:
        return int(json.loads((folder / "genai_config.json").read_text())["model"]["context_length"])
    except (OSError, KeyError, ValueError):
        return 2048
