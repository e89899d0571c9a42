"""When residents can reach an office or a phone.

A resident who decides to report a need (after `reporting.decide_mean_h` on average, the
same for every channel) acts at the first moment their own day allows:

* a call: any waking hour (`reporting.awake_from_h`-`awake_to_h`) they are not on a JISCO
  shift;
* a walk-in: an office-hours window in which they are free long enough to walk there,
  be served (`reporting.min_visit_min`) and walk back:
  - residents without an employer (children's parents, the elderly, others): any office
    hours;
  - JISCO employees work the steel plant's rota of four crews on three 8-hour shifts
    (two mornings 8-16, two afternoons 16-24, two nights 0-8, two days off; ASSUMPTION),
    so some working days have office hours free;
  - other employees work office hours, Monday to Friday: they can use their lunch break
    (`reporting.lunch_start_h`-`lunch_end_h`) if the office is open then and the trip
    fits, or take a day off for the errand: they wait a number of working days drawn
    with chance `reporting.time_off_prob` a day, and from then on find the time.

So how long walk-ins wait follows from office hours, work, and the distance to the
service point, not from a fixed delay.
"""

from __future__ import annotations

import math

from .calendar import DAY, OfficeCalendar

JISCO = 0
#: The JISCO rota: shift of each day of the 8-day cycle (start hour, end hour) or None.
ROTA = ((8, 16), (8, 16), (16, 24), (16, 24), (0, 8), (0, 8), None, None)
CREWS = 4


class Availability:
    """Free time of residents, by employer.

    Args:
        params: the scenario's parameters.
        calendar: office hours.
        employer: employer index per resident (0 JISCO, >0 other, -1 none).
    """

    def __init__(self, params: dict, calendar: OfficeCalendar, employer):
        r = params["reporting"]
        self.cal = calendar
        self.employer = employer
        self.lunch = (r["lunch_start_h"] * 60.0, r["lunch_end_h"] * 60.0)
        self.awake = (r["awake_from_h"] * 60.0, r["awake_to_h"] * 60.0)
        self.min_visit = r["min_visit_min"]
        self.p_off = r["time_off_prob"]
        self.horizon_days = int(r["give_up_days"])

    def _shift(self, resident: int, day: int) -> tuple[float, float] | None:
        s = ROTA[(day + 2 * (resident % CREWS)) % len(ROTA)]
        return None if s is None else (s[0] * 60.0, s[1] * 60.0)

    def free_windows(self, resident: int, day: int, off_day: int) -> list[tuple[float, float]]:
        """Windows (minutes of the day) on `day` when the resident is free and offices
        are open."""
        if not self.cal.is_workday(day):
            return []
        emp = self.employer[resident]
        if emp < 0 or (emp > JISCO and day >= off_day):
            free = [(0.0, DAY)]
        elif emp == JISCO:
            shift = self._shift(resident, day)
            if shift is None:
                free = [(0.0, DAY)]
            else:
                a, b = shift
                if a == 0:  # after a night shift: asleep until noon
                    b = max(b, 12 * 60.0)
                free = [(0.0, a - 30.0), (b, DAY)]  # half an hour to get to work
        else:
            free = [self.lunch]
        out = []
        for a, b in free:
            for o0, o1 in self.cal.blocks:
                lo, hi = max(a, o0), min(b, o1)
                if hi > lo:
                    out.append((lo, hi))
        return out

    def walk_in(self, resident: int, t_decide: float, trip_min: float,
                u_time_off: float) -> float:
        """Arrival time at the service point, or inf if no time is found in time.

        Args:
            resident: resident id.
            t_decide: when the resident decided to go.
            trip_min: walk one way.
            u_time_off: the case's uniform for the day off (employees of other employers).
        """
        need = 2.0 * trip_min + self.min_visit
        day0 = int(t_decide // DAY)
        off_day = day0 + self._working_days_until_off(u_time_off, day0)
        for day in range(day0, day0 + self.horizon_days + 1):
            base = day * DAY
            for a, b in self.free_windows(resident, day, off_day):
                start = max(base + a, t_decide)
                if base + b - start >= need:
                    return start + trip_min
        return math.inf

    def _working_days_until_off(self, u: float, day0: int) -> int:
        """Calendar days from `day0` to the employee's day off (geometric in working days)."""
        if self.p_off >= 1.0:
            k = 0
        elif self.p_off <= 0.0:
            return 10**6
        else:
            k = int(math.log1p(-u) / math.log1p(-self.p_off))
        day = day0
        while True:
            if self.cal.is_workday(day):
                if k == 0:
                    return day - day0
                k -= 1
            day += 1

    def call(self, resident: int, t_decide: float) -> float:
        """When the resident can call: awake and not on a JISCO shift."""
        t = t_decide
        for _ in range(6):  # a few windows suffice: shifts are 8 hours
            day = int(t // DAY)
            m = t - day * DAY
            if m < self.awake[0]:
                t = day * DAY + self.awake[0]
                continue
            if m >= self.awake[1]:
                t = (day + 1) * DAY + self.awake[0]
                continue
            if self.employer[resident] == JISCO:
                shift = self._shift(resident, day)
                if shift is not None and shift[0] <= m < shift[1]:
                    t = day * DAY + shift[1]
                    continue
            return t
        return t
