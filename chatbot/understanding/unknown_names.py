"""Names a person gives that the catalog does not have: "I loved Breaking Bad", "something like The Office"."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Callable

from chatbot.understanding.lexicon import STOPWORDS
from chatbot.understanding.vocabulary import Token, Vocabulary, tokenize
from retrieval.catalog import Catalog

# Words after which a capitalized run is something the person watched or liked: a title, by its place.
NAME_CUES = frozenset("love loved like liked enjoy enjoyed adore adored watched watching seen saw rewatched "
                      "hate hated".split())
INNER_WORDS = frozenset("of the a an in on to at for from with".split())  # "Game of Thrones"; "and" lists two
MIN_NAME_TOKENS = 2  # one capitalized word ("Netflix", "Disney") is too often no title at all
_SENTENCE_END = re.compile(r"[.!?;:\n]")


class CatalogNames:
    """Whether a name a person gives is one the catalog has, in any form: so it is no unknown name."""

    def __init__(self, catalog: Catalog, vocabulary: Vocabulary) -> None:
        self.catalog = catalog
        self.vocabulary = vocabulary

    @cached_property
    def _text(self) -> tuple[list[frozenset[str]], str]:
        """(each title's words, every item's text, one per line): what `has` looks in (~0.3 s at 38k, once)."""
        return ([frozenset(t.norm for t in tokenize(i.title)) for i in self.catalog.items],
                "\n".join(" ".join(f"{i.plot or ''} {i.description}".split()) for i in self.catalog.items))

    def has(self, name: str, norms: list[str]) -> bool:
        """A name the catalog has: a person however misspelt ("Scarlett Johannson"), a title with all its words
        ("Barbie Thumbelina"), a text that writes it with its capitals ("James Bond"; "the office" is everywhere)."""
        titles, texts = self._text
        words, whole = {w for w in norms if w not in STOPWORDS}, set(norms)
        # One word that says something ("Stranger Things": "things" says nothing) must be the whole title.
        return (bool(self.vocabulary.fuzzy_person(" ".join(norms)))
                or any(words <= title if len(words) > 1 else whole == title for title in titles)
                or " ".join(name.split()) in texts)


def unknown_names(text: str, tokens: list[Token], named: set[int],
                  is_title: Callable[[str], bool] = lambda key: False) -> list[tuple[int, int]]:
    """Token spans [start, end) of capitalized names right after a liking or watching verb that nothing else in the
    message accounts for (named: tokens of titles, people, genres and patterns found). "and" lists two names, but
    joins one when a title the catalog has runs into it: "Parks and Recreation" (is_title: a title's key)."""
    spans = []
    k = 1
    while k < len(tokens):
        if tokens[k - 1].norm not in NAME_CUES or not tokens[k].text[:1].isupper() or k in named:
            k += 1
            continue
        end = k + 1
        while end < len(tokens) and end not in named:
            gap = text[tokens[end - 1].end:tokens[end].start]
            if _SENTENCE_END.search(gap) or "," in gap:
                break
            if tokens[end].text[:1].isupper():
                end += 1
                continue
            follows = tokens[end + 1] if end + 1 < len(tokens) else None
            if follows is None or not follows.text[:1].isupper():
                break
            if tokens[end].norm in INNER_WORDS or (tokens[end].norm == "and" and end + 1 not in named
                                                   and is_title(follows.norm)):
                end += 2  # "Game of Thrones"; "Parks and Recreation" ("Recreation" alone is a film)
            else:
                break
        if end - k >= MIN_NAME_TOKENS and not any(i in named for i in range(k, end)):
            spans.append((k, end))
        k = end
    return spans
