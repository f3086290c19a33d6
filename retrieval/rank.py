"""Rank catalog items for a profile: similarity, facets, liked-item neighbours, log, rating, long tail, then
series-aware MMR diversity."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Protocol

import numpy as np

from chatbot.types import Constraints
from retrieval.catalog import Item
from retrieval.diversity import diversify
from retrieval.likeness import (ANIMATION_GENRES, FAMILY_GENRES, FOR_FAMILIES, KIDS_EXCLUDE, KIDS_NEVER, Likeness,
                                asked_kinds, billed, echoes_liked, kinds_matched, links_weight, made_by_all,
                                wanted_share)
from retrieval.rank_weights import RankWeights
from retrieval.series import outside_series_of
from retrieval.store import SearchHit
from retrieval.title_words import echo_words, shared_words, tells_of, title_words, topic_stems
from retrieval.vectors import ItemVectors

PRIOR_CANDIDATES = 100  # the items people pick most always compete, whatever the query found
# Filtered candidates: Chroma's own filter first evaluates the where-clause over all stored metadata (57-160 ms
# for a genre filter on the 38k catalog, ~350 ms at 200k), while an unfiltered k=800 query takes 14 ms. So a
# broad filter over-fetches unfiltered and filters here, up to this many hits; a narrower one, like vector
# databases' flat-search cutoff, scans the few allowed rows exactly in memory (5k x 384 floats: under 1 ms).
MAX_POST_FILTER_FETCH = 2000
CONVERSATION_CANDIDATES = 100  # nearest items to the conversation's text that always compete
TOPIC_CANDIDATES = 30  # best-known items whose story holds a topic asked for without a liked film
NAMED_CANDIDATES = 50  # the best-known items of each genre (in a genre-only request) and person named always compete
# ... and of each genre asked for beside other things ("action and comedy, like The Commuter"): Die Hard was no
# candidate, being neither near the words and the named film nor in the log. The score decides among them.
GENRE_CANDIDATES = 30
FULL_DISLIKE = 2.0  # an item's weight at which likeness to it costs in full: "I hated X" (a named item's strength)
CLEAR_AVERSION = -0.5  # a weight at or below which what was said no to (kind, person, topic) is a filter
# Gore said no to ("not gory") is a no to the slasher genres and to stories that tell of it: Saw, Terrifier and The
# Human Centipede are no slashers by their genres. Not "gore" itself: Gore Verbinski directed The Ring.
GORE_GENRES = ("genre:slasher", "genre:splatter")
GORE_TOLD = [(stem,) for stem in ("sadist", "tortur", "gruesome", "gory", "dismember", "mutilat", "cannibal",
                                  "chainsaw", "bloodbath", "splatter")]
MIN_CANDIDATES = 200  # fewer than this after filtering and exclusions: top up with the best-known allowed items


class Searcher(Protocol):
    """What ranking needs from the store."""

    def search(self, query: np.ndarray, k: int = 10, where: dict | None = None, *,
               metadata: bool = True) -> list[SearchHit]: ...


@dataclass
class RankRequest:
    """Everything ranking needs to know about the person for this turn."""

    positives: dict[str, float]  # facet -> weight > 0
    negatives: dict[str, float] = field(default_factory=dict)  # facet -> weight < 0
    turn_text: str = ""
    conversation_text: str = ""  # what the person said so far, newest first: one more query, and a score part
    constraints: Constraints = field(default_factory=Constraints)
    exclude_ids: set[str] = field(default_factory=set)
    k: int = 5
    candidates: int = 200
    acclaimed: bool = False  # the person asked for well-regarded items
    hidden: bool = False  # ... that few people know ("underrated", "hidden gems")
    best_of_all: bool = False  # ... as all there is to go on ("the best films ever made"), not as a vague "any good?"
    whole_series: bool = False  # the person asked for a series: no cap on items of one series
    other_series: bool = False  # "no more sequels": nothing of the series of the items the conversation holds

    @property
    def acclaim_only(self) -> bool:
        """The best regarded is all there is to go on: acclaim asked for, nothing liked yet."""
        return self.best_of_all and not self.positives


@dataclass
class Scored:
    """A ranked item with its score parts and the evidence explanations are built from."""

    item_id: str
    score: float
    parts: dict[str, float]
    matched_facets: list[str] = field(default_factory=list)
    similar_to: str | None = None  # liked item it is most similar to
    similar_score: float = 0.0
    shared: list[tuple[str, str]] = field(default_factory=list)  # (liked item id or "", "cast:Name")
    co_liked_with: str | None = None
    popularity_pct: float = 0.0


class Rescorer(Protocol):
    """A second stage that sets each candidate's score from its features (e.g. a LightGBM LambdaRank model)."""

    def rescore(self, scored: list[Scored], request: RankRequest) -> None: ...


