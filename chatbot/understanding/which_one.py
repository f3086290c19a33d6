"""Which film of a title was meant: "no, I meant the 1995 one" said after a title picks that year's film of it, and
asks for no films of that year."""

from __future__ import annotations

import re
from collections.abc import Sequence

from chatbot.types import Constraints, Signal, TurnSignals
from chatbot.understanding.title_match import TitleMatcher

# The whole message says which one: "the 2004 one", "no, I meant the 1995 version", "not the clown one, the 2017 one"
_WHICH_YEAR = re.compile(r"^\W*(?:(?:no|nope|sorry|oops|wait|oh)\W+)?(?:(?:i|we) mean[t]?\s+)?"
                         r"(?:not the [\w-]+(?: [\w-]+)? one\W+)?the ((?:19|20)\d\d) (?:one|version|film|movie)\W*$",
                         re.I)
LIKED = 2.0  # the film meant is liked as the one first named was


def meant_year(text: str, signals: TurnSignals, liked_before: Sequence[str], titles: TitleMatcher) -> None:
    """After a film liked last, "the 1995 one" names which film of its title was meant (in place): that one is liked
    instead, and the year asks for no other films of it (before, every pick was a film of 1995)."""
    found = _WHICH_YEAR.match(text.replace("\u2019", "'"))
    if not found or not liked_before or signals.mentioned_item_ids:
        return
    named = liked_before[0]
    meant = titles.titled_in(named, int(found.group(1)))
    signals.signals, signals.constraints, signals.is_vague = [], Constraints(), False
    if meant and meant != named:
        signals.taken_back = [f"item:{named}"]
        signals.signals = [Signal(f"item:{meant}", LIKED, "said")]
        signals.mentioned_item_ids = [meant]
