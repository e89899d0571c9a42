"""Plain-text tables of run summaries, for the terminal (labels from `analysis.labels`)."""

from __future__ import annotations

from typing import Any

from analysis.dataset import flatten
from analysis.labels import RUN_TABLE, figure
from simulation.parameters import KINDS


def format_summaries(summaries: list[dict[str, Any]]) -> str:
    """Figures of one or more runs side by side, then the median response by kind.

    The rows are `labels.RUN_TABLE`; a figure that no run has is left out, so the table
    follows the summary the model writes.
    """
    flat = [flatten(s) for s in summaries]
    names = [str(s["scenario"]) for s in summaries]
    rows = []
    for entry in RUN_TABLE:
        key = entry.strip()
        if not any(key in f for f in flat):
            continue
        fig = figure(key)
        indent = "  " if entry.startswith(" ") else ""
        rows.append((indent + fig.title("en"), [fig.format(f.get(key)) for f in flat]))
    width = max(14, *(len(n) + 2 for n in names))
    label_w = max(len(r[0]) for r in rows) + 2
    lines = ["".ljust(label_w) + "".join(n.rjust(width) for n in names)]
    lines.append("-" * len(lines[0]))
    for label, values in rows:
        lines.append(label.ljust(label_w) + "".join(v.rjust(width) for v in values))
    lines.append("")
    lines.append("Median response by kind (h)".ljust(label_w))
    median = figure("response_time_min.median")
    for k in KINDS:
        vals = [median.format(f.get(f"by_kind.{k}.response_time_min.median")) for f in flat]
        lines.append(f"  {k}".ljust(label_w) + "".join(v.rjust(width) for v in vals))
    return "\n".join(lines)
