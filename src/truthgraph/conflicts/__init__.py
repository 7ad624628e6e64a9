"""Explicit, explainable conflict checks between a claim and a passage.

Small NLI models are weakest exactly where a rule is strongest: figures with units,
years, a different name in the same slot, a negation. Each check here is pure and
returns findings that name both spans, so a verdict can cite them ("the claim says 1915;
the passage says 1912") and the aggregation can weigh them.
"""

from __future__ import annotations

from truthgraph.conflicts.findings import Finding, FindingKind, Relation, summarise
from truthgraph.conflicts.run import check

__all__ = ["Finding", "FindingKind", "Relation", "check", "summarise"]
