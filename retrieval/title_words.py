"""The words a request, a liked title and an item's title or story share: echoes that inflate similarity, and
the topic words a story should hold."""

from __future__ import annotations

import re

_WORDS = re.compile(r"[^\W\d_]+")


def title_words(text: str) -> set[str]:
    """Words of four letters or more, lower-cased: what a request and a title can share by accident."""
    return {w for w in _WORDS.findall(text.lower()) if len(w) >= 4}


_FILLER = frozenset({"the", "and", "for", "not", "but", "you", "all", "are", "was", "her", "his", "its", "who",
                     "out", "off", "how", "why", "with", "from", "that", "this", "what", "when", "where", "your",
                     "into", "there", "their", "they", "them", "have", "about", "after", "before", "over", "under",
                     "than", "then"})


def echo_words(title: str) -> set[str]:
    """The words of a liked title that another title can echo: of three letters or more (plural -s off, filler
    words out), or, for a title of one short word ("Up"), that word."""
    words = _WORDS.findall(title.lower())
    short = len(words) <= 2  # "Get Out": in two words, "out" is half of what its vector says ("The" never)
    kept = {w[:-1] if len(w) > 4 and w.endswith("s") else w for w in words
            if len(w) >= 3 and w != "the" and (short or w not in _FILLER)}
    return kept or (set(words) if len(words) == 1 else set())


def echoes(words: set[str], title: str) -> bool:
    """Whether a title has a word that opens with one of words: "alien" in "Alienator", "up" in "Grown Ups"."""
    return any(w.startswith(e) for w in _WORDS.findall(title.lower()) for e in words)


def topic_patterns(positives: dict[str, float]) -> list[tuple[re.Pattern[str], float]]:
    """For each free phrase the person asked for, a pattern for its words in a story, with its share of weight."""
    phrases = {v: w for f, w in positives.items() for k, _, v in [f.partition(":")] if k == "phrase"}
    total = sum(phrases.values()) or 1.0
    out = []
    for phrase, weight in phrases.items():
        stems = [w[:-1] if len(w) > 4 and w.endswith("s") else w for w in _WORDS.findall(phrase.lower())]
        if stems:  # "robots" finds robot, robotic; "time travel" needs both words
            # Anchored: unanchored, the lookaheads are retried at every position of the story, quadratic in its
            # length (0.8 s per turn for one two-word phrase over 300 plot texts, against 3 ms anchored).
            out.append((re.compile(r"\A" + "".join(rf"(?=.*\b{re.escape(st)})" for st in stems), re.I | re.S),
                        weight / total))
    return out
