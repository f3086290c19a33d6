"""Find catalog items named in free text: exact and typo-tolerant title matching with guards against common words."""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Sequence

from rapidfuzz import fuzz, process

from chatbot.understanding.film_verdicts import NOT_FOR_ME
from chatbot.understanding.lexicon import CAPITALIZED_ANYWAY, CREATURES, SAID_OF_A_TITLE, STOPWORDS
from chatbot.understanding.title_context import (ARTICLES, MEDIA_NOUNS, QUOTES, TOLD_BY, inside_name, joined_capital,
                                                  name_before, name_goes_on, place_or_topic, stands_alone)
from chatbot.understanding.title_nicknames import NOT_AFTER, best_known_floor, title_nicknames
from chatbot.understanding.title_series import (ROMAN_NUMERALS, counted_before, numbered_heads, numbered_spellings,
                                                 respelled_numbers, shared_openings, spelled_initials)
from chatbot.understanding.vocabulary import Token, Vocabulary, normalize, tokenize
from retrieval.catalog import Catalog, Item

SMALL_WORDS = frozenset({"of", "the", "a", "an", "and", "in", "to", "on", "for", "at", "with", "or", "vs", "from"})
MAX_TITLE_TOKENS, MAX_FUZZY_TOKENS = 12, 7
# Without a year, a title names the film of that very name, unless one that opens with it ("The Lord of the Rings:
# The Fellowship of the Ring") is this many times better known: then that is the one people mean.
SEQUEL_DWARFS = 10
_PAUSE = re.compile(r"[,;!?]|\w{4}\.\s")  # a period after a word of four letters or more ends a sentence
MAX_YEAR_GAP = 5  # a user's year may be off a little (ReDial has some); a partial/fuzzy title must fit closer
_YEAR_RE = re.compile(r"\s*(?:[!?.]{0,3}\s*\(\s*(1[89]\d\d|20[0-4]\d)\s*\)|(1[89]\d\d|20[0-4]\d)\b)")
_OWNER_RE = re.compile(r"^(?:[A-Z][\w.]*\s){0,2}[A-Z][\w.]*['’]s\s+(.+)$")  # "Tyler Perry's ...", "Bram Stoker's ..."
_PAREN_YEAR_RE = re.compile(r"\s*\(\s*(\d{4})\s*\)")
# Subtitle separators: "Avengers: Endgame", "Birdman or (The Unexpected Virtue...)", "Alien - Director's Cut".
_PART_RE = re.compile(r"\s+or\s+\(|\s*:\s+|\s+-\s+|\s+\(")
_AFTER_PRONOUN = frozenset("am are is was were have has had will would can could do does did should might must re ve "
                           "ll d sounds looks seems seemed sounded looked feels felt gets makes isnt wasnt doesnt "
                           "really just also still never always".split())
_TITLE_VERBS = frozenset("love loved luv luvd luved like liked enjoy enjoyed adore adored watched seen saw rewatched "
                         "hate hated disliked".split())
# Said right after a sentence-initial title, they name the film: "Gravity didn't do it for me", "Heat never gets old"
_VERDICTS = tuple(f"{p} " for p in (*NOT_FOR_ME, "never gets old", "holds up", "still holds up"))
_FAVOURITE = re.compile(r"\s+(?:(?:movies|films|series|trilogy|franchise)\s+)?(?:is|was|are)\s+(?:my|one of my)\s+"
                        r"(?:all[- ]time\s+)?(?:favou?rites?|faves?|favs?)\b", re.I)  # "star wars films are my fave"
_PRAISE_AFTER = frozenset("good great awesome amazing".split())
_SERIES_NOUNS = frozenset("series franchise trilogy saga sequels".split())
_FIRST_PERSON = frozenset({"i", "me", "my", "we", "us", "our"})  # a title with these may be the writer talking
_KIND_NOUNS = [[w] for w in "movies films flicks winning winner winners nominated".split()]  # "Oscar winning films"


@dataclass(frozen=True)
class TitleMatch:
    """An item named in a message: id, character span [start, end), token span, and how it matched."""

    item_id: str
    start: int
    end: int
    tok_start: int
    tok_end: int
    text: str
    score: float  # 100 exact; fuzzy ratio otherwise
    exact: bool
    year: int | None = None  # the year the user gave, if any


