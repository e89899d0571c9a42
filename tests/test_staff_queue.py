"""The staff queue core: queueing theory on a degenerate unit, priority rules, opening time.

These drive `staff.Staffing` with a bare heap clock, the way the engine does, so the
queue core is checked on its own.
"""

from __future__ import annotations

import heapq
import math

import numpy as np
import pytest

from simulation.calendar import OfficeCalendar
from simulation.staff import CASE, TASK, WALKIN, Staffing, StaffPool, WorkItem


class Clock:
    """A minimal event loop: `at(t, handler, arg)` and `run()`."""

    def __init__(self):
        self.heap, self.seq = [], 0

    def at(self, t, handler, arg):
        self.seq += 1
        heapq.heappush(self.heap, (t, self.seq, handler, arg))

    def run(self, until=math.inf):
        while self.heap and self.heap[0][0] < until:
            t, _, handler, arg = heapq.heappop(self.heap)
            handler(t, arg)


def erlang_c_wait(c: int, lam: float, mu: float) -> float:
    """Mean wait in queue of an M/M/c queue (Erlang C)."""
    a = lam / mu
    rho = a / c
    terms = sum(a**k / math.factorial(k) for k in range(c))
    top = a**c / math.factorial(c) / (1 - rho)
    p_wait = top / (terms + top)
    return p_wait / (c * mu - lam)


@pytest.mark.parametrize("servers, rho", [(1, 0.7), (3, 0.8), (10, 0.9)])
def test_one_unit_queue_agrees_with_erlang_c(servers, rho):
    rng = np.random.default_rng(servers)
    mu = 1 / 30.0  # 30-minute mean service
    lam = rho * servers * mu
    n = 40_000
    arrivals = np.cumsum(rng.exponential(1 / lam, n))
    service = rng.exponential(1 / mu, n)
    clock = Clock()
    waits = []

    def started(item, t):
        waits.append(t - item.arrived)

    pool = StaffPool({"caseworker": servers}, "fifo", round_the_clock=True)
    staff = Staffing([pool], OfficeCalendar(0, 24, 7), 60.0, clock.at,
                     on_first_start={CASE: started}, on_finished={CASE: lambda i, t: None})
    for k in range(n):
        clock.at(arrivals[k], lambda t, k: staff.submit(
            WorkItem(CASE, 0, service[k], t, t, case=k), t), k)
    clock.run()
    warm = n // 10
    measured = float(np.mean(waits[warm:]))
    expected = erlang_c_wait(servers, lam, mu)
    assert measured == pytest.approx(expected, rel=0.15), (measured, expected)
    busy = pool.busy_min["caseworker"] / (arrivals[-1] * servers)
    assert busy == pytest.approx(rho, abs=0.03)


def _unit(priority: str, staff=None):
    clock = Clock()
    order = []
    pool = StaffPool(staff or {"caseworker": 1}, priority, round_the_clock=True)
    done = {c: (lambda item, t: order.append(item.ref)) for c in (CASE, TASK, WALKIN)}
    staffing = Staffing([pool], OfficeCalendar(0, 24, 7), 600.0, clock.at,
                        on_first_start={}, on_finished=done)
    return clock, staffing, order


@pytest.mark.parametrize("priority, expected", [
    ("fifo", ["busy", "task_late", "case_soon", "task_soon", "scored"]),
    ("deadline", ["busy", "case_soon", "task_soon", "scored", "task_late"]),
    ("cases_first", ["busy", "case_soon", "scored", "task_soon", "task_late"]),
    ("evaluation", ["busy", "scored", "case_soon", "task_soon", "task_late"]),
])
def test_priority_rules_order_the_work(priority, expected):
    clock, staff, order = _unit(priority)
    staff.submit(WorkItem(CASE, 0, 10, 0, 0, case=0, ref="busy"), 0)  # occupies the one server
    staff.submit(WorkItem(TASK, 0, 10, 500, 1, ref="task_late"), 1)
    staff.submit(WorkItem(CASE, 0, 10, 100, 2, case=1, ref="case_soon"), 2)
    staff.submit(WorkItem(TASK, 0, 10, 150, 3, ref="task_soon"), 3)
    staff.submit(WorkItem(CASE, 0, 10, 300, 4, case=2, scored=True, ref="scored"), 4)
    clock.run()
    assert order == expected


def test_divisible_work_gives_way_between_stretches():
    clock, s, order = _unit("deadline")
    s.chunk = 60.0
    s.submit(WorkItem(TASK, 0, 300, 1000, 0, ref="task"), 0)
    clock.at(30, lambda t, _: s.submit(WorkItem(WALKIN, 0, 10, t, t, case=0, ref="walk-in"), t),
             None)
    clock.run()
    # the walk-in waited for the end of the first one-hour stretch, not the whole task
    assert order == ["walk-in", "task"]
    assert s.pools[0].busy_min["caseworker"] == pytest.approx(310)


def test_queue_left_at_closing_goes_first_at_an_odd_opening_time():
    """Work queued overnight starts at the opening minute, ahead of later arrivals, even
    when opening is not on a patrol tick (8:37)."""
    cal = OfficeCalendar(8 + 37 / 60, 17.5, 7)
    clock = Clock()
    starts = {}
    pool = StaffPool({"caseworker": 1}, "fifo")
    staff = Staffing([pool], cal, 60.0, clock.at,
                     on_first_start={CASE: lambda item, t: starts.setdefault(item.ref, t)},
                     on_finished={CASE: lambda item, t: None})
    opening = cal.next_open(1440.0)
    clock.at(1200.0, lambda t, _: staff.submit(WorkItem(CASE, 0, 20, t, t, case=0,
                                                        ref="overnight"), t), None)
    clock.at(opening, lambda t, _: staff.fill(pool, t), None)  # the engine's opening event
    clock.at(opening + 1, lambda t, _: staff.submit(WorkItem(CASE, 0, 20, t, t, case=1,
                                                             ref="later"), t), None)
    clock.run()
    assert starts["overnight"] == pytest.approx(opening)
    assert starts["later"] == pytest.approx(opening + 20)


def test_work_left_over_the_midday_break_starts_when_offices_reopen():
    from simulation.model import GovernanceModel

    m = GovernanceModel("hierarchy_2011", seed=1, scale=0.02, days=1)
    m.run_until(12 * 60 + 30)  # lunch: offices closed
    uid = int(m.structure.community_units[0])
    item = WorkItem(TASK, uid, 30.0, 2000.0, m.time_min, ref=[1, 0, False])
    m.engine.submit(item, m.time_min)
    assert item.first_start < 0
    m.run_until(15 * 60)
    reopen = m.calendar.next_open(12 * 60 + 30)
    assert reopen == 14 * 60
    assert item.first_start == pytest.approx(reopen)
