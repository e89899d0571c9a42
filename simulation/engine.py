"""The clock: events in continuous minutes, staff at work, patrols every tick.

One loop takes, in time order, the next of three things (ties in this order):

1. a patrol tick (every `calendar.patrol_tick_min`): police shifts change, and police,
   joint-defence members and grid workers on their rounds move in one numpy step;
   patrols and rounds find unreported needs;
2. the next need's onset, from the needs drawn before the run (already sorted);
3. the next event on the heap `(time, sequence, handler, argument)`, where the handler
   is a bound method of the part of the model it belongs to (cases, tasks, visits, the
   staff) — ties break by sequence, so the order is fixed.

Staff: `submit` gives work to a unit; a free member of staff who may do it starts at
once if the unit is open, otherwise it waits in the unit's queues. When a stretch of work
ends the member takes the next item by the unit's priority rule. Every working day at
opening time the day's visits and grid rounds are put in the queues and every unit's
free staff start on what waits.
"""

from __future__ import annotations

import heapq
import math
from typing import TYPE_CHECKING

import numpy as np

from .calendar import DAY
from .cases import PUBLIC_ORDER, CaseFlow
from .coverage import PeopleWhere
from .movement import mark_passes
from .staff import (
    CALL,
    CASE,
    CONSULT,
    REFERRAL,
    ROUND,
    SUPERVISION,
    TASK,
    VISIT,
    WALKIN,
    Staffing,
    StaffPool,
    WorkItem,
)
from .tasks import TaskBook
from .visits import Visits

if TYPE_CHECKING:  # pragma: no cover
    from .model import GovernanceModel


