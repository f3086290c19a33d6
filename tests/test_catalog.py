"""Catalog import: a table of bad inputs and the message parts they must produce, and good inputs of any domain."""

from __future__ import annotations

import json
import os
import random
import time
import tracemalloc
from pathlib import Path

import pytest

from retrieval.catalog import MAX_LINE_BYTES, CatalogError, load_catalog
from retrieval.credits import directors_in, sources_in

DATA = Path(__file__).parent / "data"

GOOD = {"id": "a", "title": "Alpha", "description": "The first item."}


def jsonl(*records: object) -> bytes:
    """JSONL bytes; str records are written verbatim so broken lines can be expressed."""
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    return ("\n".join(lines) + "\n").encode()


def with_(**changes: object) -> dict:
    """GOOD with some fields replaced; a value of ... removes the field."""
    record = {**GOOD, "id": "b", **changes}
    return {k: v for k, v in record.items() if v is not ...}


# (case id, file name, content, parts the message must contain). Every message must also name the file.
BAD_INPUTS = [
    ("missing id", "c.jsonl", jsonl(GOOD, with_(id=...)), ["line 2", "field 'id'", "missing"]),
    ("missing title", "c.jsonl", jsonl(GOOD, with_(title=...)), ["line 2", "field 'title'", "missing"]),
    ("missing description", "c.jsonl", jsonl(with_(description=...)), ["line 1", "field 'description'", "missing"]),
    ("empty id", "c.jsonl", jsonl(GOOD, with_(id="")), ["line 2", "field 'id'", "empty"]),
    ("blank title", "c.jsonl", jsonl(GOOD, with_(title="   ")), ["line 2", "field 'title'", "empty"]),
    ("empty description", "c.jsonl", jsonl(GOOD, GOOD | {"id": "c", "description": ""}),
     ["line 2", "field 'description'", "empty"]),
    ("null title", "c.jsonl", jsonl(with_(title=None)), ["line 1", "field 'title'", "missing"]),
    ("title is a number", "c.jsonl", jsonl(with_(title=1984)), ["line 1", "field 'title'", "text", "int"]),
    ("id is a bool", "c.jsonl", jsonl(with_(id=True)), ["line 1", "field 'id'", "text", "bool"]),
    ("duplicate id", "c.jsonl", jsonl(GOOD, with_(), with_(id="a")),
     ["line 3", "field 'id'", "duplicate id 'a'", "line 1"]),
    ("duplicate numeric id", "c.jsonl", jsonl(with_(id=7), with_(id="7")), ["line 2", "duplicate id '7'"]),
    ("year not a number", "c.jsonl", jsonl(GOOD, with_(year="abc")), ["line 2", "field 'year'", "'abc'"]),
    ("year fractional", "c.jsonl", jsonl(with_(year=1999.5)), ["line 1", "field 'year'", "1999.5"]),
    ("year a bool", "c.jsonl", jsonl(with_(year=True)), ["field 'year'"]),
    ("year out of range", "c.jsonl", jsonl(with_(year=-5)), ["field 'year'", "-5"]),
    ("genres a number", "c.jsonl", jsonl(GOOD, with_(genres=5)), ["line 2", "field 'genres'", "list of strings"]),
    ("tags hold numbers", "c.jsonl", jsonl(with_(tags=["ok", 3])), ["line 1", "field 'tags'", "list of strings"]),
    ("popularity negative", "c.jsonl", jsonl(with_(popularity=-1)), ["line 1", "field 'popularity'", "non-negative"]),
    ("popularity NaN", "c.jsonl", jsonl('{"id": "n", "title": "T", "description": "D", "popularity": NaN}'),
     ["line 1", "field 'popularity'"]),
    ("popularity text", "c.jsonl", jsonl(with_(popularity="lots")), ["field 'popularity'", "'lots'"]),
    ("url not text", "c.jsonl", jsonl(with_(url=["x"])), ["field 'url'", "text"]),
    ("line is a JSON array", "c.jsonl", jsonl(GOOD, '["b", "Beta", "Second"]'), ["line 2", "JSON object", "list"]),
    ("line is a JSON string", "c.jsonl", jsonl('"just text"'), ["line 1", "JSON object", "str"]),
    ("invalid JSON", "c.jsonl", jsonl(GOOD, '{"id": "b", "title": '), ["line 2", "not valid JSON"]),
    ("trailing comma", "c.jsonl", jsonl(GOOD, with_(), '{"id": "z",}'), ["line 3", "not valid JSON"]),
    ("empty file", "c.jsonl", b"", ["empty"]),
    ("whitespace-only file", "c.jsonl", b"  \n\n\t \n", ["empty"]),
    ("binary file with NUL bytes", "c.jsonl", b"\x00\x01" + random.Random(0).randbytes(4000),
     ["line 1", "NUL", "binary"]),
    ("PNG image renamed", "c.jsonl", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(1).randbytes(2000),
     ["line 1", "not UTF-8"]),
    ("NUL inside a JSON line", "c.jsonl", jsonl(GOOD) + b'{"id": "b\x00"}\n', ["line 2", "NUL"]),
    ("not UTF-8", "c.jsonl", jsonl(GOOD) + '{"id": "b", "title": "Amélie", "description": "x"}\n'.encode("latin-1"),
     ["line 2", "UTF-8"]),
    ("unknown extension", "c.txt", jsonl(GOOD), ["unknown catalog format '.txt'", ".jsonl", ".csv"]),
    ("no extension", "catalog", jsonl(GOOD), ["unknown catalog format"]),
    ("CSV header lacks description", "c.csv", b"id,title,year\n1,Alpha,1999\n",
     ["line 1", "field 'description'", "lacks required column", "description"]),
    ("CSV header lacks two columns", "c.csv", b"id,name\n1,Alpha\n", ["line 1", "field 'title'", "title, description"]),
    ("CSV empty title cell", "c.csv", b"id,title,description\n1,Alpha,First\n2,,Second\n",
     ["line 3", "field 'title'", "empty"]),
    ("CSV year not a number", "c.csv", b"id,title,description,year\n1,Alpha,First,19x9\n",
     ["line 2", "field 'year'", "19x9"]),
    ("CSV duplicate id", "c.csv", b"id,title,description\n1,Alpha,First\n1,Beta,Second\n",
     ["line 3", "duplicate id '1'", "line 2"]),
    ("CSV broken JSON list cell", "c.csv", b'id,title,description,genres\n1,Alpha,First,"[""a"", "\n',
     ["line 2", "field 'genres'", "JSON list"]),
    ("CSV with only a header", "c.csv", b"id,title,description\n", ["empty"]),
    ("CSV not UTF-8", "c.csv", b"id,title,description\n1,Am\xe9lie,x\n", ["line 2", "UTF-8"]),
]


