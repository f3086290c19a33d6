"""A second-stage ranker learned from conversations: the same features at train and serve time, one function."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from retrieval.rank import RankRequest, Scored
    from retrieval.vectors import ItemVectors

# The score parts Ranker.score computes (weighted as in RankWeights), then raw evidence about the candidate.
PART_FEATURES = ("relevance", "facet", "popularity", "long_tail", "prior", "liked", "disliked", "people",
                 "collaborative", "rating", "conversation", "story", "title_echo")
EVIDENCE_FEATURES = ("popularity_pct", "rating_prior", "similar_score", "matched_facets", "shared_people",
                     "co_liked", "years_from_median", "acclaimed_request", "liked_known", "hand_score")
FEATURES = PART_FEATURES + EVIDENCE_FEATURES


class RankerFileError(ValueError):
    """The RECBOT_RANKER file cannot be used; the message says why and how to make one."""


def features(scored: list[Scored], request: RankRequest, vectors: ItemVectors) -> np.ndarray:
    """One row of FEATURES per candidate, in the order given."""
    years = vectors.years[[vectors.row[s.item_id] for s in scored]] if scored else np.zeros(0)
    known = years[~np.isnan(years)]
    median = float(np.median(known)) if len(known) else 0.0
    liked = float(any(f.startswith("item:") for f in request.positives))
    rows = []
    for s, year in zip(scored, years):
        row = [s.parts.get(name, 0.0) for name in PART_FEATURES]
        row += [s.popularity_pct, float(vectors.rating[vectors.row[s.item_id]]), s.similar_score,
                float(len(s.matched_facets)), float(len(s.shared)), float(s.co_liked_with is not None),
                0.0 if np.isnan(year) else abs(float(year) - median), float(request.acclaimed), liked, s.score]
        rows.append(row)
    return np.asarray(rows, dtype=np.float64).reshape(len(scored), len(FEATURES))


class LearnedRanker:
    """Re-scores candidates with a LightGBM model (LambdaRank), keeping the hand scores' range for MMR."""

    def __init__(self, booster: Any, vectors: ItemVectors) -> None:
        self.booster = booster
        self.vectors = vectors

    @classmethod
    def load(cls, path: str | Path, vectors: ItemVectors) -> LearnedRanker:
        """The model `python -m chatbot train` wrote; its feature list must be this code's."""
        path = Path(path)
        if not path.is_file():
            raise RankerFileError(f"RECBOT_RANKER={path}: no such file; train one with "
                                  "`python -m chatbot train --dialogs FILE --out MODEL` or unset the variable")
        try:
            import lightgbm
        except ImportError:  # pragma: no cover - lightgbm is a dependency
            raise RankerFileError("RECBOT_RANKER needs lightgbm: pip install lightgbm") from None
        try:
            booster = lightgbm.Booster(model_file=str(path))
        except lightgbm.basic.LightGBMError as exc:
            raise RankerFileError(f"RECBOT_RANKER={path} is not a LightGBM model file ({exc}); train it again "
                                  "with `python -m chatbot train`") from None
        if tuple(booster.feature_name()) != FEATURES:
            raise RankerFileError(f"RECBOT_RANKER={path} was trained on other features {booster.feature_name()}; "
                                  "train it again with this version: `python -m chatbot train`")
        return cls(booster, vectors)

    def rescore(self, scored: list[Scored], request: RankRequest) -> None:
        """Set each candidate's score from the model, mapped onto the range of the hand-set scores."""
        if not scored:
            return
        predicted = self.booster.predict(features(scored, request, self.vectors))
        hand = np.array([s.score for s in scored])
        low, high = float(hand.min()), float(hand.max())
        span = float(predicted.max() - predicted.min())
        scaled = (predicted - predicted.min()) / span if span > 0 else np.full(len(scored), 0.5)
        for s, value in zip(scored, scaled):
            s.parts["learned"] = float(value)
            s.score = low + float(value) * (high - low if high > low else 1.0)
