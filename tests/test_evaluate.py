"""The evaluation harness: metrics with known answers, the dialogue split, the log signal, and real end-to-end runs."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from chatbot.evaluation.replay import (
    Case, CaseResult, DialogError, dialogue_log, in_train, load_cases, ndcg_at, percentile, recall_at,
    reciprocal_rank, run_cases, split_cases, summarize,
)
from retrieval.catalog import Catalog, Item, load_catalog
from retrieval.collaborative import CoOccurrence, Interaction, InteractionError, load_interactions

from conftest import SAMPLE_CATALOG

LOG2_3 = math.log2(3)


@pytest.mark.parametrize("ranked, targets, k, expected", [
    (["a", "b", "c"], ["a"], 1, 1.0),
    (["a", "b", "c"], ["b"], 1, 0.0),
    (["a", "b", "c"], ["b"], 2, 1.0),
    (["a", "b", "c"], ["c", "z"], 3, 0.5),  # one of two targets found
    (["a", "b", "c"], ["z"], 50, 0.0),
    ([], ["a"], 10, 0.0),
])
def test_recall_at_k(ranked, targets, k, expected) -> None:
    assert recall_at(ranked, targets, k) == pytest.approx(expected)


@pytest.mark.parametrize("ranked, targets, k, expected", [
    (["a", "b"], ["a"], 10, 1.0),
    (["x", "a"], ["a"], 10, 1 / LOG2_3),
    (["x", "a"], ["a"], 1, 0.0),
    (["a", "x", "b"], ["a", "b"], 10, (1 + 1 / 2) / (1 + 1 / LOG2_3)),  # hits at 1 and 3 vs ideal 1 and 2
    (["x", "y"], ["a"], 10, 0.0),
])
def test_ndcg_at_k(ranked, targets, k, expected) -> None:
    assert ndcg_at(ranked, targets, k) == pytest.approx(expected)


@pytest.mark.parametrize("ranked, targets, expected", [
    (["a", "b", "c"], ["a"], 1.0),
    (["a", "b", "c"], ["c", "b"], 0.5),
    (["a", "b", "c", "d"], ["d"], 0.25),
    (["a"], ["z"], 0.0),
])
def test_reciprocal_rank(ranked, targets, expected) -> None:
    assert reciprocal_rank(ranked, targets) == pytest.approx(expected)


@pytest.mark.parametrize("values, q, expected", [
    ([1.0, 2.0, 3.0], 0.5, 2.0), ([1.0, 2.0, 3.0, 4.0], 0.5, 2.5), ([5.0], 0.95, 5.0), ([], 0.5, 0.0),
    ([0.0, 10.0], 0.95, 9.5),
])
def test_percentile(values, q, expected) -> None:
    assert percentile(values, q) == pytest.approx(expected)


def _case(dialog: str, n: int = 0, targets: tuple[str, ...] = ("a",), source: str = "s") -> Case:
    return Case(f"{dialog}:t{n}", source, dialog, (("user", "hi"),), targets)


def test_split_is_deterministic_disjoint_by_dialogue_and_seeded() -> None:
    cases = [_case(f"d{d}", n) for d in range(200) for n in range(3)]
    train, test = split_cases(cases, seed=7, train_fraction=0.5)
    assert (train, test) == split_cases(cases, seed=7, train_fraction=0.5)
    assert not {c.dialog_id for c in train} & {c.dialog_id for c in test}
    assert len(train) + len(test) == len(cases)
    assert 0.35 < len(train) / len(cases) < 0.65
    assert split_cases(cases, seed=8, train_fraction=0.5)[0] != train, "another seed, another split"
    assert all(in_train(f"d{d}", 7, 1.0) for d in range(50)) and not any(in_train(f"d{d}", 7, 0.0) for d in range(50))


def test_summary_counts_coverage_long_tail_and_missing_targets() -> None:
    items = [Item(id=f"i{n}", title=f"T{n}", description="d", popularity=float(n) if n < 18 else None)
             for n in range(20)]
    catalog = Catalog(items)  # head (top 10%) = the 2 most popular: i17, i16
    results = [
        CaseResult("c1", "x", ["i17", "i3", "i16"], ["i3"], [], 0.1),
        CaseResult("c2", "y", ["i17", "i5"], ["gone"], ["gone"], 0.3),
    ]
    summary = summarize(results, catalog)
    overall = summary["overall"]
    assert overall["recall@10"] == pytest.approx(0.5) and summary["x"]["recall@1"] == 0.0
    assert overall["coverage@10"] == pytest.approx(4 / 20)
    assert overall["long_tail_share@10"] == pytest.approx(2 / 5)
    assert overall["targets_missing_from_catalog"] == 1 and overall["short_lists"] == 2
    assert overall["latency_p50_s"] == pytest.approx(0.2)
    assert set(summary) == {"overall", "x", "y"}


def test_load_cases_validates(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"id": "1", "source": "s", "dialog_id": "d", "context": [{"role": "user", "text": "x"}],
                                "target_item_ids": ["a"]}) + "\n\n")
    assert load_cases(path)[0].targets == ("a",)
    path.write_text(json.dumps({"id": "1", "context": [{"role": "assistant", "text": "x"}], "target_item_ids": ["a"]}))
    with pytest.raises(DialogError, match="line 1"):
        load_cases(path)


# --- the log signal --------------------------------------------------------------------------------------------
TINY_LOG = [("s1", "alien"), ("s1", "aliens"), ("s2", "alien"), ("s2", "aliens"), ("s2", "thing"),
            ("s3", "notting"), ("s3", "holiday"), ("s4", "alien"), ("s4", "thing")]


def test_a_log_with_no_rows_gives_no_prior_instead_of_failing() -> None:
    # Before: RECBOT_INTERACTIONS naming an empty file stopped the engine at start (math domain error, log of 0).
    model = CoOccurrence([], catalog=load_catalog(SAMPLE_CATALOG))
    assert model.prior == {} and model(["wp:Alien_(film)"]) == {}


def test_cooccurrence_ranks_items_seen_together(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("user_id,item_id,rating\n" + "".join(f"{s},{i},5\n" for s, i in TINY_LOG) + "s5,alien,1\ns5,holiday,1\n")
    rows = load_interactions(path)
    assert rows[0] == Interaction("s1", "alien", 5.0, None)
    model = CoOccurrence(rows, min_rating=3)  # the 1-star session is not evidence of a pair
    neighbours = model(["alien"])
    assert list(neighbours)[:2] == ["aliens", "thing"]
    assert "holiday" not in neighbours and "alien" not in neighbours
    assert neighbours["aliens"][1] == "alien" and 0 < neighbours["aliens"][0] <= 1
    assert list(model(["notting"])) == ["holiday"] and model(["notting"])["holiday"][1] == "notting"
    assert model.prior["alien"] == 1.0 and model.prior["alien"] > model.prior["holiday"] > 0


def test_prior_backs_off_to_the_cell_of_unseen_items() -> None:
    items = [Item(id=f"new{n}", title="t", description="d", year=2017, popularity=100.0 + n) for n in range(10)]
    items += [Item(id=f"old{n}", title="t", description="d", year=1925) for n in range(10)]
    model = CoOccurrence([Interaction(f"s{n}", f"new{n}") for n in range(5)], Catalog(items))
    assert model.prior["new9"] > model.prior["old9"], "recent, known films are talked about more"
    assert model.prior["new0"] > model.prior["new9"], "an item in the log beats its unseen cell-mates"


def test_log_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text('{"session_id": "a", "item_id": "x"}\n{"item_id": "y"}\n')
    with pytest.raises(InteractionError, match="line 2"):
        load_interactions(path)


def test_dialogue_log_holds_named_and_target_items() -> None:
    def find(text: str):
        return [type("M", (), {"item_id": w.strip("?")})() for w in text.split() if len(w) > 1 and w.isupper()]

    cases = [Case("d1:t1", "s", "d1", (("user", "I like ALIEN"),), ("THING",)),
             Case("d1:t3", "s", "d1", (("user", "I like ALIEN"), ("assistant", "THING?")), ("AKIRA",))]
    rows = dialogue_log(cases, find)
    assert [(r.session, r.item_id) for r in rows] == [("d1", "ALIEN"), ("d1", "THING"), ("d1", "AKIRA")]


# --- end to end: real MiniLM, real Chroma, the engine's own path -------------------------------------------
E2E_CASES = [
    Case("e1:t1", "alpha", "e1", (("user", "I loved Click (2006), Adam Sandler is so funny"),),
         ("wp:Grown_Ups_2",)),
    Case("e2:t3", "alpha", "e2", (("user", "Scary movies please"), ("assistant", "Have you seen Saw V (2008)?"),
                                  ("user", "Yes, I have seen it. Something else?")), ("wp:Unfriended",)),
    Case("e3:t1", "beta", "e3", (("user", "A romantic comedy for tonight"),), ("wp:The_Holiday", "tmdb:0")),
]


def test_replay_through_the_engine_uses_the_log_and_forgets(make_app, tmp_path: Path) -> None:
    from chatbot.evaluation.run import log_stats
    from retrieval.collaborative import write_interactions

    log = tmp_path / "log.jsonl"
    write_interactions(log, [Interaction(f"s{n}", i) for n in range(3)
                             for i in ("wp:Click_(2006_film)", "wp:Grown_Ups_2")])
    app = make_app(interactions=log)  # the chat's own wiring of RECBOT_INTERACTIONS
    assert log_stats(app.engine) == {"sessions": 3, "items": 2, "rows": 6}
    results = run_cases(app.engine, E2E_CASES, k=50, progress=False)
    by_id = {r.case_id: r for r in results}
    assert len(by_id["e1:t1"].ranked) == 50
    assert "wp:Grown_Ups_2" in by_id["e1:t1"].ranked[:10], "co-occurrence with a liked film lifts it"
    assert "wp:Saw_V" not in by_id["e2:t3"].ranked, "a film the assistant already named is not offered again"
    assert by_id["e3:t1"].missing == ["tmdb:0"]
    assert app.engine.sessions.session_ids() == [], "every replayed session is forgotten"
    summary = summarize(results, app.retrieval.catalog)
    assert summary["overall"]["cases"] == 3 and summary["alpha"]["recall@10"] >= 0.5


def test_eval_command_writes_report_plot_and_ablation(tmp_path: Path, monkeypatch) -> None:
    from chatbot.cli import main

    monkeypatch.chdir(tmp_path)
    lines = SAMPLE_CATALOG.read_text().splitlines()[::50]
    keep = {json.loads(line)["id"] for line in lines}
    catalog = tmp_path / "films.jsonl"
    # Popularity moved to another field: --popularity-field must bring it back.
    catalog.write_text("".join(json.dumps({**{k: v for k, v in r.items() if k != "popularity"},
                                           "votes": r.get("popularity")}) + "\n"
                               for r in map(json.loads, lines)))
    dialogs = tmp_path / "dialogs.jsonl"
    dialogs.write_text("".join(json.dumps({"id": c.id, "source": c.source, "dialog_id": c.dialog_id,
                                           "context": [{"role": r, "text": t} for r, t in c.context],
                                           "target_item_ids": list(c.targets)}) + "\n"
                               for c in E2E_CASES if set(c.targets) & keep))
    log = tmp_path / "log.csv"
    log.write_text("session,item\n1,wp:Click_(2006_film)\n1,wp:Grown_Ups_2\n")
    out = tmp_path / "out"
    code = main(["eval", "--catalog", str(catalog), "--dialogs", str(dialogs), "--interactions", str(log),
                 "--popularity-field", "votes", "--data-dir", str(tmp_path / "data"), "--out", str(out),
                 "--ablation"])
    assert code == 0
    report = json.loads((out / "report.json").read_text())
    assert report["results"]["overall"]["cases"] == 3
    converted = load_catalog(report["config"]["catalog_used"])
    assert converted.get("wp:Click_(2006_film)").popularity == 5933, "popularity was read from 'votes'"
    assert {"without liked", "without prior", "no interaction log"} <= set(report["ablation"])
    assert (out / "recall_at_k.png").read_bytes()[:4] == b"\x89PNG"
    assert "| overall |" in (out / "report.md").read_text()


# --- the log in ranking: prior candidates and co-occurrence with items already in the conversation ---------------
def _tiny_ranker(model: CoOccurrence | None):
    import numpy as np

    from retrieval.rank import Ranker
    from retrieval.vectors import ItemVectors
    from test_rank import ITEMS, ExactSearch, embed

    items = [Item(id=i, title=t, description=f"{t} film", year=y, genres=tuple(g), popularity=p,
                  extra={"cast": list(c)}) for i, t, y, g, c, p, _ in ITEMS]
    vectors = ItemVectors(Catalog(items), [i[0] for i in ITEMS], np.array([v for *_, v in ITEMS], np.float32), embed)
    return Ranker(ExactSearch(vectors), vectors, collaborative=model, prior=model.prior if model else None)


def test_prior_brings_what_people_pick_into_a_cold_start() -> None:
    from retrieval.rank import RankRequest

    model = CoOccurrence([Interaction(f"s{n}", "oldspace") for n in range(5)])
    result = _tiny_ranker(model).rank(RankRequest(positives={}, k=3))
    assert result[0].item_id == "oldspace", "the log's favourite leads although the catalog calls it unpopular"
    assert result[0].parts["prior"] > 0


def test_items_already_in_the_conversation_seed_cooccurrence() -> None:
    from retrieval.rank import RankRequest
    from retrieval.rank_weights import RankWeights

    model = CoOccurrence([Interaction(f"s{n}", i) for n in range(3) for i in ("notting", "oldspace")])
    ranker = _tiny_ranker(model)
    request = RankRequest(positives={"genre:science fiction": 1.0}, exclude_ids={"notting"}, k=10)
    with_context = ranker.rank(request, RankWeights(prior=0.0))
    lifted = next(r for r in with_context if r.item_id == "oldspace")
    assert lifted.parts["collaborative"] > 0 and lifted.co_liked_with is None, "shown, not liked: no 'you liked'"
    without = ranker.rank(request, RankWeights(prior=0.0, context=0.0))
    assert "collaborative" not in next(r for r in without if r.item_id == "oldspace").parts
    assert "notting" not in [r.item_id for r in with_context]


def test_ranker_examples_are_ranked_out_of_fold() -> None:
    from chatbot.evaluation.train_ranker import folds

    cases = [Case(f"c{i}", "redial", f"d{i // 3}", (("user", "hi"),), (f"i{i}",)) for i in range(120)]
    parts = folds(cases, seed=0, count=4)
    assert len(parts) == 4
    assert sorted(c.id for examples, _ in parts for c in examples) == sorted(c.id for c in cases), \
        "every train case is an example exactly once"
    for examples, log_cases in parts:
        assert examples and not {c.dialog_id for c in examples} & {c.dialog_id for c in log_cases}, \
            "a fold's log never holds its own dialogues"
        assert len(examples) + len(log_cases) == len(cases)
