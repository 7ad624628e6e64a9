"""Request and response bodies. Inputs are `*In`, outputs `*Public`; lists are
`{data, count, limit, offset}`. Storage rows never leave the API unconverted."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from truthgraph.pipeline import MAX_CLAIM_CHARS
from truthgraph.text_fields import InputModel, NonBlankText, Text

MAX_PAGE_SIZE = 200


class IngestSummary(BaseModel):
    documents_added: int
    documents_replaced: int
    documents_unchanged: int
    passages_added: int
    duplicate_passages: int


class PassagePublic(BaseModel):
    id: int
    text: str
    start: int
    end: int


class DocumentPublic(BaseModel):
    id: str
    title: str
    url: str
    source: str
    passages: int
    created_at: str


class DocumentDetail(DocumentPublic):
    text: str
    passage_list: list[PassagePublic]


class DocumentsPublic(BaseModel):
    data: list[DocumentPublic]
    count: int
    limit: int
    offset: int


class SearchIn(InputModel):
    query: NonBlankText = Field(min_length=1, max_length=MAX_CLAIM_CHARS)
    mode: Literal["hybrid", "vector", "lexical"] = "hybrid"
    top_k: int = Field(default=10, ge=1, le=100)


class SearchHit(BaseModel):
    passage_id: int
    doc_id: str
    title: str
    url: str
    text: str
    start: int
    end: int
    scores: dict[str, float | int | None]


class SearchPublic(BaseModel):
    data: list[SearchHit]
    count: int


class VerifyIn(InputModel):
    claim: NonBlankText = Field(min_length=1, max_length=MAX_CLAIM_CHARS)
    top_k: int | None = Field(default=None, ge=1, le=100)


class EvidencePublic(SearchHit):
    stance: Literal["entailment", "neutral", "contradiction"]
    nli: dict[str, float]


class WindowPassage(BaseModel):
    passage_id: int
    doc_id: str
    start: int
    end: int


class WindowPublic(BaseModel):
    """Passages read together by the NLI model (for claims that need two sentences)."""

    passages: list[WindowPassage]
    stance: Literal["entailment", "neutral", "contradiction"]
    nli: dict[str, float]


class SpanPublic(BaseModel):
    start: int
    end: int
    text: str


class CheckPublic(BaseModel):
    """A conflict-check finding: a figure, date, name or negation of the claim against
    the passage, with document offsets on the passage side."""

    kind: Literal["number", "date", "entity", "negation"]
    relation: Literal["match", "conflict", "absent"]
    claim: SpanPublic
    passage_id: int
    doc_id: str
    passage: SpanPublic | None
    explanation: str


Verdict = Literal["SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"]


class ResultPublic(BaseModel):
    claim: str
    verdict: Verdict
    confidence: float
    explanation: str
    evidence: list[EvidencePublic]
    windows: list[WindowPublic] = []
    checks: list[CheckPublic] = []
    models: dict[str, str]
    timings_ms: dict[str, float]


class VerificationPublic(ResultPublic):
    """A verification kept in the history (or a job's result)."""

    id: str
    created_at: str
    job_id: str | None = None
    index: int | None = None


class VerificationsPublic(BaseModel):
    data: list[VerificationPublic]
    count: int
    limit: int
    offset: int


Claim = Annotated[NonBlankText, Field(min_length=1, max_length=MAX_CLAIM_CHARS)]


class JobIn(InputModel):
    claims: list[Claim] = Field(min_length=1)
    top_k: int | None = Field(default=None, ge=1, le=100)


class JobPublic(BaseModel):
    id: str
    status: Literal["queued", "running", "succeeded", "failed", "cancelled"]
    total: int
    completed: int
    options: dict[str, Any]
    error: str | None
    created_at: str
    updated_at: str


class JobsPublic(BaseModel):
    data: list[JobPublic]
    limit: int
    offset: int


class JobResultsPublic(BaseModel):
    job: JobPublic
    data: list[VerificationPublic]
    limit: int
    offset: int


class HealthPublic(BaseModel):
    status: Literal["ok"]
    version: str


class ReadyPublic(BaseModel):
    status: Literal["ready", "not_ready"]
    checks: dict[str, str]


class CheckIn(InputModel):
    text: Text = Field(min_length=1, description="The text whose claims are checked.")
    top_k: int | None = Field(default=None, ge=1, le=100)


class FoundClaimPublic(BaseModel):
    """A claim found in the text: `text` is what was verified; `start`/`end` are its
    words in the submitted text (its whole sentence: `sentence_start`/`sentence_end`)."""

    text: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    rewritten: bool
    result: ResultPublic | None = None


class SkippedPublic(BaseModel):
    start: int
    end: int
    reason: Literal[
        "question",
        "heading",
        "boilerplate",
        "instruction",
        "speculation",
        "opinion",
        "no_checkable_content",
        "too_long",
    ]


class TextCheckPublic(BaseModel):
    """`done`: every claim carries its result. `queued`: the claims were sent to `job`;
    its results come in claim order from /v1/jobs/{id}/results."""

    status: Literal["done", "queued"]
    claims: list[FoundClaimPublic]
    skipped: list[SkippedPublic]
    summary: dict[str, int]
    job: JobPublic | None = None
