"""Erasure of one conversation on request (GDPR Art. 17): health questions are special-category data.

    python -m assistant.privacy erase SENDER_ID [--dry-run]     (or: make erase SENDER=...)

Removes every event of the conversation from the tracker store the Rasa server writes (SQLite
var/tracker.db, or PostgreSQL with RASA_ENDPOINTS=endpoints.production.yml and the POSTGRES_*
variables Rasa runs with: assistant/tracker_db.py), whose rows the agent console reads, so it
disappears from the console too, and every line that names it from the services' logs
(var/logs/*.log), then says what it removed and from where. The logs are rewritten in place,
not replaced, because the running services keep appending to the same open files; a line written
during the rewrite itself can survive, so the command is safe to run twice.

A sender id that is itself a phone number or an e-mail address (a channel that names people so) is
masked in the logs like any identifier, so its log lines no longer name it and cannot be told apart
from other people's: the command says so instead of reporting them removed.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from sqlalchemy.exc import SQLAlchemyError

from assistant.privacy_redaction import redact
from assistant.settings import Settings, load_settings
from assistant.tracker_db import TrackerDbError, open_tracker_db


@dataclass
class Erasure:
    sender_id: str
    store: str
    events: int = 0
    log_lines: Dict[str, int] = field(default_factory=dict)

    @property
    def masked_in_logs(self) -> bool:
        return redact(self.sender_id) != self.sender_id

    def summary(self) -> str:
        logs = ", ".join(f"{name}: {count}" for name, count in self.log_lines.items() if count) or "none"
        text = (f"conversation {self.sender_id!r}: {self.events} events removed from the tracker store "
                f"({self.store}); log lines removed: {logs}")
        if self.masked_in_logs:
            text += (f"\nnote: this sender id is masked in the logs ({redact(self.sender_id)}) like any phone "
                     "number or e-mail address, so its log lines do not name it and were not found; they hold "
                     "no unmasked identifier, but what was said stays in them until the logs rotate")
        return text


def erase_log_lines(log_path: Path, sender_id: str, dry_run: bool = False) -> int:
    with open(log_path, "r+", encoding="utf-8", errors="surrogateescape") as log:
        lines = log.readlines()
        kept = [line for line in lines if sender_id not in line]
        removed = len(lines) - len(kept)
        if removed and not dry_run:
            log.seek(0)
            log.writelines(kept)
            log.truncate()
    return removed


def erase(sender_id: str, settings: Optional[Settings] = None, dry_run: bool = False) -> Erasure:
    if not sender_id.strip():
        raise ValueError("an empty sender id would match every log line")
    settings = settings or load_settings()
    store = open_tracker_db(settings)
    try:
        erasure = Erasure(sender_id, store.describe(), store.delete(sender_id, dry_run))
    finally:
        store.close()
    for log_path in sorted((settings.var_dir / "logs").glob("*.log")):
        erasure.log_lines[log_path.name] = erase_log_lines(log_path, sender_id, dry_run)
    return erasure


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.privacy", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("erase", help="remove one conversation from the tracker store and the logs")
    command.add_argument("sender_id")
    command.add_argument("--dry-run", action="store_true", help="count what would be removed, remove nothing")
    args = parser.parse_args(argv)
    try:
        erasure = erase(args.sender_id, dry_run=args.dry_run)
    except (ValueError, TrackerDbError, SQLAlchemyError, OSError) as error:
        print(f"nothing erased: {error}", file=sys.stderr)
        return 1
    print(("would remove: " if args.dry_run else "") + erasure.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
