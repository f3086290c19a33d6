"""The backend factory: the chat model named in Settings, importing only that backend's module."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from chatbot.llm.base import ChatModel, ChatModelError
from chatbot.llm.fake import FAKE_REPLY, FakeChatModel

if TYPE_CHECKING:
    from chatbot.config import Settings

log = logging.getLogger(__name__)


def build_chat_model(settings: Settings) -> ChatModel:
    """Build the chat model named by settings.chat_backend, importing only that backend's module."""
    backend = resolve_backend(settings)
    common = {"max_new_tokens": settings.max_new_tokens, "timeout_s": settings.reply_timeout_s}
    threads = getattr(settings, "chat_threads", None)  # None picks a default from the CPU count
    if backend == "llama.cpp":
        from chatbot.llm.llamacpp_model import LlamaCppChatModel

        parallel = getattr(settings, "chat_parallel", 1)
        return LlamaCppChatModel(settings.chat_model, threads, lib_dir=settings.llama_cpp_dir, parallel=parallel,
                                 busy_threads=getattr(settings, "chat_busy_threads", 0) or None, **common)
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
