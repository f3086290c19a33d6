"""What the rules read about films a person has seen: judgements, soft endorsements, and answers to the last reply."""

from __future__ import annotations

import pytest

HEAT, ALIEN = "wp:Heat_(1995_film)", "wp:Alien_(film)"


def _items(result) -> dict[str, float]:
    return {s.facet: s.strength for s in result.signals if s.facet.startswith("item:")}


@pytest.mark.parametrize(("text", "liked", "seen"), [
    ("I loved Heat (1995)", 2.0, True),  # a judgement means they saw it
    ("Heat (1995) was so boring", -2.0, True),
    ("I saw Heat (1995) last week", 1.0, True),  # named as watched: a weak like
    ("Have you seen Heat (1995)?", 1.0, True),  # asked about as a viewer
    ("I've already seen Heat (1995)", None, True),  # "already": only don't offer it again
    ("I haven't seen Heat (1995) but it sounds good", 2.0, False),
    # stop 50 (seekers of the train half whose labels say liked): a wish to see it, read as nothing
    ("Never seen Heat (1995) I'll check that one out too!", 2.0, False),
    ("I didn't see Heat (1995) I think I'm going to give it a chance", 2.0, False),
    ("I haven't seen Heat (1995) and I don't want to check it out", None, False),
])
def test_films_named_by_the_person(rules, text, liked, seen) -> None:
    result = rules.extract(text)
    assert _items(result).get(f"item:{HEAT}") == liked
    assert (HEAT in result.all_seen()) is seen


@pytest.mark.parametrize(("previous", "answer", "more", "reject", "seen"), [
    ("Have you seen Heat (1995)?", "Yes, loved it!", [1], [], True),
    ("Have you seen Heat (1995)?", "Yes I have", [], [], True),
    ("Did you watch Heat (1995)?", "I did, but it was boring", [], [1], True),
    ("Have you seen Heat (1995)?", "No, not yet. Is it good?", [], [], False),
    ("Have you seen Heat (1995)?", "I like comedies", [], [], False),  # about something else
    ("Would you like Heat (1995)?", "yes", [], [], False),  # a bare yes to another question says nothing seen
    # not seen but wanted, or not: as it looks or sounds (stop 45: each read as nothing), and praise or a shrug
    ("Have you seen Heat (1995)?", "I haven't but it looks good", [1], [], False),
    ("Have you seen Heat (1995)?", "Not yet, I'll add it to my list", [1], [], False),
    ("Have you seen Heat (1995)?", "I've been meaning to watch it", [1], [], False),  # stop 50: read as nothing
    ("Have you seen Heat (1995)?", "It's on my watchlist", [1], [], False),
    ("Have you seen Heat (1995)?", "no, sounds boring", [], [1], False),
    ("Have you seen Heat (1995)?", "no I haven't, heard it's not very good", [], [1], False),
    ("Have you seen Heat (1995)?", "Oh yes, a classic!", [1], [], True),
    ("Have you seen Heat (1995)?", "Eh, I've seen better", [], [1], True),
    ("Have you seen Heat (1995)?", "Yes, I own it on DVD", [1], [], True),
    ("Have you seen Heat (1995)?", "I've seen it but I don't own it", [], [], True),
])
def test_answers_about_the_one_film_just_named(rules, previous, answer, more, reject, seen) -> None:
    result = rules.extract(answer, last_shown=[HEAT], previous=previous)
    assert result.more_like_shown == more and result.reject_shown == reject
    assert (HEAT in result.all_seen()) is seen


def test_an_answer_is_not_guessed_when_several_films_were_named(rules) -> None:
    result = rules.extract("Yes, loved it!", last_shown=[HEAT, ALIEN], previous="Heat (1995) or Alien (1979)?")
    assert result.more_like_shown == [] and result.all_seen() == []


def test_the_engine_passes_its_last_reply(make_app) -> None:
    engine = make_app().engine
    engine.observe("ctx", "assistant", "Have you seen Heat (1995)?")
    result = engine.turn("ctx", "yes, loved it")
    assert any(f.facet == f"item:{HEAT}" and f.weight > 0 for f in result.profile)
    state = engine.sessions.state("ctx", engine.clock(), engine.half_lives)
    assert HEAT in state.seen


