"""Signed, expiring session values for the agent console's cookies.

A session is ``base64(json).hmac``: the server keeps no session table, and a
cookie that was altered, or signed with another key, or has expired, is refused.
The key is SESSION_SECRET if set, otherwise generated once into var/secrets/.
Every session carries its own CSRF token, which state-changing requests repeat
in a header.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from pathlib import Path
from typing import Optional

SESSION_COOKIE = "agent_session"
LOGIN_CSRF_COOKIE = "login_csrf"


def session_key(key_file: Path, environ=None) -> bytes:
    env = os.environ if environ is None else environ
    if env.get("SESSION_SECRET"):
        return env["SESSION_SECRET"].encode()
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return key_file.read_bytes().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return key_file.read_bytes().strip()


class Signer:
    def __init__(self, key: bytes) -> None:
        self._key = key

    def _mac(self, body: bytes, purpose: str) -> str:
        mac = hmac.new(self._key, purpose.encode() + b"|" + body, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")

    def dumps(self, value: dict, purpose: str, lifetime_s: float) -> str:
        payload = dict(value, exp=int(time.time() + lifetime_s))
        body = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode())
        return f"{body.decode().rstrip('=')}.{self._mac(body.rstrip(b'='), purpose)}"

    def loads(self, token: Optional[str], purpose: str) -> Optional[dict]:
        if not token or token.count(".") != 1:
            return None
        body, mac = token.split(".")
        if not hmac.compare_digest(mac, self._mac(body.encode(), purpose)):
            return None
        try:
            payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        except ValueError:
            return None
        if not isinstance(payload, dict) or payload.get("exp", 0) < time.time():
            return None
        return payload


def new_csrf_token() -> str:
    return secrets.token_urlsafe(24)


def same_token(a: Optional[str], b: Optional[str]) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(a.encode(), b.encode())
