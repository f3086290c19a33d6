"""The profile evaluation: metrics with known answers, the split, and a real replay through the engine."""

from __future__ import annotations

import json
from pathlib import Path

from chatbot.evaluation.preferences import (
    Dialogue, DialogueResult, choose, load_dialogues, replay_dialogue, score, split_dialogues,
)
from chatbot.evaluation.replay import Case, split_cases

ALIEN, JAWS, HEAT, FARGO = "wp:Alien_(film)", "wp:Jaws_(film)", "wp:Heat_(1995_film)", "wp:Fargo_(1996_film)"


def _dialogue(labels=(), offered=(), mentions=(), source="redial", id="d1") -> Dialogue:
    return Dialogue(id, source, id, (("user", "hi"),), tuple(labels), tuple(offered), tuple(mentions))


def test_score_counts_liked_disliked_sign_seen_and_mentions() -> None:
    labels = [{"item_id": ALIEN, "liked": True, "seen": True}, {"item_id": JAWS, "liked": False, "seen": True},
              {"item_id": HEAT, "liked": True, "seen": False}, {"item_id": "tmdb:0", "liked": True, "seen": True},
              {"item_id": FARGO, "liked": False, "seen": True}]
    mentions = [{"kind": "genre", "value": "Horror", "turn": 1}, {"kind": "person", "value": "Tom Hanks", "turn": 3},
                {"kind": "genre", "value": "horror", "turn": 5}]
    result = DialogueResult(_dialogue(labels, mentions=mentions),
                            {f"item:{ALIEN}": 2.0, f"item:{JAWS}": 1.0, "genre:horror": 1.0}, {ALIEN}, [0.1, 0.3])
    known = {ALIEN, JAWS, HEAT, FARGO}
    metrics = score([result], known)
    assert metrics["liked_recall"] == 0.5  # Alien yes, Heat no; tmdb:0 is not in the catalog
    assert metrics["labels_missing_from_catalog"] == 1
    assert metrics["disliked_recall"] == 0.0 and metrics["disliked_count"] == 2
    assert metrics["disliked_as_liked"] == 1 and metrics["disliked_unread"] == 1  # Jaws ended positive, Fargo absent
    assert metrics["sign_precision"] == 0.5  # Alien right, Jaws wrong
    assert metrics["seen_recall"] == 1 / 3  # Alien marked seen, Jaws and Fargo not
    assert metrics["mention_recall"] == 0.5  # horror (said twice, counted once) yes, Tom Hanks no
    assert metrics["turns"] == 2 and abs(metrics["turn_p50_s"] - 0.2) < 1e-9


def test_split_matches_the_recommendation_eval_and_choose_keeps_labelled_dialogues() -> None:
    dialogues = [_dialogue([{"item_id": ALIEN, "liked": True}] if n % 3 else (), id=f"x{n}") for n in range(60)]
    train, test = split_dialogues(dialogues, 0, 0.5)
    cases = [Case(d.id, d.source, d.dialog_id, (("user", "a"),), ("t",)) for d in dialogues]
    case_train, case_test = split_cases(cases, 0, 0.5)
    assert [d.id for d in train] == [c.id for c in case_train] and [d.id for d in test] == [c.id for c in case_test]
    held_out = choose(dialogues, "test", 0, 0.5, None)
    assert held_out and all(d.labels for d in held_out) and {d.id for d in held_out} <= {d.id for d in test}
    assert len(choose(dialogues, "all", 0, 0.5, 5)) == 5


def test_replay_goes_through_the_engine_and_forgets(make_app) -> None:
    engine = make_app().engine
    dialogue = Dialogue("r1", "redial", "r1", (
        ("assistant", "Hi! What do you like?"),
        ("user", "I loved Alien (1979), seen it twice"),
        ("assistant", "Have you seen Heat (1995)?"),
        ("user", "I hated Jaws (1975) though"),
    ), ({"item_id": ALIEN, "liked": True, "seen": True}, {"item_id": JAWS, "liked": False, "seen": True}))
    result = replay_dialogue(engine, dialogue)
    assert result.weights[f"item:{ALIEN}"] > 0 and result.weights[f"item:{JAWS}"] < 0
    assert ALIEN in result.seen
    assert len(result.turn_seconds) == 2, "one timing per seeker turn"
    assert engine.sessions.session_ids() == [], "the replayed session is forgotten"
    metrics = score([result], set(engine.catalog.by_id))
    assert metrics["liked_recall"] == 1.0 and metrics["disliked_recall"] == 1.0 and metrics["sign_precision"] == 1.0


def test_eval_preferences_command_writes_both_reports(tmp_path: Path, monkeypatch) -> None:
    from chatbot.cli import main
    from tests.conftest import SAMPLE_CATALOG

    monkeypatch.chdir(tmp_path)
    keep = {ALIEN, JAWS, HEAT}
    catalog = tmp_path / "films.jsonl"
    lines = [line for line in SAMPLE_CATALOG.read_text().splitlines() if json.loads(line)["id"] in keep]
    catalog.write_text("\n".join(lines) + "\n")
    dialogs = tmp_path / "prefs.jsonl"
    records = [
        {"id": f"redial:{n}", "source": "redial", "dialog_id": str(n),
         "messages": [{"role": "user", "text": "I really liked Alien"}, {"role": "assistant", "text": "Try Heat"}],
         "labels": [{"item_id": ALIEN, "liked": True, "seen": True, "first_user_turn": 0}]} for n in range(8)
    ] + [{"id": "inspired:1", "source": "inspired_dev", "dialog_id": "i1",
          "messages": [{"role": "user", "text": "I like horror movies"}],
          "mentions": [{"kind": "genre", "value": "horror", "turn": 0}]}]
    dialogs.write_text("".join(json.dumps(r) + "\n" for r in records))
    out = tmp_path / "out"
    assert main(["eval-preferences", "--catalog", str(catalog), "--dialogs", str(dialogs), "--out", str(out),
                 "--data-dir", str(tmp_path / "data"), "--part", "all"]) == 0
    report = json.loads((out / "report.json").read_text())
    overall = report["results"]["overall"]
    assert overall["cases"] == 9 and overall["liked_recall"] == 1.0
    for key in ("disliked_recall", "disliked_count", "sign_precision", "seen_recall", "mention_recall",
                "turn_p50_s", "turn_p95_s"):
        assert key in overall
    assert set(report["results"]) == {"overall", "redial", "inspired_dev"}
    assert list(report["rows"]) == ["rules only"]
    assert "| rules only | overall |" in (out / "report.md").read_text()


def test_load_dialogues_names_the_bad_line(tmp_path: Path) -> None:
    import pytest

    from chatbot.evaluation.replay import DialogError

    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "messages": [{"role": "user", "text": "hi"}]}\n{"id": "b"}\n')
    with pytest.raises(DialogError, match="line 2"):
        load_dialogues(path)
