"""A topic's words as ranking looks for them in a story: by their stems, outside the title, and a name that ends on
a number (World War I) in its own words."""

from __future__ import annotations

import pytest

from retrieval.title_words import tells_of, topic_stems


def test_a_topics_words_are_looked_for_by_their_stems_outside_the_title() -> None:
    stems = topic_stems({"phrase:dogs": 2.0, "phrase:time travel": 1.0, "phrase:boss": 1.0, "genre:drama": 1.0})
    assert stems == [(("dog",), 0.5), (("time", "travel"), 0.25), (("boss",), 0.25)]
    assert tells_of(("dog",), "a family life with a dog") and not tells_of(("dog",), "an underdog story")
    assert tells_of(("time", "travel"), "he travels back in time") and not tells_of(("time", "travel"), "in time")
    # A stem of three letters or fewer is a whole word, or its plural: "cat" is no "Cates", "ai" no "aims".
    assert tells_of(("cat",), "the family cat") and tells_of(("cat",), "two cats") and tells_of(("ai",), "a rogue ai")
    assert not tells_of(("cat",), "his mother (cates)") and not tells_of(("cat",), "a game of catch")
    assert not tells_of(("cat",), "a cat-and-mouse game") and tells_of(("cat",), "the family cat.")  # Heat for cats
    assert not tells_of(("ai",), "she aims high") and tells_of(("dogs",), "dogsled racing")  # a longer stem opens words


@pytest.mark.parametrize("phrase", ["world war 1", "world war i"])
def test_a_name_ending_on_a_number_is_told_in_its_own_words(phrase: str) -> None:
    # Before: "a war movie about World War 1" dropped the number (and "i" opened "is"): Inglourious Basterds, Fury
    # and Saving Private Ryan followed 1917.
    [(stems, _)] = topic_stems({f"phrase:{phrase}": 1.0})
    assert tells_of(stems, "a soldier in world war i.") and tells_of(stems, "the first world war is over")
    assert tells_of(stems, "after world war one ends")
    assert not tells_of(stems, "in world war ii, a sergeant is sent") and not tells_of(stems, "world war 2 is on")


def test_a_plural_in_es_finds_the_singular_in_a_story() -> None:
    # Before (stop 46): "princesses" looked for "princesse", so "no more princesses please" kept The Little Mermaid.
    stems = dict(topic_stems({"phrase:princesses": 1.0, "phrase:witches": 1.0, "phrase:foxes": 1.0}))
    assert {s for group in stems for s in group} == {"princess", "witch", "fox"}
    assert tells_of(("princess",), "a mermaid princess longs to be human") and tells_of(("witch",), "three witches")