@pytest.mark.parametrize(("text", "liked", "seen"), [
    ("I watched Heat (1995). Thanks for the tip. It was a bit boring.", -2.0, True),
    ("I saw Heat (1995) yesterday. It was great!", 2.0, True),
    ("I haven't seen Heat (1995). It sounds great.", None, False),  # an expectation, not a judgement
    ("Heat (1995) isn't my style.", -2.0, True),
    # A sentence with no subject or an interjection first still judges the film before it.
    ("I have seen Heat (1995). Didn't like it.", -2.0, True),
    ("I watched Heat (1995). Nah, couldn't stand it. Any comedies?", -2.0, True),
    ("I saw Heat (1995). Not my thing.", -2.0, True),
    ("Yes I saw Heat (1995). Really enjoyed it.", 2.0, True),
    # "that one", "that movie" in the next sentence is the film before, not a pick of the last list (before: no
    # judgement, and a lone title's like kept: +2 for "I didn't like that one").
    ("Heat (1995)? I didn't like that one.", -2.0, True),
    ("I saw Heat (1995). I didn't like that movie.", -2.0, True),
    ("Heat (1995)? I loved that one.", 2.0, True),
])
def test_a_later_sentence_judges_the_film_before(rules, text, liked, seen) -> None:
    result = rules.extract(text)
    assert _items(result).get(f"item:{HEAT}") == liked
    assert (HEAT in result.all_seen()) is seen


JAWS, TITANIC, TOY_STORY = "wp:Jaws_(film)", "wp:Titanic_(1997_film)", "wp:Toy_Story"


