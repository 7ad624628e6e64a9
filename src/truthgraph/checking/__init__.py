"""Check a whole text: find its check-worthy claims and verify each against the corpus.

The claim finder (pure) decides what to check; the verifier decides each verdict. This
module joins the two and owns the refusals that apply to a whole text (empty, too long,
not storable text, nothing to check), so the CLI and the API refuse the same inputs
with the same messages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from truthgraph.claimfinder import ClaimsFound, FoundClaim, SkippedSentence, find_claims
from truthgraph.conflicts import FindingKind, Relation
from truthgraph.domain import Passage, VerificationResult
from truthgraph.pipeline import MAX_CLAIM_CHARS, Verifier
from truthgraph.text_checks import text_problem

DEFAULT_MAX_CHARS = 100_000
TOO_LONG = "too_long"  # a skip reason of its own: the sentence is longer than a claim may be


class TextCheckError(ValueError):
    """The text cannot be checked; `code` is stable, the message says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class CheckedClaim:
    claim: FoundClaim
    result: VerificationResult


@dataclass(frozen=True)
class TextCheck:
    text: str
    claims: list[CheckedClaim]
    skipped: list[SkippedSentence]


def _within_claim_limit(found: ClaimsFound) -> ClaimsFound:
    """A "sentence" longer than a claim may be (a run-on list, text without full stops)
    is skipped as too long rather than refusing the whole text."""
    kept = [c for c in found.claims if len(c.text) <= MAX_CLAIM_CHARS]
    if len(kept) == len(found.claims):
        return found
    skipped = found.skipped + [
        SkippedSentence(c.sentence_start, c.sentence_end, TOO_LONG)
        for c in found.claims
        if len(c.text) > MAX_CLAIM_CHARS
    ]
    return ClaimsFound(kept, sorted(set(skipped), key=lambda s: s.start))


def find_checkable(text: str, *, max_chars: int = DEFAULT_MAX_CHARS) -> ClaimsFound:
    """The claims of `text`, or a TextCheckError saying why there is nothing to check."""
    if (problem := text_problem(text)) is not None:
        raise TextCheckError("invalid_text", f"the text {problem}")
    if not text.strip():
        raise TextCheckError("empty_text", "the text is empty")
    if len(text) > max_chars:
        raise TextCheckError(
            "text_too_large",
            f"the text has {len(text):,} characters; at most {max_chars:,} are checked at once",
        )
    found = _within_claim_limit(find_claims(text))
    if not found.claims:
        raise TextCheckError(
            "no_claims",
            f"no check-worthy statement among the text's {found.sentences} sentences "
            "(questions, opinions, predictions, instructions and headings are skipped)",
        )
    return found


def verify_found(
    verifier: Verifier,
    text: str,
    found: ClaimsFound,
    *,
    top_k: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> TextCheck:
    """Verify the claims found in `text`, batched across claims."""
    checked = []
    results = verifier.verify_many([c.text for c in found.claims], top_k=top_k)
    for claim, result in zip(found.claims, results, strict=True):
        checked.append(CheckedClaim(claim, result))
        if progress is not None:
            progress(1)
    return TextCheck(text, checked, found.skipped)


@dataclass(frozen=True)
class Run:
    """A piece of the checked text: plain, or the words of claim `number` (from 1)."""

    text: str
    number: int | None = None
    verdict: str | None = None


def claim_runs(check: TextCheck) -> list[Run]:
    """The text cut into plain runs and claim runs, in order (what the CLI marks and
    the web UI underlines)."""
    runs: list[Run] = []
    position = 0
    for number, item in enumerate(check.claims, start=1):
        claim = item.claim
        if claim.start < position:
            continue  # parts of one sentence never overlap; be safe anyway
        if claim.start > position:
            runs.append(Run(check.text[position : claim.start]))
        runs.append(Run(check.text[claim.start : claim.end], number, item.result.verdict.value))
        position = claim.end
    if position < len(check.text):
        runs.append(Run(check.text[position:]))
    return runs


def deciding_passage(result: VerificationResult) -> Passage | None:
    """The passage behind a verdict: one whose figure, date or name check agrees with
    the verdict (a match for supported, a conflict for refuted), else the passage with
    the strongest entailment or contradiction. None for not enough info."""
    wanted = {"SUPPORTED": Relation.MATCH, "REFUTED": Relation.CONFLICT}.get(result.verdict.value)
    if wanted is None or not result.evidence:
        return None
    for cited in result.findings:
        if cited.finding.relation is wanted and cited.finding.kind is not FindingKind.NEGATION:
            return cited.passage
    stance = "entailment" if wanted is Relation.MATCH else "contradiction"
    return max(result.evidence, key=lambda e: getattr(e.nli, stance)).retrieved.passage
