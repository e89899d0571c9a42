"""Every figure the page shows comes from here: the ONE adapter between the model and the
page (with `ui.labels` for names, units and definitions).

Today it computes the live figures from the engine's case arrays (`live_figures`: only
needs arisen up to the clock, unlike `simulation.metrics.summary`, which is for finished
runs) and a community's figures for the community panel. When the model gains a Mesa
DataCollector filled every simulated hour (model-level and per-community reporters),
`live_figures` and `community_figures` become reads of its latest rows, and nothing else
in the page changes.

Also here: formatting (units, percentage points for differences of shares), the
workshop's difference rows and the one-line verdicts.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from simulation.metrics import km_quantiles

from .labels import FIGURES, figure

#: Figures of a run in display order, with direction (+1 more is better, -1 less).
KPI_KEYS: tuple[tuple[str, int], ...] = tuple((k, f.direction) for k, f in FIGURES.items())
KPI_DIRECTION = dict(KPI_KEYS)
#: Figures with a one-line verdict in the workshop, in this order.
HEADLINE = ("response_median_h", "reach", "patrol_coverage_24h", "service_circle_coverage",
            "visit_coverage")
#: The chart series (figure keys) a run records every simulated hour.
SERIES = ("response_median_h", "response_p90_h", "backlog", "reach", "patrol_coverage_24h",
          "mean_trust")


# ------------------------------------------------------------------------ formatting
def is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_kpi(key: str, value: Any) -> str:
    """The figure's value as shown (display factor and precision, no unit)."""
    if is_missing(value):
        return "—"
    f = figure(key)
    shown = value * f.factor
    if f.decimals or isinstance(shown, float) and f.factor != 1:
        return f"{shown:,.{f.decimals}f}"
    if isinstance(shown, float):
        return f"{shown:,.0f}" if float(shown).is_integer() else f"{shown:,.2f}"
    return f"{shown:,}"


def format_with_unit(key: str, value: Any, lang: str = "en") -> str:
    text = format_kpi(key, value)
    unit = figure(key).unit(lang)
    if text == "—" or not unit or unit == "0-1":
        return text
    return f"{text} %" if unit == "%" else f"{text} {unit}"


def format_delta(key: str, delta: Any, lang: str = "en") -> str:
    """A difference B − A: signed, shares in percentage points ("+3.0 pp")."""
    if is_missing(delta):
        return "—"
    f = figure(key)
    body = format_kpi(key, abs(delta))
    sign = "+" if delta > 0 and body.strip("0.,") else "−" if delta < 0 and \
        body.strip("0.,") else ""
    unit = ("pp" if lang != "zh" else "个百分点") if f.is_share else \
        ("" if f.unit_en in ("", "0-1") else f.unit(lang))
    return f"{sign}{body} {unit}".strip()


# ------------------------------------------------------------------------ live figures
def petitions_of(model) -> int | None:
    """Petitions so far, if the model counts them (None otherwise)."""
    n = getattr(model.engine, "petitions", None)
    if isinstance(n, int | np.integer):
        return int(n)
    times = getattr(model.engine, "petition", None)
    if isinstance(times, list):
        upto = int(model.engine.next_onset)
        arr = np.asarray(times[:upto], float)
        return int(np.isfinite(arr).sum())
    return None


class CaseArrays:
    """The engine's per-need timestamps as numpy arrays, kept up to date cheaply.

    The engine keeps them in Python lists; converting every list on every frame costs
    more as needs accumulate (tens of milliseconds after a few months). A timestamp only
    ever changes from NaN to a time, and a need that is resolved or given up changes no
    more, so `update` converts the needs that arose since the last call and re-reads only
    the needs still open."""

    FIELDS = ("reported", "first_response", "resolved", "gave_up")

    def __init__(self, engine):
        self.e = engine
        self.onset = np.asarray(engine.onset, float)  # drawn for the whole horizon
        self.cell = np.asarray(engine.cell, np.int64)
        self.resident = np.asarray(engine.resident, np.int64)
        self.n = 0
        self.arrays = {f: np.empty(0) for f in self.FIELDS}

    def update(self) -> int:
        """Bring the arrays up to the engine's clock; returns the needs arisen so far."""
        e, old = self.e, self.n
        n = int(e.next_onset)
        lists = {f: getattr(e, f) for f in self.FIELDS}
        open_ = np.flatnonzero(np.isnan(self.arrays["resolved"][:old])
                               & np.isnan(self.arrays["gave_up"][:old]))
        for f, lst in lists.items():
            arr = self.arrays[f]
            if len(open_):
                arr[open_] = np.fromiter((lst[i] for i in open_), float, len(open_))
            if n > old:
                new = np.asarray(lst[old:n], float)
                arr = self.arrays[f] = np.concatenate([arr[:old], new])
        self.n = n
        return n

    def __getitem__(self, field: str) -> np.ndarray:
        return self.arrays[field][:self.n]


