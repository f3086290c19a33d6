"""A whole list passed on ("none of these") on the real sample catalog with the real embedding model: those films
go, the kind the person came for stays."""

from __future__ import annotations

import pytest

from tests.conftest import picks

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("passed", ["none of these", "I don't like any of these"])
def test_passing_on_a_whole_list_keeps_the_kind_of_the_film_liked(make_app, passed: str) -> None:
    # Stop 50: "none of these" disliked each of the five picks as if it were named and hated, and after "I loved
    # Heat" the crime films left the answer (Revenge of the Sith, X-Men Origins: Wolverine, Avatar at 38k).
    app = make_app()
    catalog = app.engine.catalog
    first = picks(app, "I loved Heat (1995)", session="pass")
    second = picks(app, passed, session="pass")
    assert not {i.item_id for i in first.items} & {i.item_id for i in second.items}
    kind = [i.title for i in second.items if {"crime", "thriller"} & set(catalog.by_id[i.item_id].facets)]
    assert len(second.items) == 5 and len(kind) >= 4, [i.title for i in second.items]
