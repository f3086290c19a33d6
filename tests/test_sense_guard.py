"""Lead-in sentences the tiny model gets wrong in kind are dropped; the template stays when nothing survives
(issue 16); the system prompt names the catalog's kind of item."""

from __future__ import annotations

import pytest

from chatbot.llm.fake import FakeChatModel
from chatbot.reply.sense_guard import SenseGuard
from chatbot.reply.writer import ReplyWriter
from chatbot.types import Recommendation
from chatbot.understanding.signals import SignalExtractor

LABELS = ["comedy", "horror", "western", "science fiction", "drama"]


@pytest.fixture(scope="module")
def guard() -> SenseGuard:
    picks = {"galaxy quest": ("comedy", "science fiction"), "alien": ("horror", "science fiction")}
    return SenseGuard("something light-hearted, nothing scary", ["comedy"], ["horror"], picks, LABELS)


@pytest.mark.parametrize("sentence, why", [
    ("I'm afraid of the Swarm.", "talks about feelings"),
    ("I'm glad you liked it.", "talks about feelings"),
    ("I'd love to recommend it.", "talks about feelings"),  # sampled lead-ins (best of N), issue 16
    ("I'm sure it's one of my favorite films.", "talks about feelings"),
    ("Galaxy Quest is my all-time pick.", "talks about feelings"),
    ("I'm delighted to suggest Galaxy Quest.", "talks about feelings"),
    ("Galaxy Quest is a must-watch for me too.", "talks about feelings"),
    ("I'm not equipped to recommend any specific movie.", "talks about feelings"),
    ("You're looking for something light-hearted, but not light-hearted enough.", "negates the request"),
    ("Galaxy Quest is not a comedy.", "negates the request"),
    ("Galaxy Quest is funny but not funny at all.", "contradicts itself"),
    ("You want something light-hearted, nothing scary.", "repeats the request"),
    ("Galaxy Quest is a fun western.", "calls a pick 'western', which it is not"),
    # The lead-in adapter's own mistake (issue 16): the pick as its own reason.
    ("For fans of Galaxy Quest, Galaxy Quest (1999) is well rated (7.3/10 from 3,546 votes).",
     "compares a pick with itself"),
    # ... and a year in the interest's place: the pick's "from 2000, in the years you asked for" taken for one.
    ("For fans of 2000, Galaxy Quest (1999) is from 1999, in the years you asked for.", "names no interest"),
    # ... and what the person turned down in its place (stop 32: "I've seen all the Marvel movies, what else?" got
    # "For fans of Marvel, Inception (2010) is rated 8.4").
    ("For fans of horror, Galaxy Quest (1999) is well rated.", "calls the person a fan of what they turned down"),
    # ... or of a kind they never named ("something for my kids, they love animals": "For fans of comedy, ...").
    ("For fans of science fiction, Galaxy Quest (1999) is well rated.",
     "calls the person a fan of a kind they did not name"),
    # ... or nothing of the pick but what the list shows (stop 33, with the real model: "For fans of Quentin
    # Tarantino, Pulp Fiction (1994) is a film from 1994.")
    ("For fans of comedy, Galaxy Quest (1999) is a film from 1999.", "says nothing of a pick but what the list shows"),
    ("Galaxy Quest came out in 1999.", "says nothing of a pick but what the list shows"),
])
def test_sentences_wrong_in_kind_are_dropped(guard, sentence: str, why: str) -> None:
    assert guard.problem(sentence) == why


@pytest.mark.parametrize("sentence", [
    "If you like comedy, Galaxy Quest is a great place to start.",
    "Nothing too scary here: Galaxy Quest is light and fun.",  # the person said "nothing scary" themselves
    "Alien is a horror classic, but Galaxy Quest keeps it light.",
    "Galaxy Quest is a science fiction comedy worth a look.",
    "For fans of Alien, Galaxy Quest (1999) is well rated (7.3/10 from 3,546 votes).",
])
def test_sentences_that_make_sense_pass(guard, sentence: str) -> None:
    assert guard.problem(sentence) is None


@pytest.mark.parametrize("sentence, why", [
    # stop 43, with the real model: a plot quote made what the pick is, a kind said twice, and the kind the sentence
    # opens with left out of the kinds it then gives
    ("Alien (1979) is an crew of the Nostromo wakes to a distress call.", "makes a plot quote what a pick is"),
    ("Alien (1979) is a horror, science fiction and horror film from 1979.", "says a kind twice"),
    ("For fans of science fiction, Alien (1979) is a horror film from 1979.", "leaves out the kind it opens with"),
])
def test_what_the_lead_in_adapter_gets_wrong_of_a_picks_facts_is_dropped(sentence: str, why: str) -> None:
    picks = {"alien": ("horror", "science fiction")}
    guard = SenseGuard("something like Prometheus", ["science fiction (genre)"], [], picks, LABELS,
                       quotes=["The crew of the Nostromo wakes to a distress call"])
    assert guard.problem(sentence) == why
    assert guard.problem("For fans of science fiction, Alien (1979) is a science fiction and horror film.") is None
    assert guard.problem("For fans of science fiction, Alien (1979) is well rated (8.1/10).") is None


def test_a_title_with_me_in_it_is_not_the_model_speaking_of_itself() -> None:
    guard = SenseGuard("a cartoon", ["animation"], [], {"despicable me": ("animation",)}, LABELS)
    assert guard.problem("Despicable Me is a fun pick.") is None
    assert guard.problem("Despicable Me is a fun pick for me.") == "talks about feelings"


@pytest.fixture(scope="module")
def matcher(sample_catalog):
    return SignalExtractor(sample_catalog, use_llm=False).titles


@pytest.fixture(scope="module")
def chosen(sample_catalog):
    def rec(item_id: str) -> Recommendation:
        item = sample_catalog.by_id[item_id]
        return Recommendation(item.id, item.title, item.year, item.description, None, None, 1.0, ["r"])
    return [rec("wp:Galaxy_Quest"), rec("wp:Spaceballs")]


@pytest.mark.parametrize("said", [
    "I'm glad you liked it. I'm afraid of the Swarm.",
    "You're looking for something funny, but not funny enough.",
    "These are wonderful and exciting adventures for the whole evening.",  # names no pick: says nothing checkable
])
def test_the_template_stays_when_nothing_survives(matcher, chosen, said: str) -> None:
    text = "".join(ReplyWriter(FakeChatModel([said]), matcher).stream("space comedy", chosen, ["comedy"], []))
    assert text.startswith("Based on what you told me (comedy)"), text


def test_a_sentence_without_a_title_waits_for_one_that_names_a_pick(matcher, chosen) -> None:
    said = "Space and laughs go together well. Galaxy Quest is the one to start with."
    text = "".join(ReplyWriter(FakeChatModel([said]), matcher).stream("space comedy", chosen, ["comedy"], []))
    assert text.startswith(said)


def test_the_system_prompt_names_the_catalogs_kind(matcher) -> None:
    system = ReplyWriter(None, matcher, item_kind="course").messages("python please", [], [], [])[0]["content"]
    assert "course recommender" in system and "film" not in system
    default = ReplyWriter(None, matcher).messages("x", [], [], [])[0]["content"]
    assert "film recommender" in default


def test_item_kind_comes_from_the_environment(clean_env, monkeypatch) -> None:
    from chatbot.config import load_settings

    assert load_settings().item_kind == "film"
    monkeypatch.setenv("RECBOT_ITEM_KIND", "product")
    assert load_settings().item_kind == "product"
