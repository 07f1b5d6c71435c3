"""The FAISS index on disk: versioned directories and an atomically swapped pointer.

    build/index/
      v20261122-070201-123456/   one complete version, never modified once written
        manifest.json            model, dimension, per-document content hashes, build time
        index.faiss              IndexFlatIP over L2-normalized vectors (exact cosine)
        chunks.jsonl             one chunk per line, in the order of the FAISS ids
        documents.json           title, source, dates... of every <id>.<lang>
      current -> v20261122-070201-123456   symlink, replaced with rename(2)

A build only re-embeds documents whose content hash changed (or everything when the
model or the chunker changed), writes the new version aside, then swaps ``current``:
a reader sees the old version or the new one, never half of one.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Tuple

import numpy as np

from assistant.knowledge.chunking import CHUNKER_VERSION, Chunk, chunk_document
from assistant.knowledge.config import KnowledgeConfig
from assistant.knowledge.documents import Document, Problem, validate
from assistant.knowledge.embedder import model_fingerprint

INDEX_FORMAT = 1
POINTER = "current"
MANIFEST = "manifest.json"


class BuildError(RuntimeError):
    """The documents do not validate, or another build holds the lock for too long."""

    def __init__(self, message: str, problems: Optional[List[Problem]] = None) -> None:
        super().__init__(message)
        self.problems = problems or []


# ----------------------------------------------------------------------------- reading

@dataclass
class IndexVersion:
    path: Path
    manifest: dict
    index: object                      # faiss.IndexFlatIP
    chunks: List[Chunk]
    documents: Dict[str, dict]         # "<id>.<lang>" -> metadata
    vectors: np.ndarray                # (n, d), the same rows as the FAISS index
    by_document: Dict[Tuple[str, str], List[int]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def languages_of(self) -> Dict[str, List[str]]:
        out: Dict[str, List[str]] = {}
        for meta in self.documents.values():
            out.setdefault(meta["id"], []).append(meta["language"])
        return out

    def rows_of(self, doc_id: str, language: str) -> List[int]:
        return self.by_document.get((doc_id, language), [])


def current_name(index_dir: Path) -> Optional[str]:
    try:
        return os.readlink(index_dir / POINTER)
    except OSError:
        return None


def read_manifest(version_dir: Path) -> Optional[dict]:
    try:
        return json.loads((version_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def load_version(version_dir: Path) -> IndexVersion:
    import faiss
    manifest = read_manifest(version_dir)
    if manifest is None:
        raise FileNotFoundError(f"{version_dir} has no readable {MANIFEST}")
    index = faiss.read_index(str(version_dir / "index.faiss"))
    with open(version_dir / "chunks.jsonl", encoding="utf-8") as handle:
        chunks = [Chunk.from_json(json.loads(line)) for line in handle if line.strip()]
    documents = json.loads((version_dir / "documents.json").read_text(encoding="utf-8"))
    vectors = index.reconstruct_n(0, index.ntotal) if index.ntotal else \
        np.zeros((0, index.d), dtype=np.float32)
    if len(chunks) != index.ntotal:
        raise ValueError(f"{version_dir}: {len(chunks)} chunks but {index.ntotal} vectors")
    by_document: Dict[Tuple[str, str], List[int]] = {}
    for row, chunk in enumerate(chunks):
        by_document.setdefault((chunk.doc_id, chunk.language), []).append(row)
    return IndexVersion(version_dir, manifest, index, chunks, documents,
                        np.asarray(vectors, dtype=np.float32), by_document)


def load_current(index_dir: Path) -> Optional[IndexVersion]:
    name = current_name(index_dir)
    return load_version(index_dir / name) if name else None


def versions(index_dir: Path) -> List[Path]:
    """Complete versions, oldest first (names sort by time)."""
    if not index_dir.exists():
        return []
    return sorted(p for p in index_dir.iterdir()
                  if p.is_dir() and not p.is_symlink() and p.name.startswith("v") and (p / MANIFEST).exists())


# ----------------------------------------------------------------------------- building

def content_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


@dataclass
class BuildReport:
    version: Optional[str]
    up_to_date: bool
    documents: int
    chunks: int
    embedded_documents: List[str]
    reused_documents: int
    removed_documents: List[str]
    seconds: float
    warnings: List[Problem] = field(default_factory=list)

    def summary(self) -> str:
        if self.up_to_date:
            return (f"index {self.version} is up to date ({self.documents} documents, "
                    f"{self.chunks} chunks); nothing to embed")
        return (f"index {self.version}: {self.documents} documents, {self.chunks} chunks; "
                f"embedded {len(self.embedded_documents)}, reused {self.reused_documents}, "
                f"removed {len(self.removed_documents)} in {self.seconds:.1f} s")


@contextlib.contextmanager
def build_lock(index_dir: Path, timeout_s: float = 300.0) -> Iterator[None]:
    """One build at a time per index directory (two `make index` in parallel would race)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".build.lock", "a+") as handle:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise BuildError(f"another build of {index_dir} is still running") from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _version_name() -> str:
    return "v" + dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d-%H%M%S-%f")


