"""Choose each item's reasons for one answer so that they tell the items apart.

The rule (issue 16): in an answer of five, at least four items have a reason no other item has, and no sentence is
repeated across all items. Most telling first within each item; a generic reason only when nothing specific is.
"""

from __future__ import annotations

from collections import Counter

from chatbot.types import Explanation

Candidates = list[tuple[float, Explanation]]
FILLERS = ("about",)  # kinds kept back: used only to tell an item apart or when nothing else is true


def _ordered(candidates: Candidates, generic_floor: float) -> list[tuple[float, Explanation]]:
    best: dict[str, tuple[float, Explanation]] = {}
    for score, explanation in candidates:
        if explanation.text not in best or score > best[explanation.text][0]:
            best[explanation.text] = (score, explanation)
    ordered = sorted(best.values(), key=lambda p: -p[0])
    specific = any(score >= generic_floor and e.kind not in FILLERS for score, e in ordered)
    return [(s, e) for s, e in ordered if not (specific and e.kind == "facet")]


SAID_AT_MOST = 2  # items of one answer a sentence true of most of them is said on; the others say their own


def _say_once_or_twice(picked: list[Candidates], pools: list[Candidates]) -> None:
    """A sentence true of most items ("also directed by Christopher Nolan, like Inception" four times in five)
    stays on the first two; each later item says something of its own instead, where it has something."""
    counts = Counter(e.text for chosen in picked for _, e in chosen)
    common = {t for t, n in counts.items() if n > SAID_AT_MOST and 2 * n > len(picked)}
    said: Counter[str] = Counter()
    for i, chosen in enumerate(picked):
        kept = []
        for pair in chosen:
            text = pair[1].text
            said[text] += 1
            if text not in common or said[text] <= SAID_AT_MOST:
                kept.append(pair)
                continue
            spare = next((p for p in pools[i] if p not in chosen and p not in kept and p[1].text not in common
                          and p[1].kind not in FILLERS), None)
            if spare is not None:
                kept.append(spare)
        picked[i] = sorted(kept, key=lambda p: -p[0]) or chosen


def choose(found: list[Candidates], max_reasons: int, generic_floor: float) -> list[list[Explanation]]:
    """At most max_reasons per item, most telling first, with one reason of its own wherever one exists."""
    pools = [_ordered(c, generic_floor) for c in found]
    picked = [[p for p in pool if p[1].kind not in FILLERS][:max_reasons] or pool[:1] for pool in pools]

    def counts() -> Counter[str]:
        return Counter(e.text for chosen in picked for _, e in chosen)

    if len(picked) > 1:  # a sentence said of every item tells none apart: the first says the most telling for all
        everywhere = {t for t, n in counts().items() if n == len(picked)}
        said_once = next((p for p in picked[0] if p[1].text in everywhere), None)
        for i, chosen in enumerate(picked):
            kept = [p for p in chosen if p is said_once or p[1].text not in everywhere]
            spare = [p for p in pools[i] if p[1].text not in everywhere and p not in kept]
            # The places it leaves go to the item's next reasons ("with Denzel Washington" on every pick left
            # each with its rating alone, its premise unsaid).
            refill = [p for p in spare if p[1].kind not in FILLERS][: len(chosen) - len(kept)]
            picked[i] = sorted(kept + refill, key=lambda p: -p[0]) or spare[:1] or chosen
        _say_once_or_twice(picked, pools)
    for i, chosen in enumerate(picked):
        seen = counts()
        if any(seen[e.text] == 1 for _, e in chosen):
            continue
        own = next((p for p in pools[i] if p not in chosen and seen[p[1].text] == 0), None)
        if own is None:
            continue
        chosen = chosen[: max_reasons - 1] + [own] if len(chosen) >= max_reasons else [*chosen, own]
        picked[i] = sorted(chosen, key=lambda p: -p[0])
    return [[e for _, e in chosen] for chosen in picked]


def distinct_ok(reasons: list[list[str]]) -> bool:
    """Whether one answer meets the rule: all but at most one item (of five; of n, n // 5) have a reason of their
    own, and no reason is given for every item."""
    if len(reasons) < 2:
        return True
    seen = Counter(text for item in reasons for text in set(item))
    without_own = sum(not any(seen[t] == 1 for t in item) for item in reasons)
    return without_own <= len(reasons) // 5 and not any(n == len(reasons) for n in seen.values())
