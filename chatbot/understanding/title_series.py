"""Series a catalog's titles name by their shape: "Harry Potter and the ...", "Rocky II", "Alien: Covenant"."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Callable, Sequence

# A title's head before a subtitle or a sequel number: "Alien: Covenant", "Rocky II", "Jaws 2" (not "Blade Runner
# 2049", a year; not "The Man I Love", where "I" is a word).
_NUMBERED = re.compile(r"^(.+?)(?::\s|\s+(?:\d{1,2}|II|III|IV|V|VI|VII|VIII|IX|X)(?:\b|$))")
ROMAN_NUMERALS = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x")
# Initials that open a title: "E.T. the Extra-Terrestrial", "L.A. Confidential".
_INITIALS = re.compile(r"^((?:[A-Z]\.){2,})\s+(.+)$")
# A sequel's number written both ways, from 2 on ("I" is mostly the word).
_NUMBERS = {**{r: str(n) for n, r in enumerate(ROMAN_NUMERALS[1:], start=2)},
            **{str(n): r for n, r in enumerate(ROMAN_NUMERALS[1:], start=2)}}
# A number inside a title, in words or digits: "Ocean's Eleven" is "oceans 11" too (a single word is never
# swapped: "Seven" stays a word).
_NUMBER_WORDS = "two three four five six seven eight nine ten eleven twelve thirteen".split()
_WORDS_DIGITS = {**{w: str(n) for n, w in enumerate(_NUMBER_WORDS, start=2)},
                 **{str(n): w for n, w in enumerate(_NUMBER_WORDS, start=2)}}


def respelled_numbers(key: str) -> list[str]:
    """numbered_spellings of the key with its numbers in words or digits the other way ([] when it has none):
    "oceans eleven" -> "oceans 11", "12 angry men" -> "twelve angry men"."""
    swapped = " ".join(_WORDS_DIGITS.get(w, w) for w in key.split()) if " " in key else key
    return numbered_spellings(swapped) if swapped != key else []


def numbered_spellings(key: str) -> list[str]:
    """The title key, and the same key with its sequel number written the other ways people write it: "frozen ii"
    -> also "frozen 2", "godfather part ii" -> also "godfather part 2", "godfather ii", "godfather 2"."""
    head, _, last = key.rpartition(" ")
    if not head or last not in _NUMBERS:
        return [key]
    heads = [head, head.removesuffix(" part")] if head.endswith(" part") and " " in head else [head]
    return [key, *(alias for h in heads for alias in (f"{h} {last}", f"{h} {_NUMBERS[last]}") if alias != key)]


def shared_openings(titles: Sequence[str], key: Callable[[str], str]) -> dict[str, list[int]]:
    """Openings of two words or more before "and the" that different titles share: "harry potter" -> the indices
    of its films (not "Ali Baba and the Forty Thieves" made twice)."""
    heads: dict[str, list[int]] = defaultdict(list)
    for index, title in enumerate(titles):
        whole = key(title)
        head = whole.partition(" and the ")[0]
        if head != whole and " " in head:
            heads[head].append(index)
    return {head: indices for head, indices in heads.items() if len({key(titles[i]) for i in indices}) > 1}


def numbered_heads(titles: Sequence[str], key: Callable[[str], str]) -> frozenset[str]:
    """Keys that head two or more numbered or subtitled titles: "rocky" (Rocky II, Rocky III), "alien"."""
    found: dict[str, set[str]] = defaultdict(set)
    for title in titles:
        if match := _NUMBERED.match(title):
            found[key(match.group(1))].add(key(title))
    return frozenset(head for head, titles_ in found.items() if len(titles_) > 1)


def counted_before(norms: Sequence[str], start: int) -> int:
    """How many of a series the words before its name count: "the first three Harry Potter films" -> 3, "the last
    two" -> -2 (from the end), 0 when none are counted."""
    before = list(norms[max(0, start - 2):start])
    if len(before) < 2 or before[0] not in ("first", "last"):
        return 0
    word = before[1]
    count = int(word) if word.isdigit() else int(_WORDS_DIGITS[word]) if word in _WORDS_DIGITS else 0
    return -count if before[0] == "last" else count


def spelled_initials(title: str) -> str | None:
    """"E.T." of "E.T. the Extra-Terrestrial", "A.I." of "A.I. Artificial Intelligence": initials the rest of the
    title spells out, the name people use alone; None for "L.A. Confidential" or "P.S. I Love You"."""
    match = _INITIALS.match(title)
    if not match:
        return None
    words = [w for w in re.split(r"[\s-]+", match.group(2)) if w and w.lower() not in ("the", "a", "an")]
    spelled = "".join(w[0] for w in words).lower()
    return match.group(1) if spelled == match.group(1).replace(".", "").lower() else None
