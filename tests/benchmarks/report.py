"""Turn a benchmark JSON into the tables and plots of docs/performance.md.

    .venv/bin/python tests/benchmarks/report.py results/benchmarks.json [--plots DIR]
        [--markdown FILE]

Prints (or writes) Markdown: the table of medians with peak memory, the scaling curves,
the comparison with the plain Mesa reference and the issue's targets marked met or not.
With --plots, saves the scaling curves as PNG files in DIR.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any

STRUCTURES = ("flat_2012", "hierarchy_2011")
#: A curve is called linear if doubling the work costs at most this much more than double.
LINEAR_SLACK = 1.15


def load(path: Path) -> dict[str, dict[str, Any]]:
    """Benchmarks by their full name (e.g. `test_full_scale_run[flat_2012-365]`)."""
    data = json.loads(path.read_text())
    out = {b["name"]: b for b in data["benchmarks"]}
    out["__meta__"] = {k: data.get(k) for k in ("machine_info", "commit_info", "datetime",
                                                "city_governance_sim")}
    return out


def _get(b: dict[str, dict], name: str) -> dict | None:
    return b.get(name)


def _mem(bench: dict | None) -> str:
    if not bench or "peak_rss_mb" not in bench["extra_info"]:
        return "–"
    return f"{bench['extra_info']['peak_rss_mb']:.0f}"


def _s(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def _cpu(bench: dict) -> str:
    e = bench["extra_info"]
    return f"{e['cpu_s_median']:.2f}" if "cpu_s_median" in e else "–"


def medians_table(b: dict) -> list[str]:
    rows = ["| measurement | structure | wall median (s) | wall min (s) | CPU median (s) | "
            "rounds | build / run / figures, wall median (s) | peak RSS (MB) |",
            "|---|---|---:|---:|---:|---:|---|---:|"]
    for name in STRUCTURES:
        x = _get(b, f"test_build_full_city[{name}]")
        if x:
            rows.append(f"| city build (232,000 residents, 365 days of needs) | {name} | "
                        f"{x['stats']['median']:.2f} | {x['stats']['min']:.2f} | {_cpu(x)} | "
                        f"{x['stats']['rounds']} | – | {_mem(x)} |")
    for days in (30, 365):
        for name in STRUCTURES:
            x = _get(b, f"test_full_scale_run[{name}-{days}]")
            if x:
                e = x["extra_info"]
                rows.append(f"| {days} days, full scale (`run_point`) | {name} | "
                            f"{x['stats']['median']:.2f} | {x['stats']['min']:.2f} | "
                            f"{_cpu(x)} | {x['stats']['rounds']} | {e['build_s_median']:.2f} / "
                            f"{e['run_s_median']:.2f} / {e['figures_s_median']:.2f} | "
                            f"{_mem(x)} |")
    for name in STRUCTURES:
        x = _get(b, f"test_ui_step[{name}]")
        if x:
            st, e = x["stats"], x["extra_info"]
            cpu = f"{e['cpu_s_median'] * 1e3:.2f} ms" if "cpu_s_median" in e else "–"
            rows.append(f"| UI step (1 simulated hour, scale 0.1) | {name} | "
                        f"{st['median'] * 1e3:.2f} ms = {1 / st['median']:.0f} steps/s | "
                        f"{st['min'] * 1e3:.2f} ms | {cpu} | {st['rounds']} | mean "
                        f"{st['mean'] * 1e3:.2f} ms = {1 / st['mean']:.0f} steps/s | "
                        f"{_mem(x)} |")
    return rows


def population_curve(b: dict) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for name in STRUCTURES:
        pts = []
        for key, x in b.items():
            if key.startswith(f"test_population_scaling[{name}-"):
                e = x["extra_info"]
                pts.append((e["factor"], e["residents"], x["stats"]["median"],
                            e["run_s_median"], e.get("peak_rss_mb"), e["needs"],
                            e.get("cpu_s_median")))
        out[name] = sorted(pts)
    return out


def horizon_curve(b: dict) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for name in STRUCTURES:
        pts = []
        for key, x in b.items():
            if key.startswith(f"test_full_scale_run[{name}-"):
                e = x["extra_info"]
                pts.append((e["days"], x["stats"]["median"], e["run_s_median"],
                            e.get("peak_rss_mb"), e["needs"], e.get("cpu_s_median")))
        out[name] = sorted(pts)
    return out


def curve_tables(b: dict) -> list[str]:
    rows = []
    pop = population_curve(b)
    if any(pop.values()):
        days = next(iter(b[k]["extra_info"]["days"] for k in b
                         if k.startswith("test_population_scaling")))
        rows += [f"Population ({days} days; 2x = every count of persons doubled on the same "
                 "map):", "",
                 "| structure | factor | residents | needs | wall total (s) | wall run (s) "
                 "| CPU total (s) | peak RSS (MB) |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for name, pts in pop.items():
            for f, res, tot, run, mem, needs, cpu in pts:
                rows.append(f"| {name} | {f:g}x | {res:,} | {needs:,} | {tot:.2f} | {run:.2f} | "
                            f"{_s(cpu)} | {_s(mem, 0)} |")
        rows.append("")
    hor = horizon_curve(b)
    if any(hor.values()):
        rows += ["Horizon (full scale):", "",
                 "| structure | days | needs | wall total (s) | wall run (s) | "
                 "CPU total (s) | peak RSS (MB) |", "|---|---:|---:|---:|---:|---:|---:|"]
        for name, pts in hor.items():
            for d, tot, run, mem, needs, cpu in pts:
                rows.append(f"| {name} | {d} | {needs:,} | {tot:.2f} | {run:.2f} | "
                            f"{_s(cpu)} | {_s(mem, 0)} |")
        rows.append("")
    return rows


def reference_table(b: dict) -> list[str]:
    rows = []
    for name in STRUCTURES:
        eng = _get(b, f"test_engine_on_reference_sample[{name}]")
        ref = _get(b, f"test_plain_mesa_reference[{name}]")
        if not (eng and ref):
            continue
        if not rows:
            e = ref["extra_info"]
            rows += [f"Sample: scale {e['scale']:g} ({e['residents']:,} residents), "
                     f"{e['days']} days, seeds {e['seeds']}.", "",
                     "| structure | model | wall median, build+run+figures (s) | wall median, "
                     "run (s) | CPU median (s) | peak RSS (MB) | median response (h), mean "
                     "over seeds [95 % CI] | reach [95 % CI] |",
                     "|---|---|---:|---:|---:|---:|---|---|"]
        re = ref["extra_info"]
        ag = re["agreement"]
        for label, x, side in (("engine", eng, "engine"), ("plain Mesa", ref, "reference")):
            r, rc = ag["response_median_h"][side], ag["reach"][side]
            xe = x["extra_info"]
            cpu = f"{statistics.median(xe['cpu_s']):.2f}" if "cpu_s" in xe else "–"
            rows.append(f"| {name} | {label} | {x['stats']['median']:.2f} | "
                        f"{statistics.median(xe['run_s']):.2f} | {cpu} | {_mem(x)} | "
                        f"{r[0]:.1f} [{r[1]:.1f}, {r[2]:.1f}] | "
                        f"{rc[0]:.3f} [{rc[1]:.3f}, {rc[2]:.3f}] |")
        d, dr = ag["response_median_h"]["difference"], ag["reach"]["difference"]
        cpu = f"**{re['speedup_cpu']:.0f}x**" if "speedup_cpu" in re else "–"
        rows.append(f"| {name} | **speed-up** | **{re['speedup_total']:.0f}x** | "
                    f"**{re['speedup_run']:.0f}x** | {cpu} | | difference {d[0]:+.1f} h "
                    f"[{d[1]:+.1f}, {d[2]:+.1f}] | difference {dr[0]:+.3f} "
                    f"[{dr[1]:+.3f}, {dr[2]:+.3f}] |")
    if rows:
        rows.append("")
        for name in STRUCTURES:
            ref = _get(b, f"test_plain_mesa_reference[{name}]")
            if ref:
                e = ref["extra_info"]
                rows.append(f"* {name}: the reference costs "
                            f"{e['reference_us_per_resident_step']:.2f} µs per resident-hour, "
                            f"so a full city-year (232,000 residents x 8,760 hours) would take "
                            f"about {e['reference_full_city_year_estimate_s'] / 60:.0f} min.")
    return rows


def targets(b: dict) -> list[str]:
    rows = ["| target | measured | met? |", "|---|---|---|"]

    def mark(ok: bool | None) -> str:
        return "–" if ok is None else ("met" if ok else "**not met**")

    for name in STRUCTURES:
        x = _get(b, f"test_full_scale_run[{name}-365]")
        if x:
            med, mem = x["stats"]["median"], x["extra_info"].get("peak_rss_mb")
            cpu = x["extra_info"].get("cpu_s_median")
            rows.append(f"| {name}: full city-year < 30 s (aim 15 s) | wall median {med:.1f} s "
                        f"(min {x['stats']['min']:.1f} s), CPU median {_s(cpu, 1)} s | "
                        f"{mark(med < 30)}{' (and < 15 s)' if med < 15 else ''} |")
            if mem is not None:
                rows.append(f"| {name}: city-year peak memory < 2 GB | {mem:.0f} MB | "
                            f"{mark(mem < 2048)} |")
        x = _get(b, f"test_build_full_city[{name}]")
        if x:
            rows.append(f"| {name}: city build < 5 s | median {x['stats']['median']:.2f} s | "
                        f"{mark(x['stats']['median'] < 5)} |")
        x = _get(b, f"test_ui_step[{name}]")
        if x:
            sps = 1 / x["stats"]["median"]
            rows.append(f"| {name}: UI >= 10 steps/s at scale 0.1 | {sps:.0f} steps/s "
                        f"(median; mean {1 / x['stats']['mean']:.0f}) | {mark(sps >= 10)} |")
    pop, hor = population_curve(b), horizon_curve(b)
    for name in STRUCTURES:
        # CPU time: what a run costs on a core of its own, little disturbed by other work
        cpu = {pt[0]: pt[6] for pt in pop.get(name, []) if pt[6] is not None}
        wall = {pt[0]: pt[3] for pt in pop.get(name, [])}
        if {0.5, 1.0, 2.0} <= set(cpu):
            r1, r2 = cpu[1.0] / cpu[0.5], cpu[2.0] / cpu[1.0]
            ok = r1 <= 2 * LINEAR_SLACK and r2 <= 2 * LINEAR_SLACK
            rows.append(f"| {name}: cost linear (or better) in population | CPU x{r1:.2f} from "
                        f"0.5x to 1x, x{r2:.2f} from 1x to 2x (wall run x"
                        f"{wall[1.0] / wall[0.5]:.2f}, x{wall[2.0] / wall[1.0]:.2f}; linear: x2) "
                        f"| {mark(ok)} |")
        cpu = {pt[0]: pt[5] for pt in hor.get(name, []) if pt[5] is not None}
        wall = {pt[0]: pt[2] for pt in hor.get(name, [])}
        if {30, 90, 365} <= set(cpu):
            r1, r2 = cpu[90] / cpu[30], cpu[365] / cpu[90]
            ok = r1 <= 3 * LINEAR_SLACK and r2 <= 365 / 90 * LINEAR_SLACK
            rows.append(f"| {name}: cost linear (or better) in horizon | CPU x{r1:.2f} from 30 "
                        f"to 90 days (linear: x3), x{r2:.2f} from 90 to 365 (linear: x4.06); "
                        f"wall run x{wall[90] / wall[30]:.2f}, x{wall[365] / wall[90]:.2f} "
                        f"| {mark(ok)} |")
    return rows


def plot(b: dict, out_dir: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    colours = {"flat_2012": "tab:blue", "hierarchy_2011": "tab:orange"}
    pop = population_curve(b)
    if any(pop.values()):
        fig, ax = plt.subplots(figsize=(5.5, 3.6), dpi=90)
        for name, pts in pop.items():
            if not pts:
                continue
            res = [p[1] / 1000 for p in pts]
            ax.plot(res, [p[2] for p in pts], "o-", color=colours[name], label=f"{name}: total")
            ax.plot(res, [p[6] for p in pts], "s--", color=colours[name], alpha=0.7,
                    label=f"{name}: CPU")
            one = next((p for p in pts if p[0] == 1.0), None)
            if one and one[6]:
                ax.plot([0, max(res)], [0, one[6] * max(res) / (one[1] / 1000)], ":",
                        color=colours[name], alpha=0.5, lw=1)
        days = next(b[k]["extra_info"]["days"] for k in b if k.startswith("test_population"))
        ax.set(xlabel="residents (thousands)", ylabel="seconds, median",
               title=f"Cost against population ({days} days)")
        ax.set_xlim(left=0)
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3)
        fig.tight_layout()
        path = out_dir / "performance_population.png"
        fig.savefig(path)
        plt.close(fig)
        paths.append(path)
    hor = horizon_curve(b)
    if any(hor.values()):
        fig, ax = plt.subplots(figsize=(5.5, 3.6), dpi=90)
        for name, pts in hor.items():
            if not pts:
                continue
            days = [p[0] for p in pts]
            ax.plot(days, [p[1] for p in pts], "o-", color=colours[name], label=f"{name}: total")
            ax.plot(days, [p[5] for p in pts], "s--", color=colours[name], alpha=0.7,
                    label=f"{name}: CPU")
            last = pts[-1]
            if last[5]:
                ax.plot([0, last[0]], [0, last[5]], ":", color=colours[name], alpha=0.5, lw=1)
        ax.set(xlabel="simulated days", ylabel="seconds, median",
               title="Cost against horizon (232,000 residents)")
        ax.set_xlim(left=0)
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3)
        fig.tight_layout()
        path = out_dir / "performance_horizon.png"
        fig.savefig(path)
        plt.close(fig)
        paths.append(path)
    return paths


def report(b: dict) -> str:
    meta = b.get("__meta__", {})
    extra = meta.get("city_governance_sim") or {}
    mi = meta.get("machine_info") or {}
    lines = [f"Run {meta.get('datetime', '?')}, commit "
             f"{(extra.get('code') or {}).get('git_commit', '?')[:10]}, Python "
             f"{mi.get('python_version', '?')}, Mesa {extra.get('mesa', '?')}, "
             f"{extra.get('cores', '?')} cores, load average at the end "
             f"{extra.get('load_average_at_end', '?')}.", "",
             "## Medians", ""]
    lines += medians_table(b) + ["", "## Scaling", ""] + curve_tables(b)
    lines += ["## Plain Mesa reference", ""] + reference_table(b)
    lines += ["", "## Targets", ""] + targets(b)
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("json", type=Path)
    ap.add_argument("--plots", type=Path, help="folder for the PNG plots")
    ap.add_argument("--markdown", type=Path, help="write the Markdown here, not to stdout")
    a = ap.parse_args(argv)
    b = load(a.json)
    text = report(b)
    if a.markdown:
        a.markdown.write_text(text)
    else:
        sys.stdout.write(text)
    if a.plots:
        for p in plot(b, a.plots):
            print(f"wrote {p}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