class Engine:
    """Runs one model's events. See the module docstring for the loop."""

    def __init__(self, model: GovernanceModel):
        self.m = model
        p = model.params
        self.cal = model.calendar
        self.heap: list = []
        self.seq = 0
        self.now = 0.0
        st = model.structure
        prio = p["staff"]["priority"]
        self.pools = [StaffPool(dict(u.staff), prio, u.round_the_clock) for u in st.units]
        self.cases = c = CaseFlow(self)
        self.tasks = TaskBook(self)
        self.visits = Visits(self)
        case_classes = (WALKIN, CASE, CALL, REFERRAL, CONSULT)
        self.staff = Staffing(
            self.pools, self.cal, p["staff"]["chunk_h"] * 60.0, self.at,
            on_first_start=dict.fromkeys(case_classes, c.on_item_start),
            on_finished={**dict.fromkeys(case_classes, c.on_item_done),
                         TASK: self.tasks.on_task_done, SUPERVISION: _nothing,
                         VISIT: self.visits.on_visit_done, ROUND: _nothing},
            on_stretch={ROUND: (self._set_out, self._come_back)})
        self.submit = self.staff.submit
        self.onset = c.onset
        self.next_onset = 0
        self._set_up_patrols(model, p)
        self.at(self.cal.next_open(0.0), self.on_open, 0)
        self.tasks.start()

    def _set_up_patrols(self, model: GovernanceModel, p: dict) -> None:
        self.police = model.police
        self.walkers = model.walkers
        self.tick = p["calendar"]["patrol_tick_min"]
        self.next_tick = 0.0
        self.patrol_share = p["police"]["patrol_time_share"]
        self.patrol_rng = model.streams.get("patrol.moving")
        self.grid_rng = model.streams.get("grid.find")
        self.find_prob = p["grid"]["find_prob"]
        self.grid_on = p["structure"]["grid_responsibility"]
        self.round_min = p["grid"]["round_h_per_day"] * 60.0
        self.rounds_missed_min = 0.0
        n_cells = model.city.width * model.city.height
        self.last_patrol = np.full(n_cells, -np.inf)
        self.inhabited = np.flatnonzero(model.city.density.ravel() > 0)
        self.people = PeopleWhere(model)
        self.last_shift = -1
        # grid workers' walkers by unit: who is free to start a stretch of round
        self.walking = np.zeros(len(self.walkers), bool)
        self.idle_walkers = {uid: list(ws) for uid, ws in model.grid_walkers.items()}

    # ------------------------------------------------------------------ loop
    def at(self, t: float, handler, arg) -> None:
        """Call `handler(t, arg)` at minute `t`."""
        self.seq += 1
        heapq.heappush(self.heap, (t, self.seq, handler, arg))

    def run_until(self, t_end: float) -> None:
        heap, onset, n = self.heap, self.onset, len(self.onset)
        on_onset = self.cases.on_onset
        while True:
            t_heap = heap[0][0] if heap else math.inf
            t_on = onset[self.next_onset] if self.next_onset < n else math.inf
            if self.next_tick <= t_heap and self.next_tick <= t_on:
                if self.next_tick >= t_end:
                    break
                self.now = self.next_tick
                self.on_tick(self.now)
                self.next_tick += self.tick
            elif t_on <= t_heap:
                if t_on >= t_end:
                    break
                self.now = t_on
                self.next_onset += 1
                on_onset(self.next_onset - 1, t_on)
            else:
                if t_heap >= t_end:
                    break
                t, _, handler, arg = heapq.heappop(heap)
                self.now = t
                handler(t, arg)
        self.now = t_end

    def on_open(self, t: float, _arg: int) -> None:
        """Offices open (in the morning, or after the midday break): every unit's free
        staff start on what waits; in the morning, the day's visits and rounds first."""
        if t - int(t // DAY) * DAY == self.cal.open_min:
            self._start_day(t)
        for pool in self.pools:
            self.staff.fill(pool, t)
        nxt = self.cal.next_open(self.cal.closing_after(t))
        if nxt < self.m.days * DAY:
            self.at(nxt, self.on_open, 0)

    def _start_day(self, t: float) -> None:
        self.visits.day(t)
        if self.grid_on and self.round_min > 0:
            close = self.cal.closing_of(int(t // DAY))
            for uid, walkers in self.m.grid_walkers.items():
                for item in self.pools[uid].drop_expired(ROUND, t):
                    self.rounds_missed_min += item.minutes
                for _ in walkers:
                    self.submit(WorkItem(ROUND, uid, self.round_min, close, t), t)

    def _set_out(self, item: WorkItem) -> None:
        """A grid worker of the unit sets out on a stretch of round..."""
        item.ref = self.idle_walkers[item.unit].pop()
        self.walking[item.ref] = True

    def _come_back(self, item: WorkItem) -> None:
        """...and comes back."""
        self.walking[item.ref] = False
        self.idle_walkers[item.unit].append(item.ref)

    def utilisation_of(self, uid: int) -> float | None:
        """Busy share of the paid hours of unit `uid`'s staff so far."""
        return self.staff.utilisation(uid, self.now)

    # ---------------------------------------------------------------- police
    def dispatch(self, c: int, t: float) -> None:
        """An officer chosen by the dispatch rule drives to incident `c`, or it waits."""
        pol, w = self.police, self.walkers
        i, drive = pol.choose(t, w.x[:pol.n], w.y[:pol.n], self.cases.cell[c])
        if i < 0:
            pol.wait(0 if self.cases.priority1[c] else 1, t, c)
            return
        self._send_officer(i, c, t, drive)

    def _send_officer(self, i: int, c: int, t: float, drive: float) -> None:
        self.police.busy_until[i] = math.inf
        self.at(t + drive, self.on_site, (c, i, drive))

    def on_site(self, t: float, arg: tuple[int, int, float]) -> None:
        c, i, drive = arg
        self.cases.police_on_site(c, t, int(self.police.officer_base[i]), drive)
        self.walkers.place(np.array([i]), np.array([self.cases.cell[c]]))
        self.at(t + self.cases.handling[c], self.on_clear, (c, i))

    def on_clear(self, t: float, arg: tuple[int, int]) -> None:
        c, i = arg
        pol = self.police
        pol.busy_until[i] = t
        self.cases.police_cleared(c, t)
        if pol.waiting and pol.officer_shift[i] == pol.on_duty_shift(t):
            nc = pol.next_waiting()
            drive = float(pol.drive_min(self.walkers.x[i], self.walkers.y[i],
                                        self.cases.cell[nc]))
            self._send_officer(i, nc, t, drive)

    # --------------------------------------------------------------- patrols
    def on_tick(self, t: float) -> None:
        pol, w, cases = self.police, self.walkers, self.cases
        shift = pol.on_duty_shift(t)
        if shift != self.last_shift:
            self.last_shift = shift
            starting = np.flatnonzero(pol.officer_shift == shift)
            idle = starting[pol.busy_until[starting] <= t]
            w.place(idle, pol.base_cells[pol.officer_base[idle]])
            while pol.waiting:
                if not pol.available(t).any():
                    break
                self.dispatch(pol.next_waiting(), t)
        active = self.walking.copy()
        on = (pol.officer_shift == shift) & (pol.busy_until <= t)
        active[:pol.n] = on & (self.patrol_rng.random(pol.n) < self.patrol_share)
        cells, who = w.step(active)
        police_hits, grid_hits = mark_passes(cells, who, pol.n, self.last_patrol,
                                             cases.pending_police, cases.pending_grid, t)
        for cell in police_hits.tolist():
            for c in [x for x in cases.pending.get(cell, ()) if cases.kind[x] == PUBLIC_ORDER]:
                cases.found(c, t, by_patrol=True)
        if self.grid_on:
            for cell in grid_hits.tolist():
                for c in [x for x in cases.pending.get(cell, ())
                          if cases.kind[x] != PUBLIC_ORDER]:
                    if self.grid_rng.random() < self.find_prob:
                        cases.found(c, t, by_patrol=False)

    # ----------------------------------------------------------- inspection
    def locate_cases(self) -> dict[str, list[int]]:
        """Where every arisen case is now, read from the engine's own structures.

        Places: not yet reported (`cases.unreported`), on its way (an officer driving
        to it), in a unit's queue (or waiting for an officer), in service (staff at work
        on it, an officer on site, or being carried out), waiting for a decision,
        resolved, given up. A case found in no place, or in two, is a bug.
        """
        cs = self.cases
        out: dict[str, list[int]] = {"not_reported": list(cs.unreported), "on_its_way": [],
                                     "queue": self.police.waiting_cases(), "in_service": [],
                                     "deciding": list(cs.deciding), "resolved": [],
                                     "gave_up": []}
        for _, _, handler, arg in self.heap:
            fn = getattr(handler, "__func__", None)
            if fn is Engine.on_site:
                out["on_its_way"].append(arg[0])
            elif fn is Engine.on_clear or fn is CaseFlow.on_carried_out:
                out["in_service"].append(arg[0])
        for pool in self.pools:
            out["queue"].extend(i.case for i in pool.waiting_items() if i.case >= 0)
            out["in_service"].extend(i.case for i in pool.in_service if i.case >= 0)
        for c in range(self.next_onset):
            if cs.resolved[c] == cs.resolved[c]:
                out["resolved"].append(c)
            if cs.gave_up[c] == cs.gave_up[c]:
                out["gave_up"].append(c)
        return out


def _nothing(item: WorkItem, t: float) -> None:
    """Supervision and rounds leave nothing behind but the time they took."""
