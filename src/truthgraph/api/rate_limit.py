"""Token buckets per caller: `per_minute` requests a minute on average, with bursts
of up to the same number. Bounded memory: the least recently seen callers are
forgotten first (a forgotten caller starts again with a full bucket)."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable


class RateLimiter:
    def __init__(
        self,
        per_minute: int,
        *,
        max_callers: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.max_callers = max_callers
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, caller: str) -> float:
        """Spend one token of `caller`'s bucket. 0.0 if allowed, otherwise the seconds
        until a token is available (for Retry-After)."""
        now = self.clock()
        with self._lock:
            tokens, seen = self._buckets.pop(caller, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - seen) * self.rate)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / self.rate
            self._buckets[caller] = (tokens, now)
            while len(self._buckets) > self.max_callers:
                self._buckets.popitem(last=False)
        return wait


def retry_after(wait: float) -> str:
    return str(max(1, math.ceil(wait)))
