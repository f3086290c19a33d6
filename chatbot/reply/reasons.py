"""Reasons for each recommendation, built only from catalog fields, the interaction log and the person's own words.

Each candidate reason says where it came from (chatbot.types.Explanation.source) and how telling it is; the
answer-level choice (chatbot.reply.distinct) keeps at most three per item, most telling first, and makes the
items' reasons differ from each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from chatbot.reply.distinct import choose
from chatbot.reply.lead_in_facts import with_article
from chatbot.reply.quotes import (CLAUSE_BREAK, MAX_QUOTE_CHARS, MIN_QUOTE_CHARS, MIN_QUOTE_WORDS, best_quote,
                                  content_words, sentences)
from chatbot.types import Constraints, Explanation
from chatbot.understanding.lexicon import LANGUAGE_WORDS
from retrieval.catalog import PLOT_FIELDS, Catalog, Item
from retrieval.name_keys import name_key
from retrieval.rank import RankRequest, Scored
from retrieval.likeness import GENRE_ALIASES, LEAD_BILLING, Likeness, kin_depth

LONG_TAIL_BELOW = 0.35  # popularity percentile under which an item counts as "less known"
SIMILAR_ABOVE = 0.45  # cosine similarity above which "close to X" is worth saying
WELL_RATED = 7.0  # on a 0-10 scale, with at least WELL_RATED_VOTES votes
WELL_RATED_VOTES = 200
RATING_FIELDS = ("tmdb_vote_average", "vote_average", "rating", "stars", "average_rating")
VOTES_FIELDS = ("tmdb_vote_count", "vote_count", "votes", "num_ratings", "ratings_count", "reviews")
LANGUAGE_FIELDS = ("original_language", "language")  # an ISO 639-1 code, as TMDB gives it
RELATIVE_ERAS = {"older": "an older film as you asked", "newer": "a newer film as you asked"}
# "ko" -> "Korean": the first word the person could say for each code.
LANGUAGE_NAMES: dict[str, str] = {}
for _word, _codes in LANGUAGE_WORDS.items():
    for _code in _codes:
        LANGUAGE_NAMES.setdefault(_code, _word.title())
def _language_code(item: Item) -> str:
    """The item's language code, lower case, from the first language field it has ("" if none)."""
    return next((str(v).lower() for f in LANGUAGE_FIELDS if (v := item.extra.get(f))), "")


# Fields that are not about who made the item or who is in it: never "the same X as ..." reasons.
NOT_SHARED = frozenset({"source", "aliases", "alt_years", "original_language", "language", "price", "currency",
                        "level", "status", "type", "kind", "format", "country", *PLOT_FIELDS,
                        *RATING_FIELDS, *VOTES_FIELDS})
MAX_SCALAR_CHARS = 60
# How a shared value reads per field; the default names the field itself ("same publisher as X: Y").
SHARED_PHRASES = {
    "cast": "also with {names}, like {other}", "actors": "also with {names}, like {other}",
    "starring": "also with {names}, like {other}", "director": "also directed by {names}, like {other}",
    "directors": "also directed by {names}, like {other}", "writers": "also written by {names}, like {other}",
    "authors": "also written by {names}, like {other}", "author": "also written by {names}, like {other}",
    "instructors": "also taught by {names}, like {other}", "instructor": "also taught by {names}, like {other}",
    "teachers": "also taught by {names}, like {other}", "brand": "same brand as {other}: {names}",
    "creators": "also made by {names}, like {other}", "artists": "also by {names}, like {other}",
    "adapted_from": "also adapted from the work of {names}, like {other}",
}
PERSON_PHRASES = {
    "cast": "with {name}, whom you named", "actors": "with {name}, whom you named",
    "director": "directed by {name}, whom you named", "directors": "directed by {name}, whom you named",
    "instructors": "taught by {name}, whom you named", "authors": "written by {name}, whom you named",
    "brand": "by {name}, which you named", "adapted_from": "adapted from the work of {name}, whom you named",
}
GENERIC_FLOOR = 0.1  # candidates scoring at least this are specific: the generic reason is then left out
# What the item is about, quoted from its plot text: true of it alone, and what a person decides on; below every
# reason tied to what they asked for, so it comes second unless nothing else is true.
PREMISE_SCORE = 0.19
UNASKED_RATING_SCORE = 0.18  # a rating nobody asked for ("good", "best"): said after the premise, a good one first


