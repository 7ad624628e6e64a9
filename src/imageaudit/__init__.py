"""image-audit: explain where the bytes of a container image go, and gate on budgets."""

__version__ = "0.1.0"
