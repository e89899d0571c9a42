"""What one page session owns: runs, their levers and their figures so far. No Solara here.

A `Run` is one model with the scenario name, lever overrides and seed it was built from,
the hour-by-hour figures recorded while it ran, and its map renderer. A `Workshop` is two
runs on one seed, stepped together. Both are plain Python objects guarded by a lock, so
the page's play thread and its button handlers can share them; the page keeps them per
session (`solara.use_memo`), never at module level.

Scenarios come only from the project's `scenarios/` folder, by name; a scenario or lever
value that fails validation is kept as a message (`Run.error`), and the previous model
stays in place.
"""

from __future__ import annotations

import copy
import functools
import io
import math
import threading
import time
from typing import Any

import numpy as np
import pandas as pd

from simulation.metrics import current_figures, service_circle_coverage, timeseries_table
from simulation.model import GovernanceModel
from simulation.parameters import Param, iter_params
from simulation.scenario import Scenario, ScenarioError, available, load

from .i18n import has, tr
from .map_image import MapRenderer

#: Levers offered in the page, in this order; keys missing from the schema are skipped.
LEVER_KEYS: tuple[str, ...] = (
    "structure.communities", "structure.street_offices", "structure.districts",
    "structure.grid_responsibility", "structure.village_service_centres",
    "police.embedding", "police.officers", "police.joint_defence",
    "hotline.enabled", "mediation.centre", "registration.unified", "safe_cells.enabled",
    "staff.community.front_desk", "staff.community.caseworker",
    "staff.community.grid_worker", "needs.rate_multiplier",
)
DEFAULT_SCENARIO = "hierarchy_2011"
WORKSHOP_DEFAULTS = ("hierarchy_2011", "flat_2012")
DEFAULT_SCALE = 0.1
DEFAULT_DAYS = 30
DEFAULT_SEED = 1
SEED_MAX = 2**31 - 1
SCALE_RANGE = (0.02, 1.0)
DAYS_RANGE = (1, 365)

#: Figures shown for a run, in display order. Direction: +1 higher is better, -1 lower
#: is better, 0 neither (used by the workshop's difference panel).
KPI_KEYS: tuple[tuple[str, int], ...] = (
    ("response_median_h", -1), ("response_p90_h", -1), ("service_circle_coverage", +1),
    ("patrol_coverage_24h", +1), ("visit_coverage", +1), ("backlog", -1),
    ("open_needs", -1), ("reach", +1), ("petitions", -1), ("mean_trust", +1),
    ("needs_arisen", 0), ("resolved", +1), ("unreached", -1), ("calls_waiting", -1),
)
KPI_DIRECTION = dict(KPI_KEYS)
SHARE_KPIS = {"service_circle_coverage", "patrol_coverage_24h", "visit_coverage", "reach"}
HOUR_KPIS = {"response_median_h", "response_p90_h"}


# ------------------------------------------------------------------ scenarios, levers
def scenario_names() -> list[str]:
    """Names of the scenario files in `scenarios/` (the only ones the page can open)."""
    return [p.stem for p in available()]


def scenario_label(name: str, lang: str = "en") -> str:
    key = f"scenario.{name}"
    return f"{tr(key, lang)} ({name})" if has(key) else name


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


def lever_bounds(param: Param) -> tuple[float, float, float]:
    """(min, max, step) for a numeric control. Huge schema maxima are capped at what a
    slider can handle; typed values are still checked against the schema."""
    lo = param.lo if param.lo is not None else 0
    hi = param.hi if param.hi is not None else lo + 100
    if param.kind == "int":
        return int(lo), int(hi), 1
    return float(lo), float(hi), 0.05 if hi - lo <= 20 else 1.0


# ---------------------------------------------------------------------- figures
def _quantiles(values: np.ndarray) -> tuple[float | None, float | None]:
    if len(values) == 0:
        return None, None
    med, p90 = np.quantile(values, [0.5, 0.9])
    return float(med), float(p90)


