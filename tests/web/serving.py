"""One Sanic app served from a thread on a free loopback port, for tests of a single app
(sanic-testing is not installed; the real services are started by tests/servers.py)."""
import asyncio
import contextlib
import socket
import threading


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(app):
    """Yields the app's base URL while it serves; its listeners run as in production."""
    # Sanic rewrites its HTTP class once per process (touchup); a second test app would fail on it.
    app.config.TOUCHUP = False
    port, ready, box = free_port(), threading.Event(), {}

    async def serve():
        server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True,
                                         access_log=False)
        await server.startup()
        await server.before_start()
        await server.after_start()
        box["stop"] = asyncio.Event()
        ready.set()
        await box["stop"].wait()
        await server.before_stop()
        await server.close()
        await server.after_stop()

    def run():
        box["loop"] = asyncio.new_event_loop()
        box["loop"].run_until_complete(serve())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    if not ready.wait(30):
        raise RuntimeError("the test app did not start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        box["loop"].call_soon_threadsafe(box["stop"].set)
        thread.join(10)


@contextlib.contextmanager
def web_process(var_dir, rasa_port=None, actions_port=None, agent=None):
    """The real web app (python -m assistant.web, as `make run` starts it) on a free port; Rasa and the
    action server wherever the given ports point (nowhere, by default). ``agent``: (name, password,
    language) created first. Yields its settings."""
    import os

    from assistant.services import web_service
    from assistant.settings import load_settings
    from assistant.web.agents import set_agent

    env = dict(os.environ, VAR_DIR=str(var_dir), RASA_PORT=str(rasa_port or free_port()),
               ACTIONS_PORT=str(actions_port or free_port()), WEB_PORT=str(free_port()))
    settings = load_settings(env)
    if agent:
        set_agent(settings.secrets_dir / "agents.json", *agent)
    web = web_service(settings, "token")
    web.start()
    try:
        web.wait_healthy(60)
        yield settings
    finally:
        web.stop()
