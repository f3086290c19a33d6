"""Asks about how long a film runs ("under 90 minutes", "nothing too long"), which no catalog field can check."""

from __future__ import annotations

import re

_AMOUNT = r"(?:an?|one|two|three|half an|\d+(?:[.,]\d+)?)"
_UNIT = r"(?:minutes?|mins?|hours?|hrs?)"
_BOUND = (r"(?:under|less than|shorter than|no (?:more|longer) than|not (?:more|longer) than|at most|max(?:imum)?"
          r"|within|below|over|more than|longer than|at least)")
# A bound on the length or a length as a kind ("a 90 minute movie"); not a film judged ("it was too long" says why
# one was not liked, tests/test_chat_requests.py).
_LENGTH_ASK = re.compile(
    rf"\b{_BOUND}\s+(?:an? hour and a half|{_AMOUNT}\s*-?\s*{_UNIT})\b"
    rf"|\b\d+\s*-?\s*{_UNIT}\s+(?:movie|film|one)s?\b"
    r"|\b(?:short|shorter|long|longer) (?:runtime|running time)s?\b|\bruntime\b|\brunning time\b"
    r"|\bhow long is\b"  # "how long is Avatar?": the film is described, its length said unknown
    r"|\bwhich\b[^?.!]{0,20}?\b(?:longest|shortest)\b",  # "which one is the longest?": the list shown again
    re.IGNORECASE,
)
# A length wished for in words alone ("nothing too long", "something shorter"): said back when no bound is given.
_LENGTH_WISH = re.compile(
    r"\b(?:nothing|something|anything)(?: that'?s| that is)?(?: not)? (?:too |very |that |overly |a bit |a little )?"
    r"(?:long|short|shorter)\b(?! (?:story|stories|while|time|list))|\bshorter (?:one|movie|film)s?\b"
    # "a short funny movie", "a quick watch" (not "a short film": a kind of film)
    r"|\ban? (?!short films?\b)(?:short|quick|long)(?: and|,)?(?: \w+)? (?:movie|film|watch|one)s?\b", re.IGNORECASE)


def running_time_ask(text: str) -> str | None:
    """The words of a message that ask for a running time ("under 2 hours"), else None."""
    found = _LENGTH_ASK.search(text) or _LENGTH_WISH.search(text)
    return " ".join(found.group(0).split()) if found else None