class FigureCache:
    """Kept for the page's interface; every figure now comes from the model."""

    def __init__(self, model: GovernanceModel):
        self.service_circle_coverage = service_circle_coverage(model)


def live_figures(model: GovernanceModel, cache: FigureCache) -> dict[str, Any]:
    """The run's figures so far: `simulation.metrics.current_figures`, with the page's
    clock fields."""
    t = model.time_min
    f = current_figures(model)
    return {**f,
            "time_min": float(t),
            "day": int(t // 1440) + 1 if t < model.days * 1440 else model.days,
            "hour": int((t % 1440) // 60) if t < model.days * 1440 else 24,
            "open_needs": f["needs_arisen"] - f["resolved"] - f["gave_up"],
            "unreached": f["gave_up"]}


def format_kpi(key: str, value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if key in SHARE_KPIS:
        return f"{100 * value:.1f}"
    if key in HOUR_KPIS:
        return f"{value:.1f}"
    if key == "mean_trust":
        return f"{value:.3f}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return f"{value:,}"


# -------------------------------------------------------------------------- runs
class Run:
    """One model in the page, with what it was built from and its figures so far.

    Args:
        scenario: scenario name in `scenarios/`.
        seed, scale, days: as for `GovernanceModel`.
    """

    def __init__(self, scenario: str = DEFAULT_SCENARIO, seed: int = DEFAULT_SEED,
                 scale: float = DEFAULT_SCALE, days: int = DEFAULT_DAYS):
        self.lock = threading.RLock()
        self.scenario_name = scenario
        self.seed, self.scale, self.days = seed, scale, days
        self.overrides: dict[str, Any] = {}
        self.model: GovernanceModel | None = None
        self.error: str | None = None
        self.history: list[dict[str, Any]] = []
        self.renderer: MapRenderer | None = None
        self._cache: FigureCache | None = None
        self.build_count = 0
        self.steps_per_s: float | None = None

    # ---- building
    def scenario(self, name: str | None = None,
                 overrides: dict[str, Any] | None = None) -> Scenario:
        """The scenario `name` with lever `overrides`, validated (raises ScenarioError)."""
        base = load_scenario(name or self.scenario_name)
        ov = self.overrides if overrides is None else overrides
        return base.with_overrides(ov, label="levers in the page") if ov else base

    def lever_values(self, name: str | None = None) -> dict[str, Any]:
        """Each lever's value in scenario `name` (default: the current one) before
        overrides; {} if the scenario cannot be loaded."""
        try:
            params = load_scenario(name or self.scenario_name).params
        except ScenarioError:
            return {}
        return {k: get_value(params, k) for k, _ in levers()}

    def build(self, scenario: str | None = None, overrides: dict[str, Any] | None = None,
              seed: int | None = None, scale: float | None = None,
              days: int | None = None) -> bool:
        """Rebuild the model. On a validation error keep the old one and set `error`."""
        name = scenario or self.scenario_name
        ov = dict(self.overrides if overrides is None else overrides)
        seed = self.seed if seed is None else int(seed)
        scale = self.scale if scale is None else float(scale)
        days = self.days if days is None else int(days)
        try:
            if not 0 <= seed <= SEED_MAX:
                raise ScenarioError("page", "seed", f"expected 0 to {SEED_MAX}, got {seed}")
            if not SCALE_RANGE[0] <= scale <= SCALE_RANGE[1]:
                raise ScenarioError("page", "scale", f"expected {SCALE_RANGE[0]:g} to "
                                    f"{SCALE_RANGE[1]:g}, got {scale:g}")
            if not DAYS_RANGE[0] <= days <= DAYS_RANGE[1]:
                raise ScenarioError("page", "days", f"expected {DAYS_RANGE[0]} to "
                                    f"{DAYS_RANGE[1]}, got {days}")
            sc = self.scenario(name, ov)
            model = GovernanceModel(sc, seed=seed, scale=scale, days=days)
        except (ScenarioError, ValueError) as exc:
            with self.lock:
                self.error = str(exc)
            return False
        renderer = MapRenderer(model)
        cache = FigureCache(model)
        with self.lock:
            self.model, self.renderer, self._cache = model, renderer, cache
            self.scenario_name, self.overrides = name, ov
            self.seed, self.scale, self.days = seed, scale, days
            self.error = None
            self.history = [live_figures(model, cache)]
            self.build_count += 1
            self.steps_per_s = None
        return True

    def ensure_built(self) -> None:
        if self.model is None and self.error is None:
            self.build()

    # ---- running
    @property
    def time_min(self) -> float:
        return self.model.time_min if self.model is not None else 0.0

    @property
    def finished(self) -> bool:
        m = self.model
        return m is None or m.time_min >= m.days * 1440.0

    def step(self, hours: int = 1) -> int:
        """Advance up to `hours` simulated hours; returns how many were run."""
        done = 0
        with self.lock:
            m = self.model
            if m is None:
                return 0
            for _ in range(max(0, int(hours))):
                if m.time_min >= m.days * 1440.0:
                    break
                m.step()
                self.history.append(live_figures(m, self._cache))
                done += 1
        return done

    def run_until(self, t_min: float) -> None:
        """Run hour by hour up to minute `t_min` (recording each hour)."""
        with self.lock:
            while self.model is not None and self.model.time_min + 1e-9 < t_min \
                    and not self.finished:
                self.step(1)

    def figures(self) -> dict[str, Any]:
        with self.lock:
            return dict(self.history[-1]) if self.history else {}

    def clock(self) -> tuple[int, int]:
        f = self.figures()
        return f.get("day", 1), f.get("hour", 0)

    # ---- outputs
    def map_rgb(self, layers: frozenset[str] = frozenset()) -> np.ndarray | None:
        with self.lock:
            if self.model is None or self.renderer is None:
                return None
            return self.renderer.render(self.model, layers)

    def map_png(self, layers: frozenset[str] = frozenset(), zoom: int = 1) -> bytes:
        """The map as PNG; `zoom` > 1 enlarges each pixel (for export)."""
        rgb = self.map_rgb(layers)
        if rgb is None:
            return b""
        if zoom > 1:
            rgb = np.repeat(np.repeat(rgb, zoom, axis=0), zoom, axis=1)
        return png_bytes(rgb)

    def history_frame(self) -> pd.DataFrame:
        with self.lock:
            df = pd.DataFrame(self.history)
        if len(df):
            df.insert(0, "hour_of_run", df["time_min"] / 60.0)
        return df

    def timeseries_frame(self) -> pd.DataFrame:
        """The model's hourly series (its DataCollector)."""
        with self.lock:
            return timeseries_table(self.model) if self.model else pd.DataFrame()

    def description(self) -> dict[str, Any]:
        return {"scenario": self.scenario_name, "seed": self.seed, "scale": self.scale,
                "days": self.days, **{f"lever.{k}": v for k, v in self.overrides.items()}}

    def figures_csv(self) -> str:
        """The current figures, one row per figure, with what the run was built from."""
        rows = [("run", k, v) for k, v in self.description().items()]
        rows += [("figure", k, v) for k, v in self.figures().items()]
        return pd.DataFrame(rows, columns=["section", "name", "value"]).to_csv(index=False)

    def history_csv(self) -> str:
        return self.history_frame().to_csv(index=False)


def png_bytes(rgb: np.ndarray) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="PNG", optimize=False, compress_level=1)
    return buf.getvalue()


# ---------------------------------------------------------------------- workshop
class Workshop:
    """Two runs on one seed, stepped together, and the difference between them."""

    def __init__(self, a: str = WORKSHOP_DEFAULTS[0], b: str = WORKSHOP_DEFAULTS[1],
                 seed: int = DEFAULT_SEED, scale: float = DEFAULT_SCALE,
                 days: int = DEFAULT_DAYS):
        self.lock = threading.RLock()
        self.a = Run(a, seed, scale, days)
        self.b = Run(b, seed, scale, days)
        self.steps_per_s: float | None = None

    @property
    def sides(self) -> tuple[Run, Run]:
        return self.a, self.b

    def ensure_built(self) -> None:
        for r in self.sides:
            r.ensure_built()

    def reset(self, seed: int | None = None, scale: float | None = None,
              days: int | None = None) -> bool:
        """Rebuild both sides from time 0 (with a new shared seed, scale, horizon)."""
        with self.lock:
            ok = [r.build(seed=seed, scale=scale, days=days) for r in self.sides]
            return all(ok)

    def apply(self, side: int, scenario: str, overrides: dict[str, Any]) -> bool:
        """Rebuild one side with a new scenario and levers, then run it up to the other
        side's clock so that both keep stepping together."""
        with self.lock:
            run, other = self.sides[side], self.sides[1 - side]
            if not run.build(scenario, overrides, seed=other.seed, scale=other.scale,
                             days=other.days):
                return False
            run.run_until(other.time_min)
            return True

    def step(self, hours: int = 1) -> int:
        with self.lock:
            done = [r.step(hours) for r in self.sides]
            return max(done)

    @property
    def finished(self) -> bool:
        return all(r.finished for r in self.sides)

    def difference(self) -> list[dict[str, Any]]:
        """One row per figure: A, B, B - A and which side is better (or None)."""
        fa, fb = self.a.figures(), self.b.figures()
        rows = []
        for key, direction in KPI_KEYS:
            va, vb = fa.get(key), fb.get(key)
            delta = better = None
            if va is not None and vb is not None:
                delta = vb - va
                # equal as shown (e.g. trust 0.550 vs 0.550): no side is better
                if format_kpi(key, va) == format_kpi(key, vb):
                    better = "same"
                elif direction:
                    better = "B" if delta * direction > 0 else "A"
            rows.append({"key": key, "a": va, "b": vb, "delta": delta, "better": better})
        return rows

    def figures_csv(self) -> str:
        rows = [{"name": f"run.{k}", "A": self.a.description().get(k),
                 "B": self.b.description().get(k), "B_minus_A": None, "better": None}
                for k in ("scenario", "seed", "scale", "days")]
        keys = sorted(set(self.a.overrides) | set(self.b.overrides))
        rows += [{"name": f"lever.{k}", "A": self.a.overrides.get(k),
                  "B": self.b.overrides.get(k), "B_minus_A": None, "better": None}
                 for k in keys]
        fa, fb = self.a.figures(), self.b.figures()
        rows += [{"name": k, "A": fa.get(k), "B": fb.get(k), "B_minus_A": None,
                  "better": None} for k in ("time_min", "day", "hour")]
        rows += [{"name": r["key"], "A": r["a"], "B": r["b"], "B_minus_A": r["delta"],
                  "better": r["better"]} for r in self.difference()]
        return pd.DataFrame(rows).to_csv(index=False)


class RateMeter:
    """Steps per second over a sliding window (what the page shows while playing)."""

    def __init__(self, window_s: float = 3.0):
        self.window = window_s
        self.samples: list[tuple[float, int]] = []

    def add(self, steps: int) -> float | None:
        now = time.perf_counter()
        self.samples.append((now, steps))
        self.samples = [(t, s) for t, s in self.samples if now - t <= self.window]
        if len(self.samples) < 2:
            return None
        span = self.samples[-1][0] - self.samples[0][0]
        steps_after_first = sum(s for _, s in self.samples[1:])
        return steps_after_first / span if span > 0 else None

    def reset(self) -> None:
        self.samples = []
