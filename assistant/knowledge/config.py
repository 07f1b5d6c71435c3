"""Retrieval settings: knowledge.yml at the repo root, overridden by environment variables."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Mapping, Optional, Tuple

import yaml

from assistant.settings import ROOT

CONFIG_FILE = ROOT / "knowledge.yml"
DEFAULT_MODEL_DIR = ROOT / "build" / "models" / "multilingual-e5-small"


@dataclass(frozen=True)
class KnowledgeConfig:
    documents_dir: Path
    index_dir: Path
    keep_versions: int
    model: str
    query_prefix: str
    passage_prefix: str
    batch_size: int
    threads: int
    query_threads: int
    bf16: str
    allow_download: bool
    top_k: int
    threshold: float                 # the default threshold (languages without their own)
    thresholds: Dict[str, float]
    related_margin: float
    max_related: int
    glossaries: Tuple[Tuple[str, Path], ...]
    max_words: int
    min_words: int
    country_weight: float = 0.01     # countries named in a question (assistant/knowledge/countries.py)

    def threshold_for(self, language: Optional[str]) -> float:
        return self.thresholds.get(language or "", self.threshold)


def _path(value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else ROOT / path


def _model(value: str) -> str:
    """A relative path that exists under the repo root is a folder; anything else a hub name."""
    candidate = _path(value)
    return str(candidate) if candidate.exists() or value.startswith(("build/", "./")) else value


def _thresholds(raw, override: Optional[str]) -> Dict[str, float]:
    if override:
        return {"default": float(override)}
    if isinstance(raw, dict):
        values = {str(k): float(v) for k, v in raw.items()}
        values.setdefault("default", min(values.values()))
        return values
    return {"default": float(raw)}


def load_config(environ: Optional[Mapping[str, str]] = None,
                config_file: Path = CONFIG_FILE) -> KnowledgeConfig:
    env = os.environ if environ is None else environ
    with open(config_file, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    emb, ret, ans = raw["embedding"], raw["retrieval"], raw["answer"]
    thresholds = _thresholds(ret["threshold"], env.get("KNOWLEDGE_THRESHOLD"))
    return KnowledgeConfig(
        documents_dir=_path(env.get("KNOWLEDGE_DIR", raw["documents_dir"])),
        index_dir=_path(env.get("KNOWLEDGE_INDEX_DIR", raw["index_dir"])),
        keep_versions=int(env.get("KNOWLEDGE_KEEP_VERSIONS", raw["keep_versions"])),
        model=_model(env.get("EMBEDDING_MODEL", emb["model"])),
        query_prefix=env.get("EMBEDDING_QUERY_PREFIX", emb["query_prefix"]),
        passage_prefix=env.get("EMBEDDING_PASSAGE_PREFIX", emb["passage_prefix"]),
        batch_size=int(env.get("EMBEDDING_BATCH_SIZE", emb["batch_size"])),
        threads=int(env.get("EMBEDDING_THREADS", emb["threads"])),
        query_threads=int(env.get("EMBEDDING_QUERY_THREADS", emb.get("query_threads", 1))),
        bf16=str(env.get("EMBEDDING_BF16", emb.get("bf16", "auto"))).lower(),
        allow_download=env.get("EMBEDDING_ALLOW_DOWNLOAD", "") == "1",
        top_k=int(env.get("KNOWLEDGE_TOP_K", ret["top_k"])),
        threshold=thresholds["default"],
        thresholds=thresholds,
        related_margin=float(env.get("KNOWLEDGE_RELATED_MARGIN", ret["related_margin"])),
        max_related=int(env.get("KNOWLEDGE_MAX_RELATED", ret["max_related"])),
        glossaries=tuple((lang, _path(path)) for lang, path in (ret.get("glossaries") or {}).items()),
        max_words=int(env.get("KNOWLEDGE_MAX_WORDS", ans["max_words"])),
        min_words=int(env.get("KNOWLEDGE_MIN_WORDS", ans["min_words"])),
        country_weight=float(env.get("KNOWLEDGE_COUNTRY_WEIGHT", ret.get("country_weight", 0.01))),
    )
