"""Load and validate a catalog of items from JSONL or CSV; any domain, not only films."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterator

from retrieval.credits import DERIVED_FIELD, DIRECTOR_FIELDS, SOURCE_FIELD, directors_in, sources_in
from retrieval.name_keys import name_key

MAX_LINE_BYTES = 1_000_000  # one item is a few KB; a longer line is a broken file, not an item
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")  # how a lone surrogate can enter through JSON text
REQUIRED = ("id", "title", "description")
LIST_FIELDS = ("genres", "tags")
KNOWN = {"id", "title", "description", "year", "genres", "tags", "image_url", "url", "popularity"}


# Fields, in order of preference, whose text says what happens in an item (films' overviews, a course's synopsis).
PLOT_FIELDS = ("plot_overview", "plot", "overview", "synopsis")


class CatalogError(ValueError):
    """The catalog file cannot be used; the message names file, line and field."""


@dataclass(frozen=True)
class Item:
    """One catalog entry; `extra` keeps every field the catalog has beyond the known ones."""

    id: str
    title: str
    description: str
    year: int | None = None
    genres: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    image_url: str | None = None
    url: str | None = None
    popularity: float | None = None
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def label(self) -> str:
        """Title with year, as shown to people."""
        return f"{self.title} ({self.year})" if self.year else self.title

    @cached_property  # read ~9 times per item while the engine is built (335k calls for the 38k catalog)
    def facets(self) -> tuple[str, ...]:
        """Genres and tags, lower-cased: the vocabulary interests are grounded in."""
        return tuple(dict.fromkeys(v.lower() for v in (*self.genres, *self.tags)))

    def links(self) -> dict[str, tuple[str, ...]]:
        """List-valued extra fields (cast, authors, brand...) that link items to each other."""
        return {k: tuple(str(x) for x in v) for k, v in self.extra.items() if isinstance(v, list) and v}

    @property
    def plot_field(self) -> str | None:
        """The first plot-style field (see PLOT_FIELDS) the item has text in, else None."""
        return next((n for n in PLOT_FIELDS if isinstance(v := self.extra.get(n), str) and v.strip()), None)

    @property
    def plot(self) -> str | None:
        """What happens in the item, from its plot_field, whitespace collapsed; else None."""
        name = self.plot_field
        return " ".join(self.extra[name].split()) if name else None

    @property
    def story(self) -> str:
        """Plot and summary without the title: what a topic is looked for in ("War Dogs is a 2016 film" says nothing
        about dogs)."""
        return f"{self.plot or ''} {self.description}".replace(self.title, " ")

    def embedding_text(self) -> str:
        """The text that represents the item in the vector index: what it is about first, then its summary."""
        head = self.label
        if self.facets:
            head += ". " + ", ".join(self.facets)
        # Plot text first: the encoder reads ~256 word pieces, and a summary often opens with production facts
        # ("a 2015 American film directed by ...") that say nothing about the story.
        plot = self.plot
        body = f"{plot} {self.description}" if plot and plot not in self.description else self.description
        return f"{head}. {body}"


@dataclass
class Catalog:
    """Items in file order with an id index."""

    items: list[Item]
    path: Path | None = None
    # Index fingerprints of these items, by store settings (ItemStore.catalog_fingerprint): computing one reads
    # every item (~0.4 s at 38k), and the grounding cache keeps them with the pickled catalog.
    fingerprints: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _links: dict[str, dict[str, list[str]]] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.by_id = {item.id: item for item in self.items}

    def attribute_links(self) -> dict[str, dict[str, list[str]]]:
        """attribute value (name_key: "robert downey jr") -> field -> item ids: the light knowledge graph, built once
        per catalog."""
        if self._links is None:
            graph: dict[str, dict[str, list[str]]] = {}
            for item in self.items:
                for field_name, values in item.links().items():
                    for value in values:
                        graph.setdefault(name_key(value), {}).setdefault(field_name, []).append(item.id)
            self._links = graph  # plain dicts: the grounding cache pickles it with the catalog (~0.4 s at 38k)
        return self._links

    def __len__(self) -> int:
        return len(self.items)

    def get(self, item_id: str) -> Item | None:
        """Item by id, or None."""
        return self.by_id.get(item_id)


def _fail(path: Path, line: int | None, field_name: str | None, message: str) -> CatalogError:
    where = f"{path}" + (f", line {line}" if line else "") + (f", field {_quoted(field_name)}" if field_name else "")
    return CatalogError(f"{where}: {message}")


def _quoted(field_name: str) -> str:
    # Field names come from the file: one with a quote or a line break in it is shown JSON-escaped, so the message
    # still says unambiguously where the field's name ends.
    if "'" in field_name or not field_name.isprintable():
        return json.dumps(field_name, ensure_ascii=False)
    return f"'{field_name}'"


def _as_list(value: Any, path: Path, line: int, name: str) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):  # CSV cells: "a|b" or "a;b" or a JSON array
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except (ValueError, RecursionError):
                raise _fail(path, line, name, "looks like a JSON list but does not parse") from None
        else:
            sep = "|" if "|" in text else ";" if ";" in text else ","
            value = [p.strip() for p in text.split(sep)]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(path, line, name, f"must be a list of strings, got {type(value).__name__}")
    return tuple(v.strip() for v in value if v.strip())


def _blank(value: Any) -> bool:
    # CSV exports write " " for an empty cell as often as "".
    return value is None or (isinstance(value, str) and not value.strip())


def _as_year(value: Any, path: Path, line: int) -> int | None:
    if _blank(value):
        return None
    if isinstance(value, str) and value.strip().lstrip("-").isdecimal() and len(value) < 10:
        value = int(value)  # isdecimal, not isdigit: int() takes "１９９９" but not "²"
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 10000:
        raise _fail(path, line, "year", f"must be a whole year like 1999, got {value!r}")
    return value


def _as_popularity(value: Any, path: Path, line: int) -> float | None:
    if _blank(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an integer beyond any float
        number = math.nan
    if isinstance(value, bool) or not math.isfinite(number) or number < 0:
        raise _fail(path, line, "popularity", f"must be a non-negative number, got {value!r}")
    return number


def _as_optional_text(value: Any, path: Path, line: int, name: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise _fail(path, line, name, f"must be text, got {type(value).__name__}")
    return value.strip() or None


def item_from_record(record: Any, path: Path, line: int) -> Item:
    """Validate one raw record into an Item or raise CatalogError naming the line and field."""
    if not isinstance(record, dict):
        raise _fail(path, line, None, f"each line must be a JSON object, got {type(record).__name__}")
    for name in REQUIRED:
        value = record.get(name)
        if name == "id" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # numeric ids are common in shop exports
        if value is None:
            raise _fail(path, line, name, "is required but missing")
        if not isinstance(value, str):
            raise _fail(path, line, name, f"must be text, got {type(value).__name__}")
        if not value.strip():
            raise _fail(path, line, name, "is required but empty")
    extra = {k: v for k, v in record.items() if k not in KNOWN and v not in (None, "", [])}
    description = " ".join(record["description"].split())
    if not any(name in extra for name in DIRECTOR_FIELDS) and (directors := directors_in(description)):
        extra[DERIVED_FIELD] = list(directors)  # who made a film links it to their others, like its cast does
    if SOURCE_FIELD not in extra and (sources := sources_in(description)):
        extra[SOURCE_FIELD] = list(sources)  # ... and whose novel it was: The Notebook to Dear John (Nicholas Sparks)
    return Item(
        id=str(record["id"]).strip(),
        title=record["title"].strip(),
        description=description,
        year=_as_year(record.get("year"), path, line),
        genres=_as_list(record.get("genres"), path, line, "genres"),
        tags=_as_list(record.get("tags"), path, line, "tags"),
        image_url=_as_optional_text(record.get("image_url"), path, line, "image_url"),
        url=_as_optional_text(record.get("url"), path, line, "url"),
        popularity=_as_popularity(record.get("popularity"), path, line),
        extra=extra,
    )


def _text_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Yield (line number, decoded line), refusing binary files and over-long lines without reading them whole."""
    with path.open("rb") as handle:
        number = 0
        while True:
            raw = handle.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            number += 1
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                raise _fail(path, number, None, f"line is longer than {MAX_LINE_BYTES:,} bytes; is this a catalog?")
            if b"\x00" in raw:
                raise _fail(path, number, None, "contains NUL bytes: this looks like a binary file, not JSONL/CSV")
            try:
                yield number, raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise _fail(path, number, None, f"is not UTF-8 text ({exc.reason}); save the file as UTF-8") from None


