"""Transformers chat backend: loads a GGUF (converted once to a cached safetensors copy), an HF id or a local folder."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from chatbot.llm.base import DEFAULT_MAX_NEW_TOKENS, ChatModelError, LocalChatModel, Message, available_cpus
from chatbot.llm.model_files import ResolvedModel, cache_name, resolve_model
from chatbot.staged_files import staged_folder

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PreparedModel:
    """Where transformers should load a model from, and whether the cached converted copy was used or just made."""

    location: str  # a local folder or an HF id
    from_cache: bool = False  # loaded from an existing converted copy
    converted_now: bool = False  # this call converted the GGUF and wrote the copy


def converted_path(spec: str, cache_dir: Path) -> Path:
    """Folder of the safetensors copy of a GGUF model spec; raises ValueError for specs that are not GGUF."""
    return _converted_path(_resolve(spec), cache_dir)


def _converted_path(resolved: ResolvedModel, cache_dir: Path) -> Path:
    if not resolved.gguf_file:
        raise ValueError(f"{resolved.location} is not a GGUF model; only GGUF files get a converted copy")
    gguf = Path(resolved.location) / resolved.gguf_file
    # The file's path and size go into the name, so a different file (e.g. a package upgrade) converts anew.
    size = gguf.stat().st_size if gguf.exists() else 0
    return Path(cache_dir) / f"{cache_name(gguf.stem, f'{gguf.resolve()}:{size}')}-hf"


def prepare_model(spec: str, cache_dir: Path) -> PreparedModel:
    """Return a location transformers loads quickly: for a GGUF, its converted copy (made now if missing)."""
    resolved = _resolve(spec)
    if not resolved.gguf_file:
        return PreparedModel(resolved.location)
    target = _converted_path(resolved, cache_dir)
    if _is_complete(target):
        return PreparedModel(str(target), from_cache=True)
    _convert_gguf(resolved, target)
    return PreparedModel(str(target), converted_now=True)


def _resolve(spec: str) -> ResolvedModel:
    try:
        return resolve_model(spec)
    except ValueError as exc:
        raise ChatModelError(f"cannot use chat model {spec!r}: {exc}; check RECBOT_CHAT_MODEL") from None


def _is_complete(folder: Path) -> bool:
    return (folder / "config.json").is_file() and any(folder.glob("*.safetensors"))


def _convert_gguf(resolved: ResolvedModel, target: Path) -> None:
    """Dequantize a GGUF with transformers and save it as safetensors; a crash never leaves a half copy."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    started = time.perf_counter()
    log.info("converting %s/%s to %s (once; later starts load the copy)", resolved.location, resolved.gguf_file, target)
    try:
        tokenizer = AutoTokenizer.from_pretrained(resolved.location, gguf_file=resolved.gguf_file)
        model = AutoModelForCausalLM.from_pretrained(resolved.location, gguf_file=resolved.gguf_file)
    except Exception as exc:
        raise ChatModelError(
            f"could not load GGUF {resolved.gguf_file} from {resolved.location}: {exc}. "
            "Is the 'gguf' package installed (pip install gguf) and is the architecture supported by transformers?"
        ) from exc
    # The weights are plain floats now; a saved GGUF quantizer config would make the copy load as GGUF again.
    if getattr(model, "hf_quantizer", None) is not None:
        model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    try:
        with staged_folder(target, _is_complete) as tmp:
            model.save_pretrained(tmp)
            tokenizer.save_pretrained(tmp)
    except OSError as exc:
        raise ChatModelError(
            f"could not write the converted model to {target}: {exc}; check free disk space and permissions "
            f"there, or set RECBOT_DATA_DIR to another folder"
        ) from exc
    log.info("converted in %.1f s", time.perf_counter() - started)


class _Deadline:
    """Stopping criterion: stop when the wall-clock deadline passes or the consumer went away."""

    def __init__(self, deadline: float | None, cancel: threading.Event) -> None:
        self.deadline = deadline
        self.cancel = cancel

    def __call__(self, input_ids, scores, **kwargs):  # noqa: ANN001, ANN204 - transformers' signature
        import torch

        done = self.cancel.is_set() or (self.deadline is not None and time.monotonic() >= self.deadline)
        return torch.full((input_ids.shape[0],), done, dtype=torch.bool, device=input_ids.device)


