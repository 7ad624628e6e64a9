"""Reciprocal rank fusion with exact expected scores."""

from __future__ import annotations

import pytest

from truthgraph.retrieval import RRF_K, fuse


def test_rrf_adds_reciprocal_ranks_from_both_lists() -> None:
    fused = dict(fuse([(10, 0.9), (20, 0.8), (30, 0.7)], [(30, 5.0), (40, 4.0)]))
    assert fused[30].fused == pytest.approx(1 / (RRF_K + 3) + 1 / (RRF_K + 1))
    assert fused[10].fused == pytest.approx(1 / (RRF_K + 1))
    assert fused[40].fused == pytest.approx(1 / (RRF_K + 2))
    assert fused[30].vector_rank == 3 and fused[30].lexical_rank == 1
    assert fused[40].vector_score is None and fused[40].lexical_score == 4.0


def test_a_passage_found_by_both_retrievers_outranks_single_hits() -> None:
    order = [pid for pid, _ in fuse([(1, 0.9), (2, 0.8)], [(2, 3.0), (3, 2.0)])]
    assert order == [2, 1, 3]


def test_ties_break_by_vector_rank_then_passage_id() -> None:
    order = [pid for pid, _ in fuse([(5, 0.9)], [(4, 1.0)])]
    assert order == [5, 4]  # same fused score; 5 has a vector rank
    order = [pid for pid, _ in fuse([], [(9, 1.0), (8, 1.0)])]
    assert order == [9, 8]  # distinct lexical ranks decide


def test_empty_inputs_fuse_to_nothing() -> None:
    assert fuse([], []) == []
