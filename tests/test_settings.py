"""The one settings loader (assistant/settings.py) every settings file goes through."""
import pytest

from assistant.settings import Setting, read_settings


def test_every_settings_file_goes_through_one_loader(tmp_path):
    spec = {"port": Setting("ports.rasa", "RASA_PORT", int), "origins": Setting("web.origins", "ORIGINS",
            str, "x", empty_is_a_value=True), "users": Setting("web.users", None, str, "default")}
    raw = {"ports": {"rasa": 5005}, "web": {"origins": "a b", "users": None}}
    assert read_settings(spec, raw, {}) == {"port": 5005, "origins": "a b", "users": "default"}
    assert read_settings(spec, raw, {"RASA_PORT": "15005", "ORIGINS": ""}) == {"port": 15005, "origins": "",
                                                                              "users": "default"}
    assert read_settings(spec, raw, {"RASA_PORT": ""})["port"] == 5005        # "" is not a port
    with pytest.raises(KeyError, match="ports.rasa"):
        read_settings(spec, {}, {})
