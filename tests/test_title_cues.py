"""When a title of everyday words names a film: a well-known one by its words, a little-known one only with a cue."""

from __future__ import annotations

from chatbot.understanding.title_match import TitleMatcher
from chatbot.understanding.vocabulary import Vocabulary
from retrieval.catalog import Catalog, Item


def test_a_little_known_title_of_everyday_words_needs_a_cue() -> None:
    # Stop 49: "a story from a dog's point of view" liked The Point of View (1989), a film few know.
    known = [Item(f"f{n}", f"Film {n}", "A drama.", 2000, popularity=5_000 + n) for n in range(3_000)]
    told = [Item(f"t{n}", f"Told {n}", "The view from the point where empire records end.", 2000) for n in range(3)]
    catalog = Catalog([*known, *told, Item("pov", "The Point of View", "A drama.", 1989, popularity=3),
                       Item("empire", "Empire Records", "A record store's staff.", 1995, popularity=9_000)])
    matcher = TitleMatcher(catalog, Vocabulary.from_catalog(catalog))

    def named(text: str) -> list[str]:
        return [match.item_id for match in matcher.find(text)]

    assert named("a story from a dog's point of view") == []
    assert named("I loved The Point of View") == ["pov"]  # capitals are a cue
    assert named("empire records is great") == ["empire"]  # well known: its words name it
