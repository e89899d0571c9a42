"""What the benchmarks time, in one place, and a command line to run one in a fresh process.

The benchmark tests (`test_bench_*.py`) time these functions in-process; peak memory is
measured by running the same workload here, in a fresh interpreter, and reading its
maximum resident set size, so that one measurement does not inherit the memory of
another. The 5x city is only run here, once: its fresh-process run gives the wall time,
CPU time and peak memory together. It is also the entry point for profiling:

    .venv/bin/python tests/benchmarks/workloads.py run flat_2012 --days 365
    .venv/bin/python -m pyinstrument tests/benchmarks/workloads.py run flat_2012 --days 365

Population factors above 1 cannot be asked of `GovernanceModel` (its `scale` is a share
of the scenario's residents, at most 1). `scenario_at` makes them with `larger_city`: a
city N times larger at the same per-capita figures, with its map, communities, street
offices, districts, police stations and staff all scaled by N (`--factor 5` is the
issue's 5x city, about 1.16 million residents). Growth is off in every build and run
(`without_growth`); the two default scenarios have none anyway.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analysis.runs import run_point  # noqa: E402
from simulation.model import GovernanceModel  # noqa: E402
from simulation.parameters import iter_params  # noqa: E402
from simulation.scenario import Scenario, load  # noqa: E402

STRUCTURES = ("flat_2012", "hierarchy_2011")
SEED = 1
#: Horizons of the horizon curve (full scale, growth off); they are also the table's runs.
HORIZONS = (30, 90, 365, 1095)
#: Population factors of the population curve, run for `POPULATION_DAYS` (above 1:
#: `larger_city`).
POPULATION_FACTORS = (0.1, 1.0, 2.0, 5.0)
#: The issue's larger city: five times the residents, map, units and staff.
LARGER_CITY_FACTOR = 5.0
POPULATION_DAYS = 90
#: The browser's default scale; one UI step is one simulated hour.
UI_SCALE = 0.1
UI_STEPS = 168

GROWTH_KEYS = ("growth.population_per_year", "growth.tasks_per_year")


def without_growth(scenario: Scenario) -> Scenario:
    """`scenario` with growth switched off, or itself if it has none.

    The horizon curve must not grow the city as it runs. `flat_2012` and `hierarchy_2011`
    set no growth, so for them this returns the scenario unchanged and a benchmark runs
    exactly what `run.py run flat_2012` runs; the `*_grown` scenarios would change.
    """
    if not any(_get(scenario.params, key) for key in GROWTH_KEYS):
        return scenario
    return scenario.with_overrides({key: 0.0 for key in GROWTH_KEYS}
                                   | {"growth.years_before_start": 0.0}, label="growth off")


def scenario_at(name: str | Scenario, factor: float) -> tuple[Scenario, float]:
    """The scenario and `scale` for `factor` times the city's population, growth off.

    Factors up to 1 are the model's own `scale` on the scenario's map. Above 1 the city is
    `larger_city(name, factor)` (map, places, units and staff scaled too) at scale 1.
    """
    scenario = without_growth(name if isinstance(name, Scenario) else load(name))
    if factor <= 1:
        return scenario, factor
    return larger_city(scenario, factor), 1.0


#: Counts of places and units that grow with the city in `larger_city` (areas grow with
#: them; the grid's sides by the square root).
PLACE_KEYS = ("map.towns", "map.villages", "map.enterprises", "structure.communities",
              "structure.street_offices", "structure.districts", "police.stations")
AREA_KEYS = ("map.urban_area_km2", "map.jisco_zone_km2")


def larger_city(name: str | Scenario, factor: float) -> Scenario:
    """A city `factor` times as large at the same per-capita figures (issue 16's 5x city).

    Residents, the map's area (sides x sqrt(factor)), urban area, industrial zone, towns,
    villages, enterprises, communities, street offices, districts (each with the same
    weights), police stations, every count of persons (police, operators, mediators,
    patrol teams) and every city department's staff are multiplied by `factor`; staff per
    unit stay as they are, so each kind of unit has its own staff at the same size. The
    tasks' counts per unit and per resident follow from the units and residents. Growth
    is switched off, as the issue asks.
    """
    scenario = name if isinstance(name, Scenario) else load(name)
    p = scenario.params
    side = factor ** 0.5
    overrides: dict[str, Any] = {
        "map.width": int(round(p["map"]["width"] * side)),
        "map.height": int(round(p["map"]["height"] * side)),
        "growth.population_per_year": 0.0, "growth.tasks_per_year": 0.0,
        "growth.years_before_start": 0.0,
        "departments": [{**d, "staff": int(round(d["staff"] * factor))}
                        for d in p["departments"]],
    }
    for key in AREA_KEYS:
        overrides[key] = _get(p, key) * factor
    for key in PLACE_KEYS:
        value = _get(p, key)
        if value:
            overrides[key] = int(round(value * factor))
    weights = p["structure"]["district_weights"]
    overrides["structure.district_weights"] = list(weights) * int(round(factor))
    for key, param in iter_params():
        if param.kind == "int" and param.unit == "persons":
            value = _get(p, key)
            if value:
                overrides[key] = int(round(value * factor))
    return scenario.with_overrides(overrides, label=f"city x{factor:g}")


def _get(tree: dict, dotted: str) -> Any:
    node: Any = tree
    for part in dotted.split("."):
        node = node[part]
    return node


def release_models() -> None:
    """Let finished models be freed, and collect them, before the next measurement.

    Mesa 3.3.1 counts agent ids in a class-level `defaultdict` keyed by the model
    (`mesa.Agent._ids`), so every model that ever created an agent stays alive for the
    life of the process: a benchmark session grew to 7 GB, and garbage collection slowed
    every later measurement. Dropping the keys is safe here because no finished model
    creates agents again; a model still in use would restart its ids at 1.
    """
    from mesa import Agent

    Agent._ids.clear()
    gc.collect()


def build(name: str, factor: float = 1.0, days: int = 365, seed: int = SEED) -> GovernanceModel:
    """Build a model (map, enterprises, residents, structure, staff, a horizon of needs)."""
    scenario, scale = scenario_at(name, factor)
    return GovernanceModel(scenario, seed=seed, scale=scale, days=days)


def run(name: str, factor: float = 1.0, days: int = 365, seed: int = SEED) -> dict[str, Any]:
    """Build, run and summarise one model with `analysis.runs.run_point`, as the CLI does.

    Returns:
        Wall seconds spent building, running and computing the figures, and in all; CPU
        seconds in all (less disturbed by other work on a shared machine); the number of
        needs, the residents simulated, and the headline figures.
    """
    scenario, scale = scenario_at(name, factor)
    c0, t0 = time.process_time(), time.perf_counter()
    result = run_point(scenario, seed, scale, days)
    total = time.perf_counter() - t0
    cpu = time.process_time() - c0
    wall = result.manifest["wall_time_s"]
    s = result.summary
    return {
        "build_s": wall["build"], "run_s": wall["run"],
        "figures_s": round(total - wall["build"] - wall["run"], 3), "total_s": round(total, 3),
        "cpu_s": round(cpu, 3),
        "needs": int(s["cases"]["total"]),
        "residents": int(result.manifest["residents_simulated"]),
        "response_median_h": _hours(s["response_time_min"]["median"]),
        "reach": s["reach"],
    }


def _hours(minutes: float | None) -> float | None:
    return None if minutes is None else minutes / 60.0


def ui_model(name: str, scale: float = UI_SCALE, seed: int = SEED) -> GovernanceModel:
    """A model as the browser builds it: the default scale, a year of horizon."""
    return GovernanceModel(name, seed=seed, scale=scale, days=365)


def peak_rss_mb() -> float:
    """Peak resident set size of this program so far, in MB.

    Read from /proc (VmHWM), which starts afresh when a program is executed;
    `getrusage`'s ru_maxrss does not: Linux carries the parent's peak over fork and exec,
    so a child of a 600 MB pytest process would report at least 600 MB.
    """
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def current_rss_mb() -> float:
    """Resident set size of this process now, in MB."""
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure(what: str, name: str, factor: float, days: int, seed: int,
            steps: int = UI_STEPS) -> dict[str, Any]:
    """Run one workload in this process and report its wall and CPU time and memory.

    `wall_s` and `cpu_s` are the workload's (for `run`, they include loading the scenario,
    and making the larger city, which `run`'s own `total_s` does not); `process_cpu_s` is
    the CPU time of the whole process so far, imports included (the user's command also
    writes its files, which no workload does). `baseline_rss_mb` is the memory after the
    imports, before the workload; peak minus baseline is what the workload itself added.
    """
    baseline = current_rss_mb()
    c0, t0 = time.process_time(), time.perf_counter()
    out: dict[str, Any] = {"what": what, "name": name, "factor": factor, "days": days,
                           "seed": seed}
    if what == "build":
        m = build(name, factor, days, seed)
        out["residents"] = int(m.residents.n)
    elif what == "run":
        r = run(name, factor, days, seed)
        r["run_point_cpu_s"] = r.pop("cpu_s")
        out.update(r)
    elif what == "ui-step":
        m = ui_model(name, scale=factor, seed=seed)
        t1 = time.perf_counter()
        for _ in range(steps):
            m.step()
        out["steps"] = steps
        out["step_mean_s"] = (time.perf_counter() - t1) / steps
    else:
        raise ValueError(f"unknown workload {what!r}")
    out["wall_s"] = round(time.perf_counter() - t0, 3)
    out["cpu_s"] = round(time.process_time() - c0, 3)
    out["process_cpu_s"] = round(time.process_time(), 3)
    out["baseline_rss_mb"] = round(baseline, 1)
    out["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=("build", "run", "ui-step"))
    ap.add_argument("name", help="scenario name, e.g. flat_2012")
    ap.add_argument("--factor", type=float, default=None,
                    help="population factor: the model's scale up to 1, above 1 a larger "
                    f"city (larger_city; default 1, {UI_SCALE:g} for ui-step)")
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--steps", type=int, default=UI_STEPS, help="UI steps (ui-step only)")
    a = ap.parse_args(argv)
    if a.factor is None:
        a.factor = UI_SCALE if a.what == "ui-step" else 1.0
    print(json.dumps(measure(a.what, a.name, a.factor, a.days, a.seed, a.steps)))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    raise SystemExit(main())
