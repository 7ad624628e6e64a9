"""The `truthgraph` command: a thin shell over the pipeline, store and models.

The group lives in group.py, one module per command (group) next to it; importing
this package imports each of them, which registers its commands on the group."""

from __future__ import annotations

from truthgraph.cli import (  # noqa: F401 - imported to register their commands
    apikey,
    check,
    db,
    demo,
    evaluate,
    ingest,
    models,
    search,
    serve,
    stats,
    verify,
)
from truthgraph.cli.group import main

__all__ = ["main"]
