"""What a run measured (MODEL.md section 4): the case table, the time series, the summary.

Definitions:
* response time = first response - onset, over the needs that had one (mean, median,
  p90); and, since needs still waiting at the end are left out of those, the
  Kaplan-Meier median and p90 over reported needs, with the waiting ones censored;
  its parts: reporting delay (reported - onset),
  routing and hand-off delay (arrival at a unit with authority, or dispatch, - reported),
  queue wait (first response - arrival, less travel), travel (police driving);
* resolution time = resolved - onset; the share resolved within the kind's target;
* service-circle coverage = share of residents whose walk to the nearest service point
  is at most `access.service_circle_min`;
* patrol coverage = share of inhabited cells visited by a patrol in the last 24 h,
  averaged over the hourly samples after the first day;
* visit coverage = visits made on time / visits due;
* reach = share of needs that reached a responsible unit (reported);
* cases: total = resolved + in progress (reported, not resolved) + unreached.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .engine import CHANNELS, TIMESERIES_COLUMNS
from .parameters import DOMAINS, KINDS

if TYPE_CHECKING:  # pragma: no cover
    from .model import GovernanceModel


def case_table(model: GovernanceModel) -> pd.DataFrame:
    """One row per need, every timestamp in minutes since the start (NaN: not yet).

    Only needs that have arisen by the model's current time are included, so the
    table (and the summary) can be taken mid-run as well as at the end.
    `first_unit` is the unit that took the case in (NaN for police cases), `last_unit`
    the unit holding it last: its resolver once resolved.
    """
    e, st = model.engine, model.structure
    h = model.city.height
    cell = np.asarray(e.cell)
    unit_names = [u.name for u in st.units]
    area = st.area_of_cell[model.residents.home[np.asarray(e.resident, np.int64)]] \
        if e.n else np.empty(0, np.int64)
    df = pd.DataFrame({
        "case": np.arange(e.n, dtype=np.int64),
        "kind": pd.Categorical.from_codes(np.asarray(e.kind, np.int8), KINDS),
        "complex": np.asarray(model.needs["complex"], bool),
        "resident": np.asarray(e.resident, np.int64),
        "community": area.astype(np.int32),
        "x": (cell // h).astype(np.int32),
        "y": (cell % h).astype(np.int32),
        "channel": pd.Categorical.from_codes(np.asarray(e.channel, np.int8),
                                             CHANNELS),
        "onset_min": np.asarray(e.onset),
        "reported_min": np.asarray(e.reported),
        "arrived_min": np.asarray(e.arrived),
        "first_response_min": np.asarray(e.first_response),
        "resolved_min": np.asarray(e.resolved),
        "unreached_min": np.asarray(e.gave_up),
        "travel_min": np.asarray(e.travel),
        "handoffs": np.asarray(e.handoffs, np.int16),
        "domain": pd.Categorical.from_codes(np.asarray(model.needs["domain"], np.int8),
                                            DOMAINS),
        "rural_channel": np.asarray(e.rural_channel, bool),
        "ineligible": np.asarray(e.ineligible, bool),
        "petition_min": np.asarray(e.petition),
        "first_unit": pd.Categorical.from_codes(np.asarray(e.first_unit, np.int32),
                                                unit_names),
        "last_unit": pd.Categorical.from_codes(np.asarray(e.final_unit, np.int32),
                                                    unit_names),
    })
    # needs are drawn for the whole horizon; mid-run, only those arisen so far count
    df = df.iloc[:e.next_onset].copy()
    status = np.where(df["resolved_min"].notna(), "resolved",
                      np.where(df["reported_min"].notna(), "in_progress", "unreached"))
    df["status"] = pd.Categorical(status, ["resolved", "in_progress", "unreached"])
    df["response_min"] = df["first_response_min"] - df["onset_min"]
    df["resolution_min"] = df["resolved_min"] - df["onset_min"]
    df["reporting_delay_min"] = df["reported_min"] - df["onset_min"]
    df["routing_delay_min"] = df["arrived_min"] - df["reported_min"]
    df["queue_wait_min"] = (df["first_response_min"] - df["arrived_min"]
                            - df["travel_min"].fillna(0.0))
    return df


def timeseries_table(model: GovernanceModel) -> pd.DataFrame:
    """Model-level series, one row per simulated hour."""
    return pd.DataFrame(model.engine.timeseries, columns=list(TIMESERIES_COLUMNS))


def _dist(values: pd.Series) -> dict[str, float | None]:
    v = values.dropna().to_numpy()
    if len(v) == 0:
        return {"mean": None, "median": None, "p90": None, "n": 0}
    return {"mean": float(v.mean()), "median": float(np.median(v)),
            "p90": float(np.quantile(v, 0.9)), "n": int(len(v))}


def km_quantiles(durations: np.ndarray, observed: np.ndarray,
                 quantiles: tuple[float, ...] = (0.5, 0.9)) -> list[float | None]:
    """Kaplan-Meier quantiles of a time to event with right-censoring.

    A case still waiting for its first response when the run ends is censored at its
    waiting time so far; leaving it out (as the plain statistics must) biases response
    times downward in short runs, most for the slowest structures.
    """
    order = np.lexsort((~observed, durations))  # events before censorings at equal times
    d, e = durations[order], observed[order]
    n = len(d)
    if n == 0:
        return [None for _ in quantiles]
    at_risk = n - np.arange(n)
    surv = np.cumprod(1.0 - e / at_risk)
    out = []
    for q in quantiles:
        hit = np.flatnonzero(e & (surv <= 1.0 - q + 1e-12))
        out.append(float(d[hit[0]]) if len(hit) else None)
    return out


def _figures(df: pd.DataFrame, targets_min: pd.Series | None,
             end_min: float | None = None) -> dict[str, Any]:
    counts = df["status"].value_counts()
    total = int(len(df))
    out = {
        "response_time_min": _dist(df["response_min"]),
        "resolution_time_min": _dist(df["resolution_min"]),
        "response_parts_min": {p: _dist(df[f"{p}_min"])["mean"] for p in
                               ("reporting_delay", "routing_delay", "queue_wait", "travel")},
        "reach": float(df["reported_min"].notna().mean()) if total else None,
        "cases": {"total": total, "resolved": int(counts.get("resolved", 0)),
                  "in_progress": int(counts.get("in_progress", 0)),
                  "unreached": int(counts.get("unreached", 0))},
        "channels": {k: int(v) for k, v in df["channel"].value_counts().items()},
        "mean_handoffs": float(df.loc[df["reported_min"].notna(), "handoffs"].mean())
        if total else None,
        "petitions": int(df["petition_min"].notna().sum()),
        "ineligible": int(df["ineligible"].sum()),
    }
    if end_min is not None:
        rep = df[df["reported_min"].notna()]
        observed = rep["first_response_min"].notna().to_numpy()
        dur = np.where(observed, rep["response_min"].to_numpy(),
                       end_min - rep["onset_min"].to_numpy())
        med, p90 = km_quantiles(dur, observed)
        out["response_time_km_min"] = {"median": med, "p90": p90,
                                       "censored": int((~observed).sum())}
    if targets_min is not None:
        res = df[df["resolution_min"].notna()]
        out["resolved_within_target"] = float(
            (res["resolution_min"] <= targets_min.loc[res.index]).mean()) if len(res) else None
    return out


def summary(model: GovernanceModel, df: pd.DataFrame | None = None) -> dict[str, Any]:
    """The run's figures: overall, `by_kind` and `by_community`."""
    df = case_table(model) if df is None else df
    p, e, st = model.params, model.engine, model.structure
    target = pd.Series(df["kind"].map({k: p["needs"]["target_h"][k] * 60.0
                                       for k in KINDS}).astype(float).to_numpy(),
                       index=df.index)
    res = model.residents
    circle = p["access"]["service_circle_min"]
    in_circle = st.walk_min[res.home] <= circle
    out = _figures(df, target, model.time_min)
    out["service_circle_coverage"] = float(in_circle.mean())
    samples = e.coverage_samples or ([e.patrol_coverage(model.time_min)]
                                     if model.time_min > 0 else [])
    out["patrol_coverage_24h"] = float(np.mean(samples)) if samples else None
    vc = model.visits.coverage()
    out["visit_coverage"] = None if math.isnan(vc) else vc
    out["visits"] = {"on_time": model.visits.on_time, "late": model.visits.late,
                     "missed": model.visits.missed}
    out["mean_trust_end"] = float(res.trust.mean())
    trust_series = [row[-2] for row in e.timeseries]
    out["mean_trust"] = float(np.mean(trust_series)) if trust_series else out["mean_trust_end"]
    out["needs_prevented"] = int(model.needs["prevented"])
    out["load"] = load_figures(model)
    out["cost"] = cost_figures(model, out["load"])
    out["by_kind"] = {k: _figures(g, target.loc[g.index], model.time_min)
                      for k, g in df.groupby("kind", observed=False)}
    area_in_circle = pd.Series(in_circle).groupby(st.area_of_cell[res.home]).mean()
    by_area = {}
    for a, g in df.groupby("community"):
        f = _figures(g, None)
        by_area[st.area_names[a]] = {
            "response_median_min": f["response_time_min"]["median"],
            "response_p90_min": f["response_time_min"]["p90"],
            "reach": f["reach"], "cases": f["cases"]["total"],
            "residents": int((st.area_of_cell[res.home] == a).sum()),
            "service_circle_coverage": float(area_in_circle.get(a, float("nan"))),
        }
    out["by_community"] = by_area
    return out


