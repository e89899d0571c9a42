"""What a run measured: the case table, the hop table, the time series, the summary.

Definitions (docs/ODD.md, "Observation"):

* response time = first response - onset: a unit (or officer) holding the power for the
  matter starts on it; acknowledged time = onset -> anyone accepts it (a desk, an
  operator, a grid worker, the police call-taker); resolution time = settled in fact -
  onset. Mean, median and p90 over the needs that have one; and, since needs still
  waiting at the end are left out of those, the Kaplan-Meier median and p90 of the
  response over reported needs with the waiting ones censored;
* parts of the response: reporting delay (reported - onset), routing (arrival at a unit
  with the power - reported), queue wait (first response - that arrival - travel), travel
  (police driving); per level, the queue and decision-cycle waits of the hops there;
* resolved within deadline = reported needs whose deadline (`needs.target_h`) has passed
  by the end, share settled by it; repeat contacts = contacts after the first;
* coverage: service circle (residents within `access.service_circle_min` of a service
  point; of a unit with the power for their commonest matter; the same at an hour they
  can come), patrol (people, where they are, whose cell a patrol passed in the last 1, 4
  and 24 h; mean of the hourly samples), incidents a patrol found while still going on,
  priority-1 police calls reached within target, visits (on time / due), reach;
* load: utilisation = busy time within paid hours / paid hours, by level and role; tasks
  issued, done and overdue (done late, or open past the deadline).

Counters and hourly figures come from the DataCollector (figures.py); distributions from
the case and hop tables.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .cases import CHANNELS, OUTCOMES
from .coverage import WINDOWS_H, service_circle
from .parameters import DOMAINS, KINDS

if TYPE_CHECKING:  # pragma: no cover
    from .model import GovernanceModel

STATUSES = ("resolved", "in_progress", "gave_up", "unreached")


def case_table(model: GovernanceModel) -> pd.DataFrame:
    """One row per need that has arisen by now, every timestamp in minutes (NaN: not yet).

    `first_unit` took the case in (NaN for police cases), `last_unit` holds it last.
    """
    cs, st = model.engine.cases, model.structure
    n = model.engine.next_onset
    h = model.city.height
    cell = np.asarray(cs.cell[:n], np.int64)
    resident = np.asarray(cs.resident[:n], np.int64)
    names = [u.name for u in st.units]

    def col(name, dtype=float):
        return np.asarray(getattr(cs, name)[:n], dtype)

    df = pd.DataFrame({
        "case": np.arange(n, dtype=np.int64),
        "kind": pd.Categorical.from_codes(col("kind", np.int8), KINDS),
        "complex": col("complex", bool),
        "resident": resident,
        "community": st.area_of_cell[model.residents.home[resident]].astype(np.int32),
        "x": (cell // h).astype(np.int32),
        "y": (cell % h).astype(np.int32),
        "channel": pd.Categorical.from_codes(col("channel", np.int8), CHANNELS),
        "onset_min": col("onset"),
        "reported_min": col("reported"),
        "acknowledged_min": col("acknowledged"),
        "arrived_min": col("arrived_power"),
        "first_response_min": col("first_response"),
        "resolved_min": col("resolved"),
        "gave_up_min": col("gave_up"),
        "deadline_min": col("deadline"),
        "travel_min": col("travel"),
        "handoffs": col("handoffs", np.int16),
        "contacts": col("contacts", np.int16),
        "domain": pd.Categorical.from_codes(np.asarray(model.needs["domain"][:n], np.int8),
                                            DOMAINS),
        "rural_channel": col("rural_channel", bool),
        "ineligible": col("ineligible", bool),
        "petition_min": col("petition"),
        "incident_end_min": np.where(col("kind", np.int8) == KINDS.index("public_order"),
                                     col("incident_end"), np.nan),
        "first_unit": pd.Categorical.from_codes(col("first_unit", np.int32), names),
        "last_unit": pd.Categorical.from_codes(
            np.where(col("last_unit", np.int32) >= 0, col("last_unit", np.int32), -1), names),
    })
    reported = df["reported_min"].notna()
    status = np.select([df["resolved_min"].notna(), df["gave_up_min"].notna() & reported,
                        reported], [0, 2, 1], 3)
    df["status"] = pd.Categorical.from_codes(status.astype(np.int8), STATUSES)
    df["response_min"] = df["first_response_min"] - df["onset_min"]
    df["acknowledgement_min"] = df["acknowledged_min"] - df["onset_min"]
    df["resolution_min"] = df["resolved_min"] - df["onset_min"]
    df["reporting_delay_min"] = df["reported_min"] - df["onset_min"]
    df["routing_delay_min"] = df["arrived_min"] - df["reported_min"]
    df["queue_wait_min"] = (df["first_response_min"] - df["arrived_min"]
                            - df["travel_min"].fillna(0.0))
    return df


def hop_table(model: GovernanceModel) -> pd.DataFrame:
    """One row per case per unit it passed (police bases appear as units of level police)."""
    cs, st = model.engine.cases, model.structure
    unit = np.asarray(cs.hop_unit, np.int64)
    names = [u.name for u in st.units] + [f"Police base {b + 1}"
                                          for b in range(model.police.n_bases + 1)]
    levels = sorted({u.level for u in st.units}) + ["police"]
    level_of = [levels.index(u.level) for u in st.units]
    police = unit < 0
    code = np.where(police, len(st.units) + (-1 - unit), unit)
    lv = np.where(police, levels.index("police"),
                  np.asarray(level_of, np.int64)[np.where(police, 0, unit)])
    return pd.DataFrame({
        "case": np.asarray(cs.hop_case, np.int64),
        "unit": pd.Categorical.from_codes(code.astype(np.int32), names),
        "level": pd.Categorical.from_codes(lv.astype(np.int8), levels),
        "arrived_min": np.asarray(cs.hop_arrived, float),
        "started_min": np.asarray(cs.hop_started, float),
        "done_min": np.asarray(cs.hop_done, float),
        "outcome": pd.Categorical.from_codes(np.asarray(cs.hop_outcome, np.int8), OUTCOMES),
        "decision_wait_min": np.asarray(cs.hop_decision, float),
    })


def timeseries_table(model: GovernanceModel) -> pd.DataFrame:
    """The DataCollector's model-level rows, one per simulated hour."""
    return model.datacollector.get_model_vars_dataframe().reset_index(drop=True)


