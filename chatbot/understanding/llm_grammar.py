"""A GBNF grammar for the extraction object: valid JSON only, genres from the catalog, names from the message.

With it a backend that supports grammars (llama.cpp) can only write the object the parser reads, with values the
grounding can place: the catalog's most common genres, the vocabulary terms the message itself names (genres,
tags, people), and the titles found in the message or the reply it answers. The alternatives are built per message,
so the grammar stays a few hundred bytes whatever the catalog's size.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

LIST_MAX = 3  # values per list: a message names a few things; a tiny model otherwise repeats one to the limit
MAX_ALTERNATIVES = 60  # per list kind: the grammar stays small even for a message that names many things
# The years are left out: the rules read them reliably, and each key costs a tiny model ~6 forced tokens a turn.
KEYS = ("likes", "dislikes", "liked_titles", "disliked_titles")


def literal(text: str) -> str:
    """A GBNF literal matching `text` exactly (quotes, backslashes and control characters escaped)."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _alternatives(values: Iterable[str]) -> list[str]:
    """Distinct non-empty JSON strings of values, as GBNF literals, at most MAX_ALTERNATIVES."""
    kept = dict.fromkeys(" ".join(v.split()) for v in values if v and v.strip())
    return [literal(json.dumps(v, ensure_ascii=False)) for v in list(kept)[:MAX_ALTERNATIVES]]


def _list_rule(name: str, item: str, has_items: bool) -> str:
    if not has_items:
        return f'{name} ::= "[]"'
    return f'{name} ::= "[]" | "[" {item} ({literal(", ")} {item}){{0,{LIST_MAX - 1}}} "]"'


def extraction_grammar(terms: Iterable[str], titles: Iterable[str]) -> str:
    """The grammar of one extraction: `json.dumps` layout, keys in the prompt's order, values from the lists."""
    term_values, title_values = _alternatives(terms), _alternatives(titles)
    pieces = []
    for i, key in enumerate(KEYS):
        pieces.append(literal(("{" if i == 0 else ", ") + json.dumps(key) + ": "))
        pieces.append({"likes": "terms", "dislikes": "terms", "liked_titles": "titles",
                       "disliked_titles": "titles"}[key])
    rules = [
        "root ::= " + " ".join(pieces) + ' "}"',
        _list_rule("terms", "term", bool(term_values)),
        _list_rule("titles", "title", bool(title_values)),
    ]
    if term_values:
        rules.append("term ::= " + " | ".join(term_values))
    if title_values:
        rules.append("title ::= " + " | ".join(title_values))
    return "\n".join(rules) + "\n"
