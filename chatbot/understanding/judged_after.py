"""What the words right after a mention say of it: "X was boring", "X and Y were great", "X, not so much"."""

from __future__ import annotations

import re

from chatbot.understanding import film_verdicts as verdicts, lexicon as lx
from chatbot.understanding.clauses import (INTENSIFIED, REFUSALS, bare_no, complains, not_for_me, past_asides,
                                           prefers_other, refers_back, refuses, says_any, seen_often, shares_judgement,
                                           wants_to_see)
from chatbot.understanding.rule_patterns import NUMBER_WORDS

POST_WINDOW = 10  # tokens after a mention that may judge it: "Heat was one of the best films I've seen"
SENTENCE_END = re.compile(r"[.!?;\n]")
_VERB_CUES = lx.POSITIVE | lx.NEGATIVE
# Where another viewer's clause ends: "with my son and we loved it", "she loved it but I didn't".
_OWN_AGAIN = lx.BOUNDARIES | frozenset({"i", "we", "and"})
_DEGREE_LEADS = frozenset("still really pretty very quite so actually".split())  # "but still good"
# Before a like, words that make it a hope, not a view: "I wanted to like X", "I thought I'd love X".
_HOPED = frozenset("to would id wanted tried expected hoped thought used".split())
_FAULT_DEGREES = frozenset("too bit little slightly somewhat kinda long".split())  # "a bit slow", "too long"
_FAULTED = (["it"], ["its"], ["that"], ["thats"])  # what the fault is said of: the film just named
# A no said back to the film at the sentence's end, past what describes it: "X is for kids, I'm past that", "I saw X
# and I want my two hours back".
_BACK_REFUSALS = tuple(p for p in verdicts.NOT_FOR_ME
                       if p.split()[-1] in lx.OBJECT_PRONOUNS or p.startswith("im ") or p.endswith(" back"))


def judgement_after(norms: list[str], gaps: list[str], items: dict[int, int], starts: set[int], end: int, item: bool,
                    unseen: bool = False, opinion: bool = False, free: frozenset[int] = frozenset(),
                    liked_at: int = -1) -> tuple[int, float, bool]:
    """Judgement after a mention (_judgement_after says how), where praise after "but" outweighs a complaint
    before it: "X was slow but I loved it"; liked_at: where the mention starts if a like comes before it ("I loved X
    but it was long"), else -1."""
    first = _judgement_after(norms, gaps, items, starts, end, item, unseen, opinion, free)
    if not item or first[0] >= 0:
        return first
    if liked_at >= 0 and not _HOPED & set(norms[max(0, liked_at - 5):liked_at]) and _fault_found(norms, end):
        return 0, 1.0, first[2]  # the like before the mention stands
    for j in range(end, min(len(norms), end + POST_WINDOW)):
        if j > end and (j in starts or SENTENCE_END.search(gaps[j])):
            break
        if norms[j] in lx.BOUNDARIES and (refers_back(norms, j + 1) or _praise_opens(norms[j + 1:j + 4])):
            later = _judgement_after(norms, gaps, items, starts, j + 1, item, unseen, False, free)
            return (later[0], later[1], first[2] or later[2]) if later[0] > 0 else first
    return first


def _fault_found(norms: list[str], end: int) -> bool:
    """Right after a mention, "but it was too long", "though it's a bit slow": a fault found in a film liked, no
    verdict on it (not "but it was boring", "but I didn't like it", "but I wouldn't watch it again")."""
    clause, said = set(norms[end + 1:end + 8]), past_asides(norms, end + 1)  # "but honestly it's a bit long"
    return (norms[end:end + 1] in (["but"], ["though"], ["although"]) and norms[said:said + 1] in _FAULTED
            and bool(_FAULT_DEGREES & clause) and not (lx.JUDGING_VERBS | REFUSALS | {"again"}) & clause)


def _new_subject(norms: list[str], gaps: list[str], end: int) -> bool:
    """After a comma, something else of the film's is judged: "X, the sequel ...", "X, its ending ..." (not "X, the
    movie ...")."""
    return "," in gaps[end] and norms[end:end + 1] in (["the"], ["its"]) and (
        norms[end + 1:end + 2] not in (["movie"], ["film"], ["one"], ["whole"]))


