"""Scheduled visits of vulnerable and special-population residents.

Each such resident is due a visit every `grid.visit_interval_days`. On each working day,
the grid workers of a community visit those whose due date is nearest (within the next
week), up to `grid.visits_per_worker_day` each. A due date that passes without a visit is
a miss; visit coverage is visits on time over visits due.
"""

from __future__ import annotations

import numpy as np

from .randomness import Streams

WINDOW_DAYS = 7.0


class Visits:
    """Due dates and visit records of the residents who are due visits.

    Args:
        residents_due: resident ids due visits.
        area: area index of each of them.
        capacity: visits per working day for each area.
        interval_days: days between visits.
        streams: for the first due dates (stream "visits", shared by all scenarios).
        is_workday: calendar predicate.
    """

    def __init__(self, residents_due: np.ndarray, area: np.ndarray, capacity: np.ndarray,
                 interval_days: float, streams: Streams, is_workday):
        self.ids = residents_due
        self.area = area
        self.capacity = capacity
        self.interval = interval_days
        self.next_due = streams.get("visits").random(len(residents_due)) * interval_days
        self.missed_flag = np.zeros(len(residents_due), bool)
        self.on_time = 0
        self.missed = 0
        self.late = 0
        self.is_workday = is_workday
        self.order_key = area.astype(np.int64)

    def day(self, day: int, t: float) -> None:
        """Count due dates passed by the start of `day`, then make the day's visits."""
        now = float(day)
        passed = (self.next_due < now) & ~self.missed_flag
        self.missed += int(passed.sum())
        self.missed_flag |= passed
        if not self.is_workday(day) or len(self.ids) == 0:
            return
        cand = np.flatnonzero(self.next_due <= now + WINDOW_DAYS)
        if len(cand) == 0:
            return
        order = cand[np.lexsort((self.next_due[cand], self.area[cand]))]
        a = self.area[order]
        starts = np.searchsorted(a, a, side="left")
        rank = np.arange(len(order)) - starts
        chosen = order[rank < self.capacity[a]]
        late = self.missed_flag[chosen]
        self.on_time += int((~late).sum())
        self.late += int(late.sum())
        self.next_due[chosen] = now + self.interval
        self.missed_flag[chosen] = False

    def coverage(self) -> float:
        due = self.on_time + self.missed
        return self.on_time / due if due else float("nan")
