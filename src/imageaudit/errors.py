"""Error type for unusable input; the CLI turns it into a one-line message and exit code 2."""


class AuditError(Exception):
    """The input cannot be analysed; the message is a single, user-facing line."""
