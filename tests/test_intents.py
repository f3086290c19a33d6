"""What a message asks of the answer as a whole, read by the rules: a series wanted or kept out, a director, less
known films."""

from __future__ import annotations

import pytest

from chatbot.types import Constraints, TurnSignals
from chatbot.types import Signal
from chatbot.understanding.intents import ask_for_directors, read_intents


@pytest.mark.parametrize("text, wants, avoids", [
    ("all the Alien films", True, False), ("are there any sequels?", True, False), ("the next one", True, False),
    ("no more sequels please", False, True), ("skip the sequels", False, True), ("not another sequel", False, True),
    ("too many sequels", False, True), ("these are all sequels", False, True),  # stop 50: more sequels came
    ("nothing from the same franchise", False, True), ("I'm tired of franchises", False, True),
    ("a good thriller", False, False),
    # stop 33: seen in full keeps the series out ("all the Harry Potter movies" read as the series wanted)
    ("I've seen all the Toy Story ones", False, True), ("we watched all of the Harry Potter movies", False, True),
    ("I've seen every one of the Alien films", False, True),
    # stop 47: the films after it, or "them all", said of the film just named (the sequels came first)
    ("I liked The Matrix but I've seen all the sequels", False, True), ("I watched the sequels too", False, True),
    ("yes I have seen it. I havent seen the sequels though", True, False),  # not seen: asked for
    ("I haven't seen all the Toy Story ones", False, False),
    # ... and so does a series loved as a whole (read as the series asked for)
    ("I loved the Lord of the Rings trilogy", False, True), ("I love the Harry Potter movies", False, True),
    # stop 44: a no said as a dislike (the Matrix sequels came first after "I loved the first Matrix but ...")
    ("I loved the first Matrix but hated the sequels", False, True), ("I didn't like the sequels", False, True),
    # stop 52: ... and a no said after them (the Matrix sequels came first)
    ("I loved The Matrix but the sequels were bad", False, True), ("the sequels weren't as good", False, True),
    ("I liked The Matrix, the sequel not so much", False, True), ("the sequels were not bad", True, False),
])
def test_a_series_asked_for_or_kept_out(text: str, wants: bool, avoids: bool) -> None:
    signals = read_intents(text, TurnSignals())
    assert (signals.wants_series, signals.avoids_series) == (wants, avoids)


@pytest.mark.parametrize("text, seen", [("I've seen all the Toy Story ones", True),
                                        ("I loved the Lord of the Rings trilogy", True), ("no more sequels", False)])
def test_a_series_seen_in_full_is_told_from_one_only_kept_out(text: str, seen: bool) -> None:
    assert read_intents(text, TurnSignals()).seen_series is seen  # seen: its films are marked seen for good


@pytest.mark.parametrize("text, named, seen", [("I loved Cars. I've seen all of them", True, True),
                                               ("I liked Shrek, I watched the others too", True, True),
                                               ("I've seen all of them", False, False)])  # the list shown, not a series
def test_them_all_said_of_a_film_named_is_its_series_seen(text: str, named: bool, seen: bool) -> None:
    # Before (stop 47): "I loved Cars. I've seen all of them" answered Cars 2 and Cars 3.
    signals = TurnSignals(mentioned_item_ids=["cars"] if named else [])
    assert read_intents(text, signals).seen_series is seen


def test_them_all_is_said_of_the_films_and_people_named_before_it() -> None:
    # Stop 50 (a seeker, train half): "... the Alien movies. I've seen every last one of them ... Sygourney Weaver is
    # an awesome actress" read no series seen, and with "them all" it would have marked all her 49 films at 38k.
    said = "the Alien movies. I've seen every last one of them. Sigourney Weaver is an awesome actress"
    signals = read_intents(said, TurnSignals(mentioned_item_ids=["alien"],
                                             signals=[Signal("person:sigourney weaver", 1.5, "said")]))
    assert signals.seen_series and signals.seen_all_by == []
    nolan = TurnSignals(signals=[Signal("person:christopher nolan", 1.0, "said")])
    assert read_intents("I like Nolan but I've seen them all", nolan).seen_all_by == ["person:christopher nolan"]


