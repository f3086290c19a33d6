"""Dislikes said the ways film lovers say them: of a list at once, against another's taste, as a yardstick."""

from __future__ import annotations

import pytest

HEAT, ALIEN = "wp:Heat_(1995_film)", "wp:Alien_(film)"


def _judged(rules, text: str) -> dict[str, float]:
    """Each film's strength in what the rules read from the text."""
    return {s.facet[5:]: s.strength for s in rules.extract(text).signals if s.facet.startswith("item:")}


@pytest.mark.parametrize(("text", "sign"), [
    ("I've seen Heat (1995) and Alien (1979), didn't like either.", -1),
    ("I watched Heat (1995) and Alien (1979), hated both.", -1),
    ("I saw Heat (1995) and Alien (1979) but didn't care for either of them.", -1),
    ("I saw Heat (1995) and Alien (1979) and liked them both", 1),
])
def test_a_judgement_of_them_all_after_a_list_judges_each_film(rules, text, sign) -> None:
    judged = _judged(rules, text)
    assert judged[HEAT] * sign > 0 and judged[ALIEN] * sign > 0


@pytest.mark.parametrize(("text", "sign"), [
    ("My husband liked Heat (1995), I didn't.", -1),
    ("My wife loves Heat (1995). I don't.", -1),
    ("My husband didn't like Heat (1995), I did.", 1),
])
def test_the_speakers_own_answer_outweighs_another_persons_taste(rules, text, sign) -> None:
    assert _judged(rules, text)[HEAT] * sign > 0


@pytest.mark.parametrize("text", ["I hate movies like Heat (1995)", "I'm tired of movies like Heat (1995)",
                                  "Heat (1995) was just average", "I thought Heat (1995) was average at best"])
def test_a_no_that_reaches_past_movies_like_or_calls_it_average_dislikes_the_film(rules, text) -> None:
    assert _judged(rules, text)[HEAT] < 0


@pytest.mark.parametrize("text", ["Alien (1979) was good but not as good as Heat (1995)",
                                  "Alien (1979) is not nearly as good as Heat (1995)",
                                  "I liked Alien (1979) as well as Heat (1995)"])
def test_the_film_a_comparison_measures_by_is_not_disliked(rules, text) -> None:
    assert _judged(rules, text)[HEAT] > 0


@pytest.mark.parametrize("answer", [
    "Yes I did, I wasn't a huge fan",
    "yeah I didn't really get it",
    "I started it but never finished",
    "I've seen it. I didn't think it was that great",  # the negated opinion reaches past "it was"
    "I've seen that one, not really my taste",
    "Yes, my kids loved it but I didn't",
    "Yes and I regret it",  # stop 44: these two read as nothing
    "I saw it and wanted my money back",
])
def test_more_lukewarm_answers_about_the_film_just_named_are_a_no(rules, answer) -> None:
    result = rules.extract(answer, last_shown=[HEAT], previous="Have you seen Heat (1995)?")
    assert result.reject_shown == [1] and result.more_like_shown == []


def test_i_havent_after_a_list_of_films_is_no_dislike(rules) -> None:
    # Stop 38's own-answer rule first read "No I haven't" (to "have you seen Saw?") as a no to the film before it.
    assert _judged(rules, "Especially films like Alien (1979) and Heat (1995). No I haven't")[HEAT] > 0


@pytest.mark.parametrize(("text", "sign"), [
    # stop 39: a verdict said alone after the film ("Heat? Meh.") read as nothing, and "let me down", "isn't really
    # my style" as a like
    ("Heat (1995)? Meh.", -1),
    ("I saw Heat (1995). Boring.", -1),
    ("Heat (1995)? Not great.", -1),
    ("I saw Heat (1995). So good!", 1),
    ("Heat (1995) let me down", -1),
    ("Heat (1995) isn't really my style", -1),
    ("I hated Heat (1995). Good night.", -1),  # a greeting is no verdict
    ("I loved Heat (1995). Great, thanks.", 1),
])
def test_a_verdict_said_alone_or_as_a_letdown_judges_the_film(rules, text, sign) -> None:
    assert _judged(rules, text)[HEAT] * sign > 0


