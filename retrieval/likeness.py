"""What makes a pick like the items a person liked beyond their vectors: shared leads, a shared kind (genre) and
the same audience. Read from the catalog's fields, for any domain; no list of titles."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Container, Iterable, Mapping, Sequence

from retrieval.catalog import Item
from retrieval.credits import DIRECTOR_FIELDS, SOURCE_FIELD
from retrieval.name_keys import name_key
from retrieval.series import SeriesKeys, same_series
from retrieval.title_words import echoes

LEAD_BILLING = 8  # the first names of a cast (or any people) list: its leads, not the voices of a crowd scene
LATER_BILLING = 0.5  # how much a person billed after those counts for a request naming them
STAR_BILLING = 3  # an actor makes two films alike as a star of both: Gary Oldman stars in Darkest Hour, not Batman's
# Who made an item, and whose work it tells: a shared one is more of a likeness than a shared supporting actor (The
# Notebook and Dear John, both Nicholas Sparks's; The Dark Knight and Inception, both Christopher Nolan's, before
# Darkest Hour, with Gary Oldman), so it counts twice.
MAKER_FIELDS = frozenset({*DIRECTOR_FIELDS, SOURCE_FIELD, "author", "authors", "writers", "creators"})
# Genre names that say one thing in the catalog's two sources ("Animated" from Wikipedia, "Animation" from TMDB).
GENRE_ALIASES = {"animated": "animation", "historical": "history", "sport": "sports", "music": "musical",
                 "suspense": "thriller"}
# Genres that say how an item was made or shown, not what kind of story it is: sharing "Silent" is no likeness.
FORM_GENRES = frozenset({"silent", "short", "independent", "tv movie", "live action", "performance"})
# What is made for families. When someone asks for "something for kids" every pick must have one of these the
# catalog has, on top of whatever else was asked ("something funny for the whole family": funny AND family), and none
# of KIDS_EXCLUDE. Animation alone is no sign (Akira, Perfect Blue): it counts only in a catalog without the rest.
FAMILY_GENRES = ("family", "children", "kids", "childrens")
ANIMATION_GENRES = ("animation", "animated")
FOR_FAMILIES = FAMILY_GENRES + ANIMATION_GENRES  # what an item made for families has one of
KIDS_EXCLUDE = ("horror", "erotic", "slasher", "adult", "thriller", "crime", "war")
KIDS_NEVER = ("erotic", "slasher", "adult")  # kept out of kids mode even when asked for; the rest may be asked for
LATER_GENRE = 0.4  # the share of a wanted genre that an item lists third or later counts for
FIRST_UNNAMED = 0.7  # ... and one listed first that the description's opening does not name, when it names others
# What an item is made as, not a kind of story: a summary says so whenever it is ("a 2019 documentary film", "a 1995
# computer-animated comedy"). Listed first but not named where the summary names other kinds, it is a label gone
# wrong (Hacksaw Ridge, "a biographical war film ... based on the 2004 documentary", opened "I like documentaries").
MADE_AS = frozenset({"documentary", *ANIMATION_GENRES})
# What an item is, as its description's opening names it: "Pulp Fiction is a 1994 American crime film" (its genres:
# Action, Comedy, Crime), "... a 2016 biographical war film ..., based on the 2004 documentary" (Hacksaw Ridge,
# listed as a Documentary first). The phrase from "is a" to the noun, or to where the sentence goes on to say more.
HEAD_PHRASE = re.compile(r"\b(?:is|was|are|were) (?:a|an|the)\b(.{0,160}?)(?:\b(?:film|movie|picture|series)s?\b"
                         r"|[,;:(]|\b(?:directed|written|produced|starring|about|based|by|that|which|who|from|set)\b)")
_WORD = re.compile(r"[a-z]+")
# A kind beside the kind of the opposite mood is a third kind: asked for laughs, a comedy that is also a drama is a
# comedy-drama (The Intouchables, Life Is Beautiful); asked for scares, a horror comedy. They count as listed later.
OPPOSITE_MOOD = {"comedy": "drama", "horror": "comedy"}


def shares_lead(item: Item, other: Item) -> bool:
    """The two items share one of the first LEAD_BILLING people of some field (cast, directors...)."""
    return _share_within(item, other, lambda field_name: LEAD_BILLING)


def kin_depth(field_name: str) -> int:
    """How far down a field's list a shared name makes two films kin: any lead of a maker's, a star of another's."""
    return LEAD_BILLING if field_name in MAKER_FIELDS else STAR_BILLING


def kin(item: Item, other: Item) -> bool:
    """The two items share a maker (MAKER_FIELDS: Memento and Inception, both Christopher Nolan's) or a star (one of
    the first STAR_BILLING of another field in both): a likeness whatever their kinds."""
    return _share_within(item, other, kin_depth)


