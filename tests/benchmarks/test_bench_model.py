"""Speed of the project's model: city build, runs, UI steps, scaling curves, the 5x city.

Run with the benchmark command (docs/performance.md); not part of the default `pytest`
run. Each measurement's peak memory comes from the same workload run once more in a fresh
interpreter (`peak_rss_mb` in the JSON's `extra_info`). The 5x city (1.16 million
residents: 90 days on the population curve, and a year) is run once only, in a fresh
interpreter, which gives its times and memory together. No test asserts a wall time: the
machine is shared and times are noisy; compare medians between commits with
`--benchmark-compare`.
"""

from __future__ import annotations

import statistics
import time

import pytest

from .workloads import (
    HORIZONS,
    LARGER_CITY_FACTOR,
    POPULATION_DAYS,
    POPULATION_FACTORS,
    STRUCTURES,
    UI_SCALE,
    UI_STEPS,
    build,
    release_models,
    run,
    ui_model,
)

pytestmark = pytest.mark.benchmark

ROUNDS_BY_DAYS = {30: 5, 90: 3, 365: 3, 1095: 1}
#: Rounds on the population curve (in-process; factors at or above
#: `LARGER_CITY_FACTOR` are measured once in a fresh process instead).
ROUNDS_BY_FACTOR = {0.1: 5, 1.0: 3, 2.0: 1}


def _timed_runs(benchmark, name: str, factor: float, days: int, rounds: int) -> dict:
    """Benchmark `run` and keep each round's build/run/figures split in extra_info."""
    rounds_out: list[dict] = []

    def one() -> dict:
        r = run(name, factor, days)
        rounds_out.append(r)
        return r

    last = benchmark.pedantic(one, setup=release_models, rounds=rounds, iterations=1)
    info = benchmark.extra_info
    info.update(scenario=name, factor=factor, days=days, residents=last["residents"],
                needs=last["needs"], response_median_h=last["response_median_h"],
                reach=last["reach"])
    for part in ("build_s", "run_s", "figures_s", "cpu_s"):
        info[f"{part}_median"] = statistics.median(r[part] for r in rounds_out)
        info[f"{part}_rounds"] = [r[part] for r in rounds_out]
    info["needs_per_s_run"] = last["needs"] / info["run_s_median"]
    return last


@pytest.mark.benchmark(group="build: full city, needs for 365 days")
@pytest.mark.parametrize("name", STRUCTURES)
def test_build_full_city(benchmark, peak_memory, name):
    cpu: list[float] = []

    def one():
        c0 = time.process_time()
        m = build(name)
        cpu.append(time.process_time() - c0)
        return m

    model = benchmark.pedantic(one, setup=release_models, rounds=5, iterations=1,
                               warmup_rounds=1)
    benchmark.extra_info.update(scenario=name, residents=int(model.residents.n),
                                cpu_s_median=statistics.median(cpu[-5:]),
                                cpu_s_rounds=cpu[-5:],
                                needs=int(len(model.needs["onset"])),
                                units=len(model.structure.units))
    assert model.residents.n == model.params["population"]["residents"]
    peak_memory("build", name, 1.0, 365)


@pytest.mark.parametrize("days", HORIZONS)
@pytest.mark.parametrize("name", STRUCTURES)
def test_full_scale_run(benchmark, peak_memory, name, days):
    """Build, run and summarise the full city (`run_point`, as `run.py` does), growth off."""
    benchmark.group = f"horizon: {name}, full scale"
    last = _timed_runs(benchmark, name, 1.0, days, ROUNDS_BY_DAYS[days])
    assert last["needs"] > 0
    peak_memory("run", name, 1.0, days)


@pytest.mark.parametrize("factor", POPULATION_FACTORS)
@pytest.mark.parametrize("name", STRUCTURES)
def test_population_scaling(benchmark, peak_memory, once_in_fresh_process, name, factor):
    """0.1x, 1x, 2x and 5x the population for a fixed horizon (above 1: `larger_city`)."""
    benchmark.group = f"population: {name}, {POPULATION_DAYS} days"
    if factor >= LARGER_CITY_FACTOR:
        last = once_in_fresh_process(name, factor, POPULATION_DAYS)
    else:
        last = _timed_runs(benchmark, name, factor, POPULATION_DAYS,
                           ROUNDS_BY_FACTOR.get(factor, 1))
        peak_memory("run", name, factor, POPULATION_DAYS)
    assert last["needs"] > 0


@pytest.mark.benchmark(group=f"larger city: {LARGER_CITY_FACTOR:g}x, 365 days")
@pytest.mark.parametrize("name", ["flat_2012"])
def test_larger_city_year(benchmark, once_in_fresh_process, name):
    """The issue's 5x city (about 1.16 million residents) for a year, once, fresh process."""
    last = once_in_fresh_process(name, LARGER_CITY_FACTOR, 365)
    assert last["residents"] > 1_000_000
    assert last["needs"] > 0


@pytest.mark.benchmark(group=f"ui step: one simulated hour at scale {UI_SCALE:g}")
@pytest.mark.parametrize("name", STRUCTURES)
def test_ui_step(benchmark, peak_memory, name):
    """`model.step()` as the browser's Step button calls it, over the first week."""
    release_models()
    model = ui_model(name)
    cpu: list[float] = []

    def step():
        c0 = time.process_time()
        model.step()
        cpu.append(time.process_time() - c0)

    benchmark.pedantic(step, rounds=UI_STEPS, iterations=1, warmup_rounds=0)
    assert model.time_min == UI_STEPS * 60
    stats = benchmark.stats.stats
    benchmark.extra_info.update(scenario=name, scale=UI_SCALE, steps=UI_STEPS,
                                cpu_s_median=statistics.median(cpu),
                                cpu_s_mean=statistics.fmean(cpu),
                                steps_per_s_median=1.0 / stats.median,
                                steps_per_s_mean=1.0 / stats.mean,
                                residents=int(model.residents.n))
    peak_memory("ui-step", name, UI_SCALE, 365)
