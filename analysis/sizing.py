"""How much memory a run will take, estimated before anything is built, and the check
that refuses a run or batch the machine cannot hold.

The estimate is linear in what a run keeps: a fixed part (Python, numpy, pandas, Mesa,
the map and its grid, the offices and their staff), the simulated residents (columns of
a few bytes each), the needs of the whole horizon (drawn at build time, then one case
record, its hops and a row of the case table each) and the hourly series. The model
keeps the full city's load at any `--scale` (each sampled resident carries 1/scale of
the needs), so the needs do not shrink with the scale. The coefficients were fitted to
the peak resident memory (`/usr/bin/time -v`) of real runs of `run.py run` on the
project's machine (Python 3.11, numpy 2.4, Mesa 3.3.1), and rounded up:

=================  ======  ====  =======  =============  ==========
run                scale   days  needs    peak RSS (MB)  estimate
=================  ======  ====  =======  =============  ==========
flat_2012          0.02    7     3,481    275            298
flat_2012          1       7     3,465    304            366
flat_2012          1       30    14,713   352            420
flat_2012          1       90    43,906   474            559
hierarchy_2011     1       90    45,849   474            559
flat_2012_surge    1       60    39,370   449            537
flat_2012_grown    1       90    47,098   483            580
flat_2012          0.25    365   177,715  917            1,148
flat_2012          1       365   177,501  948            1,200
hierarchy_2011     1       365   185,435  927            1,200
=================  ======  ====  =======  =============  ==========

The estimate is above every one of these (by 8 to 30 %): it is meant to refuse what
cannot fit, not to predict to the megabyte.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from analysis.argtypes import SMALL_SCALE
from simulation.parameters import KINDS
from simulation.scenario import ScenarioError

#: Python with numpy, pandas, pyarrow and Mesa imported, the map, its grid, the offices
#: and their staff (MB).
BASE_MB = 280.0
#: Per simulated resident: population columns and their daily state (MB).
MB_PER_RESIDENT = 0.0003
#: Per need of the horizon: drawn columns, the case record and its hops, the case and hop
#: tables (MB).
MB_PER_NEED = 0.0045
#: Per simulated day: the hourly series, the calendar, tasks from above (MB).
MB_PER_DAY = 0.05
#: Used when the machine does not say how much memory is available (no /proc/meminfo).
DEFAULT_AVAILABLE_MB = 4096.0
MEMINFO = Path("/proc/meminfo")


def needs_per_resident_year(params: dict[str, Any]) -> float:
    """Expected needs per simulated resident and year under a scenario's parameters.

    Eligibility as in the model: elderly care for residents 60+, registration for
    floating residents, welfare more often for vulnerable and special residents.
    """
    needs, pop = params["needs"], params["population"]
    share = {"elderly_care": pop["elderly_share"],
             "floating_registration": pop["floating_share"] * pop["urban_share"]}
    weak = min(1.0, pop["vulnerable_share"] + pop["special_share"])
    total = 0.0
    for kind in KINDS:
        rate = needs["rate_per_year"][kind] * share.get(kind, 1.0)
        if kind == "welfare":
            rate *= 1.0 + weak * max(0.0, needs["vulnerable_welfare_factor"] - 1.0)
        total += rate
    return total * needs["rate_multiplier"]


def growth_factor(params: dict[str, Any], days: int) -> float:
    """How many times the day-0 population the city has at the end of the run (at least
    1: a shrinking city is sized at its start)."""
    growth = params.get("growth", {})
    years = growth.get("years_before_start", 0.0) + days / 365.0
    return max(1.0, (1.0 + growth.get("population_per_year", 0.0)) ** years)


def residents_at_end(params: dict[str, Any], scale: float, days: int) -> int:
    """Simulated residents at the end of the run, growth included."""
    start = max(1, round(params["population"]["residents"] * scale))
    return round(start * growth_factor(params, days))


def expected_needs(params: dict[str, Any], scale: float, days: int) -> float:
    """Expected needs over the horizon, surge and growth included (before any prevention).

    The whole city's: the model gives each of the `scale` sampled residents 1/scale of
    the needs, so `scale` does not change the count (kept as an argument for the day it
    does). The whole run is counted at its final population, which overestimates a
    growing city.
    """
    residents = residents_at_end(params, 1.0, days)
    surge = params["surge"]
    surge_days = max(0, min(days, surge["start_day"] + surge["days"]) - surge["start_day"])
    extra = max(0.0, surge["multiplier"] - 1.0) * surge_days
    return residents * needs_per_resident_year(params) * (days + extra) / 365.0


def run_memory_mb(params: dict[str, Any], scale: float, days: int) -> float:
    """Estimated peak memory of one run in one process, in MB (conservative)."""
    residents = residents_at_end(params, scale, days)
    return (BASE_MB + MB_PER_RESIDENT * residents
            + MB_PER_NEED * expected_needs(params, scale, days) + MB_PER_DAY * days)


def available_mb(meminfo: Path = MEMINFO) -> tuple[float, str]:
    """Memory this machine has available now, in MB, and where the figure comes from."""
    try:
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024.0, "available now (/proc/meminfo)"
    except (OSError, ValueError, IndexError):
        pass
    return DEFAULT_AVAILABLE_MB, "assumed (the machine does not say)"


def format_mb(mb: float) -> str:
    """`1,234 MB` below 10 GB, `12.3 GB` above."""
    return f"{mb:,.0f} MB" if mb < 10_000 else f"{mb / 1024:,.1f} GB"


def memory_problem(per_run_mb: float, processes: int = 1,
                   available: tuple[float, str] | None = None) -> str | None:
    """Why a run (or `processes` runs at once) will not fit, or None if it will.

    Args:
        per_run_mb: the estimate of one run (`run_memory_mb`).
        processes: runs held at once (worker processes of a batch).
        available: (MB, source); default: `available_mb()`.
    """
    total = per_run_mb * max(1, processes)
    limit, source = available or available_mb()
    if total <= limit:
        return None
    each = f" ({processes} runs at once, {format_mb(per_run_mb)} each)" if processes > 1 \
        else ""
    return (f"needs about {format_mb(total)} of memory{each}, more than the "
            f"{format_mb(limit)} {source}; shorten --days (the needs of the whole horizon "
            "are drawn at the start)" + (", use fewer --workers" if processes > 1 else "")
            + ", or add --force")


def workers_in_memory(workers: int, runs: int) -> int:
    """Processes that each hold a run at once: a pool never starts more than runs."""
    return max(1, min(workers, runs))



def check_memory(params: list[dict[str, Any]], scale: float, days: int, processes: int = 1,
                 force: bool = False) -> float:
    """Refuse a run (or `processes` runs at once) that will not fit in memory.

    Args:
        params: the parameters of every scenario that will run (the largest counts).
        scale, days: of every run.
        processes: runs held at once.
        force: only estimate, never refuse (`--force`).

    A scale so small that not one resident is sampled is refused even with `force`: the
    model would simulate one resident carrying 1/scale of the needs and visits, far more
    than the whole city's. Below `SMALL_SCALE` a warning goes to stderr.

    Returns:
        The estimate of one run, in MB.

    Raises:
        ScenarioError: naming --scale when no resident would be sampled; naming --days,
            with the estimate, unless `force`.
    """
    for p in params:
        population = p["population"]["residents"]
        if population * scale < 0.5:
            raise ScenarioError("command line", "--scale", f"{scale:g} samples no resident "
                                f"of {population:,} (at least {1 / population:.2g} is needed "
                                "to sample one; 1e-4 or more for figures that mean anything)")
    if scale < SMALL_SCALE:
        print(f"warning: --scale {scale:g} simulates a handful of residents; the figures "
              f"are noise below --scale {SMALL_SCALE:g}", file=sys.stderr)
    per_run = max(run_memory_mb(p, scale, days) for p in params)
    problem = None if force else memory_problem(per_run, processes)
    if problem:
        what = "this batch" if processes > 1 else "this run"
        raise ScenarioError("command line", "--days", f"{what} {problem}")
    return per_run
