"""Dynamic micro-batching: concurrent requests are merged into one model call.

Each request (a list of inputs) waits in a bounded queue. One worker thread per model
takes the oldest request, then keeps taking requests for up to `max_wait` seconds or
until `max_items` inputs are gathered, runs the model once and hands every request its
slice of the output. A full queue is refused at once (the HTTP layer answers 429):
waiting longer would only turn overload into timeouts.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Generic, TypeVar

In = TypeVar("In")
Out = TypeVar("Out")


class Overloaded(RuntimeError):
    """The queue is full; the caller should retry later."""


class ShuttingDown(RuntimeError):
    """The batcher no longer accepts work."""


@dataclass
class _Request(Generic[In, Out]):
    inputs: Sequence[In]
    future: Future[list[Out]] = field(default_factory=Future)


def _ignore(_: int) -> None:
    pass


class MicroBatcher(Generic[In, Out]):
    def __init__(
        self,
        run: Callable[[Sequence[In]], Sequence[Out]],
        *,
        name: str,
        max_items: int = 64,
        max_wait: float = 0.005,
        queue_size: int = 256,
        on_depth: Callable[[int], None] | None = None,
        on_batch: Callable[[int], None] | None = None,
    ) -> None:
        """`max_items`: inputs per model call (more = better throughput, more memory).
        `max_wait`: how long the first request waits for company (adds latency under
        light load, saves model calls under heavy load). `queue_size`: requests that
        may wait before new ones are refused. `on_depth` hears the number of waiting
        requests whenever it changes, `on_batch` the inputs of each model call that
        succeeded (the service's metrics)."""
        self._run = run
        self.max_items = max_items
        self.max_wait = max_wait
        self._queue: queue.Queue[_Request[In, Out] | None] = queue.Queue(queue_size)
        self._accepting = True
        self._on_depth = on_depth or _ignore
        self._on_batch = on_batch or _ignore
        self._thread = threading.Thread(target=self._loop, name=f"batcher-{name}", daemon=True)
        self._thread.start()

    @property
    def depth(self) -> int:
        return self._queue.qsize()

    def submit(self, inputs: Sequence[In]) -> Future[list[Out]]:
        if not self._accepting:
            raise ShuttingDown("the service is shutting down")
        request: _Request[In, Out] = _Request(inputs)
        if not inputs:
            request.future.set_result([])
            return request.future
        try:
            self._queue.put_nowait(request)
        except queue.Full:
            raise Overloaded("too many requests are waiting") from None
        self._on_depth(self.depth)
        return request.future

    def close(self, timeout: float = 30.0) -> None:
        """Stop accepting, finish what is queued, then stop the worker."""
        self._accepting = False
        self._queue.put(None)
        self._thread.join(timeout)

    def _gather(self, first: _Request[In, Out]) -> tuple[list[_Request[In, Out]], bool]:
        batch, count = [first], len(first.inputs)
        deadline = time.monotonic() + self.max_wait
        while count < self.max_items:
            remaining = deadline - time.monotonic()
            try:
                item = (
                    self._queue.get(timeout=max(remaining, 0))
                    if remaining > 0
                    else self._queue.get_nowait()
                )
            except queue.Empty:
                break
            if item is None:
                return batch, True
            batch.append(item)
            count += len(item.inputs)
        return batch, False

    def _loop(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch, stop = self._gather(first)
            self._on_depth(self.depth)
            inputs = [x for request in batch for x in request.inputs]
            try:
                outputs = list(self._run(inputs))
            except BaseException as exc:  # hand the failure to every waiting caller
                for request in batch:
                    request.future.set_exception(exc)
            else:
                self._on_batch(len(inputs))
                start = 0
                for request in batch:
                    end = start + len(request.inputs)
                    request.future.set_result(outputs[start:end])
                    start = end
            if stop:
                return