def load_figures(model: GovernanceModel) -> dict[str, Any]:
    """Staff at scale 1 (a scaled run keeps at least one person per staffed post, so its
    own head count is not proportional), staff per 10,000 residents, and the utilisation
    of the office staff as simulated."""
    st, pp = model.structure, model.params
    staff = st.staff_by_level(full_scale=True)
    office_staff = sum(c for lv in staff.values() for c in lv.values())
    police = pp["police"]["officers"]
    joint = pp["police"]["joint_defence"] + pp["police"]["governance_staff"]
    per10k = 1e4 / pp["population"]["residents"]
    # utilisation: busy minutes over office minutes offered
    days = model.time_min / 1440.0
    office_days = sum(model.calendar.is_workday(d) for d in range(int(math.ceil(days))))
    offered = busy = 0.0
    for u in st.units:
        pools = {id(x): x for x in (u.desk, u.cases) if x is not None}.values()
        for pool in pools:
            minutes = 1440.0 * days if pool.round_the_clock else \
                office_days * model.calendar.day_minutes
            offered += pool.servers * minutes
            busy += pool.busy_min
    comm = [st.units[u] for u in st.community_units]
    return {
        "staff_by_level": staff,
        "office_staff": office_staff,
        "police_officers": police,
        "joint_defence": joint,
        "staff_per_10k": office_staff * per10k,
        "staff_per_community": float(np.mean([sum(u.staff_full.values()) for u in comm])),
        "floor_m2_per_community": float(np.mean([u.floor_m2 for u in comm])),
        "office_utilisation": busy / offered if offered else None,
    }


def cost_figures(model: GovernanceModel, load: dict[str, Any]) -> dict[str, float]:
    """Yearly cost at scale 1, in CNY: staff by kind and community service floor space."""
    b, p = model.params["budget"], model.params
    st = model.structure
    aux = p["police"]["joint_defence"] + p["police"]["governance_staff"] + (
        p["safe_cells"]["jisco_patrol_teams"] if p["safe_cells"]["enabled"] else 0)
    floor = sum(st.units[u].floor_m2 for u in st.community_units)
    parts = {
        "office_staff": load["office_staff"] * b["office_staff_cost"],
        "police": load["police_officers"] * b["police_cost"],
        "auxiliaries": aux * b["auxiliary_cost"],
        "floor_space": floor * b["floor_cost_per_m2"],
    }
    return {"per_year_cny": float(sum(parts.values())),
            **{f"{k}_cny": float(v) for k, v in parts.items()}}
