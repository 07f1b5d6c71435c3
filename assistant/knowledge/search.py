"""Searcher: one embedding model, the current index version, thread-safe, hot-reloading.

Each search looks at the ``current`` pointer (one readlink). When a build has swapped
in a new version, the first search to notice loads it (a few milliseconds at this
size) and replaces the reference; a search already running keeps the version object
it started with, so no request in flight fails or mixes two versions.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Tuple

import numpy as np

from assistant.knowledge.chunking import Chunk
from assistant.knowledge.config import KnowledgeConfig
from assistant.knowledge.countries import countries_in
from assistant.knowledge.index import IndexVersion, current_name, load_version
from assistant.knowledge.query_expansion import expansion

log = logging.getLogger(__name__)


class IndexMissing(RuntimeError):
    """No index has been built yet (run `make index`)."""


@dataclass(frozen=True)
class Hit:
    row: int
    score: float
    chunk: Chunk

    @property
    def doc_id(self) -> str:
        return self.chunk.doc_id


@dataclass
class SearchResult:
    query: str
    vector: np.ndarray
    hits: List[Hit]
    version: IndexVersion
    seconds: float
    # ISO codes of the countries the question names, in order (None: not looked for)
    countries: Optional[Tuple[str, ...]] = None

    def documents(self) -> List[tuple]:
        """(doc_id, best score, best hit) by descending score: a document is as good as its best section."""
        best: Dict[str, Hit] = {}
        for hit in self.hits:
            if hit.doc_id not in best or hit.score > best[hit.doc_id].score:
                best[hit.doc_id] = hit
        return sorted(((d, h.score, h) for d, h in best.items()), key=lambda x: -x[1])


class Searcher:
    def __init__(self, config: KnowledgeConfig, embedder_factory: Optional[Callable[[], object]] = None) -> None:
        self.config = config
        self._embedder_factory = embedder_factory or self._default_embedder
        self._embedder = None
        self._version: Optional[IndexVersion] = None
        self._load_lock = threading.Lock()     # one index load at a time
        self._model_lock = threading.Lock()    # one model load, ever
        self.reloads = 0

    @property
    def loaded(self) -> Optional[IndexVersion]:
        """The version in memory, without looking at the pointer (None before the first load)."""
        return self._version

    @staticmethod
    def _default_embedder_for(config: KnowledgeConfig):
        from assistant.knowledge.embedder import Embedder
        return Embedder(config, threads=config.query_threads)

    def _default_embedder(self):
        return self._default_embedder_for(self.config)

    @property
    def embedder(self):
        if self._embedder is None:
            with self._model_lock:
                if self._embedder is None:
                    self._embedder = self._embedder_factory()
        return self._embedder

    def version(self) -> IndexVersion:
        """The current version, reloaded if the pointer moved since the last call."""
        name = current_name(self.config.index_dir)
        loaded = self._version
        if name is None:
            if loaded is not None:
                return loaded     # the pointer vanished (an operator cleaning up): keep serving
            raise IndexMissing(f"no index in {self.config.index_dir}: run `make index`")
        if loaded is not None and loaded.name == name:
            return loaded
        with self._load_lock:
            loaded = self._version
            if loaded is not None and loaded.name == name:
                return loaded
            try:
                candidate = load_version(self.config.index_dir / name)
                self._check_compatible(candidate)
            except Exception as error:   # a broken or foreign version must not take the service down
                if loaded is None:
                    raise
                log.error("index version %s not loaded, still serving %s: %s", name, loaded.name, error)
                return loaded
            self._version = candidate
            self.reloads += 1
            log.info("knowledge index %s loaded (%d chunks)", name, len(candidate.chunks))
            return candidate

    def _check_compatible(self, version: IndexVersion) -> None:
        model = version.manifest.get("model", {})
        embedder = self.embedder
        if model.get("fingerprint") != embedder.fingerprint or model.get("dimension") != embedder.dimension:
            raise ValueError(f"index built with {model.get('name')} ({model.get('fingerprint')}), "
                             f"the running model is {embedder.name} ({embedder.fingerprint}): rebuild the index")

    def warm_up(self) -> None:
        """Loads model, index and country lexicon and runs one query, so the first user does not wait."""
        self.search("warm-up in Luxembourg")

    def query_vector(self, query: str, language: Optional[str] = None) -> np.ndarray:
        """The question's vector; with a glossary for its language, averaged with its gloss's."""
        twin = expansion(query, language, self.config.glossaries)
        if twin is None:
            return self.embedder.query(query)
        both = self.embedder.queries([query, twin]).sum(axis=0)
        return (both / np.linalg.norm(both)).astype(np.float32)

    def search(self, query: str, language: Optional[str] = None, top_k: Optional[int] = None) -> SearchResult:
        started = time.perf_counter()
        version = self.version()
        vector = self.query_vector(query, language)
        k = min(top_k or self.config.top_k, len(version.chunks))
        hits: List[Hit] = []
        if k:
            scores, rows = version.index.search(vector.reshape(1, -1), k)
            hits = [Hit(int(r), float(s), version.chunks[int(r)]) for s, r in zip(scores[0], rows[0]) if r >= 0]
        countries = countries_in(query)
        return SearchResult(query, vector, hits, version, time.perf_counter() - started, countries)