@pytest.mark.parametrize(("text", "film", "liked", "seen"), [
    # A dislike said after "but", through a pronoun: the clause is still about the film.
    ("I've seen Heat (1995) but don't really like those kind of movies.", HEAT, -2.0, True),
    ("I saw Heat (1995) but I didn't like it", HEAT, -2.0, True),
    ("I already saw Heat (1995) I love that movie", HEAT, 2.0, True),  # "that movie" is Heat, not a shown pick
    # Seen, except: the exception was not seen, which says nothing about liking it.
    ("I've seen Jaws (1975) and Alien (1979), but not Heat (1995).", HEAT, None, False),
    ("I've seen all but Heat (1995)", HEAT, None, False),
    # A like after "except ..." is a like: only "don't", "never" and the like keep a negation going.
    ("I've seen them except for Titanic I really liked them and Jaws (1975)", JAWS, 2.0, True),
    # "How about X" asks anew: a negation before it does not reach the film.
    ("Not so much maybe with my kids How about Heat (1995) with Al Pacino", HEAT, None, False),
    # What a film is about is no judgement of it.
    ("I heard of Heat (1995) but it's not about the Alien (1979) kind of story", ALIEN, 2.0, False),
    # "but it's fun" turns the judgement around again.
    ("Not a popular movie Heat (1995), but it's fun.", HEAT, 2.0, True),
    ("My favorite movie is Heat (1995), could you recommend something?", HEAT, 2.0, True),
    ("I also watched Heat (1995) but I liked Alien (1979) more", HEAT, -2.0, True),
    ("I saw Heat (1995) over Christmas. I probably wouldn't watch that today.", HEAT, -2.0, True),
    ("Heat (1995) was okay but I wouldn't watch it again.", HEAT, -2.0, True),
    ("Heat (1995) didn't impress me.", HEAT, -2.0, True),
    # what others thought is not what the person thought; "tried watching" is no praise (each was liked)
    ("Everyone loved Heat (1995) but I thought it was boring", HEAT, -2.0, True),
    ("I tried watching Heat (1995) and didn't get the hype", HEAT, -2.0, True),
    ("I tried watching Heat (1995)", HEAT, None, True),
    # ... nor is "she loved it" (stop 41: read as the person's own like)
    ("I watched Heat (1995) with my wife, she loved it, I thought it was dull", HEAT, -2.0, True),
    ("I liked Heat (1995), not so much Alien (1979)", HEAT, 2.0, True),  # "not so much" is about Alien
    ("Heat (1995) was slow but I loved it", HEAT, 2.0, True),  # praise after "but" has the last word
    ("Heat (1995) was a flop", HEAT, -2.0, True),
    ("Heat (1995) is a bit overrated but still good", HEAT, 2.0, True),  # was a dislike
    ("I can't believe how good Heat (1995) was", HEAT, 2.0, True),  # was a dislike
    ("I was bored to tears by Heat (1995)", HEAT, -2.0, True),  # was a like
    # disgust before the film, what it did to them, having outgrown it (each was a like, or read as nothing)
    ("Ugh, Heat (1995)", HEAT, -2.0, True),
    ("ugh Heat (1995) was so long", HEAT, -2.0, True),
    ("Heat (1995) got on my nerves", HEAT, -2.0, True),
    ("Heat (1995) drove me crazy", HEAT, -2.0, True),
    ("Heat (1995)? I'm past that", HEAT, -2.0, True),
    # stop 36: each was a like
    ("Meh, Heat (1995)", HEAT, -2.0, True),
    ("Heat (1995) scared me too much, I couldn't sleep", HEAT, -2.0, True),
    ("Heat (1995) was just weird", HEAT, -2.0, True),
    ("Honestly Heat (1995) ruined it for me", HEAT, -2.0, True),
    ("My wife loved Heat (1995) but I didn't", HEAT, -2.0, True),
    ("Everyone loved Heat (1995) but not me", HEAT, -2.0, True),
    ("I loved Heat (1995) but I didn't see the end", HEAT, 2.0, True),  # a no to something else
    # a no that points back at the film past what describes it (a soft like; a like)
    ("I've seen Heat (1995) like 50 times with my dad, I'm so sick of it", HEAT, -2.0, True),
    ("Heat (1995) is for teenagers, I'm past that", HEAT, -2.0, True),
    # a no to something else of the film's, after a comma, is no no to the film (each was a dislike)
    ("I liked Heat (1995), the sequel not so much", HEAT, 2.0, True),
    ("I loved Heat (1995), its ending was not my thing", HEAT, 2.0, True),
    ("I saw Heat (1995), the movie was not for me", HEAT, -2.0, True),
    # seen again and again is loved, whatever came before (a no; a soft like)
    ("not Heat (1995), I've seen it a million times", HEAT, 2.0, True),
    # a pick refused as seen is seen, as "I've seen Heat" is (stop 47: a strong dislike; "twice" a topic)
    ("not Heat (1995), I've seen it", HEAT, 1.0, True), ("no Heat (1995) please, I already saw it twice", HEAT, 1.0,
                                                          True),
    ("not Heat (1995), I hated it", HEAT, -2.0, True),  # judged: seen
    ("I've seen Heat (1995) so many times", HEAT, 2.0, True),
    ("I liked Heat (1995). But I can't say it's my favorite Did you watch Alien (1979)", ALIEN, 1.0, True),
])
def test_what_a_clause_says_about_a_film(rules, text, film, liked, seen) -> None:
    result = rules.extract(text)
    assert _items(result).get(f"item:{film}") == liked
    assert (film in result.all_seen()) is seen


