"""What a clause says about the film just before it: "but I didn't like it", "wouldn't watch that again"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from chatbot.understanding import film_verdicts as verdicts, lexicon as lx

# A sentence opening on one of these, naming nothing, is about the film before: "I saw Babel. It was boring."
FOLLOW_UP_OPENERS = frozenset({"it", "its", "that", "thats", "this"})
THEY = frozenset({"those", "these", "they", "theyre", "both"})
DESCRIBING = FOLLOW_UP_OPENERS | THEY  # "Those were classics!", "They were such classics!" say what they were
_ASIDES = frozenset("now nowadays today honestly".split())  # "but now ..." still speaks of the film before
_OPINIONS = (["i", "think"], ["i", "find"], ["i", "feel"], ["i", "guess"])
# Words that may stand between "but" and a verb that judges the film through a pronoun: "but I don't really like it".
LEAD_INS = lx.NEGATORS | frozenset("i we id really actually just still do did so much too also honestly".split())
# A negative word right before one of these only says how much: "stupid funny", "crazy good".
INTENSIFIED = lx.POSITIVE_EVAL | frozenset({"funny"})
# Modal negations that refuse a viewing: "wouldn't watch it", "won't see that again", "never watch it again".
REFUSALS = frozenset({"wouldnt", "wont", "never", "couldnt"})
# "I can't watch horror", "I just can't even watch Titanic": a no that says the person cannot bear it, not that the
# film is unseen (stop 53: "I can't watch horror movies" asked for horror, The Exorcist first)
_CANNOT = frozenset({"cant", "cannot"})
_DEGREE = frozenset({"even", "really", "just", "ever", "honestly"})


def cannot_bear(norms: Sequence[str], k: int) -> bool:
    """The word at k (watching or seeing) follows "can't" or "cannot", a few degree words apart at most."""
    before = [w for w in norms[max(0, k - 4):k] if w not in _DEGREE]
    return bool(before) and before[-1] in _CANNOT or before[-2:] == ["can", "not"]


# Verbs that give the speaker's view of what follows them: "but I thought it was boring".
OPINION_VERBS = frozenset("thought think found find felt feel".split())
_VIEW_VERBS = lx.JUDGING_VERBS | OPINION_VERBS  # "but I didn't like it", "but I thought it was dull"
PREFERRING = frozenset("liked like loved love enjoyed enjoy preferred prefer".split())
LIST_JOINERS = frozenset({"and", "or", "also"})
# A verb for more than one subject: after a list of films ("X and Y were boring") it judges them all.
PLURAL_VERBS = frozenset("were are werent arent both have all".split())
# "way too long", "a bit too slow", "it scared me too much": "too" after one of these, before a word that is no
# praise, is a complaint; so is an answer's "yeah, too long".
TOO_LEADS = frozenset("was is its were are bit way little just much kinda kind pretty far so me yes yeah yep yup nah"
                      .split())
# What a clause of the speaker's own may hold to disagree with the one before: "my wife loved X but I didn't".
_OWN_NO = lx.NEGATORS | frozenset("i me personally really honestly myself much so at all did do".split())
_UNSEEN_NO = frozenset("havent hasnt hadnt haven hasn".split())
# What a film named as another's likeness follows: "it reminded me a lot of X", "a variation of X".
_COMPARED = re.compile(r"(?:\bremind(?:s|ed)? me(?: a lot| so much| very much)? of|\bvariation (?:of|on)|\bcopy of"
                       r"|\b(?:rip|knock) ?off of)(?: the)?$")


_ASKS_GOOD = re.compile(r"(whats|what is|what are|is there|do you know|know|got)( some| any| a| an| the)?"
                        r"( really| very)? (good|great|nice|fun|decent|solid|best|top)\b")


def describes_from(norms: list[str], k: int) -> bool:
    """A sentence opening at k says what a film is ("It was funny", "Those were classics!") or asks it ("Is it from
    2018?", "Was that a comedy?"): no request."""
    return norms[k] in DESCRIBING or norms[k] in ("is", "was") and norms[k + 1:k + 2] in (["it"], ["that"], ["this"])


def asks_good(norms: list[str], k: int) -> bool:
    """A sentence opening at k asks for a film though it is a question: "What's a good documentary about nature?",
    "what are some great westerns", "is there a good horror movie": what it names is asked for."""
    return bool(_ASKS_GOOD.match(" ".join(norms[k:k + 5])))


def item_after(norms: list[str], j: int, items: set[int]) -> bool:
    """A named item starts at token j, or right after "for" ("except for Heat")."""
    if j < len(norms) and norms[j] == "for":
        j += 1
    return j in items


def past_asides(norms: list[str], j: int) -> int:
    """Where a clause from token j says its point, past a time or an opinion said first: "now I think it's ..."."""
    while j < len(norms) and norms[j] in _ASIDES:
        j += 1
    return j + 2 * (norms[j:j + 2] in _OPINIONS)


def refers_back(norms: list[str], j: int) -> bool:
    """The clause from token j is still about the film before it: "but it was meh", "but I didn't like it", "but
    now I think it's cringe"."""
    j = past_asides(norms, j)
    if j < len(norms) and norms[j] in FOLLOW_UP_OPENERS:
        return True
    window = norms[j:j + 6]
    for i, word in enumerate(window[:-1]):
        verb = _verb_width(window, i, _VIEW_VERBS)
        if verb and window[i + verb:i + verb + 1] and window[i + verb] in lx.OBJECT_PRONOUNS:
            return all(w in LEAD_INS for w in window[:i])  # "but I didn't like it", "but I didn't care for it"
    return refuses(window)  # "but I wouldn't watch it again"


def _verb_width(words: list[str], k: int, verbs: frozenset[str]) -> int:
    """How many words from k make a verb that judges its object: 2 for "care for", 1 for one of verbs, else 0."""
    return 2 if words[k:k + 2] == ["care", "for"] else int(k < len(words) and words[k] in verbs)


def bare_no(words: list[str]) -> bool:
    """The words are the speaker's bare no, disagreeing with what came before: "I didn't", "not me", "I really
    don't" (not "I haven't", which says what was not seen)."""
    return (0 < len(words) <= 5 and words[0] in ("i", "not") and all(w in _OWN_NO for w in words)
            and any(w in lx.NEGATORS for w in words) and not _UNSEEN_NO & set(words))


def refuses(words: list[str]) -> bool:
    """"wouldn't watch that again", "I'd never see it": a refusal to watch what was just named (not "haven't seen
    it", which only says it is unseen)."""
    for k, word in enumerate(words):
        if word in REFUSALS:
            rest = words[k + 1:k + 5]
            for j, verb in enumerate(rest[:-1]):
                if verb in ("watch", "see", "rewatch") and rest[j + 1] in lx.OBJECT_PRONOUNS:
                    return all(w in LEAD_INS or w in ("want", "to", "ever", "even") for w in rest[:j])
    return False


def prefers_other(norms: list[str], j: int, items: dict[int, int]) -> bool:
    """"(X) but I liked Y more": the clause from token j prefers another named film (items: start -> end)."""
    while j < len(norms) and norms[j] in LEAD_INS:
        j += 1
    if j >= len(norms) or norms[j] not in PREFERRING:
        return False
    end = items.get(j + 1)
    return end is not None and any(w in ("more", "better") for w in norms[end:end + 2])


# The wishes to see a film by their first word, as lexicon.CUE_PHRASES are: a word opens few of them.
_WANTED_BY_FIRST: dict[str, list[list[str]]] = {}
for _phrase in verdicts.WANTED:
    _WANTED_BY_FIRST.setdefault(_phrase.split()[0], []).append(_phrase.split())
# A no right before a complaint turns it ("No, not my thing" is one no said twice).
_TURNED = frozenset("not dont doesnt didnt isnt wasnt arent werent wont wouldnt never cant cannot".split())


def not_for_me(words: list[str], before: int | None = None) -> bool:
    """The words say no to the film before them: "isn't my style", "not so much", "not a fan" (not "... of Y"),
    "not interested" (not "... in Y").
    before: a phrase must start before that token ("that's too gory for me" may hold a genre word)."""
    text = " " + " ".join(words) + " "
    limit = len(text) if before is None else len(" " + " ".join(words[:before]))
    # ... unless a no comes right before it: "comedies that don't annoy me", "it wasn't too long for me"
    if any(0 <= (at := text.find(f" {p} ")) < limit and not set(text[:at].split()[-1:]) & _TURNED
           for p in verdicts.NOT_FOR_ME):
        return True
    return any(0 <= text.find(f" {p} ") < limit and f" {p} of " not in text and f" {p} in " not in text
               for p in verdicts.NOT_A_FAN)


def wants_to_see(words: Sequence[str], start: int = 0, end: int | None = None) -> bool:
    """In words[start:end], a wish to see the film with no no before it: "I'll check that one out", "No, but I
    should!" (not "I don't want to see it")."""
    for k in range(start, len(words) if end is None else min(end, len(words))):
        if not any(list(words[k:k + len(phrase)]) == phrase for phrase in _WANTED_BY_FIRST.get(words[k], ())):
            continue
        before = " ".join(words[max(start, k - 3):k])
        for unseen in verdicts.UNSEEN_SAID:  # "That's one I haven't seen! I'll check that out"
            before = before.replace(unseen, "")
        said = before.split()
        said = said[len(said) - said[::-1].index("but"):] if "but" in said else said
        if not (lx.NEGATORS - {"no"}) & set(said):
            return True  # "No, but I should!", "Not yet, I'll add it": the no is to having seen it
    return False


def seen_often(words: list[str]) -> bool:
    """The words say the film before them was seen again and again: "I've seen it a million times"."""
    return says_any(words, verdicts.SEEN_OFTEN)


def says_any(words: list[str], phrases: tuple[str, ...]) -> bool:
    """One of the phrases is among the words, whole words only."""
    text = " " + " ".join(words) + " "
    return any(f" {p} " in text for p in phrases)


def complains(words: list[str], k: int, negated: bool) -> bool:
    """words[k] finds fault with the film just named without a plain bad word: "silly", "wasn't funny", "too slow"."""
    word = words[k]
    nxt = words[k + 1] if k + 1 < len(words) else ""
    if word in lx.FILM_COMPLAINTS:
        return not negated and nxt not in INTENSIFIED  # "silly fun" praises
    if word in lx.NEGATABLE_PRAISE:
        return negated and (word != "care" or nxt == "for")
    after = words[k + 2] if k + 2 < len(words) else ""
    if word == "so" and nxt == "so":
        return after not in INTENSIFIED and after not in ("much", "many", "very")  # "so-so", not "so so good"
    prev = words[k - 1] if k else ""
    return (word == "too" and prev in TOO_LEADS and nxt not in INTENSIFIED
            and (nxt == "much" or (nxt.isalpha() and nxt not in lx.STOPWORDS)))


def shares_judgement(norms: list[str], end: int, start: int, items: dict[int, int]) -> bool:
    """The film ending at token `end` and the one starting at `start` open a list of films that a plural verb
    judges together: "X and Y were boring", "X, Y or Z are overrated", "X and Y, didn't like either" (items: start
    -> end of each film)."""
    while all(w in LIST_JOINERS for w in norms[end:start]) and start in items:
        end = items[start]
        start = next((j for j in range(end, min(end + 2, len(norms)) + 1) if j in items), -1)
        if start < 0:
            return end < len(norms) and norms[end] in PLURAL_VERBS or judges_them(norms[end:end + 8])
    return False


def judges_them(words: list[str]) -> bool:
    """The words judge the films listed before them: "(and) didn't like either", "hated both", "but I didn't care
    for either of them"."""
    k = next((i for i, w in enumerate(words) if w not in LEAD_INS and w not in LIST_JOINERS and w != "but"), 0)
    verb = _verb_width(words, k, lx.JUDGING_VERBS)
    return bool(verb) and words[k + verb:k + verb + 1] in (["them"], ["both"], ["either"], ["all"], ["those"])


def yardstick(norms: list[str], start: int) -> bool:
    """The film at start is what a comparison measures by, neither praised nor refused: "less violent than X",
    "not as good as X" (not "as well as X", which adds X to what came before)."""
    before = norms[max(0, start - 4):start]
    return before[-1:] == ["than"] or (before[-1:] == ["as"] and "as" in before[-4:-2] and before[-2] != "well")


def complaint_in(norms: list[str], judged: list[float], states: Sequence[Any]) -> bool:
    """The message finds fault: a judgement below zero (judged), a negation in force at a token that is no
    "haven't seen" (states: each token's polarity; "I don't like him much") or a word of complaint ("cheesy")."""
    return (any(v < 0 for v in judged) or any(w in lx.NEGATIVE_EVAL or w in lx.FILM_COMPLAINTS for w in norms)
            or any(s.sign < 0 and not s.unseen and w not in lx.SEE_VERBS for w, s in zip(norms, states)))


def compared_to(norms: list[str], start: int, states: Sequence[Any]) -> bool:
    """The item at start is named as what another resembles ("it reminded me a lot of X", "a variation of X"),
    and the last praise in its sentence before it (states: each token's sentence) is none, or a "like" that
    compares ("it's like everything he does is a variation of X")."""
    if not _COMPARED.search(" ".join(norms[max(0, start - 7):start])):
        return False
    praise = [k for k in range(start) if states[k].sentence == states[start].sentence
              and (norms[k] in lx.POSITIVE or norms[k] in lx.POSITIVE_EVAL)]
    return not praise or (norms[praise[-1]] == "like" and praise[-1] > 0 and norms[praise[-1] - 1] in lx.COMPARING)


def soft_endorsement(norms: list[str], start: int, seen: bool) -> bool:
    """The film at start is named as seen ("I saw X"; not "I've already seen X" or "tried watching X") or
    asked about ("have you seen X?")."""
    before = norms[max(0, start - 4):start]
    if seen:
        return not {"already", "tried"} & set(before)  # "I tried watching X" is no endorsement
    return "you" in before and any(w in lx.SEE_VERBS for w in before)


def refuses_silly(norms: list[str], states: Sequence[Any], sentences: Sequence[Any]) -> bool:
    """A request says no to silliness ("Jim Carrey, but not one of his silly ones", "nothing too goofy"): a word of
    it under a negation (states: each token's polarity and sentence) in a sentence that describes no film."""
    return any(w in lx.SILLY_WORDS and s.sign < 0 and not sentences[s.sentence].describes
               for w, s in zip(norms, states))
