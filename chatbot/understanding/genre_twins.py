"""Genres the film catalog names twice ("animation" and "animated", "sport" and "sports"): one interest, shown once."""

from __future__ import annotations

from chatbot.types import ProfileFacet

# Each group is read together (lexicon.SYNONYM_GROUPS gives a word both), so a profile holds them at one weight; the
# 38k catalog has both names of each from its two sources (880 "animated" films, 896 "animation" ones).
GENRE_TWINS = (("animation", "animated"), ("sports", "sport"), ("history", "historical"),
               ("science fiction", "sci-fi"), ("romance", "romantic"), ("slasher", "splatter"))
_TWINS = {f"genre:{g}": tuple(f"genre:{t}" for t in group if t != g) for group in GENRE_TWINS for g in group}


def twins(facet: str) -> tuple[str, ...]:
    """The other facets that name the same genre as facet (none for most facets)."""
    return _TWINS.get(facet, ())


def shown_once(facets: list[ProfileFacet]) -> list[ProfileFacet]:
    """Profile facets as a person sees them (strongest first): of twin genres, the first alone ("animation (genre)",
    not a second bar for "animated (genre)")."""
    hidden: set[str] = set()
    kept = []
    for facet in facets:
        if facet.facet not in hidden:
            kept.append(facet)
            hidden.update(twins(facet.facet))
    return kept
