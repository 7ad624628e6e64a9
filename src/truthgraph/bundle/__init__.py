"""Model directories shipped with TruthGraph (ONNX + tokenizer + manifest); see README.md."""