@pytest.mark.parametrize("text, asks", [
    ("I liked Get Out and Us, what else by that director?", True), ("anything else from the same director?", True),
    ("what else has he directed", True), ("I liked Get Out and Us", False), ("the director of photography", False),
])
def test_the_director_of_the_films_liked_is_asked_for(text: str, asks: bool) -> None:
    # Before: "what else by that director" read only the two films, and Jordan Peele's Nope was no pick.
    signals = TurnSignals(signals=[Signal("item:get_out", 2.0, "said"), Signal("item:heat", -2.0, "said")])
    ask_for_directors(text, signals, {"get_out": ("Jordan Peele",), "heat": ("Michael Mann",)}.get)
    people = [s.facet for s in signals.signals if s.facet.startswith("person:")]
    assert people == (["person:jordan peele"] if asks else [])  # not the director of a film disliked


@pytest.mark.parametrize("text, asked", [
    ("anything else with him?", ["person:al pacino"]), ("what else has he been in?", ["person:al pacino"]),
    ("more with the same actor", ["person:al pacino"]), ("what else by that director", ["person:michael mann"]),
    ("anything else with her?", []),  # no catalog says who "her" is: no actor's sex is given
])
def test_the_lead_of_the_film_liked_last_is_asked_for(text: str, asked: list[str]) -> None:
    # Stop 49: after "I loved Heat", "anything else with him?" read nothing and answered like Heat alone.
    signals = TurnSignals()
    ask_for_directors(text, signals, {"heat": ("Michael Mann",)}.get, ["heat"], {"heat": ("Al Pacino",)}.get)
    assert [s.facet for s in signals.signals] == asked


@pytest.mark.parametrize("text, best, about", [
    ("which one is the best?", True, 0), ("which would you recommend?", True, 0),
    ("which of his is the best?", True, 0),  # stop 43: after "I love Tarantino", more of his films answered
    ("which of these is your favorite?", True, 0), ("which should I watch first?", True, 0),
    ("what's it about?", False, 1), ("what is the second one about?", False, 2),
    ("tell me more about the last one", False, -1), ("what is the film about?", False, 1),
    ("who is in the first one?", False, 1), ("is the second one scary?", False, 2),  # stop 43: "more like" them
    ("when did the last one come out?", False, -1), ("who is your favorite director?", False, 0),
    ("is it possible to find a horror movie like Alien?", False, 0),
    # new asks, not questions about the picks shown
    ("which movies are the best westerns?", False, 0), ("what is it about horror that you like", False, 0),
    ("a movie about a shark", False, 0),
    # "it" after a pick named (stop 47: answered about the first pick)
    ("the third one looks interesting, what is it about?", False, 3),
    ("the last one looks fun, what's it about?", False, -1),
])
def test_a_question_about_the_picks_shown(text: str, best: bool, about: int) -> None:
    signals = read_intents(text, TurnSignals())
    assert (signals.asks_best_of_shown, signals.asks_about_shown, signals.asks_why_shown) == (best, about, 0)


@pytest.mark.parametrize("text, age", [
    ("which of these is the newest?", 1), ("which one is the oldest?", -1), ("which is the most recent?", 1),
    ("which of them came out first?", -1), ("which one came out last", 1), ("which is the latest one?", 1),
    ("which one is the longest?", 2), ("which of these is the shortest", 2),  # no field says: the list again
    # new asks, not questions about the picks shown
    ("which is the latest Bond film?", 0), ("the newest horror movies", 0), ("which one is the best?", 0),
])
def test_which_pick_shown_is_the_newest_or_oldest_asks_for_no_new_films(text: str, age: int) -> None:
    # Stop 53: "which of these is the newest?" asked for newer films, a new list of them.
    signals = read_intents(text, TurnSignals(constraints=Constraints(year_min=2010)))
    assert (signals.asks_age_of_shown, signals.asks_best_of_shown and bool(age)) == (age, bool(age))
    assert signals.constraints == (Constraints() if age else Constraints(year_min=2010))