@pytest.mark.parametrize(("previous", "answer", "more", "reject", "seen"), [
    ("Have you seen Heat (1995)?", "No, not really my thing", [], [1], False),  # a no to the film, unseen
    ("Have you seen Heat (1995)?", "Unfortunately, yes", [], [1], True),
    ("Have you seen Heat (1995)?", "Yes I have. Not really my type of movie", [], [1], True),
    ("Have you seen Heat (1995)?", "Yes that one too! I was disappointed in the ending but it was good!", [1], [], True),
    ("Heat (1995) is very good", "I really am in the mood for animation movies best", [], [], False),  # about animation
    ("Did you watch Heat (1995)?", "Yes, stupid good", [1], [], True),  # "stupid" only says how good
    # a short answer to "did you like it?" (each read as nothing)
    ("Did you like Heat (1995)?", "Not really", [], [1], True),
    ("Did you enjoy Heat (1995)?", "nope", [], [1], True),
    ("Did you like Heat (1995)?", "Yes!", [1], [], True),
    ("What kind of movies do you like? Maybe Heat (1995)", "Sure", [], [], False),  # no question about Heat
    # a comma ends "I have": no "have not" (read as unseen); and no action film is for them, Heat with the rest
    ("Have you seen Heat (1995)?", "I have, not a big action person", [], [1], True),
    # a no said in words of its own (each read as nothing)
    ("How about Heat (1995)?", "Please no", [], [1], False),
    ("Have you seen Heat (1995)?", "Not really interested", [], [1], False),
    ("Have you seen Heat (1995)?", "I haven't and don't plan to", [], [1], False),
    ("Have you seen Heat (1995)?", "No and it doesn't look good", [], [1], False),
    ("How about Heat (1995)?", "I watched it once and never again", [], [1], True),
    ("Have you seen Heat (1995)?", "My kids loved it but I got sick of it", [], [1], False),  # "my kids": who
    ("What about Heat (1995)?", "That one confused me", [], [1], True),
    ("Have you seen Heat (1995)?", "yes, I wasn't crazy about it", [], [1], True),  # stop 36: was nothing
    ("How about Heat (1995)?", "I've seen that one, it was just ok", [], [1], True),  # was not marked seen
    # a no to a kind the film is of is a no to the film (read as a no to crime films only) ...
    ("How about Heat (1995)?", "No, I don't like crime movies", [], [1], False),
    # ... but not words about the film's kind
    ("How about Heat (1995)?", "I wouldn't call that a crime movie", [], [], False),
    # an answer, then another film (stop 47, a ReDial seeker: read as nothing about Heat)
    ("Did you watch Heat (1995)?", "Thats a good one, i liked it! What about Alien (1979)?", [1], [], True),
    ("Have you seen Heat (1995)?", "Yes I have and loved it. I also liked Alien (1979)", [1], [], True),
    ("Have you seen Heat (1995)?", "Alien (1979) is better", [], [], False),  # the film named is what it is about
    # stop 53: "no" before a no to the film read as not seen; "not one of my favorites" as a like
    ("Have you seen Heat (1995)?", "no i didnt like it", [], [1], True),
    ("Have you seen Heat (1995)?", "yes, not one of my favorites", [], [1], True),
    ("Have you seen Heat (1995)?", "yes unfortunately", [], [1], True),
    ("Have you seen Heat (1995)?", "yes, I wish I hadn't", [], [1], True),
    # ... and praise read as nothing: a "fav", seen "several times", "it was really funny"
    ("Have you seen Heat (1995)?", "yes! one of my all time favs", [1], [], True),
    ("Have you seen Heat (1995)?", "yes i have seen it several times", [1], [], True),
    ("Have you seen Heat (1995)?", "yes it was really funny", [1], [], True),
    ("How about Heat (1995)?", "It sounds really funny", [1], [], False),  # was seen too
    ("Have you seen Heat (1995)?", "No, did you enjoy it?", [], [], False),  # a question back, no no
])
def test_more_answers_about_the_one_film_just_named(rules, previous, answer, more, reject, seen) -> None:
    result = rules.extract(answer, last_shown=[HEAT], previous=previous)
    assert result.more_like_shown == more and result.reject_shown == reject
    assert (HEAT in result.all_seen()) is seen


def test_a_title_without_a_year_means_the_film_just_shown(rules) -> None:
    robin_hood_1973 = "wp:Robin_Hood_(1973_film)"
    result = rules.extract("Oh, I wasn't a big Robin Hood fan", last_shown=[robin_hood_1973])
    assert _items(result) == {f"item:{robin_hood_1973}": -2.0}


def test_a_year_that_fits_only_a_sequel_names_the_sequel(rules) -> None:
    assert rules.find_titles("Our family loves Jumanji (2017)")[0].item_id == "wp:Jumanji:_Welcome_to_the_Jungle"
    assert rules.find_titles("Halloween (2018) was better")[0].item_id == "wp:Halloween_(2018_film)"