@dataclass
class ReasonContext:
    """What the person said or clicked this conversation, as reasons may cite it."""

    words: str = ""  # the person's own words (this turn's text and the phrases/facets they said)
    avoided: str = ""  # ... and the phrases they said no to ("not Marvel"): no quote is chosen for those
    liked: list[str] = field(default_factory=list)  # items with positive weight: named warmly or liked by click
    people: list[str] = field(default_factory=list)  # people the person named
    context_ids: list[str] = field(default_factory=list)  # items already in the conversation, not disliked
    constraints: Constraints = field(default_factory=Constraints)
    together: Callable[[str, str], int] | None = None  # logged sessions holding both items
    log_counts: Any = None  # item id -> logged sessions holding it
    acclaimed: bool = False  # "good", "best", "underrated": how well regarded a pick is answers the ask


def context_for(request: RankRequest, log: Any = None) -> ReasonContext:
    """The reason context of a ranking request; `log` is the ranker's collaborative signal (a CoOccurrence)."""
    def values(kind: str, facets: dict[str, float]) -> list[str]:
        pairs = sorted(((f.partition(":")[2], w) for f, w in facets.items() if f.partition(":")[0] == kind),
                       key=lambda p: -p[1])
        return [v for v, _ in pairs]

    said = [*values("phrase", request.positives), *values("tag", request.positives),
            *values("genre", request.positives)]
    disliked = set(values("item", request.negatives))
    return ReasonContext(
        words=" ".join([request.turn_text, *said]),
        avoided=" ".join(values("phrase", {f: -w for f, w in request.negatives.items()})),
        liked=values("item", request.positives),
        people=values("person", request.positives),
        context_ids=sorted(i for i in request.exclude_ids if i not in disliked),
        constraints=request.constraints,
        together=getattr(log, "together", None),
        log_counts=getattr(log, "counts", None),
        acclaimed=request.acclaimed or request.hidden,
    )


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and number >= 0 else None  # NaN is not a number here


def rating_of(item: Item) -> float | None:
    """The item's mean rating as its catalog gives it (the first rating field it has), unshrunk."""
    found = _first(item, RATING_FIELDS)
    return found[1] if found else None


def _first(item: Item, names: tuple[str, ...]) -> tuple[str, float] | None:
    for name in names:
        number = _number(item.extra.get(name))
        if number is not None:
            return name, number
    return None


def _plain(field_name: str) -> str:
    return field_name.replace("_", " ").strip()


def shared_values(item: Item, other: Item) -> dict[str, list[str]]:
    """field -> values both items have, for fields naming people or makers (lists, or short text like brand)."""
    out: dict[str, list[str]] = {}
    for name, values in item.links().items():
        if name in NOT_SHARED:
            continue
        theirs = {v.lower() for v in other.links().get(name, ())}
        common = [v for v in values if v.lower() in theirs]
        if common:
            out[name] = common
    for name, value in item.extra.items():
        if (name in NOT_SHARED or name in out or not isinstance(value, str) or name.endswith(("url", "_id"))
                or not value.strip() or len(value) > MAX_SCALAR_CHARS or _number(value) is not None):
            continue
        theirs = other.extra.get(name)
        if isinstance(theirs, str) and theirs.strip().lower() == value.strip().lower():
            out[name] = [value.strip()]
    return out


SUPPORTING_SCORE = 0.3  # an actor who stars in neither film: said under what the films' shared kind or rating say
KIND_SCORE = 0.5  # "also a romance film, like Titanic and The Notebook": the kind every liked film shares
EXTRAS_SCORE = 0.1  # a shared reason naming no lead of either item ranks under a premise (0.19)


def _billing(item: Item, field_name: str, value: str) -> int:
    """Where the value stands in the item's list for that field (0 for a single value such as a brand)."""
    values = [v.lower() for v in item.links().get(field_name, ())]
    return values.index(value.lower()) if value.lower() in values else 0


def _kind_of(genre: str) -> str:
    return GENRE_ALIASES.get(genre.lower(), genre.lower())


def _kinds(item: Item) -> list[str]:
    return [_kind_of(g) for g in item.genres]


def _names(values: list[str]) -> str:
    return " and ".join(values[:2])


def _titles(items: list[Item]) -> str:
    """The first two items' titles, each with its year when both share a title: "Halloween (1978) and Halloween
    (2018)"."""
    shown = items[:2]
    twins = len({i.title for i in shown}) < len(shown)
    return _names([f"{i.title} ({i.year})" if twins and i.year else i.title for i in shown])


