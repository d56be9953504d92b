"""Slows down password guessing on the log-in form.

Failures are counted per (client address, shop, username) over a sliding window; after
``max_failures`` the form refuses that combination until the window has passed, even with
the right password, so a guesser learns nothing from a late success. In memory: a
restart forgets the counts, which only gives a guesser one more window.
"""

from __future__ import annotations

import threading
import time
from collections import deque

LoginKey = tuple[str, str, str]


class LoginThrottle:
    def __init__(self, max_failures: int = 10, window_s: float = 900.0, max_keys: int = 10_000) -> None:
        self.max_failures = max_failures
        self.window_s = window_s
        self.max_keys = max_keys
        self._failures: dict[LoginKey, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: LoginKey, now: float) -> deque[float]:
        times = self._failures.get(key, deque())
        while times and now - times[0] > self.window_s:
            times.popleft()
        return times

    def blocked(self, key: LoginKey) -> bool:
        with self._lock:
            return len(self._recent(key, time.monotonic())) >= self.max_failures

    def failed(self, key: LoginKey) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._failures) >= self.max_keys:
                # Bounded memory under a spray of random names: drop the oldest entries.
                for stale in list(self._failures)[: self.max_keys // 10]:
                    del self._failures[stale]
            times = self._recent(key, now)
            times.append(now)
            self._failures[key] = times

    def succeeded(self, key: LoginKey) -> None:
        with self._lock:
            self._failures.pop(key, None)
