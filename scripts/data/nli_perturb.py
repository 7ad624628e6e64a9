"""Rule-based perturbations of written NLI pairs (each output tagged `made: perturbed`).

Every rule changes one decisive detail whose effect on the label is certain:

- `year_in_claim`: an entailed claim repeating a premise year gets another year ->
  contradiction.
- `number_in_claim`: the same for an exact figure (no "about", "more than"...).
- `year_in_premise`: the premise's only year is changed: an entailed claim with that
  year becomes a contradiction; a date-swapped contradiction whose year the premise now
  states becomes an entailment.
- `negation_removed`: "is not", "was not", "never" dropped from a claim: entailment and
  contradiction trade places.
- `sentence_dropped`: a claim tagged multi_sentence loses the premise sentence it
  shares most with -> neutral (it needed both).
- `sentence_copied` (once per premise): one self-contained premise sentence, word for
  word, as an entailed claim; the same sentence against the premise without it as a
  neutral one when it states a name or number the rest does not; the same sentence with
  its year or figure changed as a contradicted one. Without it the model learned that a
  claim sharing every word but one with its premise is a contradiction, and read an
  exact copy the same way.
- `other_premise`: a claim paired with another premise of its domain that shares no
  name and no number with it -> neutral.
- `distractor_added`: a sentence of a premise from another domain, sharing no name and
  no number with the pair, is put before or after the premise -> the label is kept.
  This is what the pipeline's evidence windows look like: passages of two documents
  read together, only one of them about the claim.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from typing import Any

Pair = dict[str, Any]

YEAR = re.compile(r"\b(1[0-9]{3}|20[0-2][0-9])\b(?!s)")
FIGURE = re.compile(r"(?<![\d,.])(\d{1,3}(?:,\d{3})+|\d{2,})(?![\d,.]|s\b)")
HEDGE = re.compile(
    r"\b(about|around|approximately|roughly|nearly|almost|over|more than|less than|"
    r"fewer than|under|at least|at most|up to|some|before|after|since|until|by)\s+$",
    re.IGNORECASE,
)
NEGATED = re.compile(r"\b(is|was|are|were|has|have|had|does|did|do) not\b|\bnever (?=\w+ed\b)")
NAME = re.compile(r"\b[A-Z][a-z]{2,}\b")
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
# Sentences whose subject is a pronoun or a bare definite description.
DANGLING = re.compile(
    r"(?:It|Its|He|She|His|Her|They|Their|This|These|That|Those|There)\b|The [a-z]"
)
FLIP = {"entailment": "contradiction", "contradiction": "entailment"}


def _derived(pair: Pair, label: str, rule: str, **changes: str) -> Pair:
    return {
        **pair,
        **changes,
        "label": label,
        "made": "perturbed",
        "perturbation": rule,
        "source_id": pair["id"],
    }


def _other_year(year: int, rng: random.Random) -> int:
    return year + rng.choice([-1, 1]) * rng.randint(3, 40)


def _other_figure(value: int, rng: random.Random) -> int:
    factor = rng.choice([0.5, 0.6, 0.7, 1.4, 1.6, 2.0, 3.0])
    new = int(round(value * factor))
    return new if new != value else value + 7


def _fmt(value: int, like: str) -> str:
    return f"{value:,}" if "," in like else str(value)


def _unhedged(text: str, start: int) -> bool:
    return not HEDGE.search(text[:start])


def year_in_claim(pair: Pair, rng: random.Random) -> Iterator[Pair]:
    if pair["label"] != "entailment":
        return
    for m in YEAR.finditer(pair["hypothesis"]):
        if m.group(1) in pair["premise"] and _unhedged(pair["hypothesis"], m.start()):
            new = str(_other_year(int(m.group(1)), rng))
            if new in pair["premise"]:
                return
            text = pair["hypothesis"][: m.start()] + new + pair["hypothesis"][m.end() :]
            yield _derived(pair, "contradiction", "year_in_claim", hypothesis=text)
            return


def number_in_claim(pair: Pair, rng: random.Random) -> Iterator[Pair]:
    if pair["label"] != "entailment":
        return
    for m in FIGURE.finditer(pair["hypothesis"]):
        raw = m.group(1)
        value = int(raw.replace(",", ""))
        if YEAR.fullmatch(raw) or raw not in pair["premise"]:
            continue
        if not _unhedged(pair["hypothesis"], m.start()):
            return
        new = _fmt(_other_figure(value, rng), raw)
        text = pair["hypothesis"][: m.start()] + new + pair["hypothesis"][m.end() :]
        yield _derived(pair, "contradiction", "number_in_claim", hypothesis=text)
        return


def year_in_premise(pair: Pair, rng: random.Random) -> Iterator[Pair]:
    premise_years = set(YEAR.findall(pair["premise"]))
    claim_years = set(YEAR.findall(pair["hypothesis"]))
    if len(premise_years) != 1 or len(claim_years) != 1:
        return
    (old,) = premise_years
    (claimed,) = claim_years
    m = YEAR.search(pair["hypothesis"])
    if m is None or not _unhedged(pair["hypothesis"], m.start()):
        return
    if pair["label"] == "entailment" and claimed == old:
        new = str(_other_year(int(old), rng))
        yield _derived(
            pair, "contradiction", "year_in_premise", premise=pair["premise"].replace(old, new)
        )
    elif pair["label"] == "contradiction" and pair.get("phenomenon") == "date_swap":
        yield _derived(
            pair, "entailment", "year_in_premise", premise=pair["premise"].replace(old, claimed)
        )


def negation_removed(pair: Pair, rng: random.Random) -> Iterator[Pair]:
    if pair["label"] not in FLIP:
        return
    matches = list(NEGATED.finditer(pair["hypothesis"]))
    if len(matches) != 1:
        return
    m = matches[0]
    kept = m.group(1) or ""
    text = pair["hypothesis"][: m.start()] + kept + pair["hypothesis"][m.end() :]
    text = re.sub(r"\s{2,}", " ", text).replace(" ,", ",")
    if kept.lower() in {"does", "did", "do"}:
        return  # "did not win" -> "did win" reads oddly; leave those alone
    yield _derived(pair, FLIP[pair["label"]], "negation_removed", hypothesis=text)


def sentence_dropped(pair: Pair, rng: random.Random) -> Iterator[Pair]:
    if pair["label"] == "neutral" or pair.get("phenomenon") != "multi_sentence":
        return
    sentences = SENTENCE.split(pair["premise"])
    if len(sentences) < 2:
        return
    words = set(re.findall(r"\w{4,}", pair["hypothesis"].lower()))
    overlap = [len(words & set(re.findall(r"\w{4,}", s.lower()))) for s in sentences]
    drop = max(range(len(sentences)), key=lambda i: overlap[i])
    rest = " ".join(s for i, s in enumerate(sentences) if i != drop)
    yield _derived(pair, "neutral", "sentence_dropped", premise=rest)


def _changed_detail(sentence: str, rng: random.Random) -> tuple[str, str] | None:
    """The sentence with its first unhedged year or figure changed, and the phenomenon."""
    for pattern, phenomenon in ((YEAR, "date_swap"), (FIGURE, "number_swap")):
        for m in pattern.finditer(sentence):
            raw = m.group(1)
            if not _unhedged(sentence, m.start()) or (pattern is FIGURE and YEAR.fullmatch(raw)):
                continue
            value = int(raw.replace(",", ""))
            new = (
                str(_other_year(value, rng))
                if pattern is YEAR
                else _fmt(_other_figure(value, rng), raw)
            )
            return sentence[: m.start()] + new + sentence[m.end() :], phenomenon
    return None


def sentence_copied(pair: Pair, rng: random.Random) -> Iterator[Pair]:
    sentences = SENTENCE.split(pair["premise"])
    usable = [s for s in sentences if len(s) >= 30 and not DANGLING.match(s)]
    if not usable:
        return
    copied = rng.choice(usable)
    yield _derived(
        pair, "entailment", "sentence_copied", hypothesis=copied, phenomenon="paraphrase"
    )
    rest = " ".join(s for s in sentences if s != copied)
    if rest and _names_and_numbers(copied) - _names_and_numbers(rest):
        yield _derived(
            pair,
            "neutral",
            "sentence_copied",
            premise=rest,
            hypothesis=copied,
            phenomenon="unstated",
        )
    changed = _changed_detail(copied, rng)
    if changed is not None:
        yield _derived(
            pair,
            "contradiction",
            "sentence_copied",
            hypothesis=changed[0],
            phenomenon=changed[1],
        )


def _names_and_numbers(text: str) -> set[str]:
    return set(NAME.findall(text)) | set(re.findall(r"\d+", text))


def other_premise(pair: Pair, pool: list[Pair], rng: random.Random) -> Iterator[Pair]:
    """`pool`: premises of the same domain (one pair each)."""
    own = _names_and_numbers(pair["hypothesis"]) - {"The", "In", "It", "Its", "This"}
    for candidate in rng.sample(pool, min(len(pool), 8)):
        if candidate["premise_id"] == pair["premise_id"]:
            continue
        if own & _names_and_numbers(candidate["premise"]):
            continue
        yield _derived(
            pair,
            "neutral",
            "other_premise",
            premise=candidate["premise"],
            phenomenon="related_entity",
        )
        return


RULES = (year_in_claim, number_in_claim, year_in_premise, negation_removed, sentence_dropped)


def distractor_added(pair: Pair, pool: list[Pair], rng: random.Random) -> Iterator[Pair]:
    """`pool`: premises of all domains (one pair each)."""
    own = _names_and_numbers(pair["premise"] + " " + pair["hypothesis"])
    for candidate in rng.sample(pool, min(len(pool), 8)):
        if candidate["domain"] == pair["domain"]:
            continue
        sentence = rng.choice(SENTENCE.split(candidate["premise"]))
        if own & _names_and_numbers(sentence) or len(sentence) < 40:
            continue
        if DANGLING.match(sentence):
            continue  # "It opened in 2016" would attach to the pair's own entity
        premise = (
            f"{pair['premise']} {sentence}"
            if rng.random() < 0.5
            else f"{sentence} {pair['premise']}"
        )
        yield _derived(pair, pair["label"], "distractor_added", premise=premise)
        return
