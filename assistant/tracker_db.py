"""The conversations as Rasa stores them, in the tracker store the Rasa server actually uses.

    db = open_tracker_db(settings)           # settings.endpoints: the endpoints file Rasa runs with
    db.conversations(active_since=t)         # [Conversation(sender_id, last_active, events, messages)]
    db.events(sender_id)                     # [Event(id, type_name, timestamp, intent_name, action_name, data)]
    db.intents(sender_ids)                   # {sender_id: intents of its user messages}
    db.delete(sender_id)                     # events deleted
    db.delete_idle(days)                     # conversations deleted

The console's conversation list (assistant/web/conversations.py), retention
(assistant/web/retention.py) and `make erase` (assistant/privacy.py) read and delete through here,
so that they reach the same rows as the Rasa server: SQLite (var/tracker.db) with endpoints.yml,
PostgreSQL with endpoints.production.yml. The store is found the way Rasa finds it: the endpoints file
named by RASA_ENDPOINTS (assistant.settings), its ``${...}`` values from the environment, and the URL
Rasa's SQLTrackerStore builds from them. Only Rasa's SQL tracker store (its ``events`` table) is read.
The console's conversation detail needs the tracker Rasa rebuilds from these events (slots, active
form, latest message): it asks the Rasa HTTP API, which reads the same store.
"""
from __future__ import annotations

import json
import os
import re
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Mapping, Optional, Set, Union

import sqlalchemy as sa
import yaml

from assistant.settings import ROOT, Settings, load_settings

# Rasa's SQLTrackerStore table (rasa/core/tracker_store.py, SQLEvent): the columns read here.
_METADATA = sa.MetaData()
EVENTS = sa.Table(
    "events", _METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255)),
    sa.Column("type_name", sa.String(255)),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)
MESSAGE_TYPES = ("user", "bot")
# Bound parameters per statement: SQLite's limit is 999 in old builds.
CHUNK = 500
SQL_STORE_TYPES = {"sql", "rasa.core.tracker_store.sqltrackerstore"}
_VARIABLE = re.compile(r"\$\{([^}]+)\}")


class TrackerDbError(RuntimeError):
    """The endpoints file names no tracker store this module can open; the message says why."""


@dataclass(frozen=True)
class Conversation:
    sender_id: str
    last_active: float
    events: int
    messages: int       # user and bot messages


@dataclass(frozen=True)
class Event:
    id: int
    type_name: str
    timestamp: float
    intent_name: Optional[str]
    action_name: Optional[str]
    data: dict


def _expand(value, environ: Mapping[str, str]):
    """``${NAME}`` from the environment, as Rasa reads its endpoints file; an unset one is an error."""
    if not isinstance(value, str):
        return value

    def variable(match):
        if match.group(1) not in environ:
            raise TrackerDbError(f"the endpoints file needs the environment variable {match.group(1)}")
        return environ[match.group(1)]

    return _VARIABLE.sub(variable, value)


def store_url(endpoints: Path, environ: Mapping[str, str]) -> sa.engine.URL:
    """The URL Rasa's SQLTrackerStore.get_db_url builds from the endpoints file's ``tracker_store``."""
    with open(endpoints, encoding="utf-8") as handle:
        section = (yaml.safe_load(handle) or {}).get("tracker_store") or {}
    store_type = str(section.get("type") or "")
    if store_type.lower() not in SQL_STORE_TYPES:
        raise TrackerDbError(f"{endpoints}: the tracker store is {store_type or 'in memory'!r}, not Rasa's SQL one")
    store = {key: _expand(value, environ) for key, value in section.items()}
    host = store.get("url")
    if host and "://" in str(host):      # a complete database URL
        return sa.engine.make_url(str(host))
    port, dialect = store.get("port"), store.get("dialect") or "sqlite"
    if host:            # as Rasa reads it: a port written in the host wins over `port`
        parsed = urllib.parse.urlsplit(f"scheme://{host}")
        try:
            port, host = parsed.port or port, parsed.hostname or host
        except ValueError as error:      # "db:abc"
            raise TrackerDbError(f"{endpoints}: the tracker store's host {host!r}: {error}") from error
    # Rasa connects to `login_db` only to create `db`; the conversations are in `db`.
    database = str(store.get("db") or "rasa.db")
    if dialect == "sqlite":     # relative to the Rasa server's working directory, the repository
        database = str(ROOT / database)
    return sa.engine.URL.create(
        drivername=dialect, username=store.get("username") or None, password=store.get("password") or None,
        host=host or None, port=int(port) if port not in (None, "") else None, database=database,
        query=store.get("query") or {})


