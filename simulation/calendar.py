"""Office hours on the simulation clock (minutes since the start, day 0 a Monday).

Offices open on working days from `calendar.office_open_h` to `office_close_h`, closed
for the midday break (`calendar.lunch_start_h`-`lunch_end_h`; none if they are equal).
Staff are paid for the open hours; work that runs past a closing is unpaid overtime.
"""

from __future__ import annotations

import math

DAY = 1440.0


class OfficeCalendar:
    """When offices are open, and how working time adds up.

    Args:
        open_h, close_h: opening and closing hour of the day.
        workdays: office days per week, counted from Monday.
        lunch_start_h, lunch_end_h: the midday closure (equal: none).
    """

    def __init__(self, open_h: float, close_h: float, workdays: int,
                 lunch_start_h: float = 12.0, lunch_end_h: float = 12.0):
        self.open_min = open_h * 60.0
        self.close_min = close_h * 60.0
        self.workdays = workdays
        lunch = (max(lunch_start_h * 60.0, self.open_min), min(lunch_end_h * 60.0,
                                                               self.close_min))
        if lunch[1] > lunch[0]:
            self.blocks = ((self.open_min, lunch[0]), (lunch[1], self.close_min))
        else:
            self.blocks = ((self.open_min, self.close_min),)
        self.day_minutes = sum(b - a for a, b in self.blocks)
        self.week_minutes = self.day_minutes * sum(self.is_workday(d) for d in range(7))
        self._memo = (-1.0, 0.0)

    def is_workday(self, day: int) -> bool:
        return day % 7 < self.workdays

    def is_open(self, t: float) -> bool:
        day = int(t // DAY)
        if not self.is_workday(day):
            return False
        m = t - day * DAY
        for a, b in self.blocks:
            if a <= m < b:
                return True
        return False

    def next_open(self, t: float) -> float:
        """`t` if offices are open then, else the next opening time."""
        day = int(t // DAY)
        m = t - day * DAY
        if self.is_workday(day):
            for a, b in self.blocks:
                if m < a:
                    return day * DAY + a
                if m < b:
                    return t
        day += 1
        while not self.is_workday(day):
            day += 1
        return day * DAY + self.open_min

    def closing_after(self, t: float) -> float:
        """End of the open block that contains the open time `t` (a midday break or the
        evening closing)."""
        day = math.floor(t / DAY)
        m = t - day * DAY
        for _, b in self.blocks:
            if m < b:
                return day * DAY + b
        return day * DAY + self.close_min

    def closing_of(self, day: int) -> float:
        return day * DAY + self.close_min

    def next_workday(self, day: int) -> int:
        """`day` if it is a working day, else the next one."""
        while not self.is_workday(day):
            day += 1
        return day

    def add_working(self, t: float, minutes: float) -> float:
        """The time when `minutes` of office time have passed after `t`."""
        if minutes <= 0:
            return t
        t = self.next_open(t)
        week, week_minutes = 7 * DAY, self.week_minutes
        while True:
            left = self.closing_after(t) - t
            if minutes <= left:
                return t + minutes
            minutes -= left
            t = self.next_open(self.closing_after(t))
            # t is now a block's opening: a whole week of office time later it is the same
            # opening a week on. Skipping the week subtracts the same whole minutes the
            # blocks would, exactly (integers off a float below 2**53), so the result is
            # the same to the last bit.
            while minutes > week_minutes > 0:
                minutes -= week_minutes
                t += week

    def add_working_days(self, t: float, days: float) -> float:
        """`days` full working days of office time after `t`."""
        return self.add_working(t, days * self.day_minutes)

    def next_cycle(self, t: float, cycle_days: float, meeting_weekday: int) -> float:
        """When a unit with decision cycle `cycle_days` next decides, at or after `t`.

        0: at once. Under 7: a sign-off at closing time on every `cycle_days`-th working
        day. 7 or more: a meeting two hours before closing on `meeting_weekday`, every
        `cycle_days / 7` weeks (rounded).
        """
        if cycle_days <= 0:
            return t
        day = int(t // DAY)
        if cycle_days < 7:
            every = max(1, int(round(cycle_days)))
            while True:
                if self.is_workday(day) and day % every == 0 and self.closing_of(day) >= t:
                    return self.closing_of(day)
                day += 1
        weeks = max(1, int(round(cycle_days / 7)))
        meeting = self.close_min - min(120.0, self.day_minutes / 2)
        while True:
            if day % 7 == meeting_weekday and (day // 7) % weeks == 0 and \
                    day * DAY + meeting >= t:
                return day * DAY + meeting
            day += 1

    def _minutes_in_day(self, day: int, m: float) -> float:
        """Office minutes of `day` before minute-of-day `m`."""
        if not self.is_workday(day):
            return 0.0
        return sum(max(0.0, min(m, b) - a) for a, b in self.blocks)

    def office_minutes_to(self, t: float) -> float:
        """Office minutes from the start of the run to `t`."""
        if t == self._memo[0]:
            return self._memo[1]
        day = int(t // DAY)
        week, rest = divmod(day, 7)
        full_days = sum(self._minutes_in_day(d, DAY) for d in range(rest))
        out = week * self.week_minutes + full_days + self._minutes_in_day(day, t - day * DAY)
        self._memo = (t, out)
        return out

    def office_minutes(self, t0: float, t1: float) -> float:
        """Office minutes between `t0` and `t1`."""
        return max(0.0, self.office_minutes_to(t1) - self.office_minutes_to(t0))