@pytest.mark.parametrize(("name", "content", "parts"), [(c[1], c[2], c[3]) for c in BAD_INPUTS],
                         ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_names_file_line_and_field(tmp_path: Path, name: str, content: bytes, parts: list[str]) -> None:
    """Each bad input stops with a CatalogError whose message names the file and the listed line/field parts."""
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    message = str(caught.value)
    assert str(path) in message
    for part in parts:
        assert part in message, f"{part!r} not in {message!r}"


def test_missing_file_says_not_found(tmp_path: Path) -> None:
    """A path that does not exist names the path and the setting to fix."""
    path = tmp_path / "nope.jsonl"
    with pytest.raises(CatalogError, match="not found") as caught:
        load_catalog(path)
    assert str(path) in str(caught.value) and "RECBOT_CATALOG" in str(caught.value)


def test_directory_is_not_a_catalog(tmp_path: Path) -> None:
    """A directory named like a catalog is refused, not read."""
    path = tmp_path / "dir.jsonl"
    path.mkdir()
    with pytest.raises(CatalogError, match="not found") as caught:
        load_catalog(path)
    assert str(path) in str(caught.value)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_unreadable_file(tmp_path: Path) -> None:
    """A file without read permission gives a readable error, not a traceback."""
    path = tmp_path / "locked.jsonl"
    path.write_bytes(jsonl(GOOD))
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):  # root reads anything; chmod proves nothing then
            pytest.skip("running as root: chmod 000 does not make the file unreadable")
        with pytest.raises(CatalogError, match=r"cannot read the file \(Permission denied\)") as caught:
            load_catalog(path)
        assert str(path) in str(caught.value)
    finally:
        path.chmod(0o644)