@pytest.mark.parametrize(("text", "sign"), [
    # stop 43: "least favorite" read as a favorite, and a one-word title opening a sentence before "got" was no film
    ("Heat is my least favorite movie", -1),
    ("my least favourite film is Heat", -1),
    ("Heat is my favorite movie", 1),
    ("Heat got on my nerves", -1),
    ("Heat made me cry", 1),
    # ... and a shrug, and boredom said before the film, read as likes
    ("Heat (1995) was ok I guess", -1),
    ("Heat (1995) was good I guess", 1),
    ("I was bored watching Heat (1995)", -1),
])
def test_a_least_favorite_a_shrug_and_boredom_judge_the_film(rules, text, sign) -> None:
    assert _judged(rules, text).get(HEAT, 0.0) * sign > 0


@pytest.mark.parametrize(("text", "sign"), [
    ("I loved Heat (1995) but it was too long", 1),  # before: the fault after "but" read as a no to Heat
    ("I really enjoyed Heat (1995), though it's a bit slow", 1),
    ("I loved Heat (1995) but that was way too long", 1),
    ("I liked Heat (1995) but it was boring", -1),  # a verdict, no fault found in a film liked
    ("I wanted to like Heat (1995) but it was too slow", -1),  # a hope, not a like
    ("I loved Heat (1995) but I wouldn't watch it again", -1),
])
def test_a_fault_found_in_a_film_liked_keeps_the_like(rules, text, sign) -> None:
    assert _judged(rules, text)[HEAT] * sign > 0


@pytest.mark.parametrize(("answer", "more", "reject"), [
    ("Yes, I've seen it like ten times", [1], []),  # stop 44: read as seen only
    ("I've seen it multiple times", [1], []),
    ("I have seen it many times and I hate it", [], [1]),  # the verdict first
])
def test_an_answer_of_a_film_seen_again_and_again_likes_it(rules, answer, more, reject) -> None:
    result = rules.extract(answer, last_shown=[HEAT], previous="Have you seen Heat (1995)?")
    assert (result.more_like_shown, result.reject_shown) == (more, reject)


def test_the_whole_list_judged_is_no_list_of_one_film_asked_about(rules) -> None:
    # stop 44's "those look boring" (every film shown) first took "Those are all great suggestions" after one film
    # asked about as that judgement, and the answer before it ("I have seen that one") went unread: no longer seen.
    result = rules.extract("I have seen that one- it's really good! Those are all great suggestions!",
                           last_shown=[HEAT], previous="have you seen Heat (1995) ?")
    assert result.more_like_shown == [1] and result.judged_item_ids == [HEAT]


@pytest.mark.parametrize(("text", "sign"), [
    ("I watched Heat and I want my two hours back", -1),  # stop 45: a soft like
    ("I watched Heat two hours back and loved it", 1),  # "hours back" alone is a time
])
def test_wanting_the_hours_back_is_a_no_to_the_film(rules, text: str, sign: int) -> None:
    assert _judged(rules, text)[HEAT] * sign > 0


@pytest.mark.parametrize("text", [
    "I tried to like Heat but couldn't", "Heat was fine I guess, nothing to write home about", "Heat is so overdone",
    "Heat (1995) aged badly", "Heat was a hard pass for me", "I've never understood the appeal of Heat",
])
def test_shrugs_and_likes_that_did_not_take_are_a_no(rules, text: str) -> None:
    # Before (stop 45): each read as a like of Heat (+2.0).
    assert _judged(rules, text)[HEAT] < 0


@pytest.mark.parametrize("answer", ["Yeah, it was whatever", "Yes, not really my cup of tea",
                                    "I have. It's fine, not great", "Yes but it's not one I'd rewatch"])