@pytest.mark.parametrize("text", [
    # Issue 17: common ways of saying no to a film that read as a plain mention (a like) before.
    "Heat (1995) was way too long",
    "Heat (1995) bored me",
    "Heat (1995) put me to sleep",
    "I fell asleep during Heat (1995)",
    "I regret watching Heat (1995)",
    "Heat (1995) was a waste of time",
    "Heat (1995) didn't do it for me",
    "I turned off Heat (1995) halfway",
    "Heat (1995) was underwhelming",
    "Heat (1995) was cheesy and predictable",
    "Heat (1995) was too violent for me",
    # Issue 17, a fourth pass: complaints that read as a plain mention (a like) before.
    "Heat (1995) was silly",
    "Heat (1995) was a mess",
    "Heat (1995) was ridiculous",
    "Heat (1995) was so-so",
    "Heat (1995) was just okay",
    "Heat (1995) was a bit too sad",
    "Heat (1995) wasn't funny",
    "Heat (1995) was not worth it",
    "Heat (1995), not so much",
    "Heat (1995)? Not a fan",
    "I was disappointed by Heat (1995)",
    "I wouldn't watch Heat (1995) again",
    "I tried Heat (1995) but couldn't finish it",
    "I didn't think Heat (1995) was very good",  # the negated opinion turns the judgement after the title
    "Heat (1995) and Alien (1979) were boring",  # a plural verb judges the whole list
    # Issue 17, a fifth pass: more complaints, and refusals of a film not seen.
    "Heat (1995) made no sense",  # "sense" is a free phrase, still a word of the complaint
    "Heat (1995) was a snooze",
    "Heat (1995) left me cold",
    "Heat (1995) did nothing for me",
    "Heat (1995) wasn't my cup of tea",
    "Heat (1995) is not really my cup of tea",  # stop 48: "really" in the way read it as a mention (a like)
    "Heat (1995) was okay but not great",
    "I was let down by Heat (1995)",
    "Heat (1995) was rubbish",
    "I'd rather not watch Heat (1995)",  # not "haven't seen it": a no to the film
    "I have no desire to see Heat (1995)",
    "I'd pass on Heat (1995)",  # stop 51: a like before
    "Heat (1995) was ok but nothing special",  # stop 41: read as a like
    # Stop 32: more complaints that read as a plain mention (a like) before.
    "Heat (1995) was a miss for me",
    "Heat (1995) was a bit much",
    "Heat (1995) missed the mark",
    # Stop 33: a film named as what a disliked one resembles, in a message that finds fault (a plain like before).
    "It was very predictable and a little cheesy. Reminded me a lot of Heat (1995). Have you seen that one?",
    "I hated Alien (1979). It reminded me of Heat (1995).",
    "I don't like him much. It's like everything he does is a variation of Heat (1995)",  # "it's like" compares
])
def test_more_ways_of_saying_a_film_was_not_liked(rules, text) -> None:
    assert _items(rules.extract(text)).get(f"item:{HEAT}", 0) < 0


@pytest.mark.parametrize("text", [
    "Heat (1995) was not predictable at all",  # negated: a compliment
    "I loved Heat (1995), not a fan of Alien (1979) though",
    "Heat (1995) was not a waste of time",
    "Heat (1995) was silly fun",  # the word after says how it was
    "Heat (1995) was so so good",
    "Heat (1995) was too funny",
    "Heat (1995) was not silly at all, loved it",  # the negation ends at the comma
    "Heat (1995) was worth it",
    "I loved Heat (1995), but Alien (1979) not so much",  # the complaint is about the next film
    "I enjoy movies like Heat (1995) and Dumb and Dumber (1994)",  # a complaint word inside a title
    "I don't think Heat (1995) was bad",
    "I didn't think I'd like Heat (1995), but I loved it",
    "I liked Heat (1995) and Alien (1979) was boring",  # a singular verb: about Alien only
    "Heat (1995) was not a chore at all",
    "I'd rather not watch horror, Heat (1995) was great",
    "I have no interest in horror, but Heat (1995) was great",
    "I loved Alien (1979), it reminded me of Heat (1995) which I also loved",  # a likeness in praise
    "I haven't seen it but it reminds me of Heat (1995)",  # not seeing finds no fault
    "It reminded me of Heat (1995), which was great",
    "I didn't mind Heat (1995)",  # stop 41: read as a dislike
])
def test_those_words_negated_or_about_another_film_do_not_dislike_it(rules, text) -> None:
    assert _items(rules.extract(text)).get(f"item:{HEAT}", 0) > 0


