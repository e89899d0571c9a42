"""Every figure the page shows comes from here: the ONE adapter between the model and the
page (names, units and definitions from the one table `analysis.labels`, through
`ui.labels`; `ui.verdicts` formats and compares them).

Where each figure comes from:

* the model's DataCollector row for the latest simulated hour (`simulation.figures.
  MODEL_REPORTERS`): counts, backlog, petitions, repeat contacts, patrol coverage 1/4/24 h,
  mean trust, community staff utilisation, calls waiting; reach as
  `simulation.metrics.current_figures` defines it (reported / arisen); visit coverage
  from the model's visit book;
* `simulation.metrics` summary functions: tasks overdue (`task_figures`), the three
  service-circle shares (`simulation.coverage.service_circle`, once per model: they do not
  change during a run);
* distributions and deadline shares over the cases so far (`ui.case_arrays`: response
  and acknowledgement Kaplan-Meier quantiles, resolved within deadline, priority-1 calls
  within target), from the model's case arrays with the summary's definitions;
* per community: the `CommunityOffice` agent's DataCollector reporters
  (`simulation.figures.COMMUNITY_REPORTERS`: queued, open cases, utilisation, tasks
  overdue) and the case figures above restricted to the community's residents.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from simulation.coverage import commonest_kind, service_circle, walk_to_power
from simulation.figures import COMMUNITY_REPORTERS
from simulation.metrics import task_figures

from .case_arrays import CaseArrays, case_figures

#: The chart series (figure keys) recorded with each frame.
SERIES = ("response_time_km_min.median", "response_time_km_min.p90", "backlog", "reach",
          "patrol_coverage_24h", "resolved_within_deadline", "community_utilisation",
          "mean_trust")
#: DataCollector columns the page shows as they are.
ROW_FIGURES = ("needs_arisen", "reported", "resolved", "gave_up", "petitions",
               "repeat_contacts", "backlog", "queued_items", "officers_busy", "calls_waiting",
               "patrol_coverage_1h", "patrol_coverage_4h", "patrol_coverage_24h",
               "mean_trust", "community_utilisation", "tasks_done_late")


class FigureCache:
    """What the page keeps per model: the case arrays, and the figures that do not change
    during a run (the service circle: worked out on first use, it takes ~0.1 s)."""

    def __init__(self, model):
        self.model = model
        res, st = model.residents, model.structure
        self.area_of_resident = st.area_of_cell[res.home]
        self.cases = CaseArrays(model.engine)
        self._circle: dict | None = None
        self._near_power: np.ndarray | None = None

    @property
    def circle(self) -> dict:
        """`simulation.coverage.service_circle` of the model."""
        if self._circle is None:
            self._circle = service_circle(self.model)
        return self._circle

    @property
    def in_circle(self) -> np.ndarray:
        """Per resident: within the service circle of any service point."""
        m = self.model
        return m.structure.walk_min[m.residents.home] <= m.params["access"][
            "service_circle_min"]

    @property
    def near_power(self) -> np.ndarray:
        """Per resident: within the service circle of a unit that can settle their
        commonest matter (the per-resident form of the circle's `authority` share)."""
        if self._near_power is None:
            m = self.model
            power, kind = walk_to_power(m), commonest_kind(m)
            walk = np.zeros(m.residents.n)
            for k, arr in power.items():
                sel = kind == k
                walk[sel] = arr[m.residents.home[sel]]
            self._near_power = walk <= m.params["access"]["service_circle_min"]
        return self._near_power


def latest_row(model) -> dict[str, Any]:
    """The DataCollector's row for the latest simulated hour (model-level reporters)."""
    return {k: v[-1] for k, v in model.datacollector.model_vars.items()}


def live_figures(model, cache: FigureCache) -> dict[str, Any]:
    """The run's figures so far (see the module docstring for where each comes from)."""
    t = model.time_min
    row = latest_row(model)
    n = cache.cases.update()
    vc = model.engine.visits.coverage()
    circle = cache.circle
    end = model.days * 1440
    out = {k: row.get(k) for k in ROW_FIGURES}
    out.update(case_figures(cache.cases, t, model.params["police"]["p1_target_min"]))
    out.update({
        "time_min": float(t),
        "day": int(t // 1440) + 1 if t < end else model.days,
        "hour": int((t % 1440) // 60) if t < end else 24,
        "reach": row["reported"] / row["needs_arisen"] if row["needs_arisen"] else None,
        "service_circle_coverage": circle["any"],
        "service_circle_coverage_authority": circle["authority"],
        "service_circle_coverage_open_hours": circle["open_hours"],
        "visit_coverage": None if math.isnan(vc) else float(vc),
        "tasks.overdue": task_figures(model)["overdue"],
        "open_needs": n - row["resolved"] - row["gave_up"],
    })
    return out


# ------------------------------------------------------------------------ communities
def office_of_area(model, area: int):
    """The office agent (a `CommunityOffice` for communities and village centres) of the
    unit that area `area`'s residents walk in to."""
    return model.offices[int(model.structure.area_unit[area])]


def reporters_of(office) -> dict[str, Any]:
    """The office's per-community DataCollector reporters, read from the agent (the same
    attributes the DataCollector records every hour), but its name."""
    return {col: getattr(office, attr) for col, attr in COMMUNITY_REPORTERS.items()
            if col != "name"}


def area_patrol_coverage(model, cells: np.ndarray, window_h: float = 24) -> float | None:
    """`simulation.coverage.patrol_coverage` restricted to `cells`: the share of the people
    there now whose cell a patrol passed in the last `window_h` hours."""
    t = model.time_min
    if t < window_h * 60.0 or not len(cells):
        return None
    w = model.engine.people.weights(t)[cells]
    total = w.sum()
    if total <= 0:
        return None
    seen = np.asarray(model.engine.last_patrol)[cells] >= t - window_h * 60.0
    return float(w[seen].sum() / total)


def community_figures(model, cache: FigureCache, area: int) -> dict[str, Any]:
    """Figures of community (or village) `area` so far, for the community panel."""
    st, t = model.structure, model.time_min
    c = cache.cases
    n = c.update()
    res_area = cache.area_of_resident
    mine = res_area[c.resident[:n]] == area
    reported = np.isfinite(c["reported"][mine])
    settled = np.isfinite(c["resolved"][mine])
    gave_up = np.isfinite(c["gave_up"][mine])
    office = office_of_area(model, area)
    unit = st.units[office.unit]
    cells = np.flatnonzero(st.area_of_cell == area)
    pol, walk = model.police, model.walkers
    h = model.city.height
    xs = np.clip(np.rint(np.asarray(walk.x[:pol.n])).astype(np.int64), 0, model.city.width - 1)
    ys = np.clip(np.rint(np.asarray(walk.y[:pol.n])).astype(np.int64), 0, h - 1)
    on = (np.asarray(pol.officer_shift) == pol.on_duty_shift(t)) | \
        (np.asarray(pol.busy_until) > t)
    in_area = st.area_of_cell[xs * h + ys] == area
    people = res_area == area
    figs = case_figures(c, t, model.params["police"]["p1_target_min"], mine)
    return {
        "name": st.area_names[area],
        "level": unit.level,
        "unit_name": unit.name,
        "residents": int(round(people.sum() / model.scale)),
        "needs_arisen": int(mine.sum()),
        "response_time_km_min.median": figs["response_time_km_min.median"],
        "resolved_within_deadline": figs["resolved_within_deadline"],
        "reach": float(reported.mean()) if len(reported) else None,
        "open_needs": int((~settled & ~gave_up).sum()),
        "backlog": int((reported & ~settled & ~gave_up).sum()),
        "service_circle_coverage": float(cache.in_circle[people].mean())
        if people.any() else None,
        "service_circle_coverage_authority": float(cache.near_power[people].mean())
        if people.any() else None,
        "patrol_coverage_24h": area_patrol_coverage(model, cells, 24),
        "staff": dict(unit.staff),
        **reporters_of(office),
        "police_bases": int(np.isin(np.asarray(pol.base_cells), cells).sum()),
        "police_on_duty": int((on & in_area).sum()),
    }


# ------------------------------------------------------------------------ map layers
def utilisation_by_area(model) -> np.ndarray:
    """Each area's unit's staff utilisation so far (the `utilisation` reporter; NaN
    where nothing was paid yet)."""
    out = [office_of_area(model, a).utilisation for a in range(len(model.structure.area_unit))]
    return np.array([np.nan if u is None else u for u in out], float)


def reach_by_area(model, cache: FigureCache) -> np.ndarray:
    """Each area's reach so far: the share of its residents' needs that reached someone
    responsible (NaN where no need has arisen yet)."""
    st, c = model.structure, cache.cases
    n = c.update()
    n_areas = len(st.area_unit)
    if not n:
        return np.full(n_areas, np.nan)
    area = cache.area_of_resident[c.resident[:n]]
    ok = area >= 0
    reported = np.isfinite(c["reported"])
    total = np.bincount(area[ok], minlength=n_areas).astype(float)
    hit = np.bincount(area[ok], weights=reported[ok], minlength=n_areas)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, hit / total, np.nan)


def share_by_cell(model, flags: np.ndarray) -> np.ndarray:
    """Per grid cell, the share of its residents with `flags` (NaN where nobody lives)."""
    n_cells = model.city.width * model.city.height
    home = model.residents.home
    total = np.bincount(home, minlength=n_cells).astype(float)
    hit = np.bincount(home, weights=flags.astype(float), minlength=n_cells)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, hit / total, np.nan)
