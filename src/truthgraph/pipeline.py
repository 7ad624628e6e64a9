"""verify / verify_many: retrieval, NLI on every (passage, claim) pair, aggregation.

Plain Python with no web framework, shared by the CLI, the API and the job workers.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from truthgraph.domain import CitedEvidence, RetrievedPassage, VerificationResult, with_title
from truthgraph.inference.protocol import InferenceClient
from truthgraph.retrieval import SearchMode, retrieve
from truthgraph.store.protocol import Store
from truthgraph.text_checks import text_problem
from truthgraph.verdict import VerdictRules, decide

MAX_CLAIM_CHARS = 2000
CLAIMS_PER_ROUND = 16


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
        pairs = [
            (with_title(r.passage.title, r.passage.text), claim)
            for claim, found in zip(claims, retrieved, strict=True)
            for r in found
        ]
        scores = iter(self.inference.nli(pairs))
        inferred = time.perf_counter()
        share = 1000.0 / len(claims)  # per-claim share of the batched stages
        timings = {
            "embed": (embedded - started) * share,
            "retrieve": (searched - embedded) * share,
            "nli": (inferred - searched) * share,
        }
        models = self.models()
        results = []
        for claim, found in zip(claims, retrieved, strict=True):
            evidence = [CitedEvidence(retrieved=r, nli=next(scores)) for r in found]
            decision = decide(evidence, self.rules)
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
                )
            )
        return results
