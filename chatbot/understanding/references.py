"""References to the list last shown: "the second one", "the first two", "none of those", "I loved both of those":
positions in it, and what the words around them say of those picks."""

from __future__ import annotations

import re

from chatbot.types import TurnSignals
from chatbot.understanding.lexicon import JUDGING_VERBS, SEEN_CUES
from chatbot.understanding.rule_patterns import NUMBER_WORDS, ORDINALS, REF_NOUNS, SUBJECTS, PatternSpan

ALL_JUDGED = -2  # a reference's position: every film shown, judged as the words say ("they all look great")
_LOOK_VERBS = frozenset("look looks sound sounds seem seems are were".split())
# What a number before these counts, not a pick it points at: "2 or 3 hours", "1 and 2 year olds".
_COUNTED = frozenset("hours hour minutes mins min kids children years year yr yrs people friends stars times days "
                     "weeks months of".split())
_AMOUNTS = frozenset("movies films ones already more others other".split())  # "seen 2 already": two of them
_AGED = frozenset("are is was were aged age ages turned turning".split())
_SENTENCE_BREAK = re.compile(r"[,.!?;:]")
_OPENERS = frozenset("oh ooh wow yeah yes hmm ah aw well".split())  # "Oh those are good ones!" (stop 53: nothing)
_PLURALS, _JUDGED_BY = ("them", "those", "these"), JUDGING_VERBS | SEEN_CUES  # "loved both", "seen both"
_REF_LISTS = [["movies"], ["films"], ["ones"], ["two"], ["three"]]  # "both of those movies", "those two"