class FigureCache:
    """Per-model figures that never change during a run (service-circle coverage), and
    the case arrays (`CaseArrays`)."""

    def __init__(self, model):
        res, st = model.residents, model.structure
        circle = model.params["access"]["service_circle_min"]
        self.in_circle = st.walk_min[res.home] <= circle
        self.service_circle_coverage = float(self.in_circle.mean())
        self.area_of_resident = st.area_of_cell[res.home]
        self.cases = CaseArrays(model.engine)


def response_quantiles(onset: np.ndarray, reported: np.ndarray, first: np.ndarray,
                       now: float) -> tuple[float | None, float | None]:
    """Median and 90th percentile of the response time (hours) of the needs reported so
    far, those still waiting censored at their wait so far (Kaplan-Meier, as
    `simulation.metrics` does for finished runs): leaving them out would flatter the
    slow structure early in a run."""
    rep = np.isfinite(reported)
    if not rep.any():
        return None, None
    observed = np.isfinite(first[rep])
    dur = np.where(observed, first[rep] - onset[rep], now - onset[rep]) / 60.0
    med, p90 = km_quantiles(dur, observed)
    return med, p90


def live_figures(model, cache: FigureCache) -> dict[str, Any]:
    """The run's figures so far, from the needs that have arisen up to the model's clock."""
    e, t = model.engine, model.time_min
    c = cache.cases
    n = c.update()
    onset, first, resolved, gave_up = c.onset[:n], c["first_response"], c["resolved"], \
        c["gave_up"]
    rep = c["reported"]
    med, p90 = response_quantiles(onset, rep, first, t)
    reported = int(np.isfinite(rep).sum())
    n_resolved = int(np.isfinite(resolved).sum())
    n_unreached = int(np.isfinite(gave_up).sum())
    visit = model.visits.coverage()
    trust = model.residents.trust
    end = model.days * 1440
    return {
        "time_min": float(t),
        "day": int(t // 1440) + 1 if t < end else model.days,
        "hour": int((t % 1440) // 60) if t < end else 24,
        "response_median_h": med,
        "response_p90_h": p90,
        "service_circle_coverage": cache.service_circle_coverage,
        "patrol_coverage_24h": float(e.patrol_coverage(t)) if t > 0 else None,
        "visit_coverage": None if visit is None or math.isnan(visit) else float(visit),
        "reach": reported / n if n else None,
        "backlog": reported - n_resolved,
        "open_needs": n - n_resolved - n_unreached,
        "petitions": petitions_of(model),
        "mean_trust": float(trust.mean()) if len(trust) else None,
        "needs_arisen": n,
        "resolved": n_resolved,
        "unreached": n_unreached,
        "calls_waiting": len(model.police.waiting),
    }


def _pools(unit) -> list:
    return list({id(x): x for x in (unit.desk, unit.cases) if x is not None}.values())


def community_figures(model, cache: FigureCache, area: int) -> dict[str, Any]:
    """Figures of community (or village) `area` so far, for the community panel."""
    e, st, t = model.engine, model.structure, model.time_min
    c = cache.cases
    n = c.update()
    res_area = cache.area_of_resident
    mine = res_area[c.resident[:n]] == area
    onset = c.onset[:n][mine]
    first = c["first_response"][mine]
    rep_min = c["reported"][mine]
    reported = np.isfinite(rep_min)
    resolved = np.isfinite(c["resolved"][mine])
    gave_up = np.isfinite(c["gave_up"][mine])
    med, _ = response_quantiles(onset, rep_min, first, t)
    unit = st.units[int(st.area_unit[area])]
    cells = np.flatnonzero(st.area_of_cell == area)
    inhabited = np.asarray(e.inhabited)
    cells_inh = np.intersect1d(cells, inhabited)
    last = np.asarray(e.last_patrol)
    pol, walk = model.police, model.walkers
    h = model.city.height
    xs = np.clip(np.rint(np.asarray(walk.x[:pol.n])).astype(np.int64), 0, model.city.width - 1)
    ys = np.clip(np.rint(np.asarray(walk.y[:pol.n])).astype(np.int64), 0, h - 1)
    on = (np.asarray(pol.officer_shift) == pol.on_duty_shift(t)) | \
        (np.asarray(pol.busy_until) > t)
    in_area = st.area_of_cell[xs * h + ys] == area
    people = int((res_area == area).sum())
    return {
        "name": st.area_names[area],
        "level": unit.level,
        "residents": people,
        "needs_arisen": int(mine.sum()),
        "response_median_h": med,
        "reach": float(reported.mean()) if len(reported) else None,
        "open_needs": int((~resolved & ~gave_up).sum()),
        "backlog": int((reported & ~resolved).sum()),
        "service_circle_coverage": float(cache.in_circle[res_area == area].mean())
        if people else None,
        "patrol_coverage_24h": float((last[cells_inh] >= t - 1440.0).mean())
        if len(cells_inh) and t > 0 else None,
        "staff": dict(unit.staff),
        "utilisation": _utilisation(model, unit),
        "queue": sum(len(p.queue) for p in _pools(unit)),
        "police_bases": int(np.isin(np.asarray(pol.base_cells), cells).sum()),
        "police_on_duty": int((on & in_area).sum()),
    }


def _utilisation(model, unit, office_days: int | None = None) -> float | None:
    """Busy share of the paid time of `unit`'s desk staff and caseworkers so far (as
    `simulation.metrics.load_figures` counts it for the whole city)."""
    days = model.time_min / 1440.0
    if office_days is None:
        office_days = sum(model.calendar.is_workday(d) for d in range(int(math.ceil(days))))
    offered = busy = 0.0
    for pool in _pools(unit):
        minutes = 1440.0 * days if pool.round_the_clock else \
            office_days * model.calendar.day_minutes
        offered += pool.servers * minutes
        busy += pool.busy_min
    return busy / offered if offered else None


def utilisation_by_area(model) -> np.ndarray:
    """Each area's unit's staff utilisation so far (NaN where nothing was offered yet)."""
    st = model.structure
    days = model.time_min / 1440.0
    office_days = sum(model.calendar.is_workday(d) for d in range(int(math.ceil(days))))
    out = [_utilisation(model, st.units[int(uid)], office_days) for uid in st.area_unit]
    return np.array([np.nan if u is None else u for u in out], float)


def reach_by_area(model, cache: FigureCache) -> np.ndarray:
    """Each area's reach so far: the share of its residents' needs that reached a
    responsible unit (NaN where no need has arisen yet)."""
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


# ------------------------------------------------------------------------ comparison
def difference(fa: dict[str, Any], fb: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per figure: A, B, B − A and which side is better (None: neither)."""
    rows = []
    for key, direction in KPI_KEYS:
        va, vb = fa.get(key), fb.get(key)
        delta = better = None
        if not is_missing(va) and not is_missing(vb):
            delta = vb - va
            if format_kpi(key, va) == format_kpi(key, vb):
                better = "same"  # equal as shown (trust 0.550 vs 0.550)
            elif direction:
                better = "B" if delta * direction > 0 else "A"
        rows.append({"key": key, "a": va, "b": vb, "delta": delta, "better": better})
    return rows


_VERDICT = {
    "response_median_h": ("{w} answers half of needs within {wv} instead of {lv}",
                          "{w}半数需求在{wv}内得到响应，{l}需{lv}"),
    "reach": ("{w} reaches {wv} of needs instead of {lv}",
              "{w}的需求触达率为{wv}，{l}为{lv}"),
    "patrol_coverage_24h": ("{w} patrols {wv} of inhabited cells a day instead of {lv}",
                            "{w}每天巡逻覆盖{wv}的有人居住网格，{l}为{lv}"),
    "service_circle_coverage": ("{w} puts {wv} of residents within 15 minutes of service "
                                "instead of {lv}",
                                "{w}有{wv}的居民在15分钟服务圈内，{l}为{lv}"),
    "visit_coverage": ("{w} makes {wv} of scheduled visits on time instead of {lv}",
                       "{w}按时完成{wv}的定期走访，{l}为{lv}"),
}


def verdicts(rows: list[dict[str, Any]], names: tuple[str, str], lang: str = "en"
             ) -> list[tuple[str, str, str]]:
    """Plain-language one-liners for the headline figures: (figure key, side, text);
    side is "A", "B" or "same"."""
    out = []
    by_key = {r["key"]: r for r in rows}
    for key in HEADLINE:
        r = by_key.get(key)
        if r is None or r["better"] is None:
            continue
        label = figure(key).label(lang)
        if r["better"] == "same":
            text = (f"{label}：两侧相同（{format_with_unit(key, r['a'], lang)}）" if lang == "zh"
                    else f"{label}: the same on both sides "
                    f"({format_with_unit(key, r['a'], lang)})")
            out.append((key, "same", text))
            continue
        win = 0 if r["better"] == "A" else 1
        vals = (r["a"], r["b"])
        template = _VERDICT[key][1 if lang == "zh" else 0]
        text = template.format(w=names[win], l=names[1 - win],
                               wv=format_with_unit(key, vals[win], lang),
                               lv=format_with_unit(key, vals[1 - win], lang))
        out.append((key, r["better"], text))
    return out
