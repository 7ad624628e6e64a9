"""Hybrid retrieval: vector and lexical search fused with reciprocal rank fusion (RRF).

RRF scores each passage by sum(1 / (k + rank)) over the retrievers that found it
(Cormack, Clarke and Buettcher, SIGIR 2009, with their k = 60). It needs no score
calibration between cosine similarity and bm25, which live on unrelated scales.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from truthgraph.domain import RetrievedPassage
from truthgraph.store.protocol import Store

RRF_K = 60
SearchMode = Literal["hybrid", "vector", "lexical"]


@dataclass
class _Hit:
    vector_score: float | None = None
    vector_rank: int | None = None
    lexical_score: float | None = None
    lexical_rank: int | None = None

    @property
    def fused(self) -> float:
        ranks = [r for r in (self.vector_rank, self.lexical_rank) if r is not None]
        return sum(1.0 / (RRF_K + r) for r in ranks)


def fuse(
    vector_hits: Sequence[tuple[int, float]], lexical_hits: Sequence[tuple[int, float]]
) -> list[tuple[int, _Hit]]:
    """Merge two best-first hit lists into one, best first. Ranks start at 1; ties in
    fused score go to the better vector rank, then the lower passage id, so results
    are deterministic."""
    hits: dict[int, _Hit] = {}
    for rank, (pid, score) in enumerate(vector_hits, start=1):
        hits.setdefault(pid, _Hit()).vector_score = score
        hits[pid].vector_rank = rank
    for rank, (pid, score) in enumerate(lexical_hits, start=1):
        hit = hits.setdefault(pid, _Hit())
        hit.lexical_score, hit.lexical_rank = score, rank
    return sorted(
        hits.items(),
        key=lambda item: (-item[1].fused, item[1].vector_rank or 1 << 30, item[0]),
    )


def retrieve(
    store: Store,
    *,
    query: str,
    query_vector: Sequence[float] | None,
    top_k: int,
    candidates: int,
    mode: SearchMode = "hybrid",
) -> list[RetrievedPassage]:
    """The `top_k` passages for `query`. Each retriever contributes `candidates` hits;
    a larger pool lets a passage ranked low by one retriever but high by the other
    reach the top."""
    pool = max(candidates, top_k)
    vector_hits = (
        store.vector_search(query_vector, pool)
        if mode != "lexical" and query_vector is not None
        else []
    )
    lexical_hits = store.lexical_search(query, pool) if mode != "vector" else []
    ranked = fuse(vector_hits, lexical_hits)[:top_k]
    passages = store.get_passages([pid for pid, _ in ranked])
    return [
        RetrievedPassage(
            passage=passages[pid],
            fused_score=hit.fused,
            vector_score=hit.vector_score,
            vector_rank=hit.vector_rank,
            lexical_score=hit.lexical_score,
            lexical_rank=hit.lexical_rank,
        )
        for pid, hit in ranked
        if pid in passages
    ]
