"""What both HTTP services (the core API and ml-inference) share: problem answers,
validation-error formatting, Prometheus metrics and request timing. Nothing here
imports api/, mlserver/, the pipeline or a store, so either service can use it alone."""
