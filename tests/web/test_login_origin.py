"""The login's origin check, reached with a valid CSRF token: only the Origin header differs, so a
refusal can only come from the origin check (a request without a valid token is refused earlier)."""
import re

import httpx
import pytest

from tests.web.serving import web_process

PASSWORD = "origin-check-password-1"


@pytest.fixture(scope="module")
def web_origin(tmp_path_factory):
    with web_process(tmp_path_factory.mktemp("var"), agent=("lea", PASSWORD, "de")) as settings:
        yield settings.web_origin


def _post_login(origin_url: str, claimed_origin: str) -> httpx.Response:
    with httpx.Client(base_url=origin_url, timeout=30) as client:
        page = client.get("/agent/login").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        return client.post("/agent/login", headers={"Origin": claimed_origin},
                           data={"username": "lea", "password": PASSWORD, "csrf": csrf})


def test_a_valid_login_posted_from_another_origin_is_refused(web_origin):
    refused = _post_login(web_origin, "http://evil.example")
    assert refused.status_code == 403
    assert "agent_session" not in refused.cookies


def test_the_same_login_from_the_sites_own_origin_signs_in(web_origin):
    accepted = _post_login(web_origin, web_origin)
    assert accepted.status_code == 303 and accepted.headers["location"] == "/agent"
    assert "agent_session" in accepted.cookies
