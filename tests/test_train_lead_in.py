"""train-lead-in: pairs only from the train half, each with the adapter prompt and a reference the checks pass."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from chatbot.evaluation.replay import Case, in_train
from chatbot.evaluation.train_lead_in import LeadInTrainOptions, facts_writer, pair_for, training_cases


def test_pairs_come_only_from_the_train_half(tmp_path: Path) -> None:
    dialogs = tmp_path / "dialogs.jsonl"
    rows = [{"id": f"c{i}", "source": "redial", "dialog_id": f"d{i}", "target_item_ids": ["wp:Alien_(film)"],
             "context": [{"role": "user", "text": f"dialogue {i}: something like Alien"}]} for i in range(60)]
    dialogs.write_text("\n".join(json.dumps(r) for r in rows))
    half, chosen = training_cases(LeadInTrainOptions(dialogs=dialogs, out=tmp_path / "a.gguf", limit=1000))
    assert chosen and all(in_train(c.dialog_id, 0, 0.5) for c in chosen)
    assert len(chosen) < 60  # the held-out half is left out, not sampled
    assert chosen == half and all(in_train(c.dialog_id, 0, 0.5) for c in half)
    _, few = training_cases(LeadInTrainOptions(dialogs=dialogs, out=tmp_path / "a.gguf", limit=5))
    assert len(few) == 5


def test_a_pair_is_the_adapter_prompt_and_a_true_reference(make_small_engine) -> None:
    engine = make_small_engine()
    writer = facts_writer(engine.writer)
    case = Case("c1", "redial", "d1", (("user", "I loved Alien, any other science fiction horror?"),), ())
    pair = pair_for(engine, writer, case)
    assert pair is not None
    prompt = pair.messages[-1]["content"]
    assert [m["role"] for m in pair.messages] == ["system", "user"] and "Fact: " in prompt
    first_fact = prompt.split("Fact: ")[1]
    first_title = first_fact.split(" (")[0]
    assert first_title in pair.answer and pair.answer.endswith(".")
    session = "lead-in-" + hashlib.sha1(b"c1").hexdigest()[:16]
    assert engine.profile(session) == []  # the replayed conversation is forgotten afterwards
