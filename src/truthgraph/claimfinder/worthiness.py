"""Is a sentence worth checking? Rules that a person can read and argue with.

A sentence is check-worthy when it asserts something verifiable: named entities,
figures, dates, records, events, facts stated as fact. It is not when it asks, advises,
hedges, predicts, greets, or only judges. The rules weigh signals of checkable content
against signals of opinion and speculation, and name the reason for every skip so the
output can say why a sentence was left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Why a sentence was skipped (stable codes: the API and the CLI show them).
QUESTION = "question"
HEADING = "heading"
BOILERPLATE = "boilerplate"
INSTRUCTION = "instruction"
SPECULATION = "speculation"
OPINION = "opinion"
NO_CONTENT = "no_checkable_content"

_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][\w'\u2019.-]*|\d[\d,.]*")
_CLOSERS = "\"'\u201d\u2019)]"
_ATTRIBUTED_QUOTE = re.compile(
    r"[\"\u201c](.+?)[,.!?]?[\"\u201d],?\s+(?:\w+\s+){0,6}?(?:said|says|added|adds|told|"
    r"explained|noted|wrote|writes|recalled|insisted|argued)\b"
)
_BOILERPLATE = re.compile(
    r"^(?:read more|related|see also|subscribe|sign up|follow us|share this|share on|"
    r"photo|image|credit|copyright|\u00a9|all rights reserved|click|tap here|advertisement|"
    r"sponsored|posted (?:on|by)|updated|published|last updated|listen to|watch:|"
    r"this article|this story|editor'?s note|by [A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3}\s*$|"
    r"thanks? (?:you )?for (?:reading|listening|watching)|terms of|privacy policy|"
    r"cookies?\b|skip to|back to top|table of contents|contents\b)",
    re.IGNORECASE,
)
# Verbs that open an instruction or a call to action.
_IMPERATIVES = frozenset(
    "add avoid bake book bring buy call check choose click come consider contact cook "
    "discover do don't don\u2019t download enjoy explore find follow get go grab head imagine "
    "join keep learn let's let\u2019s listen look make mix note order pack please pour "
    "preheat read register remember reserve see serve share sign start stay stir subscribe "
    "take tell think try use visit wait watch let store grate expect pick remove drain "
    "chop heat whisk season".split()
)
# Words of a guess or a possibility: the sentence does not assert.
_HEDGES = frozenset(
    "might could perhaps possibly probably likely unlikely maybe should ought may "
    "presumably supposedly seemingly apparently allegedly rumoured rumored hopefully "
    "seem seems seemed supposed whether".split()
)
_HEDGE_PHRASES = re.compile(
    r"\b(?:it seems|appears to|it is (?:possible|likely)|remains to be seen|some day|"
    r"someday|in the future)\b",
    re.IGNORECASE,
)
# Future and plans: a guess unless pinned to names, dates or figures (a scheduled
# opening, an announced closure are checkable).
_FUTURE = frozenset("will shall would you'll we'll it'll i'll they'll".split())
_FUTURE_PHRASES = re.compile(
    r"\b(?:going to|expected to|set to|plans? to|hope[sd]? to|next (?:year|month|week|"
    r"season|decade))\b",
    re.IGNORECASE,
)
# "would" after a report of the past ("announced that it would end production in
# 2021") is a fact about what was said.
_REPORTED = re.compile(
    r"\b(?:announced|said|promised|stated|declared|confirmed|told|agreed|decided|"
    r"pledged|vowed|ruled)\b",
    re.IGNORECASE,
)
# "could no longer detect": a past ability, not a possibility.
_PAST_ABILITY = frozenset("not no never only n't".split())
# Words that name a category after "best" ("best actress"), not a judgement.
_AWARD_NOUNS = frozenset(
    "actor actress picture film director album song novel supporting new original "
    "animated documentary player goalkeeper".split()
)
_AWARDED = frozenset("won win wins took take for nominated awarded named".split())
_OPINION = frozenset(
    "amazing awesome bad beautiful best boring breathtaking brilliant charming delicious "
    "delightful disappointing dreadful excellent exciting fabulous fantastic favourite "
    "favorite fun glorious good gorgeous great horrible impressive incredible lovely magical "
    "magnificent marvellous marvelous masterpiece must-see nice outstanding overrated "
    "perfect remarkable ridiculous spectacular splendid stunning superb terrible "
    "underrated unforgettable wonderful worst worth love loved hate hated adore enjoy "
    "enjoyed feel felt think believe honestly frankly arguably personally deserve "
    "deserves deserved shame sadly luckily fortunately unfortunately delighted thrilled "
    "proud excited grateful happy pleased important honest chaos dignity pure joy weird "
    "weirdest odd strange crazy lol cool cute iconic legendary genius boring silly "
    "satisfying miserable subjective smart wise stupid silly".split()
)
# The writer or the reader: a personal remark, not a statement about the world.
_PERSONAL = frozenset(
    "i i'm i've i'd i'll me my mine we we're we've our ours us you you're you'll you've "
    "your yours".split()
)
_VAGUE = frozenset("things stuff something everything anything lots everyone nobody".split())
_MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)
# Words whose presence says the sentence states a checkable fact.
_FACT_WORDS = frozenset(
    "born died founded established built opened completed won awarded located capital "
    "invented discovered published released elected signed launched named became "
    "population percent per cent largest smallest tallest longest highest deepest oldest "
    "first last million billion thousand hundred km kilometres kilometers miles metres "
    "meters feet degrees kg tonnes tons century decade record champion president prime "
    "minister king queen emperor war treaty border river mountain island country city "
    "capital ocean sea species planet moon star element acid atoms molecules cells "
    "company headquartered acquired merged invented designed directed starred composed "
    "wrote painted sold killed ruled reigned orbit orbits contains consists measures "
    "spans covers flows lies borders joined left defeated beat scored holds held "
    "produced manufactures produces".split()
)
# Sentence-initial words that are capitalised only because they open the sentence.
_FUNCTION_WORDS = frozenset(
    "a an the this that these those it its he she they his her their there here in on "
    "at by for from with after before during when while if as since although though but "
    "and or so yet also then today yesterday now however meanwhile still according "
    "some many most all each every both one two three no not what which who why how "
    "where our we i you your my".split()
)


_SUPERLATIVE = re.compile(r"(?:larg|small|tall|long|high|deep|old|fast|bright|heavi|bigg)est")
_MOST = re.compile(r"\b(?:the )?(?:most|least) (?:\w+ed|\w+ful|\w+ous|\w+ive|common|popular)\b")
_PAST = re.compile(r"[a-z]{3,}ed")
_STATEMENT_VERBS = frozenset(
    "is are was were has have had contains consists lies flows boils freezes melts "
    "causes means equals includes produces makes uses needs orbits".split()
)


@dataclass(frozen=True)
class Judgement:
    worthy: bool
    reason: str | None  # why it was skipped; None when worthy
    content: int  # signals of checkable content
    doubt: int  # signals of opinion, speculation or vagueness


def _words(sentence: str) -> list[str]:
    """Words without a final full stop ("mammals." -> "mammals", "U.S." -> "U.S")."""
    return [w.rstrip(".") for w in _WORD.findall(sentence)]


def _proper_nouns(words: list[str]) -> int:
    count = 0
    for index, word in enumerate(words):
        if not word[0].isupper() or word in ("I", "I'm", "I've", "I'd", "I'll"):
            continue
        if index == 0 and not _opens_with_name(words):
            continue
        if word.lower() in _MONTHS:
            continue
        count += 1
    return count


def _opens_with_name(words: list[str]) -> bool:
    """A capital opens every sentence; the first word is a name only as part of a
    longer one ("Marie Curie") or as an acronym ("NASA")."""
    first = words[0]
    if first.lower() in _FUNCTION_WORDS:
        return False
    if len(first) > 1 and first.isupper():
        return True
    return len(words) > 1 and words[1][0].isupper()


def _content(sentence: str, words: list[str]) -> int:
    lower = [w.lower().strip(".") for w in words]
    score = 0
    if re.search(r"\d", sentence):
        score += 2
    if any(w in _MONTHS for w in lower):
        score += 1
    score += min(_proper_nouns(words), 3)
    score += min(sum(1 for w in lower if w in _FACT_WORDS or _SUPERLATIVE.fullmatch(w)), 2)
    if _MOST.search(sentence):
        score += 1
    return score


def _states(words: list[str]) -> bool:
    """A finite verb of a plain statement ("Cats are mammals.")."""
    return any(w.lower() in _STATEMENT_VERBS or _PAST.fullmatch(w) for w in words[1:])


def _hedges(sentence: str, words: list[str], content: int) -> int:
    lower = [w.lower() for w in words]
    count = len(_HEDGE_PHRASES.findall(sentence))
    for index, word in enumerate(lower):
        after = lower[index + 1] if index + 1 < len(lower) else ""
        if word in ("could", "may") and after in _PAST_ABILITY:
            continue  # "could no longer detect", "may only be produced in Parma"
        if word in _HEDGES and not _is_month_may(words, index):
            count += 1
    pinned = content >= 2  # names, dates or figures make a plan checkable
    future = sum(1 for w in lower if w in _FUTURE) + len(_FUTURE_PHRASES.findall(sentence))
    if future and not pinned and not ("would" in lower and _REPORTED.search(sentence)):
        count += future
    return count


def _opinions(words: list[str]) -> int:
    """Judgement words (lower case only: "Great" in "Great Depression" is a name)."""
    count = 0
    for index, word in enumerate(words):
        if word not in _OPINION:
            continue
        after = words[index + 1].lower() if index + 1 < len(words) else ""
        before = {w.lower() for w in words[max(0, index - 3) : index]}
        if word == "best" and (after == "of" or (after in _AWARD_NOUNS and before & _AWARDED)):
            continue  # "best of five sets", "won best actress"
        count += 1
    return count


def _doubt(sentence: str, words: list[str], content: int) -> tuple[int, int, int]:
    """(speculation, opinion, vagueness) signal counts."""
    lower = [w.lower() for w in words]
    first_person = any(w in _PERSONAL for w in lower)
    vague = sum(1 for w in lower if w in _VAGUE)
    return _hedges(sentence, words, content), _opinions(words) + first_person, vague


def _is_month_may(words: list[str], index: int) -> bool:
    """ "May 1945" or "9 May": the month, not the modal."""
    if words[index] != "May":
        return False
    near = words[max(0, index - 1) : index + 2]
    return index > 0 and any(w[0].isdigit() for w in near)


def _quoted_speech(text: str) -> str | None:
    """The words of a quotation with its attribution ('"...," said the mayor.')."""
    match = _ATTRIBUTED_QUOTE.match(text)
    return match.group(1) if match else None


def judge(
    sentence: str, *, heading: bool = False, whole_line: bool = False, list_item: bool = False
) -> Judgement:
    """Judge one sentence (without its speaker label or list marker). `whole_line`: the
    sentence is alone on its line, so without a final full stop it is a heading or a
    line of metadata (a byline, a date, a price) unless it is a list item."""
    text = sentence.strip()
    words = _words(text)
    if not any(w[0].isalpha() for w in words):  # "(2/6)", "***"
        return Judgement(False, NO_CONTENT, 0, 0)
    content = _content(text, words)
    bare = text.rstrip(_CLOSERS)
    if bare.endswith("?"):
        return Judgement(False, QUESTION, content, 0)
    if _BOILERPLATE.match(text):
        return Judgement(False, BOILERPLATE, content, 0)
    unfinished = not bare.endswith((".", "!", "\u2026"))
    if heading or (whole_line and unfinished and not list_item):
        return Judgement(False, HEADING, content, 0)
    if bare.endswith(":") and len(words) <= 8:  # "Here are the key facts:"
        return Judgement(False, HEADING, content, 0)
    if words[0].lower() in _IMPERATIVES:
        return Judgement(False, INSTRUCTION, content, 0)
    quoted = _quoted_speech(text)
    if quoted is not None:
        # What was said decides; a quotation is a fact only with names or figures in it.
        text, words = quoted, _words(quoted) or words
        content = _content(text, words)
    hedges, opinion, vague = _doubt(text, words, content)
    doubt = 2 * hedges + opinion + 2 * vague
    if hedges:  # a prediction or a guess, however precise its figures
        return Judgement(False, SPECULATION, content, doubt)
    # A plain statement with no doubt at all ("Cats are mammals.") is checkable even
    # without names or figures.
    plain = quoted is None and doubt == 0 and len(words) >= 3 and content + _states(words) >= 1
    if plain or (content >= 2 and content - doubt >= 1):
        return Judgement(True, None, content, doubt)
    reason = OPINION if opinion and opinion >= vague else NO_CONTENT
    return Judgement(False, reason, content, doubt)
