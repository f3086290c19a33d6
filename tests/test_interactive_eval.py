"""The simulated seeker: what it wants, what it may say, how it reacts, and the report over real engines."""

from __future__ import annotations

import json
from pathlib import Path

from chatbot.cli import main
from chatbot.evaluation.interactive import (
    MASK, SimulatedClock, make_seeker, mask_titles, per_turn, play, session_for,
)
from chatbot.evaluation.preferences import Dialogue

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "movies_sample.jsonl"


def _dialogue(messages, offered=(), labels=(), id="sim-1") -> Dialogue:
    return Dialogue(id, "redial", id, tuple(messages), tuple(labels), tuple(offered), ())


def test_wanted_titles_are_masked_with_and_without_their_year() -> None:
    text = "I loved It (2017) and the exorcist, it was great. The Exorcist (1973) is the best"
    masked = mask_titles(text, ["It (2017)", "The Exorcist (1973)"])
    assert masked == f"I loved {MASK} and {MASK}, it was great. {MASK} is the best"  # the word "it" stays
    # A catalog title that is also a letter or a word is left alone rather than masking every "m" or "up".
    assert mask_titles("I am in the mood for something upbeat", ["M", "Up"]) == "I am in the mood for something upbeat"


def test_the_seeker_wants_liked_offers_it_did_not_name_and_dislikes_what_it_disliked() -> None:
    offered = [{"item_id": "a", "title": "Alpha Movie (2001)", "liked": True},
               {"item_id": "b", "title": "Beta (2002)", "liked": True},  # named by the seeker too: not a hit
               {"item_id": "c", "title": "Gamma (2003)", "liked": False},
               {"item_id": "z", "title": "Not In Catalog (2004)", "liked": True}]
    labels = [{"item_id": "b", "liked": True}]
    dialogue = _dialogue([("assistant", "Hi!"), ("user", "I want a movie like Alpha Movie"), ("user", "thanks")],
                         offered, labels)
    seeker = make_seeker(dialogue, known={"a", "b", "c"})
    assert seeker is not None
    assert seeker.wants == {"a"} and seeker.dislikes == {"c"}
    assert seeker.utterances == (f"I want a movie like {MASK}", "thanks")
    assert make_seeker(_dialogue([("user", "hi")], [{"item_id": "c", "liked": False}]), {"c"}) is None


def test_hit_rate_recall_and_first_hit_per_turn() -> None:
    from chatbot.evaluation.interactive import SessionResult

    seeker = make_seeker(_dialogue([("user", "hi")], [{"item_id": "a", "liked": True},
                                                      {"item_id": "b", "liked": True}]), {"a", "b"})
    hit_late = SessionResult(seeker, shown=[["x", "y"], ["a", "z"]], hits=[[], ["a"]], explored=[None, "z"],
                             seconds=[0.1, 0.3])
    never = SessionResult(seeker, shown=[["x"], ["y"]], hits=[[], []], explored=[None, None], seconds=[0.1, 0.1])
    rows = per_turn([hit_late, never], turns=2, catalog_size=100, head={"x"})  # x is popular: turn 1 is x, y, x
    assert [r["hit_rate"] for r in rows] == [0.0, 0.5]
    assert rows[1]["recall"] == 0.25  # one of two wanted films in one of two sessions
    assert rows[1]["coverage"] == 0.04  # x, y, a, z
    assert rows[0]["long_tail_share"] == 1 / 3 and rows[1]["explored_share"] == 0.5
    assert hit_late.first_hit() == 2 and never.first_hit() is None


def test_play_goes_through_the_engine_likes_what_it_wants_and_is_repeatable(make_small_engine) -> None:
    engine = make_small_engine()
    probe = engine.turn("probe", "a tense crime thriller").items
    wanted = probe[1]
    messages = [("user", "a tense crime thriller"), ("assistant", "Seen anything good?"), ("user", "I like films")]
    seeker = make_seeker(_dialogue(messages, [{"item_id": wanted.item_id, "title": wanted.title, "liked": True}]),
                         {wanted.item_id})
    runs = []
    for _ in range(2):
        clock = SimulatedClock()
        engine.clock = clock
        runs.append(play(engine, seeker, turns=3, seed=0, clock=clock))
    first = runs[0]
    assert first.hits[0] == [wanted.item_id] and first.first_hit() == 1
    assert all(wanted.item_id not in answer for answer in first.shown[1:])  # liked: never offered again
    assert first.shown == runs[1].shown  # deterministic
    assert len(first.shown) == 3 and not engine.has_session(session_for(seeker, 0))  # forgotten afterwards


def test_the_command_writes_the_report_and_the_plot(tmp_path, clean_env, sample_catalog) -> None:
    items = [i for i in sample_catalog.items if "Crime" in i.genres][:6]
    records = []
    for n in range(4):  # the part is chosen by a hash of the dialog id: "all" keeps every one
        wanted = items[n]
        records.append({"id": f"redial:{n}", "source": "redial", "dialog_id": str(n),
                        "messages": [{"role": "user", "text": "I love crime films"},
                                     {"role": "assistant", "text": "Have you seen anything?"},
                                     {"role": "user", "text": f"I have seen {wanted.title}, loved it"}],
                        "labels": [], "mentions": [],
                        "recommended": [{"item_id": wanted.id, "title": f"{wanted.title} ({wanted.year})",
                                         "liked": True, "seen": False}]})
    dialogs = tmp_path / "prefs.jsonl"
    dialogs.write_text("\n".join(json.dumps(r) for r in records))
    out = tmp_path / "out"
    code = main(["eval-interactive", "--catalog", str(SAMPLE), "--dialogs", str(dialogs), "--out", str(out),
                 "--part", "all", "--turns", "3", "--data-dir", str(tmp_path / "data"),
                 "--exploration-rate", "1.0"])
    assert code == 0
    report = json.loads((out / "report.json").read_text())
    assert set(report["rows"]) == {"today's ranking", "today's ranking + exploration"}
    plain, exploring = report["rows"]["today's ranking"], report["rows"]["today's ranking + exploration"]
    assert plain["sessions"] == 4 and len(plain["per_turn"]) == 3
    assert all(t["explored_share"] == 0 for t in plain["per_turn"])
    assert exploring["per_turn"][0]["explored_share"] == 1.0
    rates = [t["hit_rate"] for t in plain["per_turn"]]
    assert rates == sorted(rates)  # "by turn t" only grows
    assert "| today's ranking | 3 |" in (out / "report.md").read_text()
    assert (out / "hit_rate_by_turn.png").stat().st_size > 1000


def test_the_command_explains_bad_input(tmp_path, clean_env, capsys) -> None:
    dialogs = tmp_path / "prefs.jsonl"
    dialogs.write_text(json.dumps({"id": "x", "source": "inspired", "messages": [{"role": "user", "text": "hi"}]}))
    code = main(["eval-interactive", "--catalog", str(SAMPLE), "--dialogs", str(dialogs), "--out",
                 str(tmp_path / "out"), "--part", "all", "--data-dir", str(tmp_path / "data")])
    assert code == 2 and "no ReDial dialogue" in capsys.readouterr().err
