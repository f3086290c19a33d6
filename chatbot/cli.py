"""Command line: index a catalog, chat in the terminal, evaluate on dialogues."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from chatbot.config import ConfigError, load_settings
from chatbot.data_lock import DataDirBusy
from chatbot.evaluation.replay import DialogError
from retrieval.catalog import CatalogError
from retrieval.collaborative import InteractionError
from retrieval.learned_rank import RankerFileError
from retrieval.query_tuning import TuningOptions


def _index(args: argparse.Namespace) -> int:
    from chatbot.components import open_index, tqdm_progress
    from retrieval.catalog import load_catalog

    settings = load_settings(**({"catalog": args.catalog} if args.catalog else {}))
    catalog = load_catalog(settings.catalog)  # validated whole before the store is touched
    store, report = open_index(settings, catalog, tqdm_progress("embedding"), force=args.force)
    state = "already up to date" if report.skipped else f"built in {report.seconds:.1f} s"
    print(f"{report.items} items in collection {report.collection}: {state} "
          f"({report.embedded} embedded, {report.reused} reused)")
    if args.save_vectors:
        from retrieval.embeddings import vector_cache_path

        path = vector_cache_path(settings.catalog)
        print(f"{store.export_vectors(path)} vectors saved to {path}: a fresh install of this catalog embeds nothing")
    return 0


def _search(args: argparse.Namespace) -> int:
    from chatbot.components import open_store
    from retrieval.store import build_where

    store = open_store(load_settings())
    where = build_where(args.year_min, args.year_max, args.genre, args.not_genre)
    for hit in store.search(args.query, k=args.k, where=where):
        year = hit.metadata.get("year", "")
        print(f"{hit.score:.3f}  {hit.item_id}  {hit.metadata.get('title')} {year}")
    return 0


def _chat(args: argparse.Namespace) -> int:
    from chatbot.components import build_engine, tqdm_progress

    settings = load_settings(**({"chat_backend": args.backend} if args.backend else {}))
    engine = build_engine(settings, progress=tqdm_progress("indexing")).engine
    session = args.session
    print("Tell me what you like (empty line or Ctrl-D to quit).")
    while True:
        try:
            text = input("you> ")
        except EOFError:
            break
        if not text.strip():
            break
        result = engine.turn(session, text)
        print("bot> ", end="", flush=True)
        for chunk in result.stream:
            print(chunk, end="", flush=True)
        profile = ", ".join(f"{f.label} {f.weight:+.2f}" for f in result.profile[:6])
        print(f"\n   [profile: {profile}]")
    return 0


def _install_llama_cpp(args: argparse.Namespace) -> int:
    from chatbot.llm.llama_cpp_lib import LlamaCppUnavailable, VERSION, install

    try:
        folder = install(load_settings().llama_cpp_dir)
    except LlamaCppUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"llama.cpp {VERSION} is installed in {folder}")
    return 0


def _eval(args: argparse.Namespace) -> int:
    from chatbot.evaluation.report import markdown_report
    from chatbot.evaluation.run import EvalOptions, run

    options = EvalOptions(
        catalog=args.catalog, dialogs=args.dialogs, out=args.out, limit=args.limit, seed=args.seed, llm=args.llm,
        interactions=args.interactions, split_train_fraction=args.split_train_fraction,
        popularity_field=args.popularity_field, only_items=args.only_items, data_dir=args.data_dir,
        ablation=args.ablation,
        ablation_llm=args.ablation_llm,
    )
    report = run(options)
    print(markdown_report(report))
    print(f"report.json, report.md and recall_at_k.png written to {args.out}")
    return 0


def _train(args: argparse.Namespace) -> int:
    import json

    from chatbot.evaluation.train_ranker import TrainOptions, train

    summary = train(TrainOptions(
        catalog=args.catalog or load_settings().catalog, dialogs=args.dialogs, out=args.out,
        interactions=args.interactions, seed=args.seed, split_train_fraction=args.split_train_fraction,
        popularity_field=args.popularity_field, data_dir=args.data_dir, rounds=args.rounds,
    ))
    print(json.dumps(summary, indent=2))
    print(f"ranker written to {args.out}; serve it with RECBOT_RANKER={args.out}")
    return 0


def _train_lead_in(args: argparse.Namespace) -> int:
    import json

    from chatbot.evaluation.train_lead_in import LeadInTrainOptions, train
    from chatbot.llm.lora_training import LoraOptions

    summary = train(LeadInTrainOptions(
        dialogs=args.dialogs, out=args.out, catalog=args.catalog, data_dir=args.data_dir, limit=args.limit,
        seed=args.seed, lora=LoraOptions(rank=args.rank, epochs=args.epochs, seed=args.seed),
    ))
    print(json.dumps({k: v for k, v in summary.items() if k != "examples"}, indent=2))
    print(f"adapter written to {args.out}; serve it with RECBOT_CHAT_ADAPTER={args.out}")
    return 0


def _train_query(args: argparse.Namespace) -> int:
    import json

    from chatbot.evaluation.train_query import QueryTrainOptions, train

    summary = train(QueryTrainOptions(
        catalog=args.catalog or load_settings().catalog, dialogs=args.dialogs, out=args.out, data_dir=args.data_dir,
        popularity_field=args.popularity_field, seed=args.seed,
        tuning=TuningOptions(epochs=args.epochs, seed=args.seed),
    ))
    print(json.dumps(summary, indent=2))
    print(f"query encoder written to {args.out}; serve it with RECBOT_QUERY_MODEL={args.out}")
    return 0


def _eval_preferences(args: argparse.Namespace) -> int:
    from chatbot.evaluation.preferences import PreferenceOptions, markdown, run

    report = run(PreferenceOptions(
        catalog=args.catalog, dialogs=args.dialogs, out=args.out, llm=args.llm, limit=args.limit, seed=args.seed,
        split_train_fraction=args.split_train_fraction, part=args.part, data_dir=args.data_dir,
        popularity_field=args.popularity_field,
    ))
    print(markdown(report))
    print(f"report.json and report.md written to {args.out}")
    return 0


def _eval_interactive(args: argparse.Namespace) -> int:
    from chatbot.evaluation.interactive import InteractiveOptions, run
    from chatbot.evaluation.interactive_report import markdown

    report = run(InteractiveOptions(
        catalog=args.catalog, dialogs=args.dialogs, out=args.out, turns=args.turns, seed=args.seed, limit=args.limit,
        split_train_fraction=args.split_train_fraction, part=args.part, ranker=args.ranker,
        interactions=args.interactions, exploration=args.exploration, exploration_rate=args.exploration_rate, data_dir=args.data_dir,
        popularity_field=args.popularity_field,
    ))
    print(markdown(report))
    print(f"report.json, report.md and hit_rate_by_turn.png written to {args.out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argparse tree of all subcommands."""
    parser = argparse.ArgumentParser(prog="python -m chatbot", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", required=True)

    index = sub.add_parser("index", help="embed a catalog into the vector store (atomic swap, reuses vectors)")
    index.add_argument("--catalog", type=Path, help="JSONL or CSV catalog (default: RECBOT_CATALOG)")
    index.add_argument("--force", action="store_true", help="rebuild even if the index is up to date")
    index.add_argument("--save-vectors", action="store_true",
                       help="also write the vectors next to the catalog (NAME.vectors.npz), reused by later indexes")
    index.set_defaults(run=_index)

    search = sub.add_parser("search", help="search the index directly (no LLM)")
    search.add_argument("query")
    search.add_argument("-k", type=int, default=10)
    search.add_argument("--year-min", type=int)
    search.add_argument("--year-max", type=int)
    search.add_argument("--genre", action="append", help="only items with this genre/tag (repeatable)")
    search.add_argument("--not-genre", action="append", help="no items with this genre/tag (repeatable)")
    search.set_defaults(run=_search)

    chat = sub.add_parser("chat", help="chat in the terminal with the configured models")
    chat.add_argument("--session", default="terminal", help="session id (state persists per id)")
    chat.add_argument("--backend", choices=["auto", "llama.cpp", "onnx", "transformers", "openai", "fake"],
                      help="chat model backend")
    chat.set_defaults(run=_chat)

    llama = sub.add_parser("install-llama-cpp",
                           help="fetch llama.cpp's prebuilt CPU libraries (pinned, sha512-checked) for the llama.cpp "
                                "backend")
    llama.set_defaults(run=_install_llama_cpp)

    ev = sub.add_parser("eval", help="replay recommendation dialogues through the engine and report Recall@k etc.")
    ev.add_argument("--catalog", type=Path, required=True, help="JSONL or CSV catalog")
    ev.add_argument("--dialogs", type=Path, required=True, help="JSONL cases: context, target_item_ids, source")
    ev.add_argument("--limit", type=int, help="evaluate a seeded random sample of at most N cases")
    ev.add_argument("--seed", type=int, default=0, help="seed of the train/test split and of --limit")
    ev.add_argument("--llm", action=argparse.BooleanOptionalAction, default=False,
                    help="LLM signal extraction too (slow on CPU; backend from RECBOT_CHAT_BACKEND)")
    ev.add_argument("--interactions", type=Path,
                    help="interaction log (CSV/JSONL) to learn from; then every case is evaluated")
    ev.add_argument("--split-train-fraction", type=float, default=0.5,
                    help="without --interactions: learn a log from this share of dialogues, report on the rest "
                         "(0: no log, all cases)")
    ev.add_argument("--popularity-field", help="read item popularity from this catalog field "
                                               "(e.g. tmdb_vote_count); a converted copy goes into the data dir")
    ev.add_argument("--only-items", type=Path, metavar="IDS_FILE",
                    help="rank only these catalog ids (one per line), e.g. ReDial's own film list; use its own "
                         "--data-dir, since the index is rebuilt for the subset")
    ev.add_argument("--data-dir", type=Path, help="index and sessions folder (default RECBOT_DATA_DIR); reused")
    ev.add_argument("--out", type=Path, default=Path("eval-out"), help="folder for report.json, report.md, PNG")
    ev.add_argument("--ablation", action="store_true", help="also rerun with each ranking signal switched off")
    ev.add_argument("--ablation-llm", type=int, default=0, metavar="N",
                    help="also compare rules-only and rules+LLM extraction on N cases")
    ev.set_defaults(run=_eval)

    tr = sub.add_parser("train", help="learn a second-stage ranker (LightGBM LambdaRank) from dialogues")
    tr.add_argument("--dialogs", type=Path, required=True, help="JSONL cases, as for eval")
    tr.add_argument("--out", type=Path, required=True, help="model file to write (then set RECBOT_RANKER to it)")
    tr.add_argument("--catalog", type=Path, help="JSONL or CSV catalog (default: RECBOT_CATALOG)")
    tr.add_argument("--interactions", type=Path,
                    help="interaction log for the features (default: out of fold, from the other train dialogues)")
    tr.add_argument("--seed", type=int, default=0, help="seed of the train/test split; eval must use the same")
    tr.add_argument("--split-train-fraction", type=float, default=0.5,
                    help="learn only from this share of dialogues, the eval's train half")
    tr.add_argument("--popularity-field", help="read item popularity from this catalog field, as for eval")
    tr.add_argument("--data-dir", type=Path, help="index folder (default RECBOT_DATA_DIR); reused")
    tr.add_argument("--rounds", type=int, default=300, help="boosting rounds at most (early stopping decides)")
    tr.set_defaults(run=_train)

    query = sub.add_parser("train-query",
                           help="fine-tune the query side of the embedding model against the index's item vectors")
    query.add_argument("--dialogs", type=Path, required=True, help="JSONL cases, as for eval; only the train half is used")
    query.add_argument("--out", type=Path, required=True, help="model folder to write (then set RECBOT_QUERY_MODEL)")
    query.add_argument("--catalog", type=Path, help="JSONL or CSV catalog (default: RECBOT_CATALOG)")
    query.add_argument("--popularity-field", help="read item popularity from this catalog field, as for eval")
    query.add_argument("--data-dir", type=Path, help="index folder (default RECBOT_DATA_DIR); reused")
    query.add_argument("--seed", type=int, default=0, help="seed of the train/test split; eval must use the same")
    query.add_argument("--epochs", type=int, default=TuningOptions.epochs)
    query.set_defaults(run=_train_query)

    lead = sub.add_parser("train-lead-in",
                          help="train a LoRA adapter (peft, CPU) that writes true one-sentence lead-ins, for llama.cpp")
    lead.add_argument("--dialogs", type=Path, required=True, help="JSONL cases, as for eval; only the train half is used")
    lead.add_argument("--out", type=Path, required=True, help="adapter GGUF to write (then set RECBOT_CHAT_ADAPTER)")
    lead.add_argument("--catalog", type=Path, help="JSONL or CSV catalog (default: RECBOT_CATALOG)")
    lead.add_argument("--data-dir", type=Path, help="index folder (default RECBOT_DATA_DIR); reused")
    lead.add_argument("--limit", type=int, default=600, help="train-half requests to learn from (seeded sample)")
    lead.add_argument("--seed", type=int, default=0, help="seed of the train/test split; evals must use the same")
    lead.add_argument("--rank", type=int, default=8, help="LoRA rank (8: a 4 MB file)")
    lead.add_argument("--epochs", type=int, default=1)
    lead.set_defaults(run=_train_lead_in)

    pref = sub.add_parser("eval-preferences",
                          help="replay whole dialogues and score the profile against what the seekers said they liked")
    pref.add_argument("--catalog", type=Path, required=True, help="JSONL or CSV catalog")
    pref.add_argument("--dialogs", type=Path, required=True,
                      help="JSONL dialogues with labels/mentions (e.g. preferences_dev.jsonl)")
    pref.add_argument("--out", type=Path, default=Path("eval-preferences-out"), help="folder for report.json/.md")
    pref.add_argument("--llm", action=argparse.BooleanOptionalAction, default=False,
                      help="also the rows 'LLM only' and 'rules + LLM' (backend from RECBOT_CHAT_BACKEND; slow)")
    pref.add_argument("--limit", type=int, help="score a seeded random sample of at most N dialogues")
    pref.add_argument("--seed", type=int, default=0, help="seed of the split by dialogue and of --limit")
    pref.add_argument("--split-train-fraction", type=float, default=0.5, help="share of dialogues in the train half")
    pref.add_argument("--part", choices=["test", "train", "all"], default="test",
                      help="score the held-out half (default), the train half (the one to tune on) or all")
    pref.add_argument("--data-dir", type=Path, help="index and sessions folder (default RECBOT_DATA_DIR)")
    pref.add_argument("--popularity-field", help="read item popularity from this catalog field (as in eval)")
    pref.set_defaults(run=_eval_preferences)

    sim = sub.add_parser("eval-interactive",
                         help="simulated seekers chat, like and dislike turn by turn; hit rate by turn")
    sim.add_argument("--catalog", type=Path, required=True, help="JSONL or CSV catalog")
    sim.add_argument("--dialogs", type=Path, required=True,
                     help="JSONL dialogues with `recommended` answers (preferences_dev.jsonl; its ReDial part)")
    sim.add_argument("--out", type=Path, default=Path("eval-interactive-out"),
                     help="folder for report.json, report.md, hit_rate_by_turn.png")
    sim.add_argument("--turns", type=int, default=5, help="turns per simulated conversation")
    sim.add_argument("--limit", type=int, help="play a seeded random sample of at most N dialogues")
    sim.add_argument("--seed", type=int, default=0, help="seed of the split by dialogue, of --limit and of sessions")
    sim.add_argument("--split-train-fraction", type=float, default=0.5, help="share of dialogues in the train half")
    sim.add_argument("--part", choices=["test", "train", "all"], default="test",
                     help="play the held-out half (default), the train half (the one to tune on) or all")
    sim.add_argument("--ranker", type=Path, help="also rows with this learned ranker (python -m chatbot train)")
    sim.add_argument("--interactions", type=Path,
                     help="interaction log the engine learns from, e.g. the train half's that `eval` writes "
                          "(EVAL_OUT/train_interactions.jsonl); default: none")
    sim.add_argument("--exploration", choices=["off", "on", "both"], default="both",
                     help="rows without exploration, with it, or both (default)")
    sim.add_argument("--exploration-rate", type=float, help="share of answers that explore (default: "
                                                             "RECBOT_EXPLORATION_RATE)")
    sim.add_argument("--data-dir", type=Path, help="index and sessions folder (default RECBOT_DATA_DIR)")
    sim.add_argument("--popularity-field", help="read item popularity from this catalog field (as in eval)")
    sim.set_defaults(run=_eval_interactive)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; user errors print a one-line message and exit 2."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    try:
        return args.run(args)
    except (ConfigError, CatalogError, DialogError, InteractionError, DataDirBusy, RankerFileError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: the previous index (if any) still serves", file=sys.stderr)
        return 130
