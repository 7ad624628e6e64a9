from __future__ import annotations

import threading
from collections.abc import Sequence

import pytest

from truthgraph.mlserver.batching import MicroBatcher, Overloaded, ShuttingDown


def test_concurrent_requests_are_merged_and_answered_in_their_own_order() -> None:
    calls: list[int] = []
    gate = threading.Event()

    def run(items: Sequence[int]) -> list[int]:
        gate.wait(5)
        calls.append(len(items))
        return [x * 10 for x in items]

    batcher: MicroBatcher[int, int] = MicroBatcher(run, name="t", max_items=100, max_wait=0.2)
    futures = [batcher.submit([i, i + 1]) for i in range(0, 10, 2)]
    gate.set()
    assert [f.result(5) for f in futures] == [[0, 10], [20, 30], [40, 50], [60, 70], [80, 90]]
    assert sum(calls) == 10 and len(calls) < 5  # fewer model calls than requests
    batcher.close()


def test_a_full_queue_refuses_at_once() -> None:
    gate = threading.Event()
    batcher: MicroBatcher[int, int] = MicroBatcher(
        lambda xs: (gate.wait(5), list(xs))[1], name="t", max_items=1, max_wait=0, queue_size=2
    )
    batcher.submit([1])  # taken by the worker, which blocks on the gate
    for _ in range(50):
        try:
            batcher.submit([2])
        except Overloaded:
            break
    else:
        pytest.fail("the queue never filled")
    gate.set()
    batcher.close()


def test_model_failures_reach_every_caller_and_the_worker_survives() -> None:
    def run(items: Sequence[int]) -> list[int]:
        if 13 in items:
            raise ValueError("bad input")
        return list(items)

    batcher: MicroBatcher[int, int] = MicroBatcher(run, name="t", max_wait=0)
    with pytest.raises(ValueError, match="bad input"):
        batcher.submit([13]).result(5)
    assert batcher.submit([1, 2]).result(5) == [1, 2]
    batcher.close()
    with pytest.raises(ShuttingDown):
        batcher.submit([1])
