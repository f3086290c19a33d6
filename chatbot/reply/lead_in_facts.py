"""The facts a lead-in may use, as the adapter's prompt lists them, and reference lead-ins built from them.

A LoRA adapter (chatbot/llm/lora_training.py) teaches SmolLM2 to write one sentence from these facts. The
references are built here from the same facts the prompt shows, so the model learns to say only what it is given:
the person's interest, a pick's title and year, its genres and its first reason.
"""

from __future__ import annotations

import re

from chatbot.types import Recommendation
from retrieval.catalog import Catalog

FACT_PICKS = 1  # picks whose facts the prompt lists: the lead-in names the first, the item lines do the rest
FACT_REQUEST_CHARS = 200  # of the person's message in the prompt: its start says what they asked for
FACT_GENRES = 3
# Reasons that read as "<title> <verb> <reason>": a plot quote is a fragment and a generic facet says nothing.
CLAUSE_VERBS = {"shared": "is", "person": "is", "standing": "is", "similar": "is", "era": "is", "log": "was"}
# How a sentence opens on the person's first interest (the profile labels it "western (genre)", "sean connery
# (person)", or "Heat (1995)" for an item); the sentence goes on with the first pick. One wording for every kind:
# measured, a 135M model trained on a wording per kind (or several at random) mixed them up ("Along the lines of
# horror"), while "For fans of" reads right for a genre, a person and a title alike.
OPENER, NO_INTEREST = "For fans of {x}, ", "To start, "
LABEL_KIND = re.compile(r"^(?P<x>.+?) \((?P<kind>[a-z ]+)\)$")
YEAR_SUFFIX = re.compile(r" \((?:1[89]|20)\d\d\)$")


def genres_of(catalog: Catalog, item_id: str) -> list[str]:
    """The item's first genres (or tags), lower-cased, as the prompt lists them."""
    item = catalog.get(item_id)
    return list(item.facets[:FACT_GENRES]) if item else []


def _label(rec: Recommendation) -> str:
    """Title with year, as shown to people (what Item.label is for a catalog item)."""
    return f"{rec.title} ({rec.year})" if rec.year else rec.title


def pick_facts(items: list[Recommendation], catalog: Catalog) -> list[str]:
    """One line per first pick (FACT_PICKS): "Heat (1995): crime, thriller; also directed by Michael Mann, like
    Collateral"."""
    lines = []
    for rec in items[:FACT_PICKS]:
        parts = [", ".join(genres_of(catalog, rec.item_id)), *(rec.reasons[:1])]
        lines.append(f"{_label(rec)}: " + "; ".join(p for p in parts if p))
    return lines


def _clause(rec: Recommendation, catalog: Catalog, kind: str) -> str:
    """What the sentence says of one pick: its first reason when it reads as a clause, else its genres."""
    first = rec.explanations[0] if rec.explanations else None
    if first is not None and first.kind in CLAUSE_VERBS:
        text = re.sub(r"^(well rated|less known): (.*)$", r"\1 (\2)", first.text)
        return f"{CLAUSE_VERBS[first.kind]} {text}"
    genres = genres_of(catalog, rec.item_id)
    if not genres:
        return ""
    what = listed(genres)
    return f"is {with_article(what)} {kind}" + (f" from {rec.year}" if rec.year else "")


def listed(words: list[str]) -> str:
    """Words as a sentence lists them: "a", "a and b", "a, b and c"; "" for none."""
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def with_article(words: str) -> str:
    """"an action", "a romance": the indefinite article the words take, by their first letter."""
    return ("an " if words[:1].lower() in "aeiou" else "a ") + words


def prompt_interests(interests: list[str]) -> list[str]:
    """The interests the adapter's prompt lists: free phrases ("black growing (phrase)") read badly in a sentence."""
    return [label for label in interests if not label.endswith(" (phrase)")]


def said_as(label: str) -> str:
    """An interest as a sentence says it: "horror (genre)" -> "horror", "tom hanks (person)" -> "Tom Hanks"."""
    if found := LABEL_KIND.match(label):
        return found["x"].title() if found["kind"] == "person" else found["x"]
    return label


def opening(interests: list[str], fact: str, first_title: str) -> str:
    """The sentence's start on the person's first listed interest that the pick's fact line bears out (a genre it
    has, a person or film its reason names), so "For fans of X" never joins a pick to an interest it was not
    chosen for ("For fans of Batman, Coco"); none borne out: "To start, "."""
    said = f" {fact.lower()} "
    for label in prompt_interests(interests):
        if LABEL_KIND.match(label):
            x = said_as(label)
        elif (x := YEAR_SUFFIX.sub("", label)) == first_title:
            continue
        if re.search(rf"(?<![\w]){re.escape(x.lower())}(?![\w])", said):
            return OPENER.format(x=x)
    return NO_INTEREST


_FANS_OPENING = re.compile(r"^For fans of (?P<x>[^,]+), (?P<rest>.+)$", re.S)


_TIDY = [  # (pattern, replacement): how a person would say what the model wrote
    (re.compile(r"\bis with (?=[^,.;]+, whom you named)"), "stars "),  # "is with Denzel Washington, whom you named"
    (re.compile(r"\bis also with\b"), "also stars"),  # "Fracture (2007) is also with Ryan Gosling, like The Notebook"
    (re.compile(r"\((\d{4})\) is from \1, in the years you asked for"), r"(\1) is from the years you asked for"),
    (re.compile(r"\((\d{4})\)( is an? [^.;]*? (?:film|movie)) from \1\b"), r"(\1)\2"),  # "(2015) is a thriller film"
    (re.compile(r"\ban (?=[b-df-hj-np-tv-z])(?!hour|honest|hono|heir)"), "a "),  # "an horror film"; titles keep "An"
]


def tidy(sentence: str) -> str:
    """A lead-in as a person would say it: the opening dropped when the sentence names its interest again ("For fans
    of Arrival, Aliens (1986) is close in content to Arrival"), a person's film "stars" them, a year said once, and
    "a" before a consonant (the model writes "an horror film")."""
    if (found := _FANS_OPENING.match(sentence)) and re.search(
            rf"(?<!\w){re.escape(found['x'].strip().lower())}(?!\w)", found["rest"].lower()):
        sentence = found["rest"][:1].upper() + found["rest"][1:]
    for pattern, replacement in _TIDY:
        sentence = pattern.sub(replacement, sentence)
    return sentence


def reference_lead_in(items: list[Recommendation], interests: list[str], catalog: Catalog,
                      item_kind: str = "film") -> str:
    """A true one-sentence lead-in from the prompt's facts: the first interest, the first pick and what is true of
    it. One pick only: measured, sentences about two picks mostly failed the repeat check ("is well rated" twice)."""
    if not items:
        return ""
    first = items[0]
    fact = pick_facts(items[:1], catalog)[0]
    sentence = f"{opening(interests, fact, first.title)}{_label(first)} {_clause(first, catalog, item_kind)}".rstrip()
    return sentence[0].upper() + sentence[1:] + "."
