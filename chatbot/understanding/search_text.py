"""Which of the person's words the search reads: this turn's, when they say what to look for, and the conversation's."""

from __future__ import annotations

import re
from typing import Iterable

from chatbot.types import TurnSignals
from chatbot.understanding.intents import says_only_seen
from chatbot.understanding.lexicon import NEGATIVE_EVAL, POSITIVE_EVAL, STOPWORDS
from retrieval.catalog import Catalog
from retrieval.title_words import without_title

_WORDS = re.compile(r"[^\W\d_]+")
_SAYS_NOTHING = STOPWORDS | POSITIVE_EVAL | NEGATIVE_EVAL | {"i"}
CONVERSATION_CHARS = 1500  # of what the person said, newest first, one query (~256 word pieces; train-query's cut)


def says_what(extracted: TurnSignals) -> bool:
    """The turn's words say what to search for: not when vague, nor when all it does is point at the last list
    ("the third one looks great", "not the first": titles with "third" in them), say what to avoid ("I hated
    Titanic" would search for Titanic), set a filter ("something to watch with my mom" found Mommy), only tell
    what was seen ("I've already seen Inception" found The Deep Ones), only ask for the less known ("something
    less mainstream" found Status Update; "top rated movies" found Oscar) or only for older or newer films ("not
    so old" found Old)."""
    pointing = extracted.more_like_shown or extracted.reject_shown
    # "I hated Titanic", "forget that I said I love Titanic": no search for Titanic's words
    against = bool(extracted.signals or extracted.taken_back) and all(s.strength < 0 for s in extracted.signals)
    named = bool(extracted.signals or extracted.mentioned_item_ids)
    regard = extracted.wants_hidden or extracted.wants_acclaimed  # "hidden gems", "the best films ever made"
    if extracted.is_vague or against or says_only_seen(extracted) or (regard and not named):
        return False
    aged = extracted.wants_older or extracted.wants_newer
    # "I've seen the first one and hated it": what was seen is a film pointed at, no words to search (Insidious:
    # Chapter 2 came for "the first one")
    return (named or extracted.constraints.is_empty() and not aged) and bool(named or not pointing)


def turn_search_text(text: str, extracted: TurnSignals, catalog: Catalog) -> str:
    """The turn's words the search reads (none unless says_what); when it names films, only its words that say what,
    without the titles: those films are in the profile already, and a title's words searched find titles like them
    ("I loved Jaws": Saw and Big Fish)."""
    if not says_what(extracted):
        return ""
    titles = {item.title for i in extracted.mentioned_item_ids if (item := catalog.get(i)) and item.title.strip()}
    if not titles:
        return text
    for title in sorted(titles, key=len, reverse=True):  # "Toy Story 2" before "Toy Story"
        text = without_title(text, title, ignore_case=True)
    # What is left of "I loved Arrival and Jaws, something thoughtful" is its words that say what: "loved" was said
    # of the films, and searched it finds romances (The Notebook first); of "I loved Jaws, what else?", nothing.
    return " ".join(w for w in _WORDS.findall(text.lower().replace("'", "")) if w not in _SAYS_NOTHING)


def conversation_text(newest_first: Iterable[str]) -> str:
    """What the person has said so far, the newest message first and then back in time, cut to CONVERSATION_CHARS."""
    return " ".join(newest_first)[:CONVERSATION_CHARS]
