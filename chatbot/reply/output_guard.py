"""What the model's lead-in may not say: unchosen or invented titles, its instructions, links, markup, secrets.

The prompt asks the model to behave; these checks make the guarantees hold whatever it says (a small model follows
injected instructions easily). A sentence that fails any check is dropped whole; the reply falls back to a template.
"""

from __future__ import annotations

import re
from typing import Iterable

from chatbot.reply.sense_guard import SenseGuard
from chatbot.understanding.title_match import TitleMatcher
from chatbot.types import Recommendation
from prompts import TEMPLATE_TOKEN

# A quoted/emphasised span or "Name (1999)" in model output looks like a title and must be a chosen one.
TITLE_LIKE = re.compile(r"[\"“*_]+([^\"”*_\n]{2,80})[\"”*_]+|((?:[A-Z][\w'’:&-]*\s?){1,6})\s\((?:19|20)\d\d\)")
# Two or more capitalised words in a row name something ("Evil Movie 3000", "Tom Hanks"); it must come from the
# prompt's data (chosen titles, reasons, interests), else the model made it up or took it from an injected order.
NAME_RUN = re.compile(r"\b[A-Z][\w’'-]*(?:[ \t]+(?:[A-Z][\w’'-]*|\d+\b))+")
POSSESSIVE = re.compile(r"['’]s\b")
YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")  # a year said in a lead-in must be one the prompt's data gives
# Four words in a row from the instructions is quoting them, not chatting; three would catch "from the list".
LEAK_WORDS = 4
LISTED_NUMBER = re.compile(r"\(?\d+\)?[,;.]?")  # "2021," in "2021, 2014, 1930"; not "7.3/10" or "3,546"
REPEAT_WORDS = 3  # one sentence saying the same three words twice is a small model looping, not style
# Nothing a lead-in needs, and each is a way to carry data out or code in once rendered (markdown images load a
# URL by themselves; links, tags and template tokens act on a click or in another renderer) or looks like a secret.
UNSAFE = {
    "a link or URL": re.compile(
        r"(?i:[a-z][a-z0-9+.-]*://|\bwww\.|(?:javascript|vbscript)\s*:|\bdata:\w+/)"  # schemes and hosts
        r"|\]\s*\(|!\["  # markdown links and images
    ),
    "an HTML tag": re.compile(r"(?i:<\s*/?\s*[a-z!?])"),
    # Halves of a token too: "<|im_start" alone is still the model playing with turn boundaries.
    "a chat-template token": re.compile(rf"{TEMPLATE_TOKEN.pattern}|<\||\|>|\bim_(?:start|end)\b", re.IGNORECASE),
    "a role label": re.compile(r"(?i:^\W*(?:system|assistant|user|human|developer)\s*:)"),
    "an e-mail address": re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),
    "a key, path or variable name": re.compile(
        r"[A-Za-z0-9+/=_-]{28,}"  # API keys, tokens, base64 blobs
        r"|(?:^|[\s(\"'`])(?:~|\.{1,2})?/[\w.-]+/"  # /etc/passwd, ~/.ssh/, ./config/
        r"|\b[A-Za-z]:\\"  # C:\Users
        r"|\$\{?[A-Z_][A-Z0-9_]{2,}|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b"  # $HOME, OPENAI_API_KEY
    ),
}


def norm(text: str) -> str:
    """Lower-case words and digits separated by single spaces: the form every comparison here uses."""
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def word_runs(text: str, n: int) -> list[tuple[str, ...]]:
    """Every run of n consecutive words of the text, normalised, in order."""
    words = norm(text).split()
    return [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]


def word_ngrams(text: str, n: int = LEAK_WORDS) -> set[tuple[str, ...]]:
    """Every run of n consecutive words of the text, normalised."""
    return set(word_runs(text, n))


def repeats_itself(sentence: str) -> bool:
    """A small model stuck in a loop or a list: a word said twice in a row, a three-word run said twice, or three
    numbers in a row
    ("2021, 2014, 1930"; numbers inside titles, as in "24 Hours to Live", stand apart, and a rating such as
    "7.3/10 from 3,546 votes" is one number after another, not a list)."""
    runs = word_runs(sentence, REPEAT_WORDS)
    words = norm(sentence).split()
    stutter = any(a == b and not a.isdigit() for a, b in zip(words, words[1:]))  # "a classic, classic pick"
    numbers = [bool(LISTED_NUMBER.fullmatch(token)) for token in sentence.split()]
    listed = any(all(numbers[i : i + REPEAT_WORDS]) for i in range(len(numbers) - REPEAT_WORDS + 1))
    return stutter or len(set(runs)) < len(runs) or listed


