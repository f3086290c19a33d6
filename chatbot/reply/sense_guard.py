"""Lead-in sentences a tiny model gets wrong in kind: feelings, negated or echoed requests, contradictions, wrong
genres, a pick compared with itself, a pick said to be from the year its title already shows.

Measured on SmolLM2-135M lead-ins (issue 16): "I'm afraid of the Swarm", "I'm glad you liked it" about a film never
mentioned, "You're looking for something light-hearted, but not light-hearted enough". Each check is cheap text
matching against the request, the person's interests and the picks' own genres and tags.
"""

from __future__ import annotations

import re
from typing import Iterable

from chatbot.reply.quotes import WORD, content_words, stem

# The model's own feelings ("I'm glad", "I'm afraid", "I love") or claims about the person's ("you're feeling
# down", "you liked it"): it knows neither, and "you liked X" says something the person may never have said.
FEELINGS = re.compile(
    r"(?i)\b(?:i|i'm|i’m|i am|i've|i’ve|i was|i'd|i’d|i would|i'll|i’ll|i will|we|we're|we’re)"
    r"\s+(?:\w+\s+){0,2}?"
    r"(?:glad|happy|sorry|afraid|scared|excited|thrilled|sad|worried|love|loved|hate|feel|felt|fear|hope|enjoy"
    r"|enjoyed|adore|miss|sure|like|liked|delighted|proud|thankful|grateful|honou?red)\b"
    # Sampled lead-ins (best of N) add the model's own taste and life: "one of my favorite films", "I'd love to
    # recommend", "a must-watch for me too", "way before me". A recommender speaking of itself says nothing true.
    r"|\b(?:my|our)\s+(?:\w+\s+)?(?:favou?rites?|all-time)\b|\b(?:me|myself|mine)\b|\bi(?:'m|’m| am)\s+not\b"
    r"|\byou(?:'re|’re| are|'ve|’ve| have)?\s+(?:\w+\s+)?(?:feeling|feel|felt|sad|scared|afraid|worried|bored"
    r"|lonely|upset|liked|loved|enjoyed|hated|watched|seen)\b"
)
NEGATION = re.compile(r"(?i)^(?:not|no|never|without|nothing|nor|isn't|aren't|don't|doesn't|won't|can't|hardly"
                      r"|isn’t|aren’t|don’t|doesn’t|won’t|can’t)$|n't$|n’t$")
NEGATION_REACH = 4  # words after "not" that it negates
ECHO_WORDS = 5  # five words in a row from the person's message is saying it back
# "You're looking for ..." / "You want ...": restating the request, fine only when the sentence also names a pick.
RESTATES = re.compile(r"(?i)^\W*(?:so\s+)?(?:you(?:'re|’re| are)\s+(?:looking for|after|asking for|in the mood for)"
                      r"|you\s+(?:want|asked|said|mentioned|need)\b)")
# Words of a sentence that only frames the list ("Here are some picks for you", "Hope you enjoy these").
FRAMING = frozenset(stem(w) for w in """pick picks here few suggestion suggestions choice choices option options
list try hope enjoy enjoyable tailored idea ideas start started place fit fits worth check out go""".split())
FRAMING_MIN_WORDS = 2  # "Enjoy these!"; a cut-off fragment is dropped before (writer.WHOLE_SENTENCE)
# What a sentence about a pick may hold and still say nothing the list does not: "For fans of Quentin Tarantino,
# Pulp Fiction (1994) is a film from 1994."
EMPTY_CLAIM = frozenset(stem(w) for w in "film films movie movies fan fans from year released made came out".split())
YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
FANS_OF = re.compile(r"(?i)\bfans?\s+of\s+([^,.;:]+)")  # "For fans of 2000, ...": a year is nobody's interest
KINDS_SAID = re.compile(r"(?i)\bis an? ([^.;]+?) (?:film|movie)\b")  # "is a comedy and drama film"
KIND_FAMILY = 5  # letters two spellings of a kind share: "animation", "animated"
QUOTE_WORDS = 4  # four words in a row from a pick's plot: a quote, which no sentence may call what the pick is
ABOUT_PERSON = re.compile(r"(?i)\b(?:you|your|you're|you’re)\b")


def _words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def negated_stems(text: str) -> set[str]:
    """Stems of the words a negation reaches: "nothing scary, no horror" -> {"scary", "horror"}."""
    words = _words(text)
    out: set[str] = set()
    for i, word in enumerate(words):
        if NEGATION.search(word):
            out |= {stem(w) for w in words[i + 1 : i + 1 + NEGATION_REACH]}
    return out


def _occurrences(words: list[str], part: list[str]) -> int:
    """How often the run of words `part` occurs in `words` (a title said twice in a row counts twice)."""
    n = len(part)
    return sum(words[i : i + n] == part for i in range(len(words) - n + 1)) if n else 0


def _runs(text: str, n: int) -> set[tuple[str, ...]]:
    words = _words(text)
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


