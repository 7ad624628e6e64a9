"""Embedding and NLI behind one protocol; nothing else knows where models run."""

from truthgraph.inference.protocol import InferenceClient, InferenceError, ModelInfo

__all__ = ["InferenceClient", "InferenceError", "ModelInfo"]