@pytest.mark.parametrize("answer", [
    "Yeah, wasn't a fan",  # stop 32: seen, and no word against it before
    "Yes but I didn't like it",
    "Yes, I didn't care for it",
    "Yes, not a fan",
    "yes, I couldn't get into it",
    "I have, it was just ok",
    "yeah, too long",  # before: "too" found fault only after "was", "way" and the like, so this read as nothing
    "Yes. Too slow for me",
])
def test_a_lukewarm_answer_about_the_film_just_named_is_a_no(rules, answer) -> None:
    result = rules.extract(answer, last_shown=[HEAT], previous="Have you seen Heat (1995)?")
    assert result.reject_shown == [1] and result.more_like_shown == []
    assert HEAT in result.all_seen()


@pytest.mark.parametrize("answer", [
    "Nah, I'll pass",
    "That doesn't sound like my kind of movie",
    "I'm not interested in that",
    "not really into that",
    "No thanks, do you have comedies?",
    "it's not one I'd watch again",
    "I fell asleep",
])
def test_a_no_to_a_suggestion_rejects_it(rules, answer) -> None:
    # Before: each read as nothing about the film suggested ("fell asleep" even as a topic to look for).
    result = rules.extract(answer, last_shown=[HEAT], previous="You might like Heat (1995).")
    assert result.reject_shown == [1] and result.more_like_shown == []
    assert not [s for s in result.signals if s.facet.startswith("phrase:")]


def test_a_no_to_one_kind_is_not_a_no_to_the_film_just_named(rules) -> None:
    result = rules.extract("I'm not interested in horror, do you have comedies?", last_shown=[HEAT],
                           previous="You might like Heat (1995).")
    assert result.reject_shown == []


@pytest.mark.parametrize(("text", "horror"), [
    ("Heat (1995) was way too scary for me", -1.0),  # what was too much is not wanted
    ("That was too scary", -1.0),
    ("Nothing too scary please", -1.0),
    ("I want something scary", 1.0),
])
def test_too_much_of_a_kind_is_a_no_to_that_kind(rules, text, horror) -> None:
    # Before: "too scary for me" asked for horror.
    assert {s.facet: s.strength for s in rules.extract(text).signals}.get("genre:horror") == horror


def test_a_kind_asked_for_not_too_much_is_still_asked_for(rules) -> None:
    # Before: "not too scary" cancelled the horror asked for and its negation reached "teenager" (teen films out),
    # so the answer held no horror film at all.
    result = rules.extract("Suggest a horror movie that's not too scary for a teenager")
    assert "horror" in result.constraints.include_genres and result.constraints.exclude_genres == []
    assert set(rules.extract("nothing too scary or gory").constraints.exclude_genres) == {"horror", "slasher"}


@pytest.mark.parametrize("text", ["Sure, why not", "I don't", "not too", "too"])
def test_a_message_ending_in_a_negation_or_too_reads_without_error(rules, text) -> None:
    assert not [s for s in rules.extract(text).signals if s.strength > 0]


def test_too_funny_is_praise(rules) -> None:
    assert {s.facet: s.strength for s in rules.extract("That was too funny").signals}.get("genre:comedy") == 1.0


def test_naming_a_film_again_does_not_overturn_a_judgement_of_it(make_app) -> None:
    engine = make_app().engine

    def heat_after(text: str) -> float:
        engine.turn("again", text).stream.close()
        now = engine.clock()
        return engine.sessions.state("again", now, engine.half_lives).profile.weight(f"item:{HEAT}", now)

    assert heat_after("I hated Heat (1995)") < 0
    assert heat_after("I saw Heat (1995) with my brother last year") < 0  # a passing mention: still a no
    assert heat_after("Actually, I loved Heat (1995) the second time") > 0  # a judgement: the last word


