"""The web app's settings: the `web:` section of settings.yml, overridden by environment variables.

The product-wide values (host, ports, var/) come from assistant.settings; this adds
only what the patient widget and the agent console need.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Tuple

import yaml

from assistant.settings import ROOT, SETTINGS_FILE, Settings, load_settings


@dataclass(frozen=True)
class WebConfig:
    settings: Settings
    agent_users: Path
    session_hours: float
    live_hours: float
    retention_days: float
    secure_cookies: bool
    rasa_public_url: str
    embed_origins: Tuple[str, ...]
    assets_dir: Path

    @property
    def host(self) -> str:
        return self.settings.host

    @property
    def port(self) -> int:
        return self.settings.web_port

    @property
    def origin(self) -> str:
        return self.settings.web_origin

    @property
    def rasa_url(self) -> str:
        return self.settings.rasa_url

    @property
    def actions_url(self) -> str:
        """The action server, whose knowledge search the console uses."""
        return self.settings.actions_url

    @property
    def browser_rasa_url(self) -> str:
        """Where the patient's browser opens the socket.io connection."""
        return self.rasa_public_url or self.settings.rasa_url

    @property
    def tracker_db(self) -> Path:
        return self.settings.tracker_db

    @property
    def session_key_file(self) -> Path:
        return self.settings.secrets_dir / "web_session_key"


def _path(value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else ROOT / path


def _bool(value) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def load_web_config(environ: Optional[Mapping[str, str]] = None,
                    settings_file: Path = SETTINGS_FILE) -> WebConfig:
    env = os.environ if environ is None else environ
    settings = load_settings(env, settings_file)
    with open(settings_file, encoding="utf-8") as handle:
        raw = (yaml.safe_load(handle) or {}).get("web") or {}
    # By default the users file follows VAR_DIR, so that tests and second instances never
    # read or create the real agents' file.
    users = env.get("AGENT_USERS") or raw.get("agent_users")
    users_path = _path(users) if users else settings.secrets_dir / "agents.json"
    embed = env.get("WEB_EMBED_ORIGINS")
    embed_origins = tuple(embed.split()) if embed is not None else tuple(raw.get("embed_origins") or ())
    return WebConfig(
        settings=settings,
        agent_users=users_path,
        session_hours=float(env.get("AGENT_SESSION_HOURS", raw.get("session_hours", 8))),
        live_hours=float(env.get("AGENT_LIVE_HOURS", raw.get("live_hours", 24))),
        retention_days=float(env.get("CONVERSATION_RETENTION_DAYS", raw.get("retention_days", 30))),
        secure_cookies=_bool(env.get("WEB_SECURE_COOKIES", raw.get("secure_cookies", False))),
        rasa_public_url=(env.get("RASA_PUBLIC_URL", raw.get("rasa_public_url") or "")).rstrip("/"),
        embed_origins=embed_origins,
        assets_dir=_path(env.get("WEB_ASSETS_DIR", raw.get("assets", "build/web/node_modules"))),
    )
