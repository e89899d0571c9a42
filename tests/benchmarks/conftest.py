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
    """Run one workload of `workloads.py` in a new interpreter; its wall time and memory."""
    cmd = [sys.executable, str(HERE / "workloads.py"), what, name, "--factor", str(factor),
           "--days", str(days), "--seed", str(seed)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT,
                         timeout=3600)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture
def peak_memory(benchmark):
    """Call with a workload; stores its peak RSS (fresh process) in `benchmark.extra_info`.

    Also records the load average when the test started and when it measured memory:
    the machine is shared, and a load above its two cores means noisy times. Set
    BENCHMARK_MEMORY=0 to skip the extra runs.
    """
    load_before = os.getloadavg()[0]

    def measure(what: str, name: str, factor: float, days: int, seed: int = 1) -> None:
        benchmark.extra_info["load_average_1min"] = [round(load_before, 2),
                                                     round(os.getloadavg()[0], 2)]
        if os.environ.get("BENCHMARK_MEMORY", "1") == "0":
            return
        m = measure_in_fresh_process(what, name, factor, days, seed)
        benchmark.extra_info["peak_rss_mb"] = m["peak_rss_mb"]
        benchmark.extra_info["baseline_rss_mb"] = m["baseline_rss_mb"]
        benchmark.extra_info["fresh_process_wall_s"] = m["wall_s"]

    return measure