def find_references(norms: list[str], gaps: list[str], taken: set[int], shown: int) -> list[PatternSpan]:
    """"the second one", "the last one", "number 2", "that one", "none of those": positions in the last list."""
    spans = []
    n = len(norms)

    def opens(j: int) -> bool:  # a sentence starts at token j
        return j == 0 or bool(_SENTENCE_BREAK.search(gaps[j]))

    for k, word in enumerate(norms):
        if k in taken:
            continue
        nxt = norms[k + 1] if k + 1 < n else ""
        after = norms[k + 2] if k + 2 < n else ""
        prev = norms[k - 1] if k > 0 else ""
        ends = k + 1 == n or any(c in gaps[k + 1] for c in ".,!?;")
        if word in ("first", "last") and NUMBER_WORDS.get(nxt, 0) > 1 and prev == "the" and (
                after in REF_NOUNS | _LOOK_VERBS or k + 2 == n or _SENTENCE_BREAK.search(gaps[k + 2])):
            count = NUMBER_WORDS[nxt]  # "I've seen the first two, loved them" (not "the first three Harry Potters")
            spans.append(PatternSpan("ref", k, k + 2 + (after in REF_NOUNS), positions=list(
                range(1, count + 1) if word == "first" else range(max(1, shown - count + 1), shown + 1))))
        elif word in ORDINALS:
            chained = nxt in ("and", "or") and (after in ORDINALS or (after == "the" and norms[k + 3:k + 4]
                                                                      and norms[k + 3] in ORDINALS))
            if word == "last" and nxt in REF_NOUNS and after in SUBJECTS:
                continue  # "the last movie I saw" is about the user's past, not the list
            # "the third sounds good", as "the third one" does (the answer said nothing of it)
            said_of = prev in ("the", "and", "or") and nxt in ("sounds", "looks", "seems", "was", "is", "looked",
                                                                "sounded", "look", "sound", "seem")  # "... and fourth"
            if nxt in REF_NOUNS or chained or said_of or (ends and prev in ("the", "and", "or")):
                spans.append(PatternSpan("ref", k, k + 1 + (nxt in REF_NOUNS), positions=[ORDINALS[word]]))
        elif word in ("number", "option", "no", "#") and nxt.isdecimal() and 1 <= int(nxt) <= max(shown, 10):
            if word != "no" or "." in gaps[k + 1]:
                spans.append(PatternSpan("ref", k, k + 2, positions=[int(nxt)]))
        elif word.isdecimal() and 1 <= int(word) <= max(shown, 10) and (gaps[k].endswith("#") or _pointed_at(
                norms, k, shown)):
            spans.append(PatternSpan("ref", k, k + 1, positions=[int(word)]))  # "#2", "2 and 4 look good"
        elif word in ("that", "this") and nxt in REF_NOUNS - {"ones"} and (after not in SUBJECTS):
            spans.append(PatternSpan("ref", k, k + 2, positions=[1], demonstrative=True))
        elif word in ("none", "any", "all") and nxt == "of" and after in _PLURALS:
            # "none of those": a no; "I didn't like any of those", "I've seen all of them": as the words judge them;
            # "none of these are newer than 2000?" says what they are, no verdict (and no "not newer than 2000")
            aged = _aged(norms[k + 3:k + 5])
            spans.append(PatternSpan("ref", k, k + 3, positions=[] if aged else [0 if word == "none" else ALL_JUDGED]))
        elif word in ("those", "these", "they") and shown > 1 and (opens(k) or prev in _OPENERS and opens(k - 1)) and (
                nxt in _LOOK_VERBS or nxt == "all" and after in _LOOK_VERBS) and not taken & set(range(k)):
            # "those look boring" (not "I saw Heat and Alien. They were great": those two; nor, after one film asked
            # about, "I have seen that one, it's good! Those are all great suggestions": its answer says seen)
            spans.append(PatternSpan("ref", k, k + 1 + (nxt == "all"), positions=[ALL_JUDGED]))
        elif word == "neither" and nxt == "of" and after in _PLURALS and shown > 1 and prev not in _JUDGED_BY:
            spans.append(PatternSpan("ref", k, k + 3, positions=[0]))  # "neither of those sound good": a no to both
        elif (word == "both" and shown == 2 and (nxt == "of" and after in _PLURALS or prev in _JUDGED_BY)
              or word == "either" and shown == 2 and prev in _JUDGED_BY  # "didn't like either" (stop 53: nothing)
              or word in _PLURALS and 1 < shown <= 3 and prev in _JUDGED_BY):
            width = 3 if word == "both" and nxt == "of" else 1  # "loved both of those", "seen both", "like those"
            spans.append(PatternSpan("ref", k, k + width + (norms[k + width:k + width + 1] in _REF_LISTS),
                                     positions=[ALL_JUDGED]))  # the films a reply named; five picks are no "those"
        elif word in _PLURALS and nxt == "all" and prev in _JUDGED_BY and shown > 1:  # "seen them all", "hated ..."
            spans.append(PatternSpan("ref", k, k + 2, positions=[ALL_JUDGED]))
        elif word == "all" and nxt in _PLURALS and prev in _JUDGED_BY and 1 < shown <= 3:  # "loved all those movies"
            spans.append(PatternSpan("ref", k, k + 2 + (after in REF_NOUNS), positions=[ALL_JUDGED]))
        elif word == "not" and nxt in ("those", "these") and (k + 2 == n or after in REF_NOUNS):
            spans.append(PatternSpan("ref", k, k + 2 + (after in REF_NOUNS), positions=[0]))
        elif word == "feeling" and nxt in _PLURALS and "not" in norms[max(0, k - 3):k]:
            spans.append(PatternSpan("ref", k, k + 2, positions=[0]))  # "nah, not really feeling these": a no
    return spans


def _aged(words: list[str]) -> bool:
    """"(none of these) are newer than 2000?": what is said is their age, an ask for other years, no verdict."""
    return words[:1] in (["are"], ["is"], ["were"]) and words[1:2] in (
        ["newer"], ["older"], ["recent"], ["new"], ["old"], ["from"], ["before"], ["after"], ["made"], ["released"])


