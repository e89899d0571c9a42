"""What `run.py siting` shows: the printed table, the map and the HTML report."""

from __future__ import annotations

import base64
import html
import io
import math
import textwrap
from importlib.metadata import version

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.colors import LogNorm  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from analysis.cbc_limit import hard_limit_s  # noqa: E402
from analysis.siting import SitingResult, entries, nearest  # noqa: E402
from analysis.siting_tables import pct  # noqa: E402

#: marker, colour and size of each kind of set on the map
STYLE = {"structure": ("s", "black", 34), "coverage": ("^", "#1f5fbf", 46),
         "access": ("o", "#d62728", 40)}
TABLE_COLUMNS = (("set", "sites", "<34"), ("p", "p", ">4"), ("covered_pct", "covered %", ">9"),
                 ("mean_min", "mean min", ">9"), ("p90_min", "p90 min", ">8"),
                 ("result", "solver", "<22"), ("solve_s", "time s", ">7"))
#: printed under the table
LEGEND = ("solver: optimal = proved optimal for the aggregated problem, by CBC, by trying "
          "every set of p sites (enumeration) or by meeting a lower bound (bound); CBC = CBC's "
          "best solution at its time limit; heuristic = greedy addition and vertex "
          "substitution, CBC stopped or worse; gap = to the best lower bound known (CBC's "
          "or the Lagrangian), ? if none. Every figure is an exact walk on cells.")


def _cell(value, key: str) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "-"
    if key in ("p", "variables", "candidate_sites"):
        return f"{int(value):,}"
    if key in ("mean_min", "blocks_mean_min"):
        return f"{value:.2f}"
    if key in ("covered_pct", "blocks_covered_pct"):
        return pct(value)
    if key in ("p90_min", "max_min"):
        return f"{value:.1f}"
    if key in ("err_mean", "err_cov"):
        return f"{value:+.2f}"
    if key in ("objective", "heuristic_objective", "cbc_objective", "bound"):
        return f"{value:.4f}"
    if key == "gap":
        return f"{100 * value:.2f} %"
    if key in ("solve_s", "cbc_s"):
        return f"{value:.0f}" if value >= 10 else f"{value:.1f}"
    return str(value)


def format_table(result: SitingResult, rows: pd.DataFrame) -> str:
    """The comparison as text, one block per demand."""
    lines = []
    for demand, group in rows.groupby("demand", sort=False):
        dem = result.demands[demand]
        lines.append(f"{dem.label.capitalize()} ({dem.residents:,.0f} in {len(dem.cells):,} "
                     f"cells):")
        lines.append("  " + " ".join(f"{head:{fmt}}" for _, head, fmt in TABLE_COLUMNS))
        for _, r in group.iterrows():
            lines.append("  " + " ".join(f"{_cell(r[key], key):{fmt}}"
                                         for key, _, fmt in TABLE_COLUMNS))
        lines.append("")
    lines += textwrap.wrap(LEGEND, width=92)
    return "\n".join(lines).rstrip()


# -------------------------------------------------------------------------------- map
def _groups(result: SitingResult) -> list[tuple[str, int]]:
    seen: list[tuple[str, int]] = []
    for demand, _, _, p, _, _ in entries(result):
        if (demand, p) not in seen:
            seen.append((demand, p))
    return seen


