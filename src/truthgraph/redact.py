"""Masking of secrets (database passwords) in every message the process writes.

A secret is registered once, when the settings are read. From then on log records,
error messages shown by the CLI and uncaught tracebacks show `***` in its place, in
any of the spellings a URL can give it (as is, percent-encoded, form-encoded).
"""

from __future__ import annotations

import logging
import sys
import threading
from types import TracebackType
from urllib.parse import quote, quote_plus

MASK = "***"
_lock = threading.Lock()
_secrets: list[str] = []
_installed = False


def register(secret: str) -> None:
    """Mask `secret` from now on, in this process."""
    if not secret:
        return
    spellings = {secret, quote(secret, safe=""), quote_plus(secret, safe="")}
    with _lock:
        for spelling in spellings:
            if spelling not in _secrets:
                _secrets.append(spelling)
        # Longest first, so that a secret containing another is masked whole.
        _secrets.sort(key=len, reverse=True)
    _install()


def redact(text: str) -> str:
    """`text` with every registered secret replaced by `***`."""
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def _install() -> None:
    """Redact log records as they are made (whatever handler formats them later) and
    tracebacks of uncaught exceptions."""
    global _installed
    with _lock:
        if _installed:
            return
        _installed = True
    make_record = logging.getLogRecordFactory()

    def redacting_record(*args: object, **kwargs: object) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        if _secrets:
            record.msg, record.args = redact(record.getMessage()), None
            if record.exc_info and record.exc_info[0] is not None:
                record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return record

    logging.setLogRecordFactory(redacting_record)
    previous_hook = sys.excepthook

    def redacting_hook(
        kind: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        import traceback

        sys.stderr.write(redact("".join(traceback.format_exception(kind, value, tb))))

    if previous_hook is sys.__excepthook__:
        sys.excepthook = redacting_hook


def forget_all() -> None:
    """Stop masking what was registered (tests build many settings in one process)."""
    with _lock:
        _secrets.clear()
