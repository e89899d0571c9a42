"""Office hours and working time."""

from __future__ import annotations

from hypothesis import given, settings
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


def _add_working_block_by_block(cal: OfficeCalendar, t: float, minutes: float) -> float:
    """`add_working` as it was first written: one open block at a time, no skipping."""
    if minutes <= 0:
        return t
    t = cal.next_open(t)
    while True:
        left = cal.closing_after(t) - t
        if minutes <= left:
            return t + minutes
        minutes -= left
        t = cal.next_open(cal.closing_after(t))


@settings(max_examples=400, deadline=None)
@given(t=st.floats(0, 400 * 1440), days=st.integers(0, 60), frac=st.floats(0, 1),
       workdays=st.integers(1, 7), lunch=st.booleans())
def test_skipping_whole_weeks_gives_the_same_time_to_the_bit(t, days, frac, workdays, lunch):
    """Deadlines of 20 working days skip whole weeks; the result must not move by an ulp,
    including landing exactly on a closing."""
    cal = OfficeCalendar(8.5, 17.5, workdays, 12.0, 14.0 if lunch else 12.0)
    for minutes in (days * cal.day_minutes, (days + frac) * cal.day_minutes):
        assert cal.add_working(t, minutes) == _add_working_block_by_block(cal, t, minutes)
