"""The pinned result: figures of a small run of the three structures.

`python tests/regression.py` rewrites `tests/baseline.json` after a deliberate change to
the model; say why in the commit. `test_regression.py` compares against it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from analysis.runs import run_point  # noqa: E402
from simulation.scenario import load  # noqa: E402

BASELINE = HERE / "baseline.json"
POINT = {"seed": 11, "scale": 0.1, "days": 28}
FIGURES = {
    "response_median_min": lambda s: s["response_time_min"]["median"],
    "response_p90_min": lambda s: s["response_time_min"]["p90"],
    "resolution_median_min": lambda s: s["resolution_time_min"]["median"],
    "service_circle_coverage": lambda s: s["service_circle_coverage"],
    "patrol_coverage_24h": lambda s: s["patrol_coverage_24h"],
    "visit_coverage": lambda s: s["visit_coverage"],
    "reach": lambda s: s["reach"],
    "cases_total": lambda s: s["cases"]["total"],
    "acknowledged_median_min": lambda s: s["acknowledged_time_min"]["median"],
    "resolved_within_deadline": lambda s: s["resolved_within_deadline"],
    "community_utilisation": lambda s: s["load"]["utilisation"]["community"]["all"],
    "tasks_overdue": lambda s: s["tasks"]["overdue"],
    "repeat_contacts": lambda s: s["repeat_contacts"],
}
SCENARIOS = ("hierarchy_2011", "flat_2012", "streets_2019")


def measure() -> dict:
    out = {"point": POINT}
    for name in SCENARIOS:
        s = run_point(load(name), POINT["seed"], POINT["scale"], POINT["days"]).summary
        out[name] = {k: f(s) for k, f in FIGURES.items()}
    return out


if __name__ == "__main__":
    BASELINE.write_text(json.dumps(measure(), indent=2) + "\n")
    print(BASELINE.read_text())