@pytest.mark.parametrize("text, why", [
    ("why did you recommend the first one?", 1), ("why the second one?", 2), ("why that one?", 1),
    ("why would you suggest it?", 1), ("why did you pick the last one?", -1),
    # ... and asked of the person's taste (stop 43: "why do you think I'd like the second one?" liked it)
    ("why do you think I'd like the second one?", 2), ("what makes you think I would enjoy that one", 1),
    ("why would I like it?", 1),
    ("why do you like horror", 0), ("why is it rated so low", 0), ("I wonder why", 0),
])
def test_a_question_why_a_pick_was_shown(text: str, why: int) -> None:
    # Before: "why did you recommend the first one?" read "the first one" as a like: more of it, and no answer.
    assert read_intents(text, TurnSignals()).asks_why_shown == why


@pytest.mark.parametrize("text, why_all", [
    ("why?", True), ("Why these?", True), ("ok why those ones", True), ("why did you pick these?", True),
    ("what do you know about me?", True), ("What have you learned about me so far", True),
    ("why the second one?", False), ("why do you like horror", False), ("why not", False), ("why is that", False),
])
def test_a_question_why_the_whole_list(text: str, why_all: bool) -> None:
    # Before (stop 43): a bare "why?" after a list read as nothing: another list, and no word of why
    assert read_intents(text, TurnSignals()).asks_why_all == why_all


@pytest.mark.parametrize("text, hidden", [
    ("an underrated thriller", True), ("hidden gems please", True),
    # Before: read as nothing, so the answer was the best-known films the person says they have seen
    ("I've seen everything popular, surprise me", True), ("I've seen all the mainstream ones", True),
    ("nothing mainstream please", True), ("no popular films", True),
    # ... and a comparative (after Inception, "something less mainstream" answered The Dark Knight and The Matrix)
    ("something less mainstream", True), ("anything less popular?", True), ("more obscure ones", True),
    ("deep cuts please", True), ("less violent", False), ("more popular ones", False),
    ("something nobody has heard of", True), ("no one has seen it", True),  # stop 43: the cold-start list
    ("I've seen all the Toy Story ones", False), ("a popular comedy", False), ("have you seen Heat?", False),
])
def test_less_known_films_asked_for(text: str, hidden: bool) -> None:
    assert read_intents(text, TurnSignals()).wants_hidden is hidden


@pytest.mark.parametrize("text, fresh", [
    ("let's start over", True), ("can we start fresh? something funny", True), ("forget everything I said", True),
    ("reset", True), ("forget what I said about horror", False), ("it starts over a weekend", False),
])
def test_a_new_start_asked_for(text: str, fresh: bool) -> None:
    signals = read_intents(text, TurnSignals())
    assert (signals.starts_over, signals.shift or not fresh) == (fresh, True)


def test_an_ask_for_less_known_films_alone_is_no_vague_message() -> None:
    # stop 43: "hidden gems please" got the opening answer, "here are a few popular and varied ones", over gems
    from chatbot.understanding.search_text import says_what

    hidden = read_intents("hidden gems please", TurnSignals(is_vague=True))
    assert hidden.is_vague is False and not says_what(hidden)  # ... and its words find no "Hidden Figures"
    assert read_intents("hi there", TurnSignals(is_vague=True)).is_vague is True


@pytest.mark.parametrize("field", ["wants_newer", "wants_older"])
def test_an_ask_for_newer_or_older_films_alone_is_no_text_to_search(field: str) -> None:
    # stop 44: after Knives Out and Get Out, "not so old" searched for its words and found Old (2021)
    from chatbot.understanding.search_text import says_what

    assert not says_what(TurnSignals(**{field: True}))


@pytest.mark.parametrize("text", ["a must see movie", "a movie everyone should see", "an essential film",
                                  "a movie I have to see before I die"])
def test_a_must_see_film_asked_alone_asks_for_the_best_regarded(text: str) -> None:
    # Stop 49: each got the cold-start list with its question ("Tell me a title you loved ...")
    signals = read_intents(text, TurnSignals(is_vague=True))
    assert signals.wants_acclaimed and not signals.is_vague


