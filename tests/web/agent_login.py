"""An agent's signed-in session for httpx, as the login page gives it (CSRF double submit)."""
import contextlib
import re

import httpx


@contextlib.contextmanager
def signed_in(base_url: str, username: str, password: str):
    with httpx.Client(base_url=base_url, timeout=60) as client:
        page = client.get("/agent/login").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        client.post("/agent/login", data={"username": username, "password": password, "csrf": csrf})
        assert client.get("/agent/api/conversations").status_code == 200, "login failed"
        yield client
