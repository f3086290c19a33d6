"""Answers about the one film the last reply named: "Have you seen Heat?" - "yes, loved it" / "no, not yet"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from chatbot.understanding import clauses, film_verdicts as verdicts
from chatbot.understanding import lexicon as lx

if TYPE_CHECKING:
    from chatbot.types import Signal
    from chatbot.understanding.rules import Parse
    from retrieval.catalog import Item

BARE_VERDICT = 3  # words of a sentence that is only a verdict on the film before it: "Titanic? Meh.", "So boring."
ANSWER_REACH = 16  # tokens: the answer comes first ("Yes I have, it was great. Do you know any comedies?")
YES = frozenset("yes yeah yep yup ya yea sure absolutely definitely".split())
NO = frozenset("no nope nah".split())
_SELF_NO = NO | frozenset("way thanks pass hard hell ugh".split())  # "Titanic? No way.", "Heat? Hard pass."
UNSEEN = (*verdicts.UNSEEN_SAID, "did not see", "have not watched", "never watched", "didnt watch", "havent",
          "have not", "never heard", "dont think so", "dont know it", "not familiar", "meaning to watch",
          "meaning to see", "on my watchlist", "on my watch list")  # ... and wanted (film_verdicts.WANTED)
SEEN = ("i have", "i did", "seen it", "watched it", "saw it", "seen that", "watched that", "saw that", "i saw",
        "ive seen", "i watched", "seen them", "seen both")
_LIKING = frozenset({"like", "love", "loved", "liked", "enjoyed", "enjoy"})
_TURNS = frozenset({"but", "though", "although", "however"})  # "slow, but good": what comes after has the last word
# Words a follow-up may open with before it judges: "Nah, couldn't stand it.", "Honestly, loved it."
INTERJECTIONS = YES | NO | frozenset("oh ugh well honestly meh hmm ok okay so man wow lol haha".split())
_VERDICT_DEGREES = frozenset("so very really pretty kinda quite super just too totally a bit little rather".split())
_ASKED_BACK = frozenset({"you", "u"})  # "No, did you enjoy it?": a question back, no judgement
_SAID_OF_IT = _VERDICT_DEGREES | frozenset("was is its thats".split())  # "it was funny": the film, not a kind asked
HEARSAY = frozenset({"sounds", "sound", "looks", "look", "seems", "heard", "hear", "supposed", "trailer"})
_CALLED_GOOD = frozenset({"classic", "gem"})  # "Oh yes, a classic!": said of the film asked about, praise
_HEARD_PRAISE = lx.POSITIVE_EVAL | _CALLED_GOOD | clauses.INTENSIFIED
_JUDGING = lx.POSITIVE_EVAL | lx.NEGATIVE_EVAL | clauses.INTENSIFIED  # terms that still judge ("hilarious")
_BREAK = re.compile(r"[,.;:!?]|\s-\s")  # no phrase of an answer runs over it
_ASKS_SEEN = re.compile(r"\b(?:have|did|ever)\s+(?:you|u)\s+(?:\w+\s+)?(?:seen|see|watch|watched|saw)\b", re.I)
_ASKS_LIKED = re.compile(r"\b(?:did|do)\s+(?:you|u)\s+(?:\w+\s+)?(?:like|love|enjoy)\b"
                         r"|\b(?:what|how)\s+did\s+(?:you|u)\s+(?:think|feel|like)\b", re.I)
_ASKS_WHAT = re.compile(r"\b(?:what|which|whats)\b", re.I)  # "what movies do you like": a kind, not a film
# A short answer to "did you like it?": "no", "not really", "nope" say no to the film; "yes" says yes.
_NOT_REALLY = (["not", "really"], ["not", "much"], ["not", "at"], ["not", "particularly"])


@dataclass(frozen=True)
class Answer:
    """What a short reply says about the film just named: liked (+1), disliked (-1) or neither, and seen."""

    sign: int = 0
    seen: bool = False  # also true whenever it judges the film, except a no to an unseen one ("not my thing")


def asks_seen(previous: str | None) -> bool:
    """The last reply asked whether the person has seen something."""
    return bool(previous and _ASKS_SEEN.search(previous))


def asks_liked(previous: str | None) -> bool:
    """The last reply asked whether the person liked something ("Did you like Heat?", "What did you think of it?"),
    not what they like ("What kind of movies do you like?")."""
    return any(not _ASKS_WHAT.search(previous[max(0, m.start() - 30):m.start()])
               for m in _ASKS_LIKED.finditer(previous or ""))


def answer_in(parse: Parse, previous: str | None, until: int | None = None) -> Answer | None:
    """The answer a parsed message gives about the one film the last reply named (read_answer says how), in its
    words before `until` (where it names another film)."""
    norms = parse.norms[:until]
    first = min((s.start for s in parse.spans if s.kind == "term" and s.start < len(norms)
                 and norms[s.start] not in _JUDGING
                 and norms[s.start - 1:s.start] not in (["my"], ["our"])),  # "my kids loved it": who, not what
                default=len(norms))  # "yes, loved it. Any comedies?" ("hilarious" still judges)
    breaks = frozenset(k for k in range(len(norms)) if _BREAK.search(parse.gaps[k]))
    return read_answer(norms, previous, judged=first, breaks=breaks)


def refuses_its_kind(norms: list[str], signals: list[Signal], item: Item | None) -> bool:
    """"How about Saw?" - "I don't like horror": a no said outright to a kind the one film just named is of; not
    words about the film itself ("I wouldn't call that horror")."""
    refused = {s.facet.split(":", 1)[1] for s in signals if s.facet.startswith("genre:") and s.strength <= -1}
    return item is not None and bool(refused & set(item.facets)) and not lx.OBJECT_PRONOUNS & set(norms)


def read_answer(norms: list[str], previous: str | None, judged: int | None = None,
                breaks: frozenset[int] = frozenset()) -> Answer | None:
    """The answer in the first words of a message, or None when it says it has not been seen (or nothing).

    judged: where the message turns to something else (its first genre or phrase); a judgement after that is
    about that ("I am in the mood for animation movies best"), not about the film asked about. breaks: tokens a
    comma or stop comes before, which no phrase spans ("I have, not a big musical person" is no "have not").
    """
    words = norms[:ANSWER_REACH]
    text = " " + " ".join(("| " if k in breaks else "") + w for k, w in enumerate(words)) + " "
    said_seen = any(f" {p} " in text for p in SEEN)  # "I have", "seen it"; not a bare "yes"
    says_no = bool(words) and words[0] in NO
    seen = (bool(words) and words[0] in YES and asks_seen(previous)) or said_seen
    if clauses.not_for_me(words, before=judged):
        return Answer(-1, seen)  # "no, not really my thing": whether seen or not, a no to that film
    unseen = any(f" {p} " in text for p in UNSEEN)
    first = _first_judgement(words, judged) if says_no and not unseen else None
    if first and first[0] < 0 and not (HEARSAY | _ASKED_BACK) & set(words[:first[1] + 1]):
        return Answer(-1, True)  # "No, I didn't like it": a no to the film, not to having seen it (stop 53: nothing)
    if unseen or (says_no and asks_seen(previous)):
        heard = _heard_sign(words, text)  # "no, not yet": a mention, not a judgement; "... but it looks good": wanted
        return Answer(heard, False) if heard else None
    if asks_liked(previous) and (says_no or words[:2] in _NOT_REALLY):
        return Answer(-1, True)  # "Did you like Heat?" - "Not really": seen, and a no
    if not seen and HEARSAY & set(words[:judged]) and (heard := _heard_sign(words, text)):
        return Answer(heard, False)  # "It sounds really funny": wanted, not seen (stop 53: seen)
    sign = judgement_sign(words, until=judged) or int(clauses.seen_often(words))  # "I've seen it like ten times"
    if {"unfortunately", "sadly"} & set(words[:2]) and {"yes", "yeah"} & set(words[:2]):
        seen, sign = seen or asks_seen(previous), sign or -1  # "Unfortunately, yes", "yes unfortunately": sorry
    if not sign and words[:1] and words[0] in YES and asks_liked(previous):
        sign = 1  # "Did you like Heat?" - "Yes!"
    if not sign and clauses.wants_to_see(words, end=judged) and not said_seen:
        return Answer(1, False)  # "Ok, I'll try that one!": wanted, not seen (stop 53: nothing)
    if sign or seen:
        return Answer(sign, seen or sign != 0)
    return None


def _heard_sign(words: list[str], text: str) -> int:
    """What an answer says of a film not seen from how it looks or sounds ("it looks good": 1, "sounds boring",
    "heard it's not very good": -1) or from a plan to watch it ("I'll add it to my list": 1); 0 for neither."""
    for k, word in enumerate(words):
        said = words[k + 1:k + 5]
        found = [(j, 1 if w in _HEARD_PRAISE else -1) for j, w in enumerate(said)
                 if w in _HEARD_PRAISE or w in lx.NEGATIVE_EVAL]
        if word in HEARSAY and found:
            j, sign = found[0]
            negated = bool((lx.NEGATORS - NO) & set(words[max(0, k - 2):k] + said[:j]))  # "doesn't look good"
            return -sign if negated else sign
    return int(clauses.wants_to_see(words))


def judgement_sign(words: list[str], until: int | None = None) -> int:
    """First judgement in the words, turned around by a negation just before it ("not good", "didn't like"); one
    after "but" has the last word ("I was disappointed in the ending but it was good"). until: judgements
    from that word on are about something else."""
    first = _first_judgement(words, until)
    if first is None:
        return 0
    sign, k = first
    turn = next((j for j in range(k + 1, len(words)) if words[j] in _TURNS), None)
    later = _first_judgement(words, until, turn + 1) if turn is not None else None
    if later is None and turn is not None and clauses.bare_no(words[turn + 1:until]):
        return -1  # "my kids loved it but I didn't"
    return later[0] if later is not None else sign


def _first_judgement(words: list[str], until: int | None = None, start: int = 0) -> tuple[int, int] | None:
    """(sign, position) of the first judgement in words[start:until], or None."""
    for k in range(start, len(words) if until is None else min(until, len(words))):
        word = words[k]
        negated = any(w in lx.NEGATORS for w in words[max(start, k - 3):k]) or any(  # "didn't think it was great"
            w in lx.NEGATORS and words[j + 1] in clauses.OPINION_VERBS for j, w in enumerate(words[:k]) if j >= start)
        if word in lx.POSITIVE_EVAL or word in lx.STRONG_POSITIVE or word in _LIKING or word in _CALLED_GOOD:
            if word in ("like", "love", "enjoy") and words[k + 1:k + 2] not in (["it"], ["that"], ["this"], ["them"]):
                continue  # "I like comedies": about something else
            return (-1 if negated else 1), k
        if word == "funny" and words[k - 1:k] and words[k - 1] in _SAID_OF_IT:
            return (-1 if negated else 1), k  # "yes it was really funny" (stop 53: seen, nothing more)
        following = words[k + 1] if k + 1 < len(words) else ""
        if word in lx.NEGATIVE_EVAL and (following in lx.POSITIVE_EVAL or following == "funny"):
            continue  # "stupid funny", "crazy good"
        if word in lx.NEGATIVE_EVAL or word in lx.STRONG_NEGATIVE:
            return (1 if negated and word in ("bad",) else -1), k
        if clauses.complains(words, k, negated):
            return -1, k
    return None


def follow_up_sign(words: list[str]) -> int:
    """What a sentence that names nothing says of the film before it: "It was boring.", "Didn't like it.",
    "Nah, couldn't stand it.", "Not my thing.", "I wouldn't watch it again.", "I didn't." (0: nothing about it)."""
    if len(words) <= BARE_VERDICT and (sign := _bare_verdict(words)):
        return sign
    start = next((k for k, w in enumerate(words) if w not in INTERJECTIONS), len(words))
    rest = words[start:]
    if not rest:
        return 0
    if (rest[0] in clauses.FOLLOW_UP_OPENERS or clauses.refers_back(rest, 0)) and (sign := judgement_sign(rest)):
        return sign
    return -1 if clauses.not_for_me(rest) or clauses.refuses(rest) or clauses.bare_no(rest) else 0


def _bare_verdict(words: list[str]) -> int:
    """A verdict said alone: "Meh.", "Boring.", "So good!", "Not great." (0: none, or "not bad", which hedges; or any
    other word beside it: "Good night.")."""
    said = set(words)
    if not said <= lx.NEGATIVE_EVAL | lx.POSITIVE_EVAL | lx.NEGATORS | INTERJECTIONS | _VERDICT_DEGREES:
        return 0
    negated = bool(lx.NEGATORS & said)
    if lx.NEGATIVE_EVAL & said:
        return 0 if negated else -1
    return (-1 if negated else 1) if lx.POSITIVE_EVAL & said else 0


def _said_alone(parse: Parse, start: int, end: int, sentence: int) -> bool:
    """The sentence before `sentence` is only the film at tokens start:end: "Titanic?", "Titanic."."""
    return [k for k, state in enumerate(parse.states) if state.sentence == sentence - 1] == list(range(start, end))


def follow_ups(parse: Parse, asked_seen: bool = False) -> list[tuple[str, int]]:
    """"I watched Babel. It was a bit boring.", "Didn't like it.": a sentence that names nothing may judge the
    last film of the sentence before (follow_up_sign says how); asked_seen: the last reply asked whether the person
    has seen a film, so "Heat? No." says not seen."""
    items = [s for s in parse.spans if s.kind == "item" and s.item_id]
    first = min((s.start for s in items), default=len(parse.norms))
    # "Heat? I didn't like that one.": after a film named, "that one" is that film, not a pick of the last list
    named = {parse.states[s.start].sentence for s in parse.spans if s.kind == "item" or s.kind == "ref" and not (
        s.pattern and s.pattern.demonstrative and s.start > first)}
    out: list[tuple[str, int]] = []
    for k in range(len(parse.norms)):
        sentence = parse.states[k].sentence
        opens = k == 0 or parse.states[k - 1].sentence != sentence
        if not opens or sentence in named:
            continue
        before = [s for s in items if sentence - 2 <= parse.states[s.start].sentence < sentence]
        words = [w for j, w in enumerate(parse.norms) if parse.states[j].sentence == sentence]
        if not before or parse.states[before[-1].start].unseen or HEARSAY & set(words):
            continue  # "I haven't seen X. It sounds good": an expectation, not a judgement
        sign = follow_up_sign(words)  # "I saw Die Hard. I probably wouldn't watch that today."
        last = before[-1]
        if not (sign or asked_seen) and words and set(words) <= _SELF_NO and _said_alone(
                parse, last.start, last.end, sentence):
            sign = -1  # "Titanic? Nah.", "Titanic. Nope.": a film weighed aloud and turned down
        if sign:
            out.append((last.item_id or "", sign))
    return out
