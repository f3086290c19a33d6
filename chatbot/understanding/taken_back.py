"""Words taken back: "forget that I said I love Titanic" drops Titanic from the profile; it is no dislike of it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from chatbot.types import TurnSignals
from chatbot.understanding.intents import is_vague

if TYPE_CHECKING:
    from chatbot.understanding.rules import Parse

# "forget that I said", "ignore what I told you about", "never mind what I said about": what follows is taken back
_TAKE_BACK = re.compile(r"\b(?:forget|ignore|disregard|never ?mind|scratch)(?: (?:that|what|about|the part where))* "
                        r"(?:i(?: have|'ve)? )?(?:said|told you|mentioned|wrote|say)\b", re.I)
_ENDS = re.compile(r"[,;.!?]")  # "forget what I said about horror, I want a comedy": the comedy is meant


def take_back(text: str, parse: Parse, out: TurnSignals) -> None:
    """Move what the text takes back from out.signals to out.taken_back; no filter keeps its genres either."""
    found = _TAKE_BACK.search(text.replace("\u2019", "'"))
    if not found:
        return
    start = next((k for k, token in enumerate(parse.tokens) if token.start >= found.end()), len(parse.tokens))
    end = next((k for k in range(start + 1, len(parse.tokens))
                if _ENDS.search(parse.gaps[k]) or parse.norms[k] == "but"), len(parse.tokens))
    said = {f for s in parse.spans if start <= s.start < end
            for f in (*s.facets, *([f"item:{s.item_id}"] if s.item_id else []))}
    out.taken_back = [s.facet for s in out.signals if s.facet in said]
    out.signals = [s for s in out.signals if s.facet not in said]
    genres = {f.partition(":")[2] for f in said if f.startswith("genre:")}
    out.constraints.include_genres = [g for g in out.constraints.include_genres if g not in genres]
    out.constraints.exclude_genres = [g for g in out.constraints.exclude_genres if g not in genres]
    out.is_vague = is_vague(out)
