"""The catalog's own words: genres, tags, people and mood synonyms, so what a user says can be grounded in items."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from chatbot.understanding.lexicon import (COMMON_WORDS, CUE_WORDS, ENGLISH_WORDS, LANGUAGE_WORDS, NOT_KINDS,
                                          PERSON_NICKNAMES, STOPWORDS, STUDIO_WORDS, SYNONYM_GROUPS)
from chatbot.types import facet_key
from retrieval.catalog import Catalog
from retrieval.name_keys import TOKEN_RE, normalize, normalize_word  # noqa: F401 - re-exported for the readers
from retrieval.likeness import FORM_GENRES

_WORD_RE = re.compile(r"\b[A-Za-z]+\b")
# List-valued extra fields that hold people; other list fields (aliases, alt_years) are not facets.
PEOPLE_FIELDS = (
    "cast", "actors", "stars", "director", "directors", "writers", "authors", "author",
    "instructor", "instructors", "teachers", "creators", "artists", "performers", "hosts", "speakers", "adapted_from",
)
MAX_DESCRIPTIONS_SCANNED = 10_000  # enough to learn which words are everyday words; keeps 38k-item builds fast
# "a Tarantino fan", "Spielberg movies": a surname alone, with its capital, names the person of that surname with
# this many credits and SURNAME_DOMINANCE times the fame of anyone else of it (fame: the summed popularity of their
# items where the catalog has popularity, else their credits): "Nolan" is Christopher's, not Lloyd's.
SURNAME_CREDITS = 5
SURNAME_DOMINANCE = 3
FIRST_NAME_HOLDERS = 8  # a first name said alone names its best-known holder only if few people have it ("Denzel")
FIRST_NAME_OVER_TITLE = 10  # ... and over a film of that title if their items are this much better known ("Keanu")
COMMON_DOC_FRACTION = 0.002  # a word in >= 0.2% of descriptions (lower-case) is an everyday word, not a title
# Short forms common in non-film catalogs (courses, books); same rule as the lexicon's synonyms: only targets the
# catalog has.
GENERIC_SYNONYMS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("statistics",), ("stats", "statistical")),
    (("machine learning",), ("ml",)),
    (("artificial intelligence", "ai"), ("ai", "artificial intelligence")),
    (("javascript",), ("js",)),
    (("mathematics", "math", "maths"), ("math", "maths", "mathematics")),
    (("programming",), ("coding", "code", "programming")),
    (("data science",), ("data scientist",)),
    (("deep learning",), ("neural networks", "neural nets")),
    (("user experience", "ux"), ("ux", "ux design", "user experience")),
)


@dataclass(frozen=True)
class Token:
    """One word of a message: original text, normalized form, and character span."""

    text: str
    norm: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Split text into word tokens with their character spans."""
    return [Token(m.group(), normalize_word(m.group()), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def _openings(name: str) -> tuple[str, str]:
    """Where a full name is filed for fuzzy lookup: by its first letters and by its surname's ("sygourney weaver" by
    "we"), so a name misspelled at either end is still found."""
    return name[:2], "$" + name.rsplit(" ", 1)[-1][:2]


def pluralize(phrase: str) -> str:
    """English plural of the last word: "comedy" -> "comedies", "science fiction" -> "science fictions"."""
    head, _, last = phrase.rpartition(" ")
    if re.search(r"[^aeiou]y$", last):
        last = last[:-1] + "ies"
    elif re.search(r"(s|x|z|ch|sh)$", last):
        last = last + "es"
    else:
        last = last + "s"
    return f"{head} {last}" if head else last


@dataclass(frozen=True)
class TermMatch:
    """A vocabulary term found in a message, by token positions [start, end)."""

    start: int
    end: int
    facets: tuple[str, ...]


@dataclass
class Vocabulary:
    """Grounding tables built once from a catalog."""

    genres: Counter[str] = field(default_factory=Counter)
    tags: Counter[str] = field(default_factory=Counter)
    people: Counter[str] = field(default_factory=Counter)  # normalized name -> number of items
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # normalized surface -> facet keys
    common_words: frozenset[str] = frozenset()  # everyday words: a title made only of these needs a cue
    english_words: frozenset[str] = frozenset()  # any word seen lower-case in descriptions: "lift", "casino"
    catalog_words: frozenset[str] = frozenset()  # words that occur in item text: phrases must touch these
    max_term_tokens: int = 1
    _fuzzy_surfaces: list[str] = field(default_factory=list)
    _person_buckets: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    _surfaces: dict[str, list[str]] = field(default_factory=dict)  # facet -> surfaces, built on first use
    surnames: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "tarantino" -> the person "Tarantino" names
    first_names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "denzel" -> the one Denzel people know
    _first_name_fame: dict[str, float] = field(default_factory=dict)  # their person facet -> their fame

    @classmethod
    def from_catalog(cls, catalog: Catalog, people_fields: tuple[str, ...] = PEOPLE_FIELDS) -> Vocabulary:
        """Count genres, tags and people, add synonyms whose targets exist, and learn everyday words."""
        vocab = cls()
        raw_people: Counter[str] = Counter()
        raw_fame: Counter[str] = Counter()
        for item in catalog.items:
            vocab.genres.update({g.lower().strip() for g in item.genres})
            vocab.tags.update({t.lower().strip() for t in item.tags} - {g.lower() for g in item.genres})
            for name in people_fields:
                value = item.extra.get(name)
                if isinstance(value, list):
                    names = {v for v in value if isinstance(v, str)}
                    raw_people.update(names)
                    raw_fame.update(dict.fromkeys(names, item.popularity or 0.0))
        fame: Counter[str] = Counter()  # name -> the summed popularity of their items
        for name, count in raw_people.items():  # normalize each distinct name once
            vocab.people[normalize(name)] += count
            fame[normalize(name)] += raw_fame[name]
        vocab.people.pop("", None)
        vocab._learn_words(catalog)  # first: terms need english_words to judge one-word names
        vocab._build_terms()
        vocab._add_surnames(fame)
        vocab._learn_common()  # last: common words include the terms' own words
        return vocab

    def facet_of(self, value: str) -> str | None:
        """Facet key for a catalog genre/tag value, or None if the catalog never uses it."""
        value = value.lower().strip()
        if value in self.genres:
            return facet_key("genre", value)
        if value in self.tags:
            return facet_key("tag", value)
        return None

    def _add(self, surface: str, facets: tuple[str, ...]) -> None:
        key = normalize(surface)
        if not key or not facets:
            return
        merged = tuple(dict.fromkeys((*self.terms.get(key, ()), *facets)))
        self.terms[key] = merged
        self.max_term_tokens = max(self.max_term_tokens, key.count(" ") + 1)

    def _build_terms(self) -> None:
        for value in (*self.genres, *self.tags):
            facet = self.facet_of(value)
            if facet and value in FORM_GENRES:  # "something short" is no short film, "an independent woman" no indie
                for noun in ("film", "films", "movie", "movies"):
                    self._add(f"{value} {noun}", (facet,))
            elif facet:
                self._add(value, (facet,))
                self._add(pluralize(normalize(value)), (facet,))
        # Synonyms only ground to targets this catalog has, so a course catalog never learns "scary" -> horror.
        for targets, surfaces in (*SYNONYM_GROUPS, *GENERIC_SYNONYMS):
            facets = tuple(f for f in (self.facet_of(t) for t in targets) if f)
            for surface in surfaces:
                self._add(surface, facets)
        for surface, phrase in NOT_KINDS.items():
            self._add(surface, (facet_key("phrase", phrase),))
        for name, count in self.people.items():
            if name.startswith("the "):
                continue  # "The Bronx", "The Rock": credits for places and nicknames, too easily said in passing
            # Two-word names are specific enough; a one-word name ("Madonna") must recur and be no English word
            # (casts list "Common" and first-name-only extras).
            if " " in name or (len(name) >= 5 and count >= 3 and not self.is_everyday(name)):
                if name not in self.terms:
                    self.terms[name] = (facet_key("person", name),)
                    self.max_term_tokens = max(self.max_term_tokens, name.count(" ") + 1)
                if count >= 2 and 1 <= name.count(" ") <= 2:
                    for opening in _openings(name):
                        self._person_buckets.setdefault((opening, name.count(" ")), []).append(name)
        for nickname, name in PERSON_NICKNAMES.items():  # "the rock": Dwayne Johnson, where the catalog credits him
            if name in self.people:
                self.terms[nickname] = (facet_key("person", name),)
        self.max_term_tokens = min(self.max_term_tokens, 6)
        self._fuzzy_surfaces = [s for s, fs in self.terms.items() if " " not in s and len(s) >= 5
                                and not fs[0].startswith("person:")]

    def _add_surnames(self, fame: Counter[str]) -> None:
        """"tarantino" -> Quentin Tarantino: each surname one person holds (see SURNAME_CREDITS), unless it is an
        everyday word ("cruise", "stone") or already a term; a first name counts as a rival ("Cameron"). fame: each
        name's summed item popularity (all zero in a catalog without popularity: credits count then)."""
        by_surname: dict[str, list[tuple[float, str]]] = {}
        by_first: dict[str, list[tuple[float, str]]] = {}
        first_names: Counter[str] = Counter()  # "Cameron" is also Cameron Diaz: the most famous one of that first name
        surnames: Counter[str] = Counter()  # ... and "Washington" is a surname before it is anyone's first name
        fame = fame if any(fame.values()) else self.people
        for name in self.people:
            if " " in name:
                first, surname = name.split(" ", 1)[0], name.rsplit(" ", 1)[1]
                first_names[first] = max(first_names[first], fame[name])
                surnames[surname] = max(surnames[surname], fame[name])
                if not name.startswith("the "):
                    by_surname.setdefault(surname, []).append((fame[name], name))
                    by_first.setdefault(first, []).append((fame[name], name))
        for table, grouped, rivals in ((self.surnames, by_surname, first_names),
                                       (self.first_names, by_first, surnames)):
            for word, named in grouped.items():
                if table is self.first_names and len(named) > FIRST_NAME_HOLDERS:
                    continue  # "Matt", "Sandra": many people's name, and the person's own friends' too
                (top, name), *rest = sorted(named, reverse=True)
                rival = max(rest[0][0] if rest else 0, rivals[word])
                counted = fame is self.people  # by credits alone, a rival of as many is as likely meant (Lloyd Nolan)
                if (self.people[name] >= SURNAME_CREDITS and top >= SURNAME_DOMINANCE * rival and len(word) >= 4
                        and not (counted and rival >= SURNAME_CREDITS)
                        and word not in self.terms and not self.is_everyday(word)
                        and word not in LANGUAGE_WORDS and word not in ENGLISH_WORDS  # "maybe French"
                        and word not in STUDIO_WORDS and word not in self.surnames):
                    table[word] = (facet_key("person", name),)
                    if table is self.first_names:
                        self._first_name_fame[facet_key("person", name)] = top

    def _learn_words(self, catalog: Catalog) -> None:
        items = catalog.items
        step = max(1, len(items) // MAX_DESCRIPTIONS_SCANNED)
        sample = items[::step]
        doc_freq: Counter[str] = Counter()  # lower-case uses only: "lift" as a word, not "Lift" as a name
        for item in sample:
            doc_freq.update(w for w in set(_WORD_RE.findall(item.description)) if w.islower())
        seen: set[str] = set()  # every item's words, plot too: a topic few films have ("a chef") is one of them
        for item in items:
            seen.update(_WORD_RE.findall(f"{item.description} {item.plot or ''}".lower()))
        self._doc_freq_threshold = max(3, int(len(sample) * COMMON_DOC_FRACTION))
        self._doc_freq = doc_freq
        self._seen_words = seen
        self.english_words = frozenset(w for w, n in doc_freq.items() if n >= 2)

    def _learn_common(self) -> None:
        # Words of kinds are everyday words; not those of names, nor of things in a story ("2" of "world war 2")
        surfaces = {w for s, facets in self.terms.items() if not facets[0].startswith(("person:", "phrase:"))
                    for w in s.split()}
        frequent = {w for w, n in self._doc_freq.items() if n >= self._doc_freq_threshold}
        self.common_words = frozenset(COMMON_WORDS | STOPWORDS | CUE_WORDS | surfaces | frequent)
        self.catalog_words = frozenset(self._seen_words | {w for s in self.terms for w in s.split()})
        del self._doc_freq, self._seen_words

    def is_common(self, word: str) -> bool:
        """True for everyday words (stopwords, frequent description words, vocabulary words)."""
        return word in self.common_words

    def is_everyday(self, word: str) -> bool:
        """True for common words and any word the catalog's descriptions use lower-case ("lift", "casino")."""
        return word in self.common_words or word in self.english_words or word in COMMON_WORDS or word in STOPWORDS

    def reserved(self, norm_text: str) -> bool:
        """True when the normalized text is a genre/tag/synonym term ("western", "scary"); names do not count."""
        facets = self.terms.get(norm_text)
        return bool(facets) and not facets[0].startswith("person:")

    def find_terms(self, tokens: list[Token], skip: set[int] | frozenset[int] = frozenset()) -> list[TermMatch]:
        """Longest vocabulary terms in the tokens, left to right, never crossing a skipped token."""
        found: list[TermMatch] = []
        i = 0
        while i < len(tokens):
            hit = None
            if i not in skip:
                for n in range(min(self.max_term_tokens, len(tokens) - i), 0, -1):
                    if any(j in skip for j in range(i, i + n)):
                        continue
                    key = " ".join(t.norm for t in tokens[i:i + n])
                    facets = self.terms.get(key)
                    if not facets and key.endswith("s") and len(key) > 4:
                        facets = self.terms.get(key[:-1])  # possessives and loose plurals: "adam sandlers"
                    start = i
                    if not facets and n == 1 and tokens[i].text[:1].isupper():
                        facets = self.surnames.get(key) or self.surnames.get(key[:-1] if key.endswith("s") else "")
                        if facets and i and tokens[i - 1].text[:1].isupper():  # "Melissa McCartney" is no McCartney,
                            free = i - 1 not in skip and not (found and found[-1].end > i - 1)  # "Leo DiCaprio" is
                            start, facets = self._known_as(tokens[i - 1], facets, i, free)
                        facets = facets or self._first_name_alone(tokens, i)
                    if facets:
                        hit = TermMatch(start, i + n, facets)
                        break
                if hit is None:
                    facets = self._fuzzy(tokens[i].norm)
                    if facets:
                        hit = TermMatch(i, i + 1, facets)
            if hit:
                found.append(hit)
                i = hit.end
            else:
                i += 1
        return found

    def _first_name_alone(self, tokens: list[Token], i: int) -> tuple[str, ...] | None:
        """The one well-known person of a capitalized first name, where it stands for them: "Denzel's best movies",
        "anything with Keanu", "Meryl movies" (not "Noah" in a story, nor "Denzel Smith")."""
        token = tokens[i]
        owner = token.text.endswith(("'s", "’s"))
        facets = self.first_names.get(token.norm[:-1] if owner else token.norm)
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if not facets or after is not None and after.text[:1].isupper():
            return None
        said_of = after is not None and (after.norm in ("movies", "films", "movie", "film") or after.norm in self.terms)
        return facets if owner or said_of or i and tokens[i - 1].norm in ("with", "starring", "by") else None

    def first_name_over_title(self, tokens: list[Token], i: int, popularity: float) -> bool:
        """Token i is a first name standing for its holder whose items are FIRST_NAME_OVER_TITLE times better known
        than a title it also is (popularity): "not another Keanu movie" is Keanu Reeves, not Keanu (2016)."""
        facets = self._first_name_alone(tokens, i)
        return bool(facets) and self._first_name_fame.get(facets[0], 0.0) >= FIRST_NAME_OVER_TITLE * popularity

    @staticmethod
    def _known_as(first: Token, facets: tuple[str, ...], i: int, free: bool) -> tuple[int, tuple[str, ...] | None]:
        """A capitalized word before a surname that opens the person's first name ("Leo" DiCaprio, "Sam" Jackson) or
        is the surname's own ("De" Niro), free to join it: the span from it, and the person; any other name before it
        ("Melissa" McCartney): none."""
        words = facets[0].partition(":")[2].split(" ")
        if free and len(first.norm) >= 3 and words[0].startswith(first.norm) and words[0] != first.norm:
            return i - 1, facets
        if free and len(words) >= 3 and words[-2] == first.norm:  # "De" Niro, "Van" Sant: the surname's own word
            return i - 1, facets
        return i, None

    def _fuzzy(self, word: str) -> tuple[str, ...] | None:
        # Typos in genre words ("horor", "comdy"); a real word ("thrilled", "mastery") is never someone's typo.
        if len(word) < 5 or not word.isalpha() or self.is_everyday(word) or not self._fuzzy_surfaces:
            return None
        best = process.extractOne(word, self._fuzzy_surfaces, scorer=fuzz.ratio, score_cutoff=88)
        return self.terms[best[0]] if best else None

    def fuzzy_person(self, phrase: str) -> str | None:
        """Person facet for a misspelled full name ("tom cruse", "adan sandler"), or None."""
        key = normalize(phrase)
        spaces = key.count(" ")
        choices = [name for opening in _openings(key) for name in self._person_buckets.get((opening, spaces), ())]
        if not choices or len(key) < 7:
            return None
        best = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=88)
        return facet_key("person", best[0]) if best else None

    def person_around(self, norms: list[str], start: int, end: int) -> bool:
        """The words [start, end) and the word before or after them make a person's full name ("Will Smith")."""
        return any((facets := self.terms.get(" ".join(norms[a:b]))) and facets[0].startswith("person:")
                   for a, b in ((start - 1, end), (start, end + 1)) if a >= 0 and b <= len(norms))

    def ground(self, phrase: str) -> tuple[str, ...]:
        """Facet keys for a free phrase from an LLM ("Sci-Fi", "horror movies"); () when not in the vocabulary."""
        key = normalize(phrase)
        if not key:
            return ()
        if key in self.terms:
            return self.terms[key]
        words = [w for w in key.split() if w not in {"movie", "movies", "film", "films", "course", "courses"}]
        key = " ".join(words)
        if key in self.terms:
            return self.terms[key]
        if len(words) == 1:
            return self._fuzzy(key) or ()
        person = self.fuzzy_person(key)
        return (person,) if person else ()

    def surfaces(self, facet: str) -> list[str]:
        """Every normalized phrase that grounds to a facet: "genre:horror" -> ["horror", "horrors", "scary", ...]."""
        if not self._surfaces:
            for surface, facets in self.terms.items():
                for f in facets:
                    self._surfaces.setdefault(f, []).append(surface)
        return self._surfaces.get(facet, [])

    def label(self, facet: str) -> str:
        """Human text for a facet key: "genre:horror" -> "genre: horror"."""
        kind, _, value = facet.partition(":")
        return f"{kind}: {value}"