def test_shrugs_answering_about_the_film_just_named_are_a_no(rules, answer: str) -> None:
    result = rules.extract(answer, last_shown=[HEAT], previous="Have you seen Heat (1995)?")
    assert result.reject_shown == [1] and result.more_like_shown == []  # before: nothing, or a like ("fine")


@pytest.mark.parametrize(("text", "sign"), [
    # stop 49: each of these no's read as a like, and a sentence-initial one-word title before them named nothing
    ("Heat (1995) was never my thing", -1),
    ("Heat (1995) didn't click with me", -1),
    ("Heat never clicked with me", -1),
    ("Heat didn't do it for me", -1),
    ("Heat (1995) didn't really grab me", -1),
    ("Heat (1995) didn't work for me", -1),
    ("Heat (1995) didn't hold my attention", -1),
    ("I lost interest in Heat (1995) halfway", -1),
    ("Heat (1995) was worse than I expected", -1),
    ("Heat (1995) was mid", -1),
    ("Heat annoyed me", -1),
    ("Heat blew me away", 1),
    ("Heat (1995) was better than I expected", 1),
    ("Heat (1995) is a bit dated now", -1),
    ("Heat never gets old", 1),  # ... named now, as "Heat still holds up" is
    ("Heat still holds up", 1),
    # stop 50: what it did to them and how hard it was to sit through, each read as a like
    ("Heat (1995) gave me a headache", -1), ("Heat (1995) went over my head", -1),
    ("I could barely finish Heat (1995)", -1), ("I barely got through Heat (1995)", -1),
    ("Heat (1995) was a trainwreck", -1),  # ... and no like of the film Trainwreck either (below)
    ("Heat (1995) had great potential but fell far short", -1),
    # stop 52, each read as a like
    ("Heat (1995) was weird", -1), ("Heat (1995) felt too long", -1),
    ("Heat (1995) is not something I would watch", -1), ("I don't see what people like about Heat (1995)", -1),
])
def test_a_no_said_as_it_never_took_judges_the_film(rules, text, sign) -> None:
    assert _judged(rules, text).get(HEAT, 0.0) * sign > 0


@pytest.mark.parametrize(("text", "sign"), [
    ("Heat (1995) was a 3/10", -1),
    ("I'd give Heat (1995) a 4 out of 10", -1),
    ("Heat (1995), two out of five", -1),
    ("Heat (1995) was a 7.5/10", 1),
    ("Heat (1995) is a 9/10 for me", 1),
    ("Heat (1995) was a 5/10", -1),  # half marks: as "just ok"
    ("Heat (1995) was a 6/10", 1),
])
def test_a_score_out_of_ten_or_five_judges_the_film(rules, text, sign) -> None:
    assert _judged(rules, text).get(HEAT, 0.0) * sign > 0


def test_a_word_said_of_what_a_film_was_is_no_film_of_that_name(rules) -> None:
    # Stop 50: "Cats was a trainwreck" liked Cats and the film Trainwreck (2015).
    assert _judged(rules, "Heat (1995) was a trainwreck") == {HEAT: -2.0}


@pytest.mark.parametrize("text", ["Didn't know Kevin Hart was in it! will have to check it out!",
                                  "I didn't realize Kevin Hart was in that"])
def test_news_said_with_a_no_is_no_dislike(rules, text: str) -> None:
    # Stop 50 (a seeker, train half): "Didn't knwo K Hart was in it!" said no to a topic "hart".
    assert [(s.facet, s.strength) for s in rules.extract(text).signals] == [("person:kevin hart", 1.0)]


@pytest.mark.parametrize("text", ["Avoid anything like Heat (1995)", "Steer clear of anything like Heat (1995)",
                                  "Please spare me anything like Heat (1995)", "Keep away from movies like Heat (1995)",
                                  "Stay away from something similar to Heat (1995)",
                                  "I never understood the hype around Heat (1995)"])
