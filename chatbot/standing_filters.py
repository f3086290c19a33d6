"""The filters a conversation stands on: each turn's constraints laid over the session's."""

from __future__ import annotations

import statistics

from chatbot.types import Constraints
from retrieval.likeness import FAMILY_GENRES, FOR_FAMILIES


def merge_constraints(old: Constraints, new: Constraints) -> Constraints:
    """This turn's constraints on top of the session's: new values win, exclusions persist until contradicted
    ("for my kids" after "for adults" lets family films back in, and the other way round)."""
    include = new.include_genres or [g for g in old.include_genres if g not in new.exclude_genres]
    exclude = [g for g in dict.fromkeys(old.exclude_genres + new.exclude_genres)
               if g not in new.include_genres and not (new.kids and g in FOR_FAMILIES)]
    grown_up = bool(set(new.exclude_genres) & set(FAMILY_GENRES))  # not "no cartoons" alone
    return Constraints(
        year_min=new.year_min if new.year_min is not None or new.year_max is not None else old.year_min,
        year_max=new.year_max if new.year_min is not None or new.year_max is not None else old.year_max,
        include_genres=include,
        exclude_genres=exclude,
        kids=new.kids or (old.kids and not grown_up),
        languages=new.languages or [c for c in old.languages if c not in new.exclude_languages],
        exclude_languages=[c for c in dict.fromkeys(old.exclude_languages + new.exclude_languages)
                           if c not in new.languages],
        relative_years=new.relative_years if new.year_min is not None or new.year_max is not None
        else old.relative_years,
        together=new.together if new.include_genres else old.together and len(include) > 1,
    )


def shown_year(years: list[int], older: bool, again: bool) -> int:
    """The year of the list shown that "older" / "newer" moves past: its middle, or, asked again ("even older"),
    past most of it (the middle of 1975-2010 answered "even older" with 2004)."""
    if not again:
        return int(statistics.median(years))
    ordered = sorted(years)
    return ordered[len(ordered) // 4] if older else ordered[-(len(ordered) // 4) - 1]
