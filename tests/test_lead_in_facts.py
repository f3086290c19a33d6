"""The lead-in adapter's prompt (the first pick's facts) and the reference lead-ins it is trained on."""

from __future__ import annotations

import pytest

from chatbot.llm.fake import FakeChatModel
from chatbot.reply.lead_in_facts import pick_facts, reference_lead_in, tidy
from chatbot.reply.writer import ReplyWriter
from chatbot.types import Explanation, Recommendation
from chatbot.understanding.signals import SignalExtractor

WEAVER = Explanation("also with Sigourney Weaver, like Alien", "cast", "shared", other_id="wp:Alien_(film)")
RATED = Explanation("well rated: 7.3/10 from 3,546 votes", "tmdb_vote_count,tmdb_vote_average", "standing")


@pytest.fixture(scope="module")
def matcher(sample_catalog):
    return SignalExtractor(sample_catalog, use_llm=False).titles


def rec(catalog, item_id: str, *explanations: Explanation) -> Recommendation:
    item = catalog.by_id[item_id]
    return Recommendation(item.id, item.title, item.year, item.description, item.image_url, item.url, 1.0,
                          [e.text for e in explanations], explanations=list(explanations))


@pytest.fixture(scope="module")
def picks(sample_catalog):
    return [rec(sample_catalog, "wp:Galaxy_Quest", WEAVER), rec(sample_catalog, "wp:Spaceballs", RATED)]


def test_the_adapter_prompt_lists_the_first_picks_facts_and_no_worked_examples(matcher, picks) -> None:
    writer = ReplyWriter(FakeChatModel(["x"]), matcher, facts=True)
    long_request = "a space comedy " + "with lots of jokes " * 30
    messages = writer.messages(long_request, picks, ["comedy (genre)", "dark ship (phrase)"], [])
    assert [m["role"] for m in messages] == ["system", "user"]
    request = messages[1]["content"]
    assert "Fact: Galaxy Quest (1999): science fiction, comedy, adventure; also with Sigourney Weaver, like Alien" \
        in request
    assert pick_facts(picks, matcher.catalog) == [
        "Galaxy Quest (1999): science fiction, comedy, adventure; also with Sigourney Weaver, like Alien"]
    # Short: the other picks, free phrases and most of a long message stay out (read in before the first word).
    assert "Spaceballs" not in request and "(phrase)" not in request and len(request) < 400
    # Without an adapter the base model keeps its worked examples and its titles-only request.
    plain = ReplyWriter(FakeChatModel(["x"]), matcher).messages("a space comedy", picks, ["comedy (genre)"], [])
    assert len(plain) > 2 and "Fact:" not in plain[-1]["content"] and "Spaceballs" in plain[-1]["content"]


@pytest.mark.parametrize(("interests", "says"), [
    (["comedy (genre)"], "For fans of comedy, Galaxy Quest (1999) is also with Sigourney Weaver, like Alien."),
    (["sigourney weaver (person)"], "For fans of Sigourney Weaver, Galaxy Quest (1999) is also with"),
    (["Alien (1979)", "comedy (genre)"], "For fans of Alien, Galaxy Quest (1999)"),
    (["Galaxy Quest (1999)", "comedy (genre)"], "For fans of comedy, Galaxy"),  # not "fans of" the pick itself
    (["dark ship (phrase)"], "To start, Galaxy Quest (1999)"),  # a phrase reads badly alone
    # An interest the pick's facts do not bear out is not its reason ("For fans of Batman, Coco", issue 16).
    (["western (genre)", "tom hanks (person)"], "To start, Galaxy Quest (1999)"),
    (["western (genre)", "comedy (genre)"], "For fans of comedy, Galaxy Quest (1999)"),
])
def test_a_reference_lead_in_says_only_what_the_prompt_shows_and_passes_the_checks(matcher, picks, interests,
                                                                                   says) -> None:
    writer = ReplyWriter(None, matcher, facts=True)
    reference = reference_lead_in(picks, interests, matcher.catalog)
    assert reference.startswith(says)
    sense = writer.sense_guard("a space comedy", picks, interests, [])
    assert writer.lead_in_guard(picks, interests, [], sense).problem(reference) is None
    # Everything it says of the pick is in the prompt the adapter is given.
    prompt = writer.messages("a space comedy", picks, interests, [])[-1]["content"]
    assert "Galaxy Quest (1999)" in prompt and "also with Sigourney Weaver, like Alien" in prompt


def test_a_reference_without_a_clause_says_what_the_pick_is(matcher, sample_catalog) -> None:
    plain = [rec(sample_catalog, "wp:Spaceballs", Explanation("matches your interest in comedy", "genres", "facet"))]
    assert reference_lead_in(plain, ["comedy (genre)"], matcher.catalog) == (
        "For fans of comedy, Spaceballs (1987) is a science fiction, comedy and satire film from 1987.")


def test_a_lead_in_may_name_the_film_a_pick_is_compared_with(matcher, picks) -> None:
    # Issue 16: "like Alien" is in the pick's reason, so the model may say it; it was dropped as an unchosen title.
    said = "Galaxy Quest is also with Sigourney Weaver, like Alien."
    text = "".join(ReplyWriter(FakeChatModel([said]), matcher).stream("a space comedy", picks, [], []))
    assert text.startswith("Galaxy Quest also stars Sigourney Weaver, like Alien.")  # tidied (stop 43)
    other = "Galaxy Quest is as good as Aliens."  # a film neither the picks nor their reasons name
    text = "".join(ReplyWriter(FakeChatModel([other]), matcher).stream("a space comedy", picks, [], []))
    assert "Aliens" not in text


@pytest.mark.parametrize("said, shown", [
    # stop 43, with the real model: the article, a year said twice, "is also with"
    ("The Exorcist (1973) is an horror film.", "The Exorcist (1973) is a horror film."),
    ("Keeping Mum (2005) is from 2005, in the years you asked for.",
     "Keeping Mum (2005) is from the years you asked for."),
    ("The Hateful Eight (2015) is a mystery and thriller film from 2015.",
     "The Hateful Eight (2015) is a mystery and thriller film."),
    ("Fracture (2007) is also with Ryan Gosling, like The Notebook.",
     "Fracture (2007) also stars Ryan Gosling, like The Notebook."),
    ("An Cailín Ciúin (2022) is an hour of drama.", "An Cailín Ciúin (2022) is an hour of drama."),  # as written
])
def test_a_lead_in_is_tidied_as_a_person_would_say_it(said: str, shown: str) -> None:
    assert tidy(said) == shown
