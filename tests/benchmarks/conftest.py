"""Benchmark fixtures: peak memory in a fresh process, the machine in the JSON report."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def pytest_configure(config: pytest.Config) -> None:
    # pytest-benchmark writes --benchmark-json=PATH at the end; results/ is not in git
    path = config.getoption("benchmark_json", default=None)
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def pytest_benchmark_update_json(config, benchmarks, output_json: dict[str, Any]) -> None:
    """Record what the figures depend on beside pytest-benchmark's own machine info."""
    import mesa
    import numpy

    from analysis.runs import code_version

    output_json["city_governance_sim"] = {
        "code": code_version(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "mesa": mesa.__version__,
        "numpy": numpy.__version__,
        "load_average_at_end": os.getloadavg(),
    }


def measure_in_fresh_process(what: str, name: str, factor: float, days: int,
                             seed: int = 1) -> dict[str, Any]:
    """Run one workload of `workloads.py` in a new interpreter; its times and memory."""
    cmd = [sys.executable, str(HERE / "workloads.py"), what, name, "--factor", str(factor),
           "--days", str(days), "--seed", str(seed)]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=3600)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({out.returncode}):\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _load_average(benchmark, before: float) -> None:
    benchmark.extra_info["load_average_1min"] = [round(before, 2),
                                                 round(os.getloadavg()[0], 2)]


@pytest.fixture
def peak_memory(benchmark):
    """Call with a workload; stores its peak RSS (fresh process) in `benchmark.extra_info`.

    Also records the load average when the test started and when it measured memory:
    the machine is shared, and a load above its two cores means noisy times. Set
    BENCHMARK_MEMORY=0 to skip the extra runs.
    """
    load_before = os.getloadavg()[0]

    def measure(what: str, name: str, factor: float, days: int, seed: int = 1) -> None:
        _load_average(benchmark, load_before)
        if os.environ.get("BENCHMARK_MEMORY", "1") == "0":
            return
        m = measure_in_fresh_process(what, name, factor, days, seed)
        benchmark.extra_info["peak_rss_mb"] = m["peak_rss_mb"]
        benchmark.extra_info["baseline_rss_mb"] = m["baseline_rss_mb"]
        benchmark.extra_info["fresh_process_wall_s"] = m["wall_s"]
        benchmark.extra_info["fresh_process_cpu_s"] = m["cpu_s"]
        benchmark.extra_info["process_cpu_s"] = m["process_cpu_s"]

    return measure


@pytest.fixture
def once_in_fresh_process(benchmark):
    """Call with a run; measures it once, in a fresh interpreter only, and returns its output.

    For workloads too long to run twice (the 5x city): the benchmark's own time is the
    subprocess call (imports included); `extra_info` has the workload's wall and CPU time
    (`wall_s_median`, `cpu_s_median`, one round), the build / run / figures split, the
    whole process's CPU time with its imports (`process_cpu_s`) and the peak memory. Runs
    whatever BENCHMARK_MEMORY says: it is the only measurement.
    """
    load_before = os.getloadavg()[0]

    def measure(name: str, factor: float, days: int, seed: int = 1) -> dict[str, Any]:
        m = benchmark.pedantic(measure_in_fresh_process, args=("run", name, factor, days, seed),
                               rounds=1, iterations=1, warmup_rounds=0)
        _load_average(benchmark, load_before)
        info = benchmark.extra_info
        info.update(scenario=name, factor=factor, days=days, residents=m["residents"],
                    needs=m["needs"], response_median_h=m["response_median_h"],
                    reach=m["reach"], measured="once, in a fresh process",
                    wall_s_median=m["wall_s"], cpu_s_median=m["cpu_s"],
                    run_point_cpu_s=m["run_point_cpu_s"], process_cpu_s=m["process_cpu_s"],
                    peak_rss_mb=m["peak_rss_mb"], baseline_rss_mb=m["baseline_rss_mb"],
                    fresh_process_wall_s=m["wall_s"], fresh_process_cpu_s=m["cpu_s"])
        for part in ("build_s", "run_s", "figures_s"):
            info[f"{part}_median"] = m[part]
            info[f"{part}_rounds"] = [m[part]]
        info["cpu_s_rounds"] = [m["cpu_s"]]
        info["needs_per_s_run"] = m["needs"] / m["run_s"] if m["run_s"] else None
        return m

    return measure