def service_circle_coverage(model: GovernanceModel) -> float:
    """Share of residents within `access.service_circle_min` of a service point."""
    st, res = model.structure, model.residents
    return float((st.walk_min[res.home] <= model.params["access"]["service_circle_min"]).mean())


def current_figures(model: GovernanceModel) -> dict[str, Any]:
    """The figures so far, for a run in progress: the DataCollector's latest hourly row,
    with the response-time median and p90 (hours) of the needs answered so far, reach,
    service-circle and visit coverage."""
    frame = model.datacollector.model_vars
    row = {k: v[-1] for k, v in frame.items()}
    cs, n = model.engine.cases, model.engine.next_onset
    onset = np.asarray(cs.onset[:n])
    first = np.asarray(cs.first_response[:n])
    answered = np.isfinite(first)
    resp = (first[answered] - onset[answered]) / 60.0
    med, p90 = (np.quantile(resp, [0.5, 0.9]).tolist() if len(resp) else (None, None))
    vc = model.engine.visits.coverage()
    return {**row, "response_median_h": med, "response_p90_h": p90,
            "reach": row["reported"] / row["needs_arisen"] if row["needs_arisen"] else None,
            "service_circle_coverage": service_circle_coverage(model),
            "visit_coverage": None if math.isnan(vc) else vc}


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


def _figures(df: pd.DataFrame, end_min: float) -> dict[str, Any]:
    counts = df["status"].value_counts()
    total = int(len(df))
    rep = df[df["reported_min"].notna()]
    out = {
        "response_time_min": _dist(df["response_min"]),
        "acknowledged_time_min": _dist(df["acknowledgement_min"]),
        "resolution_time_min": _dist(df["resolution_min"]),
        "response_parts_min": {p: _dist(df[f"{p}_min"])["mean"] for p in
                               ("reporting_delay", "routing_delay", "queue_wait", "travel")},
        "reach": float(len(rep) / total) if total else None,
        "cases": {"total": total, **{s: int(counts.get(s, 0)) for s in STATUSES}},
        "channels": {k: int(v) for k, v in df["channel"].value_counts().items()},
        "mean_handoffs": float(rep["handoffs"].mean()) if len(rep) else None,
        "repeat_contacts": int((rep["contacts"] - 1).clip(lower=0).sum()),
        "petitions": int(df["petition_min"].notna().sum()),
        "ineligible": int(df["ineligible"].sum()),
    }
    observed = rep["first_response_min"].notna().to_numpy()
    dur = np.where(observed, rep["response_min"].to_numpy(), end_min - rep["onset_min"].to_numpy())
    med, p90 = km_quantiles(dur, observed)
    out["response_time_km_min"] = {"median": med, "p90": p90,
                                   "censored": int((~observed).sum())}
    due = rep[rep["deadline_min"] <= end_min]
    out["resolved_within_deadline"] = float(
        (due["resolved_min"] <= due["deadline_min"]).mean()) if len(due) else None
    return out


