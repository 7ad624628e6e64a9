"""Reading line-oriented files with a cap on each line, so that a file without line
breaks (a 2 GB run of zeros, say) costs one cap of memory, not the whole file."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, AnyStr


def bounded_lines(
    handle: IO[AnyStr], limit: int, newline: AnyStr
) -> Iterator[tuple[int, AnyStr | None]]:
    """(line number, line) pairs; the line is None when it is longer than `limit`
    (bytes or characters), and then the rest of it is skipped unread into memory."""
    number = 0
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(newline):
            while line and not line.endswith(newline):
                line = handle.readline(1 << 20)
            yield number, None
            continue
        yield number, line