def _share_within(item: Item, other: Item, depth: Callable[[str], int]) -> bool:
    """Whether some field's first depth(field) names of both items share one."""
    theirs = other.links()
    return any({v.lower() for v in values[:depth(name)]} & {v.lower() for v in theirs.get(name, ())[:depth(name)]}
               for name, values in item.links().items())


def billed(item: Item) -> dict[str, float]:
    """Each person credited (name_key) -> 1 among the first LEAD_BILLING of a field, else LATER_BILLING: "movies
    with Keanu Reeves" are the ones he leads, not Toy Story 4, where he is the ninth voice."""
    out: dict[str, float] = {}
    for values in item.links().values():
        for n, value in enumerate(values):
            key = name_key(value)
            out[key] = max(out.get(key, 0.0), 1.0 if n < LEAD_BILLING else LATER_BILLING)
    return out


def links_weight(shared: Iterable[tuple[str, str]]) -> float:
    """How much the links an item shares count ((source, "field:value") pairs): a maker twice, anyone else once."""
    return float(sum(2 if link.partition(":")[0] in MAKER_FIELDS else 1 for _, link in shared))


def made_by_all(links: Sequence[Mapping[str, Sequence[str]]]) -> set[str]:
    """Items by a maker that each of two or more liked items has (their links: "directors:Name" -> other items):
    the thread a film lover follows first ("I loved Arrival and Blade Runner 2049": Villeneuve's others)."""
    if len(links) < 2:
        return set()
    makers = set.intersection(*({link for link in own if link.partition(":")[0] in MAKER_FIELDS} for own in links))
    return {other for link in makers for other in links[0][link]}


def genre_kinds(item: Item) -> frozenset[str]:
    """The kinds of story an item's genres name, spelled one way, without the genres of form."""
    return frozenset(GENRE_ALIASES.get(g, g) for g in (g.lower() for g in item.genres)) - FORM_GENRES


def asked_kinds(weights: Mapping[str, float]) -> dict[str, float]:
    """The genres and tags asked for, or said no to (facet -> weight), one per kind at its strongest: "sports" and
    "sport" are one ask, not two."""
    kinds: dict[str, float] = {}
    for facet, weight in weights.items():
        source, _, value = facet.partition(":")
        if source in ("genre", "tag"):
            kind = GENRE_ALIASES.get(value, value)
            kinds[kind] = weight if abs(weight) >= abs(kinds.get(kind, 0.0)) else kinds[kind]
    return kinds


def kinds_matched(facets: Sequence[str], kinds: Mapping[str, float]) -> dict[str, float]:
    """An item's facets that are kinds asked for, the first of each kind (Sports of "Sports, Sport, Drama"), with
    the weight of their kind."""
    found: dict[str, str] = {}
    for facet in facets:
        if (kind := GENRE_ALIASES.get(facet, facet)) in kinds:
            found.setdefault(kind, facet)
    return {facet: kinds[kind] for kind, facet in found.items()}


def kind_share(facets: Sequence[str], facet: str, asked: Container[str] = (), families: bool = True,
               named: Container[str] = ()) -> float:
    """How much an item is of a kind it lists: in full among the two genres it lists first (what it is: a romantic
    comedy before a drama with some romance) or named in its description's opening (`named`, from named_kinds); when
    that names others, less listed second and a little less listed first (Pulp Fiction, "a crime film", lists
    Action, Comedy, Crime; The Silence of the Lambs, "a psychological horror film", lists Thriller first); less
    listed later (and so does a way of being made, MADE_AS, the opening does not name), beside the kind's opposite
    mood unless that mood was asked for too ("a funny drama"), or made for families when families were not asked for
    (Shrek for "I like comedies"). An animated film is a family film in full when families were asked for ("for my
    kids": Toy Story lists Family fifth)."""
    kind = GENRE_ALIASES.get(facet, facet)
    if families and kind in FAMILY_GENRES and any(f in ANIMATION_GENRES for f in (named or facets[:2])):
        return 1.0
    opposite = OPPOSITE_MOOD.get(kind)
    if named:
        lead = facet in named or (facets.index(facet) == 0 and facet not in MADE_AS)
    else:
        lead = facets.index(facet) < 2
    if not lead or (opposite in facets and opposite not in asked) or (
            not families and any(f in FOR_FAMILIES for f in facets)):
        return LATER_GENRE
    return FIRST_UNNAMED if named and facet not in named else 1.0


def wanted_share(item: Item, matched: Mapping[str, float], asked: Container[str], families: bool) -> float:
    """The weight of the kinds asked for that an item is (matched: from kinds_matched), each by its kind_share."""
    if not matched:  # most candidates of most turns: no summary to read
        return 0.0
    named = named_kinds(item)
    return sum(weight * kind_share(item.facets, facet, asked, families, named) for facet, weight in matched.items())


def named_kinds(item: Item) -> frozenset[str]:
    """The item's genres (lower-cased) that its description's opening names as what it is; empty if it names none."""
    return _named_in_head(item.description, tuple(g.lower() for g in item.genres))


