"""The knowledge base as the console uses it: search(query) and answer(question, language).

Semantic retrieval (assistant.knowledge: multilingual embeddings + FAISS) when its
package, model and index are there; otherwise the BM25 search of knowledge_lexical,
so that the console works on a machine where the index has not been built. The
engine in use is shown to the agent (``engine``).
"""
from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from typing import List, Optional

from assistant.web.knowledge_lexical import LexicalKnowledge

log = logging.getLogger(__name__)


class SemanticKnowledge:
    """assistant.knowledge's Searcher (multilingual e5 + FAISS), reshaped into the console's passages.

    Every document exists once per language under the same id: the answer is the best
    document's same section in the agent's language, whatever language the question was in.
    """

    engine = "semantic"

    def __init__(self) -> None:
        from assistant.knowledge.config import load_config   # heavy imports only when used
        from assistant.knowledge.search import Searcher

        self.config = load_config()
        self._searcher = Searcher(self.config)
        self._searcher.warm_up()
        self._recent: "OrderedDict[tuple, object]" = OrderedDict()
        self._recent_lock = threading.Lock()

    def _search(self, query: str):
        """The console asks for passages and for an answer to the same message: embed it once."""
        from assistant.knowledge.index import current_name

        key = (query, current_name(self.config.index_dir))
        with self._recent_lock:
            if key in self._recent:
                return self._recent[key]
        result = self._searcher.search(query)
        with self._recent_lock:
            self._recent[key] = result
            while len(self._recent) > 32:
                self._recent.popitem(last=False)
        return result

    def _passage(self, version, chunk, score: float) -> dict:
        meta = version.documents.get(f"{chunk.doc_id}.{chunk.language}", {})
        source = meta.get("source") or {}
        return {"doc_id": chunk.doc_id, "language": chunk.language, "title": meta.get("title", ""),
                "heading": chunk.heading, "position": chunk.section,
                "text": _trim(chunk.sentences or [chunk.text], self.config.max_words),
                "score": round(float(score), 3),
                "source": {"title": source.get("title", ""), "url": source.get("url", "")}}

    def search(self, query: str, k: int = 5) -> List[dict]:
        result = self._search(query)
        # One passage per document: five sections of the same page would hide the others.
        return [self._passage(result.version, hit.chunk, score) for _, score, hit in result.documents()[:k]]

    def answer(self, question: str, language: str) -> Optional[dict]:
        result = self._search(question)
        documents = result.documents()
        if not documents or documents[0][1] < self.config.threshold:
            return None
        doc_id, score, hit = documents[0]
        version = result.version
        rows = version.rows_of(doc_id, language)
        if not rows:
            return None
        same_section = [version.chunks[r] for r in rows if version.chunks[r].section == hit.chunk.section]
        return self._passage(version, same_section[0] if same_section else version.chunks[rows[0]], score)


def _trim(sentences: List[str], max_words: int) -> str:
    kept, words = [], 0
    for sentence in sentences:
        if kept and words + len(sentence.split()) > max_words:
            kept.append("…")
            break
        kept.append(sentence)
        words += len(sentence.split())
    return " ".join(kept)


class KnowledgeAdapter:
    """Loads the best available engine once, in the background, and answers meanwhile with BM25."""

    def __init__(self, prefer_semantic: bool = True) -> None:
        self._lexical = LexicalKnowledge()
        self._semantic = None
        self._lock = threading.Lock()
        if prefer_semantic:
            threading.Thread(target=self._load_semantic, name="knowledge-loader", daemon=True).start()

    def _load_semantic(self) -> None:
        try:
            engine = SemanticKnowledge()
        except Exception as error:     # any missing piece (package, model, index) means BM25
            log.warning("semantic knowledge search unavailable, using BM25: %s", error)
            return
        with self._lock:
            self._semantic = engine
        log.info("knowledge: semantic search ready (%s)", engine.config.model)

    @property
    def engine(self):
        with self._lock:
            return self._semantic or self._lexical

    def _ask(self, method: str, *args):
        engine = self.engine
        try:
            return engine, getattr(engine, method)(*args)
        except Exception as error:      # e.g. an index rebuilt with another model: words still work
            if engine is self._lexical:
                raise
            log.error("semantic %s failed, answering with BM25: %s", method, error)
            return self._lexical, getattr(self._lexical, method)(*args)

    def search(self, query: str, k: int = 5) -> List[dict]:
        engine, passages = self._ask("search", query, k)
        return [dict(p, engine=engine.engine) for p in passages]

    def answer(self, question: str, language: str) -> Optional[dict]:
        engine, result = self._ask("answer", question, language)
        return dict(result, engine=engine.engine) if result else None
