"""The table of points of a batch: scenarios x swept values x replications, run ids,
and the `--sweep KEY=V1,V2` values read by the schema's types.

Seeds (common random numbers): replication r (0, 1, ..., R-1) runs with
seed = base seed + r, for every scenario and every swept value. The model draws its
residents and needs from named streams of that seed, so replication r of each scenario
and swept value faces the same city and the same needs, and the comparison can pair
them.

A run's id is a hash of its point (scenario name and parameters, swept values,
replication, seed, days, scale), so the same command names the same runs: `--resume`
skips those already written and never writes one twice.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import json
import math
from dataclasses import dataclass
from typing import Any

from simulation.parameters import Param, iter_params
from simulation.randomness import SEED_MAX
from simulation.scenario import Scenario, ScenarioError, short_value

#: Every parameter that can be swept, by dotted key.
PARAMS: dict[str, Param] = dict(iter_params())
#: Separates the items of a list value on the command line (`welfare+dispute`); a
#: comma already separates the values of a sweep.
LIST_SEPARATOR = "+"
EMPTY_LIST = "none"
SEED_RULE = ("seed = base seed + replication (replications 0..R-1), the same for every "
             "scenario and swept value (common random numbers)")


@dataclass
class Point:
    """One run of a batch: a scenario with its swept values, under one seed."""

    run_id: str
    scenario: Scenario
    sweep: dict[str, Any]
    replication: int
    seed: int
    days: int
    scale: float


@dataclass
class Design:
    """The table of points: scenarios x swept values x replications.

    Attributes:
        scenarios: the scenarios as loaded, before any swept value.
        sweep: swept key -> values (parsed by the key's type), in command-line order.
        replications: replications per scenario and swept values.
        seed: base seed; replication r runs with seed + r.
        days, scale: horizon and share of residents of every run.
    """

    scenarios: list[Scenario]
    sweep: dict[str, list[Any]]
    replications: int
    seed: int
    days: int
    scale: float

    def points(self) -> list[Point]:
        """Every point, replication first, so a batch cut short holds whole comparisons.

        Raises:
            ScenarioError: naming the key, if a swept value is invalid for a scenario, or
                naming --seed, if the last replication's seed is beyond 2**63 - 1.
        """
        if self.seed + self.replications - 1 > SEED_MAX:
            raise ScenarioError("command line", "--seed", f"replication {self.replications - 1}"
                                f" would run with seed {self.seed} + {self.replications - 1}, "
                                "beyond 2**63 - 1; choose a smaller --seed")
        keys = list(self.sweep)
        combos = list(itertools.product(*self.sweep.values()))
        # combinations are indexed by position: list values are not hashable
        variants = {(s.name, i): _apply(s, keys, combo)
                    for i, combo in enumerate(combos) for s in self.scenarios}
        points = []
        for r in range(self.replications):
            for i, combo in enumerate(combos):
                for s in self.scenarios:
                    variant = variants[(s.name, i)]
                    columns = {k: column_value(v) for k, v in zip(keys, combo)}
                    points.append(Point(run_id(variant, columns, r, self.seed + r, self.days,
                                               self.scale),
                                        variant, columns, r, self.seed + r, self.days,
                                        self.scale))
        return points

    def describe(self) -> dict[str, Any]:
        """The design as data: what `--resume` must match."""
        return {"scenarios": {s.name: s.digest for s in self.scenarios},
                "sweep": {k: [column_value(v) for v in vs] for k, vs in self.sweep.items()},
                "replications": self.replications, "base_seed": self.seed,
                "seed_rule": SEED_RULE, "days": self.days, "scale": self.scale,
                "runs": self.replications * len(self.scenarios)
                * math.prod(len(v) for v in self.sweep.values())}


def _apply(scenario: Scenario, keys: list[str], combo: tuple[Any, ...]) -> Scenario:
    """The scenario with one combination of swept values, validated."""
    if not keys:
        return scenario
    overrides = dict(zip(keys, combo))
    label = ", ".join(f"{k}={column_value(v)}" for k, v in overrides.items())
    try:
        return scenario.with_overrides(overrides, label=f"--sweep {label}")
    except ScenarioError as exc:
        raise ScenarioError(f"--sweep ({scenario.name} with {label})", exc.key,
                            exc.message) from None


def run_id(scenario: Scenario, sweep: dict[str, Any], replication: int, seed: int,
           days: int, scale: float) -> str:
    """A stable id for a point: the same point always gets the same id."""
    ident = {"scenario": scenario.name, "params_sha256": scenario.digest, "sweep": sweep,
             "replication": replication, "seed": seed, "days": days, "scale": repr(scale)}
    text = json.dumps(ident, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def column_value(value: Any) -> Any:
    """A swept value as it appears in the runs table: lists as `a+b`, scalars as is."""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value) if value else EMPTY_LIST
    return value


def parse_sweep(text: str) -> tuple[str, list[Any]]:
    """Parse `KEY=V1,V2,...`, each value by the type of KEY in the schema.

    Lists (kinds of need, numbers) are written with `+` between items (`welfare+dispute`),
    an empty list as `none`. Ranges and choices are checked later, per scenario.

    Raises:
        ScenarioError: naming the key, for an unknown key or a value of the wrong type.
    """
    key, sep, values = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ScenarioError("--sweep", short_value(text), "expected KEY=V1,V2,... (e.g. "
                            "staff.community.caseworker=3,6)")
    if key not in PARAMS:
        near = difflib.get_close_matches(key, PARAMS, n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(near)}?" if near else \
            "; the keys are listed in docs/ODD.md (dotted, e.g. staff.community.caseworker)"
        raise ScenarioError("--sweep", short_value(key), f"unknown parameter{hint}")
    items = [v.strip() for v in values.split(",")]
    if not values.strip() or any(not v for v in items):
        raise ScenarioError("--sweep", key, f"expected values separated by commas, got "
                            f"{short_value(values)}")
    parsed = [parse_value(v, PARAMS[key], key) for v in items]
    if len({json.dumps(v) for v in parsed}) < len(parsed):
        raise ScenarioError("--sweep", key, f"a value is given twice in {short_value(values)}")
    return key, parsed


def parse_value(text: str, param: Param, key: str) -> Any:
    """One command-line value as the schema type of `param`."""
    def fail(expected: str) -> None:
        raise ScenarioError("--sweep", key, f"expected {expected}, got {short_value(text)}")

    try:
        if param.kind == "int":
            return int(text)
        if param.kind == "float":
            return float(text)
        if param.kind == "floats":
            return [] if text == EMPTY_LIST else [float(t) for t in text.split(LIST_SEPARATOR)]
    except ValueError:
        fail({"int": "a whole number", "float": "a number"}.get(
            param.kind, f"numbers joined by {LIST_SEPARATOR!r}"))
    if param.kind == "bool":
        if text.lower() not in ("true", "false"):
            fail("true or false")
        return text.lower() == "true"
    if param.kind == "kinds":
        return [] if text == EMPTY_LIST else text.split(LIST_SEPARATOR)
    return text
