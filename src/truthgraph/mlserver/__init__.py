"""The ml-inference service: embedding and NLI over HTTP, with dynamic micro-batching."""
