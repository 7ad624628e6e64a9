"""TruthGraph: self-hosted fact checking with cited evidence."""

__version__ = "0.1.0"