def test_a_films_title_is_no_text_to_search(sample_catalog) -> None:
    # stop 51: "I loved Jaws" searched for its words too and found Saw and Big Fish
    from chatbot.understanding.search_text import turn_search_text

    jaws = next(i.id for i in sample_catalog.items if i.title == "Jaws")
    named = TurnSignals(signals=[Signal(f"item:{jaws}", 2.0)], mentioned_item_ids=[jaws])
    assert turn_search_text("I loved Jaws, what else would I like?", named, sample_catalog) == ""
    assert turn_search_text("I loved jaws, something with sharks", named, sample_catalog) == "sharks"
    assert turn_search_text("something with sharks", TurnSignals(), sample_catalog) == "something with sharks"


def test_a_film_pointed_at_and_judged_is_no_text_to_search() -> None:
    # stop 49: "I've seen the first one and hated it" searched for its words and found Insidious: Chapter 2
    from chatbot.understanding.search_text import says_what

    assert not says_what(TurnSignals(reject_shown=[1], seen_item_ids=["tmdb:1"]))
    # ... while words that say more are read: "I've seen the first one, something funnier"
    assert says_what(TurnSignals(reject_shown=[1], seen_item_ids=["tmdb:1"], signals=[Signal("genre:comedy", 1.0)]))


@pytest.mark.parametrize("text, ends", [
    ("thanks, bye!", True), ("ok thanks!", True), ("that's all I needed, thanks", True), ("have a good one!", True),
    ("Thank you so much for your help", True), ("thanks good bye", True), ("see you later", True),
    ("thank you, you have been very helpful", True), ("cool, I will check them out", True),
    ("thanks, anything older?", False), ("thanks for the recs, what about horror?", False), ("thanks but no", False),
    ("that was great! any more?", False),
    ("ok I'll watch the first one, thanks!", True), ("I'll go with the second one, thanks", True),
    ("I'll watch it", False),
    ("I'll watch the second one tonight, thanks!", True),  # stop 49: five new picks came
    ("I'll try that one this weekend, thank you", True),
    ("thanks, I'll watch that one tonight!", True), ("thanks, I'll try that one, is it scary?", False),
    # stop 47: a pick praised, then thanks, ends it too (it got five new picks)
    ("ok the first one sounds good, thanks!", True), ("the second one looks interesting, thank you", True),
    ("that sounds great, thanks! anything else?", False),
])
def test_a_goodbye_is_told_from_thanks_that_go_on(text: str, ends: bool) -> None:
    assert read_intents(text, TurnSignals()).says_goodbye is ends  # the engine answers it without a new list


@pytest.mark.parametrize("text, asked", [
    ("who stars in Heat?", True), ("who directed Heat?", True), ("what is Heat about?", True),
    ("tell me more about Heat please", True), ("when did Heat come out?", True),
    # stop 47: an opinion asked of it (The Godfather came first among the picks, unanswered)
    ("hey, what do you think of Heat?", True), ("is Heat any good?", True), ("is Heat worth watching?", True),
    # stop 50: each searched its own words ("rating": Action, 1921; "long": The Milky Waif; "sequel")
    ("how long is Heat?", True), ("what's the rating of Heat?", True), ("is there a sequel to Heat?", True),
    ("what about Heat?", True), ("how about Heat (1995)?", True), ("what about something like Heat?", False),
    ("what about Heat? or a western", False), ("what about Heat or a western", False),
    ("what is a good movie like Heat?", False), ("tell me about some movies like Heat", False),
    ("I loved Heat, who else is good?", False),
])
def test_a_question_about_a_film_named_is_told_from_an_ask_for_films(text: str, asked: bool) -> None:
    heat = "wp:Heat_(1995_film)"
    signals = read_intents(text, TurnSignals(signals=[Signal("phrase:stars", 1.0)], mentioned_item_ids=[heat]))
    assert signals.asks_about_item == (heat if asked else "")
    if asked:  # a film asked about is a weak like, and nothing else the question's words say
        assert [(s.facet, s.strength) for s in signals.signals] == [(f"item:{heat}", 1.0)]


