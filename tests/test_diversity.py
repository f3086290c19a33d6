"""The final pick of a list (retrieval.diversity): what one answer may hold side by side."""

from __future__ import annotations

import numpy as np

from retrieval.catalog import Catalog, Item
from retrieval.diversity import diversify
from retrieval.vectors import ItemVectors


def _no_text(text: str) -> np.ndarray:
    raise AssertionError("the pick embeds nothing")


def test_one_list_holds_one_film_of_a_title() -> None:
    # Stop 52: "I love horror flicks" listed Saw (2004) and Saw (2003), the short it grew from (38k): two films of
    # one title side by side read as a mistake; the better-scored one stays.
    items = [Item("saw04", "Saw", "Two men wake up chained.", 2004, genres=("horror",), popularity=900),
             Item("saw03", "Saw", "A short film: an orderly's story.", 2003, genres=("horror",), popularity=400),
             Item("shining", "The Shining", "A hotel in winter.", 1980, genres=("horror",), popularity=800),
             Item("exorcist", "The Exorcist", "A girl possessed.", 1973, genres=("horror",), popularity=700)]
    vectors = ItemVectors(Catalog(items), [i.id for i in items],
                          np.array([[1, 0, 0], [0.9, 0.1, 0], [0, 1, 0], [0, 0, 1]], dtype=np.float32), _no_text)
    picks = diversify([i.id for i in items], [1.0, 0.95, 0.9, 0.85], vectors.matrix, vectors, k=4, lam=1.0)
    assert [items[p].id for p in picks] == ["saw04", "shining", "exorcist"]
