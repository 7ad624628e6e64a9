"""Case-insensitive substring filters written once for both backends: the condition is
`LOWER(column) LIKE LOWER(?) ESCAPE '!'` (one database function lowers both sides, so
they agree) with the wildcard characters of the needle escaped, so that a user's `%`
or `_` matches itself. The pattern travels as a parameter: a literal `%` in the SQL
text would clash with psycopg's placeholders."""

from __future__ import annotations

ESCAPE = "!"


def contains_pattern(needle: str) -> str:
    """The LIKE pattern matching any text that contains `needle`."""
    escaped = (
        needle.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")
    )
    return f"%{escaped}%"


def contains(column: str) -> str:
    """The SQL condition for `column` containing the parameter's needle, ignoring case."""
    return f"LOWER({column}) LIKE LOWER(?) ESCAPE '{ESCAPE}'"
