"""Prebuilt llama.cpp shared libraries: a pinned, checksum-verified install, and ctypes bindings to the calls we use.

llama.cpp has no wheel that installs here without compiling (llama-cpp-python builds for ~15 min; llama-cpp-cffi
needs a newer libstdc++ or ships a 2024 build at half the speed). node-llama-cpp publishes llama.cpp's own CPU
build for each platform as a plain npm tarball of shared libraries (MIT), so we fetch that one file, check its
sha512, and call the C API through ctypes. No Node.js is needed.

The struct layouts below mirror include/llama.h of exactly the llama.cpp in the pinned tarball. They are only
valid for it: the install writes a marker with the pinned version, and loading refuses any other folder.
"""

from __future__ import annotations

import base64
import ctypes
import hashlib
import io
import json
import logging
import platform
import sys
import tarfile
import threading
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from chatbot.staged_files import staged_folder

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Prebuilt:
    """One platform's tarball on the npm registry and its npm integrity (base64 sha512)."""

    url: str
    sha512: str
    folder: str  # where the libraries sit inside the tarball
    libraries: tuple[str, str]  # (ggml, llama), loaded in this order


VERSION = "node-llama-cpp-3.22.1"  # llama.cpp commit de3ff81 (2026-09-28)
PREBUILT = {
    ("Linux", "x86_64"): Prebuilt(
        url="https://registry.npmjs.org/@node-llama-cpp/linux-x64/-/linux-x64-3.22.1.tgz",
        sha512="5uCCDNqWCNfaAm8aR/Uzxbo4HBpKgNF91kCHPepKhgMgV2OAmatoefbOlMihsqCiH2Od35E/eUHQCFbfRBJuOg==",
        folder="package/bins/linux-x64/",
        libraries=("libggml.v0.5.0.so", "libllama.v0.5.0.so"),
    ),
}
MARKER = "recbot-llama-cpp.json"
DOWNLOAD_TIMEOUT_S = 120


class LlamaCppUnavailable(RuntimeError):
    """The prebuilt llama.cpp is not installed or cannot run here; the message says how to fix it."""


def default_lib_dir() -> Path:
    """Where the libraries are installed: inside the Python environment, beside the packages that use them."""
    return Path(sys.prefix) / "lib" / f"llama.cpp-{VERSION}"


def lib_dir(configured: Path | None = None) -> Path:
    """The install folder: the configured one (RECBOT_LLAMA_CPP_DIR) if any, else default_lib_dir()."""
    return Path(configured).expanduser() if configured else default_lib_dir()


def prebuilt_for_this_machine() -> Prebuilt | None:
    """The pinned tarball for this OS and CPU, or None where none is pinned."""
    return PREBUILT.get((platform.system(), platform.machine()))


def is_installed(folder: Path | None = None) -> bool:
    """True when folder (default lib_dir()) holds the pinned libraries for this machine."""
    folder = lib_dir(folder)
    try:
        return json.loads((folder / MARKER).read_text()).get("version") == VERSION
    except (OSError, ValueError, AttributeError):
        return False


def install(folder: Path | None = None, *, tarball: bytes | None = None) -> Path:
    """Download the pinned tarball (or use the given bytes), verify its sha512, and unpack its libraries whole."""
    folder = lib_dir(folder)
    if is_installed(folder):
        return folder
    prebuilt = prebuilt_for_this_machine()
    if prebuilt is None:
        raise LlamaCppUnavailable(
            f"no prebuilt llama.cpp is pinned for {platform.system()} {platform.machine()}; "
            "use RECBOT_CHAT_BACKEND=onnx"
        )
    if tarball is None:
        try:
            with urllib.request.urlopen(prebuilt.url, timeout=DOWNLOAD_TIMEOUT_S) as response:
                tarball = response.read()
        except OSError as exc:
            raise LlamaCppUnavailable(f"could not download {prebuilt.url} ({exc}); check the network") from exc
    digest = base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    if digest != prebuilt.sha512:
        raise LlamaCppUnavailable(f"{prebuilt.url} does not match its pinned sha512; refusing to install it")
    with staged_folder(folder, is_installed) as tmp:
        tmp.mkdir(parents=True)
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
            for member in archive.getmembers():
                name = member.name.removeprefix(prebuilt.folder)
                # Only the shared libraries, as plain files of the library folder: never a link or a path out of it.
                if name == member.name or not member.isfile() or "/" in name or not name.endswith(".so"):
                    continue
                source = archive.extractfile(member)
                if source is not None:
                    (tmp / name).write_bytes(source.read())
        missing = [name for name in prebuilt.libraries if not (tmp / name).is_file()]
        if missing:
            raise LlamaCppUnavailable(f"{prebuilt.url} lacks {', '.join(missing)}")
        (tmp / MARKER).write_text(json.dumps({"version": VERSION, "url": prebuilt.url}))
    log.info("installed llama.cpp %s into %s", VERSION, folder)
    return folder


