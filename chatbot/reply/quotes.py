"""The clause of an item's text that best matches the person's words, quoted verbatim with the matched words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
# A sentence ends at . ! ? ; before a capital, unless the "." closes an abbreviation or an initial ("vs.", "W.").
SENTENCE_END = re.compile(r"(?<![A-Z])(?<!\b(?:vs|Mr|Dr|St|Jr|Sr|Mt|No|Ms))(?<!\bMrs)[.!?;]+[\"”’)]*\s+(?=[\"“(A-Z0-9])")
CLAUSE_BREAK = re.compile(r",\s+|\s+(?:and|but|while|when|who|which|until|after|before)\s+")
DANGLING = re.compile(r"\s+(?:who|whom|whose|which|that|and|but|or|while|when|where)$", re.I)
LEADING = re.compile(r"^(?:and|but|or|while)\s+", re.I)
MAX_QUOTE_CHARS = 110
MIN_QUOTE_CHARS = 25
MIN_QUOTE_WORDS = 4
# Words that say nothing about what a person wants: function words, chat filler and the request's own frame
# ("can you recommend a good movie like..."). A quote matched on these would tell the reader nothing.
STOPWORDS = frozenset("""
a about above after again against all also am an and any are aren as at be because been before being below
between both but by can could did do does doing don down during each few for from further had has have having
he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
now of off on once only or other our ours out over own same she should so some such than that the their theirs
them then there these they this those through to too under until up very was we were what when where which while
who whom why will with would you your yours yourself yourselves
hi hello hey thanks thank please ok okay yes yeah sure well really pretty lot lots kind sort maybe anything
something someone thing things stuff one ones like liked likes love loved loves enjoy enjoyed want wanted looking
look watch watched watching seen see saw movie movies film films show shows recommend recommendation suggest
suggestion suggestions good great nice best favorite favourite fan new old get got think know make made go going
let lets im ive id dont doesnt didnt cant wont isnt thats whats youre theyre also any type types genre genres
story stories
""".split())  # "story": every film tells one ("a true story" quoted "Raging Bull: My Story")


def stem(word: str) -> str:
    """A crude stem, enough to match "thieves"/"thief", "robbing"/"rob", "plans"/"plan" (lower-cased)."""
    word = word.lower().replace("’", "'").split("'")[0]
    for suffix, keep in (("ieves", "ief"), ("ies", "y"), ("ves", "f"), ("ing", ""), ("ed", ""), ("es", ""),
                         ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + keep
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]  # "robb" -> "rob", "plann" -> "plan"
    return word


def content_words(text: str) -> dict[str, str]:
    """stem -> the word as the person wrote it, for every word that carries meaning."""
    out: dict[str, str] = {}
    for word in WORD.findall(text or ""):
        lower = word.lower().replace("’", "'")
        if len(lower) < 3 or lower.replace("'", "") in STOPWORDS or lower in STOPWORDS:
            continue
        out.setdefault(stem(lower), lower)
    return out


@dataclass(frozen=True)
class Quote:
    """A verbatim piece of an item's text and the person's words (as they wrote them) that it contains."""

    text: str
    marked: tuple[str, ...]  # words of `text` (as they appear there) that match the person's words
    said: tuple[str, ...]  # the person's words they match
    cut: bool = False  # the clause goes on after `text`


def sentences(text: str) -> list[str]:
    """The text's sentences, verbatim."""
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def _clauses(text: str) -> Iterable[str]:
    for sentence in sentences(text):
        if not sentence:
            continue
        if len(sentence) <= MAX_QUOTE_CHARS:
            yield sentence.rstrip(".;!? ")
            continue
        # A long sentence: its clauses, each a verbatim slice, without a word left hanging at either end ("A true
        # story about Frank Abagnale Jr. who" before ", before his 19th birthday, ..."; "and starring Keanu Reeves").
        start = 0
        for cut in CLAUSE_BREAK.finditer(sentence):
            yield LEADING.sub("", DANGLING.sub("", sentence[start : cut.start()].strip()))
            start = cut.end()
        yield LEADING.sub("", sentence[start:].strip().rstrip(".;!? "))


def best_quote(text: str, wanted: dict[str, str], title: str = "", labels: Iterable[str] = ()) -> Quote | None:
    """The clause of `text` with the most distinct wanted stems (shorter wins a tie), or None when none matches.

    A clause defining the item ("<title> is a 1958 American western film") or matching only the item's own labels
    (its genres) is left out: it restates the category and says nothing about the item itself.
    """
    if not text or not wanted:
        return None
    label_stems = {stem(w) for label in labels for w in WORD.findall(label)}
    defining = re.compile(rf"^\W*(?:the\s+)?{re.escape(title.lower())}\W*\s+(?:is|was|are|were)\b") if title else None
    best: tuple[float, Quote] | None = None
    for clause in _clauses(text):
        cut = len(clause) > MAX_QUOTE_CHARS
        if not MIN_QUOTE_CHARS <= len(clause) <= MAX_QUOTE_CHARS:
            if cut:
                clause = clause[:MAX_QUOTE_CHARS].rsplit(" ", 1)[0].rstrip(",;:–- ")
            if len(clause) < MIN_QUOTE_CHARS:
                continue
        if len(clause.split()) < MIN_QUOTE_WORDS or (defining and defining.search(clause.lower())):
            continue
        marked, said = [], []
        words = list(WORD.finditer(clause))
        for n, found in enumerate(words):
            word, key = found.group(), stem(found.group())
            if key in wanted and wanted[key] not in said and word.lower() not in STOPWORDS and not _in_other_name(
                    clause, words, n, wanted):
                marked.append(word)
                said.append(wanted[key])
        if not marked or all(stem(w) in label_stems for w in marked):
            continue
        score = len(said) - len(clause) / 1000
        if best is None or score > best[0]:
            best = (score, Quote(clause, tuple(marked), tuple(said), cut))
    return best[1] if best else None


def _in_other_name(clause: str, words: list[re.Match[str]], n: int, wanted: dict[str, str]) -> bool:
    """Whether words[n] is part of a name the person did not say: "Christopher" of "a novel by Christopher Priest"
    after "Christopher Nolan movies", "Tom" of "Tom Cruise" after "Tom Hanks"."""
    if not words[n].group()[0].isupper():
        return False
    for k in (n - 1, n + 1):
        if not 0 <= k < len(words):
            continue
        first, second = sorted((words[k], words[n]), key=lambda m: m.start())
        other = words[k].group()
        if (not clause[first.end():second.start()].strip() and other[0].isupper() and stem(other) not in wanted
                and other.lower() not in STOPWORDS):
            return True
    return False
