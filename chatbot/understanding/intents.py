"""What a message asks of the answer as a whole: a change of direction, acclaimed picks, a whole series or none of
it, the makers of the films it likes."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from chatbot.types import Constraints, Signal, TurnSignals, facet_key
from chatbot.understanding.rule_patterns import NUMBER_WORDS, ORDINALS
from chatbot.understanding.vocabulary import normalize

if TYPE_CHECKING:  # for the hints only
    from chatbot.understanding.title_match import TitleMatcher
    from chatbot.understanding.vocabulary import Vocabulary

# The person saying who they are, before a pause: "hi, I'm Sarah", "I'm Jack, I love action movies", "my name is
# Will and ..." (Sarah was a topic, answered with Terminator 2 for "his mother Sarah"; Jack liked Jack, 1996).
OWN_NAME = re.compile(r"(?i:\b(?:my name is|my names|i'?m|i am|this is|call me))\s+([A-Z][a-z]+)"
                      r"(?=\s*(?:[,.!;]|$|(?i:\s+(?:and|here)\b)))")
# A new direction: what came before counts less from now on ("actually", "forget X", "these days", "instead"); "not
# X any more", but not "any more like that?", an ask for more of the same.
SHIFT = re.compile(
    r"\b(actually|instead|these days|nowadays|lately|no longer|forget|changed my mind|change of plan"
    r"|any ?more(?!\s*(\?|like|of|similar|suggestion|recommendation|idea|pick|film|movie|option|good|great|please))"
    r"|on second thought|rather have|switch to|enough (of|with)|tired of|sick of|done with|not in the mood for"
    r"|something different|change of pace)\b",
    re.I,
)
# ... or a new start: "let's start over", "forget everything", "something completely different"; nothing liked before
# counts.
STARTS_OVER = re.compile(r"\b(start(ing)? (over|again|afresh|fresh|from scratch)|begin again|clean slate|reset"
                         r"|forget (everything|all (of )?(that|this|it)|what i (said|told you))(?! about)"
                         r"|(completely|totally|entirely) different)\b", re.I)
# How well regarded a pick is matters: "a good drama", "the best westerns", "classic", "acclaimed", and what many
# like ("what's popular right now", "crowd pleasers"); a "feel good movie" asks for a mood, not for acclaim.
# A film everyone should see, or one that looks stunning (no catalog says how a film looks): the best regarded.
_MUST_SEE = (r"must[- ](see|watch)|everyone should (see|watch)|(see|watch) before (i|you|we) die"
             r"|essential (films?|movies?|viewing)|visually stunning|stunning visuals"
             r"|(great|beautiful|gorgeous|stunning) cinematography|beautifully shot")
ACCLAIMED = re.compile(
    r"\b(best|greatest|top[- ]rated|highly[- ]rated|well[- ]rated|acclaimed|award[- ]winning|masterpieces?"
    r"|classics?|critically|oscar|popular|crowd[- ]pleasers?|" + _MUST_SEE +
    r"|smarter|more (intelligent|clever|sophisticated)"  # "something smarter" (stop 44: read as nothing)
    r"|(really |very |truly )?(?<!feel )(?<!feel-)(good|great|excellent|quality|smart|clever|witty|intelligent) "
    r"(\w+ )?(films?|movies?|ones?|picks?|dramas?|comedies|comedy|westerns?|thrillers?|horrors?|documentar\w+"
    r"|romances?|books?|courses?|\w+ films?|\w+ movies?))\b",
    re.I,
)
# Acclaim asked for as all there is to go on: "what's the best movie ever made?", "top rated movies" (the cold-start
# list answered, Avengers: Infinity War first), or awards ("award winning movies", "something that won an Oscar": the
# same); "a good movie" alone still gets a question back.
BEST_OF_ALL = re.compile(r"\b((best|greatest) \w+( \w+)? (ever|of all time)|top[- ]rated|highly[- ]rated"
                         r"|(critically )?acclaimed|masterpieces?|award[- ]winn(ing|ers?)|oscar[- ]winn(ing|ers?)"
                         r"|best picture|won (an? |the )?(oscars?|academy awards?)|" + _MUST_SEE + r")\b", re.I)
# How many picks are asked for: "give me 3 movies like Fight Club", "just one movie like Alien", "top 10 horror
# movies", "show me a couple of comedies" (five came each time); up to MAX_ASKED.
ASKED_COUNT = re.compile(
    r"(?:^\s*|\b(?:give me|show me|recommend|suggest|need|want|list|name|just|only|top)\s+(?:me\s+)?"
    r"(?:(?:the|your)\s+)?)"  # or opening the message: "a couple of comedies please"
    r"(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|a couple(?: of)?|a few)(?!\s+of\b)"  # "one of my"
    r"(?:\s+(?:[\w'-]+\s+){0,3}?"
    r"(?:movies?|films?|ones?|picks?|options?|titles?|recommendations?|suggestions?|comedies|thrillers|dramas"
    r"|westerns|documentaries|horrors?)\b"
    r"(?!\s+(?:that\s+)?(?:i|we)('ve|\s+have)?\s+(?:loved|liked|love|like|saw|seen|watched|enjoyed)\b)"  # their own
    r"|(?<=\d)(?:\s+more)?(?:\s+please)?\s*[.!?]*\s*$)",  # "show me 10" (stop 50: five came)
    re.I)
_COUNT_WORDS = {**NUMBER_WORDS, "a couple": 2, "a couple of": 2, "a few": 3}
MAX_ASKED = 10
# Well regarded but few know it: "an underrated thriller", "hidden gems", "I've seen everything popular".
HIDDEN = re.compile(
    r"\b(under[- ]?rated|under[- ]?appreciated|hidden gems?|lesser[- ]known|little[- ]known|less[- ]known"
    r"|not (so |very |that |too )?(well[- ]known|popular|mainstream)|obscure|overlooked|under the radar"
    r"|off the beaten (path|track)|few people (know|have seen)"
    r"|(seen|watched) (all|everything|most) (of )?(the )?(popular|mainstream|famous|big|obvious)"
    r"|(nothing|no|none of the) (too |so )?(mainstream|popular|famous|obvious)"
    r"|(less|not as) (mainstream|popular|famous|obvious|commercial)|more (obscure|niche)|deep cuts?"
    r"|(nobody|no one|not many people) (has |have )?(ever )?(heard of|seen))\b",
    re.I,
)
# The series itself is wanted: "all the Alien films", "the next one", "sequels", "the whole trilogy".
SERIES = re.compile(
    r"\b(sequels?|prequels?|trilogy|franchise|saga|series|the next one|next part|part (two|three|\d)"
    r"|all (of )?the \w+( \w+)? (films|movies)|in order|every \w+ (film|movie))\b",
    re.I,
)

# ... or kept out of the answer: "no more sequels please", "nothing from the same franchise", "skip the sequels",
# "I loved the first Matrix but hated the sequels" (the sequels came first).
NO_SERIES = re.compile(
    r"\b(no|not|without|nothing|skip|enough|fewer|other than|except|tired of|sick of|done with|hated?|disliked?"
    r"|didn'?t like|can'?t stand|too many|(these|those|they)('re| are) all)\b(\s+\w+){0,3}?"  # "too many sequels"
    r"\s+(sequels?|prequels?|spin[- ]?offs?|franchises?|series|follow[- ]?ups?)\b"
    # ... or judged after: "I loved The Matrix but the sequels were bad", "X, the sequel not so much" (stop 52)
    r"|\b(sequels?|prequels?|follow[- ]?ups?),?\s+(((were|was|are|is)\s+)?(so |really |pretty |just )?"
    r"(bad|awful|terrible|horrible|boring|meh|trash|garbage|disappointing|worse|sucked|suck"
    r"|not (as |that |so )?(good|great|much))|(weren'?t|wasn'?t|aren'?t|isn'?t) (as |that |so )?(good|great))\b",
    re.I,
)
# ... or seen in full: "I've seen all the Toy Story ones", "we watched every one of the Harry Potter movies", "I loved
# the Lord of the Rings trilogy".
_SEEN = r"(?<!nt )(?<!n't )(?<!not )(?<!never )\b(seen|watched)"  # not "I haven't seen the sequels though"
SEEN_SERIES = re.compile(_SEEN + r" (all|every one|each one|both)( of)?( the)?( [\w'’]+){0,3}? (films|movies|ones"
                         r"|sequels|prequels|parts)\b|" + _SEEN + r" the (sequels|prequels)\b"  # "... all the sequels"
                         r"|\b(loved?|liked|enjoyed|adored?|fan of) the( \w+){1,5}? (trilogy|saga|franchise|series"
                         r"|films|movies)\b", re.I)  # "I loved the Lord of the Rings trilogy": all of it seen
# ... said of a film or person named in the same message ("I loved Cars. I've seen all of them", "I like Nolan but
# I've seen them all": all of theirs, "I've seen all of Nolan's films"); alone, of the list shown.
SEEN_THEM_ALL = re.compile(_SEEN + r" (them all|all of them|all three|both|the others|the rest|all the others"
                           r"|all the rest|every( last)? one of them|each (one )?of them)\b", re.I)
# ... or the makers of the films liked: "I liked Get Out and Us, what else by that director?".
# ... or their lead: "the same actor", "anything else with him?", "what else has he been in?" (read nothing)
SAME_LEAD = re.compile(r"\b(the )?same (actor|star|lead|leading man)s?\b|\b(anything|something|more|movies|films)"
                       r" (else )?(with|starring) him\b|\bwhat else (is|was|has) he (been )?in\b"
                       r"|\bhis other (films|movies)\b", re.I)
SAME_DIRECTOR = re.compile(
    r"\b((the )?same|that|this|their|his|her) (director|filmmaker)s?\b"
    r"|\bwhat else (did|has|have) (he|she|they) direct(ed)?\b|\b(films|movies) (he|she|they) directed\b",
    re.I,
)

# A pick settled on ("I'll watch the second one tonight", "I'll watch The Usual Suspects"): the article is the group
# _SETTLES ends on; _ON_ONE is a place in the list or a title of up to five words.
_SETTLES = r"i'?ll (watch|go with|try|take|start with|check out) (the |that |this )"
_ON_ONE = r"[\w'&:-]+( [\w'&:-]+){0,4}?( (tonight|today|later|first|now|this (evening|weekend)))?"
_SETTLING = re.compile(_SETTLES + "?", re.I)  # the words of settling on a pick, wherever they stand
# The end of the conversation: "thanks, bye!", "that's all I needed", "have a good one", or thanks alone.
FAREWELL = re.compile(
    r"\b(bye|goodbye|good ?bye|see (you|ya)( later| soon| around)?|take care|have a (good|great|nice|lovely) "
    r"(day|night|one|evening|weekend)|good ?night|talk (to you )?(later|soon)|gotta go|got to go"
    r"|that'?s (all|it|everything)( i need(ed)?| for (now|today))?,? thanks?( you)?"
    r"|(you'?ve been|you have been|that was|this was) (very |so |really |super )?(helpful|useful)"
    r"|i'?ll (check|look) (them|these|those) out|i will (check|look) (them|these|those) out"
    r"|" + _SETTLES + r"?" + _ON_ONE + r"\W+(thanks?|thank you|thx|cheers)\b"  # "I'll watch the first one, thanks"
    r"|^\W*(thanks?|thank you|thx|cheers)\W+" + _SETTLES + r"?" + _ON_ONE + r"\W*$)"  # "thanks, I'll watch Thief"
    r"|\b(sounds|looks) (good|great|interesting|perfect|fun|awesome|amazing)\W+(thanks?|thank you|thx|cheers)\W*$"
    r"|^\W*((ok(ay)?|great|cool|awesome|perfect|alright|nice|sounds good|will do)\W+)*(thanks?|thank you|thx|ty|cheers)"
    r"( (so|very) much| a lot| a bunch)?( for (the|your|all the|all your) (help|rec\w*|suggestions?|picks|ideas))?\W*$",
    re.I)
# Questions about the picks just shown, not new asks: "which one is the best?", "which would you pick?" ...
_WHICH_OF_SHOWN = re.compile(r"\bwhich( one| ones| of (these|those|them|his|her|their)"
                             r"|(?= (would|should|do|is|'?s) (you|i|your|the best)))\b", re.I)
_BEST = re.compile(r"\b(best|better|greatest|pick|choose|recommend|favou?rite|first|start with|go with|top)\b", re.I)
# ... and "which of these is the newest?", "which one came out first?": the last list by year, newest or oldest first
# (stop 53: a new list of newer films); "which is the latest Bond film?" asks for films
_AGE_OF_SHOWN = re.compile(
    r"\bwhich(?P<of> one| ones| of (?:these|those|them|his|her|their)(?: ones| films| movies)?)?(?: one)?\s+"
    r"(?:(?:is|was|'?s|are|were)\s+(?:the\s+)?(?P<w>newest|latest|most recent|oldest|earliest|longest|shortest)"
    r"|(?:came out|was made|was released)\s+(?P<v>first|last|most recently|earliest))"
    r"(?P<after>\s+(?:one|of (?:these|those|them)))?(?P<end>\W*$)?", re.I)
_NEWEST = {"newest", "latest", "most recent", "last", "most recently"}
LENGTH_ASKED = 2  # "which one is the longest?": the list again, said to be unordered by length
# ... and "what's it about?", "tell me more about the second one" (nothing after: not "what is it about horror").
_ABOUT_SHOWN = re.compile(
    r"\b(?:what(?:'?s| is)\s+(?P<a>it|that|this|that one|this one|the film|the movie|the \w+ one)\s+about"
    r"|tell me(?: a (?:bit|little))?(?: more)? about\s+(?P<b>it|that|this|that one|this one|the \w+ one))"
    r"(?!\s*\w)", re.I)
# ... and what else is asked of one pick, "who is in the first one?", "is it scary?", "when did the last one come
# out?": a question about it (what it is about says who is in it, its kinds and year), no like of it nor of its kind;
# a few words after the pick at most ("is it possible to find one like Heat?" asks for films).
_ASKED_OF_SHOWN = re.compile(
    r"^\W*(?:who(?:'s| is| are)? (?:in|stars? in|starring in|directed|made)|is|was|does|did|when (?:did|was)"
    r"|what year (?:is|was|did)|how (?:long|old|scary|funny|violent|sad) is)\s+(?:\w+\s+){0,2}?"
    r"(?P<w>it|that|this|that one|this one|the (?:film|movie|\w+ one))(?:\s+\w+){0,3}\s*\?\s*$", re.I)
# ... and the same of a film named: "who stars in Inception?", "who directed Heat?", "what is Alien about?", "tell me
# about Heat", "when did Jaws come out?", "what do you think of Heat?", "is Heat any good?" (the question is all the
# message says).
_ASKED_OF_NAMED = re.compile(
    r"^(?!.*\b(?:like|similar|such as)\b)\W*(?:(?:and|so|ok|okay|hey|hi|hello|well|oh)\W+)?"
    r"(?:(?:who(?:'s| is| are| was| were)? "
    r"(?:in|(?:stars?|starred|starring|acts?|acted|plays?|played) in|directed|made|wrote)"
    r"|tell me(?: a (?:bit|little))?(?: more)? about|what (?:do|did) you think (?:of|about))\s+\S.{0,60}?"
    r"|is\s+\S.{0,60}?\s+(?:any good|good|worth (?:it|watching|seeing|a watch))"
    # stop 50: "how long is Avatar?", "what's the rating of X?", "is there a sequel to X?" searched their words;
    # "what about Heat?" read nothing
    r"|(?:how (?:long|good|old) is|what(?:'s| is) the (?:rating|score) (?:of|for)"
    r"|(?:is|are) there (?:a |any )?(?:sequels?|prequels?) (?:to|of|for))\s+\S.{0,60}?"
    r"|(?:what|how) about\s+(?:(?!\b(?:or|and)\b)[^?]){1,60}?"  # the film alone: not "what about X? or a western"
    r"|(?:what(?:'s| is| was)\s+\S.{0,60}?\s+about|(?:when (?:did|was)|what year (?:did|was|is))\s+\S.{0,60}?"
    r"\s+(?:come out|released|made)))\s*\??\s*$", re.I)
_NAMED_PICK = re.compile(r"\bthe (%s)(?: one| movie| film)?\b" % "|".join(ORDINALS), re.I)
# ... and "why did you recommend the first one?", "why that one?": what made it a pick, not a like of it.
_WHY_SHOWN = re.compile(
    r"\b(?:why(?: (?:did|do|would) you (?:recommend|suggest|pick|choose|include|show|list|go with))?"
    r"|(?:why (?:would |do you think )?|what makes you think )i(?:'d| would| will|'ll)? (?:like|love|enjoy))"
    r"\s+(?P<w>it|that|this|that one|this one|the (?:film|movie|\w+ one))(?!\s*\w)", re.I)

# ... and "why?", "why these?" alone, or "what do you know about me?": what the whole list was picked for
_WHY_ALL = re.compile(r"^\W*(?:(?:but|and|ok|okay|so|hmm|hm)\W+)?(?:why(?: (?:these|those|them)(?: ones)?"
                      r"| (?:did|do) you (?:pick|choose|recommend|suggest) (?:these|those|them)(?: ones)?)?"
                      r"|what (?:do you know|have you learn(?:ed|t)|did you learn) about me(?: so far)?)\W*$", re.I)


def settled_on(last_shown: Sequence[str], extracted: TurnSignals, text: str) -> str | None:
    """The one pick of the last list the person settles on, asking nothing more: by its place ("the first one,
    thanks!") or by its title said with "I'll watch" and nothing else ("thanks! I'll watch Thief tonight")."""
    if "?" in text:
        return None
    picked = [last_shown[p - 1] for p in extracted.more_like_shown if 0 < p <= len(last_shown)]
    if extracted.signals:
        named = [s.facet.partition(":")[2] for s in extracted.signals if s.facet.startswith("item:") and s.strength > 0]
        settles = _SETTLING.search(text.replace("\u2019", "'"))
        picked = named if not picked and settles and len(named) == len(extracted.signals) else []
    return picked[0] if len(picked) == 1 and picked[0] in last_shown else None


def asks_about_shown(text: str) -> tuple[bool, int, int]:
    """(asks which shown pick is best, the 1-based position of the pick asked about, and of the pick asked why it
    was one; -1 the last, 0 none)."""
    text = text.replace("\u2019", "'")
    best = bool(_WHICH_OF_SHOWN.search(text) and _BEST.search(text))
    about, why = _ABOUT_SHOWN.search(text), _WHY_SHOWN.search(text)
    asked = _position(about.group("a") or about.group("b"), text[:about.start()]) if about else (
        _position(found["w"], text[:found.start("w")]) if (found := _ASKED_OF_SHOWN.match(text)) else 0)
    return best, asked, _position(why["w"], text[:why.start()]) if why else 0


def asks_age_of_shown(text: str) -> int:
    """1 when the text asks which pick of the last list is the newest, -1 the oldest, LENGTH_ASKED the longest or
    shortest (no catalog field says), 0 none of those."""
    found = _AGE_OF_SHOWN.search(text.replace("\u2019", "'"))
    if not found or not (found["of"] or found["after"] or found["end"] is not None):
        return 0
    said = (found["w"] or found["v"]).lower()
    return LENGTH_ASKED if said in ("longest", "shortest") else 1 if said in _NEWEST else -1


def _position(words: str, before: str = "") -> int:
    """"the second one" -> 2, "the last one" -> -1; "it", "that one", "the film" -> 1, or the pick named before
    ("the third one looks interesting, what is it about?": 3)."""
    said = words.lower().split()
    named = _NAMED_PICK.findall(before)
    return ORDINALS.get(said[1], 0) if len(said) == 3 else ORDINALS[named[-1].lower()] if named else 1


def ask_for_directors(text: str, signals: TurnSignals, directors_of: Callable[[str], tuple[str, ...]],
                      liked_before: Sequence[str] = (),
                      lead_of: Callable[[str], tuple[str, ...]] | None = None) -> None:
    """When the text asks for the director of the films it likes (or, naming none, of the films liked last:
    liked_before), those directors become people asked for (directors_of: an item id -> its directors' names); so
    does their lead for "the same actor", "anything else with him?" (lead_of: an item id -> its first-billed name;
    no catalog says who "her" or "the same actress" is, as none gives an actor's sex)."""
    if SAME_LEAD.search(text) and lead_of is not None:
        directors_of = lead_of
    elif not SAME_DIRECTOR.search(text):
        return
    known = {s.facet for s in signals.signals}
    liked_now = [s.facet[5:] for s in signals.signals if s.facet.startswith("item:") and s.strength > 0]
    for liked in liked_now or liked_before:
        for name in directors_of(liked):
            if (facet := facet_key("person", normalize(name))) not in known:
                signals.signals.append(Signal(facet, 1.0, "said"))
                known.add(facet)


def read_intents(text: str, signals: TurnSignals) -> TurnSignals:
    """Set the answer-wide intents of one message on its TurnSignals (in place) and return it."""
    signals.starts_over = bool(STARTS_OVER.search(text))
    signals.shift = bool(SHIFT.search(text)) or signals.starts_over
    signals.wants_acclaimed = signals.wants_acclaimed or bool(ACCLAIMED.search(text))  # or "with my grandma"
    people = [s.facet for s in signals.signals if s.facet.startswith("person:") and s.strength > 0]
    seen = SEEN_SERIES.search(text) or (signals.mentioned_item_ids or people) and SEEN_THEM_ALL.search(text)
    signals.seen_series = bool(seen)
    # ... of the people named up to there: "the Alien movies. I've seen every last one of them. Sigourney Weaver is
    # awesome" saw all the Alien films, not all of hers (49 at 38k)
    said = normalize(text[:seen.end()]).split() if seen else []
    signals.seen_all_by = [p for p in people if p.rsplit(" ", 1)[-1] in said or p.rsplit(" ", 1)[-1] + "s" in said]
    signals.avoids_series = bool(NO_SERIES.search(text)) or signals.seen_series
    signals.wants_series = bool(SERIES.search(text)) and not signals.avoids_series
    signals.wants_hidden = bool(HIDDEN.search(text))
    asked = (found := ASKED_COUNT.search(text)) and " ".join(found.group(1).lower().split())
    signals.asked_count = min(MAX_ASKED, int(asked) if asked.isdigit() else _COUNT_WORDS[asked]) if asked else 0
    signals.asks_best_of_shown, signals.asks_about_shown, signals.asks_why_shown = asks_about_shown(text)
    signals.asks_age_of_shown = asks_age_of_shown(text)
    signals.asks_best_of_shown = signals.asks_best_of_shown or bool(signals.asks_age_of_shown)
    plain = text.replace("\u2019", "'")  # a typographic apostrophe as typed on phones: "that's", "I'll"
    if _ASKED_OF_SHOWN.match(plain) or signals.asks_age_of_shown:  # "is the second one scary?" asks for no horror
        signals.signals, signals.constraints = [], Constraints()
        signals.is_vague = is_vague(signals)
    elif len(signals.mentioned_item_ids) == 1 and _ASKED_OF_NAMED.match(plain):
        # "who stars in Inception?": answered from the catalog, then films like it (a film asked about: a weak like)
        signals.asks_about_item, signals.asks_about_shown = signals.mentioned_item_ids[0], 1
        signals.signals = [Signal(facet_key("item", signals.asks_about_item), 1.0, "said")]
        signals.constraints = Constraints()
    signals.asks_why_all = bool(_WHY_ALL.match(text))
    signals.says_goodbye = bool(FAREWELL.search(plain))
    # "hidden gems" or "the best films of all time" alone asks for something
    signals.is_vague = signals.is_vague and is_vague(signals) and not BEST_OF_ALL.search(text)
    return signals


def without_own_name(text: str, titles: TitleMatcher, vocabulary: Vocabulary) -> str:
    """The text with the name the person gives for themselves blanked out, same length (the reading's spans point
    into it), unless the words are a title ("I am Sam") or the name an everyday word."""
    def blank(found: re.Match[str]) -> str:
        said, name = found.group(0), found.group(1)
        kept = titles.lookup(said, said) or vocabulary.is_common(name.lower())
        return said if kept else said[:len(said) - len(name)] + " " * len(name)
    return OWN_NAME.sub(blank, text)


def still_acclaimed(turn: TurnSignals, earlier: list[str]) -> bool:
    """An ask for acclaimed picks holds while the person only narrows it: "any good sports movies?", then "not
    boxing", "from the 90s" (earlier: their messages before, newest first). Anything liked anew, a change of
    direction or an ask for hidden gems ends it."""
    narrows = any(s.strength < 0 for s in turn.signals) or not turn.constraints.is_empty()
    if not narrows or turn.shift or turn.wants_hidden or any(s.strength > 0 for s in turn.signals):
        return False
    for text in earlier:
        if ACCLAIMED.search(text):
            return True
        if SHIFT.search(text) or HIDDEN.search(text):
            return False
    return False


def says_only_seen(signals: TurnSignals) -> bool:
    """"I've already seen Inception" and nothing more: what was seen is known now, what is wanted is not."""
    unseen = [i for i in signals.mentioned_item_ids if i not in signals.seen_item_ids]
    return bool(signals.seen_item_ids) and is_vague(replace(signals, seen_item_ids=[], mentioned_item_ids=unseen))


def is_vague(signals: TurnSignals) -> bool:
    """True when nothing usable was said: no facets, items, constraints, references, age or ask for the less known."""
    return not (signals.signals or signals.seen_item_ids or signals.mentioned_item_ids or signals.more_like_shown
                or signals.reject_shown or signals.wants_older or signals.wants_newer or signals.wants_hidden
                or not signals.constraints.is_empty())
