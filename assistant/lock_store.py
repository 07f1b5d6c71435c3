"""Rasa's Redis lock store, with each change of a conversation's lock made atomic.

Rasa 3.6's RedisLockStore changes a lock by reading it (GET), changing it in Python and writing it
back (SET). Two Rasa servers receiving two messages of one conversation within the same few
milliseconds can both read "no lock", both issue ticket 0 and handle the two turns at once: one turn's
events are then lost from the tracker (tests/production/, 4 runs in 6 before this class). Here every
read-change-write of a lock is one Redis transaction (WATCH / MULTI / EXEC, retried when another
server changed the lock in between), so tickets are issued one after the other whatever the timing.

Named in endpoints.production.yml as ``type: assistant.lock_store.AtomicRedisLockStore``; the Rasa
server runs with the repository on PYTHONPATH.
"""
from __future__ import annotations

import json
from typing import Callable, Optional, Text, Tuple, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

T = TypeVar("T")
# What a change does to the lock: the lock to store (None: delete it) and a value for the caller.
Change = Callable[[Optional[TicketLock]], Tuple[Optional[TicketLock], T]]


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        # Rasa builds a lock store named by its module path with the endpoint config alone.
        super().__init__(host=endpoint_config.url or "localhost", **endpoint_config.kwargs)

    def _change(self, conversation_id: Text, change: Change) -> T:
        key = self.key_prefix + conversation_id
        outcome = []

        def transaction(pipe) -> None:
            stored = pipe.get(key)          # watched: EXEC fails, and this runs again, if it changes
            lock, value = change(TicketLock.from_dict(json.loads(stored)) if stored else None)
            pipe.multi()
            if lock is None:
                pipe.delete(key)
            else:
                pipe.set(key, lock.dumps())
            outcome[:] = [value]

        self.red.transaction(transaction, key)
        return outcome[0]

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: Optional[TicketLock]):
            lock = lock or TicketLock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except Exception as error:   # what Rasa's own issue_ticket raises, so its callers behave the same
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: Text) -> None:
        def drop_expired(lock: Optional[TicketLock]):
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """The ticket is served; the lock goes when nobody else waits (one step, not two)."""
        def finish(lock: Optional[TicketLock]):
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, finish)
