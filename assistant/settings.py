"""The product's settings, and the one loader every settings file goes through.

settings.yml (services, web app, channels) and knowledge.yml (retrieval) are read by `read_settings`:
each value from the environment variable named beside it in the file, else from the file, else its
default. Standard library + PyYAML only, so the supervisor, the Rasa server's env, the action server,
tests and benchmarks all read the same values the same way.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Mapping, Optional

import yaml

ROOT = Path(__file__).resolve().parents[1]
SETTINGS_FILE = ROOT / "settings.yml"
REQUIRED = object()


def path_setting(value: str) -> Path:
    """A path in a settings file or variable: relative ones are relative to the repository."""
    path = Path(value)
    return path if path.is_absolute() else ROOT / path


def bool_setting(value) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Setting:
    key: Optional[str]              # dotted place in the file ("ports.rasa"); None: environment only
    variable: Optional[str] = None  # the environment variable that overrides it
    kind: Callable[[Any], Any] = str
    default: Any = REQUIRED
    empty_is_a_value: bool = False  # VAR="" sets "" (a list emptied); otherwise it counts as not set


def read_yaml(settings_file: Path) -> dict:
    with open(settings_file, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def _lookup(raw: Mapping, key: Optional[str]):
    value: Any = raw
    for part in (key or "").split(".") if key else ():
        if not isinstance(value, Mapping) or part not in value:
            return REQUIRED
        value = value[part]
    return value if key else REQUIRED


def read_settings(spec: Mapping[str, Setting], raw: Mapping, environ: Optional[Mapping[str, str]] = None
                  ) -> Dict[str, Any]:
    """{field: value} for every field of ``spec``; a field neither set nor defaulted is an error that
    names its key and variable. A null in the file counts as not set."""
    env = os.environ if environ is None else environ
    values = {}
    for name, setting in spec.items():
        value = env.get(setting.variable) if setting.variable else None
        if value is None or (value == "" and not setting.empty_is_a_value):
            value = _lookup(raw, setting.key)
        if value is REQUIRED or value is None:
            if setting.default is REQUIRED:
                raise KeyError(f"setting {setting.key or name} missing (or set {setting.variable})")
            values[name] = setting.default
            continue
        values[name] = setting.kind(value)
    return values


@dataclass(frozen=True)
class Settings:
    host: str
    rasa_port: int
    actions_port: int
    web_port: int
    default_language: str
    var_dir: Path
    models_dir: Path
    startup_timeout_s: float
    # The action server has no login (its webhook, the console's /knowledge/search): it listens on
    # loopback even when ASSISTANT_HOST opens the Rasa server and the web app to the network.
    actions_host: str = "127.0.0.1"
    # The endpoints file the Rasa server runs with: where the conversations are (assistant/tracker_db.py).
    endpoints: Path = ROOT / "endpoints.yml"

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://{self.actions_host}:{self.actions_port}"

    @property
    def web_origin(self) -> str:
        return f"http://{self.host}:{self.web_port}"

    @property
    def tracker_db(self) -> Path:
        return self.var_dir / "tracker.db"

    @property
    def secrets_dir(self) -> Path:
        return self.var_dir / "secrets"


_SETTINGS = {
    "host": Setting("host", "ASSISTANT_HOST"),
    "rasa_port": Setting("ports.rasa", "RASA_PORT", int),
    "actions_port": Setting("ports.actions", "ACTIONS_PORT", int),
    "web_port": Setting("ports.web", "WEB_PORT", int),
    "default_language": Setting("default_language", "DEFAULT_LANGUAGE"),
    "var_dir": Setting("paths.var", "VAR_DIR", path_setting),
    "models_dir": Setting("paths.models", "MODELS_DIR", path_setting),
    "startup_timeout_s": Setting("startup_timeout_s", "STARTUP_TIMEOUT_S", float),
    "actions_host": Setting("actions_host", "ACTIONS_HOST", default="127.0.0.1"),
    "endpoints": Setting("paths.endpoints", "RASA_ENDPOINTS", path_setting, ROOT / "endpoints.yml"),
}


def load_settings(environ=None, settings_file: Path = SETTINGS_FILE) -> Settings:
    return Settings(**read_settings(_SETTINGS, read_yaml(settings_file), environ))


@dataclass(frozen=True)
class ChannelLimits:
    """What the Rasa server's input channels accept (settings.yml, section ``channels``)."""
    max_message_chars: int = 2_000
    request_max_bytes: int = 1_000_000
    rate_limit_messages: int = 20
    rate_limit_window_s: float = 10.0


_CHANNEL_LIMITS = {
    "max_message_chars": Setting("channels.max_message_chars", "MAX_MESSAGE_CHARS", int,
                                 ChannelLimits.max_message_chars),
    "request_max_bytes": Setting("channels.request_max_bytes", "REQUEST_MAX_BYTES", int,
                                 ChannelLimits.request_max_bytes),
    "rate_limit_messages": Setting("channels.rate_limit_messages", "RATE_LIMIT_MESSAGES", int,
                                   ChannelLimits.rate_limit_messages),
    "rate_limit_window_s": Setting("channels.rate_limit_window_s", "RATE_LIMIT_WINDOW_S", float,
                                   ChannelLimits.rate_limit_window_s),
}


def load_channel_limits(environ=None, settings_file: Path = SETTINGS_FILE) -> ChannelLimits:
    return ChannelLimits(**read_settings(_CHANNEL_LIMITS, read_yaml(settings_file), environ))


def rasa_auth_token(settings: Settings, environ=None) -> str:
    """RASA_AUTH_TOKEN from the environment, else a token generated once into var/secrets."""
    env = os.environ if environ is None else environ
    if env.get("RASA_AUTH_TOKEN"):
        return env["RASA_AUTH_TOKEN"]
    token_file = settings.secrets_dir / "rasa_auth_token"
    if not token_file.exists():
        settings.secrets_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(32))
    return token_file.read_text().strip()
