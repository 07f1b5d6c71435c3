"""Agent logins of the console: a JSON file of usernames and scrypt password hashes.

    {"agents": [{"username": "agent", "password": "scrypt$16384$8$1$<salt>$<hash>",
                 "language": "fr", "name": "Agent"}]}

There is no built-in password. The first `make run` creates one agent with a random
password, stores only its hash (file mode 0600, in the git-ignored var/secrets/) and
prints the password once. Operators add or reset agents with

    .venv/actions/bin/python -m assistant.web.agents add NAME [--language de]
"""
from __future__ import annotations

import argparse
import base64
import getpass
import hashlib
import hmac
import json
import os
import re
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from assistant.i18n import LANGUAGES

# scrypt with n=2^14, r=8 costs ~16 MB and ~50 ms per check: slow enough for a stolen
# file, fast enough for a login.
_N, _R, _P, _DKLEN = 2 ** 14, 8, 1, 32
USERNAME = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")
FIRST_AGENT = "agent"


@dataclass(frozen=True)
class Agent:
    username: str
    password_hash: str
    language: str = "fr"
    name: str = ""

    def as_dict(self) -> dict:
        return {"username": self.username, "password": self.password_hash,
                "language": self.language, "name": self.name}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str, salt: Optional[bytes] = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=_DKLEN,
                            maxmem=64 * 1024 * 1024)
    return f"scrypt${_N}${_R}${_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = _unb64(digest)
        actual = hashlib.scrypt(password.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p),
                                dklen=len(expected), maxmem=64 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


# Checked when the username is unknown, so that a wrong name costs as long as a wrong password.
_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


def load_agents(path: Path) -> Dict[str, Agent]:
    if not path.exists():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    agents = {}
    for row in raw.get("agents") or []:
        language = row.get("language") if row.get("language") in LANGUAGES else "fr"
        agent = Agent(row["username"], row["password"], language, row.get("name") or "")
        agents[agent.username] = agent
    return agents


def save_agents(path: Path, agents: Dict[str, Agent]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"agents": [a.as_dict() for a in agents.values()]}, handle, indent=2)
    os.replace(temporary, path)


def authenticate(agents: Dict[str, Agent], username: str, password: str) -> Optional[Agent]:
    agent = agents.get(username or "")
    ok = verify_password(password or "", agent.password_hash if agent else _DUMMY_HASH)
    return agent if (agent and ok) else None


def set_agent(path: Path, username: str, password: str, language: str = "fr", name: str = "") -> Agent:
    if not USERNAME.match(username):
        raise ValueError("a username is 1-64 letters, digits or . _ @ -")
    if len(password) < 10:
        raise ValueError("a password has at least 10 characters")
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
    agents = load_agents(path)
    agents[username] = Agent(username, hash_password(password), language, name)
    save_agents(path, agents)
    return agents[username]


def ensure_first_agent(path: Path) -> Optional[Tuple[str, str]]:
    """On a first run, create one agent; return (username, password) only when it was just created."""
    if path.exists() and load_agents(path):
        return None
    password = secrets.token_urlsafe(12)
    set_agent(path, FIRST_AGENT, password, "fr", "Agent")
    return FIRST_AGENT, password


def main(argv: Optional[List[str]] = None) -> int:
    from assistant.web.config import load_web_config

    parser = argparse.ArgumentParser(prog="python -m assistant.web.agents",
                                     description="Add, reset or list the agent console's logins.")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="add an agent or reset its password (asked for, never echoed)")
    add.add_argument("username")
    add.add_argument("--language", default="fr", choices=LANGUAGES, help="the agent's language")
    add.add_argument("--name", default="")
    sub.add_parser("list", help="list the agents (never the hashes)")
    args = parser.parse_args(argv)
    path = load_web_config().agent_users
    if args.command == "list":
        for agent in load_agents(path).values():
            print(f"{agent.username}\t{agent.language}\t{agent.name}")
        return 0
    password = getpass.getpass("Password (10+ characters): ")
    if password != getpass.getpass("Again: "):
        print("The two passwords differ.")
        return 1
    try:
        set_agent(path, args.username, password, args.language, args.name)
    except ValueError as error:
        print(error)
        return 1
    print(f"Saved {args.username} in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
