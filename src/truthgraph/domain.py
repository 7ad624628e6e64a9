"""Plain data types shared by ingestion, storage, retrieval, inference and verdicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from truthgraph.conflicts.findings import Finding


class Stance(StrEnum):
    """NLI label of one (evidence, claim) pair. The canonical order of probability
    vectors everywhere in TruthGraph is the declaration order below."""

    ENTAILMENT = "entailment"
    NEUTRAL = "neutral"
    CONTRADICTION = "contradiction"


CANONICAL_LABELS: tuple[Stance, ...] = (Stance.ENTAILMENT, Stance.NEUTRAL, Stance.CONTRADICTION)


class Verdict(StrEnum):
    SUPPORTED = "SUPPORTED"
    REFUTED = "REFUTED"
    NOT_ENOUGH_INFO = "NOT_ENOUGH_INFO"


@dataclass(frozen=True)
class SourceDocument:
    """A document as read from an input file, before splitting."""

    id: str
    text: str
    title: str = ""
    url: str = ""
    source: str = ""  # the file it came from
    origin: str = ""  # file:line, for error messages


@dataclass(frozen=True)
class PassageDraft:
    """A passage cut from a document: the text and where it sits in the document."""

    text: str
    start: int
    end: int
    content_hash: str


@dataclass(frozen=True)
class Passage:
    id: int
    doc_id: str
    text: str
    start: int
    end: int
    title: str = ""
    url: str = ""


@dataclass(frozen=True)
class DocumentInfo:
    id: str
    title: str
    url: str
    source: str
    content_hash: str
    passages: int
    created_at: str


@dataclass(frozen=True)
class RetrievedPassage:
    """A passage with its scores from each retriever and from fusion."""

    passage: Passage
    fused_score: float
    vector_score: float | None = None  # cosine similarity
    vector_rank: int | None = None
    lexical_score: float | None = None  # bm25 (higher is better)
    lexical_rank: int | None = None


@dataclass(frozen=True)
class NLIScores:
    entailment: float
    neutral: float
    contradiction: float

    @property
    def stance(self) -> Stance:
        best = max(self.entailment, self.neutral, self.contradiction)
        if best == self.entailment:
            return Stance.ENTAILMENT
        if best == self.contradiction:
            return Stance.CONTRADICTION
        return Stance.NEUTRAL

    def as_tuple(self) -> tuple[float, float, float]:
        return (self.entailment, self.neutral, self.contradiction)


@dataclass(frozen=True)
class CitedEvidence:
    retrieved: RetrievedPassage
    nli: NLIScores

    @property
    def stance(self) -> Stance:
        return self.nli.stance


@dataclass(frozen=True)
class EvidenceWindow:
    """Several retrieved passages read together as one premise, so that a claim that
    needs two sentences can be decided. Each member keeps its own offsets."""

    passages: tuple[RetrievedPassage, ...]
    text: str
    nli: NLIScores

    @property
    def stance(self) -> Stance:
        return self.nli.stance


@dataclass(frozen=True)
class CitedFinding:
    """A conflict-check finding, tied to the passage it was found in."""

    finding: Finding
    passage: Passage

    def document_span(self) -> tuple[int, int] | None:
        """The passage-side span in document offsets (None when it is an absence)."""
        span = self.finding.passage
        if span is None:
            return None
        return self.passage.start + span.start, self.passage.start + span.end

    def sentence(self) -> str:
        where = self.passage.doc_id
        if (span := self.document_span()) is not None:
            where += f" [{span[0]}:{span[1]}]"
        return self.finding.sentence(where)


@dataclass(frozen=True)
class VerdictDecision:
    verdict: Verdict
    confidence: float
    support: float
    refute: float
    explanation: str


@dataclass(frozen=True)
class VerificationResult:
    claim: str
    verdict: Verdict
    confidence: float
    explanation: str
    evidence: list[CitedEvidence]
    models: dict[str, str]
    timings_ms: dict[str, float] = field(default_factory=dict)
    windows: list[EvidenceWindow] = field(default_factory=list)
    findings: list[CitedFinding] = field(default_factory=list)


def with_title(title: str, text: str) -> str:
    """The text a model sees for a passage: its document title is prefixed unless the
    passage already names it, so "It opened in 1889." still says what "it" is."""
    if not title or title.casefold() in text.casefold():
        return text
    return f"{title}: {text}"
