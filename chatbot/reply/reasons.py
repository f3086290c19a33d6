"""Reasons for each recommendation, built only from catalog fields and the person's own profile."""

from __future__ import annotations

from retrieval.catalog import Catalog
from retrieval.rank import Scored

LONG_TAIL_BELOW = 0.35  # popularity percentile under which an item counts as "less known"
SIMILAR_ABOVE = 0.45  # cosine similarity above which "similar to X" is worth saying


def reasons_for(scored: Scored, catalog: Catalog, max_reasons: int = 3) -> list[str]:
    """Short human reasons, strongest first; never empty."""
    reasons: list[str] = []

    def title(item_id: str) -> str:
        item = catalog.get(item_id)
        return item.title if item else item_id

    for source, link in scored.shared:
        field_name, _, value = link.partition(":")
        if field_name == "person":
            reasons.append(f"features {value.title()}, whom you mentioned")
        else:
            reasons.append(f"shares {value} ({field_name}) with {title(source)}, which you liked")
        if len(reasons) >= 1:
            break  # one shared-attribute reason is enough; more reads like a list of names
    if scored.similar_to and scored.similar_score >= SIMILAR_ABOVE:
        reasons.append(f"similar to {title(scored.similar_to)}, which you liked")
    if scored.co_liked_with:
        reasons.append(f"people who liked {title(scored.co_liked_with)} also liked this")
    if scored.matched_facets:
        reasons.append("matches your interest in " + " and ".join(scored.matched_facets[:2]))
    if scored.parts.get("long_tail", 0) > 0 and scored.popularity_pct < LONG_TAIL_BELOW:
        reasons.append("a less known pick that fits what you asked for")
    if not reasons:
        relevance = scored.parts.get("relevance", 0.0)
        reasons.append("close to what you described" if relevance > 0 else "a popular choice to start with")
    return list(dict.fromkeys(reasons))[:max_reasons]