def unsafe_kind(sentence: str) -> str | None:
    """The kind of link, markup or secret-looking text in the sentence, or None."""
    return next((kind for kind, pattern in UNSAFE.items() if pattern.search(sentence)), None)


class TitleGuard:
    """Drops sentences that name an item that was not chosen, or a name the prompt's data does not contain."""

    def __init__(self, matcher: TitleMatcher, allowed: Iterable[Recommendation], grounded: Iterable[str] = (),
                 also_ids: Iterable[str] = ()) -> None:
        """allowed: the picks; grounded: other prompt texts names may come from; also_ids: other items the prompt
        names (the person's interests, the films a reason compares a pick with), which may be named too."""
        self.matcher = matcher
        allowed, grounded = list(allowed), list(grounded)
        self.allowed_ids = {r.item_id for r in allowed} | set(also_ids)
        self.allowed_titles = [norm(r.title) for r in allowed]
        known = [*(r.title for r in allowed), *(reason for r in allowed for reason in r.reasons), *grounded]
        # " | " keeps a name from matching across two texts; the spaces make matches whole words.
        self.grounded = " " + " | ".join(norm(t) for t in known) + " "
        # Years of the picks, of the interests and of reasons that state one ("from 1996, in the years you asked
        # for"); not of plot quotes: "In 1927, a silent film star ..." is no year of the film.
        stated = [text for r in allowed
                  for text in ([e.text for e in r.explanations if e.kind not in ("plot", "premise")] if r.explanations
                               else r.reasons)]
        self.years = {str(r.year) for r in allowed if r.year} | set(YEAR.findall(" ".join([*stated, *grounded])))

    def _allowed_title(self, span: str) -> bool:
        key = norm(span)
        return any(key and (key in title or title in key) for title in self.allowed_titles)

    def _grounded(self, name: str) -> bool:
        return f" {norm(POSSESSIVE.sub('', name))} " in self.grounded

    def _name_ok(self, run: re.Match[str], sentence: str) -> bool:
        name = run.group()
        if self._grounded(name):
            return True
        # The first word of a sentence is capitalised anyway: "Enjoy Galaxy Quest" names only "Galaxy Quest".
        opening = run.start() == re.match(r"\W*", sentence).end()  # type: ignore[union-attr]
        rest = name.split(maxsplit=1)[1:]
        return opening and bool(rest) and self._grounded(rest[0])

    def years_ok(self, sentence: str) -> bool:
        """False if the sentence states a year no pick, reason or interest gives ("Singin' in the Rain ... from 1927")."""
        return set(YEAR.findall(sentence)) <= self.years

    def sentence_ok(self, sentence: str) -> bool:
        """False if the sentence names a catalog item that was not chosen, or a title or name made up."""
        for match in self.matcher.find(sentence):
            if match.item_id not in self.allowed_ids and not self._allowed_title(match.text):
                return False
        for found in TITLE_LIKE.finditer(sentence):
            if not self._allowed_title(found.group(1) or found.group(2) or ""):
                return False
        return all(self._name_ok(run, sentence) for run in NAME_RUN.finditer(sentence))


class LeadInGuard:
    """Every check a lead-in sentence must pass before it is shown."""

    def __init__(self, titles: TitleGuard, instructions: set[tuple[str, ...]], sense: SenseGuard | None = None) -> None:
        self.titles = titles
        self.instructions = instructions
        self.sense = sense

    def problem(self, sentence: str) -> str | None:
        """Why the sentence may not be shown, or None when it may."""
        if word_ngrams(sentence) & self.instructions:
            return "quotes the instructions"
        if kind := unsafe_kind(sentence):
            return f"contains {kind}"
        if not self.titles.sentence_ok(sentence):
            return "names an item that was not chosen"
        if not self.titles.years_ok(sentence):
            return "states a year the data does not give"
        if repeats_itself(sentence):
            return "repeats itself"
        if self.sense is not None:
            return self.sense.problem(sentence)
        return None