class TransformersChatModel(LocalChatModel):
    """A local causal LM run with transformers on CPU, streamed token by token, one reply at a time."""

    def __init__(
        self,
        spec: str,
        cache_dir: Path,
        threads: int | None = None,
        *,
        max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS,
        timeout_s: float | None = None,
    ) -> None:
        super().__init__(max_new_tokens=max_new_tokens, timeout_s=timeout_s)
        started = time.perf_counter()
        try:
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer
        except ImportError as exc:
            raise ChatModelError(f"the transformers backend needs torch and transformers: {exc}") from exc
        _set_threads(torch, threads)
        self.spec = spec
        prepared = prepare_model(spec, Path(cache_dir))
        self.location = prepared.location
        self.from_cache = prepared.from_cache
        self.converted_now = prepared.converted_now
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(prepared.location)
            self.model = AutoModelForCausalLM.from_pretrained(prepared.location)
        except OSError as exc:
            raise ChatModelError(
                f"could not load chat model {spec!r} from {prepared.location}: {exc}. "
                "For a Hub id, download it once with internet access (HF_HUB_OFFLINE unset) or use a local path."
            ) from exc
        self.model.eval()
        if not self.tokenizer.chat_template:
            raise ChatModelError(f"{spec!r} has no chat template; use an instruct/chat model")
        self.load_seconds = time.perf_counter() - started

    def format_prompt(self, messages: list[Message]) -> str:
        """The exact prompt text the model sees: the tokenizer's chat template plus the assistant turn opener."""
        return self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)

    def count_tokens(self, text: str) -> int:
        """How many tokens text is, without special tokens."""
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def _generate_locked(
        self, messages: list[Message], max_new_tokens: int, deadline: float | None, temperature: float
    ) -> Iterator[str]:
        import torch
        from transformers import StoppingCriteriaList, TextIteratorStreamer

        inputs = self.tokenizer(self.format_prompt(messages), return_tensors="pt", add_special_tokens=False)
        streamer = TextIteratorStreamer(self.tokenizer, skip_prompt=True, skip_special_tokens=True)
        cancel = threading.Event()
        failure: list[BaseException] = []
        sampling = {"do_sample": True, "temperature": temperature} if temperature > 0 else {"do_sample": False}
        kwargs = dict(
            **inputs,
            streamer=streamer,
            max_new_tokens=max_new_tokens,
            stopping_criteria=StoppingCriteriaList([_Deadline(deadline, cancel)]),
            pad_token_id=_pad_id(self.tokenizer),
            **sampling,
        )

        def run() -> None:
            try:
                with torch.inference_mode():
                    self.model.generate(**kwargs)
            except BaseException as exc:  # handed to the consumer thread below
                failure.append(exc)
                streamer.end()

        worker = threading.Thread(target=run, name="hf-generate", daemon=True)
        worker.start()
        try:
            yield from streamer
        finally:
            # Reached on normal end and when the consumer stops early (stop string, closed stream).
            cancel.set()
            worker.join()
        if failure:
            raise ChatModelError(f"generation failed in {self.spec!r}: {failure[0]}") from failure[0]


def default_threads() -> int:
    """Torch threads for decoding: the CPUs this process may use, less one for the server, retrieval and embeddings."""
    # OpenMP workers spin-wait; when they compete with other busy threads, decoding slows several-fold
    # (measured on 2 busy cores: 1 thread 6 tok/s, 2 threads 1.5 tok/s), so leave one core free.
    return max(1, available_cpus() - 1)


def _set_threads(torch, threads: int | None) -> None:  # noqa: ANN001 - the torch module
    # Process-wide in torch: the last model built decides.
    wanted = threads or min(torch.get_num_threads(), default_threads())
    if wanted != torch.get_num_threads():
        torch.set_num_threads(wanted)


def _pad_id(tokenizer) -> int | None:  # noqa: ANN001 - any HF tokenizer
    return tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
