"""What one page session owns: runs, their levers and their figures so far. No Solara here.

A `Run` is one model with the scenario name, lever overrides and seed it was built from,
the page's figures recorded at each frame (for the charts; the model's own hourly series
is its DataCollector), and its map renderer. A `Workshop` is two
runs on one seed, stepped together. Both are plain Python objects guarded by a lock, so
the page's play thread and its button handlers can share them; the page keeps them per
session (`solara.use_memo`), never at module level.

Scenarios and levers are in `ui.levers`; a scenario or lever value that fails validation
is kept as a message (`Run.error`, `Run.error_key`), and the previous model stays in place.
"""

from __future__ import annotations

import io
import threading
import time
from typing import Any

import numpy as np
import pandas as pd

from simulation.metrics import timeseries_table
from simulation.model import GovernanceModel
from simulation.scenario import Scenario, ScenarioError

from .figures import SERIES, FigureCache, community_figures, live_figures
from .levers import (  # noqa: F401 - the run settings, re-exported for the views
    DAYS_RANGE,
    DEFAULT_DAYS,
    DEFAULT_SCALE,
    DEFAULT_SCENARIO,
    DEFAULT_SEED,
    MAX_CHART_POINTS,
    SCALE_RANGE,
    SEED_MAX,
    WORKSHOP_DEFAULTS,
    get_value,
    levers,
    load_scenario,
    scenario_label,
    scenario_names,
)
from .map_image import MapRenderer
from .verdicts import difference


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
        self.error_key: str | None = None  # the lever or setting the error is about
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
                self.error_key = getattr(exc, "key", None)
            return False
        renderer = MapRenderer(model)
        cache = FigureCache(model)
        with self.lock:
            self.model, self.renderer, self._cache = model, renderer, cache
            self.scenario_name, self.overrides = name, ov
            self.seed, self.scale, self.days = seed, scale, days
            self.error = self.error_key = None
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

    def step(self, hours: int = 1, record_every: int | None = None) -> int:
        """Advance up to `hours` simulated hours (one `model.step()` each, which fills the
        DataCollector); record the page's figures after the last hour, and every
        `record_every` hours on the way if given. Returns how many hours were run."""
        done = recorded = 0
        with self.lock:
            m = self.model
            if m is None:
                return 0
            for _ in range(max(0, int(hours))):
                if m.time_min >= m.days * 1440.0:
                    break
                m.step()
                done += 1
                if record_every and done % record_every == 0:
                    self.history.append(live_figures(m, self._cache))
                    recorded = done
            if done > recorded:
                self.history.append(live_figures(m, self._cache))
        return done

    def run_until(self, t_min: float) -> int:
        """Run hour by hour up to minute `t_min`, recording the figures once a simulated
        day (and at the end); returns the hours run."""
        with self.lock:
            if self.model is None:
                return 0
            hours = int(np.ceil((t_min - self.model.time_min) / 60.0 - 1e-9))
            return self.step(hours, record_every=24) if hours > 0 else 0

    def run_to_day(self, day: int) -> int:
        """Run to the start of day `day` (1 = the start), at most to the horizon,
        recording the figures once a simulated day; returns the hours run."""
        return self.run_until(min(max(int(day) - 1, 0), self.days) * 1440.0)

    def figures(self) -> dict[str, Any]:
        with self.lock:
            return dict(self.history[-1]) if self.history else {}

    def clock(self) -> tuple[int, int]:
        f = self.figures()
        return f.get("day", 1), f.get("hour", 0)

    # ---- outputs
    def map_rgb(self, layer: str = "", selected: int | None = None) -> np.ndarray | None:
        """The whole map (base and overlay) as RGB, for export."""
        with self.lock:
            if self.model is None or self.renderer is None:
                return None
            return self.renderer.render(self.model, layer, selected, self._cache)

    def map_png(self, layer: str = "", selected: int | None = None, zoom: int = 1) -> bytes:
        """The whole map as PNG; `zoom` > 1 enlarges each pixel (for export)."""
        rgb = self.map_rgb(layer, selected)
        if rgb is None:
            return b""
        if zoom > 1:
            rgb = np.repeat(np.repeat(rgb, zoom, axis=0), zoom, axis=1)
        return png_bytes(rgb)

    def map_base_png(self, selected: int | None = None) -> bytes:
        """The fixed part of the map (redrawn only on rebuilds and selections)."""
        with self.lock:
            if self.renderer is None:
                return b""
            return png_bytes(self.renderer.base(selected))

    def map_overlay_png(self, layer: str = "") -> bytes:
        """What moves on the map, as a mostly transparent PNG (every frame)."""
        with self.lock:
            if self.model is None or self.renderer is None:
                return b""
            return png_bytes(self.renderer.overlay(self.model, layer, self._cache))

    def area_at(self, fx: float, fy: float) -> int | None:
        with self.lock:
            return None if self.renderer is None else self.renderer.area_at(fx, fy)

    def community(self, area: int) -> dict[str, Any] | None:
        """The community panel's figures for `area` (None if there is no such area)."""
        with self.lock:
            if self.model is None or area is None or \
                    not 0 <= area < len(self.model.structure.area_unit):
                return None
            return community_figures(self.model, self._cache, area)

    def chart_series(self, max_points: int = MAX_CHART_POINTS) -> dict[str, np.ndarray]:
        """The hourly figures for the charts, thinned evenly to at most `max_points`
        (so a frame costs the same on day 1 and on day 365): day and each `SERIES`."""
        with self.lock:
            hist = self.history
            n = len(hist)
            idx = range(n) if n <= max_points else \
                np.unique(np.linspace(0, n - 1, max_points).astype(int))
            rows = [hist[i] for i in idx]
        out = {"day": np.array([r["time_min"] / 1440.0 for r in rows], float)}
        for key in SERIES:
            out[key] = np.array([np.nan if r.get(key) is None else r[key] for r in rows],
                                float)
        return out

    def timeseries_frame(self) -> pd.DataFrame:
        """The model's hourly series: its DataCollector's model-level rows."""
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

    def timeseries_csv(self) -> str:
        return self.timeseries_frame().to_csv(index=False)


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

    def run_to_day(self, day: int) -> int:
        with self.lock:
            return max(r.run_to_day(day) for r in self.sides)

    @property
    def finished(self) -> bool:
        return all(r.finished for r in self.sides)

    def difference(self) -> list[dict[str, Any]]:
        """One row per figure: A, B, B - A and which side is better (or None)."""
        return difference(self.a.figures(), self.b.figures())

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
