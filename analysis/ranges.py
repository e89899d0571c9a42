"""Ranges of numeric scenario parameters: `--param KEY=LOW:HIGH` on the command line, or a
`[params."KEY"]` table in a targets file, checked against the schema in one place.

Used by `run.py sensitivity`, `run.py calibrate` and `run.py explore`. A range is bad
input (`ScenarioError`, exit code 2) when the key is unknown, the parameter is not a
number, a bound is not a finite number, LOW is not below HIGH, or the range leaves the
schema's allowed values.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from typing import Any

from simulation.parameters import Param, iter_params
from simulation.scenario import ScenarioError, short_value, shorten

#: Every scenario parameter, by dotted key.
PARAMS: dict[str, Param] = dict(iter_params())


@dataclass(frozen=True)
class Range:
    """A numeric parameter and the interval it may take.

    Attributes:
        key: dotted parameter key.
        low, high: the bounds (inclusive), LOW < HIGH.
        step: values are LOW + k x step (None: any value; whole numbers for an int key).
        log: sample on a log scale (both bounds above 0).
    """

    key: str
    low: float
    high: float
    step: float | None = None
    log: bool = False

    @property
    def param(self) -> Param:
        return PARAMS[self.key]

    @property
    def is_int(self) -> bool:
        return self.param.kind == "int"

    def typed(self, value: float) -> int | float:
        """`value` as the scenario takes it: a whole number for an int parameter, on the
        step grid if there is one, within the bounds."""
        if self.step:
            value = self.low + round((value - self.low) / self.step) * self.step
            value = round(value, 10)  # 0.1 * 3 is 0.30000000000000004
        value = min(max(value, self.low), self.high)
        return int(round(value)) if self.is_int else float(value)

    def at(self, share: float) -> int | float:
        """The value a share (0..1) of the way from LOW to HIGH (on a log scale if `log`)."""
        if self.log:
            return self.typed(math.exp(math.log(self.low) + share * (math.log(self.high)
                                                                      - math.log(self.low))))
        return self.typed(self.low + share * (self.high - self.low))

    def describe(self) -> dict[str, Any]:
        return {"low": self.low, "high": self.high, "step": self.step, "log": self.log}


def unknown_key(key: str) -> str:
    """The message for a key that is not a parameter, with the nearest names."""
    near = difflib.get_close_matches(key, PARAMS, n=3, cutoff=0.6)
    return ("unknown parameter" + (f"; did you mean {', '.join(near)}?" if near else
                                   " (the keys are listed in docs/ODD.md, section 8)"))


def check_range(source: str, where: str, key: str, low: Any, high: Any, step: Any = None,
                log: Any = False) -> Range:
    """A validated `Range`.

    Args:
        source: the file or option the range came from (for the message).
        where: the key to name in the message (e.g. `params.KEY` or the key itself).

    Raises:
        ScenarioError: naming `source` and `where`.
    """
    if key not in PARAMS:
        raise ScenarioError(source, shorten(where), unknown_key(key))
    p = PARAMS[key]
    if p.kind not in ("int", "float"):
        raise ScenarioError(source, where, f"expected a numeric parameter, it is {p.kind} "
                            f"(default {short_value(p.default)})")
    bounds = []
    for name, value in (("low", low), ("high", high)):
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                raise ScenarioError(source, where, f"expected numbers LOW:HIGH, got "
                                    f"{name} = {short_value(value)}") from None
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not math.isfinite(value):
            raise ScenarioError(source, where, f"expected a finite number for {name}, got "
                                f"{short_value(value)}")
        bounds.append(float(value))
    lo, hi = bounds
    if not lo < hi:
        what = "an empty range" if lo == hi else "LOW above HIGH"
        raise ScenarioError(source, where, f"expected LOW < HIGH, got {lo:g}:{hi:g} ({what})")
    if (p.lo is not None and lo < p.lo) or (p.hi is not None and hi > p.hi):
        allowed = f"{p.lo:g}..{p.hi:g}" if p.hi is not None else f">= {p.lo:g}"
        raise ScenarioError(source, where, f"expected a range within {allowed} "
                            f"({p.unit or 'the schema'}), got {lo:g}:{hi:g}")
    if p.kind == "int" and math.ceil(lo) > math.floor(hi):
        raise ScenarioError(source, where, f"expected a range holding a whole number, got "
                            f"{lo:g}:{hi:g}")
    if step is not None:
        if isinstance(step, bool) or not isinstance(step, int | float) \
                or not (math.isfinite(step) and 0 < step <= hi - lo):
            raise ScenarioError(source, f"{where}.step", f"expected a number above 0 and at "
                                f"most HIGH - LOW ({hi - lo:g}), got {short_value(step)}")
        step = float(step)
        if abs((hi - lo) / step - round((hi - lo) / step)) > 1e-9:
            raise ScenarioError(source, f"{where}.step", f"expected HIGH - LOW ({hi - lo:g}) "
                                f"to be a whole number of steps of {step:g}")
    if not isinstance(log, bool):
        raise ScenarioError(source, f"{where}.log", f"expected true or false, got "
                            f"{short_value(log)}")
    if log and step is not None:
        raise ScenarioError(source, f"{where}.log", "a log scale takes no step")
    if log and lo <= 0:
        raise ScenarioError(source, f"{where}.log", f"a log scale needs LOW above 0, got "
                            f"{lo:g}")
    return Range(key, lo, hi, step, log)


def parse_param(text: str) -> tuple[str, float, float]:
    """`KEY=LOW:HIGH` -> (key, low, high), checked against the schema.

    Raises:
        ScenarioError: naming --param and the key.
    """
    r = parse_range(text)
    return r.key, r.low, r.high


def parse_range(text: str) -> Range:
    """`KEY=LOW:HIGH` as a `Range`, checked against the schema.

    Raises:
        ScenarioError: naming --param and the key.
    """
    key, sep, rng = text.partition("=")
    low, sep2, high = rng.partition(":")
    key = key.strip()
    if not sep or not sep2 or not key:
        raise ScenarioError("--param", short_value(text), "expected KEY=LOW:HIGH (e.g. "
                            "decision.cycle_days.city=1:14)")
    return check_range("--param", key, key, low.strip(), high.strip())


def parse_ranges(texts: list[str]) -> dict[str, Range]:
    """Every `--param KEY=LOW:HIGH`, by key; a key given twice is bad input."""
    ranges: dict[str, Range] = {}
    for text in texts:
        r = parse_range(text)
        if r.key in ranges:
            raise ScenarioError("--param", r.key, "given twice")
        ranges[r.key] = r
    return ranges
