"""Needs for a whole run, drawn in bulk before it starts.

Each kind of need has its own named stream, so the needs a resident meets depend on the
seed, the residents and the need rates only: every structure under one seed faces the
same needs at the same times and places (common random numbers). Every random number a
case will use later (reporting, channel, handling time...) is drawn here too, one column
each, so that decisions taken during the run stay paired across scenarios.
"""

from __future__ import annotations

import numpy as np

from .parameters import DOMAINS, KINDS
from .population import Residents
from .randomness import Streams

#: Relative frequency of onsets by hour of day.
OFFICE_RHYTHM = np.array([0.2] * 6 + [0.6, 1.2, 1.6, 1.6, 1.5, 1.3, 1.0, 1.2, 1.4, 1.4,
                                      1.3, 1.1, 0.9, 0.8, 0.7, 0.5, 0.4, 0.3])
ORDER_RHYTHM = np.array([0.9, 0.7, 0.6, 0.5, 0.4, 0.4, 0.5, 0.7, 0.8, 0.9, 0.9, 1.0,
                         1.0, 1.0, 1.0, 1.0, 1.1, 1.2, 1.4, 1.6, 1.7, 1.6, 1.4, 1.1])
RHYTHM = {k: (ORDER_RHYTHM if k == "public_order" else OFFICE_RHYTHM) for k in KINDS}

#: Outcome draws pre-drawn per case (more attempts draw from stream "outcomes.extra").
ATTEMPTS = 4
#: Names of the per-case uniform random numbers drawn with each need.
UNIFORMS = ("complex", "report", "channel", "delay", "handle", "lead", "place", "domain",
            "prevent", "eligible", "petition", "time_off", "misroute", "wrong_unit", "input",
            "input_dept", "priority", "duration") + tuple(f"{n}{i}" for i in range(ATTEMPTS)
                              for n in ("ok", "branch", "redecide"))
U = {name: i for i, name in enumerate(UNIFORMS)}

#: Where needs arise, by domain of the safe-cells campaign (ASSUMPTION). Needs at work
#: are in "enterprises"; other kinds of need have no domain.
DOMAIN_SHARES = {
    "public_order": {"families": 0.35, "communities": 0.25, "restaurants": 0.10, "shops": 0.10,
                     "public_transport": 0.06, "schools": 0.04, "hospitals": 0.04,
                     "scenic_spots": 0.03, "government_agencies": 0.03},
    "dispute": {"families": 0.60, "communities": 0.30, "shops": 0.05, "hospitals": 0.05},
}
NO_DOMAIN = -1


def eligible_rates(kind: str, residents: Residents, needs: dict) -> np.ndarray:
    """Yearly rate of `kind` for every resident."""
    rate = needs["rate_per_year"][kind]
    r = np.full(residents.n, rate)
    if kind == "welfare":
        r[residents.vulnerable | residents.special] *= needs["vulnerable_welfare_factor"]
    elif kind == "elderly_care":
        r[residents.age != 2] = 0.0
    elif kind == "floating_registration":
        r[residents.registration != 2] = 0.0
    return r


