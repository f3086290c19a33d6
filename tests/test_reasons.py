"""Reasons specific to each item, with their sources (issue 16): one test per reason kind, on films, courses and
products, plus the answer-level distinctness rule and the faithfulness check."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatbot.evaluation.faithful import FaithfulnessCheck
from chatbot.reply.distinct import choose, distinct_ok
from chatbot.reply.quotes import best_quote, content_words
from chatbot.reply.reasons import ReasonContext, explain_answer, reasons_for
from chatbot.types import Constraints, Explanation, Recommendation
from retrieval.catalog import Catalog, Item, load_catalog
from retrieval.collaborative import CoOccurrence, Interaction
from retrieval.rank import Scored

DATA = Path(__file__).parent / "data"


def scored(item_id: str, pct: float = 0.8, long_tail: float = 0.0, facets: list[str] | None = None) -> Scored:
    return Scored(item_id, 1.0, {"relevance": 0.5, "long_tail": long_tail}, matched_facets=facets or [],
                  popularity_pct=pct)


def rec(catalog: Catalog, s: Scored, explanations) -> Recommendation:
    item = catalog.by_id[s.item_id]
    return Recommendation(item.id, item.title, item.year, item.description, None, None, 1.0,
                          [e.text for e in explanations], explanations=explanations)


def faithful(catalog: Catalog, answer: list[Scored], context: ReasonContext, said: str, log=None) -> list[str]:
    check = FaithfulnessCheck(catalog, getattr(log, "together", None), getattr(log, "counts", None))
    explained = explain_answer(answer, catalog, context)
    return [p for s, e in zip(answer, explained) for p in check.problems(rec(catalog, s, e), said)]


@pytest.fixture(scope="module")
def courses() -> Catalog:
    return load_catalog(DATA / "courses.jsonl")


@pytest.fixture(scope="module")
def products() -> Catalog:
    return load_catalog(DATA / "products.csv")


def test_shared_cast_names_both_films_and_the_field(sample_catalog) -> None:
    context = ReasonContext(words="something like Alien", liked=["wp:Alien_(film)"])
    [reasons] = explain_answer([scored("wp:Aliens_(film)")], sample_catalog, context)
    shared = [e for e in reasons if e.kind == "shared"]
    assert shared and shared[0].source == "cast" and shared[0].other_id == "wp:Alien_(film)"
    assert shared[0].text.startswith("also with ") and shared[0].text.endswith(", like Alien")
    assert "Sigourney Weaver" in shared[0].text
    assert not any("you liked" in e.text for e in reasons), "nobody said they liked Aliens"


def test_what_an_item_shares_with_two_liked_films_is_one_reason_naming_both(sample_catalog) -> None:
    context = ReasonContext(words="more like these", liked=["wp:Inception", "wp:Memento_(film)"])
    [reasons] = explain_answer([scored("wp:Interstellar_(film)")], sample_catalog, context, max_reasons=5)
    directed = [e.text for e in reasons if e.source == "directors"]
    assert directed == ["also directed by Christopher Nolan, like Inception and Memento"]
    shared = next(e for e in reasons if e.source == "directors")
    assert (shared.other_id, shared.also_ids) == ("wp:Inception", ["wp:Memento_(film)"])
    check, interstellar = FaithfulnessCheck(sample_catalog), sample_catalog.by_id["wp:Interstellar_(film)"]
    assert check.problem(interstellar, shared, "more like these") is None
    shared.also_ids = ["wp:Alien_(film)"]  # a film the text does not name, nor directed by Nolan
    assert check.problem(interstellar, shared, "more like these") == "does not name the other item"


def test_a_lead_shared_with_two_liked_films_is_one_reason_though_one_shares_more(sample_catalog) -> None:
    # Stop 49: "also with Daniel Craig and Giancarlo Giannini, like Casino Royale; also with Daniel Craig, like Knives
    # Out" said Daniel Craig twice; the names every film shares, once.
    ids = {item.title: item.id for item in sample_catalog.items}
    context = ReasonContext(words="more like these", liked=[ids["Casino Royale"], ids["Knives Out"]])
    [reasons] = explain_answer([scored(ids["Quantum of Solace"])], sample_catalog, context, max_reasons=5)
    cast = [e.text for e in reasons if e.source == "cast"]
    assert cast == ["also with Daniel Craig, like Casino Royale and Knives Out"]
    assert faithful(sample_catalog, [scored(ids["Quantum of Solace"])], context, "more like these") == []


def test_the_kind_two_liked_films_share_is_said_before_an_actor_who_stars_in_neither(sample_catalog) -> None:
    # Before: Midnight in Paris after "I liked Titanic and The Notebook" was "also with Kathy Bates, like Titanic"
    # (sixth billed there), said as strongly as a star; nothing said that all three are romances.
    context = ReasonContext(words="I liked Titanic and The Notebook",
                            liked=["wp:Titanic_(1997_film)", "wp:The_Notebook"])
    [reasons] = explain_answer([scored("wp:Midnight_in_Paris")], sample_catalog, context, max_reasons=5)
    texts = [e.text for e in reasons]
    kind = "also a romance film, like Titanic and The Notebook"
    assert kind in texts, texts
    bates = next((t for t in texts if "Kathy Bates" in t), None)
    assert bates is None or texts.index(kind) < texts.index(bates), texts
    assert faithful(sample_catalog, [scored("wp:Midnight_in_Paris")], context, context.words) == []


def test_a_kind_starting_with_a_vowel_takes_an(sample_catalog) -> None:
    # Before: "also a action film, like Die Hard and Lethal Weapon".
    context = ReasonContext(words="I liked Die Hard and Lethal Weapon", liked=["wp:Die_Hard", "wp:Lethal_Weapon"])
    [reasons] = explain_answer([scored("wp:Commando_(1985_film)")], sample_catalog, context, max_reasons=5)
    kinds = [e.text for e in reasons if e.source == "genres" and e.kind == "shared"]
    assert kinds == ["also an action film, like Die Hard and Lethal Weapon"], [e.text for e in reasons]


def test_two_liked_films_of_one_title_are_told_apart_by_their_years(sample_catalog) -> None:
    # Before: "also a horror film, like Halloween and Halloween" after both Halloweens were liked.
    context = ReasonContext(words="more like these", liked=["wp:Batman_(1966_film)", "wp:Batman_(1989_film)"])
    [reasons] = explain_answer([scored("wp:Superman_(1978_film)")], sample_catalog, context, max_reasons=5)
    texts = [e.text for e in reasons]
    assert "also a superhero film, like Batman (1966) and Batman (1989)" in texts, texts
    assert faithful(sample_catalog, [scored("wp:Superman_(1978_film)")], context, context.words) == []


def test_a_good_rating_nobody_asked_for_comes_after_what_the_film_is_about(sample_catalog) -> None:
    # Before: every pick of "I like sci-fi" and of a first "hi" opened with "well rated: 8.4/10 from 28,920 votes":
    # the same sentence for every item, ahead of what each is about.
    [plain] = explain_answer([scored("wp:Inception")], sample_catalog, ReasonContext(words="hi"), max_reasons=3)
    assert [e.kind for e in plain[:2]] == ["premise", "standing"], [e.text for e in plain]
    asked = ReasonContext(words="a good movie", acclaimed=True)
    assert explain_answer([scored("wp:Inception")], sample_catalog, asked, max_reasons=3)[0][0].kind == "standing"


def test_the_best_matching_plot_clause_is_quoted_with_the_persons_words_marked(sample_catalog) -> None:
    context = ReasonContext(words="a heist with a casino robbery")
    item = sample_catalog.by_id["wp:Ocean%27s_Eleven_(2001_film)"]
    [reasons] = explain_answer([scored(item.id)], sample_catalog, context)
    plot = next(e for e in reasons if e.kind == "plot")
    assert plot.source == "description" and plot.quote and plot.quote in item.description
    assert plot.marked and all(word in plot.quote for word in plot.marked)
    assert {w.lower() for w in plot.marked} & {"casino", "heist", "robbery", "rob"}
    assert not plot.quote.startswith("Ocean's Eleven is a"), "the defining production sentence says nothing"
    assert reasons[0].kind != "facet"


def test_courses_name_their_own_field(courses) -> None:
    first, other = next((a, b) for a in courses.items for b in courses.items
                        if a.id < b.id and set(a.extra["instructors"]) & set(b.extra["instructors"]))
    teacher = (set(first.extra["instructors"]) & set(other.extra["instructors"])).pop()
    [reasons] = explain_answer([scored(other.id)], courses, ReasonContext(words="more of this", liked=[first.id]))
    assert any(e.text == f"also taught by {teacher}, like {first.title}" and e.source == "instructors"
               for e in reasons), reasons


def test_products_say_same_brand(products) -> None:
    first = products.items[0]
    same = next(i for i in products.items[1:] if i.extra.get("brand") == first.extra["brand"])
    [reasons] = explain_answer([scored(same.id)], products, ReasonContext(liked=[first.id]))
    brand = next(e for e in reasons if e.source == "brand")
    assert brand.text == f"same brand as {first.title}: {first.extra['brand']}"


def test_the_log_count_is_cited(sample_catalog) -> None:
    rows = [Interaction(f"s{n}", item) for n in range(3) for item in ("wp:Heat_(1995_film)", "wp:Aliens_(film)")]
    log = CoOccurrence(rows, sample_catalog)
    context = ReasonContext(liked=["wp:Heat_(1995_film)"], together=log.together, log_counts=log.counts)
    [reasons] = explain_answer([scored("wp:Aliens_(film)")], sample_catalog, context)
    cited = next(e for e in reasons if e.kind == "log")
    assert cited.text == "picked together with Heat in 3 logged sessions" and cited.count == 3
    assert cited.source == "log" and cited.other_id == "wp:Heat_(1995_film)"


def test_less_known_says_how_many_votes_and_the_rating() -> None:
    items = [Item("a", "Quiet One", "A lighthouse keeper finds a message.", 1990, ("Drama",),
                  extra={"tmdb_vote_count": 1200, "tmdb_vote_average": 7.4}),
             Item("b", "Big One", "A crew of thieves plans to rob a casino vault.", 2001, ("Crime",),
                  extra={"tmdb_vote_count": 25000, "tmdb_vote_average": 7.9})]
    catalog = Catalog(items)
    quiet, big = explain_answer([scored("a", pct=0.2, long_tail=0.1), scored("b", pct=0.95)], catalog,
                                ReasonContext(words="thieves and a casino"))
    assert any(e.text == "less known: 1,200 votes, rated 7.4/10" and e.source == "tmdb_vote_count,tmdb_vote_average"
               for e in quiet)
    assert any(e.text == "well rated: 7.9/10 from 25,000 votes" for e in big)
    assert big[0].kind == "plot" and big[0].marked == ["thieves", "casino"]


def test_votes_without_a_rating_and_a_rating_without_votes() -> None:
    catalog = Catalog([Item("a", "A", "Plain text here.", 1990, extra={"votes": 1200}),
                       Item("b", "B", "Plain text here.", 1991, extra={"rating": 4.5})])
    only_votes, only_rating = explain_answer([scored("a", pct=0.2, long_tail=0.1), scored("b", pct=0.2)], catalog)
    assert any(e.text == "less known: 1,200 votes" and e.source == "votes" for e in only_votes)
    assert not any(e.kind == "standing" for e in only_rating)  # a rating without votes says too little


def test_the_generic_reason_only_when_nothing_specific_is_true(sample_catalog) -> None:
    context = ReasonContext(words="westerns with outlaws and revenge", liked=["wp:Alien_(film)"])
    alone = reasons_for(scored("wp:Aliens_(film)", facets=["science fiction"]), sample_catalog, context=context)
    assert not any(text.startswith("matches your interest") for text in alone)


def test_an_answer_of_westerns_tells_the_items_apart_and_every_reason_is_faithful(sample_catalog) -> None:
    westerns = [i.id for i in sample_catalog.items if "western" in i.facets][:5]
    answer = [scored(i, facets=["western"]) for i in westerns]
    context = ReasonContext(words="westerns please", constraints=Constraints())
    explained = explain_answer(answer, sample_catalog, context)
    texts = [[e.text for e in reasons] for reasons in explained]
    assert distinct_ok(texts), texts
    assert all(1 <= len(t) <= 3 for t in texts)
    assert faithful(sample_catalog, answer, context, "westerns please") == []


def test_each_pick_says_what_it_is_about_in_its_own_plot_words(sample_catalog) -> None:
    westerns = [i for i in sample_catalog.items if "western" in i.facets and i.plot][:5]
    answer = [scored(i.id, facets=["western"]) for i in westerns]
    context = ReasonContext(words="westerns please")
    explained = explain_answer(answer, sample_catalog, context)
    for item, reasons in zip(westerns, explained):
        premise = next((e for e in reasons if e.kind == "premise"), None)
        assert premise is not None and premise.quote and premise.quote in item.plot, [e.text for e in reasons]
        assert len(premise.quote) <= 110 and premise.text.startswith("“")
    check = FaithfulnessCheck(sample_catalog)
    premise.quote = premise.quote.replace(premise.quote.split()[0], "Nobody")
    assert check.problem(westerns[-1], premise, "") == "quote is not in plot_overview"


def test_the_distinctness_rule_itself() -> None:
    same = [["matches your interest in western", "a less known pick"]] * 5
    assert not distinct_ok(same)
    assert distinct_ok([["a", "x"], ["b", "x"], ["c"], ["d"], ["x"]])
    assert not distinct_ok([["a", "x"], ["b", "x"], ["c", "x"], ["d", "x"], ["x"]])  # said of every item


def test_the_check_catches_unfaithful_reasons(sample_catalog) -> None:
    context = ReasonContext(words="a heist with a casino robbery", liked=["wp:Alien_(film)"])
    answer = [scored("wp:Ocean%27s_Eleven_(2001_film)"), scored("wp:Aliens_(film)")]
    assert faithful(sample_catalog, answer, context, "a heist with a casino robbery; Alien") == []
    check = FaithfulnessCheck(sample_catalog)
    [ocean, aliens] = explain_answer(answer, sample_catalog, context)
    plot = next(e for e in ocean if e.kind == "plot")
    plot.quote = plot.quote.replace("casino", "bank")
    assert check.problem(sample_catalog.by_id[answer[0].item_id], plot, "heist casino robbery")
    shared = next(e for e in aliens if e.kind == "shared")
    shared.marked = ["Tom Hanks"]
    assert check.problem(sample_catalog.by_id[answer[1].item_id], shared, "")
    from chatbot.types import Explanation
    liked = Explanation("similar to Alien, which you liked", "embedding", "similar", other_id="wp:Alien_(film)")
    assert check.problem(sample_catalog.by_id["wp:Aliens_(film)"], liked, "") == "says the person liked something"


def test_a_real_turn_carries_sourced_faithful_distinct_reasons(make_app) -> None:
    engine = make_app().engine
    said = "I loved Alien. Now a heist comedy with a casino robbery"
    engine.turn("s", "I loved Alien")
    result = engine.turn("s", "Now a heist comedy with a casino robbery")
    "".join(result.stream)
    assert len(result.items) == 5
    check = FaithfulnessCheck(engine.catalog)
    profile = " ".join(f.label for f in result.profile if f.weight > 0)
    for item in result.items:
        assert item.explanations and item.reasons == [e.text for e in item.explanations]
        assert all(e.source for e in item.explanations)
        assert check.problems(item, f"{said} {profile}") == []
    assert distinct_ok([item.reasons for item in result.items])


def test_cards_mark_the_quoted_words_and_name_the_source(sample_catalog) -> None:
    from chatbot.web.ui_render import render_card

    item = sample_catalog.by_id["wp:Ocean%27s_Eleven_(2001_film)"]
    [reasons] = explain_answer([scored(item.id)], sample_catalog, ReasonContext(words="a casino heist"))
    html = render_card(rec(sample_catalog, scored(item.id), reasons), 1)
    plot = next(e for e in reasons if e.kind == "plot")
    for word in plot.marked:
        assert f"<mark>{word}</mark>" in html
    assert '<small class="rb-src">from description</small>' in html and 'title="from description"' in html


def test_a_sentence_true_of_most_items_is_said_on_two_and_the_others_say_their_own() -> None:
    common = Explanation("also directed by Christopher Nolan, like Inception", "directors", "shared")
    found = [[(0.9, common), (0.3, Explanation(f"own {n}", "tmdb_vote_count", "standing")),
              (0.19, Explanation(f"premise {n}", "plot_overview", "premise"))] for n in range(4)]
    found.append([(0.3, Explanation("own 4", "tmdb_vote_count", "standing"))])
    answer = choose(found, max_reasons=2, generic_floor=0.1)
    assert [common in reasons for reasons in answer] == [True, True, False, False, False]
    assert [e.text for e in answer[2]] == ["own 2", "premise 2"] and distinct_ok([[e.text for e in r] for r in answer])


def test_a_shared_cast_reason_names_leads_not_the_voices_of_a_crowd(sample_catalog) -> None:
    context = ReasonContext(words="I loved Up", liked=["wp:Up_(2009_film)"])
    wall_e, ralph = explain_answer([scored("wp:WALL-E"), scored("wp:Wreck-It_Ralph")], sample_catalog, context)
    # WALL-E and Up share a dozen voices; John Ratzenberger is billed near the top of both.
    assert next(e.text for e in wall_e if e.kind == "shared").startswith("also with John Ratzenberger")
    # Wreck-It Ralph shares only extras (Jess Harnell, 14th and 10th): true, and said last if at all.
    assert ralph[0].kind != "shared" and all("Jess Harnell" not in e.text for e in ralph[:2])


def test_a_sentence_true_of_every_item_is_said_once_and_each_keeps_its_premise() -> None:
    # "any of his dramas?" after naming Denzel Washington and liking two of his films: the person and the shared
    # cast are true of every pick. Before, both went from every item and each kept its rating alone.
    named = Explanation("with Denzel Washington, whom you named", "cast", "person")
    shared = Explanation("also with Denzel Washington, like Training Day", "cast", "shared")
    found = [[(1.0, named), (0.9, shared), (0.2, Explanation(f"rated {n}", "tmdb_vote_average", "standing")),
              (0.19, Explanation(f"premise {n}", "plot_overview", "premise"))] for n in range(4)]
    answer = [[e.text for e in reasons] for reasons in choose(found, max_reasons=3, generic_floor=0.1)]
    assert answer[0][0] == named.text and sum(named.text in reasons for reasons in answer) == 1
    assert all(f"premise {n}" in reasons and f"rated {n}" in reasons for n, reasons in enumerate(answer))
    assert distinct_ok(answer)


@pytest.mark.parametrize(("credit", "said", "problem"), [
    ("Penélope Cruz", "anything with penelope cruz?", None),  # typed without the accent
    ("Daniel Day-Lewis", "I quite enjoy Daniel Day Lewis", None),  # and without the hyphen
    ("Penélope Cruz", "anything with Tom Hanks?", "the person never named them"),
])
def test_whom_you_named_is_checked_against_the_name_as_typed(sample_catalog, credit, said, problem) -> None:
    # Before: the check compared lower-cased text, so "with Penélope Cruz, whom you named" after "penelope cruz"
    # counted as unfaithful once stop 38 let such names meet their credits.
    item = next(i for i in sample_catalog.items if credit in i.links().get("cast", []))
    named = Explanation(f"with {credit}, whom you named", "cast", "person", marked=[credit])
    assert FaithfulnessCheck(sample_catalog).problem(item, named, said) == problem


def test_a_quote_does_not_match_one_word_of_someone_elses_name() -> None:
    # Before: after "I like Christopher Nolan movies" The Prestige's reason quoted "based on the 1995 novel by
    # Christopher Priest" (38k), its one clause with a word the person said.
    wanted = content_words("I like Christopher Nolan movies")
    text = ("The Prestige is a 2006 thriller film directed by Christopher Nolan, based on the 1995 novel by "
            "Christopher Priest. Two rival stage magicians in London try to outdo each other.")
    assert best_quote(text, wanted, "The Prestige") is None
    quote = best_quote("It was shot in 2005, when the film's producer was Christopher Nolan himself.", wanted)
    assert quote is not None and quote.marked == ("Christopher", "Nolan")
    tom = content_words("any Tom Hanks films?")
    assert best_quote("A film that stars Tom Cruise as a pilot on a carrier.", tom) is None
    assert best_quote("A long film in which Tom Hanks plays a castaway.", tom).marked == ("Tom", "Hanks")


def test_a_quote_leaves_no_word_hanging_at_either_end_and_no_story_matched_by_story_alone() -> None:
    # Before (stop 46): "based on a true story" quoted "A true story about Frank Abagnale Jr. who" and, for Raging
    # Bull, "Mardik Martin from Jake LaMotta's 1970 memoir Raging Bull: My Story" (its "Story" the only match).
    wanted = content_words("something inspiring, based on a true story")
    abagnale = ("A true story about Frank Abagnale Jr. who, before his 19th birthday, successfully conned millions of "
                "dollars' worth of checks as a Pan Am pilot, doctor, and legal prosecutor.")
    assert best_quote(abagnale, wanted).text == "A true story about Frank Abagnale Jr."
    memoir = ("Raging Bull is a 1980 American biographical sports drama film directed by Martin Scorsese and adapted "
              "by Paul Schrader and Mardik Martin from Jake LaMotta's 1970 memoir Raging Bull: My Story.")
    assert best_quote(memoir, wanted, "Raging Bull") is None
    keanu = content_words("something with Keanu Reeves")
    dracula = ("Bram Stoker's Dracula is a 1992 American gothic horror film directed and produced by Francis Ford "
               "Coppola, and Keanu Reeves as Jonathan Harker, a young lawyer sent to Transylvania")
    assert best_quote(dracula, keanu).text == "Keanu Reeves as Jonathan Harker"  # was "and Keanu Reeves as..."


def test_the_best_of_the_picks_shown_is_no_claim_a_higher_rating_beside_it_belies() -> None:
    # Before (stop 46): "which one would you pick?" answered "Casino (1995) is the best regarded (well rated: 8.0/10
    # from 4,582 votes)" above Some Like It Hot, shown at 8.1/10 (fewer votes shrink its rating more).
    from chatbot.reply.about_shown import best_of_shown
    from retrieval.catalog import Catalog, Item

    casino = Item("casino", "Casino", "Las Vegas.", 1995, extra={"tmdb_vote_average": 8.0, "tmdb_vote_count": 4582})
    hot = Item("hot", "Some Like It Hot", "Two musicians.", 1959,
               extra={"tmdb_vote_average": 8.1, "tmdb_vote_count": 2764})
    fuzz = Item("fuzz", "Hot Fuzz", "A village.", 2007, extra={"tmdb_vote_average": 7.5, "tmdb_vote_count": 6252})
    catalog = Catalog([casino, hot, fuzz])
    regard = {"casino": 7.9, "hot": 7.8, "fuzz": 7.4}.get
    answer = best_of_shown(["hot", "casino", "fuzz"], catalog, regard)
    assert [s.item_id for s in answer.scored] == ["casino", "hot", "fuzz"]
    assert answer.sentence == "Of those, I would start with Casino (1995) (well rated: 8.0/10 from 4,582 votes)."
    alone = best_of_shown(["casino", "fuzz"], catalog, regard)
    assert alone.sentence.startswith("Of those, Casino (1995) is the best regarded (well rated: 8.0/10")