def summary(model: GovernanceModel, df: pd.DataFrame | None = None,
            hops: pd.DataFrame | None = None) -> dict[str, Any]:
    """The run's figures: overall, `by_kind` and `by_community`."""
    df = case_table(model) if df is None else df
    hops = hop_table(model) if hops is None else hops
    p, e, st, res = model.params, model.engine, model.structure, model.residents
    series = timeseries_table(model)
    end = model.time_min
    out = _figures(df, end)
    out["by_kind"] = {k: _figures(g, end) for k, g in df.groupby("kind", observed=False)}
    out["petitions"] = int(series["petitions"].iloc[-1])
    in_circle = st.walk_min[res.home] <= p["access"]["service_circle_min"]
    out["service_circle_coverage"] = service_circle_coverage(model)

    for w in WINDOWS_H:
        cov = series[f"patrol_coverage_{w}h"].dropna()
        out[f"patrol_coverage_{w}h"] = float(cov.mean()) if len(cov) else None
    circle = service_circle(model)
    out["service_circle_coverage_authority"] = circle["authority"]
    out["service_circle_coverage_open_hours"] = circle["open_hours"]
    out.update(police_figures(model, df))
    for k, v in circle["by_kind"].items():
        out["by_kind"][k]["service_circle_coverage_authority"] = v
    vc = e.visits.coverage()
    out["visit_coverage"] = None if math.isnan(vc) else vc
    out["visits"] = {"on_time": e.visits.on_time, "late": e.visits.late,
                     "missed": e.visits.missed}
    out["mean_trust_end"] = float(series["mean_trust"].iloc[-1])
    out["mean_trust"] = float(series["mean_trust"].mean())
    out["needs_prevented"] = int(model.needs["prevented"])
    out["decisions"] = {"extended": e.cases.counts["decisions_extended"],
                        "over_limit": e.cases.counts["decisions_over_limit"]}
    out["misrouted"] = e.cases.counts["misrouted"]
    out["response_parts_by_level_min"] = _parts_by_level(hops)
    out["load"] = load_figures(model)
    out["tasks"] = task_figures(model)
    out["cost"] = cost_figures(model, out["load"])
    out["by_community"] = _by_community(model, df, in_circle)
    return out


def police_figures(model: GovernanceModel, df: pd.DataFrame) -> dict[str, Any]:
    """Police response (onset -> officer on site), priority 1 within target, and the share
    of unreported incidents a patrol found while still in progress."""
    po = model.params["police"]
    cs, end = model.engine.cases, model.time_min
    order = df[df["kind"] == "public_order"]
    p1 = np.asarray(cs.priority1[:len(df)], bool)[order.index]
    resp = order["response_min"]
    # priority-1 calls; one not reached by the end is a miss once past the target
    due = p1 & (order["channel"] == "emergency").to_numpy() & (
        order["first_response_min"].notna() | (end - order["onset_min"] > po["p1_target_min"]))
    within = (resp[due] <= po["p1_target_min"]).to_numpy()
    unreported = order[order["channel"].isna() | (order["channel"] == "patrol")]
    incident_end = np.asarray(cs.incident_end[:len(df)])[unreported.index]
    settled = (unreported["channel"] == "patrol").to_numpy() | (incident_end <= end)
    found = (unreported["channel"] == "patrol").to_numpy()[settled]
    return {"police_response_min": {k: v for k, v in _dist(resp).items() if k != "n"},
            "police_p1_within_target": float(within.mean()) if len(within) else None,
            "incidents_found_in_time": float(found.mean()) if len(found) else None}


