"""What a user's request does, written once for the REST API and the web UI: verify a
claim and keep it in the history, and queue a batch of claims as a job. Each front end
turns the errors into its own answer (a problem document, an HTML page)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from truthgraph.jobs import JobRunner
from truthgraph.pipeline import ClaimError, Verifier, check_claim
from truthgraph.serialize import result_to_dict
from truthgraph.store.records import JobInfo, Records, VerificationRecord


class BatchTooLarge(ValueError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"At most {limit} claims per job.")
        self.limit = limit


class UnusableClaims(ValueError):
    """Claims the batch cannot take: (position in the batch, reason) pairs."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        super().__init__("Some claims are unusable.")
        self.problems = problems


def verify_and_record(
    verifier: Verifier, records: Records, claim: str, *, top_k: int | None = None
) -> VerificationRecord:
    """Verify `claim` now and store the result in the verification history."""
    result = verifier.verify(claim, top_k=top_k)
    return records.save_verification(result_to_dict(result))


def queue_claims(
    records: Records,
    runner: JobRunner,
    claims: Sequence[str],
    *,
    limit: int,
    options: dict[str, Any] | None = None,
) -> JobInfo:
    """Check every claim, then queue them as one job and wake a worker. Nothing is
    stored when the batch is over `limit` or any claim is unusable."""
    if len(claims) > limit:
        raise BatchTooLarge(limit)
    checked, problems = [], []
    for index, claim in enumerate(claims):
        try:
            checked.append(check_claim(claim))
        except ClaimError as exc:
            problems.append((index, str(exc)))
    if problems:
        raise UnusableClaims(problems)
    job = records.create_job(checked, options or {})
    runner.notify()
    return job
