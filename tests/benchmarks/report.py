"""Turn a benchmark JSON into the tables and plots of docs/performance.md.

    .venv/bin/python tests/benchmarks/report.py results/benchmarks.json [--plots DIR]
        [--markdown FILE]

Prints (or writes) Markdown: the table of medians with peak memory, the population and
horizon curves, and the issue's targets marked met or not. With --plots, saves the two
curves as PNG files in DIR (`performance_population.png`, `performance_horizon.png`).
Benchmarks missing from the JSON (a run with `-k build`, say) are left out.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

STRUCTURES = ("flat_2012", "hierarchy_2011")
#: A curve is called linear if a point with more work than the reference costs at most
#: this much more per unit of work than the reference (and one with less work at most
#: this much less): the fixed costs (build, figures) make smaller runs dearer per unit.
LINEAR_SLACK = 1.15
#: The curves' reference points: the full city (population curve), a year (horizon).
REF_FACTOR = 1.0
REF_DAYS = 365

#: The issue's targets.
YEAR_CPU_S = 10.0
YEAR_PEAK_MB = 1024.0
BUILD_S = 1.0
LARGER_YEAR_S = 60.0
LARGER_PEAK_MB = 4096.0


def load(path: Path) -> dict[str, dict[str, Any]]:
    """Benchmarks by their full name (e.g. `test_full_scale_run[flat_2012-365]`)."""
    data = json.loads(path.read_text())
    out = {b["name"]: b for b in data["benchmarks"]}
    out["__meta__"] = {k: data.get(k) for k in ("machine_info", "commit_info", "datetime",
                                                "city_governance_sim")}
    return out


def _s(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def _mem(x: dict | None) -> str:
    return _s((x or {}).get("extra_info", {}).get("peak_rss_mb"), 0)


def _once(x: dict) -> bool:
    """Measured once in a fresh process (the 5x city): its own times are in extra_info."""
    return "measured" in x["extra_info"]


def _wall(x: dict) -> float:
    """Wall median of the workload (a fresh-process run: without the interpreter's start)."""
    e = x["extra_info"]
    return e["wall_s_median"] if _once(x) else x["stats"]["median"]


def _wall_min(x: dict) -> str:
    return "–" if _once(x) else f"{x['stats']['min']:.2f}"


def _split(x: dict) -> str:
    e = x["extra_info"]
    if "run_s_median" not in e:
        return "–"
    return (f"{_s(e.get('build_s_median'))} / {_s(e.get('run_s_median'))} / "
            f"{_s(e.get('figures_s_median'))}")


def _residents(x: dict) -> str:
    r = x["extra_info"].get("residents")
    return "?" if r is None else f"{r:,}"


def _run_row(label: str, name: str, x: dict) -> str:
    e = x["extra_info"]
    return (f"| {label} | {name} | {_wall(x):.2f} | {_wall_min(x)} | "
            f"{_s(e.get('cpu_s_median'))} | {x['stats']['rounds']} | {_split(x)} | "
            f"{_mem(x)} |")


def medians_table(b: dict) -> list[str]:
    rows = ["| measurement | structure | wall median (s) | wall min (s) | CPU median (s) | "
            "rounds | build / run / figures, wall median (s) | peak RSS (MB) |",
            "|---|---|---:|---:|---:|---:|---|---:|"]
    for name in STRUCTURES:
        x = b.get(f"test_build_full_city[{name}]")
        if x:
            rows.append(_run_row(f"city build ({_residents(x)} residents, needs for 365 days)",
                                 name, x))
    for days in _horizons(b):
        for name in STRUCTURES:
            x = b.get(f"test_full_scale_run[{name}-{days}]")
            if x:
                rows.append(_run_row(f"{days:,} days, full scale (`run_point`)", name, x))
    for key, x in _prefixed(b, "test_larger_city_year["):
        e = x["extra_info"]
        rows.append(_run_row(f"{e.get('factor', 5):g}x city ({_residents(x)} residents), "
                             f"{e.get('days', 365):,} days, once in a fresh process",
                             e.get("scenario", key), x))
    for name in STRUCTURES:
        x = b.get(f"test_ui_step[{name}]")
        if x:
            st, e = x["stats"], x["extra_info"]
            cpu = f"{e['cpu_s_median'] * 1e3:.2f} ms" if "cpu_s_median" in e else "–"
            rows.append(f"| UI step (1 simulated hour, scale {e.get('scale', 0.1):g}) | {name} "
                        f"| {st['median'] * 1e3:.2f} ms = {1 / st['median']:.0f} steps/s | "
                        f"{st['min'] * 1e3:.2f} ms | {cpu} | {st['rounds']} | mean "
                        f"{st['mean'] * 1e3:.2f} ms = {1 / st['mean']:.0f} steps/s | "
                        f"{_mem(x)} |")
    if len(rows) == 2:
        return ["No build, run or UI benchmarks in this file."]
    rows += ["", "CPU is `time.process_time()` of the workload. A run is "
             "`analysis.runs.run_point` (build, run, case table and summary), as `run.py` "
             "does it, without the imports and without writing files. Peak RSS is that of the "
             "same workload in a fresh interpreter, imports included. A run measured once in a "
             "fresh process has no minimum; its wall time excludes the interpreter's start."]
    return rows


def _prefixed(b: dict, prefix: str) -> list[tuple[str, dict]]:
    return sorted((k, x) for k, x in b.items() if k.startswith(prefix))


def _horizons(b: dict) -> list[int]:
    return sorted({x["extra_info"]["days"] for _, x in _prefixed(b, "test_full_scale_run[")
                   if "days" in x["extra_info"]})


def _point(x: dict) -> dict[str, Any]:
    e = x["extra_info"]
    return {"factor": e.get("factor", 1.0), "days": e.get("days"),
            "residents": e.get("residents"), "needs": e.get("needs"), "wall": _wall(x),
            "run": e.get("run_s_median"), "cpu": e.get("cpu_s_median"),
            "mem": e.get("peak_rss_mb"), "rounds": x["stats"]["rounds"], "once": _once(x)}


def population_curve(b: dict) -> dict[str, list[dict]]:
    """Points of the population curve by structure, by factor."""
    return {name: sorted((_point(x) for _, x in
                          _prefixed(b, f"test_population_scaling[{name}-")),
                         key=lambda p: p["factor"]) for name in STRUCTURES}


def horizon_curve(b: dict) -> dict[str, list[dict]]:
    """Points of the horizon curve (full scale) by structure, by days."""
    return {name: sorted((_point(x) for _, x in _prefixed(b, f"test_full_scale_run[{name}-")),
                         key=lambda p: p["days"]) for name in STRUCTURES}


def _work(p: dict, curve: str) -> float | None:
    """The unit of work a curve grows: residents (population), simulated days (horizon)."""
    return p["residents"] if curve == "population" else p["days"]


def _reference(pts: list[dict], curve: str) -> dict | None:
    key, ref = ("factor", REF_FACTOR) if curve == "population" else ("days", REF_DAYS)
    return next((p for p in pts if p[key] == ref and p["cpu"] and _work(p, curve)), None)


def relative_cost(p: dict, ref: dict | None, curve: str) -> float | None:
    """CPU time per unit of work at `p`, relative to the reference point's."""
    if ref is None or not p["cpu"] or not _work(p, curve):
        return None
    return (p["cpu"] / _work(p, curve)) / (ref["cpu"] / _work(ref, curve))


def linear_or_better(pts: list[dict], curve: str) -> tuple[bool | None, str]:
    """Whether cost grows at most linearly with the work, and the ratios that decide it.

    Every point with more work than the reference may cost at most LINEAR_SLACK times the
    reference's CPU time per unit of work; every point with less work at least
    1 / LINEAR_SLACK times (cheaper per unit there would mean faster than linear growth
    up to the reference). None if there is no reference or no other point.
    """
    ref = _reference(pts, curve)
    others = [p for p in pts if p is not ref and relative_cost(p, ref, curve) is not None]
    if ref is None or not others:
        return None, "–"
    ok, parts = True, []
    for p in others:
        rel = relative_cost(p, ref, curve)
        more = _work(p, curve) > _work(ref, curve)
        ok &= rel <= LINEAR_SLACK if more else rel >= 1 / LINEAR_SLACK
        label = f"{p['factor']:g}x" if curve == "population" else f"{p['days']:,} d"
        parts.append(f"{label} x{rel:.2f}")
    return ok, ", ".join(parts)


def curve_tables(b: dict) -> list[str]:
    rows: list[str] = []
    pop = population_curve(b)
    if any(pop.values()):
        days = next(p["days"] for pts in pop.values() for p in pts)
        rows += [f"Population, {days} days. Above 1x the city is `workloads.larger_city`: "
                 "residents, map, communities, street offices, districts, police stations and "
                 "staff all scaled, so per-capita figures stay as they are; growth off. The "
                 "relative cost is the CPU time per resident against the full city's (1: "
                 "linear; below 1: better than linear).", "",
                 "| structure | factor | residents | needs | wall total (s) | wall run (s) "
                 "| CPU total (s) | CPU per resident, relative to 1x | peak RSS (MB) | rounds |",
                 "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for name, pts in pop.items():
            ref = _reference(pts, "population")
            for p in pts:
                rounds = "1 (fresh process)" if p["once"] else str(p["rounds"])
                rows.append(f"| {name} | {p['factor']:g}x | {p['residents'] or 0:,} | "
                            f"{p['needs'] or 0:,} | {p['wall']:.2f} | {_s(p['run'])} | "
                            f"{_s(p['cpu'])} | {_s(relative_cost(p, ref, 'population'))} | "
                            f"{_s(p['mem'], 0)} | {rounds} |")
        rows.append("")
    hor = horizon_curve(b)
    if any(hor.values()):
        rows += ["Horizon, full scale, growth off. The relative cost is the CPU time per "
                 "simulated day against a year's.", "",
                 "| structure | days | needs | wall total (s) | wall run (s) | CPU total (s) | "
                 "CPU per day, relative to 365 days | peak RSS (MB) | rounds |",
                 "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for name, pts in hor.items():
            ref = _reference(pts, "horizon")
            for p in pts:
                rows.append(f"| {name} | {p['days']:,} | {p['needs'] or 0:,} | "
                            f"{p['wall']:.2f} | {_s(p['run'])} | {_s(p['cpu'])} | "
                            f"{_s(relative_cost(p, ref, 'horizon'))} | {_s(p['mem'], 0)} | "
                            f"{p['rounds']} |")
        rows.append("")
    return rows or ["No scaling benchmarks in this file.", ""]


def _mark(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "**not met**")


def targets(b: dict) -> list[str]:
    rows = ["| target | measured | met? |", "|---|---|---|"]
    for name in STRUCTURES:
        x = b.get(f"test_full_scale_run[{name}-365]")
        if x:
            e = x["extra_info"]
            cpu, proc = e.get("cpu_s_median"), e.get("process_cpu_s")
            with_imports = (f"; {proc:.1f} s CPU for a whole fresh process with its imports"
                            if proc is not None else "")
            note = ("" if cpu is None or cpu > YEAR_CPU_S or proc is None or proc <= YEAR_CPU_S
                    else " for the run; not with the imports")
            rows.append(f"| {name}: city-year ≤ {YEAR_CPU_S:g} s CPU (the whole "
                        f"`run.py run {name} --days 365`) | CPU median {_s(cpu, 1)} s for "
                        f"`run_point` alone (no imports, no writing: the whole command is "
                        f"measured separately), wall median {_wall(x):.1f} s{with_imports} | "
                        f"{_mark(None if cpu is None else cpu <= YEAR_CPU_S)}{note} |")
            mem = e.get("peak_rss_mb")
            if mem is not None:
                rows.append(f"| {name}: city-year peak memory ≤ 1 GB | {mem:.0f} MB (fresh "
                            f"process, imports included) | {_mark(mem <= YEAR_PEAK_MB)} |")
        x = b.get(f"test_build_full_city[{name}]")
        if x:
            cpu = x["extra_info"].get("cpu_s_median")
            judged = cpu if cpu is not None else x["stats"]["median"]
            rows.append(f"| {name}: city build ≤ {BUILD_S:g} s | CPU median {_s(cpu)} s, wall "
                        f"median {x['stats']['median']:.2f} s (judged on "
                        f"{'CPU' if cpu is not None else 'wall'}) | "
                        f"{_mark(judged <= BUILD_S)} |")
    for key, x in _prefixed(b, "test_larger_city_year["):
        e = x["extra_info"]
        cpu, mem, name = e.get("cpu_s_median"), e.get("peak_rss_mb"), e.get("scenario", key)
        span = "a year" if e.get("days", 365) == 365 else f"{e['days']:,} days"
        rows.append(f"| {name}: {e.get('factor', 5):g}x city ({_residents(x)} residents) for "
                    f"{span} ≤ {LARGER_YEAR_S:g} s | CPU {_s(cpu, 1)} s, wall {_wall(x):.1f} s "
                    f"(once, fresh process; {_s(e.get('process_cpu_s'), 1)} s CPU with the "
                    f"imports; judged on CPU) | "
                    f"{_mark(None if cpu is None else cpu <= LARGER_YEAR_S)} |")
        if mem is not None:
            rows.append(f"| {name}: {e.get('factor', 5):g}x city, {span}: peak memory ≤ 4 GB | "
                        f"{mem:.0f} MB | {_mark(mem <= LARGER_PEAK_MB)} |")
    for curve, pts_by_name, what in (("population", population_curve(b), "population (CPU "
                                      "per resident against 1x)"),
                                     ("horizon", horizon_curve(b), "horizon (CPU per day "
                                      "against 365 days)")):
        for name in STRUCTURES:
            ok, detail = linear_or_better(pts_by_name.get(name, []), curve)
            if ok is not None:
                rows.append(f"| {name}: cost linear (or better) in {what} | {detail} "
                            f"(at most x{LINEAR_SLACK:g} above the reference, at least "
                            f"x{1 / LINEAR_SLACK:.2f} below) | {_mark(ok)} |")
    if len(rows) == 2:
        return ["No benchmark in this file bears on the targets."]
    return rows


def plot(b: dict, out_dir: Path) -> list[Path]:
    """Log-log plots of the two curves, each with a line of linear cost through its
    reference point; returns the files written (none for a curve without points)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, NullFormatter

    out_dir.mkdir(parents=True, exist_ok=True)
    colours = {"flat_2012": "tab:blue", "hierarchy_2011": "tab:orange"}
    paths = []
    for curve, pts_by_name in (("population", population_curve(b)),
                               ("horizon", horizon_curve(b))):
        if not any(pts_by_name.values()):
            continue
        fig, ax = plt.subplots(figsize=(5.5, 3.8), dpi=90)
        scale = 1000 if curve == "population" else 1
        for name, pts in pts_by_name.items():
            pts = [p for p in pts if _work(p, curve)]
            if not pts:
                continue
            xs = [_work(p, curve) / scale for p in pts]
            cpu = [(x, p["cpu"]) for x, p in zip(xs, pts, strict=True) if p["cpu"]]
            ax.plot(xs, [p["wall"] for p in pts], "o--", color=colours[name], alpha=0.6,
                    label=f"{name}: wall")
            if cpu:
                ax.plot(*zip(*cpu, strict=True), "s-", color=colours[name],
                        label=f"{name}: CPU")
            ref = _reference(pts, curve)
            if ref:
                rx, ry = _work(ref, curve) / scale, ref["cpu"]
                lo, hi = min(xs), max(xs)
                ax.plot([lo, hi], [ry * lo / rx, ry * hi / rx], ":", color=colours[name],
                        lw=1.2, label=f"{name}: linear through "
                        f"{'1x' if curve == 'population' else '365 days'}")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ticks = sorted({_work(p, curve) / scale for pts in pts_by_name.values() for p in pts
                        if _work(p, curve)})
        ax.set_xticks(ticks, [f"{t:,.0f}" for t in ticks])
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: f"{y:g}"))
        if curve == "population":
            days = next(p["days"] for pts in pts_by_name.values() for p in pts)
            ax.set(xlabel="residents (thousands)", ylabel="seconds (median)",
                   title=f"Cost against population ({days} days)")
        else:
            ax.set(xlabel="simulated days", ylabel="seconds (median)",
                   title="Cost against horizon (full city)")
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3, which="both")
        fig.tight_layout()
        path = out_dir / f"performance_{curve}.png"
        fig.savefig(path)
        plt.close(fig)
        paths.append(path)
    return paths


def report(b: dict) -> str:
    meta = b.get("__meta__", {})
    extra = meta.get("city_governance_sim") or {}
    mi = meta.get("machine_info") or {}
    commit = ((extra.get("code") or {}).get("git_commit") or "?")[:10]
    lines = [f"Run {meta.get('datetime', '?')}, commit {commit}, Python "
             f"{mi.get('python_version', '?')}, Mesa {extra.get('mesa', '?')}, "
             f"{extra.get('cores', '?')} cores, load average at the end "
             f"{extra.get('load_average_at_end', '?')}.", "",
             "## Medians", ""]
    lines += medians_table(b) + ["", "## Scaling", ""] + curve_tables(b)
    lines += ["## Targets", ""] + targets(b)
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
