"""Login attempts: after a few failures, a client or a username waits before trying again.

In memory, per process: enough for one web server in front of a call centre; a
restart forgets it, which only helps the legitimate agent who mistyped.
"""
from __future__ import annotations

import time
from collections import defaultdict, deque
from typing import Deque, Dict, Iterable


class LoginThrottle:
    def __init__(self, max_failures: int = 5, window_s: float = 300.0, clock=time.monotonic) -> None:
        self.max_failures = max_failures
        self.window_s = window_s
        self._clock = clock
        self._failures: Dict[str, Deque[float]] = defaultdict(deque)

    def _recent(self, key: str) -> Deque[float]:
        failures = self._failures[key]
        horizon = self._clock() - self.window_s
        while failures and failures[0] < horizon:
            failures.popleft()
        return failures

    def blocked(self, keys: Iterable[str]) -> bool:
        return any(len(self._recent(k)) >= self.max_failures for k in keys)

    def failed(self, keys: Iterable[str]) -> None:
        now = self._clock()
        for key in keys:
            self._recent(key).append(now)

    def succeeded(self, keys: Iterable[str]) -> None:
        for key in keys:
            self._failures.pop(key, None)
