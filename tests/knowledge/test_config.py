"""knowledge.yml and its environment overrides."""
from pathlib import Path

from assistant.knowledge.config import DEFAULT_MODEL_DIR, load_config
from assistant.settings import ROOT


def test_defaults_point_at_the_offline_model_and_the_repo_folders():
    config = load_config(environ={})
    assert Path(config.model) == DEFAULT_MODEL_DIR
    assert config.documents_dir == ROOT / "data" / "knowledge"
    assert config.index_dir == ROOT / "build" / "index"
    assert (config.query_prefix, config.passage_prefix) == ("query: ", "passage: ")
    assert not config.allow_download
    assert config.threshold_for("lb") == config.thresholds["lb"]
    assert config.threshold_for("xx") == config.thresholds["default"]


def test_environment_variables_override_the_file(tmp_path):
    config = load_config(environ={"KNOWLEDGE_DIR": str(tmp_path / "docs"), "KNOWLEDGE_INDEX_DIR": "elsewhere",
                                  "EMBEDDING_MODEL": "intfloat/multilingual-e5-base",
                                  "KNOWLEDGE_THRESHOLD": "0.9", "EMBEDDING_QUERY_THREADS": "2"})
    assert config.documents_dir == tmp_path / "docs"
    assert config.index_dir == ROOT / "elsewhere"
    assert config.model == "intfloat/multilingual-e5-base"          # a hub name stays a name
    assert config.threshold_for("fr") == config.threshold_for("lb") == 0.9
    assert config.query_threads == 2
