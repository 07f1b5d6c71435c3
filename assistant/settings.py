"""The product's settings: settings.yml, overridden by environment variables.

Standard library + PyYAML only, so the supervisor, the action server, tests and
benchmarks all read the same values.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SETTINGS_FILE = ROOT / "settings.yml"


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


def _path(value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else ROOT / path


def _read(settings_file: Path) -> dict:
    with open(settings_file, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def load_settings(environ=None, settings_file: Path = SETTINGS_FILE) -> Settings:
    env = os.environ if environ is None else environ
    raw = _read(settings_file)
    ports, paths = raw["ports"], raw["paths"]
    return Settings(
        host=env.get("ASSISTANT_HOST", raw["host"]),
        rasa_port=int(env.get("RASA_PORT", ports["rasa"])),
        actions_port=int(env.get("ACTIONS_PORT", ports["actions"])),
        web_port=int(env.get("WEB_PORT", ports["web"])),
        default_language=env.get("DEFAULT_LANGUAGE", raw["default_language"]),
        var_dir=_path(env.get("VAR_DIR", paths["var"])),
        models_dir=_path(env.get("MODELS_DIR", paths["models"])),
        startup_timeout_s=float(env.get("STARTUP_TIMEOUT_S", raw["startup_timeout_s"])),
        actions_host=env.get("ACTIONS_HOST", raw.get("actions_host", "127.0.0.1")),
    )


@dataclass(frozen=True)
class ChannelLimits:
    """What the Rasa server's input channels accept (settings.yml, section ``channels``)."""
    max_message_chars: int = 2_000
    request_max_bytes: int = 1_000_000
    rate_limit_messages: int = 20
    rate_limit_window_s: float = 10.0


_CHANNEL_VARIABLES = {
    "max_message_chars": ("MAX_MESSAGE_CHARS", int),
    "request_max_bytes": ("REQUEST_MAX_BYTES", int),
    "rate_limit_messages": ("RATE_LIMIT_MESSAGES", int),
    "rate_limit_window_s": ("RATE_LIMIT_WINDOW_S", float),
}


def load_channel_limits(environ=None, settings_file: Path = SETTINGS_FILE) -> ChannelLimits:
    env = os.environ if environ is None else environ
    raw = _read(settings_file).get("channels") or {}
    values = {}
    for name, (variable, kind) in _CHANNEL_VARIABLES.items():
        value = env.get(variable, raw.get(name))
        if value is not None:
            values[name] = kind(value)
    return ChannelLimits(**values)


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
