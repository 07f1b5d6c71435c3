"""`make train` trains only when the data or code a model is made of changed (assistant/model_inputs.py):
Rasa 3.6 alone writes a new model on every `rasa train`, which put identical models in service under new
names (and `make rollback` lost track of the promoted one)."""
import os
import shutil
import subprocess

import pytest

from assistant.model_inputs import inputs_digest, record, recorded, trained_on
from assistant.services import ACTIONS_PYTHON, latest_model
from assistant.settings import ROOT, load_settings


def _tree(root):
    (root / "data" / "nlu").mkdir(parents=True)
    (root / "data" / "nlu" / "fr.yml").write_text("- intent: greet\n", encoding="utf-8")
    (root / "config.yml").write_text("pipeline: []\n", encoding="utf-8")
    (root / "README.md").write_text("not an input\n", encoding="utf-8")
    return root


def test_the_digest_follows_the_inputs_and_nothing_else(tmp_path):
    root = _tree(tmp_path)
    names = ("config.yml", "data/nlu")
    before = inputs_digest(root, names)
    (root / "README.md").write_text("changed, but not an input\n", encoding="utf-8")
    (root / "data" / "nlu" / "__pycache__").mkdir()
    (root / "data" / "nlu" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    (root / "data" / "nlu" / "fr.yml~").write_text("an editor's backup\n", encoding="utf-8")
    assert inputs_digest(root, names) == before
    (root / "data" / "nlu" / "fr.yml").write_text("- intent: greet\n- intent: goodbye\n", encoding="utf-8")
    assert inputs_digest(root, names) != before
    (root / "data" / "nlu" / "fr.yml").write_text("- intent: greet\n", encoding="utf-8")
    assert inputs_digest(root, names) == before
    (root / "data" / "nlu" / "nl.yml").write_text("", encoding="utf-8")          # a new file counts too
    assert inputs_digest(root, names) != before


def test_records_are_kept_for_the_models_still_there(tmp_path):
    (tmp_path / "candidates").mkdir()
    for name in ("a.tar.gz", "candidates/b.tar.gz"):
        (tmp_path / name).write_bytes(b"")
    record(tmp_path, "a.tar.gz", "1")
    record(tmp_path, "b.tar.gz", "2")
    assert recorded(tmp_path) == {"a.tar.gz": "1", "b.tar.gz": "2"}
    (tmp_path / "a.tar.gz").unlink()
    record(tmp_path, "b.tar.gz", "3")
    assert recorded(tmp_path) == {"b.tar.gz": "3"}
    assert trained_on(tmp_path, tmp_path / "candidates" / "b.tar.gz") == "3" and trained_on(tmp_path, None) is None


def _make_train(models_dir):
    env = dict(os.environ, MODELS_DIR=str(models_dir))
    return subprocess.run([str(ACTIONS_PYTHON), "-m", "assistant.services", "train"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=1200)


@pytest.fixture
def models_dir(tmp_path):
    """A models folder holding a copy of the model `make test` trained."""
    newest = latest_model(load_settings())
    shutil.copy2(newest, tmp_path / newest.name)
    return tmp_path


def test_make_train_trains_nothing_when_the_newest_model_was_trained_on_this_data(models_dir):
    (model,) = models_dir.glob("*.tar.gz")
    record(models_dir, model.name, inputs_digest())
    done = _make_train(models_dir)
    assert done.returncode == 0, done.stderr
    assert "nothing to train" in done.stdout
    assert [p.name for p in models_dir.glob("*.tar.gz")] == [model.name]


def test_make_train_trains_a_model_recorded_for_other_data_again_and_records_the_new_one(models_dir):
    (model,) = models_dir.glob("*.tar.gz")
    record(models_dir, model.name, "other data")
    done = _make_train(models_dir)
    assert done.returncode == 0, done.stderr[-2000:]
    new = latest_model(load_settings({"MODELS_DIR": str(models_dir)}))
    assert new.name != model.name and recorded(models_dir)[new.name] == inputs_digest()
