"""The scenarios and levers the page offers, the run settings' ranges, and the checks of
typed values (the scenario validation's own messages, as on the command line). No Solara.

Scenarios come only from the project's `scenarios/` folder, by name.
"""

from __future__ import annotations

import copy
import functools
import math
from typing import Any

from simulation.parameters import Param, iter_params
from simulation.scenario import Scenario, ScenarioError, available, load

from .scenario_text import scenario_text

#: Levers offered in the page, in this order; keys missing from the schema are skipped.
LEVER_KEYS: tuple[str, ...] = (
    # structure and how matters move
    "structure.communities", "structure.street_offices", "structure.districts",
    "structure.grid_responsibility", "structure.village_service_centres",
    "routing.direct_referral", "decision.cycle_days.city",
    # community staff and their work
    "staff.community.front_desk", "staff.community.caseworker",
    "staff.community.grid_worker", "staff.community_scale", "staff.priority",
    "tasks.volume_multiplier",
    # police
    "police.embedding", "police.embedded_share", "police.dispatch_rule", "police.officers",
    "police.joint_defence",
    # the other measures of 2012, and the load
    "hotline.enabled", "hotline.misroute_share", "mediation.centre", "registration.unified",
    "safe_cells.enabled", "needs.rate_multiplier",
)
DEFAULT_SCENARIO = "hierarchy_2011"
WORKSHOP_DEFAULTS = ("hierarchy_2011", "flat_2012")
#: Full scale by default: a simulated hour of the whole city takes 4-9 ms (measured on
#: day 1-30 of hierarchy_2011 and flat_2012, 2 shared cores) and a city is built in about
#: 1 s, both far below the page's own cost per frame. Smaller shares estimate the same
#: figures (full staff and police at any scale), with more chance variation.
DEFAULT_SCALE = 1.0
DEFAULT_DAYS = 30
DEFAULT_SEED = 1
SEED_MAX = 2**31 - 1
SCALE_RANGE = (0.02, 1.0)
DAYS_RANGE = (1, 365)
MAX_CHART_POINTS = 240

# ------------------------------------------------------------------ scenarios, levers
def scenario_names() -> list[str]:
    """Names of the scenario files in `scenarios/` (the only ones the page can open)."""
    return [p.stem for p in available()]


def scenario_label(name: str, lang: str = "en") -> str:
    """The scenario's title in `lang` (the file name when it has none)."""
    return scenario_text(name).title_in(lang)


def load_scenario(name: str) -> Scenario:
    """Load a scenario by name from `scenarios/` only; anything else is refused.

    Loaded scenarios are kept while their file (and its bases) are unchanged."""
    for path in available():
        if path.stem == name:
            return copy.deepcopy(_load_cached(str(path), path.stat().st_mtime_ns,
                                              _dir_stamp()))
    raise ScenarioError(name, "", "no such scenario in scenarios/ (known: "
                        + ", ".join(scenario_names()) + ")")


def _dir_stamp() -> tuple:
    return tuple((p.name, p.stat().st_mtime_ns) for p in available())


@functools.lru_cache(maxsize=64)
def _load_cached(path: str, _mtime: int, _stamp: tuple) -> Scenario:
    return load(path)


@functools.cache
def levers() -> list[tuple[str, Param]]:
    """The lever keys that exist in the schema, with their `Param` (bounds, choices)."""
    schema = dict(iter_params())
    return [(k, schema[k]) for k in LEVER_KEYS if k in schema]


def get_value(params: dict[str, Any], dotted: str) -> Any:
    node: Any = params
    for part in dotted.split("."):
        node = node[part]
    return node


def coerce(param: Param, value: Any) -> Any:
    """A control's value made valid for `param`: right type, clipped to its bounds."""
    if param.kind == "bool":
        return bool(value)
    if param.kind == "str":
        value = str(value)
        if param.choices and value not in param.choices:
            return param.default
        return value
    if param.kind in ("int", "float"):
        try:
            x = float(value)
        except (TypeError, ValueError):
            x = float(param.default)
        if not math.isfinite(x):
            x = float(param.default)
        if param.lo is not None:
            x = max(x, param.lo)
        if param.hi is not None:
            x = min(x, param.hi)
        return int(round(x)) if param.kind == "int" else float(x)
    return value


def parse_lever_text(text: Any) -> Any:
    """A typed lever value as the scenario file would hold it: a whole number, else a
    number, else the text itself (so that validation names what was typed)."""
    if not isinstance(text, str):
        return text
    t = text.strip().replace(",", "").replace("\u2212", "-")
    for conv in (int, float):
        try:
            return conv(t)
        except ValueError:
            pass
    return text.strip()


def check_lever(key: str, value: Any) -> str | None:
    """None if lever `key` may take `value`, else the one-line message the command line
    gives for it (`ScenarioError` from `Scenario.with_overrides`, naming the key)."""
    try:
        load_scenario(DEFAULT_SCENARIO).with_overrides({key: value}, label="lever")
    except ScenarioError as exc:
        if exc.key == key:
            return str(exc)
    return None


def lever_bounds(param: Param) -> tuple[float, float, float]:
    """(min, max, step) for a numeric control. Huge schema maxima are capped at what a
    slider can handle; typed values are still checked against the schema."""
    lo = param.lo if param.lo is not None else 0
    hi = param.hi if param.hi is not None else lo + 100
    if param.kind == "int":
        return int(lo), int(hi), 1
    return float(lo), float(hi), 0.05 if hi - lo <= 20 else 1.0
