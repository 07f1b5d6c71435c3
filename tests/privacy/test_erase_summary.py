"""What `make erase` says (assistant/privacy.py): a sender id that the logs mask is said, not hidden."""
from assistant.privacy import erase
from assistant.settings import load_settings


def _settings(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "rasa.log").write_text("sender 'web-4f2a' said [phone]\nsender '[phone]' said hello\n", encoding="utf-8")
    return load_settings({"VAR_DIR": str(tmp_path)})


def test_an_ordinary_sender_id_has_its_log_lines_removed_and_no_note(tmp_path):
    erasure = erase("web-4f2a", _settings(tmp_path))
    assert erasure.log_lines == {"rasa.log": 1} and "note:" not in erasure.summary()
    assert (tmp_path / "logs" / "rasa.log").read_text(encoding="utf-8") == "sender '[phone]' said hello\n"


def test_a_phone_number_as_sender_id_is_said_to_be_masked_in_the_logs(tmp_path):
    erasure = erase("+32470123456", _settings(tmp_path))
    assert erasure.log_lines == {"rasa.log": 0}
    assert "note: this sender id is masked in the logs ([phone])" in erasure.summary()
