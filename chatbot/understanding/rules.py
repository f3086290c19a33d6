"""Rule-based signals: titles, vocabulary terms and free phrases with polarity, constraints and references."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from chatbot.understanding import lexicon as lx
from chatbot.understanding.answers import Answer, answer_in, asks_seen, follow_ups, refuses_its_kind
from chatbot.understanding.audience import KIDS_FACETS, apply_audience, find_age_hint, find_kids, kinds_together
from chatbot.understanding.clauses import (INTENSIFIED, THEY, asks_good, cannot_bear, compared_to, complaint_in,
                                           describes_from, item_after, refuses_silly, soft_endorsement, yardstick)
from chatbot.understanding.intents import is_vague, without_own_name
from chatbot.understanding.judged_after import SENTENCE_END as _SENTENCE_END, judgement_after
from chatbot.understanding.references import apply_reference, find_references, seen_all_but
from chatbot.understanding.rule_patterns import (
    AGE_WORDS, EARLIER_KEEP, ORDINALS, PatternSpan, ages_a_film, apply_degrees, apply_years, as_degree, compares,
    together_starts, find_age_words, find_languages, find_years, inside_a_name, kind_facets, near_media_noun,
    short_topic, turn_in_message, year_bounds)
from chatbot.understanding.taken_back import take_back
from chatbot.understanding.title_match import TitleMatcher
from chatbot.understanding.unknown_names import CatalogNames, unknown_names
from chatbot.types import Signal, TurnSignals, facet_key
from chatbot.understanding.vocabulary import Token, Vocabulary, tokenize

# A film named unprompted as watched ("I saw Heat last week") or asked about ("have you seen Heat?"): people
# mostly name films they liked (87% of the films ReDial seekers brought up), so a weak like, not a judgement.
ITEM_STRENGTH, SOFT_ITEM_STRENGTH = 2.0, 1.0
MAX_PHRASES, MAX_PHRASE_TOKENS = 3, 4  # free phrases read per message, words per phrase
PHRASE_SCOPE = 8  # a free phrase counts only this close after a cue: "I want a heist movie with a strong female lead"
NEGATION_REACH = 5  # tokens a negation reaches past its cue (extended along lists and "don't really like")
SHORT_MESSAGE = 4  # "time travel", "heist please": a short message is all preference
_PRAISED_TOO = INTENSIFIED | frozenset({"hilarious", "cute", "sweet", "cool"})  # "too funny!" praises
_MUCH, _DEGREE = frozenset({"much", "many"}), frozenset({"too", "much", "many"})  # "too much action"
_SOFT_BREAK = re.compile(r"[,:()\u2013\u2014]|\s-\s")
# Everyday words that say nothing alone ("time", "people"), and where a story is set ("takes place in")
_CHATTER = lx.COMMON_WORDS - lx.THEME_WORDS | lx.PLACE_LEADS
_NOT_PHRASE = (lx.STOPWORDS | lx.POSITIVE | lx.NEGATIVE | lx.POSITIVE_EVAL | lx.NEGATIVE_EVAL | lx.BOUNDARIES
               | lx.REQUEST_CUES | lx.SEE_VERBS | lx.QUESTION_STARTS | frozenset(ORDINALS) | AGE_WORDS | lx.AWARD_WORDS
               | lx.FILM_COMPLAINTS | lx.NEGATABLE_PRAISE | lx.HIDDEN_WORDS | lx.CREDIT_WORDS | lx.VIEWING_WORDS)


@dataclass
class _Span:
    """Something the message names: an item, a vocabulary term, a phrase, or a pattern (year, kids, reference)."""

    start: int
    end: int
    kind: str
    facets: tuple[str, ...] = ()
    item_id: str | None = None
    pattern: PatternSpan | None = None


@dataclass
class _State:
    """Polarity in force before a token, and the sentence it belongs to."""

    sign: int = 0
    strength: float = 1.0
    seen: bool = False
    unseen: bool = False  # "haven't seen": a mention, not a judgement
    sentence: int = 0
    opinion: bool = False  # the negation is of an opinion: "I didn't think X was good" turns the judgement after X


@dataclass
class _Sentence:
    question: bool = False
    describes: bool = False  # says what a film is like ("Superbad is a funny movie", "It was funny"): no request
    request: bool = False
    cue: bool = False
    seen_words: bool = False


@dataclass
class Parse:
    """One message as the rules read it: tokens, the spans they name and the polarity state at each token."""

    tokens: list[Token]
    norms: list[str]
    gaps: list[str]  # gaps[k] = text before token k; gaps[n] = text after the last token
    spans: list[_Span] = field(default_factory=list)
    states: list[_State] = field(default_factory=list)
    anchored: list[bool] = field(default_factory=list)  # within reach of a preference or request cue
    cue_tokens: set[int] = field(default_factory=set)  # words of cue phrases ("along the lines of")
    sentences: list[_Sentence] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # names the catalog does not have ("Breaking Bad")
    titled: dict[str, list[str]] = field(default_factory=dict)  # item -> the films its series' name titles


class RuleExtractor:
    """Deterministic extraction; reliable on negation, so it also arbitrates conflicts with the LLM."""

    def __init__(self, vocabulary: Vocabulary, titles: TitleMatcher) -> None:
        self.vocabulary = vocabulary
        self.titles = titles
        self.catalog_names = CatalogNames(titles.catalog, vocabulary)
        # "the last couple of years" counts back from the catalog's newest year, not today's: a catalog made in 2023
        # has nothing from 2024 on
        self.latest_year = min(datetime.date.today().year, max(
            (item.year for item in titles.catalog.items if item.year), default=datetime.date.today().year))

    def extract(self, text: str, last_shown: list[str] | None = None, previous: str | None = None) -> TurnSignals:
        """Signals from one message; last_shown (ids in shown order) resolves "the second one", and with the
        last reply (`previous`) an answer about the one film it named ("have you seen X?" - "yes, loved it")."""
        parse = self._parse(without_own_name(text or "", self.titles, self.vocabulary), last_shown or [])
        out = self._assemble(parse, last_shown, asks_seen(previous))
        take_back(text or "", parse, out)  # "forget that I said I love Titanic": no Titanic now, and no dislike of it
        for item_id, alike in parse.titled.items():  # "movies like Harry Potter": the films of that name are known
            if alike and any(s.facet == f"item:{item_id}" and s.strength > 0 for s in out.signals):
                out.seen_item_ids += [i for i in alike if i not in out.seen_item_ids]
        named_at = min((s.start for s in parse.spans if s.kind == "item"), default=len(parse.norms))
        if len(last_shown or ()) == 1 and named_at and not (out.more_like_shown or out.reject_shown) and (
                last_shown[0] not in out.mentioned_item_ids):  # "I liked it! What about Up?": the answer, then Up
            answer = answer_in(parse, previous, until=named_at) or Answer()
            sign = answer.sign or -refuses_its_kind(parse.norms, out.signals, self.titles.catalog.get(last_shown[0]))
            if sign:
                (out.more_like_shown if sign > 0 else out.reject_shown).append(1)
            if answer.seen:
                _append(out.judged_item_ids, last_shown[0])
            out.is_vague = is_vague(out)
        return out

    def _parse(self, text: str, last_shown: list[str]) -> Parse:
        tokens = tokenize(text)
        gaps = [text[(tokens[k - 1].end if k else 0):(tokens[k].start if k < len(tokens) else len(text))]
                for k in range(len(tokens) + 1)]
        parse = Parse(tokens, [t.norm for t in tokens], gaps)
        taken: set[int] = set()
        for match in self.titles.find(text, last_shown):
            item_id = self.titles.same_title_among(match.item_id, match.year, last_shown)
            parse.titled[item_id] = self.titles.titled_alike(match, parse.norms)  # "Harry Potter": its films
            parse.spans.append(_Span(match.tok_start, match.tok_end, "item", item_id=item_id))
            taken.update(range(match.tok_start, match.tok_end))
        patterns = (find_years(parse.norms, gaps, taken, self.latest_year) + find_kids(parse.norms, taken)
                    + find_references(parse.norms, gaps, taken, len(last_shown)))
        for pattern in patterns:
            if not any(i in taken for i in range(pattern.start, pattern.end)):
                parse.spans.append(_Span(pattern.start, pattern.end, pattern.kind, pattern=pattern))
                taken.update(range(pattern.start, pattern.end))
        # One age word does not claim its token: "classic" can also be a catalog tag ("old school" claims both).
        for pattern in find_age_words(parse.norms, taken, self.vocabulary.reserved):
            parse.spans.append(_Span(pattern.start, pattern.end, pattern.kind, pattern=pattern))
            taken.update(range(pattern.start, pattern.end) if pattern.end - pattern.start > 1 else ())
        titles = {s.start: s.end for s in parse.spans if s.kind == "item"}
        for term in self.vocabulary.find_terms(tokens, taken):
            parse.spans.append(_Span(term.start, term.end, "term", facets=term.facets))
            taken.update(range(term.start, term.end))
        # After the terms: "anime" is also animation. A language asked for is a filter, not words to search with.
        term_starts = {s.start for s in parse.spans if s.kind == "term"}
        for pattern in find_languages(parse.norms, titles, term_starts):
            # "Italian movies": the language, not the film "The Italian"
            parse.spans = [s for s in parse.spans if not (s.kind == "item" and s.start == pattern.start)]
            parse.spans.append(_Span(pattern.start, pattern.end, pattern.kind, pattern=pattern))
            taken.update(range(pattern.start, pattern.end))
        named = {k for s in parse.spans for k in range(s.start, s.end)}
        for start, end in unknown_names(text, tokens, named, self.titles.is_title):
            name = text[tokens[start].start:tokens[end - 1].end]
            if not self.catalog_names.has(name, parse.norms[start:end]):
                parse.unknown.append(name)
                taken.update(range(start, end))  # a name, not words to search with
        self._scan(parse, taken)
        parse.spans.extend(self._phrases(parse, taken))
        parse.spans.sort(key=lambda s: s.start)
        return parse

    def _continues_list(self, parse: Parse, k: int, starts: set[int]) -> bool:
        """After a comma, "musicals" or "or westerns" continue a list of things (genres, phrases, titles) and keep
        its polarity; in "not horror please, older films" the comma ends the negation."""
        listed = {s.start: s for s in parse.spans if s.kind in ("term", "phrase", "item")}
        return k - 1 in {s.end - 1 for s in listed.values()} and (
            (k in listed and parse.norms[k] not in lx.NEW_ASK)
            or (parse.norms[k] in ("and", "or", "nor") and k + 1 in listed))

    def _scan(self, parse: Parse, taken: set[int]) -> None:
        """Walk the tokens once, tracking polarity cues, clause boundaries and sentences."""
        norms, gaps = parse.norms, parse.gaps
        ends = {s.start: s.end for s in parse.spans}
        starts = set(ends)
        inner = {k for s in parse.spans for k in range(s.start + 1, s.end)}  # "Dr. Caligari", "Heat (1995)"
        state, neg_until, skip_until, anchor_until = _State(), -1, -1, -1
        negator = False  # the negation in force is grammatical ("don't", "never"): a like inside it stays negated
        items = {s.start for s in parse.spans if s.kind == "item"}
        terms = {s.start: s.end for s in parse.spans if s.kind in ("term", "older", "newer")}  # what "too" can be
        for k, word in enumerate(norms):
            if state.sign < 0 and k > neg_until and k not in inner:
                state.sign, state.strength = 0, 1.0  # "I don't remember the name of the movie where...": out of reach
            if state.sign < 0 and k in starts and norms[k - 1:k] == ["too"]:  # a degree: "not too scary or gory"
                neg_until = max([neg_until] + [terms[j] - 1 for j in (ends[k], ends[k] + 1) if j in terms])
            elif state.sign < 0 and k in starts:
                neg_until = max(neg_until, ends[k] + NEGATION_REACH - 2)  # lists: "no horror, musicals or westerns"
            if k in inner:
                pass
            elif k == 0 or _SENTENCE_END.search(gaps[k]) or (
                    k not in taken and word in lx.RUN_ON_STARTS and parse.tokens[k].text[:1].isupper()):
                # "...can't say it's my favorite Did you watch X": typed without a stop, a capital asks anew
                if k:
                    parse.sentences[-1].question |= "?" in gaps[k]
                    state, anchor_until = _State(sentence=state.sentence + 1), -1
                parse.sentences.append(_Sentence(question=word in lx.QUESTION_STARTS, request=asks_good(norms, k),
                                                 describes=describes_from(parse.norms, k)))
            elif _SOFT_BREAK.search(gaps[k]) and not self._continues_list(parse, k, starts):
                state = _State(sentence=state.sentence)
                parse.sentences[-1].describes |= word in THEY  # "I know, they're such classics!"
            sentence = parse.sentences[-1]
            parse.states.append(replace(state))  # a copy: state changes as the walk goes on
            parse.anchored.append(k <= anchor_until)
            if k in taken or k <= skip_until:
                sentence.request |= k in starts and word in lx.NEW_ASK  # "something light": asked for
                continue
            follower = norms[k + 1] if k + 1 < len(norms) else ""
            if word in lx.ASKS_ABOUT and follower == "about":
                state, anchor_until = _State(sentence=state.sentence), -1  # "not so much How about X": a new ask
                continue
            cue = next((c for c in lx.CUE_PHRASES.get(word, ()) if norms[k:k + len(c[0])] == c[0]), None)
            if cue:
                sign, strong, length = cue[1], cue[2], len(cue[0])
            elif word in lx.NEGATIVE or word == "non" and follower in lx.STUDIO_WORDS:  # "a non-Disney cartoon"
                sign, strong, length = -1, word in lx.STRONG_NEGATIVE, 1
                if word in lx.NEGATORS and follower == "about" and {word, *norms[k - 1:k]} & lx.DESCRIBES_STORY:
                    continue  # "it's not about the fault line": a film's story; "not about rock" asks for none of it
                if word in ("no", "not", "nope") and (not follower or _SENTENCE_END.search(gaps[k + 1])
                                                     or "," in gaps[k + 1] or follower in lx.NOT_NEGATED):
                    continue  # "No, I haven't": an answer, not a negation of what follows
            elif word in lx.POSITIVE:
                sign, strong, length = 1, word in lx.STRONG_POSITIVE, 1
            elif word in lx.BOUNDARIES:
                state, anchor_until = _State(sentence=state.sentence), -1
                continue
            elif (word == "too" and k + 1 + (follower in _MUCH) in terms and state.sign >= 0
                  and follower not in _PRAISED_TOO):
                # "way too scary for me", "too sappy", "too much action": more of that kind is not wanted ("nothing
                # too scary" is negated already); the complaint reaches that word alone
                sign, strong, length = -1, False, 1
            elif word in lx.SEE_VERBS:
                sentence.seen_words |= word in lx.SEEN_CUES
                if state.sign < 0 and k <= neg_until and not cannot_bear(norms, k):
                    # "haven't seen X", "didn't see X": about seeing it, not about liking it
                    state.sign, state.unseen, state.seen = 0, True, False
                elif (word in lx.SEEN_CUES or norms[k:k + 2] in lx.TRIED) and "you" not in norms[max(0, k - 2):k]:
                    state.seen = True  # "I tried watching X": seen, with no praise said
                continue
            elif word in lx.KNOWING and state.sign < 0 and k <= neg_until:
                state.sign = 0  # "didn't know Kevin Hart was in it": news, no no to him
                continue
            else:
                if word in lx.REQUEST_CUES or word == "please":
                    sentence.request = True
                    anchor_until = k + PHRASE_SCOPE
                continue
            if sign < 0 and sentence.seen_words and item_after(norms, k + length, items):
                # "I've seen X and Y, but not Z", "seen all but Z": not seen, which says nothing about liking Z
                state.sign, state.unseen, state.seen = 0, True, False
                skip_until = k + length - 1
                continue
            sentence.cue = True
            anchor_until = k + length - 1 + PHRASE_SCOPE
            if word in lx.REQUEST_CUES or (cue and cue[1] > 0 and cue[0][-1] in ("for", "like")):
                sentence.request = True
            skip_until = k + length - 1
            parse.cue_tokens.update(range(k, k + length))
            if sign > 0 and state.sign < 0 and k <= neg_until and (negator or compares(norms, k, cue)):
                neg_until = k + length - 1 + NEGATION_REACH
                continue  # "don't like", "never liked", "hate movies like X": the negation holds ("except" ends it)
            state.sign, state.strength, state.unseen = sign, 1.5 if strong else 1.0, False  # a new judgement
            state.opinion = bool(cue) and " ".join(cue[0]) in lx.NEGATED_OPINIONS
            if sign < 0:
                # "too scary", "not too scary": the degree reaches that word alone ("... for a teenager" is no no)
                degree = next((terms[j] - 1 for j in (k + 1, k + 2) if j in terms and norms[j - 1] in _DEGREE), None)
                degree = k + 1 if word == "non" else degree  # "a non-Disney animated film": Disney alone
                neg_until = degree if degree is not None else k + length - 1 + NEGATION_REACH
                negator = word in lx.NEGATORS or word in lx.RETRACTS
        if parse.sentences:
            parse.sentences[-1].question |= "?" in gaps[-1]

    def _phrases(self, parse: Parse, taken: set[int]) -> list[_Span]:
        """Runs of content words that nothing else claimed: "heist", "time travel", "strong female lead"."""
        runs: list[list[int]] = [[]]
        for k, word in enumerate(parse.norms):
            ok = (k not in taken and k not in parse.cue_tokens and word.isalpha()
                  and (len(word) >= 3 or short_topic(parse.tokens[k]))
                  and (word not in _NOT_PHRASE or inside_a_name(parse.tokens, k)))
            if not ok or (runs[-1] and re.search(r"[^\s]", parse.gaps[k]) and parse.gaps[k] != "-"):  # "post-war": one
                runs.append([])
            if ok:
                runs[-1].append(k)
        spans = []
        short = len(parse.norms) <= SHORT_MESSAGE
        kinds = {s.end for s in parse.spans if s.kind == "term"}  # "comedies about dogs": a kind, then its topic
        for run in runs:
            words = [parse.norms[k] for k in run]
            if not run or len(run) > MAX_PHRASE_TOKENS:
                continue
            fan = parse.norms[run[-1] + 1:run[-1] + 2] in (["fan"], ["fans"])  # "a big Marvel fan"
            if not (short or fan or parse.anchored[run[0]] or near_media_noun(parse.norms, run, kinds)):
                continue  # chatter ("I was thinking about seeing a movie") is not a preference
            if {"my", "our"} & set(parse.norms[max(run[0] - 2, 0):run[0]]) or (
                    len(run) == 1 and len(words[0]) < 4 and not short_topic(parse.tokens[run[0]])):
                continue  # "for my girlfriend", "my dad's birthday": theirs; a short word ("fun") is no topic alone
            if all(w in _CHATTER for w in words) or not any(w in self.vocabulary.catalog_words for w in words):
                continue  # everyday chatter, or words no item is described with
            person = self.vocabulary.fuzzy_person(" ".join(words)) if len(run) > 1 else None
            facet = person or facet_key("phrase", " ".join(words))
            spans.append(_Span(run[0], run[-1] + 1, "term" if person else "phrase", facets=(facet,)))
        return spans[:MAX_PHRASES]

    def _assemble(self, parse: Parse, last_shown: list[str] | None, asked_seen: bool = False) -> TurnSignals:
        out = TurnSignals(source="rules", unknown_names=list(parse.unknown))
        strengths: defaultdict[str, float] = defaultdict(float)
        include: set[str] = set()
        years: list[tuple[int | None, int | None]] = []
        starts = {s.start for s in parse.spans}
        items = {s.start: s.end for s in parse.spans if s.kind == "item"}
        listed = {s.start: s.end for s in parse.spans if s.kind in ("item", "ref")}  # "seen 1 and 3, loved both"
        free = frozenset(s.start for s in parse.spans if s.kind == "phrase")
        light = sad = False  # "a feel-good movie", "for a rainy day"; "a tearjerker"
        topic: set[str] = set()  # "a documentary about music": what it is about, not what kind it is
        degrees: list[tuple[str, float]] = []  # "not too scary": how much of a kind, weighed after what is asked
        compared: list[str] = []  # items named as what another resembles
        refused = [(s.start, s.end) for s in parse.spans if s.kind == "term" and parse.states[s.start].sign < 0]
        refused_kinds = together_starts(refused, parse.norms, parse.gaps)  # "no rom-coms": not every comedy
        turn = turn_in_message(parse.norms)
        for span in parse.spans:
            state = parse.states[span.start]
            sentence = parse.sentences[state.sentence]
            post_sign, post_strength, post_seen = judgement_after(
                parse.norms, parse.gaps, listed if span.kind == "ref" else items, starts, span.end,
                span.kind in ("item", "ref"), state.unseen,
                state.opinion and state.sign < 0, free, span.start if state.sign > 0 else -1)
            sign, strength = (post_sign, post_strength) if post_sign else (state.sign, state.strength)
            if post_seen and not post_sign and parse.norms[span.start - 1:span.start] in (["not"], ["no"]):
                sign = 0  # "not Se7en, I've seen it": refused as a pick already seen, no judgement of the film
            seen = state.seen or post_seen
            if span.kind == "item":
                item_id = span.item_id or ""
                sign = 0 if yardstick(parse.norms, span.start) else sign  # "less violent than X", "not as good as X"
                sign = -1 if set(parse.norms[span.start - 1:span.start]) & lx.DISGUST else sign  # "Ugh, Titanic"
                sentence.describes = True  # "Superbad is a funny movie": what it is like, no request
                _append(out.mentioned_item_ids, item_id)
                if seen:
                    _append(out.seen_item_ids, item_id)
                elif sign and not state.unseen:
                    _append(out.judged_item_ids, item_id)
                if sign >= 0 and compared_to(parse.norms, span.start, parse.states):
                    compared.append(item_id)  # "... reminded me of X": X takes the message's judgement, below
                if sign or not (seen or state.unseen or sentence.question):
                    strengths[facet_key("item", item_id)] += ITEM_STRENGTH * (1 if sign >= 0 else -1)
                elif not state.unseen and soft_endorsement(parse.norms, span.start, seen):
                    strengths[facet_key("item", item_id)] += SOFT_ITEM_STRENGTH
                    if not seen:
                        _append(out.judged_item_ids, item_id)  # asking "have you seen X?" is asking as a viewer
            elif span.kind in ("term", "phrase"):
                words = " ".join(parse.norms[span.start:span.end])
                value = as_degree(parse.norms, span.start, span.kind, (sign or 1) * strength)
                value *= EARLIER_KEEP if (habit := value > 0 and span.start < turn) else 1.0  # "usually X, but lately"
                value = max(value, lx.LIGHT_AVOID) if span.start in refused_kinds else value  # a push, no filter
                near = set(parse.norms[max(0, span.start - 3):span.start])
                if (seen_all := sentence.seen_words and bool({"all", "every"} & near)) and (
                        not span.facets[0].startswith("person:")):  # their films seen: signals.seen_in_full
                    # "I've seen all the Marvel movies, what else?": something else; "all the Pixar ones" still
                    # asks for animation, but for no story that tells of Pixar
                    if span.kind == "term":
                        strengths[facet_key("phrase", words)] -= abs(value)
                    else:
                        value = -abs(value)
                # A genre asked for ("I want a comedy", a bare "horror please") is a filter; "I like comedy" is not.
                asked = sentence.request or not (sentence.cue or sentence.question or sentence.describes)
                light |= words in (lx.LIGHT_WORDS if value > 0 else lx.VIOLENT_WORDS)  # "feel-good"; "less violent"
                sad |= value > 0 and words in lx.SAD_MOODS
                if value < 0 and words in lx.SAD_MOODS and (lighter := self.vocabulary.terms.get("too sad")):
                    value, span, light = -value, replace(span, facets=lighter), True  # "no sad movies": a lighter mood
                for facet in kind_facets(words, span.facets, value):
                    if value < 0 and parse.norms[span.start - 1:span.start] == ["too"] or words in lx.FRIGHTENED:
                        degrees.append((facet, -abs(value)))
                        continue
                    strengths[facet] += value
                    if value > 0 and asked and not habit and facet.startswith("genre:"):
                        include.add(facet)
                before = parse.norms[max(0, span.start - 2):span.start]  # "what about comedies?" asks for them
                about = before[-1:] == ["about"] and not set(before[:1]) & lx.ASKS_ABOUT
                if value > 0 and span.kind == "term" and (about or words in lx.STORY_KINDS) and not (
                        seen_all or words in lx.MOOD_WORDS):  # "about overcoming adversity": a mood, no story
                    topic.update(span.facets if about else ())  # what a film is about is no filter beside a kind...
                    strengths[facet_key("phrase", words)] += value  # ... but its story: "a movie about space"
            elif span.kind == "year" and span.pattern and (sentence.request or not sentence.describes):  # "It was 2018"
                years.append(year_bounds(span.pattern, sign))
            elif span.kind == "language" and span.pattern and not (  # "not anime": no cartoons; Japanese films still
                    sign < 0 and parse.norms[span.start] in lx.ANIMATION_LANGUAGES):
                kept_out = (sign < 0) != span.pattern.all_but  # "in English": every other language kept out
                for code in span.pattern.codes:
                    _append(out.constraints.exclude_languages if kept_out else out.constraints.languages, code)
            elif span.kind in ("kids", "adults") or span.kind in ("elders", "parents") and not sentence.seen_words:
                if span.kind == "kids" and sentence.describes and not sentence.question and lx.COMPARING & set(
                        parse.norms[max(0, span.start - 2):span.start]):
                    continue  # "Shrek is for kids", "it's a kids movie": what the film is, no request
                apply_audience(out, span.kind, sign, span.pattern)  # not "I saw it with my grandfather": then
            elif span.kind in ("older", "newer") and not ages_a_film(parse.norms, span.start, span.end, {*items}) and (
                    not sentence.describes or lx.AGE_ASKED & set(parse.norms[max(0, span.start - 2):span.start])):
                # not "Those were classics!" nor "the old movie, X"; "these are too old", "X, something newer" ask
                older = (span.kind == "older") != (sign < 0)
                out.wants_older, out.wants_newer = out.wants_older or older, out.wants_newer or not older
            elif span.kind == "ref" and span.pattern:
                if span.pattern.demonstrative and any(s.kind == "item" and s.start < span.start for s in parse.spans):
                    continue  # "I saw X, I hate that movie": "that movie" is X, judged in _post, not the shown list
                apply_reference(out, span.pattern, sign, seen, sentence.seen_words, last_shown)
        seen_all_but(out, parse.norms, [s.pattern for s in parse.spans if s.kind == "ref" and s.pattern], last_shown)
        include -= topic if include - topic else set()  # ... unless nothing else is asked ("a movie about war")
        asked = [(s.start, s.end) for s in parse.spans if s.kind == "term" and include & set(s.facets)]
        out.constraints.together = len(include) > 1 and kinds_together(asked, parse.norms, parse.gaps)
        apply_degrees(strengths, degrees)  # "too scary": less horror, and a lean to suspense without the fright
        if sad:  # "a tearjerker": no comedy, and (a push) no crime story or fright either
            strengths.update({f"genre:{g}": v for g, v in lx.SAD_AVOIDS.items() if f"genre:{g}" not in strengths})
        if compared and complaint_in(parse.norms, [*strengths.values()], parse.states):
            strengths.update(dict.fromkeys((facet_key("item", i) for i in compared), -ITEM_STRENGTH))
        for item_id, sign in follow_ups(parse, asked_seen):  # "Heat? No." answers "have you seen it?"
            strengths[facet_key("item", item_id)] = sign * ITEM_STRENGTH  # the later, explicit judgement wins
            if item_id not in out.seen_item_ids:
                _append(out.judged_item_ids, item_id)
        out.constraints.kids = out.constraints.kids or find_age_hint(parse.norms)
        apply_years(out.constraints, years)
        for facet, value in strengths.items():
            limit = ITEM_STRENGTH if facet.startswith("item:") else 1.5
            if abs(value := max(-limit, min(limit, value))) < 1e-6:
                continue
            out.signals.append(Signal(facet, value, "said"))
            genre = facet.partition(":")[2]
            if facet.startswith("genre:") and value <= -0.5:  # a clear aversion is a filter
                _append(out.constraints.exclude_genres, genre)
            elif facet in include and not (out.constraints.kids and facet in KIDS_FACETS):
                _append(out.constraints.include_genres, genre)
        excluded = out.constraints.exclude_genres  # "an animated movie for adults": what is asked for is not kept out
        out.constraints.exclude_genres = [g for g in excluded if strengths.get(f"genre:{g}", 0.0) <= 0]
        if light:  # a feel-good pick is no crime story, a less violent one no fight film either: a push, no filter
            calm = any(strengths.get(f"phrase:{word}", 0.0) < 0 for word in lx.VIOLENT_WORDS)
            out.signals += [Signal(f"genre:{g}", lx.LIGHT_AVOID, "said") for g in (
                lx.VIOLENT_GENRES if calm else lx.DARK_GENRES) if f"genre:{g}" not in strengths]
        if "genre:comedy" not in strengths and refuses_silly(parse.norms, parse.states, parse.sentences):
            out.signals += [Signal("genre:comedy", lx.LIGHT_AVOID, "said"),  # "not one of his silly ones": his dramas
                            Signal("genre:drama", -lx.LIGHT_AVOID, "said")]
        out.is_vague = is_vague(out)
        return out


def _append(values: list, value: object) -> None:
    if value not in values:
        values.append(value)
