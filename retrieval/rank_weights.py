"""What each ranking signal weighs: the hand-set weights, and a copy with one switched off for ablations."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class RankWeights:
    """How much each signal counts; each can be switched off (0) for ablations."""

    relevance: float = 1.0  # cosine similarity to the profile query
    turn: float = 1.0  # weight of this turn's own text in the query, relative to the profile
    facet: float = 0.3  # genres/tags the person asked for
    liked: float = 0.5  # similarity to items the person liked (item-item)
    disliked: float = 0.5  # similarity to items the person disliked (pushed down)
    people: float = 0.15  # shares cast/authors/brand... with liked items or named people
    named_people: float = 0.3  # ... and has the people the person named ("Tom Hanks movies"), by their weights
    shared_maker: float = 0.3  # ... or a maker every liked item has (Villeneuve: Arrival and Blade Runner 2049)
    collaborative: float = 0.4  # co-occurrence with liked items in interaction logs
    context: float = 0.5  # items already in the conversation (shown, seen) as co-occurrence seeds, vs liked ones
    prior: float = 1.0  # how often people pick the item in the interaction log (only with a log; see Quality)
    popularity: float = 0.05  # mild prior: popular items are safer bets
    # Without a log nothing says what people pick, and the items nearest a liked one are often ones nobody knows ("Date
    # Movie" for The Notebook): how well known an item is stands in for the pick prior then, in liked-item requests.
    popularity_without_log: float = 0.4
    long_tail: float = 0.15  # lift for less popular items, scaled by their relevance
    negative_query: float = 0.5  # how hard disliked facets push the query away
    rating: float = 0.05  # how well regarded (shrunk rating in [-1, 1]); always a little
    rating_asked: float = 0.3  # ... and this much more when the person asks for "good", "best", "acclaimed"
    acclaim_beside_liked: float = 0.25  # ... times this beside a liked item, which says what good is (see Quality)
    hidden_known: float = 0.5  # "underrated", "hidden gems": taken off the best-known items (rating counts as asked)
    # A request that names only genres and people ("I like war films", "Tom Hanks movies") says nothing that tells
    # one war film from another but the words themselves, and those sit closest to the titles with "War" (or "Tom")
    # in them and to the items whose text is a bare production sentence ("a 1943 American war film"). A film lover
    # answers with the best-known, best-regarded films of the genre or person, so these count this much more then,
    # for the items that have what was asked for (by its share).
    broad_popularity: float = 0.4
    broad_rating: float = 0.1
    named_known: float = 0.5  # ... and this share of it, beside liked films, for the films of the people named
    title_echo: float = 0.1  # one word of the request in an item's title inflates its similarity: take that back
    # Share of similarity taken back from a title echoing a liked one's ("Up" -> "Surf's Up"), outside its series:
    liked_title_echo: float = 0.5  # with little plot text, a shared title word is most of what makes vectors close
    other_kind: float = 0.2  # a pick of no kind (genre) of the liked items' that shares no lead: Memento for Notebook
    other_audience: float = 0.2  # a family film when no liked item is one: Inside Out for Inception
    other_language: float = 0.4  # not in the one language other than English of every liked item: after Parasite
    # Not in English while nothing asked or liked is: people who ask in English pick English films (1% of the dev
    # targets are in another language, 8% of the picks were); "foreign films", "the best", a liked Amélie lift it.
    foreign_language: float = 0.2
    story: float = 0.3  # the words the person used for a topic ("heist", "robots") appear in the item's story
    conversation: float = 0.0  # similarity to the whole conversation's text (0.5 with a `train-query` model)
    mmr_lambda: float = 0.75  # 1 = pure relevance, 0 = pure diversity
    series_cap: int = 2  # items of one series or franchise per answer, unless the series itself is asked for
    less_known_every: int = 5  # in every run of this many picks, one is less known (outside the best-known 10%)

    def without(self, name: str) -> RankWeights:
        """A copy with one signal switched off (for ablation tables)."""
        if name not in {f.name for f in fields(self)}:
            raise ValueError(f"unknown ranking signal {name!r}")
        off = {"mmr_lambda": 1.0, "series_cap": 10_000, "less_known_every": 0}
        return replace(self, **{name: off.get(name, 0.0)})
