"""Needs for a whole run, drawn in bulk before it starts.

Each kind of need has its own named stream, so the needs a resident meets depend on the
seed, the residents and the need rates only: every structure under one seed faces the
same needs at the same times and places (common random numbers). Every random number a
case will use later (reporting, channel, handling time...) is drawn here too, one column
each, so that decisions taken during the run stay paired across scenarios.
"""

from __future__ import annotations

import numpy as np

from .parameters import KINDS
from .population import Residents
from .randomness import Streams

#: Relative frequency of onsets by hour of day.
OFFICE_RHYTHM = np.array([0.2] * 6 + [0.6, 1.2, 1.6, 1.6, 1.5, 1.3, 1.0, 1.2, 1.4, 1.4,
                                      1.3, 1.1, 0.9, 0.8, 0.7, 0.5, 0.4, 0.3])
ORDER_RHYTHM = np.array([0.9, 0.7, 0.6, 0.5, 0.4, 0.4, 0.5, 0.7, 0.8, 0.9, 0.9, 1.0,
                         1.0, 1.0, 1.0, 1.0, 1.1, 1.2, 1.4, 1.6, 1.7, 1.6, 1.4, 1.1])
RHYTHM = {k: (ORDER_RHYTHM if k == "public_order" else OFFICE_RHYTHM) for k in KINDS}

#: Names of the per-case uniform random numbers drawn with each need.
UNIFORMS = ("complex", "report", "channel", "delay", "handle", "lead", "place", "spare")


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


def draw_needs(residents: Residents, needs: dict, days: int, streams: Streams) -> dict:
    """All needs of a run, sorted by onset.

    Returns:
        Columns: `onset` (minutes), `kind` (code), `resident`, `cell` (flat index where
        it arises), `complex` (bool), `u` (n x len(UNIFORMS) uniforms), `handling_min`,
        `lead_min`.
    """
    cols: dict[str, list] = {k: [] for k in ("onset", "kind", "resident", "cell", "u")}
    for code, kind in enumerate(KINDS):
        rng = streams.get(f"needs.{kind}")
        r = eligible_rates(kind, residents, needs)
        total = r.sum()
        n = int(rng.poisson(total * days / 365.0)) if total > 0 else 0
        who = rng.choice(residents.n, size=n, p=r / total) if n else np.empty(0, np.int64)
        day = rng.integers(0, days, n)
        prof = RHYTHM[kind] / RHYTHM[kind].sum()
        hour = rng.choice(24, size=n, p=prof)
        onset = day * 1440.0 + hour * 60.0 + rng.random(n) * 60.0
        u = rng.random((n, len(UNIFORMS)))
        cell = residents.home[who].astype(np.int64)
        share = needs["workplace_share"].get(kind, 0.0)
        at_work = (u[:, UNIFORMS.index("place")] < share) & (residents.work_cell[who] >= 0)
        cell[at_work] = residents.work_cell[who[at_work]]
        cols["onset"].append(onset)
        cols["kind"].append(np.full(n, code, np.int8))
        cols["resident"].append(who.astype(np.int32))
        cols["cell"].append(cell)
        cols["u"].append(u)
    out = {k: np.concatenate(v) for k, v in cols.items()}
    order = np.argsort(out["onset"], kind="stable")
    out = {k: v[order] for k, v in out.items()}
    kinds = out["kind"]
    u = out["u"]
    out["complex"] = u[:, 0] < np.array([needs["complex_share"][k] for k in KINDS])[kinds]
    handling = np.array([needs["handling_min"][k] for k in KINDS])[kinds]
    out["handling_min"] = handling * (0.5 + u[:, UNIFORMS.index("handle")])
    lead = np.array([needs["lead_time_h"][k] * 60.0 for k in KINDS])[kinds]
    out["lead_min"] = -lead * np.log1p(-u[:, UNIFORMS.index("lead")])
    return out
