"""JSON parsing for untrusted input: bounded nesting, strict JSON.

`json.loads` recurses once per nesting level, so "[[[[..." ten thousand deep raises
RecursionError, which escapes every `except ValueError`. The depth is measured first,
by a linear scan over brackets outside strings, and anything deeper than `max_depth`
is refused as invalid input. NaN and Infinity (which Python accepts and JSON does
not) and over-long numbers are refused the same way.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 64
# A whole string literal (skipped: its brackets are text) or one bracket.
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


class JSONInputError(ValueError):
    """The input is not acceptable JSON for a reason other than syntax."""


def depth_exceeds(text: str, limit: int) -> bool:
    """True if brackets outside strings nest deeper than `limit`."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return True
        elif token in "]}":
            depth -= 1
    return False


def _refuse_constant(name: str) -> Any:
    raise JSONInputError(f"{name} is not valid JSON")


def loads(data: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse `data`; raises json.JSONDecodeError for bad syntax and JSONInputError for
    input that is syntactically JSON-like but refused (depth, encoding, NaN)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise JSONInputError(f"not UTF-8 (byte {exc.start})") from None
    if depth_exceeds(data, max_depth):
        raise JSONInputError(f"nested deeper than {max_depth} levels")
    try:
        return json.loads(data, parse_constant=_refuse_constant)
    except json.JSONDecodeError:
        raise
    except RecursionError:  # not reachable after the depth check; kept as a backstop
        raise JSONInputError(f"nested deeper than {max_depth} levels") from None
    except ValueError as exc:  # e.g. an integer over Python's digit limit
        if isinstance(exc, JSONInputError):
            raise
        raise JSONInputError(f"unreadable value: {str(exc)[:100]}") from None
