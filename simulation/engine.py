"""The life of a case, event by event, in continuous minutes.

One loop takes, in time order, the next of three things (ties in this order):

1. a patrol tick (every `calendar.patrol_tick_min`): shifts change, police, joint-defence
   members and grid workers move in one numpy step, patrols and grid rounds find
   unreported needs, visits are made at the start of each working day, and on the hour
   a row of the time series is recorded;
2. the next need's onset, from the needs drawn before the run (already sorted);
3. the next event on the heap `(time, sequence, kind, case, arg)`.

A need's path: onset -> reported (walk-in, hotline, emergency call, found by a grid
worker or patrol) or, unreported until its patience runs out, unreached -> arrives at a
unit -> queues for a server of the right pool -> served: if the unit has authority this
is the first response, else an intake, then a hand-off up a level after the hand-off
delay -> resolved after the lead time. Public-order incidents go to the nearest free
officer instead: first response on arrival, resolved when cleared.
"""

from __future__ import annotations

import heapq
import math
from typing import TYPE_CHECKING

import numpy as np

from .geometry import octile
from .needs import U
from .parameters import KINDS
from .structure import Unit

if TYPE_CHECKING:  # pragma: no cover
    from .model import GovernanceModel

NAN = math.nan
PUBLIC_ORDER = KINDS.index("public_order")
WELFARE = KINDS.index("welfare")
DISPUTE = KINDS.index("dispute")
# event kinds
WALK_IN, ARRIVE, DONE, RESOLVE, GIVE_UP, ON_SITE, CLEAR, CALL, PETITION = range(9)
# channels
CHANNELS = ("walk_in", "hotline", "emergency", "grid", "patrol")
CH_WALK, CH_HOTLINE, CH_EMERGENCY, CH_GRID, CH_PATROL = range(5)