def _praise_opens(words: list[str]) -> bool:
    """A clause that opens on praise, a word or two of degree aside: "but still good", "but really fun"."""
    return any(w in lx.POSITIVE_EVAL for w in words[:1 + sum(w in _DEGREE_LEADS for w in words[:2])])


def _judgement_after(norms: list[str], gaps: list[str], items: dict[int, int], starts: set[int], end: int,
                     item: bool, unseen: bool = False, opinion: bool = False, free: frozenset[int] = frozenset()
                     ) -> tuple[int, float, bool]:
    """Judgement after a mention, up to the next mention or clause end: "X was boring", "X, seen it".

    For a genre or phrase the judgement must follow directly ("horror movies are boring"); after "and" or a
    comma it is about something else ("it is funny and hasn't a great lesson"). opinion: a negated opinion
    before the mention reaches into it ("I didn't think X was very good"). free: where free phrases start (they
    may be words of the complaint: "X made no sense"). norms/gaps: the message's tokens and the text between them;
    items: start -> end of each named item; starts: where anything named starts. Returns (sign, strength, seen).
    """
    negated, seen = opinion, False
    stop = min([s for s in starts - free if s >= end] + [end + 8])  # up to the next thing named
    if not item:  # "horror movies are not for me": in its own sentence
        stop = next((k for k in range(end, min(stop, len(norms))) if SENTENCE_END.search(gaps[k])), stop)
    # "comedies, not so much romance": a phrase that runs into the next thing named is about that
    leads_on = stop in starts and not gaps[stop].strip()
    if not_for_me(norms[end:stop]) and not (leads_on and not not_for_me(norms[end:stop - 1])):
        if item and _new_subject(norms, gaps, end):
            return 0, 1.0, False  # "I liked X, the sequel not so much": a no to the sequel, not to X
        return -1, 1.0, item  # "Mad Max isn't my style", "Adam Sandler movies are not for me"
    if item and (score := score_given(norms, gaps, end, stop)):
        return score, 1.0, True  # "X was a 3/10", "X, 9 out of 10"
    if item and _refused_back(norms, gaps, items, end):
        return -1, 1.0, True  # "I've seen Frozen like 50 times with my daughter, I'm so sick of it"
    if item and seen_often(norms[end:end + POST_WINDOW]):
        return 1, 1.0, True  # "not Pulp Fiction, I've seen it a million times": loved, and asked for no more
    if item and says_any(norms[end:end + POST_WINDOW], verdicts.SO_BAD_ITS_GOOD):
        return 1, 1.0, seen  # "The Room, so bad it's good": its badness enjoyed
    if item and unseen and wants_to_see(norms, end, end + POST_WINDOW):
        return 1, 1.0, False  # "Never seen Equilibrium, I'll check that one out": unseen and wanted
    k, limit = end - 1, min(len(norms), end + POST_WINDOW)
    while k + 1 < limit:
        k += 1
        if SENTENCE_END.search(gaps[k]):
            break
        if k > end and k in starts:
            if item and k not in items and complains(norms, k, negated):
                return -1, 1.0, seen  # "X wasn't funny": the genre word judges X
            if not (item and k in items and shares_judgement(norms, end, k, items)):
                break
            # "X and Y were boring": the judgement after Y is of X too
            limit = min(len(norms), limit + items[k] - k)
            k = items[k] - 1
            continue
        word = norms[k]
        nxt = norms[k + 1] if k + 1 < len(norms) else ""
        if not item and (word in ("and", "or") or "," in gaps[k]):
            break
        negated = negated and "," not in gaps[k]  # "X was not silly at all, loved it"
        if item and word in REFUSALS and refuses(norms[k:k + 6]):
            return -1, 1.0, seen  # "X was okay but I wouldn't watch it again"
        if item and word in lx.OTHER_VIEWERS and k > end:  # "X with my wife, she loved it": her view, to a comma
            while (k + 1 < len(norms) and "," not in gaps[k + 1] and not SENTENCE_END.search(gaps[k + 1])
                   and norms[k + 1] not in _OWN_AGAIN):
                k, limit = k + 1, min(len(norms), limit + 1)  # her words do not use up the window
            continue
        if item and not unseen and word in lx.JUDGING_VERBS and nxt in lx.OBJECT_PRONOUNS:
            # "X, I love that movie", "saw X but didn't like it": the verb judges X through the pronoun
            verb = -1 if word in lx.NEGATIVE else 1
            strong = word in lx.STRONG_POSITIVE or word in lx.STRONG_NEGATIVE
            return (-verb, 1.0, seen) if negated else (verb, 1.5 if strong else 1.0, seen)
        if word in _VERB_CUES and (k + 1 in starts or nxt == "the") and not (
                item and word in lx.NEGATORS and complains(norms, k + 1, True)):
            break  # "no horror please, and I hated Titanic": "hated" judges Titanic, not horror
        if item and word in lx.BOUNDARIES and prefers_other(norms, k + 1, items):
            return -1, 1.0, seen  # "I also watched X but I liked Y more"
        own = (_own_answer(norms, gaps, k + 1) if word in lx.BOUNDARIES
               else "," in gaps[k] and _own_answer(norms, gaps, k))
        if item and own:
            return own, 1.0, seen  # "my wife loved X but I didn't", "my husband liked X, I didn't", "..., I did"
        if word in lx.BOUNDARIES:
            if not refers_back(norms, k + 1):
                break  # "X but Y..." ends the judgement of X; "X but it was meh", "but I didn't like it" do not
            negated = False  # "X wasn't great but I liked it"
        if word in lx.NEGATIVE_EVAL and nxt in INTENSIFIED:
            continue  # "stupid funny", "crazy good": the word after says how it was
        if word in lx.POSITIVE_EVAL:
            return (-1, 1.0, seen) if negated else (1, 1.5 if word in lx.STRONG_POSITIVE else 1.0, seen)
        if word in lx.NEGATIVE_EVAL:
            return (1, 1.0, seen) if negated else (-1, 1.5 if word in lx.STRONG_NEGATIVE else 1.0, seen)
        if item and complains(norms, k, negated):
            return -1, 1.0, seen
        if word in lx.SEEN_CUES and not negated:
            seen = True
        elif word in lx.NEGATORS:
            negated = True
    return 0, 1.0, seen