CollaborativeSignal = Callable[[list[str]], dict[str, tuple[float, str]]]  # liked ids -> id -> (score, via id)


class Ranker:
    """Turns a RankRequest into a diverse, explained top-k list using the store and in-memory vectors."""

    def __init__(
        self,
        searcher: Searcher,
        vectors: ItemVectors,
        weights: RankWeights | None = None,
        collaborative: CollaborativeSignal | None = None,
        prior: Mapping[str, float] | None = None,
        learned: Rescorer | None = None,
    ) -> None:
        """prior: item id -> [0, 1], how often people pick the item (e.g. CoOccurrence.prior from a log);
        learned: a trained second stage that re-scores the candidates (retrieval.learned_rank), else the weights."""
        self.searcher = searcher
        self.vectors = vectors
        self.weights = weights or RankWeights()
        self.collaborative = collaborative
        self.prior = dict(prior or {})
        self.learned = learned
        self.prior_top = sorted(self.prior, key=lambda i: -self.prior[i])[:PRIOR_CANDIDATES]
        # Only facets some indexed item has can change a filter; ItemVectors already indexes them.
        kids_genres = [g for g in FAMILY_GENRES if g in vectors.facet_rows] or [g for g in ANIMATION_GENRES
                                                                                if g in vectors.facet_rows]
        self.kids_rows = vectors.allowed_rows(None, None, kids_genres, []) if kids_genres else None
        self.kids_exclude = [g for g in KIDS_EXCLUDE if g in vectors.facet_rows]

    # --- query ---------------------------------------------------------------------------------------
    def facet_vector(self, facet: str) -> np.ndarray | None:
        """A vector for a facet: an item's own vector, or the embedded facet text."""
        kind, _, value = facet.partition(":")
        if kind == "item":
            return self.vectors.told_vector(value) if self.vectors.has(value) else None
        return self.vectors.text_vector(value) if value else None

    def query_vector(self, request: RankRequest, weights: RankWeights) -> np.ndarray | None:
        """Weighted positive interests + this turn (weighted up) - dislikes, as one unit vector."""
        dim = self.vectors.matrix.shape[1]
        query = np.zeros(dim, dtype=np.float32)
        total = 0.0
        for facet, weight in request.positives.items():
            vector = self.facet_vector(facet)
            if vector is not None:
                query += weight * vector
                total += weight
        if request.turn_text.strip() and weights.turn:
            query += weights.turn * max(1.0, total) * self.vectors.text_vector(request.turn_text)
        elif not total:  # only dislikes: what lies opposite them is no interest ("I hated Titanic": silent shorts)
            return None
        for facet, weight in request.negatives.items():
            vector = self.facet_vector(facet)
            if vector is not None:
                query -= weights.negative_query * abs(weight) * vector
        norm = float(np.linalg.norm(query))
        return query / norm if norm > 1e-6 else None

    # --- filters -------------------------------------------------------------------------------------
    def filter_for(self, constraints: Constraints, negatives: dict[str, float]) -> tuple[list[str], list[str]]:
        """(include, exclude) facet lists: explicit constraints, kids mode's exclusions, strongly disliked genres."""
        include = list(constraints.include_genres)
        exclude = list(constraints.exclude_genres)
        if constraints.kids:
            # ... but a kind asked for stays: "a scary movie for kids" is a family film that is a horror film too
            exclude += [g for g in self.kids_exclude
                        if g not in exclude and (g in KIDS_NEVER or g not in constraints.include_genres)]
        for facet, weight in negatives.items():
            kind, _, value = facet.partition(":")
            # A clear aversion acts as a filter while it lasts; as it decays above CLEAR_AVERSION, a soft push.
            if kind in ("genre", "tag") and weight <= CLEAR_AVERSION and value not in exclude:
                exclude.append(value)
        include = [g for g in include if g not in exclude]
        return include, exclude

    def allowed_for(self, request: RankRequest) -> np.ndarray:
        """Boolean mask over rows of what the request may be answered with: its years and genres (each kind of a
        "romantic comedy" while that leaves an answer), in kids mode family films only, whatever else was asked."""
        constraints = request.constraints
        include, exclude = self.filter_for(constraints, request.negatives)
        bounds = (constraints.year_min, constraints.year_max, include, exclude)
        allowed = self.vectors.allowed_rows(*bounds, every=constraints.together)
        if constraints.together and allowed.sum() < request.k:  # too narrow for both: any of them
            allowed = self.vectors.allowed_rows(*bounds)
        if constraints.kids and self.kids_rows is not None:
            allowed &= self.kids_rows
        if constraints.languages:  # kept only while it leaves an answer: "Japanese animation", then "and musicals"
            spoken = allowed & self.vectors.language_rows(constraints.languages)
            allowed = spoken if spoken.sum() >= request.k else allowed
        if constraints.exclude_languages:
            allowed &= ~self.vectors.language_rows(constraints.exclude_languages)
        for facet, weight in request.negatives.items():
            kind, _, value = facet.partition(":")
            if kind == "person" and weight <= CLEAR_AVERSION:  # "no Stallone please": none of his films
                allowed[self.vectors.rows_with(value)] = False
        return allowed

    def allowed_search(self, allowed: np.ndarray) -> Callable[[np.ndarray, int], list[SearchHit]]:
        """A search for the k nearest items among the allowed rows (a mask from ItemVectors.allowed_rows)."""
        if allowed.all():
            return lambda vector, k: self.searcher.search(vector, k=k, metadata=False)
        share = float(allowed.mean())
        row = self.vectors.row

        def nearest(vector: np.ndarray, k: int) -> list[SearchHit]:
            fetch = int(np.ceil(1.5 * k / share)) if share > 0 else MAX_POST_FILTER_FETCH + 1
            if fetch <= MAX_POST_FILTER_FETCH:
                found = self.searcher.search(vector, k=fetch, metadata=False)
                hits = [hit for hit in found if hit.item_id in row and allowed[row[hit.item_id]]]
                if len(hits) >= k or len(found) < fetch:  # enough, or every allowed item is in
                    return hits[:k]
            rows = np.flatnonzero(allowed)
            sims = self.vectors.matrix[rows] @ (vector / max(float(np.linalg.norm(vector)), 1e-9))
            top = np.argpartition(-sims, k)[:k] if len(rows) > k else np.arange(len(rows))
            top = top[np.argsort(-sims[top], kind="stable")]
            return [SearchHit(self.vectors.ids[rows[i]], float(sims[i]), {}) for i in top]

        return nearest

    # --- ranking -------------------------------------------------------------------------------------
    def rank(self, request: RankRequest, weights: RankWeights | None = None) -> list[Scored]:
        """The top-k items for the request, scored, explained and diversified."""
        weights = weights or self.weights
        scored, matrix = self.score(request, weights)
        if self.learned is not None and scored:
            self.learned.rescore(scored, request)
        # A series asked for by its name is no series to cap ("I love James Bond films": a name no film is titled)
        named = {f"linked:name:{f.partition(':')[2]}" for f in request.positives if f.startswith("phrase:")}
        asked = bool(named) and any(named & self.vectors.series_keys(c.item_id).declared
                                    for c in scored[:request.k * 5])
        cap = None if request.whole_series or asked else weights.series_cap
        spread = 1.0 if request.whole_series else weights.mmr_lambda  # "all the Alien films": alike is what is asked
        picked = diversify([c.item_id for c in scored], [c.score for c in scored], matrix, self.vectors, request.k,
                           spread, cap, weights.less_known_every)
        return [scored[i] for i in picked]

    def score(self, request: RankRequest, weights: RankWeights | None = None) -> tuple[list[Scored], np.ndarray]:
        """Every candidate for the request with its score parts and evidence, and their vectors (rows alike)."""
        weights = weights or self.weights
        catalog = self.vectors.catalog
        allowed = self.allowed_for(request)
        liked = [v for f, _ in sorted(request.positives.items(), key=lambda p: -p[1])
                 for k, _, v in [f.partition(":")] if k == "item" and self.vectors.has(v)]
        disliked = [v for f in request.negatives for k, _, v in [f.partition(":")]
                    if k == "item" and self.vectors.has(v)]
        excluded = set(request.exclude_ids) | set(liked) | set(disliked)

        # Candidates: the profile query, each liked item's neighbourhood, and items linked to liked ones.
        candidates: dict[str, float] = {}
        query = self.query_vector(request, weights)
        nearest = self.allowed_search(allowed)
        if query is not None:
            for hit in nearest(query, request.candidates):
                candidates[hit.item_id] = hit.score
        for item_id in liked[:5]:
            for hit in nearest(self.vectors.told_vector(item_id), 30):
                candidates.setdefault(hit.item_id, 0.0)
            for others in self.vectors.items_linked_to(item_id).values():
                for other in others[:20]:
                    candidates.setdefault(other, 0.0)
            for other in self.vectors.series_of(item_id) if request.whole_series else ():  # "all the Alien films":
                candidates.setdefault(other, 0.0)  # its films, which its title no longer finds by meaning
        likeness = Likeness([catalog.by_id[i] for i in liked[:5]], self.vectors.language_of, self.vectors.common_facets)
        if likeness.language:  # Parasite and Oldboy: the best-known Korean films compete too
            for item_id in self.vectors.most_popular(allowed & self.vectors.language_rows([likeness.language]),
                                                     GENRE_CANDIDATES):
                candidates.setdefault(item_id, 0.0)
        text = request.conversation_text.strip()  # the conversation's text: one more query, when it counts
        talk = self.vectors.text_vector(text) if weights.conversation and text else None
        if talk is not None:
            for hit in nearest(talk, CONVERSATION_CANDIDATES):
                candidates.setdefault(hit.item_id, 0.0)
        people = {v: w for f, w in request.positives.items() for k, _, v in [f.partition(":")] if k == "person"}
        # "a good movie for kids", "I hated Titanic": only a filter or a dislike, so the request is broad as well.
        filter_only = not request.positives and (not request.constraints.is_empty() or bool(request.negatives))
        broad = filter_only or self.names_only_genres_and_people(request)
        # liked items say what the hidden gems are like; "the best movies ever made" has the best known to go by
        if filter_only or (request.hidden and not liked) or request.acclaim_only:
            best = self.vectors.hidden_gems if request.hidden else self.vectors.most_popular
            for item_id in best(allowed, NAMED_CANDIDATES):
                candidates.setdefault(item_id, 0.0)
        for facet in request.positives:
            kind, _, value = facet.partition(":")
            if kind == "person":
                named = self.vectors.best_known_with(value, allowed, NAMED_CANDIDATES)
            elif kind == "genre":  # a genre-only request: the best known of the films that are it in full, too
                named = self.vectors.best_known_of(value, allowed, NAMED_CANDIDATES if broad else GENRE_CANDIDATES) + (
                    self.vectors.best_known_leading(value, allowed, NAMED_CANDIDATES) if broad else [])
            else:
                continue
            for item_id in named:
                candidates.setdefault(item_id, 0.0)
        if weights.story:  # "a movie about dogs": the best-known films about dogs compete too
            for stems, _ in topic_stems(request.positives):
                for item_id in self.vectors.best_known_about(stems, allowed, TOPIC_CANDIDATES):
                    candidates.setdefault(item_id, 0.0)
        collab = self._collaborative(liked, request, disliked, weights)
        for item_id in list(collab)[:100]:
            candidates.setdefault(item_id, 0.0)
        if weights.prior:
            for item_id in self.prior_top:
                candidates.setdefault(item_id, 0.0)
        ids = self._usable(candidates, excluded, allowed)
        if len(ids) < max(request.k, MIN_CANDIDATES):
            # Little is known yet, or a narrow filter left few: the best-known items the filter allows fill up.
            ids += self._usable(self.vectors.most_popular(allowed, MIN_CANDIDATES + len(excluded)),
                                excluded | set(ids), allowed)
        if request.other_series:  # after the top-up, which brings the best-known films of the series back
            ids = outside_series_of(ids, sorted(excluded), self.vectors)
        # "not Hobbit": none of its series while the dislike is clear (Five Armies answered), unless a film of it is
        # liked (loved Alien, hated Alien 3: Aliens may come)
        refused_films = [i for i in disliked if request.negatives[f"item:{i}"] <= -FULL_DISLIKE / 2
                         and outside_series_of(liked, [i], self.vectors) == liked]
        if refused_films:
            ids = outside_series_of(ids, refused_films, self.vectors)
        if request.hidden:  # a gem is rated well by the few who know it: no film nobody rated ((Untitled), Screwed)
            rated = [i for i in ids if self.vectors.rating[self.vectors.row[i]]]
            ids = rated if len(rated) >= request.k else ids
        if not ids:
            return [], np.zeros((0, self.vectors.matrix.shape[1]), dtype=np.float32)
        matrix = self.vectors.matrix[[self.vectors.row[i] for i in ids]]
        relevance = matrix @ query if query is not None else np.zeros(len(ids), dtype=np.float32)
        conversation = matrix @ talk if talk is not None else None
        # Liked items' own vectors score a pick (measured: better than without their titles), and their vectors
        # without titles say which one it is close to in content ("Heat": Pulp Fiction, not Some Like It Hot).
        liked_sims = matrix @ self.vectors.matrix[[self.vectors.row[i] for i in liked]].T if liked else None
        told_sims = matrix @ np.array([self.vectors.told_vector(i) for i in liked]).T if liked else None
        # Likeness to a disliked item counts by how strongly it is disliked now ("I hated X" in full; it fades)
        disliked_sims = (matrix @ np.array([self.vectors.told_vector(i) for i in disliked]).T * np.array(
            [min(1.0, abs(request.negatives[f"item:{i}"]) / FULL_DISLIKE) for i in disliked]) if disliked else None)
        wanted = asked_kinds(request.positives)  # one per kind: "a sports movie" asks for Sports and Sport
        unwanted = asked_kinds(request.negatives)  # said no to strongly, a filter; softly ("feel-good": crime), a cost
        wanted_total, people_total = sum(wanted.values()), sum(people.values())
        asked_total = wanted_total + people_total
        liked_links = {i: self.vectors.items_linked_to(i) for i in liked[:5]}
        by_all_makers = made_by_all(list(liked_links.values())) if weights.shared_maker else set()

        said = title_words(request.turn_text) if weights.title_echo else set()
        liked_echo = {i: echo_words(catalog.by_id[i].title) for i in liked[:5]} if weights.liked_title_echo else {}
        topics = topic_stems(request.positives) if weights.story else []
        avoided = [stems for stems, _ in topic_stems(request.negatives)] if weights.story else []  # "no zombies": in full
        # ... and while said no to clearly, a filter, as a kind is ("no more dinosaurs please" kept Jurassic World)
        clear = {f: w for f, w in request.negatives.items() if w <= CLEAR_AVERSION}
        refused = [stems for stems, _ in topic_stems(clear)] if weights.story else []
        if weights.story and any(f in clear for f in GORE_GENRES):
            avoided, refused = avoided + GORE_TOLD, refused + GORE_TOLD
        top_relevance = max(float(relevance.max()), 1e-6)
        acclaim = weights.acclaim_beside_liked if liked else 1.0
        rating_weight = weights.rating + weights.rating_asked * max(float(request.hidden), request.acclaimed * acclaim)
        asked_families = request.constraints.kids or any(g in FOR_FAMILIES for g in wanted)
        # A light mood ("feel-good") says no to several dark kinds, and family films are welcome; "forget war" is none
        families = asked_families or sum(unwanted.get(g, 0.0) < 0 for g in KIDS_EXCLUDE) >= 2
        unlike = (weights.other_kind * (not wanted),  # no kinds when a genre was asked for: "a comedy like Superbad"
                  weights.other_audience * (not asked_families), weights.other_language)
        popularity_weight = weights.popularity if self.prior or not liked else weights.popularity_without_log
        foreign = weights.foreign_language * (not request.constraints.languages and not request.acclaimed)
        known_weight = weights.broad_popularity * (not request.hidden)
        # "the best movies ever made", nothing else said: the best regarded first, not all the well regarded at once
        ratings = self.vectors.acclaim if request.acclaim_only else self.vectors.rating
        scored: list[Scored] = []
        for row, item_id in enumerate(ids):
            item = catalog.by_id[item_id]
            pct = self.vectors.popularity_pct.get(item_id, 0.0)
            matched = kinds_matched(item.facets, wanted)
            item_people = billed(item) if people else {}
            has_wanted = wanted_share(item, matched, wanted, families)
            against = sum(kinds_matched(item.facets, unwanted).values())  # in full: no crime is no crime, even third
            named = sum(w * item_people[p] for p, w in people.items() if p in item_people)
            # Only for what the person asked for: in a small catalog a popular film of another genre would win. Beside
            # a liked film too, a person named brings their best known ("Woody Allen films like Sleepers": Annie Hall).
            asked = ((has_wanted + named) / asked_total if asked_total else 1.0) if broad else (
                weights.named_known * named / (people_total or 1.0))
            story = item.story.lower() if topics or avoided else ""  # lowered once, not once per topic
            told = f"{story} {item.title.lower()}" if avoided else story  # "not the Jurassic ones": titles too
            if any(tells_of(stems, told) for stems in refused):
                continue
            on_topic = sum(w for stems, w in topics if tells_of(stems, story))
            if topics and not liked and not broad:
                asked = on_topic  # "movies set in New York": the best known of the films whose story is about it
            parts = {
                "relevance": weights.relevance * float(relevance[row]),
                "facet": weights.facet * (has_wanted / (wanted_total or 1.0) + against),
                "popularity": ((popularity_weight + known_weight * asked) * pct
                               - weights.hidden_known * request.hidden * (item_id in self.vectors.best_known)),
                "long_tail": weights.long_tail * (1.0 - pct) * max(float(relevance[row]), 0.0),
            }
            if conversation is not None:
                parts["conversation"] = weights.conversation * float(conversation[row])
            if self.prior:
                parts["prior"] = weights.prior * self.prior.get(item_id, 0.0)
            if topics or avoided:
                parts["story"] = weights.story * (on_topic - sum(tells_of(st, told) for st in avoided))
            if said and shared_words(said, title_words(item.title)) == 1:  # two or more shared words: it was named
                parts["title_echo"] = -weights.title_echo * max(float(relevance[row]), 0.0) / top_relevance
            rating = float(ratings[self.vectors.row[item_id]])
            if rating and not (request.hidden and item_id in self.vectors.best_known):  # "less known": no Avengers
                parts["rating"] = (rating_weight + weights.broad_rating * asked) * rating
            result = Scored(item_id, 0.0, parts, matched_facets=list(matched), popularity_pct=pct)
            if liked_sims is not None and told_sims is not None:
                best = int(np.argmax(told_sims[row]))
                result.similar_to, result.similar_score = liked[best], float(told_sims[row, best])
                parts["liked"] = weights.liked * float(liked_sims[row].max())
            if disliked_sims is not None:
                parts["disliked"] = -weights.disliked * max(0.0, float(disliked_sims[row].max()))
            for source, links in liked_links.items():
                result.shared += [(source, link) for link, others in links.items() if item_id in others]
            if liked_echo and echoes_liked(item, liked_echo, self.vectors.series_keys, catalog.by_id):
                inflated = max(parts["relevance"], 0.0) + parts["long_tail"] + max(parts.get("liked", 0.0), 0.0)
                parts["title_echo"] = parts.get("title_echo", 0.0) - weights.liked_title_echo * inflated
            result.shared += [("", f"person:{p}") for p in people if p in item_people]
            if liked:  # what the liked items are not: another kind, audience or language
                parts["unlike_liked"] = -likeness.unlike(item, *unlike)
            if foreign and likeness.foreign(item):
                parts["foreign"] = -foreign
            parts["people"] = (weights.people * min(links_weight(result.shared), 3) / 3
                               + weights.named_people * named / (people_total or 1.0)
                               + weights.shared_maker * (item_id in by_all_makers))
            if item_id in collab:
                score, via = collab[item_id]
                parts["collaborative"] = weights.collaborative * score
                result.co_liked_with = via  # None when it came only via items shown, not liked
            result.score = sum(parts.values())
            scored.append(result)
        return scored, matrix

    def names_only_genres_and_people(self, request: RankRequest) -> bool:
        """Whether every interest is a genre or a person the catalog has (no item, free phrase or tag)."""
        parts = [f.partition(":")[::2] for f in request.positives]
        return bool(parts) and all(value in self.vectors.facet_rows if kind == "genre" else
                                   kind == "person" and value in self.vectors.linked for kind, value in parts)

    def _usable(self, candidates: Iterable[str], excluded: set[str], allowed: np.ndarray) -> list[str]:
        """Candidates that are indexed, in the catalog, allowed by the filter and not excluded, in order."""
        row, catalog = self.vectors.row, self.vectors.catalog
        return [i for i in candidates
                if i not in excluded and i in row and catalog.get(i) is not None and allowed[row[i]]]

    def _collaborative(self, liked: list[str], request: RankRequest, disliked: list[str],
                       weights: RankWeights) -> dict[str, tuple[float, str | None]]:
        """Co-occurrence with liked items, plus (weighted by `context`) with the conversation's unjudged items."""
        if not self.collaborative or not weights.collaborative:
            return {}
        context = sorted(i for i in request.exclude_ids if i not in disliked and self.vectors.has(i))
        merged: dict[str, tuple[float, str | None]] = dict(self.collaborative(liked)) if liked else {}
        if context and weights.context:
            for item_id, (score, _) in self.collaborative(context).items():
                old, via = merged.get(item_id, (0.0, None))
                merged[item_id] = (min(1.0, old + weights.context * score), via)
        return dict(sorted(merged.items(), key=lambda p: -p[1][0]))