def _pointed_at(norms: list[str], k: int, shown: int) -> bool:
    """The number at k points at a pick of the list shown (shown: its length), as in a list of small numbers, "2 and
    4", "seen 1, 3 and 5" (not "2 or 3 hours", "my kids are 6 and 8"), or at the start of "3 looks good"."""
    def word(j: int) -> str:
        return norms[j] if 0 <= j < len(norms) else ""

    def small(j: int) -> bool:
        return word(j).isdecimal() and len(word(j)) == 1

    def run_end(j: int, step: int) -> int:  # the last number of the run from j that way, past "and" / "or"
        while small(j + step) or word(j + step) in ("and", "or") and small(j + 2 * step):
            j += step if small(j + step) else 2 * step
        return j

    start, end = run_end(k, -1), run_end(k, 1)
    listed = start < end and word(end + 1) not in _COUNTED and word(start - 1) not in _AGED
    # "seen 2, hated it", "loved 3" (not "seen 2 of them", "I've seen 2 already", "liked 2 movies")
    judged = word(k - 1) in _JUDGED_BY and word(k + 1) not in _COUNTED | _AMOUNTS
    return 1 < shown and int(norms[k]) <= shown and (listed or judged or k == 0 and word(1) in _LOOK_VERBS)


def apply_reference(out: TurnSignals, pattern: PatternSpan, sign: int, seen: bool, seen_words: bool,
                    last_shown: list[str] | None) -> None:
    """"more like the second one", "not that one", "none of those", "I've seen the first": positions in the last
    list (seen: this reference was said to be seen; seen_words: its sentence speaks of seeing)."""
    if pattern.demonstrative and sign >= 0:
        return  # "I love that movie" mostly means a title just named; "not that one" means the lead pick
    count = len(last_shown or [])
    positions: list[int] = []
    for p in pattern.positions:
        if p in (0, ALL_JUDGED):
            positions.extend(range(1, count + 1))  # "none of those": all of them
        elif p == -1:
            positions.extend([count] if count else [])
        elif not last_shown or p <= count:
            positions.append(p)
    if seen and last_shown:  # "I've seen that one, it was just ok": seen, whatever it says of it
        for p in positions:
            if last_shown[p - 1] not in out.seen_item_ids:
                out.seen_item_ids.append(last_shown[p - 1])
    if seen and {0, ALL_JUDGED} & set(pattern.positions) or ALL_JUDGED in pattern.positions and not sign:
        return  # "none of these, I've seen them all": seen, which is no no to that kind of film
    if 0 in pattern.positions or sign < 0:
        target = out.reject_shown
    elif sign > 0 or not (seen or seen_words):
        target = out.more_like_shown
    else:
        return
    target.extend(p for p in dict.fromkeys(positions) if p not in target)


# What leaves picks out of "seen them all": "except the fourth", "apart from number 3" (the longest first).
_EXCEPT = (["apart", "from"], ["other", "than"], ["but", "not"], ["except", "for"], ["except"], ["but"], ["besides"])


def seen_all_but(out: TurnSignals, norms: list[str], refs: list[PatternSpan], last_shown: list[str] | None) -> None:
    """"seen them all except the fourth", "I've seen all of these apart from number 3": every pick shown is seen but
    those, which are neither seen nor said no to (the fourth was a no, and the rest went unread)."""
    shown = last_shown or []
    for k, word in enumerate(norms):
        if word != "all" or not SEEN_CUES & set(norms[max(0, k - 3):k]):
            continue
        j = k + 1 + (2 if norms[k + 1:k + 2] == ["of"] else 0)  # "all of them"
        width = next((len(e) for e in _EXCEPT if norms[j:j + len(e)] == e), 0)
        at, excepted = j + width, []  # "... except the fourth", "except #2 and #4"; not "but loved the first"
        while width and (ref := next((r for r in refs if r.start == at + (norms[at:at + 1] == ["the"])), None)):
            excepted += [p if p > 0 else len(shown) for p in ref.positions if p > 0 or p == -1]
            at = ref.end + (norms[ref.end:ref.end + 1] in (["and"], ["or"]))
        if not excepted:
            continue
        kept = {shown[p - 1] for p in excepted if 0 < p <= len(shown)}
        out.seen_item_ids = [*(i for i in out.seen_item_ids if i not in kept),
                             *(i for i in shown if i not in kept and i not in out.seen_item_ids)]
        out.reject_shown = [p for p in out.reject_shown if p not in excepted]
        out.more_like_shown = [p for p in out.more_like_shown if p not in excepted]
        return
