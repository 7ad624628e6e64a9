"""The one error of model management, shared by reading, pulling, exporting and
installing model directories."""

from __future__ import annotations

from truthgraph.inference.manifest import ModelFormatError


class HubError(ModelFormatError):
    """A model cannot be pulled or exported: offline, not found, no usable files, or a
    repo whose description TruthGraph cannot read without guessing."""
