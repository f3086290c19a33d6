"""Ask a chat model for interests as JSON, parse it defensively, and keep only what the catalog can ground."""

from __future__ import annotations

import datetime
import json
import logging
import math
import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from rapidfuzz import fuzz

from chatbot.understanding.lexicon import STOPWORDS
from chatbot.understanding.llm_grammar import extraction_grammar
from chatbot.understanding.rule_patterns import DECADE_WORDS
from chatbot.understanding.title_match import TitleMatcher, title_key
from chatbot.types import Signal, facet_key
from chatbot.understanding.vocabulary import Vocabulary, normalize, tokenize
from prompts import render

log = logging.getLogger(__name__)

MAX_LIST = 8  # a tiny model can loop forever on a list; more than this is noise
MAX_TEXT_CHARS = 1000  # the prompt stays bounded whatever the user pastes
MAX_PREVIOUS_CHARS = 300  # the recommender's last turn, as context for an answer ("have you seen X?" - "yes")
MAX_OUTPUT_CHARS = 4000  # parsing work stays bounded whatever the model returns
MAX_TRIES = 20  # objects tried, and cut points tried when closing a truncated one
MAX_GENRES_IN_PROMPT = 25
LLM_FACET_STRENGTH = 1.0
INFERRED_STRENGTH = 0.5  # a facet the model inferred but the user never said (only with inference=True)
LLM_ITEM_STRENGTH = 2.0
SUPPORT_RATIO = 85  # a word of the model's answer counts as said if the message has it, typo allowed
# The object is flat, so its first "}" ends it; stopping there saves most of a tiny model's run-on text.
STOP = ["}"]


class ChatModel(Protocol):
    """The one method this module needs from chatbot.llm."""

    def generate(self, messages: list[dict[str, str]], *, max_new_tokens: int | None = None,
                 stop: list[str] | None = None, timeout_s: float | None = None, temperature: float = 0.0,
                 **options: Any) -> str: ...


def _string_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return []
    out = [" ".join(v.split())[:100] for v in value if isinstance(v, str) and v.strip()]
    return list(dict.fromkeys(out))[:MAX_LIST]