def _not_text(value: Any) -> bool:
    """True if value is or holds a string with a lone surrogate: legal as a JSON escape, but not Unicode text."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, list):
        return any(_not_text(v) for v in value)
    if isinstance(value, dict):
        return any(_not_text(k) or _not_text(v) for k, v in value.items())
    return False


def _field_not_text(record: Any) -> str | None:
    """The first field (name escaped) whose name or value is not Unicode text; None if not a JSON object."""
    if not isinstance(record, dict):
        return None
    bad = next((k for k, v in record.items() if _not_text(k) or _not_text(v)), None)
    return None if bad is None else bad.encode("utf-8", "backslashreplace").decode("utf-8")


def _parse_json_line(path: Path, number: int, text: str) -> Any:
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(path, number, None, f"is not valid JSON ({exc.msg} at column {exc.colno})") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise _fail(path, number, None, f"is not usable JSON ({exc})") from None
    except RecursionError:
        raise _fail(path, number, None, "is JSON nested too deeply to be a catalog item") from None
    if SURROGATE_ESCAPE.search(text) and _not_text(record):
        raise _fail(path, number, _field_not_text(record),
                    "has a lone surrogate escape (\\udXXX), which is not text; re-export the file as UTF-8")
    return record


def _jsonl_records(path: Path) -> Iterator[tuple[int, Any]]:
    for number, text in _text_lines(path):
        if text.strip():
            yield number, _parse_json_line(path, number, text)


def _csv_records(path: Path) -> Iterator[tuple[int, Any]]:
    lines = list(_text_lines(path))  # validated text first, then parsed as CSV
    # newline="": the csv module handles \r, \n and \r\n itself, also inside quoted cells.
    reader = csv.DictReader(io.StringIO("".join(text for _, text in lines), newline=""))
    try:
        if not reader.fieldnames:
            return
        missing = [name for name in REQUIRED if name not in reader.fieldnames]
        if missing:
            raise _fail(path, 1, missing[0], f"CSV header lacks required column(s) {', '.join(missing)}")
        for row in reader:
            yield reader.line_num, {k: v for k, v in row.items() if k is not None}
    except csv.Error as exc:
        raise _fail(path, max(reader.line_num, 1), None, f"is not valid CSV ({exc})") from None


def load_catalog(path: str | Path) -> Catalog:
    """Read and validate a whole catalog; raises CatalogError on the first problem, naming file, line and field."""
    path = Path(path)
    if not path.is_file():
        raise CatalogError(f"{path}: catalog file not found (set RECBOT_CATALOG or pass --catalog)")
    suffix = path.suffix.lower()
    if suffix not in (".jsonl", ".csv", ".json"):
        raise CatalogError(f"{path}: unknown catalog format '{suffix}'; use .jsonl (one JSON object per line) or .csv")
    try:
        records = _csv_records(path) if suffix == ".csv" else _jsonl_records(path)
        items: list[Item] = []
        first_line: dict[str, int] = {}
        for number, record in records:
            item = item_from_record(record, path, number)
            if item.id in first_line:
                raise _fail(path, number, "id", f"duplicate id '{item.id}' (first seen on line {first_line[item.id]})")
            first_line[item.id] = number
            items.append(item)
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read the file ({exc.strerror})") from None
    if not items:
        raise CatalogError(f"{path}: the catalog is empty; it needs at least one item with id, title, description")
    return Catalog(items, path)


HEAD_SHARE = 0.10  # "best known" = the 10% most popular catalog items; the rest is the long tail


def popular_head(catalog: Catalog, share: float = HEAD_SHARE) -> set[str]:
    """Ids of the `share` most popular catalog items (by the popularity field; items without it are not popular)."""
    known = sorted((i for i in catalog.items if i.popularity is not None), key=lambda i: (-(i.popularity or 0), i.id))
    return {i.id for i in known[: int(len(catalog) * share)]}
