"""Sentence-transformers embeddings behind LangChain's Embeddings interface, plus reuse of stored vectors."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

import numpy as np
from langchain_core.embeddings import Embeddings

from chatbot.llm.model_files import resolve_model
from chatbot.staged_files import staged_file

log = logging.getLogger(__name__)


def build_embeddings(spec: str, batch_size: int = 64) -> Embeddings:
    """HuggingFaceEmbeddings for a model spec ("package:NAME", HF id, or path), normalized for cosine search."""
    from langchain_huggingface import HuggingFaceEmbeddings  # heavy: imports torch

    resolved = resolve_model(spec)
    return HuggingFaceEmbeddings(
        model_name=resolved.location,
        model_kwargs={"device": "cpu"},
        encode_kwargs={"normalize_embeddings": True, "batch_size": batch_size},
    )


def build_serving_embeddings(spec: str, cache_dir: Path, query_encoder: str = "onnx",
                             query_spec: str | None = None) -> Embeddings:
    """Embeddings for the app: queries via the ONNX export when it works, documents via sentence-transformers.

    query_spec: a separate query-side model (fine-tuned against the frozen item vectors of spec); None: spec.
    """
    query_spec = query_spec or spec
    if query_encoder == "onnx":
        from retrieval.query_encoder import EncoderExportError, FastQueryEmbeddings, open_query_encoder

        try:
            return FastQueryEmbeddings(open_query_encoder(query_spec, cache_dir), lambda: build_embeddings(spec))
        except EncoderExportError as exc:
            log.warning("%s; query embeddings use sentence-transformers instead", exc)
    if query_spec != spec:
        return SplitEmbeddings(build_embeddings(spec), build_embeddings(query_spec))
    return build_embeddings(spec)


class SplitEmbeddings(Embeddings):
    """Documents through one model, queries through another (a query side tuned against the documents' vectors)."""

    def __init__(self, documents: Embeddings, queries: Embeddings) -> None:
        self.documents = documents
        self.queries = queries

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Document vectors, as the index was built."""
        return self.documents.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        """A query vector from the query-side model."""
        return self.queries.embed_query(text)


class ReusingEmbeddings(Embeddings):
    """Wraps an Embeddings; texts whose vector is already known (by content hash) are not embedded again."""

    def __init__(self, inner: Embeddings, known: dict[str, list[float]], key: Callable[[str], str]) -> None:
        self.inner = inner
        self.known = known
        self.key = key
        self.reused = 0
        self.embedded = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Vectors for texts, embedding only those not seen before."""
        keys = [self.key(t) for t in texts]
        missing = [i for i, k in enumerate(keys) if k not in self.known]
        if missing:
            fresh = self.inner.embed_documents([texts[i] for i in missing])
            for i, vector in zip(missing, fresh):
                self.known[keys[i]] = list(vector)
        self.embedded += len(missing)
        self.reused += len(texts) - len(missing)
        return [self.known[k] for k in keys]

    def embed_query(self, text: str) -> list[float]:
        """Query vectors are always computed fresh."""
        return self.inner.embed_query(text)


def embedding_order(embeddings: Embeddings, texts: list[str]) -> list[int]:
    """Indices of texts, longest first in model tokens, so each encode batch pads little."""
    # Batches pad to their longest text; in file order that wasted 27% of MiniLM's compute on the sample
    # (sentence-transformers only sorts within one call). Token counts, not characters: characters left 15%.
    tokenizer = getattr(getattr(embeddings, "_client", None), "tokenizer", None)  # HuggingFaceEmbeddings' model
    lengths: list[int]
    if not texts:
        lengths = []
    elif hasattr(embeddings, "token_lengths"):  # FastQueryEmbeddings: its tokenizer, without loading the model
        lengths = embeddings.token_lengths(texts)
    elif tokenizer is not None:
        lengths = [len(ids) for ids in tokenizer(texts, truncation=True)["input_ids"]]
    else:
        lengths = [len(text) for text in texts]
    return sorted(range(len(texts)), key=lambda i: -lengths[i])


def vector_cache_path(catalog_path: Path) -> Path:
    """The vector cache that may ship next to a catalog: movies.jsonl -> movies.vectors.npz."""
    return Path(catalog_path).with_suffix(".vectors.npz")


def load_vector_cache(path: Path) -> dict[str, list[float]]:
    """Vectors by content hash from a cache file; empty if there is none or it cannot be read."""
    if not path.is_file():
        return {}
    try:
        with np.load(path, allow_pickle=False) as data:
            keys, vectors = data["keys"], data["vectors"].astype(np.float32)
    except (OSError, KeyError, ValueError) as exc:  # a broken cache only costs time: embed instead
        log.warning("ignoring unreadable vector cache %s (%s)", path, exc)
        return {}
    return {str(key): vector.tolist() for key, vector in zip(keys, vectors)}


def save_vector_cache(path: Path, keys: list[str], vectors: np.ndarray) -> None:
    """Write vectors by content hash, replacing the file at once."""
    # float32 as embedded: float16 would halve the file but shift vector norms by up to 1e-4.
    with staged_file(Path(path)) as tmp:
        np.savez_compressed(tmp, keys=np.asarray(keys, dtype=str), vectors=np.asarray(vectors, dtype=np.float32))
