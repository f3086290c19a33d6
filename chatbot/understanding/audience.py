"""Who will watch, read from a message: kids, grown-ups, grandparents, parents, and two viewers with two tastes."""

from __future__ import annotations

import re

from chatbot.types import TurnSignals
from chatbot.understanding.lexicon import OTHER_VIEWERS
from chatbot.understanding.rule_patterns import MEDIA_NOUNS, NUMBER_WORDS, PatternSpan, together_starts
from retrieval.likeness import FOR_FAMILIES

KIDS_PEOPLE = frozenset("kids kid children child toddler toddlers son sons daughter daughters grandkids "
                        "grandchildren nephew niece family".split())
# Watching with them ("with my grandparents") asks for a well-loved older film with nothing gruesome in it.
ELDER_PEOPLE = frozenset("grandparents grandparent grandma grandpa grandmother grandfather granny gran nana nan "
                         "grandmom granddad grandad grandpas grandmas elderly seniors".split())
# After "my grandma": she is who will watch ("would like", "is visiting"), not who watched ("loved it").
_ELDERS_WATCHING = [[w] for w in "would will might wants want likes like is are and".split()]
# A child this young is given animated films (a filter, not an interest the person said: "For fans of animation"
# would be words put in their mouth); "a movie for my 4 year old" answered Harry Potter and the Goblet of Fire.
YOUNG_AGE, YOUNG_KINDS = 6, ("animated", "animation")
ELDERS_EXCLUDE = ("horror", "erotic", "slasher", "adult", "crime", "thriller")  # unless asked for
# ... and with one's parents a well-loved film of any age (Kill Bill and Mommy answered "with my parents").
PARENT_PEOPLE = frozenset("parents parent mom moms mum mums mother dad dads father inlaws".split())
_TASTE_VERBS = frozenset("like likes love loves prefer prefers enjoy enjoys want wants".split())  # "she likes X"
# What kids mode already asks for: named beside it ("a family movie for my kids"), no filter of its own.
KIDS_FACETS = frozenset({"genre:family", "genre:children", "genre:kids", "tag:family", "tag:children", "tag:kids"})
_WATCHERS = (("kids", KIDS_PEOPLE), ("elders", ELDER_PEOPLE), ("parents", PARENT_PEOPLE))  # "with my ..."
# When the person was young is no one who will watch: "I loved Toy Story as a kid" asked for family films.
_YOUNG_ONE = frozenset("kid child teen teenager boy girl".split())
_YOUNG_ONES = frozenset("kids children teens teenagers little young younger".split())
_TODDLERS = frozenset("toddler toddlers preschooler preschoolers baby babies infant infants".split())
TODDLER_AGE = 3
_YEARS_OLD = [[unit, old] for unit in ("year", "years", "yr", "yrs") for old in ("old", "olds")]  # "a 6 yr old"


def find_kids(norms: list[str], taken: set[int]) -> list[PatternSpan]:
    """"for kids", "family movie night", "kid friendly", "my 7 year old", "for my daughter"; and the other way,
    "for adults", "something more grown-up" (kind "adults")."""
    spans = []
    for k, word in enumerate(norms):
        if k in taken:
            continue
        nxt = norms[k + 1] if k + 1 < len(norms) else ""
        if word in ("as", "was", "were") and (nxt in _YOUNG_ONES or nxt == "a" and norms[k + 2:k + 3] and
                                              norms[k + 2] in _YOUNG_ONE):
            spans.append(PatternSpan("childhood", k, k + 2 + (nxt == "a")))  # "as a kid": no one's audience
            continue
        if word == "grown" and nxt in ("up", "ups") or word in ("adults", "grownups") and k and norms[k - 1] == "for":
            spans.append(PatternSpan("adults", k - (word != "grown"), k + 1 + (word == "grown")))
            continue
        if word in ("childish", "kiddie", "kiddy", "mature"):  # "something less childish", "more mature"
            spans.append(PatternSpan("adults" if word == "mature" else "kids", k, k + 1))
            continue
        if word in ("have", "got") and nxt in ("any", "no") and norms[k + 2:k + 3] in (["kids"], ["children"]) or (
                word in ("have", "got") and nxt in ("kids", "children") and k and norms[k - 1] in ("dont", "not")):
            spans.append(PatternSpan("childhood", k, k + 2 + (nxt in ("any", "no"))))  # "I don't have any kids": no
            continue  # one's audience, and no no to family films (stop 50, a seeker)
        if word in ("adult", "adults") and nxt in ("oriented", "themed"):  # "more adult oriented" (a topic "adult")
            spans.append(PatternSpan("adults", k, k + 2))
            continue
        if word in ("for", "with"):
            j = k + 1 + (nxt in ("the", "my", "our", "your", "his", "her", "their"))
            j += norms[j:j + 1] == ["whole"]
            if norms[j:j + 2] == ["little", "ones"]:
                spans.append(PatternSpan("kids", k, j + 2))
                continue
            watching = next((kind for kind, people in _WATCHERS if j < len(norms) and norms[j] in people), None)
            if watching or norms[j:j + 1] and norms[j] in _TODDLERS:  # "for toddlers": as young as "my 3 year old"
                age = TODDLER_AGE if norms[j] in _TODDLERS else None
                spans.append(PatternSpan(watching or "kids", k, j + 1, age=age))
                continue
        if word in ("my", "our") and nxt in ELDER_PEOPLE and norms[k + 2:k + 3] in _ELDERS_WATCHING:
            spans.append(PatternSpan("elders", k, k + 2))  # "a movie my grandma would like"
            continue
        if word == "family" and (nxt == "night" or (nxt in ("movie", "film") and norms[k + 2:k + 3] == ["night"])):
            spans.append(PatternSpan("kids", k, k + 2 + (nxt != "night")))
        elif word in ("kid", "kids", "child", "family") and nxt in ("friendly", "safe"):
            spans.append(PatternSpan("kids", k, k + 2))
        elif word in ("kids", "childrens", "children", "kid") and nxt in MEDIA_NOUNS:
            spans.append(PatternSpan("kids", k, k + 2))
        elif word == "all" and nxt == "ages":
            spans.append(PatternSpan("kids", k, k + 2))
        elif word in ("age", "aged", "ages") and (age := int(nxt) if nxt.isdecimal() else NUMBER_WORDS.get(nxt)) and (
                age <= 12):  # "for kids, age 6"
            spans.append(PatternSpan("kids", k, k + 2, age=age))
        elif word.isdecimal() or word in NUMBER_WORDS:
            age = int(word) if word.isdecimal() else NUMBER_WORDS[word]
            rest = norms[k + 1:k + 3]
            if age <= 12 and (rest[:2] in _YEARS_OLD or rest[:1] == ["yo"]):
                spans.append(PatternSpan("kids", k, k + 1 + (1 if rest[:1] == ["yo"] else 2), age=age))
            elif 4 <= age <= 12 and (norms[k - 1:k] == ["im"] or norms[k - 2:k] == ["i", "am"]) and (
                    rest[:1] in ([], ["and"], ["so"], ["but"])):  # "I'm 12 and I want something scary"
                spans.append(PatternSpan("kids", k - 1 - (norms[k - 1] == "am"), k + 1))
    return spans


def apply_audience(signals: TurnSignals, kind: str, sign: int, pattern: PatternSpan | None = None) -> None:
    """"for kids" asks for family films, for a young child ("my 4 year old") animated ones only; "not for kids",
    "something for adults" keeps them and animation out; "with my grandparents" asks for a well-regarded older film,
    not horror; "with my parents" a well-regarded one."""
    constraints = signals.constraints
    if kind == "kids" and sign >= 0 and pattern and pattern.age is not None and pattern.age <= YOUNG_AGE:
        constraints.include_genres += [g for g in YOUNG_KINDS if g not in constraints.include_genres]
    if kind in ("elders", "parents"):
        if sign >= 0:
            signals.wants_acclaimed = True
            signals.wants_older = signals.wants_older or kind == "elders"
            constraints.exclude_genres += [g for g in ELDERS_EXCLUDE if g not in constraints.exclude_genres]
    elif (kind == "adults") == (sign >= 0):
        constraints.exclude_genres += [g for g in FOR_FAMILIES if g not in constraints.exclude_genres]
    else:
        constraints.kids = True


def kinds_together(asked: list[tuple[int, int]], norms: list[str], gaps: list[str]) -> bool:
    """Whether the kinds asked for (their spans) make one film: "romantic comedies", or one for two viewers."""
    return bool(together_starts(asked, norms, gaps)) or two_tastes(asked, norms)


def two_tastes(asked: list[tuple[int, int]], norms: list[str]) -> bool:
    """"she likes romance and I like action": the kinds asked for are the speaker's and another viewer's, so one
    film for both is wanted (not "I want horror or comedy, she likes anything")."""
    tellers = [(k, w == "i") for k, (w, verb) in enumerate(zip(norms, norms[1:]))
               if verb in _TASTE_VERBS and (w == "i" or w in OTHER_VIEWERS)]
    return {next((mine for k, mine in reversed(tellers) if k < start), None) for start, _ in asked} == {True, False}


def find_age_hint(norms: list[str]) -> bool:
    """"my son is 6": a child's age stated as a sentence."""
    text = " ".join(norms)
    match = re.search(r"\b(?:son|daughter|kid|kids|child|children)\b (?:is|are) (\d{1,2})\b", text)
    return bool(match and int(match.group(1)) <= 12)