# --- C API (include/llama.h of the pinned llama.cpp) ---------------------------------------------------------

c_int32, c_uint32, c_float, c_bool, c_ptr = ctypes.c_int32, ctypes.c_uint32, ctypes.c_float, ctypes.c_bool, ctypes.c_void_p
c_enum = ctypes.c_int


class ModelParams(ctypes.Structure):
    """struct llama_model_params."""

    _fields_ = [
        ("devices", c_ptr), ("tensor_buft_overrides", c_ptr), ("n_gpu_layers", c_int32), ("split_mode", c_enum),
        ("load_mode", c_enum), ("lazy_mode", c_enum), ("main_gpu", c_int32), ("tensor_split", c_ptr),
        ("progress_callback", c_ptr), ("progress_callback_user_data", c_ptr), ("kv_overrides", c_ptr),
        ("vocab_only", c_bool), ("check_tensors", c_bool), ("use_extra_bufts", c_bool), ("no_host", c_bool),
        ("no_alloc", c_bool), ("load_mtp", c_bool),
    ]  # fmt: skip


class ContextParams(ctypes.Structure):
    """struct llama_context_params."""

    _fields_ = [
        ("n_ctx", c_uint32), ("n_batch", c_uint32), ("n_ubatch", c_uint32), ("n_seq_max", c_uint32),
        ("n_rs_seq", c_uint32), ("n_outputs_max", c_uint32), ("n_outputs_max_per_seq", c_uint32),
        ("n_threads", c_int32), ("n_threads_batch", c_int32),
        ("ctx_type", c_enum), ("rope_scaling_type", c_enum), ("pooling_type", c_enum), ("attention_type", c_enum),
        ("flash_attn_type", c_enum),
        ("rope_freq_base", c_float), ("rope_freq_scale", c_float), ("yarn_ext_factor", c_float),
        ("yarn_attn_factor", c_float), ("yarn_beta_fast", c_float), ("yarn_beta_slow", c_float),
        ("yarn_orig_ctx", c_uint32), ("defrag_thold", c_float),
        ("cb_eval", c_ptr), ("cb_eval_user_data", c_ptr), ("type_k", c_enum), ("type_v", c_enum),
        ("abort_callback", c_ptr), ("abort_callback_data", c_ptr),
        ("embeddings", c_bool), ("offload_kqv", c_bool), ("no_perf", c_bool), ("op_offload", c_bool),
        ("swa_full", c_bool), ("kv_unified", c_bool),
        ("samplers", c_ptr), ("n_samplers", ctypes.c_size_t), ("ctx_other", c_ptr),
    ]  # fmt: skip


class Batch(ctypes.Structure):
    """struct llama_batch."""

    _fields_ = [
        ("n_tokens", c_int32), ("token", c_ptr), ("embd", c_ptr), ("pos", c_ptr), ("n_seq_id", c_ptr),
        ("seq_id", c_ptr), ("logits", c_ptr),
    ]  # fmt: skip


class TokenData(ctypes.Structure):
    """struct llama_token_data."""

    _fields_ = [("id", c_int32), ("logit", c_float), ("p", c_float)]


class TokenDataArray(ctypes.Structure):
    """struct llama_token_data_array: the candidates a sampler filters in place."""

    _fields_ = [("data", c_ptr), ("size", ctypes.c_size_t), ("selected", ctypes.c_int64), ("sorted", c_bool)]


