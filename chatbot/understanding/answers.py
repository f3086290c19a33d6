"""Answers about the one film the last reply named: "Have you seen Heat?" - "yes, loved it" / "no, not yet"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from chatbot.understanding import lexicon as lx

ANSWER_REACH = 16  # tokens: the answer comes first ("Yes I have, it was great. Do you know any comedies?")
YES = frozenset("yes yeah yep yup ya yea sure absolutely definitely".split())
NO = frozenset("no nope nah".split())
UNSEEN = ("havent seen", "have not seen", "not seen", "never seen", "didnt see", "did not see", "havent watched",
          "have not watched", "never watched", "didnt watch", "not yet", "havent", "have not", "never heard",
          "dont think so", "dont know it", "not familiar")
SEEN = ("i have", "i did", "seen it", "watched it", "saw it", "seen that", "watched that", "saw that", "i saw",
        "ive seen", "i watched", "seen them", "seen both")
_ASKS_SEEN = re.compile(r"\b(?:have|did|ever)\s+(?:you|u)\s+(?:\w+\s+)?(?:seen|see|watch|watched|saw)\b", re.I)


@dataclass(frozen=True)
class Answer:
    """What a short reply says about the film just named: liked (+1), disliked (-1) or neither, and seen."""

    sign: int = 0
    seen: bool = False


def asks_seen(previous: str | None) -> bool:
    """The last reply asked whether the person has seen something."""
    return bool(previous and _ASKS_SEEN.search(previous))


def read_answer(norms: list[str], previous: str | None) -> Answer | None:
    """The answer in the first words of a message, or None when it says it has not been seen (or nothing)."""
    words = norms[:ANSWER_REACH]
    text = " " + " ".join(words) + " "
    if any(f" {p} " in text for p in UNSEEN) or (words[:1] and words[0] in NO and asks_seen(previous)):
        return None  # "no, not yet": a mention, not a judgement
    sign = judgement_sign(words)
    seen = (bool(words) and words[0] in YES and asks_seen(previous)) or any(f" {p} " in text for p in SEEN)
    if sign or seen:
        return Answer(sign, seen or sign != 0)
    return None


def judgement_sign(words: list[str]) -> int:
    """First judgement in the words, turned around by a negation just before it ("not good", "didn't like")."""
    for k, word in enumerate(words):
        negated = any(w in lx.NEGATORS for w in words[max(0, k - 3):k])
        if word in lx.POSITIVE_EVAL or word in lx.STRONG_POSITIVE or word in ("love", "loved", "liked", "enjoyed"):
            if word in ("like", "love") and words[k + 1:k + 2] not in (["it"], ["that"], ["this"], ["them"]):
                continue  # "I like comedies": about something else
            return -1 if negated else 1
        if word in lx.NEGATIVE_EVAL or word in lx.STRONG_NEGATIVE:
            return 1 if negated and word in ("bad",) else -1
    return 0
