"""Query embeddings without torch: the sentence-transformers model exported once to ONNX and run by onnxruntime.

Importing sentence-transformers costs ~9 s of a ~12 s warm start here (it pulls torch, transformers and sklearn),
yet serving needs only one short query vector per turn. The export gives the same vectors (cosine >= 0.9999999
on the sample) about 3x faster per query; documents are still embedded by sentence-transformers, loaded only when
something needs indexing.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import threading
import warnings
from pathlib import Path
from typing import Any, Callable

import numpy as np
from langchain_core.embeddings import Embeddings

from chatbot.llm.model_files import cache_name, resolve_model
from chatbot.staged_files import staged_folder

log = logging.getLogger(__name__)

EXPORT_VERSION = 1  # bump when the exported graph or its settings change, so old exports are not reused
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class EncoderExportError(RuntimeError):
    """The model cannot be exported or run as an ONNX query encoder."""


def export_path(spec: str, cache_dir: Path) -> Path:
    """Folder of the cached ONNX export of an embedding model spec."""
    location = resolve_model(spec).location
    # The weights' size and time too: a query model trained again into the same folder must be exported again.
    weights = sorted(Path(location).glob("*.safetensors")) + sorted(Path(location).glob("pytorch_model*.bin"))
    stamps = "".join(f"\n{w.name}:{w.stat().st_size}:{w.stat().st_mtime_ns}" for w in weights if w.is_file())
    key = f"{EXPORT_VERSION}\n{location}{stamps}"
    return Path(cache_dir) / f"{cache_name(Path(location).name or location, key)}-onnx-embed"


def _is_complete(folder: Path) -> bool:
    return (folder / "encoder.json").is_file()  # written last


def _pooling(location: Path) -> dict[str, Any]:
    """Pooling and sequence length of a sentence-transformers folder, which the export must copy."""
    modules = json.loads((location / "modules.json").read_text()) if (location / "modules.json").is_file() else []
    types = [m.get("type", "") for m in modules]
    pooling = next((location / m["path"] / "config.json" for m in modules if m.get("type", "").endswith("Pooling")),
                   None)
    mode = "mean"
    if pooling is not None and pooling.is_file():
        config = json.loads(pooling.read_text())
        modes = [re.sub(r"_tokens?$", "", k.removeprefix("pooling_mode_")) for k, v in config.items()
                 if k.startswith("pooling_mode_") and v]
        if modes != ["mean"] and modes != ["cls"]:
            raise EncoderExportError(f"pooling {modes} is not supported by the ONNX query encoder (mean or cls only)")
        mode = modes[0]
    if any(t and not t.endswith(("Transformer", "Pooling", "Normalize")) for t in types):
        raise EncoderExportError(f"modules {types} are not supported by the ONNX query encoder")
    bert_config = location / "sentence_bert_config.json"
    max_length = json.loads(bert_config.read_text()).get("max_seq_length", 512) if bert_config.is_file() else 512
    return {"pooling": mode, "max_length": max_length}


def export_encoder(spec: str, target: Path) -> None:
    """Export the model's transformer to ONNX with its tokenizer and pooling settings; appears at target at once."""
    location = Path(resolve_model(spec).location)
    if not location.is_dir():
        raise EncoderExportError(f"{spec!r} is not a local folder; the ONNX query encoder exports local models only")
    settings = _pooling(location)
    if not (location / "tokenizer.json").is_file():
        raise EncoderExportError(f"{location} has no tokenizer.json (a fast tokenizer is needed)")
    import torch  # heavy, and only here: exporting happens once per model
    from transformers import AutoModel

    class HiddenStates(torch.nn.Module):
        """Positional inputs in, the last hidden states out: the graph the encoder runs."""

        def __init__(self) -> None:
            super().__init__()
            # Eager attention traces into plain ops; sdpa's fast paths are Python branches the trace would freeze.
            self.model = AutoModel.from_pretrained(str(location), attn_implementation="eager").eval()

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    with staged_folder(target, _is_complete) as tmp:
        tmp.mkdir()
        ids = torch.full((2, 8), 100, dtype=torch.long)
        mask = torch.ones((2, 8), dtype=torch.long)
        mask[1, 5:] = 0  # a padded row: traced with no padding, the mask handling would be left out of the graph
        sample = (ids, mask, torch.zeros_like(ids))
        dynamic = {name: {0: "batch", 1: "sequence"} for name in (*INPUTS, "last_hidden_state")}
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer chatter about Python branches; the export is checked by tests
            torch.onnx.export(
                HiddenStates(), sample, str(tmp / "model.onnx"), input_names=list(INPUTS),
                output_names=["last_hidden_state"], dynamic_axes=dynamic, opset_version=17, dynamo=False,
            )
        shutil.copy(location / "tokenizer.json", tmp / "tokenizer.json")
        (tmp / "encoder.json").write_text(json.dumps({**settings, "source": str(location)}))


