"""Where a title-like span stands in a sentence: inside a longer capitalized name, or naming a place or topic."""

from __future__ import annotations

import re

from chatbot.understanding.lexicon import PLACE_LEADS, STOPWORDS
from chatbot.understanding.vocabulary import Token

ARTICLES = frozenset({"the", "a", "an"})
QUOTES = "\"'“”‘’*«»`"
MEDIA_NOUNS = frozenset("movie movies film films flick flicks ones stuff kind type genre".split())
TOLD_BY = MEDIA_NOUNS | frozenset("one documentary documentaries thriller thrillers comedy comedies story".split())
# "a movie for Halloween", "on Christmas eve": the occasion, not the film of that name (Valentine's Day, 2010, a
# romantic comedy, stays the film: what it is like is what is asked; the words alone found My Bloody Valentine)
_SAID_OF_IT = frozenset("sounds sound looks look seems seem is was and or please too".split())  # "Casino sounds good"
_HOLIDAYS, _OCCASION = frozenset("halloween christmas thanksgiving easter hanukkah".split()), frozenset(
    "for on at during over this movie movies film films flick special".split())


def stands_alone(text: str, tokens: list[Token], end: int) -> bool:
    """A one-word title ending at token `end` stands alone: the message or a clause ends after it, or a verb said of
    it follows ("Casino sounds good", "Up, please"), not a noun it modifies ("a big fan")."""
    return end >= len(tokens) or bool(re.search(r"[,.;:!?)]", text[tokens[end - 1].end:tokens[end].start])) or (
        tokens[end].norm in _SAID_OF_IT)


def joined_capital(text: str, tokens: list[Token], i: int, neighbour: int) -> bool:
    """Token i is a capitalized word (not "I", not sentence-initial) joined to `neighbour` by spaces only: "Van" in
    "Van Wilder" is; "Game Night, About Time" are separate titles in a list."""
    if not 0 <= i < len(tokens) or not tokens[i].text[:1].isupper() or tokens[i].norm == "i":
        return False
    left, right = sorted((i, neighbour))
    if text[tokens[left].end:tokens[right].start].strip():
        return False
    before = text[:tokens[i].start].rstrip()
    return bool(before) and before[-1] not in ".!?:;)\n\"'“"


def inside_name(text: str, tokens: list[Token], index: int) -> bool:
    """A capitalized word joined to other capitalized words mid-sentence is part of a longer name."""
    if not tokens[index].text[:1].isupper():
        return False
    previous = index - 1 - int(index >= 1 and tokens[index - 1].norm in ARTICLES)  # past "the", "a", "an"
    possessive = previous >= 0 and tokens[previous].text.lower().endswith(("'s", "’s"))  # "Disney's Coco"
    return (joined_capital(text, tokens, previous, previous + 1) and not possessive) or joined_capital(
        text, tokens, index + 1, index)


def name_goes_on(text: str, tokens: list[Token], end: int) -> bool:
    """The capitalized title ending at token `end` runs on into more of a name ("Breaking Bad", "Game of Thrones"):
    the person named something longer, which this catalog does not have."""
    last, after = end - 1, end
    if not tokens[last].text[:1].isupper():
        return False
    joined = after < len(tokens) and not text[tokens[last].end:tokens[after].start].strip()
    if joined and tokens[after].norm == "of":
        after += 1  # "Game of Thrones", "House of Cards"
    return joined_capital(text, tokens, after, after - 1)


def name_before(text: str, tokens: list[Token], start: int, title_ends: set[int]) -> bool:
    """A capitalized word and "and" (or "of" mid-sentence) run into the title: "Parks and Recreation", not
    "Alien and Jaws", "Bad Moms and The Nutty Professor" (title_ends: where some title the text has ends)."""
    if start > 0 and tokens[start - 1].norm in ARTICLES:
        start -= 1  # "Sex and the Fury"
    joiner, word = start - 1, start - 2
    if word < 0 or word + 1 in title_ends or not tokens[word].text[:1].isupper():
        return False
    before = text[:tokens[word].start].rstrip()
    opens = not before or before[-1] in ".!?:;)\n"
    if tokens[joiner].norm != "and" and (tokens[joiner].norm != "of" or opens):
        return False  # "Speaking of Sinbad": a sentence opening on "X of" names nothing
    if text[tokens[word].end:tokens[start].start].strip() != tokens[joiner].text:
        return False  # "Heat, and Alien": a list
    norm = tokens[word].norm
    return norm not in STOPWORDS and norm != "i"  # not "Yes and Fury too"


def place_or_topic(text: str, tokens: list[Token], start: int, end: int) -> bool:
    """The title follows "set in", "takes place in": there it names a place; in lower case after "a film about",
    a topic ("a thriller about hackers" liked Hackers; not "I heard about parasite"); a holiday by "for", "on" or
    "movie", the occasion ("a scary movie for Halloween" liked Halloween, 1978). Quotes make it a title."""
    holiday = tokens[start].norm in _HOLIDAYS
    lower, start = tokens[start].text.islower(), start - int(start > 0 and tokens[start - 1].norm in ARTICLES)
    around = {t.norm for t in [*tokens[max(start - 1, 0):start], *tokens[end:end + 1]]}
    topic = lower and start >= 2 and tokens[start - 1].norm == "about" and tokens[start - 2].norm in TOLD_BY
    place = start >= 2 and tokens[start - 1].norm == "in" and tokens[start - 2].norm in PLACE_LEADS
    return (topic or place or holiday and bool(around & _OCCASION)) and (
        not text[:tokens[start].start].rstrip().endswith(tuple(QUOTES)))
