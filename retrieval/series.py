"""Which items belong to one series or franchise, read from the data: title stems and numbering, shared people,
the catalog's own series fields and what the items' texts say ("the sequel to Batman Begins"). Works for any
catalog; no list of franchises."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Sequence

import numpy as np

from retrieval.catalog import Item

if TYPE_CHECKING:
    from retrieval.vectors import ItemVectors

# Fields a catalog may use to say outright which series an item belongs to.
SERIES_FIELDS = ("series", "collection", "franchise", "belongs_to_collection", "saga")
# Items whose titles open alike are one series when their vectors are this close (MiniLM cosine on the sample:
# Alien / Alien vs. Predator 0.55, Frozen / Frozen II 0.53; Up / Up in the Air 0.50, Star Wars / Star Trek 0.33).
SIMILAR = 0.52
# Titles that share only their first word are one series when their vectors are this close (MiniLM cosine on the
# sample: Jurassic Park III / Jurassic World: Fallen Kingdom 0.70, Finding Nemo / Finding Dory 0.69; Gone Baby
# Gone / Gone Girl 0.76 is the one pair of another kind above 0.70, Monsters, Inc. / Monsters vs. Aliens 0.67).
SIMILAR_FIRST_WORD = 0.70
MIN_NAMED = 3  # items that must name a series no item is titled after for it to tie them ("the James Bond series")
_SUBTITLE = re.compile(r"\s*(:|\s-\s|\s–\s|\().*$")
_AFTER_COLON = re.compile(r"^[^:]+:\s*")
_NUMBERING = re.compile(r"(\s+(part|chapter|episode|vol\.?|volume|book))?\s+(\d{1,2}|[ivx]{1,4}|one|two|three|four)$")
_LEADING = re.compile(r"^(the|a|an)\s+")
_WORD = re.compile(r"[a-z0-9]+")


def _words(title: str) -> tuple[str, ...]:
    return tuple(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in _WORD.findall(title))


def title_stem(title: str) -> tuple[str, ...]:
    """Title words without subtitle, numbering, a leading article or plural endings: "Aliens" and "Alien 3" ->
    ("alien",); "The Godfather Part II" -> ("godfather",)."""
    text = _SUBTITLE.sub("", title.lower().strip())
    text = _NUMBERING.sub("", text)
    return _words(_LEADING.sub("", text)) or _words(title.lower())


def is_instalment(title: str) -> bool:
    """True for titles that mark a part of something: numbered ("Alien 3", "Rocky II") or subtitled ("Alien:
    Covenant", "Mission: Impossible - Fallout")."""
    lowered = title.lower().strip()
    return bool(_SUBTITLE.search(lowered) or _NUMBERING.search(lowered))


def subtitle_stem(title: str) -> tuple[str, ...]:
    """The stem of what follows a title's colon when that is a name of two words or more, the series a title puts
    second ("The Lost World: Jurassic Park" -> ("jurassic", "park")); else ()."""
    after = _AFTER_COLON.sub("", title, count=1) if ":" in title else ""
    stem = title_stem(after) if after else ()
    return stem if len(stem) >= 2 else ()


class SeriesKeys:
    """Per item: its title stems (the title's own and the one after a colon), whether its title marks an instalment,
    its people, and any declared series."""

    def __init__(self, item: Item, linked: str | None = None) -> None:
        """linked: the key linked_series gives the item, if its text ties it to others."""
        self.stem = title_stem(item.title)
        self.stems = tuple(dict.fromkeys(s for s in (self.stem, subtitle_stem(item.title)) if s))
        self.instalment = is_instalment(item.title)
        self.numbered = bool(_NUMBERING.search(_SUBTITLE.sub("", item.title.lower().strip())))
        self.year = item.year
        self.people = {f"{k}:{v.lower()}" for k, values in item.links().items() if k not in SERIES_FIELDS
                       for v in values}
        self.declared = {str(item.extra[f]).lower() for f in SERIES_FIELDS
                         if isinstance(item.extra.get(f), (str, int)) and str(item.extra[f]).strip()}
        self.declared |= {linked} if linked else set()

    @property
    def leads(self) -> set[str]:
        """What an item of the same series must share one of: a stem's first word, or a declared series."""
        return {stem[0] for stem in self.stems} | self.declared


def _common_lead(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def same_series(a: SeriesKeys, b: SeriesKeys, similarity: float = 0.0) -> bool:
    """Whether two items are of one series: declared so; or their title stems open with the same word and they share
    a person ("Alien", "Alien Resurrection"; "The Matrix Reloaded", "The Matrix Revolutions"); or one stem opens the
    other, or two words, and they read alike ("Alien vs. Predator"; "Harry Potter and the ..."); or the stems
    are equal and one title marks an instalment ("Alien", "Alien: Covenant"); or they share only the first word and
    read very much alike ("Jurassic Park III", "Jurassic World"). A stem after a colon counts too ("The Lost World:
    Jurassic Park"). similarity is the cosine of the two items' vectors: "Up" and "Up in the Air" share no one and
    read apart (0.50), so they stay apart."""
    if a.declared & b.declared:
        return True
    return any(_stems_join(x, y, a, b, similarity) for x in a.stems for y in b.stems)


def _stems_join(x: tuple[str, ...], y: tuple[str, ...], a: SeriesKeys, b: SeriesKeys, similarity: float) -> bool:
    """same_series for one stem of each item."""
    lead = _common_lead(x, y)
    if lead == 0:
        return False
    if a.people & b.people:  # titles that open alike and share a person: "The Matrix Reloaded", "... Revolutions"
        return True
    if x == y and (_sequel_first(a, b) or _sequel_first(b, a)):  # "Arrival II" (1998) follows no "Arrival" (2016)
        return False
    whole = lead == min(len(x), len(y))  # one stem opens the other
    if ((whole or lead >= 2) and similarity >= SIMILAR) or similarity >= SIMILAR_FIRST_WORD:
        return True
    # Only for the titles' own stems: "Captain America: Civil War" marks an instalment of Captain America, not of
    # "Civil War".
    return x == y == a.stem == b.stem and (a.instalment or b.instalment)


def _sequel_first(numbered: SeriesKeys, plain: SeriesKeys) -> bool:
    """Whether a numbered title came out before the plain title of its stem, so is no sequel of it."""
    return (numbered.numbered and not plain.numbered and numbered.year is not None and plain.year is not None
            and numbered.year < plain.year)


def outside_series_of(item_ids: Sequence[str], others: Sequence[str], vectors: ItemVectors) -> list[str]:
    """The items (indexed ones, in order) of none of the others' series ("no more sequels" after Jurassic Park).
    An item left out leaves out its own series too: a Harry Potter film without cast reads too far from the fifth
    to join it directly, but the third shares its cast with the fifth."""
    kept, frontier = list(item_ids), [o for o in others if vectors.has(o)]
    while frontier and kept:
        keys = [vectors.series_keys(o) for o in frontier]
        sims = vectors.matrix[[vectors.row[i] for i in kept]] @ vectors.matrix[[vectors.row[o] for o in frontier]].T
        joined = {i for i, row in zip(kept, np.asarray(sims)) if any(
            o != i and same_series(vectors.series_keys(i), k, float(s)) for o, k, s in zip(frontier, keys, row))}
        kept, frontier = [i for i in kept if i not in joined], [i for i in kept if i in joined]
    return kept


# What a summary says of the series it belongs to: "the sequel to Batman Begins (2005)", "A sequel to 1993's Jurassic
# Park", "a sequel to the 1982 film Blade Runner"; "the second installment in the Jurassic Park franchise", "the
# Rocky film series", "Nolan's The Dark Knight trilogy", "reboots the Batman film series", "the twenty-second in the
# James Bond series". Remakes tell the same story again and are left out.
_SEQUEL_OF = re.compile(r"\b(?:sequel|prequel|follow-up)\s+(?:to|of)\s+(?:the\s+)?"
                        r"(?:(?P<year>\d{4})(?:'s|\s+(?:American\s+)?(?:film|movie))?\s+)?(?=[A-Z0-9])")
_ORDINAL = (r"(?:(?:twenty|thirty|forty)-)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
            r"eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|"
            r"twentieth|\d+(?:st|nd|rd|th))")
_NAMED_SERIES = re.compile(
    r"\b(?:install?ments?|films?|entry|chapters?|part|reboots?|spin-offs?|" + _ORDINAL + r")(?:\s+overall)?\s+"
    r"(?:(?:in|of|to)\s+)?"
    r"(?:the\s+)?(?:(?:original|rebooted|main|new)\s+)?(?:[A-Z][\w.-]*'s\s+)?"
    r"(?P<name>(?:[A-Z0-9][\w'&.:-]*\s+){0,4}?[A-Z0-9][\w'&.:-]*)\s+(?:(?:film|movie)\s+)?(?i:franchise|series"
    r"|trilogy|saga)\b")
_NETWORK = re.compile(r"[A-Z]{2,4}")  # a name in capitals is a channel's ("TV", "BBC", "HBO"), not a series'
_TIE_WORDS = ("sequel", "prequel", "follow-up", "franchise", "series", "trilogy", "saga")
_TITLE_END = re.compile(r"(?![\w'’]|\s+[A-Z0-9])")  # a name that goes on is another title ("The Phantom Menace")
_YEAR_AFTER = re.compile(r"\s*\((\d{4})")  # "Batman Begins (2005)"


def _title_at(text: str, at: int, by_start: dict[str, list[str]]) -> str | None:
    """The longest catalog title (lower-cased) that the text opens with at `at`, ending on a word boundary."""
    head = text[at:at + 120].lower()
    first = _WORD.match(head)
    for title in by_start.get(first.group(0), ()) if first else ():
        if head.startswith(title) and _TITLE_END.match(text, at + len(title)):
            return title
    return None


def _sequel_of(item: Item, films: list[Item], year: int | None) -> Item:
    """Which of the films of one title an item's text calls it the sequel of: the one of the year it gives, else the
    latest before the item, else the best known."""
    dated = [f for f in films if year is not None and f.year == year]
    earlier = [f for f in films if f.year and item.year and f.year <= item.year]
    if dated:
        return dated[0]
    return max(earlier, key=lambda f: f.year or 0) if earlier else max(films, key=lambda f: f.popularity or 0.0)


def linked_series(items: Sequence[Item]) -> dict[str, str]:
    """Item id -> a series key, for the items whose text ties them to others: a film it is the sequel or prequel of
    (by title, and year where given), or a named series that is some item's title. Items tied together, directly or
    through others, share one key; an item tied to none has no entry."""
    by_title: dict[str, list[Item]] = {}
    for item in items:
        by_title.setdefault(item.title.lower().strip(), []).append(item)
    by_start: dict[str, list[str]] = {}
    for title in sorted(by_title, key=len, reverse=True):
        if (first := _WORD.match(title)) is not None:
            by_start.setdefault(first.group(0), []).append(title)
    parent: dict[str, str] = {}
    untitled: dict[str, set[str]] = {}  # a series name that is no item's title -> the items that name it

    def root(key: str) -> str:
        while parent.get(key, key) != key:
            parent[key] = parent.get(parent[key], parent[key])
            key = parent[key]
        return key

    def join(a: str, b: str) -> None:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        parent[root(a)] = root(b)

    for item in items:
        text = f"{item.description} {item.plot or ''}"
        lowered = text.lower()
        if not any(word in lowered for word in _TIE_WORDS):  # most texts tie to nothing: a plain scan first
            continue
        for found in _SEQUEL_OF.finditer(text):
            title = _title_at(text, found.end(), by_start)
            others = [o for o in by_title.get(title, ()) if o.id != item.id] if title else []
            if others:
                dated = _YEAR_AFTER.match(text, found.end() + len(title or ""))
                year = found.group("year") or (dated.group(1) if dated else None)
                join(f"item:{item.id}", f"item:{_sequel_of(item, others, int(year) if year else None).id}")
        for found in _NAMED_SERIES.finditer(text):
            if _NETWORK.fullmatch(found.group("name")):  # "a spin-off of the TV series", "the HBO series"
                continue
            name = _LEADING.sub("", found.group("name").lower())
            titled = by_title.get(name) or by_title.get(f"the {name}")
            if titled:  # the series holds the best-known item of its name ("the Batman film series": Batman, 1989)
                join(f"item:{item.id}", f"name:{name}")
                join(f"name:{name}", f"item:{max(titled, key=lambda o: o.popularity or 0.0).id}")
            else:
                untitled.setdefault(name, set()).add(item.id)
    for name, ids in untitled.items():  # a name no item has ("James Bond") is a series when three items or more say
        if len(ids) >= MIN_NAMED:  # so: two may share a phrase that is no series ("the 1980s series")
            for item_id in ids:
                join(f"item:{item_id}", f"name:{name}")
    keys = {key: root(key) for key in parent}
    return {key[5:]: f"linked:{value}" for key, value in keys.items() if key.startswith("item:")}
