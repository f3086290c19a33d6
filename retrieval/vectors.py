"""In-memory item vectors and catalog-derived lookups that ranking needs on every turn."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from itertools import islice
from typing import Callable, Sequence

import numpy as np

from retrieval.catalog import Catalog, Item, popular_head
from retrieval.likeness import GENRE_ALIASES, kind_share, named_kinds
from retrieval.name_keys import name_key
from retrieval.quality import SPREAD, rating_priors
from retrieval.series import SeriesKeys, linked_series, same_series
from retrieval.title_words import tells_of, without_title


TOPIC_SCAN = 5000  # best-known items a topic is looked for in (~6 ms per phrase at 38k)
ACCLAIM_SPREAD = 5.0  # standard deviations of shrunk rating at the ends of the acclaim scale
COMMON_SHARE = 0.35  # a facet on this share of the items says little of any one ("drama"; "comedy" is on 31%)


class ItemVectors:
    """Unit vectors of every indexed item, by id; plus popularity percentiles, rating prior, attribute links."""

    def __init__(self, catalog: Catalog, ids: list[str], matrix: np.ndarray, embed: Callable[[str], np.ndarray],
                 rating_field: str = "rating", votes_field: str = "votes",
                 language_field: str = "original_language"):
        self.catalog = catalog
        self.ids = ids
        self.row = {item_id: i for i, item_id in enumerate(ids)}
        norms = np.linalg.norm(matrix, axis=1, keepdims=True) if matrix.size else np.ones((0, 1))
        self.matrix = (matrix / np.maximum(norms, 1e-9)).astype(np.float32)
        self._embed = lru_cache(maxsize=4096)(embed)  # facet phrases repeat across turns and sessions
        # A liked film's title-free vector is asked for several times a turn (query, neighbourhood, likeness): its
        # text is built and looked up once per film, not on every call.
        self._told = lru_cache(maxsize=4096)(self._told_uncached)
        self.popularity_pct = self._percentiles(catalog)
        self.best_known = popular_head(catalog)  # the head the long tail is measured against
        self.linked = catalog.attribute_links()
        self._stories: list[tuple[int, str]] | None = None  # (row, lower-cased story) of the best-known items
        # Filter columns in row order, so a year/genre filter is a few numpy operations rather than a Python loop.
        items = [catalog.get(item_id) for item_id in ids]
        self.years = np.array([np.nan if i is None or i.year is None else i.year for i in items], dtype=np.float64)
        facet_rows: dict[str, list[int]] = defaultdict(list)
        for row, item in enumerate(items):
            for facet in item.facets if item is not None else ():
                facet_rows[facet].append(row)
        self.facet_rows = {facet: np.array(rows, dtype=np.int64) for facet, rows in facet_rows.items()}
        self.common_facets = frozenset(f for f, rows in facet_rows.items() if len(rows) >= COMMON_SHARE * len(ids))
        # Per row, in [-1, 1], 0 = unknown; and with room at the top, for "the best films ever made" (most known films
        # are at 1 on the first scale)
        self.rating, self.acclaim = rating_priors(items, rating_field, votes_field, SPREAD, ACCLAIM_SPREAD)
        self.popularity = np.array([self.popularity_pct.get(i, 0.0) for i in ids], dtype=np.float32)
        self.languages = np.array([str(i.extra.get(language_field) or "").lower() if i else "" for i in items])
        self._series: dict[str, SeriesKeys] = {}
        self._linked: dict[str, str] | None = None
        self._by_lead: defaultdict[str, list[str]] | None = None  # first title word or declared series -> ids
        self._leading: dict[str, list[int]] = {}  # facet -> rows of items of that kind through and through

    def series_keys(self, item_id: str) -> SeriesKeys:
        """What tells this item's series apart (built on first use: ranking asks for a few hundred per turn)."""
        keys = self._series.get(item_id)
        if keys is None:
            if self._linked is None:  # what the items' texts say of their series: ~0.3 s at 38k, once
                self._linked = linked_series(self.catalog.items)
            keys = self._series[item_id] = SeriesKeys(self.catalog.by_id[item_id], self._linked.get(item_id))
        return keys

    def series_of(self, item_id: str) -> list[str]:
        """The other indexed items of the item's series (retrieval.series.same_series): among the items whose title
        stems open with the same word or that share a declared series."""
        if not self.has(item_id):
            return []
        keys = self.series_keys(item_id)
        if self._by_lead is None:  # ~1 s at 38k, once; the keys built here are not kept (series_keys keeps its own)
            self._by_lead = defaultdict(list)
            for other in self.ids:
                for lead in SeriesKeys(self.catalog.by_id[other], (self._linked or {}).get(other)).leads:
                    self._by_lead[lead].append(other)
        near = {o for lead in keys.leads for o in self._by_lead[lead]}
        near.discard(item_id)
        return [o for o in sorted(near) if same_series(self.series_keys(o), keys, float(
            self.matrix[self.row[o]] @ self.matrix[self.row[item_id]]))]

    @staticmethod
    def _percentiles(catalog: Catalog) -> dict[str, float]:
        # Items without popularity count as least known: in real catalogs, missing counts mean few views.
        known = sorted((item.popularity, item.id) for item in catalog.items if item.popularity is not None)
        pct = {item.id: 0.0 for item in catalog.items}
        for rank, (_, item_id) in enumerate(known):
            pct[item_id] = (rank + 1) / len(known)
        return pct

    def allowed_rows(
        self, year_min: int | None, year_max: int | None, include: list[str], exclude: list[str], every: bool = False
    ) -> np.ndarray:
        """Boolean mask over rows: in the year range (items without a year fail a range), any of include, none of
        exclude. The same rule as the store's where-filter (retrieval.store.build_where). every: each kind of
        include instead of any ("romantic comedies"; a kind's spellings, "animation" and "animated", are one)."""
        mask = np.ones(len(self.ids), dtype=bool)
        with np.errstate(invalid="ignore"):  # NaN years compare False, i.e. fail the range
            if year_min is not None:
                mask &= self.years >= year_min
            if year_max is not None:
                mask &= self.years <= year_max
        kinds: dict[str, list[str]] = {}
        for facet in include:
            kinds.setdefault(GENRE_ALIASES.get(facet, facet) if every else "", []).append(facet)
        for facets in kinds.values():
            wanted = np.zeros(len(self.ids), dtype=bool)
            for facet in facets:
                wanted[self.facet_rows.get(facet, [])] = True
            mask &= wanted
        for facet in exclude:
            mask[self.facet_rows.get(facet, [])] = False
        return mask

    def most_popular(self, allowed: np.ndarray, n: int) -> list[str]:
        """Up to n allowed items, best known first."""
        rows = np.flatnonzero(allowed)
        if len(rows) > n:
            rows = rows[np.argpartition(-self.popularity[rows], n)[:n]]
        return [self.ids[r] for r in rows[np.argsort(-self.popularity[rows], kind="stable")]]

    def regard(self, item_id: str) -> float:
        """How well regarded an item is: its shrunk rating in [-1, 1], 0 when unknown or not indexed."""
        return float(self.rating[self.row[item_id]]) if item_id in self.row else 0.0

    def language_of(self, item: Item) -> str:
        """The item's language code, lower case ("" when the catalog does not say)."""
        return str(self.languages[self.row[item.id]]) if item.id in self.row else ""

    def language_rows(self, codes: list[str]) -> np.ndarray:
        """Boolean mask over rows: items in any of these languages (ISO 639-1 codes)."""
        return np.isin(self.languages, [c.lower() for c in codes])

    def hidden_gems(self, allowed: np.ndarray, n: int) -> list[str]:
        """Up to n allowed items outside the best-known head with the best rating prior, best first."""
        mask = allowed & (self.rating > 0)
        mask[[self.row[i] for i in self.best_known if i in self.row]] = False
        rows = np.flatnonzero(mask)
        return [self.ids[r] for r in rows[np.argsort(-self.rating[rows], kind="stable")][:n]]

    def best_known_of(self, facet: str, allowed: np.ndarray, n: int) -> list[str]:
        """The n most popular allowed items that carry a facet (a genre), best known first."""
        return self._most_popular_among(self.facet_rows.get(facet, []), allowed, n)

    def best_known_with(self, value: str, allowed: np.ndarray, n: int) -> list[str]:
        """The n most popular allowed items with an attribute value (a person, any field), best known first."""
        return self._most_popular_among(self.rows_with(value), allowed, n)

    def rows_with(self, value: str) -> list[int]:
        """Rows of the items with an attribute value (a person, any field)."""
        return [self.row[i] for ids in self.linked.get(name_key(value), {}).values() for i in ids if i in self.row]

    def best_known_about(self, stems: tuple[str, ...], allowed: np.ndarray, n: int) -> list[str]:
        """Up to n allowed items whose story tells of every stem, best known first, among the TOPIC_SCAN best-known
        items: "a movie about dogs" -> Eight Below, Babe, not only the films whose vectors sit nearest the words."""
        if self._stories is None:  # built on the first topic asked for: ~0.05 s and 4 MB at 38k items
            self._stories = [(self.row[i], self.catalog.by_id[i].story.lower())
                             for i in self.most_popular(np.ones(len(self.ids), dtype=bool), TOPIC_SCAN)]
        found = (self.ids[row] for row, story in self._stories if allowed[row] and tells_of(stems, story))
        return list(islice(found, n))  # the scan stops at the n-th

    def best_known_leading(self, facet: str, allowed: np.ndarray, n: int) -> list[str]:
        """The n most popular allowed items of a kind in full for a grown-up (kind_share 1: listed first or second or
        named by their summary's opening, no family film): for "I like comedies" Superbad, which the best known of
        all films listing comedy (Toy Story, Deadpool, Shrek...) leave out. Rows found on first use per facet."""
        if facet not in self._leading:
            items = ((r, self.catalog.by_id[self.ids[r]]) for r in self.facet_rows.get(facet, []))
            self._leading[facet] = [r for r, item in items
                                    if kind_share(item.facets, facet, (), False, named_kinds(item)) == 1.0]
        return self._most_popular_among(self._leading[facet], allowed, n)

    def _most_popular_among(self, rows: Sequence[int] | np.ndarray, allowed: np.ndarray, n: int) -> list[str]:
        among = np.zeros(len(allowed), dtype=bool)
        among[rows] = True
        return self.most_popular(allowed & among, n)

    def has(self, item_id: str) -> bool:
        """True when the item is indexed."""
        return item_id in self.row

    def vector(self, item_id: str) -> np.ndarray:
        """Unit vector of an indexed item."""
        return self.matrix[self.row[item_id]]

    def told_vector(self, item_id: str) -> np.ndarray:
        """Unit vector of an indexed item's text without its title: what it is like, for the query side. The index's
        vector holds the title's meaning too, so "Heat" drew Some Like It Hot and Hot Summer Nights."""
        return self._told(item_id)

    def _told_uncached(self, item_id: str) -> np.ndarray:
        item = self.catalog.get(item_id)
        if item is None or not item.title.strip():
            return self.vector(item_id)
        return self.text_vector(without_title(item.embedding_text(), item.title))

    def text_vector(self, text: str) -> np.ndarray:
        """Unit vector of a free text (cached)."""
        vector = np.asarray(self._embed(text), dtype=np.float32)
        return vector / max(float(np.linalg.norm(vector)), 1e-9)

    def neighbours(self, item_id: str, k: int) -> list[tuple[str, float]]:
        """The k most similar items to an item (exact, over the in-memory matrix)."""
        sims = self.matrix @ self.vector(item_id)
        top = np.argpartition(-sims, min(k + 1, len(sims) - 1))[: k + 1]
        ranked = sorted(((self.ids[i], float(sims[i])) for i in top if self.ids[i] != item_id), key=lambda p: -p[1])
        return ranked[:k]

    def items_linked_to(self, item_id: str) -> dict[str, list[str]]:
        """Other items sharing an attribute value with this one: {"cast:tom hanks": [ids...]}."""
        item = self.catalog.get(item_id)
        out: dict[str, list[str]] = {}
        if item is None:
            return out
        for field_name, values in item.links().items():
            for value in values:
                others = [i for i in self.linked.get(name_key(value), {}).get(field_name, []) if i != item_id]
                if others:
                    out[f"{field_name}:{value}"] = others
        return out
