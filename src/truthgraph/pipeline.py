"""verify / verify_many: retrieval, NLI on every (passage, claim) pair, aggregation.

Plain Python with no web framework, shared by the CLI, the API and the job workers.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

from truthgraph.aggregation import VerdictModel, decide_learned
from truthgraph.conflicts import Relation, check
from truthgraph.domain import (
    CitedEvidence,
    CitedFinding,
    EvidenceWindow,
    RetrievedPassage,
    VerdictDecision,
    VerificationResult,
    with_title,
)
from truthgraph.inference.protocol import InferenceClient
from truthgraph.retrieval import SearchMode, retrieve
from truthgraph.store.protocol import Store
from truthgraph.text_checks import text_problem
from truthgraph.verdict import VerdictRules, decide
from truthgraph.windows import build_windows

MAX_CLAIM_CHARS = 2000
CLAIMS_PER_ROUND = 16
# Conflict checks run on the top-ranked passages and on those NLI found most decisive.
CHECKED_TOP = 3


class ClaimError(ValueError):
    """The claim itself is unusable (empty, too long)."""


def check_claim(claim: str) -> str:
    if (problem := text_problem(claim)) is not None:
        raise ClaimError(f"the claim {problem}")
    text = " ".join(claim.split())
    if not text:
        raise ClaimError("the claim is empty")
    if len(text) > MAX_CLAIM_CHARS:
        raise ClaimError(f"the claim is longer than {MAX_CLAIM_CHARS} characters")
    return text


@dataclass
class Verifier:
    store: Store
    inference: InferenceClient
    top_k: int = 10
    candidates: int = 50
    rules: VerdictRules = VerdictRules()

    @cached_property
    def verdict_model(self) -> VerdictModel | None:
        """The NLI model's learned verdict weights; None falls back to the rules.
        Read on first use, so a remote model service may still be starting before."""
        weights = self.inference.nli_model.verdict
        return VerdictModel.from_dict(weights) if weights else None

    def models(self) -> dict[str, str]:
        return {
            "embedding": self.inference.embedding_model.describe(),
            "nli": self.inference.nli_model.describe(),
        }

    def search(
        self, query: str, *, top_k: int | None = None, mode: SearchMode = "hybrid"
    ) -> list[RetrievedPassage]:
        query = check_claim(query)
        vector = self.inference.embed([query])[0] if mode != "lexical" else None
        return retrieve(
            self.store,
            query=query,
            query_vector=vector,
            top_k=top_k or self.top_k,
            candidates=self.candidates,
            mode=mode,
        )

    def verify(self, claim: str, *, top_k: int | None = None) -> VerificationResult:
        return next(iter(self.verify_many([claim], top_k=top_k)))

    def verify_many(
        self, claims: Iterable[str], *, top_k: int | None = None
    ) -> Iterator[VerificationResult]:
        """Results in input order. Claims go through in rounds so that embedding and
        NLI run batched across claims."""
        batch: list[str] = []
        for claim in claims:
            batch.append(check_claim(claim))
            if len(batch) == CLAIMS_PER_ROUND:
                yield from self._round(batch, top_k or self.top_k)
                batch = []
        if batch:
            yield from self._round(batch, top_k or self.top_k)

    def _round(self, claims: Sequence[str], top_k: int) -> list[VerificationResult]:
        started = time.perf_counter()
        vectors = self.inference.embed(claims)
        embedded = time.perf_counter()
        retrieved = [
            retrieve(
                self.store,
                query=claim,
                query_vector=vector,
                top_k=top_k,
                candidates=self.candidates,
            )
            for claim, vector in zip(claims, vectors, strict=True)
        ]
        searched = time.perf_counter()
        windows = [build_windows(found) for found in retrieved]
        pairs = [
            (with_title(r.passage.title, r.passage.text), claim)
            for claim, found in zip(claims, retrieved, strict=True)
            for r in found
        ]
        pairs += [
            (text, claim)
            for claim, claim_windows in zip(claims, windows, strict=True)
            for _, text in claim_windows
        ]
        all_scores = self.inference.nli(pairs)
        passage_scores = iter(all_scores)
        window_scores = iter(all_scores[sum(len(found) for found in retrieved) :])
        inferred = time.perf_counter()
        share = 1000.0 / len(claims)  # per-claim share of the batched stages
        timings = {
            "embed": (embedded - started) * share,
            "retrieve": (searched - embedded) * share,
            "nli": (inferred - searched) * share,
        }
        models = self.models()
        results = []
        for claim, found, claim_windows in zip(claims, retrieved, windows, strict=True):
            evidence = [CitedEvidence(retrieved=r, nli=next(passage_scores)) for r in found]
            read_together = [
                EvidenceWindow(members, text, next(window_scores))
                for members, text in claim_windows
            ]
            findings = conflict_findings(claim, evidence)
            decision = self._decide(claim, evidence, read_together, findings)
            # Cite the passages that decided the claim first, then the rest by relevance.
            evidence.sort(key=lambda e: -max(e.nli.entailment, e.nli.contradiction))
            results.append(
                VerificationResult(
                    claim=claim,
                    verdict=decision.verdict,
                    confidence=round(decision.confidence, 4),
                    explanation=decision.explanation,
                    evidence=evidence,
                    models=models,
                    timings_ms=dict(timings),
                    windows=read_together,
                    findings=findings,
                )
            )
        return results

    def _decide(
        self,
        claim: str,
        evidence: list[CitedEvidence],
        windows: list[EvidenceWindow],
        findings: list[CitedFinding],
    ) -> VerdictDecision:
        if self.verdict_model is not None:
            return decide_learned(self.verdict_model, claim, evidence, windows, findings)
        # Without learned weights, windows count as passages under the readable rules.
        as_passages = [CitedEvidence(w.passages[0], w.nli) for w in windows]
        return decide([*evidence, *as_passages], self.rules)


def conflict_findings(claim: str, evidence: list[CitedEvidence]) -> list[CitedFinding]:
    """Conflict checks on the top-ranked passages and on the most decisive ones."""
    checked = list(evidence[:CHECKED_TOP])
    if evidence:
        for best in (
            max(evidence, key=lambda e: e.nli.entailment),
            max(evidence, key=lambda e: e.nli.contradiction),
        ):
            if best not in checked:
                checked.append(best)
    found = [
        CitedFinding(finding, e.retrieved.passage)
        for e in checked
        for finding in check(claim, e.retrieved.passage.text, title=e.retrieved.passage.title)
    ]
    return without_settled_conflicts(found)


def without_settled_conflicts(findings: list[CitedFinding]) -> list[CitedFinding]:
    """Drop a conflict on a figure, date or name that another passage confirms: "1928"
    matched by the passage on the discovery is not refuted by a passage that says the
    paper came out in 1929. Passages tell of many events; only an unconfirmed
    mismatch counts."""
    confirmed = {
        (f.finding.kind, f.finding.claim.start, f.finding.claim.end)
        for f in findings
        if f.finding.relation is Relation.MATCH
    }
    return [
        f
        for f in findings
        if f.finding.relation is not Relation.CONFLICT
        or (f.finding.kind, f.finding.claim.start, f.finding.claim.end) not in confirmed
    ]
