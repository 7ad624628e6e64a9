"""Length-sorted batching under a token budget, shared by the ONNX runtime and the
benchmark that runs the same batches on torch (no ONNX Runtime import here)."""

from __future__ import annotations

from collections.abc import Sequence


def length_batches(lengths: Sequence[int], max_batch: int, token_budget: int) -> list[list[int]]:
    """Input indices sorted by token length and cut into batches of at most `max_batch`
    whose padded size (longest x count) stays within `token_budget`."""
    batches: list[list[int]] = []
    current: list[int] = []
    for index in sorted(range(len(lengths)), key=lambda i: lengths[i]):
        width = lengths[index]
        if current and (len(current) >= max_batch or width * (len(current) + 1) > token_budget):
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches
