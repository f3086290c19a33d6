"""References to the list last shown, as people make them: "the first two", "both of those", "I like those"."""

from __future__ import annotations

import pytest

HEAT, ALIEN = "wp:Heat_(1995_film)", "wp:Alien_(film)"
FIVE = [HEAT, ALIEN, "wp:Inception", "wp:Titanic_(1997_film)", "wp:Jaws"]


@pytest.mark.parametrize(("answer", "more", "reject"), [
    ("Yes, I like those!", [1, 2], []), ("I am a big fan of both of those movies as well.", [1, 2], []),
    ("Oh I loved both of those. What about a thriller?", [1, 2], []), ("I hated both of them", [], [1, 2]),
    ("we both loved Titanic", [], []),
])
def test_both_or_those_after_a_reply_naming_two_films_judges_the_two(rules, answer, more, reject) -> None:
    # Before (stop 47, ReDial seekers): each read as nothing about the two films the reply offered.
    result = rules.extract(answer, last_shown=[HEAT, ALIEN], previous="How about Heat (1995) or Alien (1979)?")
    assert (result.more_like_shown, result.reject_shown) == (more, reject)
    five = rules.extract(answer, last_shown=[HEAT, ALIEN, "a", "b", "c"], previous="Here are five picks.")
    assert "those" not in answer or five.more_like_shown == []  # five picks are no "those"


@pytest.mark.parametrize(("answer", "more", "reject"), [
    ("I loved all those movies!", [1, 2], []), ("Oh those are good ones!", [1, 2], []),
    ("I've seen both, didn't like either", [], [1, 2]), ("neither of those sound good", [], [1, 2]),
])
def test_all_those_either_and_neither_judge_the_two_films_offered(rules, answer, more, reject) -> None:
    # Stop 53 (ReDial seekers of the train half, and the no forms of them): each read as nothing.
    result = rules.extract(answer, last_shown=[HEAT, ALIEN], previous="How about Heat (1995) or Alien (1979)?")
    assert (result.more_like_shown, result.reject_shown) == (more, reject)


@pytest.mark.parametrize(("answer", "more", "seen"), [
    ("I've seen the first two, loved them", [1, 2], [HEAT, ALIEN]), ("the last two look good", [4, 5], []),
    # no picks of the list, but the first three of the series (stop 50; before, none: the words after "the" were
    # read as a kind of film)
    ("I've seen the first three Harry Potter films", [], ["tmdb:671", *(
        f"wp:Harry_Potter_and_the_{name}_(film)" for name in ("Chamber_of_Secrets", "Prisoner_of_Azkaban"))]),
])
def test_the_first_or_last_two_are_those_picks(rules, answer, more, seen) -> None:
    # Before (stop 47): "I've seen the first two, loved them" read nothing of the picks.
    result = rules.extract(answer, last_shown=FIVE, previous="Here are a few picks.")
    assert (result.more_like_shown, result.seen_item_ids) == (more, seen)


@pytest.mark.parametrize(("answer", "more", "reject", "seen"), [
    ("seen 1 and 3, loved both", [1, 3], [], [HEAT, "wp:Inception"]),  # before: only the third liked
    ("I've seen the first and third, hated both", [], [1, 3], [HEAT, "wp:Inception"]),
    ("seen 2, hated it", [], [2], [ALIEN]),  # before: nothing read
    ("loved 3", [3], [], []),
    ("I've seen 2 already", [], [], []),  # two of them, no pick pointed at
    ("I liked 2 movies of those", [], [], []),
])
def test_picks_listed_by_number_share_the_verdict_said_after_them(rules, answer, more, reject, seen) -> None:
    result = rules.extract(answer, last_shown=FIVE, previous="Here are a few picks.")
    assert (result.more_like_shown, result.reject_shown, result.seen_item_ids) == (more, reject, seen)