class OnnxQueryEncoder:
    """Runs an exported encoder: tokenize, transformer, pool, normalise, as sentence-transformers does."""

    def __init__(self, folder: Path) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        settings = json.loads((folder / "encoder.json").read_text())
        self.pooling = settings["pooling"]
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(int(settings["max_length"]))
        self.tokenizer.enable_padding()
        self.session = ort.InferenceSession(str(folder / "model.onnx"), providers=["CPUExecutionProvider"])
        self.lock = threading.Lock()  # one run at a time: the session's thread pool is shared

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors for texts, shape (len(texts), dim), float32."""
        encoded = self.tokenizer.encode_batch(texts)
        ids = np.asarray([e.ids for e in encoded], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in encoded], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        with self.lock:
            hidden = self.session.run(None, feeds)[0]
        if self.pooling == "cls":
            vectors = hidden[:, 0]
        else:
            vectors = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        # Always unit length, as build_embeddings asks sentence-transformers for (normalize_embeddings=True).
        vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return vectors.astype(np.float32)

    def token_lengths(self, texts: list[str]) -> list[int]:
        """Tokens per text after truncation (no padding)."""
        return [sum(e.attention_mask) for e in self.tokenizer.encode_batch(texts)]


def open_query_encoder(spec: str, cache_dir: Path) -> OnnxQueryEncoder:
    """The ONNX query encoder for spec, exported on first use; raises EncoderExportError if it cannot be."""
    folder = export_path(spec, cache_dir)
    if not _is_complete(folder):
        log.info("exporting %s to ONNX for fast query embeddings into %s (once)", spec, folder)
        try:
            export_encoder(spec, folder)
        except Exception as exc:  # noqa: BLE001 - any exporter failure means: use sentence-transformers instead
            if isinstance(exc, EncoderExportError):
                raise
            raise EncoderExportError(f"exporting {spec!r} failed: {type(exc).__name__}: {exc}") from exc
    try:
        return OnnxQueryEncoder(folder)
    except Exception as exc:  # noqa: BLE001 - a damaged export: say so, the caller falls back
        raise EncoderExportError(f"cannot load the ONNX query encoder in {folder} ({exc}); delete it to re-export") \
            from exc


class FastQueryEmbeddings(Embeddings):
    """LangChain Embeddings: queries through the ONNX encoder, documents through sentence-transformers (lazily)."""

    def __init__(self, query_encoder: OnnxQueryEncoder, documents: Callable[[], Embeddings]) -> None:
        self.query_encoder = query_encoder
        self._make_documents = documents
        self._documents: Embeddings | None = None
        self._lock = threading.Lock()

    @property
    def documents(self) -> Embeddings:
        """The sentence-transformers embeddings, built on first use (indexing), not at start-up."""
        with self._lock:
            if self._documents is None:
                self._documents = self._make_documents()
            return self._documents

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Document vectors from sentence-transformers, as the index was built."""
        return self.documents.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        """One query vector from the ONNX encoder."""
        return self.query_encoder.encode([text])[0].tolist()

    def token_lengths(self, texts: list[str]) -> list[int]:
        """Tokens per text, for ordering encode batches."""
        return self.query_encoder.token_lengths(texts)
