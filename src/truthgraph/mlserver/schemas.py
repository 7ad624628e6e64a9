"""The ml-inference service's request bodies."""

from __future__ import annotations

from pydantic import BaseModel, Field


class EmbedIn(BaseModel):
    texts: list[str] = Field(min_length=1)


class Pair(BaseModel):
    premise: str
    hypothesis: str


class NLIIn(BaseModel):
    pairs: list[Pair] = Field(min_length=1)