def _sentence_rest(norms: list[str], gaps: list[str], items: dict[int, int], start: int) -> list[str]:
    """The words from start to the end of the sentence, the next named film or a clause boundary."""
    stop = start
    while stop < min(len(norms), start + POST_WINDOW + 4) and not (
            stop > start and (SENTENCE_END.search(gaps[stop]) or stop in items or norms[stop] in lx.BOUNDARIES)):
        stop += 1
    return norms[start:stop]


def _refused_back(norms: list[str], gaps: list[str], items: dict[int, int], end: int) -> bool:
    """Later in the film's sentence a no points back at it: "Shrek is for kids, I'm past that"."""
    return says_any(_sentence_rest(norms, gaps, items, end), _BACK_REFUSALS)


def _own_answer(norms: list[str], gaps: list[str], start: int) -> int:
    """The clause from start is the speaker's own bare answer, to the sentence's end: -1 for "but I didn't", "but
    not me", 1 for "but I did", "I really do" (after "my wife hated X"), else 0."""
    words = _sentence_rest(norms, gaps, {}, start)
    if start + len(words) < len(norms) and not SENTENCE_END.search(gaps[start + len(words)]):
        return 0
    return -1 if bare_no(words) else int(words[:1] == ["i"] and words[-1:] in (["did"], ["do"]) and len(words) <= 4)


_SCALES = {"5": 5, "five": 5, "10": 10, "ten": 10, "100": 100}  # what a score is out of: "3/10", "two out of five"


def score_given(norms: list[str], gaps: list[str], start: int, stop: int) -> int:
    """A score the person gives the film in norms[start:stop] ("a 3/10", "4 out of 10", "7.5/10", "two out of
    five"): -1 for half marks or less, 1 above them, 0 for no score (gaps[k]: the text before token k)."""
    for k in range(start, min(stop, len(norms) - 1)):
        if "/" in gaps[k + 1] and gaps[k + 1].strip() == "/":
            scale = norms[k + 1]
        elif norms[k + 1:k + 3] == ["out", "of"] and k + 3 < len(norms):
            scale = norms[k + 3]
        else:
            continue
        whole = NUMBER_WORDS.get(norms[k], norms[k])
        if scale not in _SCALES or not str(whole).isdigit():
            continue
        decimal = k > start and gaps[k] == "." and norms[k - 1].isdigit()  # "7.5/10": the score is 7.5, not 5
        score = float(f"{norms[k - 1]}.{whole}") if decimal else float(whole)
        return -1 if score <= _SCALES[scale] / 2 else 1
    return 0