def _swap_pointer(index_dir: Path, name: str) -> None:
    temporary = index_dir / f".{POINTER}.{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    os.symlink(name, temporary)
    os.replace(temporary, index_dir / POINTER)   # rename(2): atomic for every reader


def prune(index_dir: Path, keep: int) -> List[str]:
    """Deletes versions beyond the newest ``keep`` (never the current one) and stale staging dirs."""
    current = current_name(index_dir)
    removed = []
    for old in versions(index_dir)[:-max(keep, 1)]:
        if old.name != current:
            shutil.rmtree(old, ignore_errors=True)
            removed.append(old.name)
    for staging in index_dir.glob(".staging-*"):
        if time.time() - staging.stat().st_mtime > 3600:
            shutil.rmtree(staging, ignore_errors=True)
    return removed


def _embed(chunks: List[Chunk], embed: Callable[[List[str]], np.ndarray], batch_size: int,
           progress: bool) -> np.ndarray:
    if not chunks:
        return np.zeros((0, 0), dtype=np.float32)
    # Similar lengths in a batch pad less; results go back to chunk order.
    order = sorted(range(len(chunks)), key=lambda i: len(chunks[i].text))
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(total=len(chunks), unit="chunk", desc="embedding", file=sys.stderr,
                   dynamic_ncols=True)
    parts = []
    for start in range(0, len(order), batch_size):
        batch = order[start:start + batch_size]
        parts.append(embed([chunks[i].text for i in batch]))
        if bar:
            bar.update(len(batch))
    if bar:
        bar.close()
    vectors = np.concatenate(parts)
    out = np.empty_like(vectors)
    out[np.array(order)] = vectors
    return out


