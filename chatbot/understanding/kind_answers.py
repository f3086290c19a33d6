"""Answers to the last reply's question about a kind or a person: "Do you like horror?" - "Yes", "How do you feel
about Keanu Reeves?" - "I like him"."""

from __future__ import annotations

import re
from typing import Callable

from chatbot.types import Signal, TurnSignals
from chatbot.understanding import clauses
from chatbot.understanding import lexicon as lx
from chatbot.understanding.answers import ANSWER_REACH, INTERJECTIONS, NO, YES
from chatbot.understanding.intents import is_vague
from chatbot.understanding.vocabulary import normalize

# Facets a question may ask about: kinds and people (a film asked about is answers.py's; a story phrase of a
# question is too loose to take a "yes" for).
ASKED_KINDS = ("genre:", "person:", "tag:")
QUESTIONS_READ = 2  # the last questions of the reply: "Do you like older mysteries? Or the newer ones only?"
_QUESTION = re.compile(r"[^.!?\n]*\?")
_ASKS = re.compile(r"\b(?:do|would|are|were|have|did)\s+(?:you|u)\b|\bhow about\b|\bwhat about\b|\bfan of\b", re.I)
_BACK = frozenset("him her them it those that both these they he she hes shes theyre".split())
_YES_OPENINGS = (["i", "do"], ["i", "am"], ["of", "course"], ["for", "sure"], ["i", "would"], ["both"], ["either"])
_NO_OPENINGS = (["i", "dont"], ["i", "do", "not"], ["im", "not"], ["not", "really"], ["not", "much"],
                ["not", "a"], ["not", "at"], ["not", "so"], ["not", "too"], ["i", "wouldnt"])
STRONG_YES = frozenset("love loved adore absolutely definitely".split())


def answer_sign(words: list[str]) -> tuple[int, float]:
    """(sign, strength) of a short answer to a yes-or-no question: "yes" (1), "I like him" (1), "love them" (1.5),
    "not really" (-1), "no" (-1); (0, 0) when it says neither."""
    start = next((k for k, w in enumerate(words) if w not in INTERJECTIONS or w in YES or w in NO), len(words))
    words = words[start:ANSWER_REACH]
    strength = 1.5 if STRONG_YES & set(words[:4]) else 1.0
    if not words:
        return 0, 0.0
    if words[0] in NO or any(words[:len(o)] == o for o in _NO_OPENINGS) or clauses.not_for_me(words[:8]):
        return -1, 1.0
    if words[0] in YES or any(words[:len(o)] == o for o in _YES_OPENINGS):
        return 1, strength
    for k, word in enumerate(words[:5]):  # "I like him", "love them", "he's great", "they are boring"
        negated = any(w in lx.NEGATORS for w in words[max(0, k - 3):k])
        judged = (word in lx.JUDGING_VERBS and words[k + 1:k + 2] and words[k + 1] in _BACK) or (
            (word in lx.POSITIVE_EVAL or word in lx.NEGATIVE_EVAL) and _BACK & set(words[:k]))
        if judged:
            sign = -1 if (word in lx.NEGATIVE or word in lx.NEGATIVE_EVAL) else 1
            return (-sign, 1.0) if negated else (sign, strength if sign > 0 else 1.0)
    return 0, 0.0


def asked_kinds(previous: str | None, kinds_in: Callable[[str], tuple[list[str], bool]]) -> list[str]:
    """The kinds and people the last reply's closing questions ask about ("Do you like horror?"), none when a
    question names a film (kinds_in: a question -> (its facets, whether it names a film))."""
    questions = [q.strip() for q in _QUESTION.findall(previous or "") if _ASKS.search(q)][-QUESTIONS_READ:]
    for question in reversed(questions):
        facets, names_film = kinds_in(question)
        if names_film:
            return []
        if asked := [f for f in facets if f.startswith(ASKED_KINDS)]:
            return asked
    return []


def read_kind_answer(text: str, previous: str | None, signals: TurnSignals,
                     kinds_in: Callable[[str], tuple[list[str], bool]]) -> None:
    """Add to signals (in place) what the text answers about the kinds the last reply asked of, unless the text
    names a film or already judges them."""
    if not previous or signals.mentioned_item_ids or "?" not in previous:
        return
    sign, strength = answer_sign(normalize(text).split())
    if not sign:
        return
    known = {s.facet for s in signals.signals}
    signals.signals += [Signal(f, sign * strength, "said") for f in asked_kinds(previous, kinds_in) if f not in known]
    signals.is_vague = is_vague(signals)
