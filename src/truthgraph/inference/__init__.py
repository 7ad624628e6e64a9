"""Running models: embedding and NLI behind one protocol, in process on ONNX Runtime or
over HTTP; nothing else knows where models run. The model directory format (manifest)
is defined here because the runtime reads it; finding, pulling, exporting and writing
model directories is `truthgraph.models`' job, which this package never imports."""

from truthgraph.inference.protocol import InferenceClient, InferenceError, ModelInfo

__all__ = ["InferenceClient", "InferenceError", "ModelInfo"]
