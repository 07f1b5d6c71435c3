"""Agent sign-in and sign-out, and the session check every console route uses.

- Login form: CSRF by double submit (a signed cookie repeated in a hidden field)
  plus a check that the request comes from this origin.
- Failed logins are throttled per client address and per username; passwords are
  checked in constant time, unknown usernames cost as much as wrong passwords.
- The session cookie is signed, HttpOnly, SameSite=Strict, limited to /agent, and
  Secure when the site is served over HTTPS (web.secure_cookies).
"""
from __future__ import annotations

import asyncio
from functools import wraps
from typing import Optional
from urllib.parse import urlsplit

from sanic import Blueprint, response

from assistant.web.agents import authenticate, load_agents
from assistant.web.sessions import LOGIN_CSRF_COOKIE, SESSION_COOKIE, new_csrf_token, same_token
from assistant.web.texts import page_language, texts

agent_auth = Blueprint("agent_auth")
LOGIN_FORM_LIFETIME_S = 3600


def current_agent(request) -> Optional[dict]:
    return request.app.ctx.signer.loads(request.cookies.get(SESSION_COOKIE), "session")


def requires_agent(handler):
    """JSON routes: 401 without a valid session; POST/PUT/DELETE also need the session's CSRF token."""
    @wraps(handler)
    async def wrapped(request, *args, **kwargs):
        agent = current_agent(request)
        if agent is None:
            return response.json({"error": "login required"}, status=401)
        if request.method not in ("GET", "HEAD") and not same_token(
                request.headers.get("x-csrf-token"), agent.get("csrf")):
            return response.json({"error": "bad CSRF token"}, status=403)
        request.ctx.agent = agent
        return await handler(request, *args, **kwargs)
    return wrapped


def _same_origin(request) -> bool:
    """A browser sends Origin (or at least Referer) with a form POST; it must be this site."""
    config = request.app.ctx.config
    claimed = request.headers.get("origin") or request.headers.get("referer")
    if not claimed:
        return True   # not a browser (curl, tests): the CSRF cookie check still applies
    parts = urlsplit(claimed)
    allowed = {urlsplit(config.origin).netloc, request.host}
    return parts.netloc in allowed


def _cookie(resp, name: str, value: str, request, max_age: int) -> None:
    resp.add_cookie(name, value, path="/agent", max_age=max_age, httponly=True, samesite="Strict",
                    secure=request.app.ctx.config.secure_cookies)


def _login_page(request, language: str, error_key: Optional[str] = None, status: int = 200):
    config = request.app.ctx.config
    token = new_csrf_token()
    signed = request.app.ctx.signer.dumps({"csrf": token}, "login", LOGIN_FORM_LIFETIME_S)
    page = request.app.ctx.templates.get_template("login.html").render(
        lang=language, t=texts(language, hours=f"{config.session_hours:g}"), csrf=token,
        error=texts(language)[error_key] if error_key else None)
    resp = response.html(page, status=status)
    _cookie(resp, LOGIN_CSRF_COOKIE, signed, request, LOGIN_FORM_LIFETIME_S)
    return resp


def _language(request) -> str:
    return page_language(request.args.get("lang"), request.headers.get("accept-language"),
                         request.app.ctx.config.settings.default_language)


@agent_auth.get("/agent/login")
async def login_form(request):
    if current_agent(request):
        return response.redirect("/agent", status=303)
    return _login_page(request, _language(request))


@agent_auth.post("/agent/login")
async def login(request):
    ctx = request.app.ctx
    language = _language(request)
    form_token = request.form.get("csrf", "")
    cookie = ctx.signer.loads(request.cookies.get(LOGIN_CSRF_COOKIE), "login")
    if not _same_origin(request) or not cookie or not same_token(form_token, cookie.get("csrf")):
        return _login_page(request, language, "login_expired", status=403)
    username = (request.form.get("username") or "").strip()[:64]
    password = request.form.get("password") or ""
    keys = [f"ip:{request.remote_addr or request.ip}", f"user:{username.lower()}"]
    if ctx.throttle.blocked(keys):
        return _login_page(request, language, "login_throttled", status=429)
    agents = load_agents(ctx.config.agent_users)
    agent = await asyncio.to_thread(authenticate, agents, username, password)
    if agent is None:
        ctx.throttle.failed(keys)
        return _login_page(request, language, "login_failed", status=401)
    ctx.throttle.succeeded(keys)
    lifetime = int(ctx.config.session_hours * 3600)
    session = ctx.signer.dumps({"user": agent.username, "name": agent.name, "language": agent.language,
                                "csrf": new_csrf_token()}, "session", lifetime)
    resp = response.redirect("/agent", status=303)
    _cookie(resp, SESSION_COOKIE, session, request, lifetime)
    _cookie(resp, LOGIN_CSRF_COOKIE, "", request, 0)
    return resp


@agent_auth.post("/agent/logout")
async def logout(request):
    agent = current_agent(request)
    if agent and not same_token(request.form.get("csrf"), agent.get("csrf")):
        return response.text("bad CSRF token", status=403)
    resp = response.redirect("/agent/login", status=303)
    _cookie(resp, SESSION_COOKIE, "", request, 0)
    return resp
