"""The words a request, a liked title and an item's title or story share: echoes that inflate similarity, and
the topic words a story should hold."""

from __future__ import annotations

import re

_WORDS = re.compile(r"[^\W\d_]+")


def without_title(text: str, title: str, ignore_case: bool = False) -> str:
    """The text with every whole occurrence of the title blanked out ("Heat is a 1995 film" -> " is a 1995 film")."""
    return re.sub(rf"(?<!\w){re.escape(title)}(?!\w)", " ", text, flags=re.IGNORECASE if ignore_case else 0)


def title_words(text: str) -> set[str]:
    """Words of four letters or more, lower-cased and singular: what a request and a title can share by accident
    ("Harry Potter" and "The Potters")."""
    return {_singular(w) for w in _WORDS.findall(text.lower()) if len(w) >= 4}


def shared_words(said: set[str], title: set[str]) -> int:
    """How many title words (title_words of each) a request's words match, also with an ending of up to two letters
    more or less: "rainy" and "Let It Rain" (not "good" and "Goodfellas")."""
    return sum(any(_same_stem(word, s) for s in said) for word in title)


def _same_stem(a: str, b: str) -> bool:
    short, long_ = sorted((a, b), key=len)
    return len(long_) - len(short) <= 2 and long_.startswith(short[:max(4, len(short) - 1)])


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
    """Whether a title has a word that opens with one of words: "alien" in "Alienator", "up" in "Grown Ups"; a long
    word echoes with its ending changed too: "titanic" in "Titane" and "Titans" (all but two letters, five at least);
    or a word of four letters or more that opens one of them: "Whip It" after "Whiplash"."""
    heads = {e[:max(5, len(e) - 2)] for e in words}
    own = _WORDS.findall(title.lower())
    return any(w.startswith(e) for w in own for e in heads) or any(
        e.startswith(w) for w in own if len(w) >= 4 for e in words)


def _singular(word: str) -> str:
    """"dogs" -> "dog", "robots" -> "robot", "princesses" -> "princess", "witches" -> "witch"; not "boss", "virus",
    "crisis" (a stem opens words: "dog" finds "dogs")."""
    if len(word) >= 5 and word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    return word[:-1] if len(word) >= 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")) else word


def topic_stems(positives: dict[str, float]) -> list[tuple[tuple[str, ...], float]]:
    """For each free phrase the person asked for, the stems of its words ("robots" -> robot; "time travel" -> both
    words), with the phrase's share of weight."""
    phrases = {v: w for f, w in positives.items() for k, _, v in [f.partition(":")] if k == "phrase"}
    total = sum(phrases.values()) or 1.0
    out = []
    for phrase, weight in phrases.items():
        stems = tuple(_singular(w) for w in _STEM_WORDS.findall(phrase.lower()))
        if stems:
            out.append((stems, weight / total))
    return out


_STEM_WORDS = re.compile(r"[^\W_]+")  # the words of a topic, numbers too: "world war 1" is no "world war"
# A number that ends a name, as it is written in a story: roman, in digits, in words, and as an ordinal before it.
_ORDINALS = {n: forms for forms in (("i", "1", "one", "first"), ("ii", "2", "two", "second"),
                                    ("iii", "3", "three", "third")) for n in forms[:3]}

# "ai", "dog", "cat": a stem this short opens other words ("aims", "dogma", "catch") and idioms ("a cat-and-mouse
# game", "dog-tired"): it must be a whole word, or its plural, outside a hyphenated compound.
SHORT_STEM = 3
_PLURAL_END = r"(?:s|'s)?\b(?!-)"


# A story led by a woman, the topic "a strong female lead" is read as: stories rarely say "heroine", but a story
# told of her uses her pronouns, twice at least and twice as often as his (Kill Bill, The Hunger Games, Frozen).
LED_BY_A_WOMAN = ("heroine",)
_HER, _HIS = re.compile(r"\b(?:she|her|hers|herself)\b"), re.compile(r"\b(?:he|his|him|himself)\b")


def tells_of(stems: tuple[str, ...], lowered_story: str) -> bool:
    """Every stem opens a word of the lower-cased story; a substring test first, as most stories lack them (a
    regex of lookaheads over the whole story, per stem, cost 10 times as much). A name with a number at its end
    ("world war 1") is told only in its own words, in order ("World War I", "the First World War"); a heroine is
    told by her pronouns (LED_BY_A_WOMAN)."""
    if stems == LED_BY_A_WOMAN and "heroine" not in lowered_story:
        hers = len(_HER.findall(lowered_story))
        return hers >= 2 and hers >= 2 * len(_HIS.findall(lowered_story))
    if len(stems) > 1 and (number := _ORDINALS.get(stems[-1])):
        name = r"\s+".join(map(re.escape, stems[:-1]))
        return stems[0] in lowered_story and bool(re.search(
            rf"\b{name}\s+(?:{'|'.join(number[:3])})\b|\b{number[3]}\s+{name}\b", lowered_story))
    return all(st in lowered_story for st in stems) and all(
        re.search(rf"\b{re.escape(st)}" + (_PLURAL_END if len(st) <= SHORT_STEM else ""), lowered_story)
        for st in stems)
