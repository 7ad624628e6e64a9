"""Dependency checks run in the background, so that /ready answers from memory at once
whatever state the database or the ml-inference service is in.

Each dependency has its own thread (a hanging database check never delays the
inference check), checked every `interval` seconds while it passes and every
`retry_interval` while it fails. A result older than `stale_after` counts as a failure:
a check that hangs means the dependency does not answer.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

log = logging.getLogger(__name__)


@runtime_checkable
class Probed(Protocol):
    """An inference client that can be probed (the remote one; in-process models
    need no probe)."""

    @property
    def available(self) -> bool: ...

    def check(self) -> None: ...


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    at: float  # time.monotonic() when the check finished
    reason: str = ""


class DependencyMonitor:
    def __init__(
        self,
        checks: dict[str, Callable[[], None]],
        *,
        interval: float = 5.0,
        retry_interval: float = 1.0,
        stale_after: float = 15.0,
    ) -> None:
        """`checks` maps a name to a callable that raises when the dependency is not
        usable; each callable must bound its own waiting (short timeouts)."""
        self._checks = checks
        self.interval, self.retry_interval, self.stale_after = (
            interval,
            retry_interval,
            stale_after,
        )
        self._results: dict[str, CheckResult] = {}
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def _run(self, name: str, check: Callable[[], None]) -> None:
        while not self._stop.is_set():
            try:
                check()
                result = CheckResult(True, time.monotonic())
            except Exception as exc:  # any failure means not usable
                result = CheckResult(False, time.monotonic(), str(exc) or type(exc).__name__)
            previous = self._results.get(name)
            if previous is None or previous.ok != result.ok:
                # Only changes are logged: an idle service writes nothing.
                if result.ok:
                    log.info("dependency %s is available", name)
                else:
                    log.warning("dependency %s is unavailable: %s", name, result.reason)
            self._results[name] = result
            self._stop.wait(self.interval if result.ok else self.retry_interval)

    def start(self) -> None:
        for name, check in self._checks.items():
            thread = threading.Thread(
                target=self._run, args=(name, check), name=f"check-{name}", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=2)

    def status(self) -> dict[str, str]:
        """'ok', 'unavailable' (failed, or no fresh answer) or 'unknown' (first check
        still running) per dependency. Never waits."""
        now = time.monotonic()
        out: dict[str, str] = {}
        for name in self._checks:
            result = self._results.get(name)
            if result is None:
                out[name] = "unknown"
            elif result.ok and now - result.at <= self.stale_after:
                out[name] = "ok"
            else:
                out[name] = "unavailable"
        return out
