"""The simulated seeker's report: one table per variant and the hit rate by turn as a plot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

COLUMNS = (("hit_rate", "hit rate by t"), ("recall", "recall by t"), ("coverage", "coverage by t"),
           ("long_tail_share", "long-tail share at t"), ("explored_share", "answers exploring"),
           ("explored_hits", "hits on the exploring pick"), ("turn_p50_s", "p50 s/turn"),
           ("turn_p95_s", "p95 s/turn"))


def _cell(key: str, value: Any) -> str:
    if value is None:
        return "–"
    if key == "explored_hits":
        return str(value)
    return f"{value:.2f}" if key.endswith("_s") else f"{value:.3f}"


def markdown(report: dict[str, Any]) -> str:
    """Per-turn rows of every variant, then turns to the first hit and sessions without one."""
    config = report["config"]
    lines = [f"# Simulated seekers: {config['seekers']} ReDial dialogues ({config['part']} part) of "
             f"{config['dialogs']}", "",
             f"Up to {config['turns']} turns, {config['top_k']} items per answer, {config['catalog_items']} catalog "
             f"items, seed {config['seed']}, exploration rate {config['exploration_rate_used']}.", "",
             "| variant | turn | " + " | ".join(h for _, h in COLUMNS) + " |", "|---" * (len(COLUMNS) + 2) + "|"]
    for name, row in report["rows"].items():
        for turn in row["per_turn"]:
            lines.append(f"| {name} | {turn['turn']} | " + " | ".join(_cell(k, turn[k]) for k, _ in COLUMNS) + " |")
    lines += ["", "| variant | sessions | wanted films | mean turns to first hit | sessions with no hit |",
              "|---|---|---|---|---|"]
    for name, row in report["rows"].items():
        first = row["mean_turns_to_first_hit"]
        lines.append(f"| {name} | {row['sessions']} | {row['wanted_films']} | "
                     f"{'–' if first is None else f'{first:.2f}'} | {row['no_hit_share']:.3f} |")
    lines += ["", f"{report['seconds']:.0f} s in all.", ""]
    return "\n".join(lines)


def plot_hit_rate(rows: dict[str, dict[str, Any]], path: Path) -> None:
    """Hit rate by turn, one line per variant, written as a PNG."""
    import matplotlib

    matplotlib.use("Agg")  # no display needed; safe in servers and CI
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for name, row in rows.items():
        turns = [t["turn"] for t in row["per_turn"]]
        # Dashed for exploring rows: where exploration changes nothing the two lines lie on top of each other.
        ax.plot(turns, [t["hit_rate"] for t in row["per_turn"]], marker="o", label=name,
                linestyle="--" if "exploration" in name else "-")
    ax.set_xlabel("turn")
    ax.set_ylabel("sessions with a wanted film shown by this turn")
    ax.set_ylim(bottom=0)
    ax.set_xticks(turns)
    ax.grid(alpha=0.3)
    ax.legend()
    ax.set_title("Simulated seekers: hit rate by turn")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
