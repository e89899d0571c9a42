"""The model's per-case records (`model.engine.cases`) as numpy arrays, kept up to date
cheaply, and the figures of needs so far that the model's hourly DataCollector row does
not carry (distributions and deadline shares). No Solara here.

Figures computed here, from the model's own case arrays and with the definitions of
`simulation.metrics` (tested against `summary` at the end of a run):

* response and acknowledgement median / p90, Kaplan-Meier over reported needs with those
  still waiting censored (`metrics.km_quantiles`; the summary's `response_time_km_min`);
* resolved within deadline (the summary's `resolved_within_deadline`, up to now);
* priority-1 police calls reached within target (the summary's `police_p1_within_target`).

They are not hourly model reporters because each needs a pass over every case so far;
the page keeps the arrays incrementally instead (see `CaseArrays`).
"""

from __future__ import annotations

import numpy as np

from simulation.cases import CH_EMERGENCY, PUBLIC_ORDER
from simulation.metrics import km_quantiles


class CaseArrays:
    """The engine's per-need timestamps as numpy arrays, kept up to date cheaply.

    The model keeps them in Python lists; converting every list on every frame costs more
    as needs accumulate (tens of milliseconds after a few months). A timestamp only ever
    changes from NaN to a time, the channel is set once at the first report, and a need
    that is settled or given up changes no more, so `update` converts the needs that arose
    since the last call and re-reads only the needs still open."""

    FIELDS = ("reported", "acknowledged", "first_response", "resolved", "gave_up", "channel")

    def __init__(self, engine):
        self.e = engine
        cs = engine.cases
        self.cs = cs
        # drawn for the whole horizon when the model is built; fixed
        self.onset = np.asarray(cs.onset, float)
        self.cell = np.asarray(cs.cell, np.int64)
        self.resident = np.asarray(cs.resident, np.int64)
        self.kind = np.asarray(cs.kind, np.int8)
        self.deadline = np.asarray(cs.deadline, float)
        self.priority1 = np.asarray(cs.priority1, bool)
        self.n = 0
        self.arrays = {f: np.empty(0) for f in self.FIELDS}

    def update(self) -> int:
        """Bring the arrays up to the engine's clock; returns the needs arisen so far."""
        cs, old = self.cs, self.n
        n = int(self.e.next_onset)
        open_ = np.flatnonzero(np.isnan(self.arrays["resolved"][:old])
                               & np.isnan(self.arrays["gave_up"][:old]))
        for f in self.FIELDS:
            lst, arr = getattr(cs, f), self.arrays[f]
            if len(open_):
                arr[open_] = np.fromiter((lst[i] for i in open_), float, len(open_))
            if n > old:
                arr = self.arrays[f] = np.concatenate([arr[:old], np.asarray(lst[old:n],
                                                                             float)])
        self.n = n
        return n

    def __getitem__(self, field: str) -> np.ndarray:
        return self.arrays[field][:self.n]


def time_quantiles(onset: np.ndarray, reported: np.ndarray, event: np.ndarray,
                   now: float) -> tuple[float | None, float | None]:
    """Median and 90th percentile (minutes) from onset to `event` (first response, or
    acknowledgement) of the needs reported so far, those still waiting censored at their
    wait so far (Kaplan-Meier, as `simulation.metrics` does for finished runs): leaving
    them out would flatter the slow structure early in a run."""
    rep = np.isfinite(reported)
    if not rep.any():
        return None, None
    observed = np.isfinite(event[rep])
    dur = np.where(observed, event[rep] - onset[rep], now - onset[rep])
    med, p90 = km_quantiles(dur, observed)
    return med, p90


def within_deadline(reported: np.ndarray, resolved: np.ndarray, deadline: np.ndarray,
                    now: float) -> float | None:
    """Among reported needs whose deadline has passed by `now`, the share settled by it."""
    due = np.isfinite(reported) & (deadline <= now)
    if not due.any():
        return None
    return float((resolved[due] <= deadline[due]).mean())


def p1_within_target(c: CaseArrays, now: float, target_min: float,
                     mine: np.ndarray | None = None) -> float | None:
    """Share of priority-1 emergency calls reached within `target_min` of onset; a call
    not reached by `now` counts once past the target (as `metrics.police_figures`)."""
    n = c.n
    onset, first = c.onset[:n], c["first_response"]
    due = (c.kind[:n] == PUBLIC_ORDER) & c.priority1[:n] & (c["channel"] == CH_EMERGENCY) \
        & (np.isfinite(first) | (now - onset > target_min))
    if mine is not None:
        due &= mine
    if not due.any():
        return None
    return float(((first[due] - onset[due]) <= target_min).mean())


def case_figures(c: CaseArrays, now: float, target_min: float,
                 mine: np.ndarray | None = None) -> dict[str, float | None]:
    """The figures of needs so far (all, or those selected by the boolean `mine`)."""
    n = c.n
    sel = slice(None) if mine is None else mine
    onset, rep = c.onset[:n][sel], c["reported"][sel]
    med, p90 = time_quantiles(onset, rep, c["first_response"][sel], now)
    ack, _ = time_quantiles(onset, rep, c["acknowledged"][sel], now)
    return {"response_time_km_min.median": med, "response_time_km_min.p90": p90,
            "acknowledged_time_km_min.median": ack,
            "resolved_within_deadline": within_deadline(rep, c["resolved"][sel],
                                                        c.deadline[:n][sel], now),
            "police_p1_within_target": p1_within_target(c, now, target_min, mine)}