@pytest.mark.parametrize(("answer", "years"), [
    ("none of these are newer than 2000?", (2001, None)),  # before: a no to all five, and films up to 2000
    ("none of those are from the 90s", (1990, 1999)),
])
def test_none_of_these_said_of_their_years_asks_for_those_years(rules, answer, years) -> None:
    result = rules.extract(answer, last_shown=FIVE, previous="Here are a few picks.")
    assert result.reject_shown == [] and (result.constraints.year_min, result.constraints.year_max) == years
    assert rules.extract("none of these are good", last_shown=FIVE).reject_shown == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(("answer", "unseen", "more", "reject"), [
    # stop 49: "except the fourth" was a no to the fourth (and "seen them all" saw only the fourth)
    ("seen them all except the fourth", [4], [], []),
    ("I've seen all of them except the last one", [5], [], []),
    ("I've seen all of them except #2 and #4", [2, 4], [], []),
    ("I've seen them all but loved the first", [], [1], []),  # a verdict, nothing left out
    ("I've seen them all", [], [], []),  # before: nothing read
    ("I hated them all", [1, 2, 3, 4, 5], [], [1, 2, 3, 4, 5]),
])
def test_picks_seen_all_but_some_leave_those_unseen_and_unjudged(rules, answer, unseen, more, reject) -> None:
    result = rules.extract(answer, last_shown=FIVE, previous="Here are a few picks.")
    seen = [i for i in FIVE if i not in [FIVE[p - 1] for p in unseen]]
    assert (sorted(result.seen_item_ids), result.more_like_shown, result.reject_shown) == (sorted(seen), more, reject)


def test_list_not_felt_is_a_no_to_it(rules) -> None:
    # Before (stop 46): "not really feeling these" read as nothing; the picks it judged were no less liked.
    shown = ["wp:Heat_(1995_film)", "wp:Alien_(film)", "wp:Jaws_(film)"]
    for text in ("nah, not really feeling these", "I'm not feeling those"):
        assert rules.extract(text, last_shown=shown).reject_shown == [1, 2, 3]
    assert rules.extract("I'm feeling these, more please", last_shown=shown).reject_shown == []


@pytest.mark.parametrize(("text", "more", "seen"), [
    ("2 and 4 look good", [2, 4], 0), ("1, 3 and 5 sound fun", [1, 3, 5], 0), ("3 looks good", [3], 0),
    ("the second and fourth look good", [2, 4], 0), ("seen 1 and 3, the others?", [], 2),
    ("something 2 or 3 hours long", [], 0), ("my kids are 3 and 5", [], 0),
])
def test_picks_pointed_at_by_their_numbers(rules, text: str, more: list[int], seen: int) -> None:
    # Before (stop 45): bare numbers read as nothing, and "the second and fourth" liked the second only.
    shown = ["wp:Heat_(1995_film)", "wp:Alien_(film)", "wp:Jaws_(film)", "wp:Up_(2009_film)", "wp:Big_(film)"]
    result = rules.extract(text, last_shown=shown)
    assert (result.more_like_shown, len(result.seen_item_ids)) == (more, seen)


@pytest.mark.parametrize("answer", ["heat sounds good", "Heat sounds good"])
def test_a_title_of_everyday_words_from_the_list_shown_is_named(rules, answer: str) -> None:
    # Stop 50: after "I loved Heat", "Casino sounds good" (Casino was the first pick) searched stories for "casino"
    # (Quantum of Solace, Revolver); a title of everyday words needed a cue even when the list had just shown it.
    result = rules.extract(answer, last_shown=FIVE, previous="Here are a few picks.")
    assert [(s.facet, s.strength) for s in result.signals] == [(f"item:{HEAT}", 2.0)]
    assert rules.extract(answer).signals == []  # without the list, "heat" is a word
    big = rules.extract("not a big fan of Tom Cruise", last_shown=["wp:Big_(film)"], previous="Here are a few picks.")
    assert [s.facet for s in big.signals] == ["person:tom cruise"]  # a word that modifies the next is no title