class SenseGuard:
    """Checks of what a lead-in sentence says against the request, the interests and the picks."""

    def __init__(self, user_text: str, interests: Iterable[str], aversions: Iterable[str],
                 picks: dict[str, tuple[str, ...]], labels: Iterable[str], quotes: Iterable[str] = ()) -> None:
        """picks: normalised title -> the pick's facets; labels: every genre and tag of the catalog; quotes: the
        plot quotes the picks' reasons give."""
        interests, aversions = list(interests), list(aversions)
        self.asked = set(content_words(" ".join([user_text, *interests])))
        # Words the person negated themselves may be negated back ("no horror" -> "nothing too scary here").
        self.averse = {stem(w) for a in aversions for w in _words(a)} - {stem("phrase")}  # "marvel (phrase)"
        self.refused = negated_stems(user_text) | self.averse
        self.echo = _runs(user_text, ECHO_WORDS)
        self.picks = picks
        self.labels = {label: {stem(w) for w in _words(label)} for label in labels if label}
        self.quoted = {run for quote in quotes for run in _runs(quote, QUOTE_WORDS)}

    def named_picks(self, sentence: str) -> list[str]:
        """Normalised titles of the picks the sentence names."""
        key = " " + " ".join(_words(sentence)) + " "
        # Both sides in the same words: a title's digits or marks ("6 Underground", "8½") must not hide it.
        return [title for title in self.picks if (words := " ".join(_words(title))) and f" {words} " in key]

    def is_framing(self, sentence: str) -> bool:
        """True when the sentence says nothing beyond the request and framing words (nothing to get wrong)."""
        words = content_words(sentence)
        return len(sentence.split()) >= FRAMING_MIN_WORDS and set(words) <= self.asked | FRAMING

    def problem(self, sentence: str) -> str | None:
        """Why the sentence makes no sense as a lead-in, or None."""
        if FEELINGS.search(self._without_titles(sentence)):  # "Despicable Me" is a title, not the model
            return "talks about feelings"
        words = _words(sentence)
        negated, plain = set(), set()
        for i, word in enumerate(words):
            reach = any(NEGATION.search(w) for w in words[max(0, i - NEGATION_REACH) : i])
            (negated if reach else plain).add(stem(word))
        if (negated & self.asked) - self.refused:
            return "negates the request"
        if negated & plain - self.refused - {stem(w) for w in ("it", "one", "you", "all", "too")}:
            return "contradicts itself"
        if (fans := FANS_OF.search(sentence)) and not content_words(fans[1]):
            return "names no interest"
        fan_of = set(content_words(fans[1])) if fans else set()
        if fan_of & self.averse:  # "I've seen all the Marvel movies, what else?"
            return "calls the person a fan of what they turned down"
        if any(label and label <= fan_of and not label <= self.asked for label in self.labels.values()):
            return "calls the person a fan of a kind they did not name"  # "For fans of comedy" to "kids, animals"
        named = self.named_picks(sentence)
        if any(_occurrences(words, _words(title)) > 1 for title in named):
            return "compares a pick with itself"  # "For fans of Get Out, Get Out (2017) is well rated"
        rest = self._without_titles(sentence)
        if named and YEAR.search(rest) and set(content_words(YEAR.sub(" ", rest))) <= (
                self.asked | FRAMING | EMPTY_CLAIM):
            return "says nothing of a pick but what the list shows"  # its title and year
        if _runs(sentence, ECHO_WORDS) & self.echo or (RESTATES.search(sentence) and not named):
            return "repeats the request"
        have = {label for title in named for label in self.picks[title]}  # the named picks' genres and tags
        if named and (wrong := self._wrong_label(sentence, have)):
            return f"calls a pick {wrong!r}, which it is not"
        if _runs(rest, QUOTE_WORDS) & self.quoted:  # "The Exorcist (1973) is an 12-year-old Regan MacNeil begins"
            return "makes a plot quote what a pick is"
        kinds = KINDS_SAID.search(rest)
        said = [stem(w) for w in _words(kinds[1]) if w not in ("a", "an", "and")] if kinds else []
        if len(set(said)) < len(said):  # "is an horror, supernatural and horror film"
            return "says a kind twice"
        families = {w[:KIND_FAMILY] for w in said}  # "animation" is said as "animated"
        if fan_of and kinds and any(  # "For fans of thriller, Parasite (2019) is a comedy and drama film"
                label in have and stems <= fan_of and not {s[:KIND_FAMILY] for s in stems} <= families
                for label, stems in self.labels.items()):
            return "leaves out the kind it opens with"
        return None

    def _without_titles(self, sentence: str) -> str:
        """The sentence with the picks' titles it names cut out."""
        for title in self.named_picks(sentence):
            sentence = re.sub(r"(?i)\b" + r"\W+".join(map(re.escape, title.split())) + r"\b", " ", sentence)
        return sentence

    def _wrong_label(self, sentence: str, have: set[str]) -> str | None:
        """A genre or tag said of the named picks that none of them has (`have`: theirs; a request's genre said of
        "you" is fine)."""
        stems = [stem(w) for w in _words(sentence)]
        about_you = bool(ABOUT_PERSON.search(sentence))
        for label, label_stems in self.labels.items():
            if label in have or not label_stems or not label_stems <= set(stems):
                continue
            if about_you and label_stems <= self.asked:
                continue  # "if you like westerns, X ...": the person's request, not a claim about X
            return label
        return None
