"""Check every reason of an answer against its source: the catalog field, the interaction log or the person's words."""

from __future__ import annotations

import re
from typing import Any, Callable

from chatbot.reply.quotes import content_words, stem
from chatbot.types import Explanation, Recommendation
from retrieval.catalog import Catalog, Item
from retrieval.name_keys import normalize

# What a reason may never say unless the person did: that they liked something.
CLAIMS_LIKING = re.compile(r"(?i)\b(?:you|you've|you have)\s+(?:liked|loved|enjoyed)\b|\bwhich you liked\b")


def _field_text(item: Item, name: str) -> str:
    value = item.description if name == "description" else item.extra.get(name)
    return " ".join(str(value).split()) if value is not None else ""


def _values(item: Item, name: str) -> list[str]:
    value = list(item.genres) if name == "genres" else item.extra.get(name)
    if isinstance(value, list):
        return [str(v) for v in value]
    return [value.strip()] if isinstance(value, str) else []


def _number_in(text: str, value: Any, decimals: int) -> bool:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return (f"{number:,.{decimals}f}" if decimals == 0 else f"{number:.{decimals}f}") in text


class FaithfulnessCheck:
    """Why a reason is not backed by its source, or None; `said` is everything the person wrote or has in the
    profile from their own words, `together` the log's count of sessions holding two items."""

    def __init__(self, catalog: Catalog, together: Callable[[str, str], int] | None = None,
                 log_counts: Any = None) -> None:
        self.catalog = catalog
        self.together = together
        self.log_counts = log_counts

    def problems(self, rec: Recommendation, said: str) -> list[str]:
        """Every unfaithful reason of one recommendation, as 'kind: why'."""
        item = self.catalog.get(rec.item_id)
        if item is None:
            return ["item: not in the catalog"]
        out = []
        if [e.text for e in rec.explanations] != rec.reasons:
            out.append("reasons: differ from the explanations' texts")
        for e in rec.explanations:
            if why := self.problem(item, e, said):
                out.append(f"{e.kind}: {why} ({e.text!r})")
        return out

    def _other(self, e: Explanation) -> Item | None:
        return self.catalog.get(e.other_id) if e.other_id else None

    def problem(self, item: Item, e: Explanation, said: str) -> str | None:
        """Why this reason is not backed by its source, or None when it is."""
        if CLAIMS_LIKING.search(e.text):
            return "says the person liked something"
        check = getattr(self, f"_{e.kind}", None)
        return check(item, e, said) if check else f"unknown kind {e.kind!r}"

    def _plot(self, item: Item, e: Explanation, said: str) -> str | None:
        if not e.quote or e.quote not in _field_text(item, e.source):
            return f"quote is not in {e.source}"
        wanted = set(content_words(said))
        for word in e.marked:
            if word not in e.quote:
                return f"marked word {word!r} is not in the quote"
            if stem(word) not in wanted:
                return f"marked word {word!r} is not among the person's words"
        return None if e.marked else "no word of the person's is marked"

    def _premise(self, item: Item, e: Explanation, said: str) -> str | None:
        return None if e.quote and e.quote in _field_text(item, e.source) else f"quote is not in {e.source}"

    def _shared(self, item: Item, e: Explanation, said: str) -> str | None:
        other = self._other(e)
        also = [self.catalog.get(i) for i in e.also_ids]
        if other is None or other.title not in e.text or any(a is None or a.title not in e.text for a in also):
            return "does not name the other item"
        for value in e.marked:
            for who in (item, other, *also):
                if value.lower() not in {v.lower() for v in _values(who, e.source)}:
                    return f"{who.title} has no {e.source} {value!r}"
        return None if e.marked else "names no shared value"

    def _person(self, item: Item, e: Explanation, said: str) -> str | None:
        name = e.marked[0] if e.marked else ""
        if name.lower() not in {v.lower() for v in _values(item, e.source)}:
            return f"{e.source} has no {name!r}"
        # In the one form names are looked up in: "Timothee Chalamet" typed names "Timothée Chalamet" credited
        return None if f" {normalize(name)} " in f" {normalize(said)} " else "the person never named them"

    def _log(self, item: Item, e: Explanation, said: str) -> str | None:
        if e.other_id:
            other = self._other(e)
            actual = self.together(item.id, e.other_id) if self.together else None
            if other is None or other.title not in e.text:
                return "does not name the other item"
        else:
            actual = self.log_counts.get(item.id, 0) if self.log_counts is not None else None
        if actual is None or actual != e.count or f"{e.count:,}" not in e.text:
            return f"log count {e.count} but the log holds {actual}"
        return None

    def _standing(self, item: Item, e: Explanation, said: str) -> str | None:
        for name in e.source.split(","):
            if name == "popularity":
                if item.popularity is None:
                    return "no popularity"
                continue
            value = item.extra.get(name)
            decimals = 1 if "average" in name or name in ("rating", "stars") else 0
            if value is None or not _number_in(e.text, value, decimals):
                return f"{name} is {value!r}, not what the text says"
        return None

    def _era(self, item: Item, e: Explanation, said: str) -> str | None:
        return None if item.year and str(item.year) in e.text else "year differs"

    def _similar(self, item: Item, e: Explanation, said: str) -> str | None:
        other = self._other(e)
        return None if other is not None and other.title in e.text else "does not name the other item"

    def _facet(self, item: Item, e: Explanation, said: str) -> str | None:
        missing = [f for f in e.marked if f not in item.facets]
        return f"item has no {missing}" if missing else None

    def _about(self, item: Item, e: Explanation, said: str) -> str | None:
        kinds = [g.lower() for g in item.genres[:3]] or [t.lower() for t in item.tags[:3]]
        if any(k not in e.text for k in kinds) or (item.year and str(item.year) not in e.text):
            return "genres or year differ"
        return None

    def _explore(self, item: Item, e: Explanation, said: str) -> str | None:
        value = e.marked[0] if e.marked else ""
        own = {"genres": item.genres, "tags": item.tags}.get(e.source, ())
        if value.lower() not in {v.lower() for v in own} or value not in e.text:
            return f"{e.source} has no {value!r}"
        return None

    def _fallback(self, item: Item, e: Explanation, said: str) -> str | None:
        return None
