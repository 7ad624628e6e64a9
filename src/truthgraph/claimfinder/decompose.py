"""Turn a check-worthy sentence into claims that stand alone.

Two rewrites, each only where the grammar makes it safe:
- a sentence joining two predicates of one subject ("X was born in 1920 and won the
  prize in 1950") becomes two claims, the second given the subject back; each keeps
  the span of its own words in the text;
- a leading pronoun ("It opened in 1889.") is replaced by the subject of the sentence
  before it when that subject is a name.
A claim's `text` is what gets verified; its span is what gets underlined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Finite verbs that commonly start a predicate; with words ending in -ed they locate the
# subject ("Marie Curie | was born ...") and the second predicate ("... and | won ...").
_VERBS = frozenset(
    "is are was were has have had does did became become remains remained won wrote "
    "built began led made took gave went left died grew ran held found moved served "
    "lies lay flows covers holds contains reached became sold bought beat broke brought "
    "came chose drew drove fell flew fought forgot got hid hit kept knew lost meant met "
    "paid put read rode rose said saw sang sank sat set shook shot showed sent spent "
    "spoke stood stole struck swam taught told thought threw understood woke wore won "
    "leads makes takes gives runs holds serves sits stands reaches covers includes "
    "hosts owns employs produces borders houses spans measures weighs orbits".split()
)
_PRONOUNS = {
    "it": "",
    "he": "",
    "she": "",
    "they": "",
    "its": "'s",
    "his": "'s",
    "her": "'s",
    "their": "'s",
}
_WORD = re.compile(r"[\w'\u2019.-]+")
_MAX_SUBJECT_WORDS = 8


@dataclass(frozen=True)
class Part:
    start: int  # span in the sentence's text
    end: int
    text: str  # the claim as verified


def _is_verb(word: str) -> bool:
    lower = word.lower()
    return lower in _VERBS or (len(lower) > 4 and lower.endswith("ed"))


def subject(sentence: str) -> str | None:
    """The words before the first finite verb, when they look like a subject."""
    words = list(_WORD.finditer(sentence))
    for index, match in enumerate(words):
        if index == 0:
            continue
        if _is_verb(match.group(0)):
            head = sentence[: match.start()].strip().rstrip(",")
            if "," in head or index > _MAX_SUBJECT_WORDS:
                return None  # an opening clause, not a plain subject
            return head or None
    return None


def is_name(phrase: str) -> bool:
    """ "Marie Curie", "The Eiffel Tower", "NASA": a phrase that names something."""
    words = phrase.split()
    if not words or words[0].lower() in _PRONOUNS:
        return False
    capitalised = [w for w in words if w[0].isupper()]
    if words[0].lower() in ("the", "a", "an"):
        return len(capitalised) >= 2
    return len(capitalised) >= 1 and words[0][0].isupper()


def _top_level_ands(sentence: str) -> list[re.Match[str]]:
    """ " and " / ", and " outside parentheses and quotes."""
    found, depth, quoted = [], 0, False
    for index, char in enumerate(sentence):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif char in '"\u201c\u201d':
            quoted = not quoted
        elif char == " " and not depth and not quoted:
            match = re.compile(r" and ").match(sentence, index)
            if match:
                found.append(match)
    return found


def _two_clauses(sentence: str) -> list[Part] | None:
    """ "X was finished in 1889, and Y was the first ...": two clauses, each with its
    own named subject, joined by ", and"."""
    for match in _top_level_ands(sentence):
        if sentence[match.start() - 1] != ",":
            continue
        before = sentence[: match.start() - 1]
        after = sentence[match.end() :]
        own = subject(after)
        if own is None or not is_name(own) or subject(before) is None:
            continue
        return [
            Part(0, len(before), before + "."),
            Part(match.end(), len(sentence), after[0].upper() + after[1:]),
        ]
    return None


def split_compound(sentence: str) -> list[Part]:
    """The sentence as one part, or as two when it joins two predicates of one subject
    or two clauses with subjects of their own."""
    whole = [Part(0, len(sentence), sentence)]
    clauses = _two_clauses(sentence)
    if clauses is not None:
        return clauses
    head = subject(sentence)
    if head is None:
        return whole
    for match in _top_level_ands(sentence):
        after = sentence[match.end() :]
        first_word = _WORD.match(after)
        if first_word is None or not _is_verb(first_word.group(0)):
            continue
        before = sentence[: match.start()].rstrip(" ,")
        if len(before.split()) < len(head.split()) + 2 or len(after.split()) < 2:
            continue
        end = "." if not before.endswith((".", "!")) else ""
        return [
            Part(0, len(before), before + end),
            Part(match.end(), len(sentence), f"{head} {after}"),
        ]
    return whole


def resolve_pronoun(text: str, antecedent: str | None) -> str | None:
    """`text` with its leading pronoun replaced by `antecedent`; None if nothing to do."""
    first = _WORD.match(text)
    if antecedent is None or first is None:
        return None
    suffix = _PRONOUNS.get(first.group(0).lower())
    if suffix is None:
        return None
    if suffix and antecedent.endswith("s"):
        suffix = "'"
    return antecedent + suffix + text[first.end() :]
