"""Reply writing: only chosen titles survive, template fallback, and the exact prompt sent."""

from __future__ import annotations

import pytest

from chatbot.llm.base import ChatModelError
from chatbot.llm.fake import FakeChatModel
from chatbot.reply.output_guard import TitleGuard, norm
from chatbot.reply.writer import ReplyWriter, item_lines, reasons_said, split_sentences
from chatbot.understanding.signals import SignalExtractor
from chatbot.types import Recommendation


@pytest.fixture(scope="module")
def matcher(sample_catalog):
    return SignalExtractor(sample_catalog, use_llm=False).titles


def rec(catalog, item_id: str, reasons: list[str] | None = None) -> Recommendation:
    item = catalog.by_id[item_id]
    return Recommendation(item.id, item.title, item.year, item.description, item.image_url, item.url, 1.0,
                          reasons or ["similar to Alien, which you liked"])


@pytest.fixture(scope="module")
def chosen(sample_catalog):
    return [rec(sample_catalog, "wp:Galaxy_Quest"), rec(sample_catalog, "wp:Spaceballs")]


def test_split_sentences_rechunks_a_stream() -> None:
    chunks = ["Hello the", "re. How are", " you? Fine\nthanks"]
    assert list(split_sentences(chunks)) == ["Hello there. ", "How are you? ", "Fine\n", "thanks"]


@pytest.mark.parametrize(
    ("sentence", "ok"),
    [
        ("You will love Galaxy Quest, it is a hoot.", True),
        ("Spaceballs is a classic parody.", True),
        ("You might also enjoy The Dark Knight.", False),  # a catalog title that was not chosen
        ("Try *Moon Unicorn Party* tonight.", False),  # an invented, emphasised title
        ('Or "Planet of Pancakes" if you are hungry.', False),
        ("Also Zorgon Attack (1987) is great.", False),  # title-like with a year
        ("These picks mix laughs and space adventure.", True),
        ("Both Galaxy Quest and Spaceballs are a hoot.", True),  # a sentence's first word is capitalised anyway
        ("Enjoy Galaxy Quest's crew of actors.", True),
        ("Then watch Evil Movie 3000 with friends.", False),  # an unquoted name the prompt never gave
        ("Evil Movie 3000 is next.", False),
    ],
)
def test_title_guard(matcher, chosen, sentence: str, ok: bool) -> None:
    assert TitleGuard(matcher, chosen).sentence_ok(sentence) is ok


def test_reply_keeps_good_sentences_and_drops_unchosen_titles(matcher, chosen) -> None:
    model = FakeChatModel(["Galaxy Quest is a fun ride. You should also watch The Dark Knight. Enjoy!"])
    text = "".join(ReplyWriter(model, matcher).stream("space comedy please", chosen, ["comedy (genre)"], []))
    assert "Galaxy Quest is a fun ride." in text
    assert "Dark Knight" not in text
    assert "1. **Galaxy Quest** (1999): similar to Alien, which you liked." in text
    assert "2. **Spaceballs** (1987)" in text


def test_prompt_names_the_chosen_items_and_the_user_text_but_not_the_reasons(matcher, chosen) -> None:
    model = FakeChatModel(["Here you go, two space comedies."])
    list(ReplyWriter(model, matcher).stream("space comedy please", chosen, ["comedy (genre)"], ["horror (genre)"]))
    system, *examples, user = model.history[0]
    assert system["role"] == "system" and "Mention only titles from the picks" in " ".join(system["content"].split())
    assert user["role"] == "user" and "Picks: Galaxy Quest; Spaceballs." in user["content"]
    assert "which you liked" not in user["content"]  # the reasons follow in the reply, not in the prompt
    assert 'Customer said: "space comedy please"' in user["content"]
    assert "Likes: comedy (genre)." in user["content"] and "Avoid: horror (genre)." in user["content"]


