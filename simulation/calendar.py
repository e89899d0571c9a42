"""Office hours on the simulation clock (minutes since the start, day 0 a Monday)."""

from __future__ import annotations

import math

DAY = 1440.0


class OfficeCalendar:
    """When offices are open, and how working time adds up.

    Args:
        open_h, close_h: opening and closing hour of the day.
        workdays: office days per week, counted from Monday.
    """

    def __init__(self, open_h: float, close_h: float, workdays: int):
        self.open_min = open_h * 60.0
        self.close_min = close_h * 60.0
        self.workdays = workdays
        self.day_minutes = self.close_min - self.open_min

    def is_workday(self, day: int) -> bool:
        return day % 7 < self.workdays

    def is_open(self, t: float) -> bool:
        day = int(t // DAY)
        m = t - day * DAY
        return self.is_workday(day) and self.open_min <= m < self.close_min

    def next_open(self, t: float) -> float:
        """`t` if offices are open then, else the next opening time."""
        day = int(t // DAY)
        m = t - day * DAY
        if self.is_workday(day):
            if m < self.open_min:
                return day * DAY + self.open_min
            if m < self.close_min:
                return t
        day += 1
        while not self.is_workday(day):
            day += 1
        return day * DAY + self.open_min

    def closing_after(self, t: float) -> float:
        """Closing time of the working day that contains the open time `t`."""
        return math.floor(t / DAY) * DAY + self.close_min

    def add_working(self, t: float, minutes: float) -> float:
        """The time when `minutes` of office time have passed after `t`."""
        if minutes <= 0:
            return t
        t = self.next_open(t)
        while True:
            left_today = self.closing_after(t) - t
            if minutes <= left_today:
                return t + minutes
            minutes -= left_today
            t = self.next_open(self.closing_after(t))
