"""The web app's settings: the `web:` section of settings.yml, overridden by environment variables.

The product-wide values (host, ports, var/) come from assistant.settings; this adds
only what the patient widget and the agent console need.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Tuple

from assistant.settings import (
    SETTINGS_FILE,
    Setting,
    Settings,
    bool_setting,
    load_settings,
    path_setting,
    read_settings,
    read_yaml,
)


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
    def session_key_file(self) -> Path:
        return self.settings.secrets_dir / "web_session_key"


_WEB = {
    "session_hours": Setting("web.session_hours", "AGENT_SESSION_HOURS", float, 8.0),
    "live_hours": Setting("web.live_hours", "AGENT_LIVE_HOURS", float, 24.0),
    "retention_days": Setting("web.retention_days", "CONVERSATION_RETENTION_DAYS", float, 30.0),
    "secure_cookies": Setting("web.secure_cookies", "WEB_SECURE_COOKIES", bool_setting, False),
    "rasa_public_url": Setting("web.rasa_public_url", "RASA_PUBLIC_URL", lambda v: (v or "").rstrip("/"), "",
                               empty_is_a_value=True),
    "embed_origins": Setting("web.embed_origins", "WEB_EMBED_ORIGINS",
                             lambda v: tuple(v.split()) if isinstance(v, str) else tuple(v or ()), (),
                             empty_is_a_value=True),
    "assets_dir": Setting("web.assets", "WEB_ASSETS_DIR", path_setting, path_setting("build/web/node_modules")),
    "agent_users": Setting("web.agent_users", "AGENT_USERS", default="", empty_is_a_value=True),
}


def load_web_config(environ: Optional[Mapping[str, str]] = None,
                    settings_file: Path = SETTINGS_FILE) -> WebConfig:
    env = os.environ if environ is None else environ
    settings = load_settings(env, settings_file)
    values = read_settings(_WEB, read_yaml(settings_file), env)
    # By default the users file follows VAR_DIR, so that tests and second instances never
    # read or create the real agents' file.
    users = values.pop("agent_users")
    return WebConfig(settings=settings,
                     agent_users=path_setting(users) if users else settings.secrets_dir / "agents.json",
                     **values)
