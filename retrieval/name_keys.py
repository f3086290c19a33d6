"""The one form a name, a title or a phrase takes as a lookup key, for what people type and for the catalog alike:
"Robert Downey Jr." and "robert downey jr", "Daniel Day-Lewis" and "daniel day lewis" are one key."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Word tokens keep inner apostrophes ("don't", "schindler's"); "&" is a token so "Chuck & Larry" = "chuck and larry".
TOKEN_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|&")
_ASCII_TOKEN_RE = re.compile(r"[a-z0-9]+|&")  # the same tokens as TOKEN_RE once apostrophes are gone


def normalize_word(word: str) -> str:
    """Lower-case, strip accents and apostrophes: "Don't" -> "dont", "Amélie" -> "amelie"."""
    if word.isascii():
        return "and" if word == "&" else word.lower().replace("'", "")
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c not in "'’")


def normalize(text: str) -> str:
    """Normalized tokens joined by single spaces; the form every lookup key uses."""
    if text.isascii():  # fast path for catalog building: most titles and names are ASCII
        return " ".join(_ASCII_TOKEN_RE.findall(text.lower().replace("'", ""))).replace("&", "and")
    return " ".join(filter(None, map(normalize_word, TOKEN_RE.findall(text))))


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """normalize(name), remembered: ranking compares the people of a few hundred candidates on every turn."""
    return normalize(name)
