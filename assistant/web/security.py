"""HTTP security headers of every page and API answer.

The content security policy allows scripts and styles from this server only: no
inline script, no inline style attribute, no CDN, no web font from outside. The
browser may talk to this server and to the Rasa server's socket.io endpoint, and
nothing else. Only the patient widget may be framed, and only by the sites
listed in settings.yml (web.embed_origins): a mutualité embedding it.
"""
from __future__ import annotations

from typing import Dict, Iterable
from urllib.parse import urlsplit


def websocket_origin(http_url: str) -> str:
    parts = urlsplit(http_url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    return f"{scheme}://{parts.netloc}"


def content_security_policy(rasa_url: str, frame_ancestors: Iterable[str]) -> str:
    ancestors = " ".join(frame_ancestors) or "'none'"
    return "; ".join([
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        f"connect-src 'self' {rasa_url} {websocket_origin(rasa_url)}",
        "manifest-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        f"frame-ancestors {ancestors}",
    ])


def security_headers(rasa_url: str, embeddable: bool, embed_origins: Iterable[str]) -> Dict[str, str]:
    ancestors = ["'self'", *embed_origins] if embeddable else []
    headers = {
        "Content-Security-Policy": content_security_policy(rasa_url, ancestors),
        "X-Content-Type-Options": "nosniff",
        # "same-origin", not "no-referrer": with no-referrer browsers send `Origin: null` on
        # form posts, and the login's origin check needs the real one.
        "Referrer-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if not embeddable:
        headers["X-Frame-Options"] = "DENY"
    return headers