class TrackerDb:
    """One tracker store's ``events`` table. ``read_only``: the console's view, which can alter nothing."""

    def __init__(self, url: Union[str, sa.engine.URL], read_only: bool = False,
                 schema: Optional[str] = None) -> None:
        url = sa.engine.make_url(url)
        self.url = url
        self.sqlite_path: Optional[Path] = None
        self._has_table = False
        options: dict = {}
        if url.get_backend_name() == "sqlite":
            self.sqlite_path = Path(url.database or "")
            # Rasa holds the file's lock during a write: wait for it rather than fail.
            options["connect_args"] = {"timeout": 10.0}
            if read_only:
                url = url.set(database=f"file:{self.sqlite_path}", query={"mode": "ro", "uri": "true"})
        else:
            options["pool_pre_ping"] = True          # a long-lived web app outlives database restarts
            if schema and url.get_backend_name() == "postgresql":   # POSTGRESQL_SCHEMA, as Rasa's
                options["connect_args"] = {"options": f"-csearch_path={schema}"}
            if read_only and url.get_backend_name() == "postgresql":
                options["execution_options"] = {"postgresql_readonly": True}
        self.engine = sa.create_engine(url, **options)

    @classmethod
    def sqlite(cls, path: Path, read_only: bool = False) -> "TrackerDb":
        return cls(sa.engine.URL.create("sqlite", database=str(path)), read_only)

    def describe(self) -> str:
        """Where the conversations are, for messages: never the password."""
        if self.sqlite_path is not None:
            return f"SQLite {self.sqlite_path}"
        return self.url.render_as_string(hide_password=True)

    def _ready(self, connection) -> bool:
        # Nothing stored yet: no SQLite file (never create one), or Rasa has not created its table.
        # Once there, Rasa never drops it: asked once, not at every poll of the console.
        self._has_table = self._has_table or sa.inspect(connection).has_table("events")
        return self._has_table

    def _absent(self) -> bool:
        return self.sqlite_path is not None and not self.sqlite_path.exists()

    def conversations(self, active_since: Optional[float] = None,
                      limit: Optional[int] = None) -> List[Conversation]:
        """Every conversation (or those with an event since ``active_since``), latest first."""
        if self._absent():
            return []
        last_active = sa.func.max(EVENTS.c.timestamp)
        messages = sa.func.sum(sa.case((EVENTS.c.type_name.in_(MESSAGE_TYPES), 1), else_=0))
        query = (sa.select(EVENTS.c.sender_id, last_active, sa.func.count(), messages)
                 .group_by(EVENTS.c.sender_id).order_by(last_active.desc()))
        if active_since is not None:
            query = query.having(last_active >= active_since)
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as connection:
            if not self._ready(connection):
                return []
            return [Conversation(sender, last or 0.0, int(count), int(said or 0))
                    for sender, last, count, said in connection.execute(query)]

    def intents(self, sender_ids: Iterable[str]) -> Dict[str, Set[str]]:
        """The intents of each conversation's user messages."""
        found: Dict[str, Set[str]] = {}
        senders = list(sender_ids)
        if self._absent() or not senders:
            return found
        with self.engine.connect() as connection:
            if not self._ready(connection):
                return found
            for start in range(0, len(senders), CHUNK):
                query = (sa.select(EVENTS.c.sender_id, EVENTS.c.intent_name).distinct()
                         .where(EVENTS.c.type_name == "user", EVENTS.c.intent_name.is_not(None),
                                EVENTS.c.sender_id.in_(senders[start:start + CHUNK])))
                for sender, intent in connection.execute(query):
                    found.setdefault(sender, set()).add(intent)
        return found

    def events(self, sender_id: str, type_name: Optional[str] = None, newest_first: bool = False,
               limit: Optional[int] = None) -> List[Event]:
        """One conversation's events in the order Rasa stored them (by id, as Rasa reads them)."""
        if self._absent():
            return []
        query = sa.select(EVENTS).where(EVENTS.c.sender_id == sender_id)
        if type_name is not None:
            query = query.where(EVENTS.c.type_name == type_name)
        query = query.order_by(EVENTS.c.id.desc() if newest_first else EVENTS.c.id)
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as connection:
            if not self._ready(connection):
                return []
            return [Event(row.id, row.type_name, row.timestamp, row.intent_name, row.action_name,
                          json.loads(row.data) if row.data else {})
                    for row in connection.execute(query)]

    def delete(self, sender_id: str, dry_run: bool = False) -> int:
        """Delete every event of one conversation; the number of events (to be) deleted."""
        if self._absent():
            return 0
        with self.engine.begin() as connection:
            if not self._ready(connection):
                return 0
            if dry_run:
                return connection.execute(sa.select(sa.func.count()).select_from(EVENTS)
                                          .where(EVENTS.c.sender_id == sender_id)).scalar_one()
            return connection.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id == sender_id)).rowcount

    def delete_idle(self, idle_days: float, now: Optional[float] = None) -> int:
        """Delete the conversations whose last event is more than ``idle_days`` before ``now``, whole
        (so Rasa never reads half a tracker); the number of conversations deleted."""
        if self._absent():
            return 0
        horizon = (time.time() if now is None else now) - idle_days * 86400
        recent = EVENTS.alias("recent")
        with self.engine.begin() as connection:
            if not self._ready(connection):
                return 0
            idle = [sender for (sender,) in connection.execute(
                sa.select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id)
                .having(sa.func.max(EVENTS.c.timestamp) < horizon))]
            deleted = 0
            for start in range(0, len(idle), CHUNK):
                chunk = idle[start:start + CHUNK]
                # Checked again in the statement itself: a conversation that got a message since the
                # list was read is kept whole.
                still_idle = ~sa.exists().where(recent.c.sender_id == EVENTS.c.sender_id,
                                                recent.c.timestamp >= horizon)
                connection.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id.in_(chunk), still_idle))
                kept = connection.execute(sa.select(sa.func.count(sa.distinct(EVENTS.c.sender_id)))
                                          .where(EVENTS.c.sender_id.in_(chunk))).scalar_one()
                deleted += len(chunk) - kept
        return deleted

    def close(self) -> None:
        self.engine.dispose()


def rasa_environment(settings: Settings, environ: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """The environment the Rasa server reads its endpoints file with: assistant.services sets
    TRACKER_DB from the settings (service_environment), the rest is inherited."""
    return {**(os.environ if environ is None else environ), "TRACKER_DB": str(settings.tracker_db)}


def open_tracker_db(settings: Optional[Settings] = None, environ: Optional[Mapping[str, str]] = None,
                    read_only: bool = False) -> TrackerDb:
    settings = settings or load_settings(environ)
    env = rasa_environment(settings, environ)
    return TrackerDb(store_url(settings.endpoints, env), read_only, env.get("POSTGRESQL_SCHEMA"))

