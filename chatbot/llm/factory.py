"""The backend factory: the chat model named in Settings, importing only that backend's module."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from chatbot.config import DEFAULT_CHAT_MODEL
from chatbot.llm.base import ChatModel, ChatModelError
from chatbot.llm.fake import FAKE_REPLY, FakeChatModel

if TYPE_CHECKING:
    from chatbot.config import Settings

log = logging.getLogger(__name__)
# Trained for the default model by `python -m chatbot train-lead-in` (README "The model's lead-in"); 4 MB.
SHIPPED_ADAPTER = Path(__file__).resolve().parent / "adapters" / "smollm2-135m-lead-in.gguf"


def build_chat_model(settings: Settings) -> ChatModel:
    """Build the chat model named by settings.chat_backend, importing only that backend's module."""
    backend = resolve_backend(settings)
    common = {"max_new_tokens": settings.max_new_tokens, "timeout_s": settings.reply_timeout_s}
    threads = getattr(settings, "chat_threads", None)  # None picks a default from the CPU count
    adapter = resolve_adapter(settings, backend)
    if backend == "llama.cpp":
        from chatbot.llm.llamacpp_model import LlamaCppChatModel

        parallel = getattr(settings, "chat_parallel", 1)
        return LlamaCppChatModel(settings.chat_model, threads, lib_dir=settings.llama_cpp_dir, parallel=parallel,
                                 busy_threads=getattr(settings, "chat_busy_threads", 0) or None, adapter=adapter,
                                 **common)
    if backend == "transformers":
        from chatbot.llm.transformers_model import TransformersChatModel

        return TransformersChatModel(settings.chat_model, settings.model_cache_dir, threads, **common)
    if backend == "onnx":
        from chatbot.llm.onnx_model import OnnxChatModel

        return OnnxChatModel(
            settings.chat_model, settings.model_cache_dir, threads, precision=settings.chat_precision, **common
        )
    if backend == "openai":
        from chatbot.llm.openai_model import OpenAIChatModel

        return OpenAIChatModel(
            settings.openai_base_url, settings.openai_model, api_key=settings.openai_api_key, **common
        )
    if backend == "fake":
        return FakeChatModel(default=FAKE_REPLY, **common)
    raise ChatModelError(
        f"unknown chat backend {backend!r}; set RECBOT_CHAT_BACKEND to auto, llama.cpp, onnx, transformers, "
        "openai or fake"
    )


def resolve_adapter(settings: Settings, backend: str) -> Path | None:
    """The LoRA adapter file to load: RECBOT_CHAT_ADAPTER's path, or with auto the shipped lead-in adapter when the
    model is the one it was trained for (the default SmolLM2 GGUF) on llama.cpp; None for none."""
    choice = str(getattr(settings, "chat_adapter", "none") or "none").strip()
    if choice.lower() == "none":
        return None
    if choice.lower() == "auto":
        shipped = backend == "llama.cpp" and settings.chat_model == DEFAULT_CHAT_MODEL and SHIPPED_ADAPTER.is_file()
        return SHIPPED_ADAPTER if shipped else None
    if backend != "llama.cpp":
        raise ChatModelError(f"RECBOT_CHAT_ADAPTER is {choice} but the chat backend is {backend}: only llama.cpp "
                             "loads a LoRA adapter GGUF; set RECBOT_CHAT_BACKEND=llama.cpp or RECBOT_CHAT_ADAPTER=none")
    return Path(choice).expanduser()


def resolve_backend(settings: Settings) -> str:
    """The backend to build: settings.chat_backend, with auto made llama.cpp or onnx for this machine and model."""
    backend = settings.chat_backend
    if backend != "auto":
        return backend
    from chatbot.llm.llama_cpp_lib import is_installed, lib_dir
    from chatbot.llm.model_files import resolve_model

    folder = lib_dir(settings.llama_cpp_dir)
    try:
        gguf = resolve_model(settings.chat_model).gguf_file is not None
    except ValueError:
        gguf = False  # the chosen backend reports the bad model spec with its own hint
    if gguf and is_installed(folder):
        return "llama.cpp"
    log.info("chat backend auto: onnx (%s)", "llama.cpp runs GGUF models only" if not gguf else
             f"llama.cpp is not installed in {folder}; python -m chatbot install-llama-cpp installs it")
    return "onnx"
