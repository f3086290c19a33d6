"""Rebuild data/movies_sample.jsonl deterministically from ../shared/data/movies/catalog.jsonl.

Usage: python data/build_sample.py [SOURCE] [OUT]
Picks ~3,000 well-described films, mostly from 1970 on: the most-voted TMDB-matched ones, plus less-known
post-1970 films and a few older classics so the long tail and "older films" have something to find.
Descriptions are Wikipedia text (CC BY-SA); see data/README.md for attribution.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent.parent / "shared" / "data" / "movies" / "catalog.jsonl"
OUT = HERE / "movies_sample.jsonl"

POPULAR_MODERN, LESS_KNOWN_MODERN, CLASSICS = 2300, 450, 250
MIN_DESCRIPTION = 200


def convert(row: dict) -> dict:
    """Map a source row to the app's catalog format (id, title, description, year, genres, ...)."""
    out = {
        "id": row["id"],
        "title": row["title"],
        "year": row["year"],
        "genres": row["genres"],
        "description": row["description"].strip(),
        "cast": row.get("cast") or [],
        "image_url": row.get("image_url"),
        "url": row.get("wikipedia_url"),
    }
    if row.get("tmdb_vote_count") is not None:
        out["popularity"] = row["tmdb_vote_count"]
    if row.get("plot_overview") and row["plot_overview"] not in out["description"]:
        out["plot_overview"] = row["plot_overview"].strip()  # what happens in the film (TMDB), embedded first
    if row.get("original_language"):
        out["original_language"] = row["original_language"]  # ISO 639-1 ("ko"): RECBOT_LANGUAGE_FIELD
    if row.get("tmdb_vote_average") is not None and row.get("tmdb_vote_count") is not None:
        out["rating"], out["votes"] = row["tmdb_vote_average"], row["tmdb_vote_count"]  # RECBOT_RATING_FIELD etc.
    return out


def main(source: Path = SOURCE, out: Path = OUT) -> None:
    """Select, convert and write the sample catalog."""
    rows = [json.loads(line) for line in source.open(encoding="utf-8")]
    good = [r for r in rows if len(r["description"]) >= MIN_DESCRIPTION and "Silent" not in r["genres"]]
    modern = [r for r in good if r["year"] >= 1970]
    by_votes = sorted((r for r in modern if r.get("tmdb_vote_count")), key=lambda r: (-r["tmdb_vote_count"], r["id"]))
    less_known = sorted((r for r in modern if not r.get("tmdb_vote_count") and r.get("cast")),
                        key=lambda r: (-len(r["description"]), r["id"]))
    classics = sorted((r for r in good if r["year"] < 1970 and r.get("tmdb_vote_count")),
                      key=lambda r: (-r["tmdb_vote_count"], r["id"]))
    chosen = by_votes[:POPULAR_MODERN] + less_known[:LESS_KNOWN_MODERN] + classics[:CLASSICS]
    chosen.sort(key=lambda r: (r["year"], r["title"], r["id"]))
    tmp = out.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        for row in chosen:
            handle.write(json.dumps(convert(row), ensure_ascii=False) + "\n")
    tmp.replace(out)
    print(f"wrote {len(chosen)} items to {out}")


if __name__ == "__main__":
    main(*(Path(a) for a in sys.argv[1:3]))