def test_prompt_shows_worked_examples_from_the_catalog_before_the_request(matcher, chosen, sample_catalog) -> None:
    """Two request/answer pairs, in the request's own format, with real titles of the liked facet."""
    messages = ReplyWriter(None, matcher).messages("space comedy", chosen, [], [])
    examples = messages[1:-1]
    assert [m["role"] for m in examples] == ["user", "assistant", "user", "assistant"]
    by_title = {item.title: item for item in sample_catalog.items}
    for ask, answer in zip(examples[::2], examples[1::2]):
        liked = ask["content"].split("Likes: ")[1].split(".")[0]
        picks = ask["content"].split("Picks: ")[1].rstrip(".").split("; ")
        assert len(picks) == 3 and all(liked in by_title[title].facets for title in picks)
        assert picks[0] in answer["content"] and picks[1] in answer["content"]


def test_everything_before_the_request_is_the_same_on_every_turn(matcher, chosen, sample_catalog) -> None:
    """The prefix a backend keeps in its KV cache between turns: rules and examples never depend on the turn."""
    writer = ReplyWriter(None, matcher)
    first = writer.messages("space comedy", chosen, ["comedy (genre)"], [])
    second = writer.messages("a sad drama", [rec(sample_catalog, "wp:Spaceballs")], [], ["horror (genre)"])
    assert first[:-1] == second[:-1] and first[-1] != second[-1]


class BrokenModel:
    def stream(self, messages, **kwargs):
        raise ChatModelError("model crashed")
        yield  # pragma: no cover


@pytest.mark.parametrize(
    "model",
    [
        BrokenModel(),
        FakeChatModel([""]),  # says nothing
        FakeChatModel(["Watch The Dark Knight."]),  # says only forbidden things
        FakeChatModel(["Slow words that never arrive in time."], delay_s=0.3),  # stalls past the time limit
    ],
    ids=["raises", "empty", "only-unchosen-titles", "stalls"],
)
def test_template_reply_when_the_model_fails(matcher, chosen, model) -> None:
    writer = ReplyWriter(model, matcher, timeout_s=0.2)
    text = "".join(writer.stream("space comedy", chosen, ["comedy (genre)", "tom hanks (person)"], []))
    assert "Based on what you told me (comedy, Tom Hanks)" in text  # not "(comedy (genre), tom hanks (person))"
    assert "1. **Galaxy Quest**" in text and "Dark Knight" not in text


def test_clarifying_reply_asks_a_question_without_calling_the_model(matcher, chosen) -> None:
    model = FakeChatModel(["should not be used"])
    text = "".join(ReplyWriter(model, matcher).stream("hi", chosen, [], [], clarifying=True))
    assert "Tell me a title you loved" in text
    assert model.history == []


@pytest.mark.parametrize("sentence", [
    "Picks: 2021, 2014, 1930, 2010.",
    "The crime drama, the crime drama, the crime drama.",
    "Galaxy Quest is a classic, classic, classic.",  # sampled (best of N), issue 16
    "I'm sure you're looking for a great choice, but I'm sure you're looking for a great choice too.",
])
def test_a_lead_in_that_repeats_itself_is_dropped(matcher, chosen, sentence: str) -> None:
    text = "".join(ReplyWriter(FakeChatModel([sentence]), matcher).stream("space comedy", chosen, [], []))
    assert norm(sentence)[:20] not in norm(text) and "Here is what I'd suggest:" in text


def test_numbers_in_a_sentence_are_fine_when_they_are_not_a_list(matcher, chosen) -> None:
    said = "Galaxy Quest from 1999 and Spaceballs from 1987 are 2 great picks for tonight."
    text = "".join(ReplyWriter(FakeChatModel([said]), matcher).stream("space comedy", chosen, [], []))
    assert text.startswith(said)