def site_map(result: SitingResult) -> bytes:
    """A PNG: population density, the structure's sites and the optima, one panel per
    demand and count, with the 15-minute boundary of the structure and of the p-median."""
    city, walk = result.city, result.walk
    groups = _groups(result)
    ncols = min(2, len(groups))
    nrows = math.ceil(len(groups) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(6.2 * ncols, 5.2 * nrows), squeeze=False)
    dens = np.where(city.density > 0, city.density, np.nan)
    positive = city.density[city.density > 0]
    norm = LogNorm(vmin=max(positive.min(), 1e-3), vmax=positive.max())
    circle = walk.circle_min
    for ax, (demand, p) in zip(axes.ravel(), groups):
        dem = result.demands[demand]
        x0, x1 = max(dem.xs.min() - 4, 0), min(dem.xs.max() + 5, city.width)
        y0, y1 = max(dem.ys.min() - 4, 0), min(dem.ys.max() + 5, city.height)
        ax.imshow(dens[x0:x1, y0:y1].T, origin="lower", cmap="YlOrBr", norm=norm,
                  extent=(x0 - 0.5, x1 - 0.5, y0 - 0.5, y1 - 0.5), interpolation="nearest")
        gx, gy = np.meshgrid(np.arange(x0, x1), np.arange(y0, y1), indexing="ij")
        names = []
        for d, kind, label, q, sites, _ in entries(result):
            if (d, q) != (demand, p) or not len(sites):
                continue
            marker, colour, size = STYLE[kind]
            size = size if p <= 12 else size * 0.55
            ax.scatter(sites // city.height, sites % city.height, marker=marker, s=size,
                       c=colour, edgecolors="white", linewidths=0.6, zorder=3)
            if kind in ("structure", "access"):
                t, _ = nearest(gx, gy, sites, city.height, walk)
                ax.contour(gx, gy, t, levels=[circle], colors=colour, linewidths=1.0,
                           linestyles="--" if kind == "structure" else "-", zorder=2)
            names.append(label)
        ax.set_title(f"{dem.label}, p = {p}\n" + "; ".join(dict.fromkeys(names)), fontsize=8.5)
        ax.set_xlim(x0 - 0.5, x1 - 0.5)
        ax.set_ylim(y0 - 0.5, y1 - 0.5)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
    for ax in axes.ravel()[len(groups):]:
        ax.axis("off")
    handles = [Line2D([], [], marker=STYLE[k][0], color=STYLE[k][1], linestyle="",
                      markersize=7, label=lab) for k, lab in (
        ("structure", "the structure's sites"), ("coverage", "best coverage (MCLP)"),
        ("access", "best access (p-median)"))]
    handles += [Line2D([], [], color="black", linestyle="--",
                       label=f"{circle:g}-minute walk from the structure's sites"),
                Line2D([], [], color=STYLE["access"][1],
                       label=f"{circle:g}-minute walk from the p-median sites")]
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=8, frameon=False)
    fig.suptitle(f"{result.title or result.scenario}: the structure's sites and the optima "
                 f"(background: residents per {city.cell_m:g} m cell, log scale)", fontsize=10)
    fig.tight_layout(rect=(0, 0.06, 1, 0.97))
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    plt.close(fig)
    return buf.getvalue()


# ------------------------------------------------------------------------------- HTML
CSS = """body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:.9em}
td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}
td:first-child,th:first-child{text-align:left}img{max-width:100%}
.note{color:#555;font-size:.9em}"""


