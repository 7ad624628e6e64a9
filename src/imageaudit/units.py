"""Byte-size parsing and formatting.

Decimal units (kB, MB, GB, TB) are powers of 10; binary units (KiB, MiB, GiB, TiB) are
powers of 2. Reports use decimal units, matching what ``docker images`` prints.
"""

from __future__ import annotations

import re

_UNITS = {
    "": 1,
    "b": 1,
    "k": 10**3,
    "kb": 10**3,
    "m": 10**6,
    "mb": 10**6,
    "g": 10**9,
    "gb": 10**9,
    "t": 10**12,
    "tb": 10**12,
    "kib": 2**10,
    "mib": 2**20,
    "gib": 2**30,
    "tib": 2**40,
}
_SIZE_RE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*$")


def parse_size(value: object) -> int:
    """Parse ``123``, ``"60MB"`` or ``"180 MiB"`` into bytes; raise ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(f"invalid size: {value!r}")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"invalid size: {value!r}")
        return value
    if isinstance(value, str):
        match = _SIZE_RE.match(value)
        if match:
            unit = _UNITS.get(match.group(2).lower())
            if unit is not None:
                return int(round(float(match.group(1)) * unit))
    raise ValueError(f"invalid size: {value!r} (use bytes or e.g. '60MB', '180 MiB')")


def format_size(num: int) -> str:
    """Format bytes with decimal units, e.g. ``1.23 GB``."""
    sign = "-" if num < 0 else ""
    value = float(abs(num))
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000:
            return f"{sign}{int(value)} B" if unit == "B" else f"{sign}{value:.1f} {unit}"
        value /= 1000
    return f"{sign}{value:.2f} TB"


def format_delta(num: int) -> str:
    """Format a signed size change, e.g. ``+12.0 MB``."""
    return ("+" if num > 0 else "") + format_size(num)