def _draw_kind(code: int, kind: str, residents: Residents, needs: dict, rate: np.ndarray,
               days: np.ndarray, day_weight: np.ndarray,
               rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Needs of one kind on the given days, each day weighted (growth)."""
    total = rate.sum()
    expected = total * day_weight.sum() / 365.0
    n = int(rng.poisson(expected)) if total > 0 and len(days) else 0
    who = rng.choice(residents.n, size=n, p=rate / total) if n else np.empty(0, np.int64)
    if n and np.all(day_weight == day_weight[0]):
        day = days[rng.integers(0, len(days), n)]
    elif n:
        day = days[rng.choice(len(days), size=n, p=day_weight / day_weight.sum())]
    else:
        day = np.empty(0, np.int64)
    prof = RHYTHM[kind] / RHYTHM[kind].sum()
    hour = rng.choice(24, size=n, p=prof)
    onset = day * 1440.0 + hour * 60.0 + rng.random(n) * 60.0
    u = rng.random((n, len(UNIFORMS)))
    cell = residents.home[who].astype(np.int64)
    share = needs["workplace_share"].get(kind, 0.0)
    at_work = (u[:, U["place"]] < share) & (residents.work_cell[who] >= 0)
    cell[at_work] = residents.work_cell[who[at_work]]
    domain = np.full(n, NO_DOMAIN, np.int8)
    if kind in DOMAIN_SHARES:
        names = list(DOMAIN_SHARES[kind])
        cum = np.cumsum([DOMAIN_SHARES[kind][d] for d in names])
        pick = np.minimum(np.searchsorted(cum / cum[-1], u[:, U["domain"]]), len(names) - 1)
        domain = np.array([DOMAINS.index(d) for d in names], np.int8)[pick]
        domain[at_work] = DOMAINS.index("enterprises")
    return {"onset": onset, "kind": np.full(n, code, np.int8), "resident": who.astype(np.int32),
            "cell": cell, "domain": domain, "u": u}


def draw_needs(residents: Residents, params: dict, days: int, streams: Streams,
               scale: float = 1.0) -> dict:
    """All needs of a run, sorted by onset.

    Base needs come from stream "needs.<kind>", surge needs from "needs.surge.<kind>", so
    a surge adds needs without moving any other. Needs that a safe-cells campaign
    prevents are thinned out with their own uniform, so the rest stay as they were.
    At a sampled `scale` every sampled resident carries 1/scale of the needs, so units
    face the whole city's load; with population growth (`growth.*`) each day's needs
    grow with the population.

    Returns:
        Columns: `onset` (minutes), `kind` (code), `resident`, `cell` (flat index where
        it arises), `domain` (index into `DOMAINS` or -1), `complex` (bool), `u`
        (n x len(UNIFORMS) uniforms), `handling_min`, `lead_min`, `rural_registered`;
        and `prevented`, the number of needs the campaign prevented.
    """
    needs, surge = params["needs"], params["surge"]
    parts = []
    all_days = np.arange(days)
    g = params["growth"]
    weight = (1.0 + g["population_per_year"]) ** (g["years_before_start"] + all_days / 365.0)
    s0, s1 = surge["start_day"], min(days, surge["start_day"] + surge["days"])
    surge_days = np.arange(s0, s1) if surge["multiplier"] > 1 and s1 > s0 else np.empty(0, int)
    for code, kind in enumerate(KINDS):
        rate = eligible_rates(kind, residents, needs) * needs["rate_multiplier"] / scale
        parts.append(_draw_kind(code, kind, residents, needs, rate, all_days, weight,
                                streams.get(f"needs.{kind}")))
        if len(surge_days):
            parts.append(_draw_kind(code, kind, residents, needs,
                                    rate * (surge["multiplier"] - 1), surge_days,
                                    weight[surge_days], streams.get(f"needs.surge.{kind}")))
    out = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    order = np.lexsort((out["resident"], out["kind"], out["onset"]))
    out = {k: v[order] for k, v in out.items()}
    out["prevented"] = 0
    sc = params["safe_cells"]
    if sc["enabled"]:
        part = np.array([sc["participation"][d] for d in DOMAINS] + [0.0])
        prevent = (out["domain"] >= 0) & (
            out["u"][:, U["prevent"]] < part[out["domain"]] * sc["reduction"])
        out = {k: v[~prevent] for k, v in out.items() if k != "prevented"}
        out["prevented"] = int(prevent.sum())
    kinds, u = out["kind"], out["u"]
    out["complex"] = u[:, U["complex"]] < np.array([needs["complex_share"][k]
                                                    for k in KINDS])[kinds]
    handling = np.array([needs["handling_min"][k] for k in KINDS])[kinds]
    out["handling_min"] = handling * (0.5 + u[:, U["handle"]])
    lead = np.array([needs["lead_time_h"][k] * 60.0 for k in KINDS])[kinds]
    out["lead_min"] = -lead * np.log1p(-u[:, U["lead"]])
    out["rural_registered"] = residents.registration[out["resident"]] == 1
    return out
