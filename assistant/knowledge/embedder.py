"""Sentence-transformers embeddings with the e5 ``query: `` / ``passage: `` prefixes.

Vectors are float32 and L2-normalized, so an inner product is a cosine. The model is
whatever ``knowledge.yml`` / ``EMBEDDING_MODEL`` names: the offline e5-small folder by
default, or any sentence-transformers model already on disk or in the hub cache.
Nothing is ever downloaded unless EMBEDDING_ALLOW_DOWNLOAD=1.
"""
from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from assistant.knowledge.config import KnowledgeConfig

log = logging.getLogger(__name__)


class ModelMissing(RuntimeError):
    """The configured embedding model is not on disk; the message says how to get it."""


def _quiet_libraries(allow_download: bool) -> None:
    if not allow_download:
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        import transformers
        transformers.logging.set_verbosity_error()
        transformers.logging.disable_progress_bar()
    except Exception:  # progress bars are cosmetic
        pass


def _use_bf16(setting: str) -> bool:
    if setting in ("off", "false", "0", "no"):
        return False
    import torch
    try:
        native = bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        native = False
    # Without native bf16 instructions autocast is slower than fp32.
    return native if setting == "auto" else True


def model_fingerprint(config: KnowledgeConfig) -> str:
    """Identifies the vectors' space: same fingerprint, comparable vectors."""
    parts = [config.model, config.query_prefix, config.passage_prefix]
    folder = Path(config.model)
    for name in ("BUILD_INFO.json", "config.json", "modules.json"):
        if (folder / name).exists():
            parts.append((folder / name).read_text(encoding="utf-8"))
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]


class Embedder:
    """``threads``: torch's intra-op threads for this process (defaults to the build setting)."""

    def __init__(self, config: KnowledgeConfig, threads: Optional[int] = None) -> None:
        self.config = config
        self.name = config.model
        self.fingerprint = model_fingerprint(config)
        _quiet_libraries(config.allow_download)
        if Path(config.model).is_absolute() and not Path(config.model).exists():
            raise ModelMissing(f"embedding model {config.model} not found: run `make install` "
                               "(or python -m assistant.knowledge.model_builder)")
        import torch
        from sentence_transformers import SentenceTransformer
        if threads or config.threads:
            torch.set_num_threads(threads or config.threads)
        try:
            self.model = SentenceTransformer(config.model, device="cpu",
                                             local_files_only=not config.allow_download)
        except OSError as error:
            raise ModelMissing(f"embedding model {config.model!r} is not available offline "
                               f"({error}); set EMBEDDING_MODEL to a local folder") from error
        self.model.eval()
        self.bf16 = _use_bf16(config.bf16)
        self.dimension = int(self.model.get_embedding_dimension()
                             if hasattr(self.model, "get_embedding_dimension")
                             else self.model.get_sentence_embedding_dimension())
        # torch runs one forward pass at a time well; callers from several threads queue here.
        self._lock = threading.Lock()

    def _encode(self, texts: Sequence[str], prefix: str, batch_size: Optional[int] = None,
                progress: bool = False) -> np.ndarray:
        import torch
        prefixed = [prefix + t for t in texts]
        autocast = torch.autocast("cpu", dtype=torch.bfloat16) if self.bf16 else contextlib.nullcontext()
        with self._lock, torch.inference_mode(), autocast:
            vectors = self.model.encode(prefixed, batch_size=batch_size or self.config.batch_size,
                                        normalize_embeddings=True, convert_to_numpy=True,
                                        show_progress_bar=progress)
        return np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(prefixed), -1)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self.config.query_prefix)

    def query(self, text: str) -> np.ndarray:
        return self.queries([text])[0]

    def passages(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        return self._encode(texts, self.config.passage_prefix, progress=progress)

    def describe(self) -> dict:
        return {"model": self.name, "fingerprint": self.fingerprint, "dimension": self.dimension,
                "precision": "bf16 autocast" if self.bf16 else "fp32",
                "query_prefix": self.config.query_prefix, "passage_prefix": self.config.passage_prefix}