def test_lead_in_stops_when_a_small_model_loops_or_rambles(matcher, chosen) -> None:
    # (Issue 16: the sentences name a pick and no feelings, so that only the loop and the length are tested.)
    looping = FakeChatModel(["You will love Galaxy Quest for space. You will love Spaceballs for more comedy. You will love it."])
    text = "".join(ReplyWriter(looping, matcher).stream("space comedy", chosen, [], []))
    assert text.startswith("You will love Galaxy Quest for space. ") and "comedy." not in text.split("\n")[0]
    rambling = FakeChatModel(["Galaxy Quest fits. Spaceballs fits. Three fits. Four fits."])
    text = "".join(ReplyWriter(rambling, matcher).stream("space comedy", chosen, [], []))
    assert "Galaxy Quest fits. Spaceballs fits." in text and "Three" not in text


def test_a_lead_in_that_starts_mid_sentence_is_dropped(matcher, chosen) -> None:
    # Seen from SmolLM2 (issue 16): the tail of the worked example's answer alone, with no subject.
    text = "".join(ReplyWriter(FakeChatModel(["are both great picks for you."]), matcher).stream("space comedy",
                                                                                              chosen, [], []))
    assert "are both great" not in text and "Here is what I'd suggest:" in text


def test_a_rating_with_its_votes_is_not_a_list_of_numbers(matcher, chosen) -> None:
    # Issue 16: "7.3/10 from 3,546 votes" read as three numbers in a row, so no lead-in could cite a rating.
    said = "For space comedy, Galaxy Quest (1999) is well rated (7.3/10 from 3,546 votes)."
    text = "".join(ReplyWriter(FakeChatModel([said]), matcher).stream("space comedy", chosen, [], []))
    assert text.startswith(said)


def test_a_lead_in_that_states_a_year_the_data_does_not_give_is_dropped(matcher, chosen) -> None:
    # Issue 16: the lead-in adapter once wrote "Singin' in the Rain (1952) is a musical ... from 1927".
    wrong = "Galaxy Quest (1999) is a science fiction comedy from 1972."
    text = "".join(ReplyWriter(FakeChatModel([wrong]), matcher).stream("space comedy", chosen, [], []))
    assert "1972" not in text and "Here is what I'd suggest:" in text
    right = "Galaxy Quest (1999) is a science fiction comedy from 1999."
    text = "".join(ReplyWriter(FakeChatModel([right]), matcher).stream("space comedy", chosen, [], []))
    assert text.startswith(right)


@pytest.mark.parametrize(("said", "shown", "interests"), [
    # Before: the opening named the interest and the sentence named it again.
    ("For fans of Alien, Galaxy Quest (1999) is close in content to Alien.",
     "Galaxy Quest (1999) is close in content to Alien.", ["Alien (1979)"]),
    ("For fans of Tim Allen, Galaxy Quest (1999) is with Tim Allen, whom you named.",
     "Galaxy Quest (1999) stars Tim Allen, whom you named.", ["tim allen (person)"]),
    ("For fans of comedy, Galaxy Quest (1999) is close in content to Spaceballs.",
     "For fans of comedy, Galaxy Quest (1999) is close in content to Spaceballs.", ["comedy (genre)"]),
])
def test_a_lead_in_says_its_interest_once(matcher, chosen, said: str, shown: str, interests: list[str]) -> None:
    text = "".join(ReplyWriter(FakeChatModel([said]), matcher).stream("more please", chosen, interests, []))
    assert text.startswith(shown), text


def test_the_reasons_a_reply_gave_a_pick_read_back_as_written() -> None:
    # "why the second one?" answers with them: markdown escapes undone, nothing of the title or the next line.
    picks = [Recommendation("a", "Heat", 1995, "", None, None, 1.0, ["a heist"]),
             Recommendation("b", "*batteries* [not] included", 1987, "", None, None, 1.0,
                            ["“Residents of a *New York* tenement…”", "rated 6.6/10"], explore=True)]
    reply = "Here are some picks." + "".join(item_lines(picks))
    assert reasons_said(reply, 2) == "“Residents of a *New York* tenement…”; rated 6.6/10"
    assert reasons_said(reply, 1) == "a heist" and reasons_said(reply, 3) is None
