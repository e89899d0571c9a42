"""Scheduled visits of vulnerable and special-population residents, as staff work.

Each such resident is due a visit every `grid.visit_interval_days`. A week before the due
date a visit joins the work of the unit that serves the resident's area (community or
village centre, else the town); it takes `grid.visit_min` at the home plus the trip
there and back (walking, or `grid.rural_travel_kmh` for town staff going out to the
villages), out of the same staff time as everything else, and is due on the due date.
A due date that passes without a visit is a miss; visit coverage is visits on time over
visits due.

At a sampled scale each sampled resident due visits stands for 1/scale of them (the
visits of the whole city are made), so staff time is spent as at scale 1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .calendar import DAY
from .geometry import travel_min
from .staff import VISIT, WorkItem

if TYPE_CHECKING:  # pragma: no cover
    from .engine import Engine

WINDOW_DAYS = 7.0


class Visits:
    """Due dates and visit records of the residents due visits.

    Args:
        engine: the engine whose staff make the visits.
    """

    def __init__(self, engine: Engine):
        self.e = engine
        m = engine.m
        res, st, p = m.residents, m.structure, m.params
        due = np.flatnonzero(res.vulnerable | res.special)
        copies = max(1, int(round(1.0 / m.scale)))
        self.resident = np.repeat(due, copies)
        area = st.area_of_cell[res.home[self.resident]]
        self.unit = st.area_unit[area]
        h, acc, g = m.city.height, p["access"], p["grid"]
        office = np.array([u.cell for u in st.units])[self.unit]
        home = res.home[self.resident]
        dx, dy = home // h - office // h, home % h - office % h
        by_town = np.array([st.units[u].level == "town" for u in self.unit], bool)
        speed = np.where(by_town, g["rural_travel_kmh"], acc["walk_speed_kmh"])
        trip = travel_min(dx, dy, m.city.cell_m, 1.0, acc["detour_factor"]) / speed
        self.minutes = (g["visit_min"] + 2.0 * trip).tolist()
        self.interval = g["visit_interval_days"]
        self.next_due = m.streams.get("visits").random(len(self.resident)) * self.interval
        self.scheduled = np.zeros(len(self.resident), bool)
        self.missed_flag = np.zeros(len(self.resident), bool)
        self.on_time = self.missed = self.late = 0
        self.made_by_unit = np.zeros(len(st.units), np.int64)

    def day(self, t: float) -> None:
        """At opening: count due dates that passed, and schedule the coming week's visits."""
        now = t / DAY
        passed = (self.next_due < np.floor(now)) & ~self.missed_flag
        self.missed += int(passed.sum())
        self.missed_flag |= passed
        new = np.flatnonzero(~self.scheduled & (self.next_due <= now + WINDOW_DAYS))
        self.scheduled[new] = True
        for v in new.tolist():
            self.e.submit(WorkItem(VISIT, int(self.unit[v]), self.minutes[v],
                                   float(self.next_due[v]) * DAY, t, ref=v), t)

    def on_visit_done(self, item: WorkItem, t: float) -> None:
        v = item.ref
        self.made_by_unit[item.unit] += 1
        if self.missed_flag[v]:
            self.late += 1
        else:
            self.on_time += 1
        self.missed_flag[v] = False
        self.scheduled[v] = False
        self.next_due[v] = t / DAY + self.interval

    def coverage(self) -> float:
        due = self.on_time + self.missed
        return self.on_time / due if due else float("nan")
