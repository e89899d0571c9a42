"""The engine against a plain, idiomatic Mesa model of the same scenario (plain_mesa.py).

On a sample small enough for the reference to run (`workloads.REFERENCE`: scale 0.05,
30 days, five seeds) both models run under the same seeds; the two tests of a structure
share a benchmark group, so pytest-benchmark's table shows their ratio. The reference
test also records, in `extra_info`, the speed-up and the headline figures (median
response time, reach) of both with their 95 % confidence intervals over the seeds, and
fails if the intervals do not overlap.
"""

from __future__ import annotations

import statistics
import time

import pytest

from .agreement import compare_seeds
from .plain_mesa import PlainMesaCity
from .workloads import REFERENCE, STRUCTURES, release_models, run

pytestmark = pytest.mark.benchmark

SCALE, DAYS, SEEDS = REFERENCE["scale"], REFERENCE["days"], REFERENCE["seeds"]
FIGURES = ("response_median_h", "reach")
PER_SEED = ("needs", "build_s", "run_s", "cpu_s")
_engine: dict[str, list[dict]] = {}


def engine_sample(name: str) -> list[dict]:
    """The engine's runs on the reference sample, one per seed (cached)."""
    if name not in _engine:
        _engine[name] = [run(name, SCALE, DAYS, seed) for seed in SEEDS]
    return _engine[name]


def _seeded(seeds):
    """A pedantic `setup` that frees the last round's model and passes the next seed."""
    it = iter(seeds)

    def setup():
        release_models()
        return (next(it),), {}

    return setup


@pytest.mark.parametrize("name", STRUCTURES)
def test_engine_on_reference_sample(benchmark, peak_memory, name):
    benchmark.group = f"reference sample: {name}, scale {SCALE:g}, {DAYS} days"
    results: list[dict] = []
    benchmark.pedantic(lambda seed: results.append(run(name, SCALE, DAYS, seed)),
                       setup=_seeded(SEEDS), rounds=len(SEEDS), iterations=1)
    _engine[name] = results
    benchmark.extra_info.update(
        model="engine", scenario=name, scale=SCALE, days=DAYS, seeds=list(SEEDS),
        residents=results[0]["residents"],
        **{f: [r[f] for r in results] for f in FIGURES + PER_SEED})
    peak_memory("run", name, SCALE, DAYS)


@pytest.mark.parametrize("name", STRUCTURES)
def test_plain_mesa_reference(benchmark, peak_memory, name):
    benchmark.group = f"reference sample: {name}, scale {SCALE:g}, {DAYS} days"
    results: list[dict] = []

    def one(seed: int) -> None:
        c0, t0 = time.process_time(), time.perf_counter()
        m = PlainMesaCity(name, seed=seed, scale=SCALE, days=DAYS)
        t1 = time.perf_counter()
        m.run()
        t2 = time.perf_counter()
        f = m.figures()
        results.append({**f, "build_s": t1 - t0, "run_s": t2 - t1,
                        "total_s": time.perf_counter() - t0,
                        "cpu_s": time.process_time() - c0, "residents": len(m.residents),
                        "resident_steps": len(m.residents) * m.steps})

    benchmark.pedantic(one, setup=_seeded(SEEDS), rounds=len(SEEDS), iterations=1)
    engine = engine_sample(name)
    info = benchmark.extra_info
    info.update(model="plain Mesa", scenario=name, scale=SCALE, days=DAYS, seeds=list(SEEDS),
                residents=results[0]["residents"],
                **{f: [r[f] for r in results] for f in FIGURES + PER_SEED},
                channels=[r["channels"] for r in results])
    ref_total = statistics.median(r["total_s"] for r in results)
    ref_run = statistics.median(r["run_s"] for r in results)
    eng_total = statistics.median(r["total_s"] for r in engine)
    eng_run = statistics.median(r["run_s"] for r in engine)
    info["speedup_total"] = ref_total / eng_total
    info["speedup_run"] = ref_run / eng_run
    info["speedup_cpu"] = (statistics.median(r["cpu_s"] for r in results)
                           / statistics.median(r["cpu_s"] for r in engine))
    # the reference costs the same per resident-hour at any size: a full city-year
    per_step = ref_run / results[0]["resident_steps"]
    info["reference_us_per_resident_step"] = per_step * 1e6
    info["reference_full_city_year_estimate_s"] = per_step * 232_000 * 8760
    info["agreement"] = {f: compare_seeds([r[f] for r in engine], [r[f] for r in results])
                         for f in FIGURES}
    peak_memory("plain-mesa", name, SCALE, DAYS)
    for f in FIGURES:  # the cross-check: the 95 % intervals over seeds must overlap
        a = info["agreement"][f]
        assert a["intervals_overlap"], f"{f}: engine {a['engine']}, reference {a['reference']}"
