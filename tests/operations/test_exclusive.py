"""One `make retrain` or `make rollback` at a time (assistant/operations/retrain.py, exclusive)."""
import dataclasses

import pytest

from assistant.operations.retrain import Busy, exclusive, load_config


def test_a_second_run_is_refused_while_one_holds_the_lock_and_allowed_after(tmp_path):
    config = dataclasses.replace(load_config(), reports_dir=tmp_path / "reports")
    with exclusive(config):
        with pytest.raises(Busy, match="another `make retrain` or `make rollback` is running"):
            with exclusive(config):
                pass
    with exclusive(config):            # released: the next run goes ahead
        pass