def build_index(config: KnowledgeConfig, embedder_factory: Callable[[], object],
                progress: bool = False, force: bool = False,
                log: Callable[[str], None] = lambda _m: None) -> BuildReport:
    """Validates, re-embeds what changed, writes a new version aside and swaps it in."""
    started = time.monotonic()
    index_dir = config.index_dir
    with build_lock(index_dir):
        docs, problems = validate(config.documents_dir)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise BuildError(f"{len(errors)} error(s) in {config.documents_dir}; nothing was built", errors)
        warnings = [p for p in problems if p.severity == "warning"]
        fingerprint = model_fingerprint(config)
        hashes = {doc.key: content_hash(doc.path) for doc in docs}

        previous_name = current_name(index_dir)
        previous = read_manifest(index_dir / previous_name) if previous_name else None
        compatible = (previous is not None and not force
                      and previous.get("format") == INDEX_FORMAT
                      and previous.get("chunker_version") == CHUNKER_VERSION
                      and previous.get("model", {}).get("fingerprint") == fingerprint)
        old_docs = previous.get("documents", {}) if compatible else {}
        changed = [d for d in docs if old_docs.get(d.key, {}).get("sha256") != hashes[d.key]]
        removed = sorted(set(old_docs) - set(hashes))
        if compatible and not changed and not removed:
            return BuildReport(previous_name, True, len(docs),
                               sum(d.get("chunks", 0) for d in old_docs.values()), [], len(docs), [],
                               time.monotonic() - started, warnings)

        reused: Dict[str, Tuple[List[Chunk], np.ndarray]] = {}
        if compatible and len(changed) < len(docs):
            old = load_version(index_dir / previous_name)
            for doc in docs:
                if doc not in changed:
                    rows = old.rows_of(doc.id, doc.language)
                    reused[doc.key] = ([old.chunks[r] for r in rows], old.vectors[rows])

        log(f"chunking {len(changed)} changed document(s)...")
        new_chunks: Dict[str, List[Chunk]] = {d.key: chunk_document(d) for d in changed}
        flat = [c for d in changed for c in new_chunks[d.key]]
        embedder = embedder_factory() if flat else None
        if embedder is not None:
            log(f"embedding {len(flat)} chunk(s) with {config.model}...")
            vectors = _embed(flat, embedder.passages, config.batch_size, progress)
            dimension = embedder.dimension
        else:
            vectors = np.zeros((0, 0), dtype=np.float32)
            dimension = (previous or {}).get("model", {}).get("dimension", 0)
        new_vectors: Dict[str, np.ndarray] = {}
        cursor = 0
        for doc in changed:
            count = len(new_chunks[doc.key])
            new_vectors[doc.key] = vectors[cursor:cursor + count]
            cursor += count

        ordered = sorted(docs, key=lambda d: d.key)
        all_chunks: List[Chunk] = []
        matrices: List[np.ndarray] = []
        chunk_counts: Dict[str, int] = {}
        for doc in ordered:
            chunks, matrix = reused.get(doc.key) or (new_chunks[doc.key], new_vectors[doc.key])
            all_chunks.extend(chunks)
            chunk_counts[doc.key] = len(chunks)
            if len(chunks):
                matrices.append(matrix.reshape(len(chunks), -1))
        matrix = np.ascontiguousarray(np.concatenate(matrices), dtype=np.float32) if matrices \
            else np.zeros((0, dimension), dtype=np.float32)
        if matrix.shape[0]:
            dimension = matrix.shape[1]

        name = _version_name()
        manifest = {
            "format": INDEX_FORMAT,
            "version": name,
            "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "model": {"name": config.model, "fingerprint": fingerprint, "dimension": int(dimension),
                      "query_prefix": config.query_prefix, "passage_prefix": config.passage_prefix},
            "chunker_version": CHUNKER_VERSION,
            "index": {"type": "IndexFlatIP", "metric": "inner product on L2-normalized vectors",
                      "vectors": int(matrix.shape[0])},
            "documents": {
                doc.key: {"path": relative(doc.path, config.documents_dir), "sha256": hashes[doc.key],
                          "chunks": chunk_counts[doc.key]}
                for doc in ordered
            },
            "build": {"embedded": sorted(d.key for d in changed), "reused": len(reused),
                      "removed": removed, "previous": previous_name},
        }
        _write_version(index_dir, name, manifest, matrix, all_chunks, ordered)
        _swap_pointer(index_dir, name)
        prune(index_dir, config.keep_versions)
        seconds = time.monotonic() - started
        return BuildReport(name, False, len(docs), len(all_chunks), sorted(d.key for d in changed),
                           len(reused), removed, seconds, warnings)


def _write_version(index_dir: Path, name: str, manifest: dict, matrix: np.ndarray,
                   chunks: List[Chunk], docs: List[Document]) -> None:
    import faiss
    staging = index_dir / f".staging-{name}"
    staging.mkdir(parents=True)
    try:
        index = faiss.IndexFlatIP(int(manifest["model"]["dimension"]))
        if matrix.shape[0]:
            index.add(matrix)
        faiss.write_index(index, str(staging / "index.faiss"))
        with open(staging / "chunks.jsonl", "w", encoding="utf-8") as handle:
            for chunk in chunks:
                handle.write(json.dumps(chunk.to_json(), ensure_ascii=False) + "\n")
        (staging / "documents.json").write_text(
            json.dumps({d.key: d.metadata() for d in docs}, ensure_ascii=False, indent=1), encoding="utf-8")
        # The manifest last: a directory with a manifest is a complete version.
        (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        for path in staging.iterdir():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
        staging.rename(index_dir / name)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def stats(config: KnowledgeConfig) -> dict:
    name = current_name(config.index_dir)
    manifest = read_manifest(config.index_dir / name) if name else None
    out = {"index_dir": str(config.index_dir), "current": name,
           "versions": [v.name for v in versions(config.index_dir)]}
    if not manifest:
        return out
    by_language: Dict[str, int] = {}
    ids = set()
    for key in manifest["documents"]:
        doc_id, language = key.rsplit(".", 1)
        ids.add(doc_id)
        by_language[language] = by_language.get(language, 0) + 1
    size = sum(p.stat().st_size for p in (config.index_dir / name).iterdir())
    out.update({
        "built_at": manifest["built_at"], "model": manifest["model"],
        "documents": len(ids), "translations": len(manifest["documents"]),
        "translations_by_language": dict(sorted(by_language.items())),
        "chunks": manifest["index"]["vectors"], "size_bytes": size,
        "last_build": manifest.get("build", {}),
    })
    return out
