"""Building versioned indexes: incremental, atomic, and picked up by a running Searcher."""
import json
import os

import numpy as np
import pytest

from assistant.knowledge.index import BuildError, build_index, current_name, load_current, versions
from assistant.knowledge.search import Searcher

NEW_DOCUMENT = """---
id: demo-testamont
title: "Convention TESTAMONT (document de test)"
kind: agreement
language: fr
source:
  title: "Source de test"
  url: "https://example.org/testamont"
dates:
  signed: "2031-03-14"
territories: [FR, LU]
uncertain: []
updated: "2031-03-15"
---

# Convention TESTAMONT

La convention TESTAMONT est un document de test qui n'existe que dans ce test.

## Signature

La convention TESTAMONT a été signée le 14 mars 2031 à Remich par deux hôpitaux imaginaires. Elle sert
uniquement à vérifier qu'un document ajouté est trouvé après une seule commande de construction.
"""


def never_called():
    raise AssertionError("the embedding model was loaded although nothing had changed")


def test_a_first_build_writes_a_complete_version_and_points_at_it(small_corpus, embedder):
    report = build_index(small_corpus, lambda: embedder)
    assert not report.up_to_date and report.documents == 4
    version_dir = small_corpus.index_dir / current_name(small_corpus.index_dir)
    assert os.path.islink(small_corpus.index_dir / "current")
    manifest = json.loads((version_dir / "manifest.json").read_text())
    assert manifest["model"]["dimension"] == embedder.dimension == 384
    assert manifest["model"]["name"] == small_corpus.model
    assert set(manifest["documents"]) == {"agreement-fr-lu.fr", "agreement-fr-lu.de", "mosar.fr", "mosar.lb"}
    assert all(len(d["sha256"]) == 64 for d in manifest["documents"].values())
    assert manifest["built_at"] and manifest["index"]["vectors"] == report.chunks
    version = load_current(small_corpus.index_dir)
    assert version.index.ntotal == len(version.chunks) == report.chunks
    assert np.allclose(np.linalg.norm(version.vectors, axis=1), 1.0, atol=1e-3)


def test_an_unchanged_corpus_is_not_rebuilt_and_the_model_is_not_loaded(small_corpus, embedder):
    first = build_index(small_corpus, lambda: embedder)
    second = build_index(small_corpus, never_called)
    assert second.up_to_date and second.version == first.version
    assert len(versions(small_corpus.index_dir)) == 1


def test_only_the_changed_document_is_embedded_again(small_corpus, embedder):
    build_index(small_corpus, lambda: embedder)
    before = load_current(small_corpus.index_dir)
    path = small_corpus.documents_dir / "cooperation" / "mosar.fr.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nUne phrase ajoutée à la fin du document.\n",
                    encoding="utf-8")
    report = build_index(small_corpus, lambda: embedder)
    assert report.embedded_documents == ["mosar.fr"] and report.reused_documents == 3
    after = load_current(small_corpus.index_dir)
    assert after.name != before.name
    rows_before = before.rows_of("agreement-fr-lu", "fr")
    rows_after = after.rows_of("agreement-fr-lu", "fr")
    assert np.array_equal(before.vectors[rows_before], after.vectors[rows_after])


def test_a_document_with_errors_stops_the_build_and_the_old_version_stays(small_corpus, embedder):
    build_index(small_corpus, lambda: embedder)
    current = current_name(small_corpus.index_dir)
    bad = small_corpus.documents_dir / "agreement" / "broken.fr.md"
    bad.write_text("no header here\n", encoding="utf-8")
    with pytest.raises(BuildError) as error:
        build_index(small_corpus, never_called)
    assert any(p.path == bad and p.line == 1 for p in error.value.problems)
    assert current_name(small_corpus.index_dir) == current


def test_a_running_searcher_answers_from_a_document_added_after_it_started(small_corpus, embedder):
    build_index(small_corpus, lambda: embedder)
    searcher = Searcher(small_corpus, lambda: embedder)
    question = "Quand la convention TESTAMONT a-t-elle été signée ?"
    in_flight = searcher.search(question, "fr")             # a request that started before the swap
    assert "demo-testamont" not in {h.doc_id for h in in_flight.hits}

    (small_corpus.documents_dir / "agreement" / "demo-testamont.fr.md").write_text(NEW_DOCUMENT, encoding="utf-8")
    report = build_index(small_corpus, lambda: embedder)
    assert report.embedded_documents == ["demo-testamont.fr"]

    after = searcher.search(question, "fr")
    assert after.version.name == report.version and searcher.reloads == 2
    assert after.hits[0].doc_id == "demo-testamont"
    # The old version object still works for whoever holds it, even once pruned from disk.
    assert not (small_corpus.index_dir / in_flight.version.name).exists()
    scores, _ = in_flight.version.index.search(in_flight.vector.reshape(1, -1), 3)
    assert scores.shape == (1, 3)


def test_a_deleted_document_leaves_the_index_without_anything_being_embedded(small_corpus, embedder):
    build_index(small_corpus, lambda: embedder)
    (small_corpus.documents_dir / "cooperation" / "mosar.lb.md").unlink()
    report = build_index(small_corpus, never_called)
    assert report.removed_documents == ["mosar.lb"] and not report.embedded_documents
    assert load_current(small_corpus.index_dir).rows_of("mosar", "lb") == []
