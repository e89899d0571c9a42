"""Office hours and working time."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from simulation.calendar import OfficeCalendar

CAL = OfficeCalendar(8.5, 17.5, 5)
DAY = 1440


def test_open_and_next_open():
    assert CAL.is_open(9 * 60)
    assert not CAL.is_open(8 * 60)
    assert not CAL.is_open(5 * DAY + 10 * 60)  # Saturday
    assert CAL.next_open(18 * 60) == DAY + 8.5 * 60
    assert CAL.next_open(4 * DAY + 18 * 60) == 7 * DAY + 8.5 * 60  # Friday evening -> Monday


def test_one_working_day_handoff():
    # handed over on Friday at 16:00 with 8 working hours of delay: Monday 15:00
    t = 4 * DAY + 16 * 60
    assert CAL.add_working(t, 8 * 60) == 7 * DAY + 15 * 60


@given(st.floats(0, 60 * DAY), st.floats(0, 5000))
def test_add_working_is_monotone_and_lands_in_office(t, m):
    end = CAL.add_working(t, m)
    assert end >= t
    if m > 0:
        assert CAL.is_open(end) or CAL.is_open(end - 1e-6)
