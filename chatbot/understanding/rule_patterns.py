"""Token patterns for hard constraints and what a request weighs: years and decades, kids, older/newer, languages,
degrees ("too scary"); references to the list shown are in references.py."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace
from typing import Callable, Container, Literal

from chatbot.types import Constraints, facet_key
from chatbot.understanding.lexicon import (
    BOTH_KINDS, CHAT_ABBREVIATIONS, ENGLISH_WORDS, LANGUAGE_ALONE, LANGUAGE_WORDS, NEGATIVE_EVAL, NEGATORS,
    PLACE_LEADS, POSITIVE_EVAL, SEEN_CUES, STORY_KINDS, STUDIO_WORDS, THEME_WORDS)
from chatbot.understanding.moods import MILDER_KINDS
from chatbot.understanding.vocabulary import Token

YearKind = Literal["range", "before", "after"]
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
            "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "last": -1}
REF_NOUNS = frozenset("one ones movie film option pick suggestion item title choice recommendation book course "
                      "product show".split())
SUBJECTS = frozenset("i we you they he she ive id im weve".split())
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30}
DECADE_WORDS = {"twenties": 1920, "thirties": 1930, "forties": 1940, "fifties": 1950, "sixties": 1960,
                "seventies": 1970, "eighties": 1980, "nineties": 1990}
LAST_BLACK_AND_WHITE = 1965  # "a black and white film": by the late sixties nearly every feature was in colour
_LANGUAGE_LEADS = frozenset("something anything maybe perhaps preferably ideally or and only".split())  # "only French"
FOREIGN = LANGUAGE_WORDS["foreign"]
_LISTED = [[word] for word in LANGUAGE_WORDS if " " not in word]  # "Korean or Japanese films"
_WELCOMING = (["fine", "with"], ["ok", "with"], ["okay", "with"], ["open", "to"])  # "I'm fine with subtitles"
MEDIA_NOUNS = frozenset("movie movies film films flick flicks ones stuff releases release titles "
                        "moive moives moveis movis flims".split())  # and how they are mistyped
# "like" after these compares, it does not judge: a no before it holds ("avoid anything like X", "hate movies like X")
_COMPARED_THINGS = MEDIA_NOUNS | frozenset("anything something nothing everything things".split())
_COMPARING_CUES = frozenset({"something like", "similar to", "along the lines of", "such as", "more like"})


def compares(norms: list[str], k: int, cue: tuple[list[str], int, bool] | None) -> bool:
    """The like that starts at token k compares ("movies like X", "anything similar to X"), it judges nothing."""
    return (k > 0 and norms[k - 1] in _COMPARED_THINGS) or (cue is not None and " ".join(cue[0]) in _COMPARING_CUES)


_CONTRASTS = frozenset({"but", "though", "although", "however", "instead"})  # "the classics, but something new"
# "go to the theater", "anything in cinemas?": what is showing now, not a story set in a theatre
_SCREENS = frozenset("theater theaters theatre theatres cinema cinemas".split())
AGE_WORDS = frozenset("old older classic classics oldies vintage nostalgic new newer recent latest newest modern "
                      "recently contemporary release releases trending popular".split())  # never a story word to search
_AGE_OWNERS = (["her"], ["his"], ["my"], ["their"], ["our"], ["your"])  # "she was in her 90s": an age, no decade
_LAST_YEAR = datetime.date.today().year + 5  # announced films; read once, not per token
_DECADE_RE = re.compile(r"^(?:(1[89]|20)?(\d)0)s$")


@dataclass
class PatternSpan:
    """Tokens [start, end) that state a constraint or a reference: lo/hi for years, positions for references."""

    kind: Literal["year", "kids", "adults", "elders", "parents", "ref", "older", "newer", "language"]
    start: int
    end: int
    year_kind: YearKind = "range"
    lo: int | None = None
    hi: int | None = None
    positions: list[int] = field(default_factory=list)  # for refs: 1-based, -1 = last, 0 = all shown (a no)
    age: int | None = None  # for kids: the child's age said ("my 4 year old")
    demonstrative: bool = False  # "that one": only a rejection is clear enough to act on
    codes: tuple[str, ...] = ()  # for languages: ISO 639-1 codes
    all_but: bool = False  # ... that are kept out when the span is asked for ("in English")


EARLIER_KEEP = 0.3  # what a message keeps of a kind it turns away from, as RECBOT_SHIFT_KEEP does for earlier turns
_NOW_WORDS = frozenset("lately recently nowadays now currently tonight today".split())
_TURNS = frozenset("but though however".split())


def turn_in_message(norms: list[str]) -> int:
    """Where a message turns from a habit to what the person wants now ("I usually go for action, but lately
    documentaries", "I love horror but tonight something funny", "but these days"): the turn's index, or -1."""
    for k, word in enumerate(norms):
        after = norms[k + 1:k + 4]
        if word in _TURNS and (_NOW_WORDS & set(after) or " these days" in " " + " ".join(after)):
            return k
    return -1


def ages_a_film(norms: list[str], start: int, end: int, item_starts: set[int]) -> bool:
    """The age word at [start, end) says how old one named film is, and asks for nothing: "like the old movie, The
    Beast Within", "that new film Joker" (not "old movies like Casablanca")."""
    return (norms[start - 1:start] in (["the"], ["that"], ["this"]) and norms[end:end + 1] in (["movie"], ["film"])
            and bool({end + 1, end + 2} & item_starts))


def as_year(norm: str) -> int | None:
    """A plausible release year token ("1994"), else None."""
    if len(norm) == 4 and norm.isdecimal() and 1870 <= int(norm) <= _LAST_YEAR:
        return int(norm)
    return None


def _decade(norms: list[str], k: int) -> tuple[int, int, int] | None:
    """(first year, last year, tokens used) for "90s", "1990s", "the eighties", "early 2000s" at k."""
    modifier = norms[k] if norms[k] in ("early", "mid", "late") else None
    j = k + 1 if modifier else k
    if j >= len(norms):
        return None
    match = _DECADE_RE.match(norms[j])
    if match:
        century, digit = match.group(1), int(match.group(2))
        if century:
            start = int(century + str(digit) + "0")
        else:  # "00s"/"10s" mean this century; "20s".."90s" the last one in film talk
            start = 2000 + digit * 10 if digit <= 1 else 1900 + digit * 10
    elif norms[j] in DECADE_WORDS:
        start = DECADE_WORDS[norms[j]]
    else:
        return None
    lo, hi = {"early": (0, 4), "mid": (3, 7), "late": (5, 9), None: (0, 9)}[modifier]
    return start + lo, start + hi, j - k + 1


def _when(norms: list[str], k: int) -> tuple[int, int, int] | None:
    """A year or a decade at k (after an optional "the"): (lo, hi, tokens used)."""
    skip = 1 if k < len(norms) and norms[k] == "the" else 0
    if k + skip >= len(norms):
        return None
    year = as_year(norms[k + skip])
    if year:
        return year, year, 1 + skip
    decade = _decade(norms, k + skip)
    return (decade[0], decade[1], decade[2] + skip) if decade else None


def find_years(norms: list[str], gaps: list[str], taken: set[int], this_year: int | None = None) -> list[PatternSpan]:
    """Year constraints: ranges, decades, before/after/since, "last 10 years" (back from this_year, else today's)."""
    spans: list[PatternSpan] = []
    k = 0
    this_year = this_year or datetime.date.today().year
    while k < len(norms):
        if k in taken:
            k += 1
            continue
        word = norms[k]
        nxt = norms[k + 1] if k + 1 < len(norms) else ""
        span = None
        if word in ("between", "from") and (a := _when(norms, k + 1)):
            j = k + 1 + a[2]
            if j < len(norms) and norms[j] in ("and", "to", "until", "till", "through") and (b := _when(norms, j + 1)):
                span = PatternSpan("year", k, j + 1 + b[2], "range", a[0], b[1])
        if span is None and (a := _when(norms, k)) and k + a[2] < len(norms):
            j = k + a[2]
            dash = "-" in gaps[j] or "–" in gaps[j]
            if (dash or norms[j] == "to") and (b := _when(norms, j + (0 if dash else 1))):
                span = PatternSpan("year", k, j + (0 if dash else 1) + b[2], "range", a[0], b[1])
        if span is None and word in ("before", "pre", "until", "till", "prior", "earlier", "older", "up"):
            offset = 2 if nxt in ("to", "than") else 1
            if (a := _when(norms, k + offset)) and (word not in ("prior", "earlier", "older", "up") or offset == 2):
                inclusive = word in ("until", "till", "up")
                span = PatternSpan("year", k, k + offset + a[2], "before", None, a[1] if inclusive else a[0] - 1)
        if span is None and word in ("after", "post", "since", "later", "newer"):
            offset = 2 if nxt == "than" else 1
            if (a := _when(norms, k + offset)) and (word not in ("later", "newer") or offset == 2):
                span = PatternSpan("year", k, k + offset + a[2], "after", a[0] if word == "since" else a[1] + 1)
        if span is None and norms[k:k + 3] in (["black", "and", "white"], ["b", "and", "w"]):
            span = PatternSpan("year", k, k + 3, "before", None, LAST_BLACK_AND_WHITE)
        if span is None and word in ("last", "past") and k + 1 < len(norms):
            count = NUMBER_WORDS.get(nxt) or (int(nxt) if nxt.isdecimal() and len(nxt) <= 2 else None)
            if count and k + 2 < len(norms) and norms[k + 2] in ("years", "year"):
                span = PatternSpan("year", k, k + 3, "after", this_year - count)
            elif nxt in ("decade", "few"):
                years = 10 if nxt == "decade" else 3
                span = PatternSpan("year", k, k + 2 + (nxt == "few"), "after", this_year - years)
            elif nxt == "couple" and (norms[k + 2:k + 3] == ["years"] or norms[k + 2:k + 4] == ["of", "years"]):
                width = 3 + (norms[k + 2:k + 3] == ["of"])  # "the last couple of years" (read as nothing)
                span = PatternSpan("year", k, k + width, "after", this_year - 2)
        if span is None and word == "this" and nxt == "decade":  # "something from this decade" searched "decade"
            span = PatternSpan("year", k, k + 2, "range", this_year // 10 * 10, this_year // 10 * 10 + 9)
        if span is None and (a := _when(norms, k)):
            j = k + a[2]
            if j < len(norms) and norms[j] in ("on", "onwards", "onward"):
                span = PatternSpan("year", k, j + 1, "after", a[0])
            elif j + 1 < len(norms) and norms[j] in ("or", "and") and norms[j + 1] in ("later", "newer", "after"):
                span = PatternSpan("year", k, j + 2, "after", a[0])
            elif j + 1 < len(norms) and norms[j] in ("or", "and") and norms[j + 1] in ("earlier", "older", "before"):
                span = PatternSpan("year", k, j + 2, "before", None, a[1])
            elif (as_year(norms[k]) is None and not _an_age(norms, k)) or _has_year_context(norms, k, j):
                span = PatternSpan("year", k, j, "range", a[0], a[1])
        if span and not any(i in taken for i in range(span.start, span.end)):
            spans.append(span)
            k = span.end
        else:
            k += 1
    return spans


def _an_age(norms: list[str], k: int) -> bool:
    """"She was in her 90s", "a man in his early 30s": a decade after a possessive is an age."""
    before = norms[k - 2:k - 1] if norms[k - 1:k] in (["early"], ["mid"], ["late"]) else norms[k - 1:k]
    return before in _AGE_OWNERS


def _has_year_context(norms: list[str], k: int, j: int) -> bool:
    """A bare year counts only in "in/from/of 1994" or "1994 movies", not "I was born in 1990 but"."""
    before = norms[k - 1] if k > 0 else ""
    after = norms[j] if j < len(norms) else ""
    return before in ("in", "from", "of", "around", "circa") or after in MEDIA_NOUNS


def year_bounds(pattern: PatternSpan, sign: int) -> tuple[int | None, int | None]:
    """(min, max) from a year pattern; "nothing before 2000" turns a negated bound around."""
    if sign < 0:
        if pattern.year_kind == "before" and pattern.hi is not None:
            return pattern.hi + 1, None
        if pattern.year_kind == "after" and pattern.lo is not None:
            return None, pattern.lo - 1
        return None, None  # "not from the 80s": an excluded range has no place in Constraints
    return pattern.lo, pattern.hi


def apply_years(constraints: Constraints, years: list[tuple[int | None, int | None]]) -> None:
    """Set year_min/year_max to the union of the stated ranges."""
    lows = [lo for lo, _ in years if lo is not None]
    highs = [hi for _, hi in years if hi is not None]
    constraints.year_min = min(lows) if lows else None
    constraints.year_max = max(highs) if highs else None
    if constraints.year_min and constraints.year_max and constraints.year_min > constraints.year_max:
        constraints.year_min, constraints.year_max = constraints.year_max, constraints.year_min


def together_starts(spans: list[tuple[int, int]], norms: list[str], gaps: list[str]) -> set[int]:
    """Where the genre spans start that make one kind of film with another: side by side ("romantic comedies",
    "sci-fi horror") or one word naming both ("rom coms"). "action and comedy", "horror, comedy" name either."""
    spans = sorted(spans)
    joined = {start for a, b in zip(spans, spans[1:]) if a[1] == b[0] and gaps[b[0]].strip() in ("", "-")
              for start in (a[0], b[0])}
    return joined | {a for a, b in spans if " ".join(norms[a:b]) in BOTH_KINDS}


def as_degree(norms: list[str], start: int, kind: str, value: float) -> float:
    """A free phrase after "too" is a complaint of a degree: "not the third, too violent" liked violence (a
    vocabulary term's "too" is read in the walk, rules._scan); a term that is itself a degree ("too sad", "less
    dark": a lighter mood) asks for the same however negated ("nothing too sad please" said no to comedy)."""
    if kind == "term" and norms[start] in ("too", "less"):
        return abs(value)
    return -abs(value) if kind == "phrase" and norms[max(0, start - 1):start] == ["too"] else value


def apply_degrees(strengths: dict[str, float], degrees: list[tuple[str, float]]) -> None:
    """A kind said to be too much ("too scary") weighs against it unless it is asked for too ("a horror movie that's
    not too scary" still asks for horror), and, with no kind asked for, leans to its milder neighbour (MILDER_KINDS)."""
    asked = any(v > 0 for f, v in strengths.items() if f.startswith("genre:"))
    for facet, value in degrees:
        if strengths.get(facet, 0.0) <= 0:
            strengths[facet] = strengths.get(facet, 0.0) + value
            strengths.update({m: v for m, v in MILDER_KINDS.get(facet, {}).items() if not asked and m not in strengths})


def kind_facets(words: str, facets: tuple[str, ...], value: float) -> tuple[str, ...]:
    """What a kind said no to weighs on: for one named by its stories' world or its studio, that story, not every
    film of its genre ("I love superhero movies but not Marvel" keeps DC's; "no space movies" kept all science
    fiction out; "anything not by Ghibli?" kept all animation out)."""
    studio = words.removeprefix("studio ") in STUDIO_WORDS
    return (facet_key("phrase", words),) if value < 0 and (words in STORY_KINDS or studio) else facets


def find_age_words(norms: list[str], taken: set[int], is_kind: Callable[[str], bool] = lambda word: False
                   ) -> list[PatternSpan]:
    """"older films", "old westerns", "classics", "something recent", "new releases": relative to what was shown
    (is_kind: whether a word names a kind of film, as "westerns" does)."""
    spans = []
    for k, word in enumerate(norms):
        if k in taken:
            continue
        nxt = norms[k + 1] if k + 1 < len(norms) else ""
        # "these are too old", "not so old" (not "I am too old for"): a degree
        too = (norms[k - 1:k] == ["too"] or norms[max(0, k - 2):k] == ["not", "so"]) and nxt != "for"
        refused = nxt == "one" and norms[max(0, k - 2):k] in (["not", "an"], ["not", "a"])  # "but not an old one"
        if word in ("older", "classic", "classics", "oldies", "vintage", "nostalgic") or (  # "feeling nostalgic"
                word == "old" and (too or refused or nxt in MEDIA_NOUNS - {"ones"} or is_kind(nxt))):
            spans.append(PatternSpan("older", k, k + 1))
        elif word in ("golden", "old") and nxt == ("age" if word == "golden" else "school"):  # "old school action"
            spans.append(PatternSpan("older", k, k + 2))
        elif word in ("newer", "recent", "latest", "newest", "modern", "contemporary", "trending") or (
                word == "new" and (too or nxt in MEDIA_NOUNS - {"ones"} or is_kind(nxt))  # not "some new ones"
                or word == "popular" and nxt in ("now", "right", "today", "lately")):  # "what's popular right now"
            spans.append(PatternSpan("newer", k, k + 1))
        elif word == "new" and _turned_from_older(norms, spans, k):  # the classics were what it turns from
            spans = [span for span in spans if span.kind != "older"] + [PatternSpan("newer", k, k + 1)]
        elif (word in _SCREENS and norms[k - 1:k] in (["in"], ["the"]) and not SEEN_CUES & set(norms[:k])
              or word == "whats" and nxt in ("new", "out")):  # not "I saw it in theaters"
            spans.append(PatternSpan("newer", k - (word != "whats"), k + 1 + (word == "whats")))  # "in theaters"
    return spans


def _turned_from_older(norms: list[str], spans: list[PatternSpan], k: int) -> bool:
    """"New" at token k turns from an age said before it: "I like the classics, but I want something new" (alone,
    "something new" is something unseen)."""
    older = [span.end for span in spans if span.kind == "older"]
    return bool(older) and bool(_CONTRASTS & set(norms[older[-1]:k]))


def find_languages(norms: list[str], titles: dict[int, int], term_starts: set[int]) -> list[PatternSpan]:
    """"Korean thrillers", "French films", "something in Spanish", "anime": the languages items must be in. A
    language word counts before a film word or a genre (term_starts), after "in" or a no ("not Korean this time"),
    or alone for "anime"; not inside
    a longer title (titles: start -> end; "The Italian Job"), but "Italian movies" is no "The Italian"."""
    in_titles = {k for start, end in titles.items() for k in range(start, end)}
    spans = []
    k = 0
    while k < len(norms):
        width = 2 if " ".join(norms[k:k + 2]) in LANGUAGE_WORDS else 1
        word = " ".join(norms[k:k + width])
        english = word in ENGLISH_WORDS
        codes = FOREIGN if english else LANGUAGE_WORDS.get(word)
        after = k + width + (norms[k + width:k + width + 1] == ["language"])  # "a Spanish-language thriller"
        last = after >= len(norms) or norms[after] in ("please", "only")  # "something French", "English only"
        welcome = _welcome(norms, k, after)  # a span with no languages: the words are no story to search either
        if codes and (k not in in_titles or titles.get(k) == after) and (
                word in LANGUAGE_ALONE or after in term_starts or (k > 0 and norms[k - 1] in ("in", "not", "no"))
                or (after < len(norms) and norms[after] in MEDIA_NOUNS | {"cinema"})
                or (last and (k == 0 or norms[k - 1] in _LANGUAGE_LEADS))
                or norms[after:after + 1] in (["or"], ["and"]) and norms[after + 1:after + 2] in _LISTED):
            spans.append(PatternSpan("language", k, after, codes=() if welcome else codes, all_but=english > welcome))
        k += width
    # "a foreign film with subtitles, maybe French": the one language named says which foreign one
    named = [c for s in spans if s.codes != FOREIGN
             and not set(norms[max(0, s.start - 2):s.start]) & NEGATORS for c in s.codes]
    return [replace(s, codes=tuple(named), all_but=False) if named and s.codes == FOREIGN else s for s in spans]


def _welcome(norms: list[str], start: int, end: int) -> bool:
    """The language at [start, end) is welcome beside the rest, neither all that is asked for nor kept out: "I don't
    mind foreign films", "Korean movies too", "fine with subtitles", "it doesn't matter if it's foreign"."""
    before = norms[max(0, start - 5):start]
    return ("mind" in before[-3:] and "wouldnt" not in before or "also" in before[-3:]
            or bool({"matter", "care"} & set(norms[max(0, start - 9):start])) or before[-2:] in _WELCOMING
            or bool({"too", "also", "either"} & set(norms[end:end + 3])))


def short_topic(token: Token) -> bool:
    """A word too short to search with alone that still names a thing: "dog", "cat", or in capitals "AI", "DC"
    (not the capitals of chat: "LOL", "TV")."""
    text = token.text
    return token.norm in THEME_WORDS or (2 <= len(text) <= 4 and text.isalpha() and text.isupper()
                                         and token.norm not in CHAT_ABBREVIATIONS)


def inside_a_name(tokens: list[Token], k: int) -> bool:
    """Token k is a word of a capitalized name, not what it says alone: "New" or "Will" opening one ("New York", "New
    Orleans": a place, though "new" alone asks for recent films; "Will Ferrill" is a misspelled Will Ferrell), or a
    judging word written with a capital right after a capitalized word ("I loved Breaking Bad" is no dislike of
    "breaking")."""
    text = tokens[k].text
    if text in ("New", "Will"):
        return k + 1 < len(tokens) and tokens[k + 1].text[:1].isupper()
    return (tokens[k].norm in POSITIVE_EVAL | NEGATIVE_EVAL and text[:1].isupper() and k > 0
            and tokens[k - 1].text[:1].isupper() and tokens[k - 1].end + 1 == tokens[k].start)


_PRAISE = POSITIVE_EVAL | {"really", "very", "truly", "memorable", "iconic", "unforgettable"}


def near_media_noun(norms: list[str], run: list[int], kinds: Container[int] = ()) -> bool:
    """Words at positions run sit by a media noun ("heist movie", "movies about dinosaurs", "a film with ...") or a
    kind of film (kinds: where the words naming one end; "comedies about dogs"), or name where a film is set ("a
    romance set in Paris", "set in the Alps")."""
    after = norms[run[-1] + 1] if run[-1] + 1 < len(norms) else ""
    start = run[0] - (1 if run[0] and norms[run[0] - 1] in ("the", "a") else 0)
    if start >= 2 and norms[start - 1] == "in" and norms[start - 2] in PLACE_LEADS:
        return True
    first = run[0]
    while first and norms[first - 1] in _PRAISE:  # "a movie with a great villain": "great" is no distance
        first -= 1
    before = range(max(0, first - 3), first)
    return after in MEDIA_NOUNS or any(norms[k] in MEDIA_NOUNS or k + 1 in kinds for k in before)
