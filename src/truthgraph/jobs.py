"""Background verification jobs: bounded worker threads over the persistent job table.

Workers take a job with a lease, verify its claims a few at a time, and store each
chunk's results together with a lease renewal. A worker that dies stops renewing; once
the lease runs out another worker (in this process or another replica) takes the job
over and does only the claims without a stored result. A clean shutdown hands running
jobs straight back to the queue.
"""

from __future__ import annotations

import logging
import threading
import uuid

from truthgraph.inference.protocol import InferenceError
from truthgraph.pipeline import Verifier
from truthgraph.serialize import result_to_dict
from truthgraph.store.records import JobInfo, Records

log = logging.getLogger(__name__)


class JobRunner:
    def __init__(
        self,
        records: Records,
        verifier: Verifier,
        *,
        workers: int = 2,
        lease_seconds: float = 60.0,
        poll_seconds: float = 1.0,
        chunk: int = 8,
        idle_poll_seconds: float = 8.0,
    ) -> None:
        """`chunk` claims are verified and stored per round: smaller loses less work on
        a crash and reacts sooner to cancellation; larger batches NLI better.

        Polls find jobs queued by other processes (and leases to take over). While none
        come, the wait between polls doubles from `poll_seconds` up to
        `idle_poll_seconds`, so that an idle API costs its database almost nothing; a
        job queued in this process wakes a worker at once."""
        self.records = records
        self.verifier = verifier
        self.workers = workers
        self.lease_seconds = lease_seconds
        self.poll_seconds = poll_seconds
        self.idle_poll_seconds = max(poll_seconds, idle_poll_seconds)
        self.chunk = chunk
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._threads: list[threading.Thread] = []
        self.name = f"worker-{uuid.uuid4().hex[:8]}"

    def start(self) -> None:
        for number in range(self.workers):
            thread = threading.Thread(
                target=self._loop,
                args=(f"{self.name}-{number}",),
                daemon=True,
                name=f"truthgraph-job-{number}",
            )
            thread.start()
            self._threads.append(thread)

    def notify(self) -> None:
        """A job was queued: wake an idle worker now instead of at the next poll."""
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()

    def _loop(self, worker: str) -> None:
        wait = self.poll_seconds
        while not self._stop.is_set():
            try:
                job = self.records.acquire_job(worker, lease_seconds=self.lease_seconds)
            except Exception:  # the database may be briefly unreachable; keep polling
                log.exception("could not poll for jobs")
                job = None
            if job is None:
                woken = self._wake.wait(wait)
                self._wake.clear()
                wait = self.poll_seconds if woken else min(wait * 2, self.idle_poll_seconds)
                continue
            wait = self.poll_seconds
            self.run_job(job, worker)

    def run_job(self, job: JobInfo, worker: str) -> None:
        top_k = job.options.get("top_k")
        try:
            while True:
                if self._stop.is_set():
                    self.records.release_job(job.id, worker)
                    return
                pending = self.records.pending_claims(job.id, limit=self.chunk)
                if not pending:
                    self.records.finish_job(job.id, worker, status="succeeded")
                    return
                results = self.verifier.verify_many((c for _, c in pending), top_k=top_k)
                stored = [
                    (index, result_to_dict(result))
                    for (index, _), result in zip(pending, results, strict=True)
                ]
                if not self.records.record_results(
                    job.id, worker, stored, lease_seconds=self.lease_seconds
                ):
                    return  # cancelled, or another worker owns it now
        except InferenceError as exc:
            # Models unreachable: give the job back and let a later attempt finish it.
            log.warning("job %s paused: %s", job.id, exc)
            self.records.release_job(job.id, worker)
            self._stop.wait(self.poll_seconds * 5)
        except Exception as exc:
            log.exception("job %s failed", job.id)
            self.records.finish_job(job.id, worker, status="failed", error=str(exc)[:500])
