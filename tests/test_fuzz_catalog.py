"""Property-based fuzzing of the catalog loader: any file either loads into clean items or raises CatalogError
naming the file (and the line and field where there is one); never another exception.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from hostile import hostile_text, json_values, unicode_text, weighted
from retrieval.catalog import CatalogError, load_catalog

FUZZ = settings(
    max_examples=2000, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
COLUMNS = ["id", "title", "description", "year", "genres", "tags", "image_url", "url", "popularity", "cast"]
WHERE_RE = re.compile(r"^(?P<file>.+?)(?:, line (?P<line>\d+))?"
                      r"(?:, field (?P<field>'[^'\n]*'|\"(?:[^\"\\\n]|\\.)*\"))?: (?P<what>.+)$", re.S)

plausible = {
    "id": st.one_of(st.text(min_size=1, max_size=12), st.integers(), hostile_text, json_values),
    "title": st.one_of(st.text(min_size=1, max_size=30), hostile_text, json_values),
    "description": st.one_of(st.text(min_size=1, max_size=60), hostile_text, json_values),
    "year": st.one_of(st.integers(-5, 12000), st.text(max_size=6), st.sampled_from(["1999", "１９９９", "²", "-0"]),
                      st.floats(), st.integers(10**300, 10**301), json_values),
    "genres": st.one_of(st.lists(st.text(max_size=10), max_size=3), st.text(max_size=20), json_values),
    "tags": st.one_of(st.lists(hostile_text, max_size=3), json_values),
    "image_url": st.one_of(st.none(), st.text(max_size=30), json_values),
    "url": st.one_of(st.none(), st.text(max_size=30), json_values),
    "popularity": st.one_of(st.floats(), st.integers(), st.integers(10**308, 10**309), st.text(max_size=8),
                            json_values),
    "cast": json_values,
}
texts = st.lists(unicode_text.filter(str.strip), max_size=3)
valid = {
    "year": st.integers(1, 9999) | st.integers(1, 9999).map(str),
    "genres": texts, "tags": texts, "cast": texts,
    "image_url": unicode_text, "url": unicode_text,
    "popularity": st.floats(0, 1e12) | st.integers(0, 10**12),
}
loadable = st.fixed_dictionaries({
    "id": st.text(st.characters(codec="ascii", categories=["L", "N"]), min_size=1, max_size=8) | st.integers(),
    "title": unicode_text.filter(str.strip),
    "description": unicode_text.filter(str.strip),
}, optional={name: weighted((3, valid[name]), (1, plausible[name])) for name in valid})
records = weighted(
    (5, loadable),  # required fields fine, the rest valid or hostile
    (1, st.fixed_dictionaries({}, optional=plausible)),  # any field may be missing or wrong
    (1, st.dictionaries(hostile_text, json_values, max_size=4)),
)


def jsonl_line(record: object) -> str:
    return json.dumps(record, allow_nan=True)


raw_lines = weighted(
    (6, records.map(jsonl_line)),
    (1, json_values.map(jsonl_line)),  # a line that is JSON but not an object
    (1, st.sampled_from(["", "   ", "{", "[" * 5000 + "]" * 5000, "1" * 5000, '{"id": 1' + "0" * 5000 + "}"])),
    (1, unicode_text),
)
line_endings = st.sampled_from(["\n", "\n", "\n", "\r\n", "\r"])  # a bare \r does not end a JSONL line


@st.composite
def jsonl_files(draw) -> bytes:
    ending = draw(line_endings)
    text = ending.join(draw(st.lists(raw_lines, max_size=4)))
    return (draw(st.sampled_from(["", "\ufeff"])) + text).encode("utf-8", "surrogatepass")


@st.composite
def csv_files(draw) -> bytes:
    extra_columns = st.lists(weighted((3, st.sampled_from(COLUMNS[3:])), (1, unicode_text)), max_size=4)
    header = draw(weighted(
        (3, st.permutations(COLUMNS[:3]).flatmap(lambda required: extra_columns.map(lambda extra: required + extra))),
        (1, st.lists(st.sampled_from(COLUMNS) | unicode_text, min_size=1, max_size=8)),
    ))
    cells = weighted(
        (4, st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=20)),  # what a spreadsheet exports
        (1, unicode_text),
        (1, st.sampled_from(['"', '""', "a,b", "x\ny", "x\ry", "[1, 2]", "[\"a\"", "1999", "a|b", " "])),
    )
    rows = draw(st.lists(st.lists(cells, min_size=len(header) - 1, max_size=len(header) + 1), max_size=5))
    if draw(st.booleans()):  # well-quoted, as csv.writer writes it
        out = io.StringIO()
        writer = csv.writer(out, lineterminator=draw(line_endings))
        writer.writerow(header)
        writer.writerows(rows)
        text = out.getvalue()
    else:  # naive joins: stray quotes, embedded separators
        text = "\n".join(",".join(row) for row in [header, *rows])
    text += draw(st.sampled_from(["", "", "", "x" * 140_000]))  # a cell over csv's default field size limit
    return text.encode("utf-8")


files = st.one_of(
    st.tuples(st.just(".jsonl"), jsonl_files()),
    st.tuples(st.just(".csv"), csv_files()),
    st.tuples(st.sampled_from([".jsonl", ".csv", ".json", ".txt", ".JSONL"]), st.binary(max_size=300)),
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz-catalog")


def check_loaded(path: Path) -> None:
    catalog = load_catalog(path)
    assert len(catalog) >= 1 and len(catalog.by_id) == len(catalog)
    for item in catalog.items:
        for text in (item.id, item.title, item.description):
            assert isinstance(text, str) and text.strip()
        assert item.year is None or (isinstance(item.year, int) and 0 < item.year < 10000)
        assert all(isinstance(g, str) and g for g in (*item.genres, *item.tags))
        # Everything loaded must survive the trip into Chroma and SQLite, which need valid UTF-8.
        item.embedding_text().encode("utf-8")
        json.dumps(item.extra, ensure_ascii=False).encode("utf-8")


@FUZZ
@given(file=files)
# Files that crashed the loader with something other than CatalogError before the fuzzer found them:
@example(file=(".csv", b"id,title,description\r1,a,b\n"))  # csv.Error: new-line character in unquoted field
@example(file=(".csv", b"id,title,description\n1,a," + b"x" * 140_000 + b"\n"))  # csv.Error: field limit
@example(file=(".csv", b'id,title,description,genres\n1,a,b,"' + b"[" * 100_000 + b'"\n'))  # RecursionError
@example(file=(".jsonl", b'{"id": 1' + b"0" * 5000 + b', "title": "a", "description": "b"}'))  # ValueError: digits
@example(file=(".jsonl", b"[" * 100_000 + b"]" * 100_000))  # RecursionError
@example(file=(".jsonl", '{"id": "1", "title": "a", "description": "b", "year": "²"}'.encode()))  # int("²")
@example(file=(".jsonl", b'{"id": "1", "title": "a", "description": "b", "popularity": 1' + b"0" * 400 + b"}"))
@example(file=(".jsonl", b'{"id": "1", "title": "a\\ud800", "description": "b"}'))  # loaded text Chroma rejects
@example(file=(".jsonl", b'{"id": "0", "title": "0", "description": "0"}\n{"\'": "\\ud800"}'))  # a quote in a field name
def test_any_file_loads_or_fails_with_a_catalog_error_that_says_where(folder: Path, file: tuple[str, bytes]) -> None:
    suffix, content = file
    path = folder / f"catalog{suffix}"
    path.write_bytes(content)
    try:
        check_loaded(path)
        event("loaded")
    except CatalogError as exc:
        where = WHERE_RE.match(str(exc))
        assert where and where["file"] == str(path), str(exc)
        if where["line"]:
            assert 1 <= int(where["line"]) <= content.count(b"\n") + content.count(b"\r") + 1, str(exc)
        event("CatalogError" + (" with line" if where["line"] else "") + (" and field" if where["field"] else ""))
