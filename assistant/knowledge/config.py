"""Retrieval settings: knowledge.yml at the repo root, overridden by environment variables, read by
the product's one settings loader (assistant/settings.py)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Mapping, Optional, Tuple

from assistant.settings import ROOT, Setting, path_setting, read_settings, read_yaml

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


def _model(value: str) -> str:
    """A relative path that exists under the repo root is a folder; anything else a hub name."""
    candidate = path_setting(value)
    return str(candidate) if candidate.exists() or value.startswith(("build/", "./")) else value


def _thresholds(raw, override: Optional[str]) -> Dict[str, float]:
    if override:
        return {"default": float(override)}
    if isinstance(raw, dict):
        values = {str(k): float(v) for k, v in raw.items()}
        values.setdefault("default", min(values.values()))
        return values
    return {"default": float(raw)}


_KNOWLEDGE = {
    "documents_dir": Setting("documents_dir", "KNOWLEDGE_DIR", path_setting),
    "index_dir": Setting("index_dir", "KNOWLEDGE_INDEX_DIR", path_setting),
    "keep_versions": Setting("keep_versions", "KNOWLEDGE_KEEP_VERSIONS", int),
    "model": Setting("embedding.model", "EMBEDDING_MODEL", _model),
    "query_prefix": Setting("embedding.query_prefix", "EMBEDDING_QUERY_PREFIX"),
    "passage_prefix": Setting("embedding.passage_prefix", "EMBEDDING_PASSAGE_PREFIX"),
    "batch_size": Setting("embedding.batch_size", "EMBEDDING_BATCH_SIZE", int),
    "threads": Setting("embedding.threads", "EMBEDDING_THREADS", int),
    "query_threads": Setting("embedding.query_threads", "EMBEDDING_QUERY_THREADS", int, 1),
    "bf16": Setting("embedding.bf16", "EMBEDDING_BF16", lambda v: str(v).lower(), "auto"),
    "allow_download": Setting(None, "EMBEDDING_ALLOW_DOWNLOAD", lambda v: v == "1", False),
    "top_k": Setting("retrieval.top_k", "KNOWLEDGE_TOP_K", int),
    "related_margin": Setting("retrieval.related_margin", "KNOWLEDGE_RELATED_MARGIN", float),
    "max_related": Setting("retrieval.max_related", "KNOWLEDGE_MAX_RELATED", int),
    "max_words": Setting("answer.max_words", "KNOWLEDGE_MAX_WORDS", int),
    "min_words": Setting("answer.min_words", "KNOWLEDGE_MIN_WORDS", int),
    "country_weight": Setting("retrieval.country_weight", "KNOWLEDGE_COUNTRY_WEIGHT", float, 0.01),
}


def load_config(environ: Optional[Mapping[str, str]] = None,
                config_file: Path = CONFIG_FILE) -> KnowledgeConfig:
    env = os.environ if environ is None else environ
    raw = read_yaml(config_file)
    retrieval = raw["retrieval"]
    # Two values with a shape of their own: thresholds per language (one variable sets them all) and
    # the glossaries per language.
    thresholds = _thresholds(retrieval["threshold"], env.get("KNOWLEDGE_THRESHOLD"))
    return KnowledgeConfig(
        threshold=thresholds["default"],
        thresholds=thresholds,
        glossaries=tuple((lang, path_setting(path)) for lang, path in (retrieval.get("glossaries") or {}).items()),
        **read_settings(_KNOWLEDGE, raw, env),
    )
