"""The claim finder: which statements of a free text are worth checking.

`find_claims(text)` splits the text into sentences with exact offsets, keeps the
check-worthy ones (`worthiness`), splits a sentence that joins two claims and resolves
a leading pronoun (`decompose`), and says why every other sentence was skipped. Pure:
no I/O, no models; the same text always gives the same claims.
"""

from __future__ import annotations

from dataclasses import dataclass

from truthgraph.claimfinder.decompose import is_name, resolve_pronoun, split_compound, subject
from truthgraph.claimfinder.segments import sentences
from truthgraph.claimfinder.worthiness import judge


@dataclass(frozen=True)
class FoundClaim:
    text: str  # the claim as it is verified (pronoun resolved, subject restored)
    start: int  # its words in the source text: text[start:end]
    end: int
    sentence_start: int  # the whole sentence it comes from
    sentence_end: int
    rewritten: bool  # `text` differs from the source words


@dataclass(frozen=True)
class SkippedSentence:
    start: int
    end: int
    reason: str  # a code from claimfinder.worthiness


@dataclass(frozen=True)
class ClaimsFound:
    claims: list[FoundClaim]
    skipped: list[SkippedSentence]

    @property
    def sentences(self) -> int:
        return len({(c.sentence_start, c.sentence_end) for c in self.claims}) + len(self.skipped)


def find_claims(text: str) -> ClaimsFound:
    claims: list[FoundClaim] = []
    skipped: list[SkippedSentence] = []
    antecedent: str | None = None
    for sentence in sentences(text):
        body = text[sentence.label_end : sentence.end]
        resolved = resolve_pronoun(body, antecedent)
        verdict = judge(
            resolved or body,
            heading=sentence.heading,
            whole_line=sentence.whole_line,
            list_item=sentence.list_item,
        )
        if not verdict.worthy:
            skipped.append(SkippedSentence(sentence.start, sentence.end, verdict.reason or ""))
            continue
        own_subject = subject(resolved or body)
        if own_subject is not None and is_name(own_subject):
            antecedent = own_subject
        # Parts are cut from the rewritten sentence; positions after the pronoun move
        # by the length the rewrite added.
        shift = len(resolved) - len(body) if resolved else 0
        for part in split_compound(resolved or body):
            start = sentence.label_end + (part.start - shift if part.start else 0)
            end = sentence.label_end + part.end - shift
            words = text[start:end]
            claims.append(
                FoundClaim(
                    text=" ".join(part.text.split()),
                    start=start,
                    end=end,
                    sentence_start=sentence.start,
                    sentence_end=sentence.end,
                    rewritten=" ".join(words.split()) != " ".join(part.text.split()),
                )
            )
    return ClaimsFound(claims, skipped)


__all__ = ["ClaimsFound", "FoundClaim", "SkippedSentence", "find_claims"]