class Engine:
    """Runs the cases of one model. See the module docstring for the loop."""

    def __init__(self, model: GovernanceModel):
        self.m = model
        p = model.params
        self.cal = model.calendar
        self.units: list[Unit] = model.structure.units
        self.heap: list = []
        self.seq = 0
        self.now = 0.0
        c = model.needs
        self.n = n = len(c["onset"])
        self.onset = c["onset"].tolist()
        self.kind = c["kind"].tolist()
        self.resident = c["resident"].tolist()
        self.cell = c["cell"].tolist()
        self.complex = c["complex"].tolist()
        self.handling = c["handling_min"].tolist()
        self.lead = c["lead_min"].tolist()
        u = c["u"]
        self.u_report = u[:, U["report"]].tolist()
        self.u_channel = u[:, U["channel"]].tolist()
        self.u_delay = u[:, U["delay"]].tolist()
        self.u_eligible = u[:, U["eligible"]].tolist()
        self.u_petition = u[:, U["petition"]].tolist()
        self.rural_registered = c["rural_registered"].tolist()
        # outcomes
        self.reported = [NAN] * n
        self.arrived = [NAN] * n
        self.first_response = [NAN] * n
        self.resolved = [NAN] * n
        self.gave_up = [NAN] * n
        self.travel = [NAN] * n
        self.channel = [-1] * n
        self.handoffs = [0] * n
        self.first_unit = [-1] * n
        self.final_unit = [-1] * n
        self.entry = [-1] * n
        self.rural_channel = [False] * n
        self.ineligible = [False] * n
        self.petition = [NAN] * n
        self.next_onset = 0
        # residents
        res = model.residents
        self.trust = res.trust  # numpy, changed in place
        self.trust_sum = float(res.trust.sum())
        area = model.structure.area_of_cell[res.home]
        self.res_unit = model.structure.area_unit[area].tolist()
        su = model.structure
        own_cell = np.array([self.units[x].cell for x in su.area_unit])[area]
        h = model.city.height
        walk = octile(res.home // h - own_cell // h, res.home % h - own_cell % h)
        walk_m_per_min = p["access"]["walk_speed_kmh"] * 1000 / 60
        self.res_walk_min = (walk * model.city.cell_m / walk_m_per_min).tolist()
        # without unified registration, rural-registered residents' welfare goes to the
        # nearest town government's rural office
        towns = su.town_units
        if len(towns):
            tc = np.array([self.units[x].cell for x in towns])
            d = octile(res.home[:, None] // h - tc[None, :] // h,
                       res.home[:, None] % h - tc[None, :] % h)
            self.res_town = towns[np.argmin(d, axis=1)].tolist()
            self.res_town_walk = (d.min(axis=1) * model.city.cell_m / walk_m_per_min).tolist()
        self.unified = p["registration"]["unified"] or not len(towns)
        self.ineligible_share = p["registration"]["ineligible_share"]
        self.escalate = su.escalate
        med = p["mediation"]
        self.petition_base = med["petition_base"]
        self.dispute_target = p["needs"]["target_h"]["dispute"] * 60.0
        self.petitions = 0
        # parameters by kind
        nd, tr = p["needs"], p["trust"]
        self.hotline_w = tr["hotline_trust_weight"]
        self.patience_min = [nd["patience_days"][k] * 1440.0 for k in KINDS]
        self.expected_min = [tr["expected_response_h"][k] * 60.0 for k in KINDS]
        self.lr = tr["learning_rate"]
        self.report_base = nd["report_base"]
        self.report_w = nd["report_trust_weight"]
        self.trip_pen = nd["report_trip_penalty_per_h"]
        self.walkin_delay = nd["walkin_delay_mean_h"] * 60.0
        self.intake = nd["intake_min"]
        hl = p["hotline"]
        self.hotline = model.hotline_unit
        self.hotline_share = hl["share"]
        self.hotline_delay = hl["delay_mean_min"]
        self.linked = hl["linked_dispatch"]
        self.handoff_min = {lv: v * 60.0 for lv, v in su.handoff_h.items()}
        po = p["police"]
        self.police = model.police
        self.call_delay = po["call_delay_min"]
        self.patrol_share = po["patrol_time_share"]
        self.patrol_rng = model.streams.get("patrol.moving")
        self.police_report = po["report_prob"]
        # unreported needs that a patrol or grid worker could find, by cell
        n_cells = model.city.width * h
        self.pending: dict[int, list[int]] = {}
        self.pending_grid = np.zeros(n_cells, np.int32)
        self.pending_police = np.zeros(n_cells, np.int32)
        self.grid_rng = model.streams.get("grid.find")
        self.find_prob = p["grid"]["find_prob"]
        self.grid_on = p["structure"]["grid_responsibility"]
        # patrols
        self.tick = p["calendar"]["patrol_tick_min"]
        self.next_tick = 0.0
        self.last_patrol = np.full(n_cells, -np.inf)
        self.inhabited = np.flatnonzero(model.city.density.ravel() > 0)
        self.coverage_samples: list[float] = []
        self.timeseries: list[tuple] = []
        self.next_hour = 0.0
        self.last_shift = -1
        self.last_day = -1
        self.counts = {"reported": 0, "resolved": 0, "gave_up": 0}

    # ------------------------------------------------------------------ loop
    def push(self, t: float, ev: int, case: int, arg: int = 0) -> None:
        self.seq += 1
        heapq.heappush(self.heap, (t, self.seq, ev, case, arg))

    def run_until(self, t_end: float) -> None:
        heap, onset = self.heap, self.onset
        handlers = (self.on_walk_in, self.on_arrive, self.on_done, self.on_resolve,
                    self.on_give_up, self.on_site, self.on_clear, self.on_call,
                    self.on_petition_check)
        while True:
            t_heap = heap[0][0] if heap else math.inf
            t_on = onset[self.next_onset] if self.next_onset < self.n else math.inf
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
                self.on_onset(self.next_onset, t_on)
                self.next_onset += 1
            else:
                if t_heap >= t_end:
                    break
                t, _, ev, case, arg = heapq.heappop(heap)
                self.now = t
                handlers[ev](case, t, arg)
        self.now = t_end

    # ------------------------------------------------------------ reporting
    def on_onset(self, c: int, t: float) -> None:
        k = self.kind[c]
        if k == PUBLIC_ORDER:
            if self.u_report[c] < self.police_report:
                self.push(t + self.call_delay, CALL, c, CH_EMERGENCY)
            else:
                self.wait_unreported(c, t, police=True)
            return
        r = self.resident[c]
        if k == DISPUTE:
            self.push(t + self.dispute_target, PETITION, c)
        entry, walk_min = self.res_unit[r], self.res_walk_min[r]
        if k == WELFARE and not self.unified and self.rural_registered[c]:
            if self.u_eligible[c] < self.ineligible_share:
                self.ineligible[c] = True
                self.give_up(c, t)
                return
            # the separate rural system: the town's rural office, then the city
            entry, walk_min = self.res_town[r], self.res_town_walk[r]
            self.complex[c] = True
            self.rural_channel[c] = True
        self.entry[c] = entry
        trust = self.trust[r]
        hotline = self.hotline is not None and \
            self.u_channel[c] < self.hotline_share + self.hotline_w * (0.5 - trust)
        trip_h = 0.0 if hotline else walk_min / 60.0
        p = self.report_base + self.report_w * (trust - 0.5) - self.trip_pen * trip_h
        if self.u_report[c] >= p:
            self.wait_unreported(c, t, police=False)
        elif hotline:
            delay = -self.hotline_delay * math.log1p(-self.u_delay[c])
            self.push(t + delay, CALL, c, CH_HOTLINE)
        else:
            delay = -self.walkin_delay * math.log1p(-self.u_delay[c])
            depart = self.cal.next_open(t + delay)
            self.push(depart + walk_min, WALK_IN, c)
            self.add_pending(c, police=False)

    def wait_unreported(self, c: int, t: float, police: bool) -> None:
        self.add_pending(c, police)
        self.push(t + self.patience_min[self.kind[c]], GIVE_UP, c)

    def add_pending(self, c: int, police: bool) -> None:
        cell = self.cell[c]
        self.pending.setdefault(cell, []).append(c)
        (self.pending_police if police else self.pending_grid)[cell] += 1

    def drop_pending(self, c: int) -> None:
        cell = self.cell[c]
        lst = self.pending.get(cell)
        if lst and c in lst:
            lst.remove(c)
            if not lst:
                del self.pending[cell]
            (self.pending_police if self.kind[c] == PUBLIC_ORDER else self.pending_grid)[cell] -= 1

    def mark_reported(self, c: int, t: float, channel: int) -> None:
        self.reported[c] = t
        self.channel[c] = channel
        self.counts["reported"] += 1

    def on_walk_in(self, c: int, t: float, _arg: int) -> None:
        if self.reported[c] == self.reported[c]:  # found by a grid worker first
            return
        self.drop_pending(c)
        self.mark_reported(c, t, CH_WALK)
        unit = self.units[self.entry[c]]
        self.first_unit[c] = unit.id
        self.arrive(c, unit, unit.desk or unit.cases, t)

    def on_call(self, c: int, t: float, channel: int) -> None:
        self.mark_reported(c, t, channel)
        if channel in (CH_EMERGENCY, CH_PATROL):
            self.arrived[c] = t
            self.dispatch(c, t)
        else:  # 12345 hotline
            self.first_unit[c] = self.hotline.id
            self.arrive(c, self.hotline, self.hotline.cases, t)

    def on_give_up(self, c: int, t: float, _arg: int) -> None:
        if self.reported[c] == self.reported[c]:
            return
        self.drop_pending(c)
        self.give_up(c, t)

    def give_up(self, c: int, t: float) -> None:
        self.gave_up[c] = t
        self.counts["gave_up"] += 1
        self.satisfy(c, 0.0)

    def on_petition_check(self, c: int, t: float, _arg: int) -> None:
        """A dispute still unsettled at its target may become a petition (上访)."""
        if self.resolved[c] == self.resolved[c]:
            return
        if self.u_petition[c] < self.petition_base * (1.0 - self.trust[self.resident[c]]):
            self.petition[c] = t
            self.petitions += 1

    # ---------------------------------------------------------------- units
    def arrive(self, c: int, unit: Unit, pool, t: float) -> None:
        self.final_unit[c] = unit.id
        if unit.can_resolve(self.kind[c], self.complex[c]):
            self.arrived[c] = t
        if pool.free > 0 and (pool.round_the_clock or self.cal.is_open(t)):
            self.start(c, unit, pool, t)
        else:
            pool.queue.append((c, unit.id))

    def start(self, c: int, unit: Unit, pool, t: float) -> None:
        pool.free -= 1
        if unit.can_resolve(self.kind[c], self.complex[c]):
            self.first_response[c] = t
            self.satisfy(c, self.satisfaction(c, t - self.onset[c]))
            dur = self.handling[c]
        elif unit.dispatches:
            dur = unit.call_min
        else:
            dur = self.intake
        pool.busy_min += dur
        self.push(t + dur, DONE, c, unit.id * 2 + (pool is unit.desk and pool is not unit.cases))

    def on_done(self, c: int, t: float, code: int) -> None:
        unit = self.units[code // 2]
        pool = unit.desk if code % 2 else unit.cases
        pool.free += 1
        if pool.queue and (pool.round_the_clock or self.cal.is_open(t)):
            nc, _ = pool.queue.popleft()
            self.start(nc, unit, pool, t)
        k = self.kind[c]
        if unit.can_resolve(k, self.complex[c]):
            lead = self.lead[c]
            if lead > 0:
                self.push(t + lead, RESOLVE, c)
            else:
                self.on_resolve(c, t, 0)
        elif unit.dispatches:
            target = self.entry[c]
            if self.linked:
                target = int(self.m.structure.resolver[target, k, int(self.complex[c])])
            nxt = self.units[target]
            self.arrive(c, nxt, nxt.cases, t)
        else:
            nxt = self.units[self.escalate[unit.id, k]]
            self.handoffs[c] += 1
            self.push(self.cal.add_working(t, self.handoff_min[unit.level]), ARRIVE, c, nxt.id)

    def on_arrive(self, c: int, t: float, uid: int) -> None:
        unit = self.units[uid]
        self.arrive(c, unit, unit.cases, t)

    def on_resolve(self, c: int, t: float, _arg: int) -> None:
        self.resolved[c] = t
        self.counts["resolved"] += 1

    def open_offices(self, t: float) -> None:
        for unit in self.units:
            for pool in {id(p): p for p in (unit.desk, unit.cases) if p is not None}.values():
                while pool.free > 0 and pool.queue:
                    nc, _ = pool.queue.popleft()
                    self.start(nc, unit, pool, t)

    # --------------------------------------------------------------- police
    def dispatch(self, c: int, t: float) -> None:
        pol = self.police
        w = self.m.walkers
        i, drive = pol.nearest(pol.available(t), w.x[:pol.n], w.y[:pol.n], self.cell[c])
        if i < 0:
            pol.waiting.append(c)
            return
        self.send(i, c, t, drive)

    def send(self, i: int, c: int, t: float, drive: float) -> None:
        self.travel[c] = drive
        self.police.busy_until[i] = math.inf
        self.push(t + drive, ON_SITE, c, i)

    def on_site(self, c: int, t: float, i: int) -> None:
        self.first_response[c] = t
        self.final_unit[c] = -1
        self.satisfy(c, self.satisfaction(c, t - self.onset[c]))
        self.m.walkers.place(np.array([i]), np.array([self.cell[c]]))
        self.push(t + self.handling[c], CLEAR, c, i)

    def on_clear(self, c: int, t: float, i: int) -> None:
        pol = self.police
        pol.busy_until[i] = t
        lead = self.lead[c]
        if lead > 0:
            self.push(t + lead, RESOLVE, c)
        else:
            self.on_resolve(c, t, 0)
        if pol.waiting and pol.officer_shift[i] == pol.on_duty_shift(t):
            nc = pol.waiting.popleft()
            cell = self.cell[nc]
            w = self.m.walkers
            h = pol.height
            d = float(octile(w.x[i] - cell // h, w.y[i] - cell % h))
            self.send(i, nc, t, d * pol.cell_m / pol.drive_m_per_min)

    # ---------------------------------------------------------------- trust
    def satisfaction(self, c: int, response: float) -> float:
        exp = self.expected_min[self.kind[c]]
        return 1.0 if response <= exp else exp / response

    def satisfy(self, c: int, s: float) -> None:
        r = self.resident[c]
        old = self.trust[r]
        new = old + self.lr * (s - old)
        self.trust[r] = new
        self.trust_sum += new - old

    # -------------------------------------------------------------- patrols
    def on_tick(self, t: float) -> None:
        m, pol, w = self.m, self.police, self.m.walkers
        shift = pol.on_duty_shift(t)
        if shift != self.last_shift:
            self.last_shift = shift
            starting = np.flatnonzero(pol.officer_shift == shift)
            idle = starting[pol.busy_until[starting] <= t]
            w.place(idle, pol.base_cells[pol.officer_base[idle]])
            while pol.waiting:
                free = pol.available(t)
                if not free.any():
                    break
                self.dispatch(pol.waiting.popleft(), t)
        day = int(t // 1440)
        if day != self.last_day and t - day * 1440 >= self.cal.open_min:
            self.last_day = day
            m.visits.day(day, t)
            if self.cal.is_workday(day):
                self.open_offices(t)
        active = np.zeros(len(w), bool)
        on = (pol.officer_shift == shift) & (pol.busy_until <= t)
        active[:pol.n] = on & (self.patrol_rng.random(pol.n) < self.patrol_share)
        office_open = self.cal.is_open(t)
        if self.grid_on and office_open:
            active[pol.n:] = True
        cells, who = w.step(active)
        is_patrol = who < pol.n
        pc = cells[is_patrol]
        self.last_patrol[pc] = t
        hits = pc[self.pending_police[pc] > 0]
        for cell in np.unique(hits).tolist():
            for c in [x for x in self.pending.get(cell, ()) if self.kind[x] == PUBLIC_ORDER]:
                self.drop_pending(c)
                self.on_call(c, t, CH_PATROL)
        if self.grid_on and office_open:
            gc = cells[~is_patrol]
            hits = np.unique(gc[self.pending_grid[gc] > 0])
            for cell in hits.tolist():
                for c in [x for x in self.pending.get(cell, ()) if self.kind[x] != PUBLIC_ORDER]:
                    if self.grid_rng.random() < self.find_prob:
                        self.drop_pending(c)
                        self.mark_reported(c, t, CH_GRID)
                        unit = self.units[self.entry[c]]
                        self.first_unit[c] = unit.id
                        self.arrive(c, unit, unit.cases, t)
        if t >= self.next_hour:
            self.record_hour(t)
            self.next_hour += 60.0

    def patrol_coverage(self, t: float) -> float:
        return float((self.last_patrol[self.inhabited] >= t - 1440.0).mean())

    def record_hour(self, t: float) -> None:
        cov = self.patrol_coverage(t) if t >= 1440.0 else NAN
        if t >= 1440.0:
            self.coverage_samples.append(cov)
        queued = sum(len(u.cases.queue) + (len(u.desk.queue) if u.desk and u.desk is not u.cases
                                           else 0) for u in self.units)
        pol = self.police
        self.timeseries.append((
            t / 60.0, self.next_onset, self.counts["reported"], self.counts["resolved"],
            self.counts["gave_up"], self.counts["reported"] - self.counts["resolved"], queued,
            int((pol.busy_until > t).sum()), len(pol.waiting), cov,
            self.trust_sum / max(1, len(self.trust)), self.petitions))


TIMESERIES_COLUMNS = ("hour", "needs_arisen", "reported", "resolved", "gave_up",
                      "backlog", "queued_at_units", "officers_busy", "calls_waiting",
                      "patrol_coverage_24h", "mean_trust", "petitions")