def _year(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdecimal():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and 1870 <= value <= datetime.date.today().year + 1:
        return value
    return None


class LLMExtraction(BaseModel):
    """The JSON object the prompt asks for; anything malformed is coerced or dropped, never raised."""

    model_config = ConfigDict(extra="ignore")

    likes: list[str] = []
    dislikes: list[str] = []
    liked_titles: list[str] = []
    disliked_titles: list[str] = []
    year_min: int | None = None
    year_max: int | None = None

    @field_validator("likes", "dislikes", "liked_titles", "disliked_titles", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> list[str]:
        return _string_list(value)

    @field_validator("year_min", "year_max", mode="before")
    @classmethod
    def _years(cls, value: Any) -> int | None:
        return _year(value)


def _balanced_end(text: str, start: int) -> tuple[int | None, list[str], bool]:
    """Index after the brace that closes text[start]; else None, the open brackets, and whether a string is open."""
    stack: list[str] = []
    in_string = escaped = False
    for i in range(start, len(text)):
        char = text[i]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            stack.append("}" if char == "{" else "]")
        elif char in "}]":
            if stack and stack[-1] == char:
                stack.pop()
            if not stack:
                return i + 1, [], False
    return None, stack, in_string


def _loads(candidate: str) -> Any:
    """json.loads, then again after the repairs small models need: Python literals, single quotes, trailing commas."""
    attempts = [candidate]
    fixed = re.sub(r"\bNone\b", "null", candidate)
    fixed = re.sub(r"\bTrue\b", "true", re.sub(r"\bFalse\b", "false", fixed))
    fixed = re.sub(r",\s*([}\]])", r"\1", fixed)
    attempts.append(fixed)
    if '"' not in fixed:
        attempts.append(fixed.replace("'", '"'))
    for attempt in attempts:
        try:
            return json.loads(attempt)
        except (json.JSONDecodeError, RecursionError):
            continue
    return None


def first_json_object(text: str) -> dict[str, Any] | None:
    """The first JSON object in model output, closing a truncated one when possible; None if there is none."""
    text = text[:MAX_OUTPUT_CHARS]  # the answer is short; bounded work whatever a backend returns
    start = text.find("{")
    tries = 0
    while start != -1 and tries < MAX_TRIES:
        tries += 1
        end, stack, in_string = _balanced_end(text, start)
        if end is not None:
            value = _loads(text[start:end])
        else:  # cut off by max_new_tokens: close what is open, dropping a half-written last entry
            body = text[start:] + ('"' if in_string else "")
            value = _loads(body + "".join(reversed(stack)))
            cut, cuts = len(body), 0
            while value is None and cuts < MAX_TRIES and (cut := body.rfind(",", 0, cut)) > 0:
                cuts += 1
                _, stack, in_string = _balanced_end(body[:cut], 0)
                if not in_string:
                    value = _loads(body[:cut] + "".join(reversed(stack)))
        if isinstance(value, dict):
            return value
        start = text.find("{", start + 1)
    return None


def parse_extraction(output: str) -> LLMExtraction | None:
    """Validated extraction from raw model output, or None when it holds no usable object."""
    data = first_json_object(output or "")
    if data is None:
        return None
    try:
        return LLMExtraction.model_validate(data)
    except ValidationError:  # validators coerce, so this is only a wrong top-level shape
        return None


@dataclass
class LLMSignals:
    """What the model proposed that the catalog could ground."""

    signals: list[Signal] = field(default_factory=list)
    item_ids: list[str] = field(default_factory=list)
    year_min: int | None = None
    year_max: int | None = None

    def is_empty(self) -> bool:
        """True when nothing survived grounding."""
        return not (self.signals or self.year_min or self.year_max)


@dataclass(frozen=True)
class PromptExample:
    """The one worked example in the prompt, built from the catalog so it fits any domain."""

    message: str
    answer: dict[str, Any]


def build_example(vocabulary: Vocabulary, titles: TitleMatcher) -> PromptExample:
    """An example from the catalog's most common facets and its most prominent item."""
    facets = [v for v, _ in (vocabulary.genres + vocabulary.tags).most_common(2)] or ["this", "that"]
    liked, disliked = facets[0], facets[-1] if len(facets) > 1 else "other"
    title = titles.example_titles(1)[0]
    message = f"I loved {title} and I like {liked}, but no {disliked} please"
    answer = {"likes": [liked], "dislikes": [disliked], "liked_titles": [title], "disliked_titles": [],
              "year_min": None, "year_max": None}
    return PromptExample(message, answer)


def prompt_genres(vocabulary: Vocabulary) -> list[str]:
    """The catalog's most common genres and tags, offered in the prompt (and the grammar)."""
    return [v for v, _ in (vocabulary.genres + vocabulary.tags).most_common(MAX_GENRES_IN_PROMPT)]


def build_messages(text: str, vocabulary: Vocabulary, example: PromptExample, previous: str | None = None
                   ) -> list[dict[str, str]]:
    """Chat messages for one extraction: system rules, then the user prompt with the example, the recommender's
    last turn (`previous`, if any: what a short answer is about) and the message."""
    user = render("extract", text=text[:MAX_TEXT_CHARS], genres=prompt_genres(vocabulary),
                  example_message=example.message, example_json=json.dumps(example.answer),
                  previous=(previous or "")[:MAX_PREVIOUS_CHARS])
    return [{"role": "system", "content": render("extract_system")}, {"role": "user", "content": user}]


def named_titles(text: str, previous: str | None, titles: TitleMatcher) -> dict[str, str]:
    """Titles the message or the reply it answers names, as written there -> item id (the grammar's titles)."""
    found: dict[str, str] = {}
    for source in (text[:MAX_TEXT_CHARS], (previous or "")[:MAX_PREVIOUS_CHARS]):
        for match in titles.find(source) if source else ():
            found.setdefault(" ".join(match.text.split()), match.item_id)
    return found


def extraction_terms(text: str, vocabulary: Vocabulary) -> list[str]:
    """The values "likes"/"dislikes" may take: the message's own vocabulary terms, then the prompt's genres."""
    said = [f.partition(":")[2] for term in vocabulary.find_terms(tokenize(text[:MAX_TEXT_CHARS]))
            for f in term.facets]
    return list(dict.fromkeys(said + prompt_genres(vocabulary)))


def grammar_for(text: str, vocabulary: Vocabulary, named: dict[str, str]) -> str:
    """The GBNF grammar of one extraction (chatbot/understanding/llm_grammar.py)."""
    return extraction_grammar(extraction_terms(text, vocabulary), named)


def _echoes_example(data: LLMExtraction, example: PromptExample, text: str) -> bool:
    """A tiny model often copies the example; its values then say nothing about this message."""
    answer = example.answer
    copied = (data.likes == answer["likes"] and data.dislikes == answer["dislikes"]) or (
        data.liked_titles and data.liked_titles == answer["liked_titles"])
    return bool(copied) and normalize(answer["liked_titles"][0]) not in normalize(text)


def _said(words: list[str], text_words: list[str]) -> bool:
    """Most content words of a value occur in the message (a typo allowed): the model did not invent it."""
    content = [w for w in words if w not in STOPWORDS] or words
    hits = sum(any(t == w or (len(w) >= 5 and fuzz.ratio(w, t) >= SUPPORT_RATIO) for t in text_words)
               for w in content)
    return bool(content) and hits >= max(1, math.ceil(0.6 * len(content)))


def ground(data: LLMExtraction, text: str, vocabulary: Vocabulary, titles: TitleMatcher,
           example: PromptExample | None = None, *, inference: bool = False, named: dict[str, str] | None = None
           ) -> LLMSignals:
    """Keep what is in the catalog AND backed by the message: vocabulary facets, catalog titles, plausible years.

    A tiny model answers "drama" or "The Lion King" to anything; both are in the catalog, so grounding alone is
    not enough: the facet (or one of its synonyms) or the title's words must occur in the user's text. With
    `inference` (for a capable model) an unsaid facet is kept at half strength ("loved Alien" -> sci-fi);
    an unsaid title never is. `named`: titles found in the message or the reply it answers (named_titles), each
    as written there; the model's answer is one of these under a grammar, and then grounds to that very item.
    """
    out = LLMSignals()
    if example is not None and _echoes_example(data, example, text):
        return out
    text_words = normalize(text).split()
    proposed: dict[str, float] = {}
    contradicted: set[str] = set()

    def add(facet: str, strength: float) -> None:
        if facet in proposed and (proposed[facet] > 0) != (strength > 0):
            contradicted.add(facet)  # liked and disliked in one answer: the model is guessing
        proposed.setdefault(facet, strength)

    for values, sign in ((data.likes, 1), (data.dislikes, -1), (data.liked_titles, 1), (data.disliked_titles, -1)):
        for value in values:
            if named and value in named:
                add(facet_key("item", named[value]), sign * LLM_ITEM_STRENGTH)
                continue
            facets = vocabulary.ground(value)
            item_id = None if facets else titles.lookup(value, context=text)
            for facet in facets:
                if any(_said(s.split(), text_words) for s in (normalize(value), *vocabulary.surfaces(facet))):
                    add(facet, sign * LLM_FACET_STRENGTH)
                elif inference:
                    add(facet, sign * INFERRED_STRENGTH)
            item = titles.catalog.get(item_id) if item_id else None
            if item is not None and _said(title_key(item.title).split(), text_words):
                add(facet_key("item", item_id), sign * LLM_ITEM_STRENGTH)
    out.signals = [Signal(f, s, "said") for f, s in proposed.items() if f not in contradicted]
    out.item_ids = [s.facet.removeprefix("item:") for s in out.signals if s.facet.startswith("item:")]
    # Years only when the message talks about time; a tiny model invents them otherwise.
    words = set(normalize(text).split())
    if re.search(r"\d", text) or words & set(DECADE_WORDS):
        out.year_min, out.year_max = data.year_min, data.year_max
        if out.year_min and out.year_max and out.year_min > out.year_max:
            out.year_min, out.year_max = out.year_max, out.year_min
    return out


def llm_extract(model: ChatModel, text: str, vocabulary: Vocabulary, titles: TitleMatcher, example: PromptExample,
                *, max_new_tokens: int = 120, timeout_s: float | None = None, inference: bool = False,
                previous: str | None = None) -> LLMSignals:
    """Run the model and ground its JSON; any failure (exception, garbage, timeout) yields empty signals.

    previous: the recommender's last turn, so that "yes, loved it" can name the film it asked about. A backend
    that supports grammars (llama.cpp) can only write the object, with genres from the catalog and names found
    in the two texts; any other gets the same prompt and the same parsing.
    """
    messages = build_messages(text, vocabulary, example, previous)
    named = named_titles(text, previous, titles)
    options = {"grammar": grammar_for(text, vocabulary, named)} if getattr(model, "supports_grammar", False) else {}
    try:
        output = model.generate(messages, max_new_tokens=max_new_tokens, stop=STOP, timeout_s=timeout_s,
                                temperature=0.0, **options)
    except Exception as exc:  # noqa: BLE001 - any backend failure falls back to rules; the turn must go on
        # The type only: a backend's message may quote the conversation, which must not reach the logs.
        log.warning("LLM signal extraction failed (%s); using rules only", type(exc).__name__)
        return LLMSignals()
    data = parse_extraction(output if isinstance(output, str) else "")
    if data is None:
        log.info("LLM signal extraction gave no JSON object; using rules only")
        return LLMSignals()
    return ground(data, text, vocabulary, titles, example, inference=inference, named=named)
