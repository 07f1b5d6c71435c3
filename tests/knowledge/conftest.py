"""Shared fixtures: one embedding model per session (loading it takes a few seconds)."""
import dataclasses
import shutil
from pathlib import Path

import pytest

from assistant.knowledge.config import load_config
from assistant.knowledge.index import current_name

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "data" / "knowledge"


@pytest.fixture(scope="session")
def config():
    return load_config()


@pytest.fixture(scope="session")
def embedder(config):
    from assistant.knowledge.embedder import Embedder, ModelMissing
    try:
        return Embedder(config, threads=1)   # two OpenMP threads stall when the machine is busy
    except ModelMissing as error:
        pytest.fail(f"{error} (make install builds it)")


@pytest.fixture(scope="session")
def searcher(config, embedder):
    """The real index of data/knowledge, as `make index` built it."""
    from assistant.knowledge.search import Searcher
    if current_name(config.index_dir) is None:
        pytest.fail(f"no index in {config.index_dir}: run `make index` first")
    return Searcher(config, lambda: embedder)


@pytest.fixture
def small_corpus(tmp_path, config):
    """A config whose documents are a copy of three real documents, with its own index dir."""
    docs = tmp_path / "knowledge"
    for relative in ("agreement/agreement-fr-lu.fr.md", "agreement/agreement-fr-lu.de.md",
                     "cooperation/mosar.fr.md", "cooperation/mosar.lb.md"):
        target = docs / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / relative, target)
    return dataclasses.replace(config, documents_dir=docs, index_dir=tmp_path / "index", keep_versions=1)