class ReasonBuilder:
    """All candidate reasons for one item, each with a score saying how telling it is."""

    def __init__(self, catalog: Catalog, context: ReasonContext) -> None:
        self.catalog = catalog
        self.context = context
        avoided = content_words(context.avoided)
        self.wanted = {stem: word for stem, word in content_words(context.words).items() if stem not in avoided}
        # The liked items' one language other than English, as ranking reads it (once per answer, not per item).
        self.liked = [item for i in context.liked[:5] if (item := catalog.get(i))]
        self.likeness = Likeness(self.liked, _language_code)
        # The kinds every liked film is, by where the liked films list them: romance before drama for Titanic and The
        # Notebook (once per answer; only with two liked films or more, see _kind).
        self.shared_kinds = {kind: sum(_kinds(o).index(kind) if kind in _kinds(o) else 9 for o in self.liked)
                             for kind in self.likeness.shared}

    def title(self, item_id: str) -> str:
        item = self.catalog.get(item_id)
        return item.title if item else item_id

    def candidates(self, scored: Scored) -> list[tuple[float, Explanation]]:
        """Every reason true of this item, scored: higher is more telling."""
        item = self.catalog.by_id[scored.item_id]
        found = [*self._people(item), *self._shared(item), *self._kind(item), *self._language(item), *self._plot(item),
                 *self._log(item), *self._standing(item, scored), *self._era(item), *self._similar(scored)]
        if not any(e.kind == "plot" for _, e in found):  # a quote of the person's words says it better
            found += self._premise(item)
        found += self._facet(item, scored)
        found += self._about(item)
        return found

    def _people(self, item: Item) -> list[tuple[float, Explanation]]:
        out = []
        for person in self.context.people:
            key = name_key(person)
            for name, values in item.links().items():
                match = next((v for v in values if name_key(v) == key), None)
                if match and name not in NOT_SHARED:
                    phrase = PERSON_PHRASES.get(name, _plain(name) + ": {name}, whom you named")
                    out.append((1.0, Explanation(phrase.format(name=match), name, "person", marked=[match])))
                    break
        return out[:2]

    def _shared(self, item: Item) -> list[tuple[float, Explanation]]:
        # One reason per field and people, naming every liked film they share: "also directed by Christopher
        # Nolan, like Inception and Memento", not the same sentence once per liked film.
        found: dict[tuple[str, tuple[str, ...]], tuple[float, list[str], list[Item]]] = {}
        for rank, liked_id in enumerate(self.context.liked[:5]):
            other = self.catalog.get(liked_id)
            if other is None or other.id == item.id:
                continue
            for name, values in shared_values(item, other).items():
                # Leads first: "also with John Ratzenberger", not the voices of a crowd scene both films share.
                billed = sorted(values, key=lambda v: max(_billing(item, name, v), _billing(other, name, v)))
                key = (name, billed[0].lower())  # one reason per lead: Daniel Craig, like Knives Out and Skyfall
                if key in found:
                    kept = [v for v in found[key][1] if v.lower() in {b.lower() for b in billed}]
                    found[key] = (found[key][0], kept, [*found[key][2], other])  # names they all share
                    continue
                score = 0.9 - 0.05 * rank + (0.0 if name in item.links() else -0.3)
                billing = max(_billing(item, name, billed[0]), _billing(other, name, billed[0]))
                if billing >= LEAD_BILLING:
                    score = EXTRAS_SCORE  # true, and only worth saying when nothing else is
                elif billing >= kin_depth(name):
                    score = min(score, SUPPORTING_SCORE)  # Kathy Bates, sixth in Titanic: not why Midnight in Paris
                found[key] = (score, billed[:2], [other])
        out = []
        for (name, _), (score, values, others) in found.items():
            phrase = SHARED_PHRASES.get(name, "same " + _plain(name) + " as {other}: {names}")
            text = phrase.format(names=_names(values), other=_titles(others))
            out.append((score, Explanation(text, name, "shared", marked=values, other_id=others[0].id,
                                           also_ids=[o.id for o in others[1:2]])))
        return out

    def _kind(self, item: Item) -> list[tuple[float, Explanation]]:
        """"also a romance film, like Titanic and The Notebook": a kind every liked film is, as the item spells it."""
        if len(self.liked) < 2 or item.id in {o.id for o in self.liked}:
            return []
        place = self.shared_kinds
        genre = min((g for g in item.genres if _kind_of(g) in place), key=lambda g: place[_kind_of(g)], default=None)
        if genre is None:
            return []
        others = [o for o in self.liked if genre.lower() in {g.lower() for g in o.genres}][:2]
        if not others:  # the liked films spell it another way ("Animated", "Animation"): no shared value to show
            return []
        text = f"also {with_article(genre.lower())} film, like {_titles(others)}"
        return [(KIND_SCORE, Explanation(text, "genres", "shared", marked=[genre], other_id=others[0].id,
                                         also_ids=[o.id for o in others[1:]]))]

    def _language(self, item: Item) -> list[tuple[float, Explanation]]:
        """"also in Korean, like Parasite and Oldboy": the one language other than English of every liked item."""
        liked = [other for other in self.liked if other.id != item.id]
        code = self.likeness.language
        if not liked or not code or self.likeness.other_language(item):
            return []
        field_name = next(f for f in LANGUAGE_FIELDS if item.extra.get(f))
        text = f"also in {LANGUAGE_NAMES.get(code, code)}, like {_titles(liked)}"
        return [(0.5, Explanation(text, field_name, "shared", marked=[str(item.extra[field_name])],
                                  other_id=liked[0].id, also_ids=[o.id for o in liked[1:2]]))]

    def _plot(self, item: Item) -> list[tuple[float, Explanation]]:
        if not self.wanted:
            return []
        plot_field = item.plot_field
        for name in ([plot_field] if plot_field else []) + ["description"]:
            text = " ".join(str(item.extra.get(name) if name != "description" else item.description).split())
            quote = best_quote(text, self.wanted, item.title, item.facets)
            if quote is None:
                continue
            score = 0.45 + 0.1 * min(len(quote.marked), 4)
            return [(score, Explanation(f"“{quote.text}{'…' if quote.cut else ''}”", name, "plot", quote=quote.text,
                                        marked=list(quote.marked)))]
        return []

    def _log(self, item: Item) -> list[tuple[float, Explanation]]:
        out = []
        if self.context.together:
            anchors = [*self.context.liked[:5], *self.context.context_ids[:20]]
            counts = [(self.context.together(item.id, a), a) for a in dict.fromkeys(anchors) if a != item.id]
            count, anchor = max(counts, default=(0, ""))
            if count:
                sessions = "1 logged session" if count == 1 else f"{count:,} logged sessions"
                out.append((0.55 + min(count, 30) / 100, Explanation(
                    f"picked together with {self.title(anchor)} in {sessions}", "log", "log", other_id=anchor,
                    count=count)))
        seen = self.context.log_counts.get(item.id, 0) if self.context.log_counts is not None else 0
        if seen >= 3:
            out.append((0.25, Explanation(f"picked in {seen:,} logged sessions", "log", "log", count=seen)))
        return out

    def _standing(self, item: Item, scored: Scored) -> list[tuple[float, Explanation]]:
        rating, votes = _first(item, RATING_FIELDS), _first(item, VOTES_FIELDS)
        less_known = scored.parts.get("long_tail", 0) > 0 and 0 < scored.popularity_pct < LONG_TAIL_BELOW
        rated = ""
        if rating:
            scale = "/10" if rating[0] in ("tmdb_vote_average", "vote_average") else ""
            rated = f"rated {rating[1]:.1f}{scale}"
        sources = ",".join(found[0] for found in (votes, rating) if found)
        if less_known and votes:
            text = f"less known: {votes[1]:,.0f} votes" + (f", {rated}" if rated else "")
            return [(0.45, Explanation(text, sources, "standing"))]
        if less_known and item.popularity is not None:
            share = round((1 - scored.popularity_pct) * 100)
            return [(0.4, Explanation(f"less known: {share}% of the catalog is more popular", "popularity",
                                      "standing"))]
        if rating and votes:
            good = rating[1] >= WELL_RATED and votes[1] >= WELL_RATED_VOTES and rating[0] in RATING_FIELDS[:2]
            text = (rated.replace("rated ", "well rated: ") if good else rated) + f" from {votes[1]:,.0f} votes"
            # Asked for "good", the rating is why; else it comes after what the film is about (PREMISE_SCORE)
            score = (0.42 if good else 0.2) if self.context.acclaimed else UNASKED_RATING_SCORE + 0.005 * good
            return [(score, Explanation(text, sources, "standing"))]
        return []

    def _era(self, item: Item) -> list[tuple[float, Explanation]]:
        wanted = self.context.constraints
        if item.year and (wanted.year_min or wanted.year_max):
            # "a classic western" asks for an older film, not for years: Spirit (2002) is not "in the years asked for"
            asked = RELATIVE_ERAS.get(wanted.relative_years, "in the years you asked for")
            return [(0.35, Explanation(f"from {item.year}, {asked}", "year", "era"))]
        return []

    def _similar(self, scored: Scored) -> list[tuple[float, Explanation]]:
        other = scored.similar_to
        if other and scored.similar_score >= SIMILAR_ABOVE and other in self.context.liked:
            return [(0.3 + scored.similar_score / 4, Explanation(
                f"close in content to {self.title(other)}", "embedding", "similar", other_id=other))]
        return []

    def _facet(self, item: Item, scored: Scored) -> list[tuple[float, Explanation]]:
        if not scored.matched_facets:
            return []
        facets = scored.matched_facets[:2]
        lowered = {g.lower() for g in item.genres}
        source = "genres" if all(f in lowered for f in facets) else "tags" if not lowered & set(facets) else \
            "genres,tags"
        return [(0.05, Explanation("matches your interest in " + " and ".join(facets), source, "facet",
                                   marked=facets))]

    def _premise(self, item: Item) -> list[tuple[float, Explanation]]:
        """The opening of the item's plot text, verbatim: "“All unemployed, Ki-taek's family takes peculiar interest
        in the wealthy and glamorous Parks…”". Not from a summary, which often opens on production facts."""
        plot = item.plot
        if plot is None:
            return []
        # The first sentence that says something ("Seoul, South Korea, 1997." only sets the scene).
        first = next((s.rstrip(".;!? ") for s in sentences(plot)
                      if len(s) >= MIN_QUOTE_CHARS and len(s.split()) >= MIN_QUOTE_WORDS), "")
        if not first:
            return []
        quote = first
        if len(first) > MAX_QUOTE_CHARS:  # cut at the last clause break that fits, else at a word
            breaks = [m.start() for m in CLAUSE_BREAK.finditer(first)
                      if MIN_QUOTE_CHARS <= m.start() <= MAX_QUOTE_CHARS]
            quote = first[:breaks[-1]] if breaks else first[:MAX_QUOTE_CHARS].rsplit(" ", 1)[0].rstrip(",;:–- ")
        text = f"“{quote}{'…' if quote != first else ''}”"
        return [(PREMISE_SCORE, Explanation(text, item.plot_field or "", "premise", quote=quote))]

    def _about(self, item: Item) -> list[tuple[float, Explanation]]:
        """What the item is (its genres and year): true of it, rarely of all five; used to tell items apart."""
        kinds = [g.lower() for g in item.genres[:3]] or [t.lower() for t in item.tags[:3]]
        if not kinds and not item.year:
            return []
        text = ", ".join(kinds) + (f" from {item.year}" if item.year else "")
        source = ",".join(n for n, v in (("genres" if item.genres else "tags", kinds), ("year", item.year)) if v)
        return [(0.02, Explanation(text.strip(), source, "about"))]