def test_a_no_holds_over_a_likeness_it_asks_to_keep_away(rules, text) -> None:
    # Before: "Avoid anything like Titanic" and "Steer clear of anything like Titanic" liked Titanic (38k) and
    # answered The Abyss and Revolutionary Road: the "like" of the likeness outweighed the no before it.
    assert _judged(rules, text)[HEAT] < 0


@pytest.mark.parametrize(("text", "sign"), [("Heat (1995)? Nah.", -1), ("Heat (1995)? No way", -1),
                                            ("Heat (1995)? Hard pass.", -1), ("Heat (1995)? Loved it.", 1),
                                            ("Heat (1995). Nope.", -1)])
def test_a_film_weighed_aloud_and_turned_down_is_a_no(rules, text, sign) -> None:
    # Before: "Titanic? Nah" read nothing (38k): a cold-start list.
    assert _judged(rules, text).get(HEAT, 0) * sign > 0


@pytest.mark.parametrize("text", ["Heat (1995)? No.", "Heat (1995)? Nope", "Heat (1995)? Nah"])
def test_a_film_echoed_back_to_have_you_seen_it_with_a_no_is_unseen(rules, text) -> None:
    asked = rules.extract(text, last_shown=[HEAT], previous="Have you seen Heat (1995)?").signals
    assert not [s for s in asked if s.facet == f"item:{HEAT}" and s.strength < 0]


@pytest.mark.parametrize(("text", "facet"), [
    ("I can't watch horror movies", "genre:horror"), ("I just can't watch horror", "genre:horror"),
    ("I cannot watch horror films", "genre:horror"), ("I can't watch Heat (1995)", f"item:{HEAT}"),
    ("I can't even watch Heat (1995) again", f"item:{HEAT}"),
])
def test_cannot_watch_is_a_no_to_it_not_a_film_unseen(rules, text, facet) -> None:
    # Stop 53: "I can't watch horror movies" read as "haven't seen" and then as a like of horror, The Exorcist first.
    assert {s.facet: s.strength for s in rules.extract(text).signals}.get(facet, 0) < 0


@pytest.mark.parametrize("text", ["I can't wait to see Heat (1995)", "I haven't watched Heat (1995) yet"])
def test_a_film_waited_for_or_unseen_is_no_no(rules, text) -> None:
    assert _judged(rules, text).get(HEAT, 0) >= 0


@pytest.mark.parametrize(("text", "facet"), [
    ("I scare easily", "genre:horror"), ("I'm a scaredy cat", "genre:horror"),
    ("no horror please, I'm easily scared", "genre:horror"), ("musicals get on my nerves", "genre:musical"),
    ("westerns bore me", "genre:western"), ("I'm allergic to romcoms", "genre:romance"),
    ("I'd rather die than watch a musical", "genre:musical"),
])
def test_a_kind_kept_away_in_everyday_words_is_a_no_to_it(rules, text, facet) -> None:
    # Stop 53: each read as a like of the kind ("I scare easily": Freddy vs. Jason first at 38k).
    strengths = {s.facet: s.strength for s in rules.extract(text).signals}
    assert strengths.get(facet, 0) < 0 and not any(f.startswith("phrase:") and v > 0 for f, v in strengths.items())


@pytest.mark.parametrize("text", ["comedies that don't annoy me", "comedies that don't get on my nerves"])
def test_a_complaint_said_with_a_no_before_it_is_no_complaint(rules, text) -> None:
    assert {s.facet: s.strength for s in rules.extract(text).signals}.get("genre:comedy", 0) > 0


def test_a_film_said_not_to_be_too_long_is_not_disliked(rules) -> None:
    # Stop 53: "too long for me" was found after the no that turns it ("wasn't too long for me": a dislike).
    assert _judged(rules, "Heat (1995) wasn't too long for me").get(HEAT, 0) >= 0
