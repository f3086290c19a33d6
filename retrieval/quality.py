"""How well regarded each item is: its mean rating shrunk towards the catalog's mean by how few votes it has."""

from __future__ import annotations

import math

import numpy as np

from retrieval.catalog import Item

SPREAD = 2.0  # standard deviations of shrunk rating that map to the ends of [-1, 1]


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def rating_of(item: Item, rating_field: str, votes_field: str) -> tuple[float, float] | None:
    """(mean rating, votes) from the item's fields, or None when it has no usable rating."""
    rating = _number(item.extra.get(rating_field))
    votes = _number(item.extra.get(votes_field))
    if rating is None or votes is None or votes <= 0:
        return None
    return rating, votes


def rating_prior(items: list[Item | None], rating_field: str, votes_field: str) -> np.ndarray:
    """Per item in [-1, 1]: 0 for no rating or too few votes to tell, positive for well regarded, negative for poorly.

    Bayesian average: (v*r + m*C) / (v + m) with C the catalog's mean rating and m the median vote count, so an
    item rated by a handful of people stays near C, neither punished nor promoted; the result is centred on C and
    scaled by the spread of those averages (SPREAD of them map to the ends).
    """
    return rating_priors(items, rating_field, votes_field, SPREAD)[0]


def rating_priors(items: list[Item | None], rating_field: str, votes_field: str, *ends: float) -> list[np.ndarray]:
    """rating_prior on several scales from one pass over the items: each of `ends` standard deviations map to the
    ends of [-1, 1] (a wider one: the best of the well regarded still differ)."""
    rated = [(i, r) for i, item in enumerate(items) if item is not None
             and (r := rating_of(item, rating_field, votes_field)) is not None]
    priors = [np.zeros(len(items), dtype=np.float32) for _ in ends]
    if len(rated) < 2:
        return priors
    ratings = np.array([r for _, (r, _) in rated], dtype=np.float64)
    votes = np.array([v for _, (_, v) in rated], dtype=np.float64)
    mean, m = float(np.average(ratings, weights=votes)), float(np.median(votes))
    shrunk = (votes * ratings + m * mean) / (votes + m)
    spread = float(np.std(shrunk)) or 1.0
    rows = [i for i, _ in rated]
    for prior, scale in zip(priors, ends):
        prior[rows] = np.clip((shrunk - mean) / (scale * spread), -1.0, 1.0)
    return priors