@pytest.mark.parametrize("text, shift, over", [
    ("show me something completely different", True, True), ("something totally different please", True, True),
    ("something different maybe", True, False), ("a different kind of horror", False, False),
])
def test_something_completely_different_starts_over(text: str, shift: bool, over: bool) -> None:
    # Before: "something completely different" searched for those words (Something Different, 1920, first).
    signals = read_intents(text, TurnSignals())
    assert (signals.shift, signals.starts_over) == (shift, over)


@pytest.mark.parametrize("text, shift", [
    ("any more like that?", False), ("any more?", False), ("do you have any more suggestions", False),
    ("anymore like Gone Girl?", False), ("I don't watch horror any more", True), ("not into westerns anymore.", True),
])
def test_an_ask_for_more_is_no_change_of_mind(text: str, shift: bool) -> None:
    # Before (stop 46): "any more like that?" after "Gone Girl was great" kept 0.3 of it, as a change of mind does.
    assert read_intents(text, TurnSignals()).shift is shift


def test_words_that_only_take_something_back_are_no_search() -> None:
    # Before: "forget that I said I love Titanic" searched with its own words: Titanic II, Raise the Titanic.
    from chatbot.understanding.search_text import says_what

    assert not says_what(TurnSignals(taken_back=["item:wp:Titanic_(1997_film)"]))
    assert says_what(TurnSignals(signals=[Signal("genre:comedy", 1.0)], taken_back=["genre:horror"]))


@pytest.mark.parametrize("text", ["I like Quentin Tarantino but I've seen them all",
                                  "I've seen all of Quentin Tarantino's movies"])
def test_a_persons_films_seen_in_full_are_offered_no_more_and_stand_for_the_taste(text: str) -> None:
    # Before (stop 47): "I like Christopher Nolan films but I've seen them all" answered Interstellar, Memento, The
    # Dark Knight Rises; "I've seen all of Tarantino's movies" disliked the phrase "tarantinos" and answered San
    # Quentin (1937), found by the name's words.
    from chatbot.understanding.signals import SignalExtractor
    from retrieval.catalog import load_catalog
    from tests.conftest import SAMPLE_CATALOG

    catalog = load_catalog(SAMPLE_CATALOG)
    signals = SignalExtractor(catalog, use_llm=False).extract(text)
    works = {i for ids in catalog.attribute_links()["quentin tarantino"].values() for i in ids}
    assert {"wp:Pulp_Fiction", "wp:Reservoir_Dogs"} <= works <= set(signals.seen_item_ids)
    strengths = {s.facet: s.strength for s in signals.signals}
    assert strengths["person:quentin tarantino"] > 0 and strengths["item:wp:Pulp_Fiction"] > 0  # still liked
    assert not [facet for facet, strength in strengths.items() if strength < 0]


@pytest.mark.parametrize("text, count", [
    ("give me 3 movies like Fight Club", 3), ("just one movie like Alien please", 1), ("top 10 horror movies", 10),
    ("can you recommend two good comedies?", 2), ("show me a couple of films like Heat", 2), ("top 100 films", 10),
    ("I've seen 3 movies like that", 0), ("one of my favourite movies is Heat", 0), ("a good thriller", 0),
    # stop 49: a count opening the message, with no word asking, gave five
    ("a couple of comedies please", 2), ("3 horror movies please", 3), ("2 movies I loved: Heat and Up", 0),
    # stop 50: a number alone after "show me" gave five
    ("show me 10", 10), ("give me 7 more please", 7), ("show me 10 of them", 0), ("I am 10", 0),
])
def test_how_many_picks_are_asked_for(text: str, count: int) -> None:
    assert read_intents(text, TurnSignals()).asked_count == count


def test_the_answer_holds_as_many_picks_as_asked(make_app) -> None:
    # Before (stop 47): "give me 3 movies like Fight Club" and "just one movie like Alien" got five picks each.
    engine = make_app().engine
    for session, text, count in (("three", "give me 3 movies like Alien", 3), ("one", "just one movie like Alien", 1)):
        result = engine.turn(session, text)
        "".join(result.stream)
        assert len(result.items) == count
