"""Human-readable output of an evaluation: markdown tables and the Recall@k plot."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

COLUMNS = (  # (metric key, header, format)
    ("cases", "cases", "{:d}"),
    ("recall@1", "R@1", "{:.3f}"),
    ("recall@10", "R@10", "{:.3f}"),
    ("recall@50", "R@50", "{:.3f}"),
    ("ndcg@10", "NDCG@10", "{:.3f}"),
    ("mrr", "MRR", "{:.3f}"),
    ("candidate_recall", "cand. R", "{:.3f}"),
    ("coverage@10", "coverage", "{:.3f}"),
    ("long_tail_share@10", "long-tail", "{:.2f}"),
    ("latency_p50_s", "p50 s", "{:.2f}"),
    ("latency_p95_s", "p95 s", "{:.2f}"),
)
ABLATION_COLUMNS = ("recall@10", "recall@50", "ndcg@10", "mrr")


def _cell(metrics: dict[str, Any], key: str, fmt: str) -> str:
    value = metrics.get(key)
    return "" if value is None else fmt.format(value)


def results_table(summary: dict[str, dict[str, Any]]) -> str:
    """One row per group (overall, then each source)."""
    lines = ["| | " + " | ".join(h for _, h, _ in COLUMNS) + " |", "|---" * (len(COLUMNS) + 1) + "|"]
    for group, metrics in summary.items():
        lines.append(f"| {group} | " + " | ".join(_cell(metrics, k, f) for k, _, f in COLUMNS) + " |")
    return "\n".join(lines)


def ablation_table(full: dict[str, dict[str, Any]], rows: dict[str, dict[str, dict[str, Any]]]) -> str:
    """R@10 / R@50 / NDCG@10 / MRR overall and R@10 per source, for the full system and each ablation row."""
    sources = [g for g in full if g != "overall"]
    header = [*(f"{k} overall" for k in ABLATION_COLUMNS), *(f"R@10 {s}" for s in sources)]
    lines = ["| variant | " + " | ".join(header) + " |", "|---" * (len(header) + 1) + "|"]
    for name, summary in [("full system", full), *rows.items()]:
        overall = summary.get("overall", {})
        cells = [_cell(overall, k, "{:.3f}") for k in ABLATION_COLUMNS]
        cells += [_cell(summary.get(s, {}), "recall@10", "{:.3f}") for s in sources]
        cases = overall.get("cases")
        lines.append(f"| {name}{f' (n={cases})' if cases != full['overall']['cases'] else ''} | "
                     + " | ".join(cells) + " |")
    return "\n".join(lines)


def markdown_report(report: dict[str, Any]) -> str:
    """The whole report as markdown: setup, results, ablations."""
    config = report["config"]
    log = config.get("interaction_log") or {}
    overall = report["results"]["overall"]
    parts = [
        "# Evaluation",
        f"{config['test_cases']} cases from {config['test_dialogs']} dialogues; catalog {config['catalog_items']:,} "
        f"items; {overall['targets_missing_from_catalog']} of {overall['targets']} targets not in the catalog "
        f"(counted as misses); {overall['short_lists']} cases got fewer than 10 items.",
        f"Interaction log: {log.get('sessions', 0)} sessions, {log.get('items', 0)} items"
        + (f" (train split: {log['train_dialogs']} dialogues)" if "train_dialogs" in log else "") + ".",
        "", results_table(report["results"]),
    ]
    if report.get("ablation"):
        parts += ["", "## Ablation", "", ablation_table(report["results"], report["ablation"])]
    return "\n".join(parts) + "\n"


def plot_recall(summary: dict[str, dict[str, Any]], path: Path, ks: Sequence[int]) -> None:
    """Recall@k against k, one line per group, written as a PNG."""
    import matplotlib

    matplotlib.use("Agg")  # no display needed; safe in servers and CI
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for group, metrics in summary.items():
        ax.plot(ks, [metrics[f"recall@{k}"] for k in ks], marker="o", label=f"{group} (n={metrics['cases']})")
    ax.set_xscale("log")
    ax.set_xticks(list(ks), [str(k) for k in ks])
    ax.set_xlabel("k")
    ax.set_ylabel("Recall@k")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend()
    ax.set_title("Recall@k on replayed dialogues")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
