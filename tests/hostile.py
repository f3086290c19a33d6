"""Hypothesis strategies for hostile input: odd Unicode, control characters, huge strings, wrong JSON types."""

from __future__ import annotations

import json

from typing import Any

from hypothesis import strategies as st

# Characters that break naive code: NUL and other controls, bidi overrides, zero-width and line separators,
# a BOM, emoji with joiners, combining marks, full-width and superscript digits, injection-looking text.
NASTY = ["\x00", "\x07", "\x1b[31m", "\r\n", "\t", "\u202e", "\u200f", "\u200b", "\u2028", "\ufeff",
         "👩\u200d👩\u200d👧", "🎬", "e\u0301", "１９９９", "²", "'; DROP TABLE events; --", "<script>", "%00",
         "../../etc/passwd", "{}", "null", "genre:", ":"]
LONE_SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff"]  # legal as JSON escapes, not as UTF-8
BOUNDARY_LENGTHS = [0, 1, 127, 128, 129, 255, 256, 257, 299, 300, 301, 1999, 2000, 2001, 70_000]
REPEATED = ["x", "é", "🎬", " ", "\x00", "a:"]


def text_from(characters: st.SearchStrategy[str], nasty: list[str]) -> st.SearchStrategy[str]:
    """Random text, nasty pieces glued together, and long runs at the boundaries of the API's limits."""
    runs = st.builds(lambda ch, n: ch * n, st.sampled_from(REPEATED), st.sampled_from(BOUNDARY_LENGTHS))
    pieces = st.lists(st.sampled_from(nasty) | st.text(characters, max_size=5), max_size=6).map("".join)
    return st.one_of(st.text(characters, max_size=40), pieces, runs)


# Anything a client can send as UTF-8 ...
unicode_text = text_from(st.characters(exclude_categories=("Cs",)), NASTY)
# ... and, half the time, lone surrogates too.
hostile_text = unicode_text | text_from(st.characters(exclude_categories=()), NASTY + LONE_SURROGATES)

json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**30, max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True), hostile_text,
)

json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=4),
    max_leaves=6,
)


def weighted(*choices: tuple[int, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """Draw from one of the strategies with the given relative weights (st.one_of weighs them equally)."""
    return st.sampled_from([s for weight, s in choices for _ in range(weight)]).flatmap(lambda s: s)


def json_bytes(value: object) -> bytes:
    """JSON text as a client would send it; lone surrogates become \\udXXX escapes, which JSON allows."""
    return json.dumps(value).encode()


def deeply_nested(depth: int) -> bytes:
    """A JSON document nested `depth` levels deep (parsers that recurse fall over on these)."""
    return b"[" * depth + b"]" * depth
