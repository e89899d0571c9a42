"""A workshop setup as a small TOML file (a "scenario pair"): the two scenarios, each
side's levers, and the shared seed, scale and horizon. No Solara here.

    kind = "workshop-setup"
    seed = 1
    scale = 1.0
    days = 30

    [a]
    scenario = "hierarchy_2011"

    [b]
    scenario = "flat_2012"
    [b.levers]
    "hotline.enabled" = false

Reading checks everything before anything changes: scenario names must be files in
`scenarios/`, levers must be levers of the page and pass the scenario validation (the
same messages as the command line), seed, scale and days their ranges. A problem raises
`SetupError` naming the key (`b.levers.police.officers: expected ...`).
"""

from __future__ import annotations

import json
import tomllib
from typing import Any

from simulation.scenario import ScenarioError

from .levers import (
    DAYS_RANGE,
    SCALE_RANGE,
    SEED_MAX,
    levers,
    load_scenario,
    scenario_names,
)
from .state import Workshop

KIND = "workshop-setup"


class SetupError(ValueError):
    """A setup file that cannot be used, with the key at fault."""


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    return json.dumps(str(v), ensure_ascii=False)


def dump_setup(ws: Workshop) -> str:
    """The workshop's current setup as TOML text."""
    lines = ["# Workshop setup: open it in the page (Workshop > Load a setup)",
             f'kind = "{KIND}"', f"seed = {ws.a.seed}", f"scale = {float(ws.a.scale)!r}",
             f"days = {ws.a.days}"]
    for tag, run in zip("ab", ws.sides):
        lines += ["", f"[{tag}]", f"scenario = {_toml_value(run.scenario_name)}"]
        if run.overrides:
            lines.append(f"[{tag}.levers]")
            lines += [f'"{k}" = {_toml_value(v)}' for k, v in sorted(run.overrides.items())]
    return "\n".join(lines) + "\n"


def parse_setup(text: str | bytes) -> dict[str, Any]:
    """A checked setup: {"seed", "scale", "days", "a": (scenario, levers), "b": ...}."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise SetupError("not a text file (expected a TOML workshop setup)") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SetupError(f"not valid TOML: {exc}") from None
    if data.get("kind") != KIND:
        raise SetupError(f'kind: expected "{KIND}", got {data.get("kind")!r}')
    unknown = sorted(set(data) - {"kind", "seed", "scale", "days", "a", "b"})
    if unknown:
        raise SetupError(f"{unknown[0]}: unknown key (valid: kind, seed, scale, days, a, b)")
    out: dict[str, Any] = {}
    for key, lo, hi, kind in (("seed", 0, SEED_MAX, int), ("scale", *SCALE_RANGE, float),
                              ("days", *DAYS_RANGE, int)):
        v = data.get(key)
        ok = isinstance(v, kind if kind is int else int | float) and not isinstance(v, bool)
        if not ok or not lo <= v <= hi:
            raise SetupError(f"{key}: expected a {'whole ' if kind is int else ''}number "
                             f"from {lo:g} to {hi:g}, got {v!r}")
        out[key] = kind(v)
    lever_keys = {k for k, _ in levers()}
    for tag in "ab":
        side = data.get(tag)
        if not isinstance(side, dict):
            raise SetupError(f"{tag}: expected a table with `scenario` (and `levers`)")
        extra = sorted(set(side) - {"scenario", "levers"})
        if extra:
            raise SetupError(f"{tag}.{extra[0]}: unknown key (valid: scenario, levers)")
        name = side.get("scenario")
        if name not in scenario_names():
            raise SetupError(f"{tag}.scenario: expected a scenario in scenarios/ (one of "
                             f"{', '.join(scenario_names())}), got {name!r}")
        lv = side.get("levers", {})
        if not isinstance(lv, dict):
            raise SetupError(f"{tag}.levers: expected a table of lever = value")
        for k in lv:
            if k not in lever_keys:
                raise SetupError(f"{tag}.levers.{k}: not a lever of the page (levers: "
                                 f"{', '.join(sorted(lever_keys))})")
        try:
            load_scenario(name).with_overrides(lv, label="setup") if lv else None
        except ScenarioError as exc:
            raise SetupError(f"{tag}.levers.{exc.key}: {exc.message}") from None
        out[tag] = (name, dict(lv))
    return out


def apply_setup(ws: Workshop, setup: dict[str, Any]) -> bool:
    """Rebuild both sides from a checked setup, at time 0. False (with the sides' error
    messages set) if a side cannot be built."""
    with ws.lock:
        ok = True
        for side, tag in enumerate("ab"):
            name, lv = setup[tag]
            ok &= ws.sides[side].build(name, lv, seed=setup["seed"], scale=setup["scale"],
                                       days=setup["days"])
        return bool(ok)
