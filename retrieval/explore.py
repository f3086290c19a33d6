"""Exploration: now and then one pick of an answer is chosen to learn from, not because it scores best.

Epsilon-greedy over genres: with probability `rate` the last slot of an answer goes to the best-ranked remaining
candidate whose genres the conversation has not tried yet (not in the profile, not among the items shown so far,
not among the answer's other picks). Feedback on it then teaches the profile something the exploiting picks never
would. The draw is seeded by the session and the turn, so a conversation replays the same way.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from retrieval.rank import Scored

EXPLORE_POOL = 30  # extra ranked candidates the exploring pick is drawn from: still relevant to the request


@dataclass(frozen=True)
class ExploredPick:
    """Where the exploring pick sits in the answer and which untried genre it stands for."""

    position: int  # 0-based index in the answer
    genre: str


def turn_rng(session_id: str, turn: int) -> random.Random:
    """A random source fixed by session and turn: the same conversation explores the same way when replayed."""
    digest = hashlib.sha256(f"{session_id}\0{turn}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


class Explorer:
    """Replaces the last pick of some answers by the best candidate from a direction not tried yet."""

    def __init__(self, rate: float, genres_of: Callable[[str], Sequence[str]], pool: int = EXPLORE_POOL) -> None:
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"exploration rate must be between 0 and 1, got {rate}")
        self.rate = rate
        self.genres_of = genres_of
        self.pool = pool

    def wants_to_explore(self, rng: random.Random) -> bool:
        """Whether this answer gets an exploring pick (drawn once per turn)."""
        return rng.random() < self.rate

    def choose(self, ranked: list[Scored], k: int, tried: Iterable[str]) -> tuple[list[Scored], ExploredPick | None]:
        """The answer of k items: the first k-1 as ranked, then the best later candidate with an untried genre.

        `ranked` holds more than k items (the ranker's order, k + pool); without an untried genre among them the
        answer is the plain top k.
        """
        if k < 2 or len(ranked) <= k - 1:
            return ranked[:k], None
        keep = ranked[: k - 1]
        seen = {g.lower() for g in tried}
        for scored in keep:
            seen.update(g.lower() for g in self.genres_of(scored.item_id))
        for scored in ranked[k - 1 : k - 1 + self.pool + 1]:
            fresh = [g for g in self.genres_of(scored.item_id) if g.lower() not in seen]
            if fresh:
                return [*keep, scored], ExploredPick(len(keep), fresh[0])
        return ranked[:k], None
