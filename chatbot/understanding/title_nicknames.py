"""One word of a title that names the film alone, as people shorten titles: "Shawshank", "Totoro", "LOTR"."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from chatbot.understanding.lexicon import CHAT_ABBREVIATIONS, STUDIO_WORDS
from chatbot.understanding.vocabulary import Vocabulary, normalize
from retrieval.catalog import Item

# Only a film among this many best known goes by one word of its title: "Totoro" is My Neighbor Totoro, but a
# rare word of a film few know is more likely something else the person means.
NICKNAMED_FILMS = 3000
# The film (or series) the word names is this many times better known than any other title with that word.
NICKNAME_DOMINANCE = 10
# A word told in more stories than this, beyond those of the titles that hold it, is a name or place of its own:
# "Vietnam" (Good Morning, Vietnam), "Edward" (Edward Scissorhands).
MAX_OTHER_STORIES = 3
MIN_NICKNAME_LETTERS = 4
INITIALS_WORDS = range(4, 6)  # initials of titles of four or five words: "LOTR", "GOTG" (not "HP", "TDK")
# After these the word is a place or a topic: "I live in Manchester" (Manchester by the Sea), "a film about Tibet".
NOT_AFTER = frozenset("in from to at near about around into visit visiting visited".split())


def best_known_floor(prominence: Sequence[float]) -> float:
    """The prominence of the NICKNAMED_FILMS-th best-known item (0.0 without any): a film above it is well known."""
    known = sorted(prominence, reverse=True)
    return known[min(NICKNAMED_FILMS, len(known)) - 1] if known else 0.0


def title_nicknames(fame: Mapping[str, float], items: Sequence[Item], floor: float,
                    vocabulary: Vocabulary) -> dict[str, str]:
    """Each rare title word, or a long title's initials, that names one title key (or its series) alone:
    "shawshank" -> "shawshank redemption", "lotr" -> "lord of the rings".

    fame: every title key (whole titles and title parts) -> the prominence of its best-known item; floor:
    best_known_floor of the items. A catalog without popularity has no film known enough to go by one word: then
    there are none."""
    if floor <= 0:
        return {}
    first_names = {name.split(" ", 1)[0] for name in vocabulary.people if " " in name}  # "Edward", "Bruce"
    titles_of: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for key, known_as in fame.items():
        words = key.split()
        initials = "".join(w[0] for w in words)  # unless a word some story uses ("soap", "wine", "site")
        initials = initials if len(words) in INITIALS_WORDS and initials not in vocabulary.catalog_words else ""
        for word in {*words, initials} - CHAT_ABBREVIATIONS:
            if (len(word) >= MIN_NICKNAME_LETTERS and word.isalpha() and word not in fame
                    and not vocabulary.is_everyday(word) and word not in vocabulary.terms
                    and word not in vocabulary.surnames and word not in first_names and word not in STUDIO_WORDS):
                titles_of[word].append((known_as, key))
    named: dict[str, str] = {}
    for word, titles in titles_of.items():
        best_fame, best = max(titles)
        if best_fame < floor:
            continue
        # "Wick" names the series John Wick, whose every film has "john wick" in its title: the shortest such key
        root = min((key for _, key in titles if f" {key} " in f" {best} "), key=len)
        rival = max((known_as for known_as, key in titles if f" {root} " not in f" {key} "), default=0.0)
        if best_fame >= NICKNAME_DOMINANCE * rival:
            named[word] = root
    spelled = {**{word + "s": word for word in named}, **{word: word for word in named}}  # "Python's" too
    told: Counter[str] = Counter()
    for item in items:
        words = {spelled[w] for w in normalize(item.description).split() if w in spelled}
        told.update(words - set(normalize(item.title).split()))
    return {word: key for word, key in named.items() if told[word] <= MAX_OTHER_STORIES}
