"""Calibration targets: observed (proxy) figures a scenario should reproduce, read from a
TOML file and validated like a scenario file.

A targets file::

    title = "..."
    description = "..."

    [[target]]
    name = "approval_matter_days"          # optional; scenario:figure by default
    scenario = "hierarchy_2011"            # one of the scenarios calibrated
    figure = "by_kind.welfare.resolution_time_min.p90"   # a figure of summary.json
    value = 20
    unit = "days"                          # min, h, days (times); share, % (shares)
    tolerance = 5                          # in `unit`; 10 % of the value if left out
    weight = 1.0                           # how far the proxy fits (0..1 is usual)
    source = "Tongling (Anhui), before 2010, ..."
    note = "why this figure stands for the proxy"

    [params."decision.cycle_days.city"]    # a parameter to fit and its range
    low = 1
    high = 21
    step = 1                               # optional; log = true for a log scale

Each target's **distance** is z = (model - value) / tolerance; a trial's loss is the
weighted mean of z squared over the targets, with the model's figure averaged over the
replications (`loss`). A loss of 1 means the targets are missed by one tolerance on
(weighted) average.

Every problem is bad input (`ScenarioError`, exit code 2) naming the file and the key
(`target[2].figure`, `params.KEY.low`). A figure must exist in the summary of the
scenario it names (checked on a one-day probe run of that scenario) and must be an
outcome: figures that only echo the inputs (staff counts, cost, tasks issued, needs
arisen) are refused, since they cannot test an assumption.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from analysis.dataset import flatten
from analysis.labels import FIGURES
from analysis.ranges import Range, check_range
from analysis.runs import run_point
from simulation.scenario import SCENARIO_DIR, Scenario, ScenarioError, short_value, shorten
from simulation.scenario import _read_toml as read_toml  # the scenario files' own checks

#: Shipped targets files (package data of `scenarios`).
TARGETS_DIR = SCENARIO_DIR / "targets"
TOP_KEYS = ("title", "description", "target", "params")
TARGET_FIELDS = ("name", "scenario", "figure", "value", "unit", "tolerance", "weight",
                 "source", "note")
REQUIRED = ("scenario", "figure", "value", "source")
RANGE_FIELDS = ("low", "high", "step", "log")
#: Units a target may be written in, by kind of figure: factor to the summary's unit.
UNITS: dict[str, dict[str, float]] = {
    "time": {"min": 1.0, "h": 60.0, "days": 1440.0},
    "share": {"share": 1.0, "%": 0.01},
    "number": {"": 1.0, "count": 1.0},
}
#: Figures that echo the model's inputs (staff, cost, tasks issued, needs drawn): not
#: targets, since no assumption about behaviour can move them.
INPUT_FIGURES = ("load.staff_by_level", "load.office_staff", "load.police_officers",
                 "load.joint_defence", "load.staff_per_10k", "load.staff_per_community",
                 "load.floor_m2_per_community", "cost", "tasks.issued", "cases.total",
                 "needs_prevented", "scenario", "seed", "scale", "days")
#: Default tolerance: this share of the target's value.
DEFAULT_TOLERANCE = 0.1
#: The probe run that lists a scenario's figures: one day of a small sample.
PROBE = {"seed": 1, "scale": 0.002, "days": 1}


@dataclass(frozen=True)
class Target:
    """One observed figure, in the summary's own unit (minutes, shares, counts).

    `unit` and `factor` say how the file wrote it: written value x factor = `value`.
    """

    name: str
    scenario: str
    figure: str
    value: float
    tolerance: float
    weight: float
    source: str
    unit: str
    factor: float
    note: str = ""

    def shown(self, stored: float) -> float:
        """A figure in the summary's unit, in the unit the target was written in."""
        return stored / self.factor

    def z(self, model: float) -> float:
        """The model's distance from the target, in tolerances."""
        return (model - self.value) / self.tolerance