@pytest.mark.parametrize("text", ["something to watch with my grandparents", "a comedy for my Grandma",
                                  "a movie my grandma would like"])
def test_watching_with_grandparents_asks_for_well_regarded_older_films_without_horror(rules, text):
    # Before: nothing was read ("grandparents", "my grandma would like"), or the film Grandma (2015) was liked; and
    # crime and thrillers were left in (Se7en and Fight Club answered at 38k).
    result = rules.extract(text)
    assert result.wants_older and result.wants_acclaimed
    assert {"horror", "crime", "thriller"} <= set(result.constraints.exclude_genres)
    assert not result.mentioned_item_ids and not result.constraints.kids


def test_having_watched_with_grandparents_asks_for_nothing(rules) -> None:
    result = rules.extract("I saw that in the theatres with my grandfather, it was good")
    assert not result.wants_older and result.constraints.exclude_genres == []
    assert rules.extract("my grandma loved Heat (1995)").constraints.exclude_genres == []  # who watched


def test_gore_words_name_the_slasher_genre(rules) -> None:
    # Before: "not too gory" was a phrase to push the query from, and Scream (Horror, Slasher) still came first.
    assert "slasher" in rules.extract("I want a scary movie but not too gory").constraints.exclude_genres
    assert ("genre:slasher", 1.5) in [(s.facet, s.strength) for s in rules.extract("I love gory horror").signals]


@pytest.mark.parametrize("text", ["I loved Superbad (2007). This is a funny movie I watched with my brother.",
                                  "I saw Jumanji (1995) as well. It was funny as well"])
def test_saying_what_a_film_is_like_asks_for_no_genre_filter(rules, text) -> None:
    # Before: a film described as funny kept every later answer to comedies (Fury, Troy and the rest left out).
    result = rules.extract(text)
    assert ("genre:comedy", 1.0) in [(s.facet, s.strength) for s in result.signals]
    assert result.constraints.include_genres == []


def test_calling_films_classics_asks_for_no_older_ones(rules) -> None:
    # Before: "Those were classics! Can you think of anything else?" kept the next answers before the last list's
    # median year.
    assert not rules.extract("Those were classics! Can you think of anything else?").wants_older
    assert rules.extract("I want an old classic").wants_older


@pytest.mark.parametrize("text", ["I know, they're such classics!", "They were all classics", "both are classics"])
def test_saying_they_are_classics_asks_for_no_older_ones(rules, text) -> None:
    # Before: each kept the next answers before the last list's median year (stop 32, from the validation split).
    assert not rules.extract(text).wants_older


@pytest.mark.parametrize(("previous", "answer", "expected"), [
    ("How do you feel about Keanu Reeves?", "I like him", {"person:keanu reeves": 1.0}),
    ("Do you like comedies?", "Yes I love them", {"genre:comedy": 1.5}),
    ("Are you a fan of horror?", "not really", {"genre:horror": -1.0}),
    ("Do you like comedies?", "nope, I prefer horror", {"genre:comedy": -1.0, "genre:horror": 1.0}),
    ("Do you like older mystery movies? Or the newer ones only?", "I like both!", {"genre:mystery": 1.0}),
    ("Would you like something funny or scary?", "both", {"genre:comedy": 1.0, "genre:horror": 1.0}),
    # no question about a kind; a film asked about (its answer is about the film)
    ("What kind of movies do you like?", "yes", {}),
    ("Stephen King is a good bet for horror!", "Yes he certainly is", {}),
    ("Do you like crime movies? Have you seen Heat (1995)?", "yes", {}),
    ("Have you seen Heat (1995)? Do you like crime movies?", "yes", {"genre:crime": 1.0}),  # the last question
])
def test_an_answer_to_a_question_about_a_kind_or_a_person(rules, previous, answer, expected) -> None:
    """"Do you like comedies?" - "Yes": the kind asked about is liked (each read as nothing)."""
    result = rules.extract(answer, previous=previous)
    assert {s.facet: s.strength for s in result.signals if not s.facet.startswith("item:")} == expected
