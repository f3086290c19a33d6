"""Data that crosses module boundaries: signals, constraints, recommendations, turn results."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Literal

# Why something entered the profile; each kind has its own half-life (Settings.half_life_*).
EventKind = Literal["said", "liked", "disliked", "viewed"]

# Facet keys are "<kind>:<value>", value lower-cased except item ids:
#   "genre:horror", "tag:heist", "person:tom hanks", "item:wp:Alien_(film)", "phrase:space western"
FACET_KINDS = ("genre", "tag", "person", "item", "phrase")


def facet_key(kind: str, value: str) -> str:
    """Canonical facet key; item ids keep their case, everything else is lower-cased and trimmed."""
    if kind not in FACET_KINDS:
        raise ValueError(f"unknown facet kind {kind!r}; use one of {FACET_KINDS}")
    value = value.strip() if kind == "item" else " ".join(value.lower().split())
    return f"{kind}:{value}"


@dataclass(frozen=True)
class Signal:
    """One thing learned from a turn or a click: a facet with a signed strength (negative = aversion)."""

    facet: str  # a facet_key(...)
    strength: float  # e.g. +1.0 "I love horror", -1.0 "no horror", +2.0 an item the user says they loved
    event: EventKind = "said"


@dataclass
class Constraints:
    """Hard filters for this request (not decayed: they hold until the user changes them)."""

    year_min: int | None = None
    year_max: int | None = None
    include_genres: list[str] = field(default_factory=list)  # lower-case, catalog vocabulary
    exclude_genres: list[str] = field(default_factory=list)
    kids: bool = False  # "something for kids": family/animation, no horror/erotic
    languages: list[str] = field(default_factory=list)  # "Korean thrillers": ISO 639-1 codes, any of them
    exclude_languages: list[str] = field(default_factory=list)
    relative_years: str = ""  # "older" / "newer": the years were not said but read from "older films", "a classic"
    together: bool = False  # the genres were asked as one kind ("romantic comedies"): each pick has all of them

    def is_empty(self) -> bool:
        """True when nothing is constrained."""
        return not (self.year_min or self.year_max or self.include_genres or self.exclude_genres or self.kids
                    or self.languages or self.exclude_languages)


@dataclass
class TurnSignals:
    """Everything extracted from one user message."""

    signals: list[Signal] = field(default_factory=list)
    constraints: Constraints = field(default_factory=Constraints)
    seen_item_ids: list[str] = field(default_factory=list)  # "I've seen X": don't offer X again
    mentioned_item_ids: list[str] = field(default_factory=list)  # any catalog item named in the text
    # Judged as someone who has seen it ("I loved X", "X was boring"): the session marks it seen too.
    judged_item_ids: list[str] = field(default_factory=list)
    # References to items shown in earlier turns, by 1-based position in the last list ("the second one").
    more_like_shown: list[int] = field(default_factory=list)
    reject_shown: list[int] = field(default_factory=list)
    wants_older: bool = False  # "older films" relative to what was shown
    wants_newer: bool = False
    is_vague: bool = False  # nothing usable: ask a clarifying question
    shift: bool = False  # a change of direction ("actually", "forget", "these days"): earlier interests fade
    starts_over: bool = False  # "let's start over": earlier interests are dropped (aversions stay)
    wants_acclaimed: bool = False  # "good", "best", "classic", "acclaimed": how well regarded counts more
    wants_hidden: bool = False  # "underrated", "hidden gems": well regarded and less known
    wants_series: bool = False  # "all the Alien films", "the next one": a series may fill the answer
    avoids_series: bool = False  # "no more sequels": nothing of the series of the films talked about
    seen_series: bool = False  # "I've seen all the Avengers movies": the series of the films named has been seen
    asked_count: int = 0  # "give me 3 movies like Fight Club": how many picks (0: as many as the settings say)
    seen_all_by: list[str] = field(default_factory=list)  # "I like Nolan but I've seen them all": person facets
    asks_best_of_shown: bool = False  # "which one is the best?": a question about the last list, no new ask
    asks_age_of_shown: int = 0  # "which of these is the newest?": 1 (oldest -1, longest 2); asks_best_of_shown too
    asks_about_shown: int = 0  # "what's it about?": the 1-based position in the last list asked about (-1: last)
    asks_why_shown: int = 0  # "why did you recommend the first one?": the same for a pick asked why it is one
    asks_why_all: bool = False  # "why?", "why these?": what the last list was picked for
    asks_about_item: str = ""  # "who stars in Inception?": the film named, asked about (asks_about_shown is 1)
    says_goodbye: bool = False  # "thanks, bye!", "that's all I needed": ended, unless it also asks for something
    unknown_names: list[str] = field(default_factory=list)  # "I loved Breaking Bad": named, not in the catalog
    taken_back: list[str] = field(default_factory=list)  # "forget that I said I love Titanic": facets to drop
    running_time: str = ""  # "under 90 minutes": a length asked for, which no catalog field can check
    source: Literal["llm", "rules", "llm+rules"] = "rules"
    found_by: dict[str, str] = field(default_factory=dict)  # facet -> "model" / "rules+model"; absent: "rules"

    def all_seen(self) -> list[str]:
        """Items to mark seen: said so, or judged."""
        return list(dict.fromkeys(self.seen_item_ids + self.judged_item_ids))


@dataclass
class Explanation:
    """One reason with where it came from, so a reader (or a test) can check it against its source.

    source: a catalog field name ("plot_overview", "cast", "tmdb_vote_count"), "log" (interaction log, with the
    count in `count`) or "your words". quote: the field's text quoted verbatim; marked: the person's words in it.
    """

    text: str
    source: str
    kind: str  # "plot", "premise", "shared", "person", "log", "standing", "era", "similar", "facet", "about",
    # "explore"
    quote: str | None = None
    marked: list[str] = field(default_factory=list)
    other_id: str | None = None  # the item a "shared"/"log"/"similar" reason names
    also_ids: list[str] = field(default_factory=list)  # more items a "shared" reason names: "like X and Y"
    count: int | None = None  # the log count behind a "log" reason


@dataclass
class Recommendation:
    """An item chosen by ranking, with its score and the reasons shown to the user."""

    item_id: str
    title: str
    year: int | None
    description: str
    image_url: str | None
    url: str | None
    score: float
    reasons: list[str]
    long_tail: bool = False
    explanations: list[Explanation] = field(default_factory=list)  # the reasons with their sources, same order
    explore: bool = False  # chosen to learn from: a direction the conversation has not tried yet


@dataclass
class ProfileFacet:
    """A facet as shown to the user: current decayed weight, sign = polarity."""

    facet: str
    label: str  # human text, e.g. "genre: horror" or the item title
    weight: float
    updated_at: float
    turn: int | None = None  # the user turn (1-based) that last set it
    found_by: str | None = None  # "rules", "model", "rules+model" (both read it) or "feedback" (a click)


@dataclass
class TurnResult:
    """What a turn returns to every surface: reply chunks (stream once), items, and the updated profile."""

    session_id: str
    stream: Iterator[str]
    items: list[Recommendation]
    profile: list[ProfileFacet]
    clarifying: bool = False