@dataclass
class TargetSet:
    """A validated targets file: its targets and the parameters to fit."""

    path: str
    title: str
    description: str
    targets: list[Target]
    ranges: dict[str, Range]

    @property
    def digest(self) -> str:
        """SHA-256 of the validated targets (not the ranges: `--param` may change them)."""
        text = json.dumps([asdict(t) for t in self.targets], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    def describe(self) -> dict[str, Any]:
        return {"file": self.path, "title": self.title, "sha256": self.digest,
                "targets": [asdict(t) for t in self.targets]}


def loss(targets: list[Target], means: dict[str, float]) -> float:
    """The weighted mean of z squared; NaN if a fitted target's figure is missing.

    Args:
        means: target name -> the model's figure (mean over replications).
    """
    fitted = [t for t in targets if t.weight > 0]  # weight 0: shown, not fitted
    total = sum(t.weight for t in fitted)
    value = sum(t.weight * t.z(means[t.name]) ** 2 for t in fitted) / total
    return value if math.isfinite(value) else math.nan


def resolve_targets(ref: str) -> Path:
    """A targets file: a path, or the name of a shipped file in scenarios/targets/."""
    path = Path(ref)
    if path.is_file():
        return path
    shipped = TARGETS_DIR / (ref if ref.endswith(".toml") else f"{ref}.toml")
    if "/" not in ref and shipped.is_file():
        return shipped
    names = ", ".join(p.stem for p in sorted(TARGETS_DIR.glob("*.toml")))
    raise ScenarioError(short_value(ref), "--targets", f"no such targets file (shipped: "
                        f"{names or 'none'})")


def load_targets(ref: str, scenarios: list[Scenario]) -> TargetSet:
    """Read and validate a targets file against the scenarios being calibrated.

    Raises:
        ScenarioError: naming the file and the key at fault.
    """
    path = resolve_targets(ref)
    data = read_toml(path)
    src = str(path)
    for key in data:
        if key not in TOP_KEYS:
            raise ScenarioError(src, shorten(str(key)), f"unknown key (valid keys: "
                                f"{', '.join(TOP_KEYS)})")
    for key in ("title", "description"):
        if not isinstance(data.get(key, ""), str):
            raise ScenarioError(src, key, "expected a string")
    raw = data.get("target", [])
    if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
        raise ScenarioError(src, "target", "expected a list of tables ([[target]] entries)")
    if not raw:
        raise ScenarioError(src, "target", "no targets: add [[target]] entries")
    by_name = {s.name: s for s in scenarios}
    targets = [_target(src, i, t, by_name) for i, t in enumerate(raw)]
    _check_unique(src, targets)
    if sum(t.weight for t in targets) <= 0:
        raise ScenarioError(src, "target", "every weight is 0: nothing to fit")
    missing = [s for s in by_name if not any(t.scenario == s for t in targets)]
    if missing:
        raise ScenarioError(src, "target", f"no target for the scenario "
                            f"{', '.join(missing)} given on the command line; calibrate "
                            "only scenarios that have targets")
    params = data.get("params", {})
    if not isinstance(params, dict):
        raise ScenarioError(src, "params", 'expected tables [params."KEY"] with low and high')
    ranges = {key: _range(src, key, spec) for key, spec in params.items()}
    return TargetSet(src, data.get("title", ""), data.get("description", ""), targets,
                     ranges)


def _target(src: str, i: int, raw: dict[str, Any], scenarios: dict[str, Scenario]) -> Target:
    where = f"target[{i}]"
    for key in raw:
        if key not in TARGET_FIELDS:
            raise ScenarioError(src, f"{where}.{shorten(str(key))}", f"unknown field (valid "
                                f"fields: {', '.join(TARGET_FIELDS)})")
    for key in REQUIRED:
        if key not in raw:
            raise ScenarioError(src, f"{where}.{key}", "missing (required)")
    for key in ("name", "scenario", "figure", "unit", "source", "note"):
        if key in raw and not isinstance(raw[key], str):
            raise ScenarioError(src, f"{where}.{key}", f"expected a string, got "
                                f"{short_value(raw[key])}")
    if not raw["source"].strip():
        raise ScenarioError(src, f"{where}.source", "expected where the figure comes from")
    scenario = raw["scenario"]
    if scenario not in scenarios:
        raise ScenarioError(src, f"{where}.scenario", f"{short_value(scenario)} is not one of "
                            f"the scenarios calibrated ({', '.join(scenarios)})")
    figure = raw["figure"]
    kind = check_figure(src, f"{where}.figure", figure, scenarios[scenario])
    units = UNITS[kind]
    unit = raw.get("unit", next(iter(units)))
    if unit not in units:
        raise ScenarioError(src, f"{where}.unit", f"expected one of {', '.join(map(repr, units))}"
                            f" for {figure} (a {kind} figure), got {short_value(unit)}")
    factor = units[unit]
    value = _number(src, f"{where}.value", raw["value"])
    if kind == "share" and not 0 <= value * factor <= 1:
        raise ScenarioError(src, f"{where}.value", f"expected a share within 0..1 (or "
                            f"0..100 %), got {value:g} {unit}")
    if "tolerance" in raw:
        tolerance = _number(src, f"{where}.tolerance", raw["tolerance"])
    elif value != 0:
        tolerance = abs(value) * DEFAULT_TOLERANCE
    else:
        raise ScenarioError(src, f"{where}.tolerance", "required when the value is 0")
    if tolerance <= 0:
        raise ScenarioError(src, f"{where}.tolerance", f"expected a number above 0, got "
                            f"{tolerance:g}")
    weight = _number(src, f"{where}.weight", raw.get("weight", 1.0))
    if weight < 0:
        raise ScenarioError(src, f"{where}.weight", f"expected 0 or more, got {weight:g}")
    return Target(raw.get("name", f"{scenario}:{figure}"), scenario, figure, value * factor,
                  tolerance * factor, weight, raw["source"].strip(), unit, factor,
                  raw.get("note", "").strip())


def _number(src: str, where: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ScenarioError(src, where, f"expected a finite number, got {short_value(value)}")
    return float(value)


def _check_unique(src: str, targets: list[Target]) -> None:
    seen: dict[Any, int] = {}
    for i, t in enumerate(targets):
        for key, what in ((t.name, "name"), ((t.scenario, t.figure), "scenario and figure")):
            if key in seen:
                raise ScenarioError(src, f"target[{i}]", f"the same {what} as target"
                                    f"[{seen[key]}] ({short_value(key)})")
            seen[key] = i


def _range(src: str, key: str, spec: Any) -> Range:
    where = f"params.{key}"
    if not isinstance(spec, dict):
        raise ScenarioError(src, shorten(where), "expected a table with low and high")
    for field in spec:
        if field not in RANGE_FIELDS:
            raise ScenarioError(src, f"{where}.{shorten(str(field))}", f"unknown field (valid "
                                f"fields: {', '.join(RANGE_FIELDS)})")
    for field in ("low", "high"):
        if field not in spec:
            raise ScenarioError(src, f"{where}.{field}", "missing (required)")
        if isinstance(spec[field], str):  # "1" in a file is a mistake, not a number
            raise ScenarioError(src, f"{where}.{field}", f"expected a number, got "
                                f"{short_value(spec[field])}")
    return check_range(src, where, key, spec["low"], spec["high"], spec.get("step"),
                       spec.get("log", False))


def figure_kind(figure: str) -> str:
    """"time" (stored in minutes), "share" (0..1) or "number"."""
    parts = figure.split(".")
    if parts[0] == "by_kind" and len(parts) > 2:
        parts = parts[2:]
    base = ".".join(parts)
    if any(p.endswith("_min") for p in parts):
        return "time"
    label = FIGURES.get(base)
    if (label is not None and label.unit == "%") or parts[0] in ("reach",) \
            or base.startswith("load.utilisation") or "coverage" in base \
            or base.endswith(("within_deadline", "within_target", "in_time")):
        return "share"
    return "number"


def check_figure(src: str, where: str, figure: str, scenario: Scenario) -> str:
    """Check that `figure` is an outcome in the summary of `scenario`; return its kind.

    Raises:
        ScenarioError: naming `src` and `where`.
    """
    known = probe_figures(scenario)
    if figure not in known:
        near = difflib.get_close_matches(figure, known, n=2, cutoff=0.75)
        hint = f"; did you mean {' or '.join(near)}?" if near else \
            " (dotted keys of summary.json, e.g. by_kind.welfare.resolution_time_min.p90)"
        raise ScenarioError(src, where, f"{short_value(figure)} is not a figure of "
                            f"{scenario.name}'s summary{hint}")
    if echoes_inputs(figure):
        raise ScenarioError(src, where, f"{figure} echoes the model's inputs (staff, cost, "
                            "tasks issued, needs drawn); a target must be an outcome")
    return figure_kind(figure)


def echoes_inputs(figure: str) -> bool:
    """Whether a figure (or its `by_kind` form) only echoes the model's inputs."""
    parts = figure.split(".")
    base = ".".join(parts[2:]) if parts[0] == "by_kind" and len(parts) > 2 else figure
    return any(base == p or base.startswith(p + ".") for p in INPUT_FIGURES)


def probe_figures(scenario: Scenario) -> frozenset[str]:
    """The numeric figures of a scenario's summary (a one-day probe run, cached by the
    scenario's parameters)."""
    key = scenario.digest
    if key not in _PROBED:
        result = run_point(scenario, PROBE["seed"], PROBE["scale"], PROBE["days"])
        flat = flatten({k: v for k, v in result.summary.items() if k != "by_community"})
        _PROBED[key] = frozenset(k for k, v in flat.items()
                                 if isinstance(v, int | float) and not isinstance(v, bool))
    return _PROBED[key]


_PROBED: dict[str, frozenset[str]] = {}