@dataclass
class _Candidate:
    start: int  # token positions [start, end)
    end: int
    key: str
    score: float
    exact: bool
    nickname: str = ""  # the one title word said for the title key ("shawshank"); it needs a cue, as "heat" does

    @property
    def weight(self) -> float:
        # Longer spans win over shorter ones inside them; an exact match wins a tie with a fuzzy one.
        return len(self.nickname or self.key) * (1.0 if self.exact else 0.95 * self.score / 100)


def title_key(title: str) -> str:
    """Lookup key of a title: normalized, without a leading article ("The Dark Knight" -> "dark knight")."""
    words = normalize(title).split()
    return " ".join(words[1:] if len(words) > 1 and words[0] in ARTICLES else words)


def _prominence(item: Item) -> float:
    for value in (item.popularity, item.extra.get("tmdb_popularity"), item.extra.get("tmdb_vote_count")):
        if isinstance(value, (int, float)):
            return float(value)
    return 0.0


class TitleMatcher:
    """Title index over a catalog; `find` returns items named in a message, `lookup` resolves one title string."""

    def __init__(self, catalog: Catalog, vocabulary: Vocabulary) -> None:
        self.catalog = catalog
        self.vocabulary = vocabulary
        self._exact: dict[str, list[int]] = defaultdict(list)
        self._prefix: dict[str, list[int]] = defaultdict(list)  # title parts: "lord of the rings", "endgame"
        self._respelled: set[tuple[str, int]] = set()  # (key, item) of a title's numbers spelled the other way
        self._prominence = [_prominence(item) for item in catalog.items]
        self._ranked = any(self._prominence)  # by popularity: a word in lower case names a known film or none
        for index, item in enumerate(catalog.items):
            aliases = item.extra.get("aliases")
            names = [item.title, *(a for a in aliases if isinstance(a, str))] if isinstance(aliases, list) else []
            for name in names or [item.title]:
                respelled = respelled_numbers(own := title_key(name))  # "Ocean's Eleven" as "oceans 11" too
                for key in [*numbered_spellings(own), *respelled]:  # "Frozen II" as "Frozen 2" too
                    if key and index not in self._exact[key]:
                        self._exact[key].append(index)
                        self._respelled.update([(key, index)] if key in respelled else [])
                parts = [p.strip(" ()") for p in _PART_RE.split(name) if p.strip(" ()")]
                initials = spelled_initials(name)  # "E.T." names "E.T. the Extra-Terrestrial" alone
                owned = _OWNER_RE.match(name)  # "National Lampoon's Christmas Vacation" goes by "Christmas Vacation"
                named_parts = {parts[0], parts[-1]} if len(parts) > 1 else set()
                for part in named_parts | ({initials} if initials else set()) | ({owned.group(1)} if owned else set()):
                    part_key = title_key(part)
                    # "A.I." would key as "i", the word: initials name the film only whole ("e t")
                    if (self._specific(part_key) or part == initials and " " in part_key) and (
                            index not in self._prefix[part_key]):
                        self._prefix[part_key].append(index)
        # "Harry Potter and the ...", "Indiana Jones and the ...": an opening two titles share names their series.
        openings = shared_openings(titles := [item.title for item in catalog.items], title_key)
        for head, indices in openings.items():
            if self._specific(head) and head not in self._exact:
                self._prefix[head] = [i for i in indices if i not in self._prefix[head]] + self._prefix[head]
        self._series_heads = numbered_heads(titles, title_key) | openings.keys()
        # A part that is a whole title ("Jumanji") names that film; with a year, maybe a sequel, kept for _choose.
        self._sequels = {key: [i for i in self._prefix.pop(key) if i not in self._exact[key]]
                         for key in [k for k in self._prefix if k in self._exact]}
        # "spiderman" -> "spider man": the first title key of that spelling without its spaces
        self._compact = {key.replace(" ", ""): key for key in reversed(list(self._exact)) if " " in key}
        self._risky = {key: self._is_risky(key) for key in (*self._exact, *self._prefix)}
        for key in {key for key, _ in self._respelled}:  # "2 sisters" (Two Sisters) is everyday words too
            if all((key, i) in self._respelled for i in self._exact[key]) and len(key.split()) <= 3:
                self._risky[key] = self._risky[key] or all(w.isdigit() or vocabulary.is_common(w) for w in key.split())
        fame = {key: max(self._prominence[i] for i in [*self._ids(key), *self._sequels.get(key, ())])
                for key in (*self._exact, *self._prefix)}
        floor = best_known_floor(self._prominence)  # the best known go by a word of their title, or by everyday words
        self._best_known = frozenset(key for key, known in fame.items() if known >= floor)
        for key in [k for k, risky in self._risky.items() if not risky and " " in k and fame[k] < floor]:
            # Everyday words of a little-known title: "a story from a dog's point of view" is no The Point of View
            self._risky[key] = all(map(vocabulary.is_everyday, key.split()))
        self._nicknames = title_nicknames(fame, catalog.items, floor, vocabulary)
        # "I love Hitchcock": the man, not Hitchcock (2012), a film whose summary names him in full
        surnames = vocabulary.surnames
        self._namesakes = {key for key in surnames.keys() & self._exact.keys()
                           if surnames[key][0].partition(":")[2] in normalize(self._choose(key, None).description)}
        self._buckets: dict[tuple[str, int], list[str]] = defaultdict(list)
        for key in (*self._exact, *self._prefix):
            words = key.split()
            if len(key) < 5 or len(words) > MAX_FUZZY_TOKENS + 1 or self._risky[key] and (" " in key or len(key) < 8):
                continue  # a long everyday word ("interstellar") may be misspelt: then it needs a cue, as the word does
            self._buckets[(words[0][:3], len(words))].append(key)
            if len(words) > 1:
                self._buckets[("$" + words[-1][:3], len(words))].append(key)

    def is_title(self, key: str) -> bool:
        """Some item's whole title has this key (see title_key)."""
        return key in self._exact

    def titled_alike(self, match: TitleMatch, norms: Sequence[str] = ()) -> list[str]:
        """Items titled with the words matched when those name a series, not one film: "Harry Potter" (not "Up");
        with the message's words (norms), only those counted before it ("the first three Harry Potter films")."""
        key = title_key(match.text)
        found = dict.fromkeys([*self._prefix.get(key, ()), *self._sequels.get(key, ()), *self._exact.get(key, ())])
        if key == title_key(self.catalog.by_id[match.item_id].title) or len(found) < 2:
            return []
        films = [self.catalog.items[i] for i in found]
        years = sorted({item.year or 0 for item in films})  # by year: a film listed twice counts once
        count = counted_before(norms, match.tok_start)
        kept = set(years[:count] if count > 0 else years[count:] if count < 0 else years)
        return [item.id for item in sorted(films, key=lambda item: item.year or 0) if (item.year or 0) in kept]

    def _specific(self, key: str) -> bool:
        """A title part specific enough to name the film alone: "endgame" yes, "part ii" or "the movie" no."""
        words = key.split()
        return (" " in key or len(key) >= 6) and any(len(w) >= 3 and not w.isdigit() and w not in ROMAN_NUMERALS
                                                     and not self.vocabulary.is_common(w) for w in words)

    def _is_risky(self, key: str) -> bool:
        """A title that is also everyday language ("up", "heat", "get out", "1917") needs a cue to match."""
        words = key.split()
        if len(key) < 2 or all(w.isdigit() for w in words) or all(len(w) <= 2 for w in words) or (
                self.vocabulary.reserved(key)):
            return True  # numbers and letters: "1917", "M", "W.E."; words the vocabulary keeps for itself
        # A number makes a title specific ("Toy Story 3"); all-number titles were handled above.
        if len(words) == 1:
            return self.vocabulary.is_everyday(key)  # "lift", "casino": ordinary words unless cued
        # Everyday words read as a sentence when they speak of the writer: "my wife and I loved" (My Wife and I, 1933)
        return (len(words) <= 3 or bool(_FIRST_PERSON & set(words))) and all(map(self.vocabulary.is_common, words))

    def _ids(self, key: str) -> list[int]:
        return self._exact.get(key) or self._prefix.get(key) or []

    def _choose(self, key: str, year: int | None) -> Item:
        indices = self._ids(key)
        if year is not None:
            if all(abs((self.catalog.items[i].year or 0) - year) > 2 for i in indices):
                indices = indices + self._sequels.get(key, [])  # no film of that very title from about then
            best = min(indices, key=lambda i: (abs((self.catalog.items[i].year or 0) - year), -self._prominence[i]))
        else:
            # Of films alike unknown, the one with the longer summary (Batman & Robin, 1997, not the 1949 serial).
            best = max(indices, key=lambda i: (self._prominence[i], len(self.catalog.items[i].description)))
            # Only a title that opens with this one, and only over a film known to be little known (0: not known).
            openers = [i for i in self._sequels.get(key, [])
                       if title_key(self.catalog.items[i].title).startswith(key + " ")]
            bigger = max(openers, key=lambda i: self._prominence[i], default=None)
            if bigger is not None and 0 < SEQUEL_DWARFS * self._prominence[best] < self._prominence[bigger]:
                best = bigger  # "The Lord of the Rings": the trilogy people know, not the 1978 film of that name
        year_of = self.catalog.items[best].year
        if (key, best) in self._respelled:  # "Ocean's 8 (2018)": that entry, not its twin titled "Ocean's Eight"
            best = next((i for i in indices if (key, i) not in self._respelled
                         and self.catalog.items[i].year == year_of), best)
        return self.catalog.items[best]

    def _exact_candidates(self, norms: list[str]) -> list[_Candidate]:
        found = []
        for i in range(len(norms)):
            if norms[i] in ARTICLES:
                continue  # titles are keyed without their article; the span starts after it
            for length in range(min(MAX_TITLE_TOKENS, len(norms) - i), 0, -1):
                key = " ".join(norms[i:i + length])
                if key in self._exact:
                    found.append(_Candidate(i, i + length, key, 100.0, True))
                elif key in self._prefix:
                    found.append(_Candidate(i, i + length, key, 97.0, False))
                elif length <= 3 and len(key) >= 4 and key.replace(" ", "") in self._compact:
                    found.append(_Candidate(i, i + length, self._compact[key.replace(" ", "")], 98.0, False))
                elif length == 1 and key in self._nicknames and (i == 0 or norms[i - 1] not in NOT_AFTER):
                    found.append(_Candidate(i, i + 1, self._nicknames[key], 95.0, False, nickname=key))
        return found

    def _fuzzy_candidates(self, norms: list[str]) -> list[_Candidate]:
        found = []
        common = self.vocabulary.is_common
        for i in range(len(norms)):
            if norms[i] in ARTICLES:
                continue
            for length in range(1, min(MAX_FUZZY_TOKENS, len(norms) - i) + 1):
                words = norms[i:i + length]
                # A span of everyday words or numbers is never a fuzzy title: "horror movies" is not "Horror Movie".
                if not any(not common(w) and not w.isdigit() and len(w) > 2 for w in words):
                    continue
                span = " ".join(words)
                if len(span) < (6 if length == 1 else 5):
                    continue
                # Real words spelled right ("honest", "little bit of a") are not a typo of another title.
                spelled_right = all(w in self.vocabulary.catalog_words for w in words)
                cutoff = 96.0 if spelled_right else 88.0 if len(span) >= 8 else 91.0
                best = self._search(span, cutoff)
                if best:
                    found.append(_Candidate(i, i + length, best[0], best[1], False))
        return found

    def _search(self, span: str, cutoff: float) -> tuple[str, float] | None:
        """Closest title key sharing the span's first or last 3 letters, with +-1 words and the same numbers
        (numbers are identity, not typos: "toy story 4" never becomes "toy story 3")."""
        words = span.split()
        digits = sorted(w for w in words if w.isdigit())
        best: tuple[str, float] | None = None
        for n in (len(words) - 1, len(words), len(words) + 1):
            for bucket_key in ((words[0][:3], n), ("$" + words[-1][:3], n)):
                choices = self._buckets.get(bucket_key)
                if not choices:
                    continue
                for key, score, _ in process.extract(span, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=3):
                    if sorted(w for w in key.split() if w.isdigit()) == digits:
                        if best is None or score > best[1]:
                            best = (key, score)
                        break
        return best

    def _year_after(self, text: str, tokens: list[Token], end: int) -> tuple[int | None, int]:
        """A year right after the span ("Alien 1979", "It (2017)", "Airplane! (1980)"): (year, end) or (None, end)."""
        end_char = tokens[end - 1].end
        match = _YEAR_RE.match(text, end_char)
        year = match and (match.group(1) or match.group(2))
        return (int(year), match.end()) if year and end < len(tokens) and tokens[end].norm == year else (None, end_char)

    def _has_cue(self, text: str, tokens: list[Token], cand: _Candidate, year: int | None, end_char: int) -> bool:
        """Quoted, followed by a year, or capitalized like a title mid-sentence (not for vocabulary words)."""
        if year is not None:
            return True
        before = text[:tokens[cand.start].start].rstrip()
        if cand.start > 0 and tokens[cand.start - 1].norm in ARTICLES and before.endswith(tokens[cand.start - 1].text):
            before = text[:tokens[cand.start - 1].start].rstrip()
        after = text[end_char:].lstrip()
        if before[-1:] and before[-1] in QUOTES and after[:1] and after[0] in QUOTES:
            return True
        if (cand.key.replace(" ", "").isdigit() or self.vocabulary.reserved(cand.key) or len(cand.key) < 2
                or cand.key in CAPITALIZED_ANYWAY):  # "a lazy Sunday", "No!": capitals said anyway
            return False
        if cand.key in self._series_heads and tokens[cand.end:cand.end + 1] and tokens[cand.end].norm in _SERIES_NOUNS:
            return True  # "I love the whole cars series": a series' name in lower case
        if self._verb_cue(text, tokens, cand, end_char):  # "i loved heat"; "I hate violence" is no film of 1947
            return tokens[cand.start].text[:1].isupper() or not self._ranked or max(
                self._prominence[i] for i in self._ids(cand.key)) > 0
        if cand.nickname and cand.nickname not in cand.key.split() and tokens[cand.start].text.isupper():
            return True  # initials in capitals ("the LOTR trilogy is my favourite"): an abbreviation wherever it stands
        if not before or before[-1] in ".!?:;)\n":
            # Sentence-initial capitals say nothing ("It was great", "Her acting"), except right before a verb or a
            # verdict said of it (SAID_OF_A_TITLE, NOT_FOR_ME) for a one-word title that is no function word ("Heat
            # was great", "Gravity didn't do it for me") or one whose later words have capitals of their own ("Star
            # Wars is my favorite", "Star Wars never clicked with me").
            following = " ".join(t.norm for t in tokens[cand.end:cand.end + 6]) + " "
            rest = [t for t in tokens[cand.start + 1:cand.end] if t.norm not in SMALL_WORDS]
            capitals = all(t.text[:1].isupper() for t in rest) if rest else cand.key not in STOPWORDS
            verdict = following.split(" ", 1)[0] in SAID_OF_A_TITLE or following.startswith(_VERDICTS)
            praised = bool(rest) and following.split(" ", 1)[0] in _PRAISE_AFTER  # "Scary Movie good", as chat writes
            return (cand.end - cand.start == 1 or bool(rest)) and capitals and (verdict or praised)
        words = [t for t in tokens if t.text[:1].isalpha() and t.norm != "i"]
        if len(words) >= 4 and sum(t.text[0].isupper() for t in words) / len(words) >= 0.7:
            return False  # Title Case or SHOUTING: capitals say nothing
        span = tokens[cand.start:cand.end]
        if not all(t.text[:1].isupper() or t.norm in SMALL_WORDS or not t.text[:1].isalpha() for t in span):
            return False
        # The capitals must belong to this title alone: "Air" inside "Into Thin Air" is not the film "Air".
        first = cand.start - (1 if cand.start > 0 and tokens[cand.start - 1].norm in ARTICLES else 0)
        if joined_capital(text, tokens, first - 1, first) or joined_capital(text, tokens, cand.end, cand.end - 1):
            return False
        if all(w in STOPWORDS for w in cand.key.split()):
            # "one It sounds", "They are": a pronoun-like title needs a verb of liking or seeing before it.
            following = tokens[cand.end].norm if cand.end < len(tokens) else ""
            previous = tokens[first - 1].norm if first > 0 else ""
            return previous in _TITLE_VERBS | {"like", "and", "or"} and following not in _AFTER_PRONOUN
        return True

    @staticmethod
    def _verb_cue(text: str, tokens: list[Token], cand: _Candidate, end_char: int) -> bool:
        """"I love star wars", "we watched home alone.": the object of a liking/seeing verb, standing alone."""
        if all(w in STOPWORDS for w in cand.key.split()) or tokens[cand.end - 1].norm in CREATURES:
            return False  # "I saw her", "I liked it": pronouns stay pronouns; "I hate aliens": the creatures
        first = cand.start - (1 if cand.start > 0 and tokens[cand.start - 1].norm in ARTICLES else 0)
        if first == 0 and " " in cand.key and _FAVOURITE.match(text, end_char):
            return True  # "star wars is my favorite": what the sentence is about, in a writer's own lower case
        if first == 0 or tokens[first - 1].norm not in _TITLE_VERBS or _PAUSE.search(
                text[tokens[first - 1].start:tokens[first].start]):
            return False  # "a doomed love, girl gets sick": a noun, and a pause, before everyday words
        if cand.end >= len(tokens) or re.search(r"[.,!?;:)]", text[end_char:tokens[cand.end].start]):
            return True
        following = tokens[cand.end].norm
        return following in STOPWORDS and following not in MEDIA_NOUNS  # not "I like big explosions/movies"

    def find(self, text: str, shown: Sequence[str] = ()) -> list[TitleMatch]:
        """Items named in the text, in order of appearance, non-overlapping, longest and exact first; a title of
        everyday words among the items just shown needs no cue ("Casino sounds good" after a list holding it)."""
        tokens = tokenize(text)
        norms = [t.norm for t in tokens]
        candidates = self._exact_candidates(norms) + self._fuzzy_candidates(norms)
        candidates.sort(key=lambda c: (-c.weight, c.start))
        taken: set[int] = set()
        title_ends = {c.end for c in candidates if c.exact or c.nickname}
        matches: list[TitleMatch] = []
        for cand in candidates:
            if any(i in taken for i in range(cand.start, cand.end)):
                continue
            if not cand.exact and _PAUSE.search(text[tokens[cand.start].start:tokens[cand.end - 1].start]):
                continue  # a typo spans no pause: "Titanic, I'd" is not "Titanic II", "Toy Story. I've" no "IV"
            year, end_char = self._year_after(text, tokens, cand.end)
            item = self._choose(cand.key, year)
            if year is not None and abs((item.year or year) - year) > (MAX_YEAR_GAP if cand.exact else 2):
                continue  # "Death on Everest (1997)" is not "Everest (2015)"
            if year is None and (name_goes_on(text, tokens, cand.end)
                                 or name_before(text, tokens, cand.start, title_ends)
                                 or self.vocabulary.person_around(norms, cand.start, cand.end)
                                 or cand.key in self._namesakes and norms[max(cand.start - 1, 0)] not in TOLD_BY):
                continue  # "Breaking Bad" is not "Breaking"; "Will Smith" no "Smith!"; "Hitchcock" the man
            if year is None and not cand.exact and self.vocabulary.people.get(cand.key, 0) >= 2:
                continue  # "I love Kevin Hart": the man, not his stand-up film "Kevin Hart: What Now?"
            if (year is None and cand.end - cand.start == 1 and cand.key not in self._series_heads
                    and self.vocabulary.first_name_over_title(tokens, cand.start, item.popularity or 0.0)):
                continue  # "not another Keanu movie": Keanu Reeves, not Keanu (2016); "Annabelle movies": its series
            if year is None and not tokens[cand.start].text[:1].isupper() and norms[
                    max(0, cand.start - 2):cand.start] in (["was", "a"], ["is", "a"], ["what", "a"], ["such", "a"]):
                continue  # "Cats was a trainwreck": what the film was, no film Trainwreck
            if year is None and (place_or_topic(text, tokens, cand.start, cand.end)
                                 or {"won", "win", "wins"} & set(norms[max(0, cand.start - 2):cand.start])):
                continue  # "movies set in New York" are not about "New York" (1916); "it won an Oscar" of Oscar
            if year is None and (norms[cand.end:cand.end + 1] in _KIND_NOUNS and cand.key not in self._series_heads
                                 and not (norms[cand.start - 1:cand.start] == ["the"] and cand.key in self._best_known)
                                 or norms[cand.start - 1:cand.start] in (["my"], ["our"])):
                continue  # "New York movies": a kind of film ("Rocky movies", "the Twilight movies": its series); "my
                # grandma": a person
            if cand.nickname or self._risky.get(cand.key):
                listed = not cand.nickname and any(self.catalog.items[i].id in shown for i in self._ids(cand.key)) and (
                    " " in cand.key or stands_alone(text, tokens, cand.end))  # not "a big fan" after Big was shown
                if not (listed or self._has_cue(text, tokens, cand, year, end_char)):
                    continue  # a title of everyday words needs a cue, or the list just shown holding it
            elif cand.end - cand.start == 1 and year is None and inside_name(text, tokens, cand.start):
                continue  # "Van" in "Van Wilder" is not "The Van"
            tok_start = cand.start - int(cand.start > 0 and norms[cand.start - 1] in ARTICLES)  # with its article
            tok_end = cand.end + (1 if year is not None else 0)
            taken.update(range(tok_start, tok_end))
            start_char = tokens[tok_start].start
            matches.append(TitleMatch(item.id, start_char, end_char, tok_start, tok_end, text[start_char:end_char],
                                      round(cand.score, 1), cand.exact, year))
        return sorted(matches, key=lambda m: m.start)

    def example_titles(self, n: int, where: Callable[[Item], bool] = lambda item: True) -> list[str]:
        """Up to n different well-known titles for prompt examples (of items where() accepts), most prominent first."""
        items = self.catalog.items
        order = sorted((i for i in range(len(items)) if where(items[i])), key=lambda i: (-self._prominence[i], i))
        specific = (i for i in order if not self._risky.get(title_key(items[i].title), True))  # lazy: n are enough
        titles: dict[str, None] = {}
        for i in itertools.chain(specific, order):  # then any title, if too few are specific
            titles.setdefault(items[i].title)
            if len(titles) == n:
                break
        return list(titles)

    def same_title_among(self, item_id: str, year: int | None, ids: list[str]) -> str:
        """The item of ids with the title of item_id, when the title was named without a year: "Robin Hood" right
        after a reply showed "Robin Hood (1973)" means that one, not the most prominent film of that title."""
        item = self.catalog.get(item_id)
        if year is not None or item is None or item_id in ids:
            return item_id
        key = title_key(item.title)
        return next((i for i in ids if (other := self.catalog.get(i)) and title_key(other.title) == key), item_id)

    def titled_in(self, item_id: str, year: int) -> str | None:
        """The item titled as item_id is and made in `year` (or a year off): "the 1995 one" said after Heat."""
        items = self.catalog.items
        near = [items[i] for i in self._exact.get(title_key(self.catalog.by_id[item_id].title), [])
                if items[i].year and abs(items[i].year - year) <= 1]
        return min(near, key=lambda item: abs((item.year or 0) - year)).id if near else None

    def lookup(self, title: str, context: str | None = None) -> str | None:
        """Item id for one title string (e.g. from an LLM): exact, then fuzzy. An everyday-word title ("Up") is
        accepted only if it also occurs in `context` (the user's message)."""
        match = _PAREN_YEAR_RE.search(title)
        year, title = (int(match.group(1)), title[:match.start()] + title[match.end():]) if match else (None, title)
        key = title_key(title)
        if not key:
            return None
        if key in self._exact or key in self._prefix:
            said = context is not None and f" {key} " in f" {normalize(context)} "
            if self._risky[key] and year is None and not said:
                return None
            return self._choose(key, year).id
        if key.replace(" ", "") in self._compact:
            return self._choose(self._compact[key.replace(" ", "")], year).id
        if len(key) < 5 or key.count(" ") >= MAX_FUZZY_TOKENS:
            return None
        best = self._search(key, 88.0)
        return self._choose(best[0], year).id if best else None