TokenArray = ctypes.POINTER(c_int32)
# (name, argument types, result type) of every function we call.
SIGNATURES = [
    ("llama_backend_init", [], None),
    ("llama_log_set", [c_ptr, c_ptr], None),
    ("llama_model_default_params", [], ModelParams),
    ("llama_context_default_params", [], ContextParams),
    ("llama_model_load_from_file", [ctypes.c_char_p, ModelParams], c_ptr),
    ("llama_model_free", [c_ptr], None),
    ("llama_init_from_model", [c_ptr, ContextParams], c_ptr),
    ("llama_free", [c_ptr], None),
    ("llama_model_get_vocab", [c_ptr], c_ptr),
    ("llama_model_n_ctx_train", [c_ptr], c_int32),
    ("llama_model_meta_val_str", [c_ptr, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t], c_int32),
    ("llama_n_ctx", [c_ptr], c_uint32),
    ("llama_n_batch", [c_ptr], c_uint32),
    ("llama_vocab_n_tokens", [c_ptr], c_int32),
    ("llama_vocab_is_eog", [c_ptr, c_int32], c_bool),
    ("llama_vocab_bos", [c_ptr], c_int32),
    ("llama_vocab_eos", [c_ptr], c_int32),
    ("llama_vocab_get_text", [c_ptr, c_int32], ctypes.c_char_p),
    ("llama_tokenize", [c_ptr, ctypes.c_char_p, c_int32, TokenArray, c_int32, c_bool, c_bool], c_int32),
    ("llama_token_to_piece", [c_ptr, c_int32, ctypes.c_char_p, c_int32, c_int32, c_bool], c_int32),
    ("llama_batch_get_one", [TokenArray, c_int32], Batch),
    ("llama_decode", [c_ptr, Batch], c_int32),
    ("llama_set_n_threads", [c_ptr, c_int32, c_int32], None),
    ("llama_get_logits_ith", [c_ptr, c_int32], ctypes.POINTER(c_float)),
    ("llama_get_memory", [c_ptr], c_ptr),
    ("llama_memory_clear", [c_ptr, c_bool], None),
    ("llama_memory_seq_rm", [c_ptr, c_int32, c_int32, c_int32], c_bool),
    ("llama_memory_seq_cp", [c_ptr, c_int32, c_int32, c_int32, c_int32], None),
    ("llama_memory_seq_pos_max", [c_ptr, c_int32], c_int32),
    ("llama_n_seq_max", [c_ptr], c_uint32),
    ("llama_sampler_init_grammar", [c_ptr, ctypes.c_char_p, ctypes.c_char_p], c_ptr),
    ("llama_sampler_apply", [c_ptr, ctypes.POINTER(TokenDataArray)], None),
    ("llama_sampler_accept", [c_ptr, c_int32], None),
    ("llama_sampler_free", [c_ptr], None),
    ("llama_adapter_lora_init", [c_ptr, ctypes.c_char_p], c_ptr),
    ("llama_set_adapters_lora", [c_ptr, ctypes.POINTER(c_ptr), ctypes.c_size_t, ctypes.POINTER(c_float)], c_int32),
]
LOG_CALLBACK = ctypes.CFUNCTYPE(None, c_enum, ctypes.c_char_p, c_ptr)
GGML_LOG_WARN, GGML_LOG_ERROR = 3, 4  # enum ggml_log_level; 5 continues the previous line (progress dots)


@LOG_CALLBACK
def _log_to_python(level: int, text: bytes, _data: int) -> None:
    # llama.cpp prints every tensor it loads; only its warnings and errors are worth a log line.
    if level in (GGML_LOG_WARN, GGML_LOG_ERROR) and text.strip():
        log.warning("llama.cpp: %s", text.decode(errors="replace").rstrip())


_loaded: ctypes.CDLL | None = None
_load_lock = threading.Lock()


def load_library(folder: Path | None = None) -> ctypes.CDLL:
    """The llama library with typed functions, loaded once per process (with the best CPU backend for this CPU).

    folder: the install folder (default lib_dir()); after the first load, the loaded library serves every call.
    """
    global _loaded
    with _load_lock:
        if _loaded is not None:
            return _loaded
        folder = lib_dir(folder)
        prebuilt = prebuilt_for_this_machine()
        if prebuilt is None or not is_installed(folder):
            raise LlamaCppUnavailable(
                f"llama.cpp {VERSION} is not installed in {folder}; install it with: python -m chatbot install-llama-cpp"
                " (or set RECBOT_CHAT_BACKEND=onnx)"
            )
        ggml_name, llama_name = prebuilt.libraries
        try:
            # RTLD_GLOBAL: the CPU backend plug-ins loaded below resolve ggml's symbols from it.
            ggml = ctypes.CDLL(str(folder / ggml_name), mode=ctypes.RTLD_GLOBAL)
            lib = ctypes.CDLL(str(folder / llama_name))
        except OSError as exc:
            raise LlamaCppUnavailable(f"cannot load llama.cpp from {folder}: {exc}") from exc
        for name, args, result in SIGNATURES:
            function = getattr(lib, name)
            function.argtypes, function.restype = args, result
        lib.llama_log_set(ctypes.cast(_log_to_python, c_ptr), None)
        ggml.ggml_backend_load_all_from_path.argtypes = [ctypes.c_char_p]
        ggml.ggml_backend_load_all_from_path(str(folder).encode())  # picks the CPU variant this CPU supports
        lib.llama_backend_init()
        _loaded = lib
        return lib
