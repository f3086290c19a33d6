"""Genres the film catalog names twice ("animation" and "animated", "sport" and "sports"): one interest, shown once."""

from __future__ import annotations

from chatbot.types import ProfileFacet

# Each group is read together (lexicon.SYNONYM_GROUPS gives a word both), so a profile holds them at one weight; the
# 38k catalog has both names of each from its two sources (880 "animated" films, 896 "animation" ones).
GENRE_TWINS = (("animation", "animated"), ("sports", "sport"), ("history", "historical"),
               ("science fiction", "sci-fi"), ("romance", "romantic"), ("slasher", "splatter"))
_GROUPS = {f"genre:{g}": tuple(f"genre:{t}" for t in group) for group in GENRE_TWINS for g in group}


def twins(facet: str) -> tuple[str, ...]:
    """The other facets that name the same genre as facet (none for most facets)."""
    return tuple(f for f in _GROUPS.get(facet, ()) if f != facet)


def shown_once(facets: list[ProfileFacet]) -> list[ProfileFacet]:
    """Profile facets as a person sees them (strongest first): of twin genres, one, by its first name in GENRE_TWINS
    ("animation (genre)", not a second bar for "animated (genre)"), where the stronger of them stood."""
    present = {f.facet: f for f in facets}
    hidden: set[str] = set()
    kept = []
    for facet in facets:
        if facet.facet not in hidden:
            group = _GROUPS.get(facet.facet, (facet.facet,))
            kept.append(next(present[f] for f in group if f in present))
            hidden.update(group)
    return kept