@lru_cache(maxsize=None)  # read for every candidate of every genre request; descriptions do not change
def _named_in_head(description: str, genres: tuple[str, ...]) -> frozenset[str]:
    """The genres named in a description's head phrase ("a 2007 American teen comedy film"), by word stem."""
    found = HEAD_PHRASE.search(description[:400].lower())
    if not found:
        return frozenset()
    head = found.group(1)
    words = _WORD.findall(head)
    return frozenset(g for g in genres if _names(head, words, g))


def _names(head: str, words: list[str], genre: str) -> bool:
    """Whether a head phrase names a genre: several words as written ("science fiction"), a short one as a whole word
    ("war", no "warrior"), a longer one by its word family's opening (romantic, animated, biographical)."""
    if " " in genre:
        return genre in head
    if len(genre) < 5:
        return genre in words
    opening = genre[:max(5, len(genre) - 3)]
    return any(w.startswith(opening) for w in words)


def for_families(item: Item) -> bool:
    """Whether the item is made for families (a family, children's or animated genre or tag)."""
    return any(f in FOR_FAMILIES for f in item.facets)


def echoes_liked(item: Item, liked_echo: Mapping[str, set[str]], series_keys: Callable[[str], SeriesKeys],
                 by_id: Mapping[str, Item]) -> bool:
    """Whether the title echoes a liked item's title (liked_echo: its id -> echo_words) while the item is not of that
    item's series and shares none of its leads. Series are told by people and declared fields here, not by the
    vectors' similarity, which is what the echo inflates; a lead shared ("Knives Out" with "Get Out") is a likeness
    of its own."""
    return any(echoes(words, item.title) and not same_series(series_keys(item.id), series_keys(source))
               and not shares_lead(item, by_id[source]) for source, words in liked_echo.items() if source != item.id)


class Likeness:
    """The liked items' kinds and audience, to tell a pick of another kind or audience from theirs.

    "I liked The Notebook" (romance, drama) is no reason for Memento (thriller, mystery), however close their texts
    about memory; "I loved Inception" none for Inside Out. A pick kin to a liked item (its maker or a star of both)
    is like it whatever its genres (Memento after Inception: Christopher Nolan).
    """

    def __init__(self, liked: Sequence[Item], language_of: Callable[[Item], str] = lambda item: "",
                 common: frozenset[str] = frozenset()) -> None:
        """common: kinds on so many items that sharing one says little ("drama"): a liked item's kinds count
        without them, unless it has no other."""
        self.liked = list(liked)
        self.all_kinds = frozenset().union(*(genre_kinds(i) for i in self.liked))
        # Arrival (drama, science fiction, mystery) is no reason for La La Land, which shares only drama.
        own = [genre_kinds(i) - common or genre_kinds(i) for i in self.liked]
        self.kinds = frozenset().union(*own)
        # Titanic and The Notebook, both romances: a romance is what the two say, not Aliens (James Cameron's too).
        self.shared = frozenset.intersection(*own) if len(own) > 1 else frozenset()
        self.families = any(for_families(i) for i in self.liked)
        # Parasite and Oldboy: both Korean, and Korean films are what a film lover offers next; English says
        # nothing (most of a catalog is), nor do liked items of several languages or of none known.
        languages = {language_of(i) for i in self.liked}
        self.language = next(iter(languages)) if len(languages) == 1 and "" not in languages else ""
        self.language = "" if self.language == "en" else self.language
        self.spoken = bool(languages - {"", "en"})  # some liked film is not in English
        self.language_of = language_of

    def other_kind(self, item: Item) -> bool:
        """The item has kinds, none of them a liked item's, and is kin to none (see kin); when the liked items share
        kinds, none of those, and it is kin to not all of them. In the liked items' one language a common kind is
        enough: The Host (horror, drama) after Memories of Murder (crime, drama)."""
        kinds = genre_kinds(item)
        if kinds and self.shared and not kinds & self.shared:
            return not all(kin(item, liked) for liked in self.liked)
        theirs = self.all_kinds if self.language and self.language_of(item) == self.language else self.kinds
        return bool(kinds and theirs and not kinds & theirs and not any(kin(item, liked) for liked in self.liked))

    def other_audience(self, item: Item) -> bool:
        """The item is made for families while no liked item is."""
        return bool(self.liked) and not self.families and for_families(item)

    def other_language(self, item: Item) -> bool:
        """Every liked item is of one language other than English, and this item is not of it."""
        return bool(self.language) and self.language_of(item) != self.language

    def foreign(self, item: Item) -> bool:
        """The item is in a language other than English, and no liked item is."""
        return not self.spoken and self.language_of(item) not in ("", "en")

    def unlike(self, item: Item, kind: float, audience: float, language: float) -> float:
        """How unlike the liked items the item is: these weights for another kind, audience and language."""
        return (kind * self.other_kind(item) + audience * self.other_audience(item)
                + language * self.other_language(item))