def _parts_by_level(hops: pd.DataFrame) -> dict[str, dict[str, float | None]]:
    """Mean wait in the queue and for a decision (or sign-off) per hop, by level."""
    h = hops.assign(queue=hops["started_min"] - hops["arrived_min"])
    out = {}
    for level, g in h.groupby("level", observed=True):
        out[str(level)] = {"hops": int(len(g)),
                           "queue": float(g["queue"].mean()) if g["queue"].notna().any()
                           else None,
                           "decision": float(g["decision_wait_min"].mean())}
    return out


def _by_community(model: GovernanceModel, df: pd.DataFrame, in_circle) -> dict[str, Any]:
    st, res, e = model.structure, model.residents, model.engine
    area_of_res = st.area_of_cell[res.home]
    circle = pd.Series(in_circle).groupby(area_of_res).mean()
    residents = np.bincount(area_of_res, minlength=len(st.area_names))
    out = {}
    for a, g in df.groupby("community"):
        f = _figures(g, model.time_min)
        uid = int(st.area_unit[a])
        out[st.area_names[a]] = {
            "response_median_min": f["response_time_min"]["median"],
            "response_p90_min": f["response_time_min"]["p90"],
            "reach": f["reach"], "cases": f["cases"]["total"],
            "residents": int(residents[a]),
            "service_circle_coverage": float(circle.get(a, float("nan"))),
            "utilisation": e.utilisation_of(uid),
            "tasks_overdue": e.tasks.overdue_by_unit[uid],
        }
    return out


def load_figures(model: GovernanceModel) -> dict[str, Any]:
    """Staff, staff per 10,000 residents, and utilisation by level and role."""
    st, pp, e = model.structure, model.params, model.engine
    staff = st.staff_by_level()
    office_staff = sum(c for level, lv in staff.items() if level != "dispatch"
                       for c in lv.values())
    per10k = 1e4 / pp["population"]["residents"]
    busy: dict[str, dict[str, float]] = {}
    paid: dict[str, dict[str, float]] = {}
    for u, pool in zip(st.units, e.pools):
        b = e.staff.busy_minutes(pool, model.time_min)
        one = e.staff.paid_minutes(pool, model.time_min)
        for role, n in pool.staff.items():
            busy.setdefault(u.level, {}).setdefault(role, 0.0)
            paid.setdefault(u.level, {}).setdefault(role, 0.0)
            busy[u.level][role] += b[role]
            paid[u.level][role] += one * n
    util: dict[str, dict[str, float | None]] = {}
    for level in busy:
        util[level] = {r: (float(busy[level][r] / paid[level][r]) if paid[level][r] else None)
                       for r in busy[level]}
        tb, tp = sum(busy[level].values()), sum(paid[level].values())
        util[level]["all"] = float(tb / tp) if tp else None
    tb = sum(sum(v.values()) for v in busy.values())
    tp = sum(sum(v.values()) for v in paid.values())
    comm = [st.units[u] for u in st.community_units]
    return {
        "staff_by_level": staff,
        "office_staff": office_staff,
        "police_officers": pp["police"]["officers"],
        "joint_defence": pp["police"]["joint_defence"] + pp["police"]["governance_staff"],
        "staff_per_10k": office_staff * per10k,
        "staff_per_community": float(np.mean([sum(u.staff.values()) for u in comm])),
        "floor_m2_per_community": float(np.mean([u.floor_m2 for u in comm])),
        "utilisation": util,
        "office_utilisation": tb / tp if tp else None,
    }


def task_figures(model: GovernanceModel) -> dict[str, Any]:
    """Task items issued, done and overdue (done late, or open past the deadline)."""
    tb = model.engine.tasks
    open_late = tb.open_overdue(model.time_min)
    levels = sorted(tb.issued)
    by_level = {lv: {"issued": tb.issued[lv], "done": tb.done[lv],
                     "overdue": tb.overdue[lv] + open_late.get(lv, 0)}
                for lv in levels if tb.issued[lv]}
    return {"issued": sum(tb.issued.values()), "done": sum(tb.done.values()),
            "overdue": sum(tb.overdue.values()) + sum(open_late.values()),
            "by_level": by_level}


def cost_figures(model: GovernanceModel, load: dict[str, Any]) -> dict[str, float]:
    """Yearly cost in CNY: staff by kind and community service floor space."""
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