def explain_answer(scored: list[Scored], catalog: Catalog, context: ReasonContext | None = None,
                   max_reasons: int = 3) -> list[list[Explanation]]:
    """Reasons for every item of one answer: at most max_reasons each, most telling first, differing per item."""
    builder = ReasonBuilder(catalog, context or ReasonContext())
    found = []
    for s in scored:
        candidates = builder.candidates(s)
        if not candidates:
            relevance = s.parts.get("relevance", 0.0)
            text = "close to what you described" if relevance > 0 else "a popular choice to start with"
            candidates = [(0.0, Explanation(text, "ranking", "fallback"))]
        found.append(candidates)
    return choose(found, max_reasons, GENERIC_FLOOR)


def reasons_for(scored: Scored, catalog: Catalog, max_reasons: int = 3,
                context: ReasonContext | None = None) -> list[str]:
    """Short human reasons for one item alone, strongest first; never empty."""
    return [e.text for e in explain_answer([scored], catalog, context, max_reasons)[0]]



def explore_reason(item: Item, facet: str) -> Explanation:
    """Why an exploring pick is there: a genre (or tag) of its own that the conversation has not touched yet."""
    source = "genres" if facet in {g.lower() for g in item.genres} else "tags"
    value = next((v for v in (*item.genres, *item.tags) if v.lower() == facet), facet)
    return Explanation(f"something different to try: {value}, which we have not talked about yet; tell me if it "
                       f"is for you", source, "explore", marked=[value])