def test_read_error_mid_file_is_a_catalog_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An OS error while reading (EACCES, EIO) becomes a CatalogError naming the file; runs even as root."""
    path = tmp_path / "c.jsonl"
    path.write_bytes(jsonl(GOOD))
    real_open = Path.open

    def refusing_open(self: Path, *args: object, **kwargs: object):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refusing_open)
    with pytest.raises(CatalogError, match=r"cannot read the file \(Permission denied\)") as caught:
        load_catalog(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_50mb_line_fails_fast_without_loading_it(tmp_path: Path, suffix: str) -> None:
    """A 50 MB line is refused after reading about MAX_LINE_BYTES of it: quickly and in little memory."""
    path = tmp_path / f"huge{suffix}"
    head = b"id,title,description\n" if suffix == ".csv" else b""
    with path.open("wb") as handle:
        handle.write(head + b'{"id": "x", "title": "T", "description": "')
        chunk = b"a" * (1 << 20)
        for _ in range(50):
            handle.write(chunk)
        handle.write(b'"}\n')
    assert path.stat().st_size > 50 * (1 << 20)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(CatalogError) as caught:
            load_catalog(path)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = str(caught.value)
    line = 2 if suffix == ".csv" else 1
    assert str(path) in message and f"line {line}" in message and "longer than" in message
    assert elapsed < 5, f"took {elapsed:.1f} s"
    assert peak < 8 * MAX_LINE_BYTES, f"peak {peak / 1e6:.0f} MB: the line was loaded whole"


def test_line_just_under_the_limit_is_accepted(tmp_path: Path) -> None:
    """The limit is about lines, not descriptions: a long but bounded description still loads."""
    path = tmp_path / "long.jsonl"
    description = "word " * ((MAX_LINE_BYTES - 200) // 5)
    path.write_text(json.dumps({"id": "1", "title": "Long", "description": description}) + "\n")
    assert len(load_catalog(path).items[0].description) > MAX_LINE_BYTES - 300


# --- good inputs -------------------------------------------------------------------------------------


def test_jsonl_fields_types_and_extra(tmp_path: Path) -> None:
    """JSONL: numeric ids become text, lists stay lists, unknown fields land in extra, blank lines are skipped."""
    path = tmp_path / "films.jsonl"
    records = [
        {"id": 42, "title": " Alien ", "description": "In  space,\n no one\tcan hear you scream.", "year": 1979,
         "genres": ["Horror", "Science Fiction"], "popularity": 9000, "cast": ["Sigourney Weaver", "Tom Skerritt"],
         "director": "Ridley Scott", "empty_extra": "", "none_extra": None, "url": "https://example.org/alien"},
        {"id": "b-2", "title": "Beta", "description": "Second.", "year": "2001", "tags": [], "popularity": "3.5"},
    ]
    path.write_bytes(jsonl(records[0], "", "   ", records[1]))
    catalog = load_catalog(path)
    assert [i.id for i in catalog.items] == ["42", "b-2"] and len(catalog) == 2
    alien = catalog.get("42")
    assert alien is not None
    assert (alien.title, alien.year, alien.genres) == ("Alien", 1979, ("Horror", "Science Fiction"))
    assert alien.description == "In space, no one can hear you scream."
    assert alien.extra == {"cast": ["Sigourney Weaver", "Tom Skerritt"], "director": "Ridley Scott"}
    assert alien.links() == {"cast": ("Sigourney Weaver", "Tom Skerritt")}
    assert alien.facets == ("horror", "science fiction")
    assert alien.label == "Alien (1979)" and alien.url == "https://example.org/alien"
    assert alien.embedding_text() == "Alien (1979). horror, science fiction. In space, no one can hear you scream."
    beta = catalog.get("b-2")
    assert beta is not None and (beta.year, beta.popularity, beta.tags) == (2001, 3.5, ())
    assert catalog.get("missing") is None


def test_csv_list_cells_bom_and_extra(tmp_path: Path) -> None:
    """CSV: "a|b", "a;b" and JSON-array cells become lists; blank cells are empty; a BOM is ignored; extras kept."""
    path = tmp_path / "items.csv"
    rows = (
        'id,title,description,genres,tags,year,popularity,brand\n'
        '1,Alpha,First one,Drama|Comedy,"[""cozy"", ""slow burn""]",1999,10,Acme\n'
        '2,Beta,"Second, with a comma",Action;Thriller,, , ,\n'
        '3,Gamma,"Multi\nline description",Documentary,,2020,0,\n'
    )
    path.write_bytes(b"\xef\xbb\xbf" + rows.encode())
    catalog = load_catalog(path)
    assert [i.id for i in catalog.items] == ["1", "2", "3"]
    first, second, third = catalog.items
    assert first.genres == ("Drama", "Comedy") and first.tags == ("cozy", "slow burn")
    assert (first.year, first.popularity, first.extra) == (1999, 10.0, {"brand": "Acme"})
    assert second.genres == ("Action", "Thriller") and second.description == "Second, with a comma"
    assert (second.year, second.popularity, second.extra) == (None, None, {})
    assert third.description == "Multi line description" and third.popularity == 0.0


def test_jsonl_with_bom(tmp_path: Path) -> None:
    """A UTF-8 BOM (Windows editors) before the first JSON line is not an error."""
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + jsonl(GOOD, with_(title="Amélie")))
    assert [i.title for i in load_catalog(path).items] == ["Alpha", "Amélie"]


def test_sample_catalog_is_valid(sample_catalog) -> None:
    """The shipped film sample loads: 2,000-5,000 described, mostly post-1970 films with unique ids."""
    items = sample_catalog.items
    assert 2000 <= len(items) <= 5000
    assert len({i.id for i in items}) == len(items)
    assert all(len(i.description) > 40 for i in items)
    assert sum(1 for i in items if i.year and i.year >= 1970) > 0.8 * len(items)


def test_products_catalog_of_another_domain() -> None:
    """The shop catalog (CSV, numeric ids, price/brand extras, tags) loads as items."""
    catalog = load_catalog(DATA / "products.csv")
    assert len(catalog) >= 15
    jacket = catalog.get("1001")
    assert jacket is not None and jacket.title == "Alpine Shell 2L Rain Jacket"
    assert jacket.tags == ("outdoor", "jackets", "waterproof", "hiking") and jacket.year is None
    assert jacket.extra == {"price": "189.00", "brand": "Northridge"} and jacket.popularity == 412.0
    espresso = catalog.get("1004")
    assert espresso is not None and espresso.tags == ("kitchen", "coffee", "appliances")


def test_courses_catalog_of_another_domain() -> None:
    """The course catalog (JSONL, tags, instructor lists) loads, with list extras usable as links."""
    path = DATA / "courses.jsonl"
    if not path.exists():
        pytest.skip("tests/data/courses.jsonl not present")
    catalog = load_catalog(path)
    assert len(catalog) >= 10
    assert all(item.tags for item in catalog.items)
    assert any("instructors" in item.links() for item in catalog.items)


def test_products_index_and_search(tmp_path: Path, embeddings) -> None:
    """A shop catalog indexes into real Chroma and searches sensibly, with tag filters."""
    from retrieval.store import ItemStore, build_where, make_client

    catalog = load_catalog(DATA / "products.csv")
    store = ItemStore(make_client("embedded", str(tmp_path / "chroma")), "shop", embeddings, "minilm")
    report = store.reindex(catalog)
    assert (report.items, report.embedded, store.count()) == (len(catalog), len(catalog), len(catalog))

    def top(query: str, k: int = 3, **filters: object) -> list[str]:
        return [hit.item_id for hit in store.search(query, k=k, where=build_where(**filters))]

    assert top("waterproof jacket for hiking")[0] == "1001"
    assert top("make espresso and lattes at home")[0] == "1004"
    assert top("something for toddlers to play with")[0] == "1013"
    assert "1007" in top("headphones for long flights", k=2)
    # The same words under a filter: only kitchen items, and never the excluded tag.
    kitchen = top("waterproof", k=5, include=["kitchen"])
    assert kitchen and all("kitchen" in catalog.get(i).facets for i in kitchen)  # type: ignore[union-attr]
    no_outdoor = top("waterproof jacket for hiking", k=5, exclude=["outdoor"])
    assert no_outdoor and not any("outdoor" in catalog.get(i).facets for i in no_outdoor)  # type: ignore[union-attr]


@pytest.mark.parametrize("text, names", [
    ("Memento is a 2000 thriller written and directed by Christopher Nolan, based on", ("Christopher Nolan",)),
    ("a 2017 war film written, directed and produced by Christopher Nolan that depicts", ("Christopher Nolan",)),
    ("directed and co-written by Bong Joon-ho. It stars", ("Bong Joon-ho",)),
    ("directed by John Singleton. The film stars Mark Wahlberg", ("John Singleton",)),  # the stop ends the name
    ("directed by W. S. Van Dyke and starring", ("W. S. Van Dyke",)),
    ("directed by Guillermo del Toro from a screenplay", ("Guillermo del Toro",)),
    ("directed by Joel and Ethan Coen", ("Joel Coen", "Ethan Coen")),
    ("directed by George Hill and William K. Howard and starring", ("George Hill", "William K. Howard")),
    ("The film was directed by Nolan.", ()),  # a surname alone links nothing
    ("directed by New York actor and director Edward Burns.", ()),  # no place or role read as a name
    ("a film directed by the studio's founder", ()),
    ("Heat is a 1995 crime film starring Al Pacino", ()),
])
def test_who_directed_a_film_is_read_from_its_summary(text: str, names: tuple[str, ...]) -> None:
    assert directors_in(text) == names


@pytest.mark.parametrize("text, names", [
    ("a 2004 romantic drama film directed by Nick Cassavetes, based on the 1996 novel by Nicholas Sparks.",
     ("Nicholas Sparks",)),
    ("The film is based on Stephen King's 1977 novel of the same name", ("Stephen King",)),
    ("based on the 1977 novel The Shining by American author Stephen King.", ("Stephen King",)),
    ("adapted from the play of the same name by George S. Kaufman and Moss Hart.", ("George S. Kaufman", "Moss Hart")),
    # what a film is based on said by whom it was made is no source ("based on the 2004 documentary ... directed by")
    ("based on the 2004 documentary The Conscientious Objector directed by Terry Benedict.", ()),
    ("based on the comic series by Marvel Comics.", ()),  # a company is no one's work
    ("based on the novel by Collins.", ()),  # a surname alone links nothing, as for directors
    # where the writer is from is no writer ("New York" was a person: "a movie set in New York" found its one film)
    ("based on a story by New York playwright John Howard Lawson, the screenplay", ("John Howard Lawson",)),
    ("directed by Nick Cassavetes. The film is loved by Nicholas Sparks.", ()),
])
def test_whose_work_a_film_is_based_on_is_read_from_its_summary(text: str, names: tuple[str, ...]) -> None:
    assert sources_in(text) == names


def test_a_summary_says_whose_work_a_film_is_based_on(tmp_path: Path) -> None:
    """Stop 39: "I love Stephen King movies" found none of his (he directed one film); his novels link them now."""
    path = tmp_path / "films.jsonl"
    path.write_bytes(jsonl({"id": "a", "title": "Misery", "description": "based on Stephen King's 1987 novel."},
                           {"id": "b", "title": "It", "description": "based on the novel by Stephen King."},
                           {"id": "c", "title": "Cujo", "description": "by Stephen King.", "adapted_from": ["S. K."]}))
    catalog = load_catalog(path)
    assert catalog.get("a").links() == {"adapted_from": ("Stephen King",)}
    assert catalog.attribute_links()["stephen king"] == {"adapted_from": ["a", "b"]}
    assert catalog.get("c").links() == {"adapted_from": ("S. K.",)}, "a field of the catalog's own wins"


def test_a_summary_says_who_directed_unless_the_catalog_does(tmp_path: Path) -> None:
    """Without a director field the summary's "directed by" links films; a field of the catalog's own wins."""
    path = tmp_path / "films.jsonl"
    said = "A 1979 horror film directed by Ridley Scott."
    path.write_bytes(jsonl({"id": "a", "title": "Alien", "description": said},
                           {"id": "b", "title": "Blade Runner", "description": said, "director": "R. Scott"}))
    catalog = load_catalog(path)
    assert catalog.get("a").links() == {"directors": ("Ridley Scott",)}
    assert catalog.get("b").extra["director"] == "R. Scott" and "directors" not in catalog.get("b").extra
    assert catalog.attribute_links()["ridley scott"] == {"directors": ["a"]}