def _html_table(frame: pd.DataFrame, columns: dict[str, str]) -> str:
    head = "".join(f"<th>{html.escape(v)}</th>" for v in columns.values())
    body = []
    for _, r in frame.iterrows():
        cells = "".join(f"<td>{html.escape(_cell(r[k], k))}</td>" for k in columns)
        body.append(f"<tr>{cells}</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def html_report(result: SitingResult, rows: pd.DataFrame, said: list[str], png: bytes,
                command: str) -> str:
    """A self-contained page: what was solved, the figures, the map, the solver runs."""
    walk, b = result.walk, result.block
    solved = rows[rows["kind"] != "structure"]
    agg = rows.assign(err_mean=rows["mean_min"] - rows["blocks_mean_min"],
                      err_cov=rows["covered_pct"] - rows["blocks_covered_pct"])
    figures = {"demand": "residents", "set": "sites", "kind": "kind", "p": "p",
               "covered_pct": f"within {walk.circle_min:g} min %", "mean_min": "mean min",
               "p90_min": "90th pct min", "max_min": "longest min"}
    runs = {"set": "problem", "demand": "residents", "p": "p", "status": "status",
            "solve_s": "seconds (model, heuristic, CBC)", "cbc_s": "seconds in CBC",
            "objective": "objective", "heuristic_objective": "heuristic's objective",
            "cbc_objective": "CBC's objective", "bound": "bound",
            "gap": "gap", "variables": "variables", "candidate_sites": "candidates",
            "enumeration_check": "check by enumeration"}
    errs = {"set": "sites", "demand": "residents", "p": "p", "mean_min": "mean min (cells)",
            "blocks_mean_min": "mean min (blocks)", "err_mean": "difference",
            "covered_pct": "covered % (cells)", "blocks_covered_pct": "covered % (blocks)",
            "err_cov": "difference"}
    dem_lines = "".join(
        f"<li>{html.escape(d.label)}: {d.residents:,.0f} residents in {len(d.cells):,} cells"
        + (f", {len(result.blocks[k]):,} blocks of {b} x {b} cells" if k in result.blocks
           else "") + "</li>" for k, d in result.demands.items())
    solvers = sorted({s.solver for s in result.solutions}) or ["CBC"]
    hard = hard_limit_s(result.time_limit_s)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Siting: {html.escape(result.scenario)}</title><style>{CSS}</style></head><body>
<h1>The best possible siting: {html.escape(result.title or result.scenario)}</h1>
<p>Scenario <code>{html.escape(result.scenario)}</code>, map seed {result.seed}. Residents
walk at {walk.speed_kmh:g} km/h along streets {walk.detour:g} times longer than the straight
grid line; the service circle is {walk.circle_min:g} minutes.</p>
<h2>What was solved</h2>
<p>For each count p of sites: the <b>maximal covering location problem</b> (MCLP: the p
sites that put most residents within {walk.circle_min:g} minutes' walk of one) and the
<b>p-median problem</b> (the p sites with the least mean walk to the nearest), with spopt
{version("spopt")} on PuLP {version("pulp")} and {html.escape(", ".join(solvers))},
with a time limit of {result.time_limit_s:g} s each (a heuristic's solution where CBC
did not prove one). Candidate sites are inhabited cells, one per block
of {b} x {b} cells. The structure's own sites and every optimum are then measured the same
way, exactly, on the {result.city.cell_m:g} m cell grid.</p>
<h2>In plain words</h2><ul>{"".join(f"<li>{html.escape(s)}</li>" for s in said)}</ul>
<h2>Figures</h2>{_html_table(rows, figures)}
<h2>Map</h2>
<img alt="siting map" src="data:image/png;base64,{base64.b64encode(png).decode()}">
<h2>Solver runs</h2>{_html_table(solved, runs) if len(solved) else "<p>None.</p>"}
<p class="note">Every problem is first solved by a heuristic (greedy addition, then
vertex substitution, Teitz and Bart 1968) with a Lagrangian lower bound, then by CBC with
its time limit; CBC's process is stopped if it has not returned {hard:g} s after it started.
Status "optimal": CBC proved the optimum of the aggregated problem; "optimal (by
enumeration ...)": every set of p candidates was tried (at most 100,000 sets); "optimal
(... met the bound)": the solution kept equals a lower bound; "feasible (time limit)":
CBC's best solution when time ran out; "heuristic (...)": the heuristic's solution, CBC
having been stopped, found none, or a worse one. The objective is the share covered (MCLP)
or the mean walk in minutes (p-median) on the aggregated problem; the gap is to the best
bound known (CBC's, or the Lagrangian's). Where every set of p candidates could be tried
the optimum was checked by enumeration.</p>
<h2>Aggregation</h2><ul>{dem_lines}</ul>
<p>The p-median sees each block's residents at their weighted centroid; MCLP sees every
cell. The table gives each set of sites as the aggregated problem sees it and as measured
on cells.</p>{_html_table(agg, errs)}
<h2>How it was made</h2><p><code>{html.escape(command)}</code></p>
</body></html>
"""
