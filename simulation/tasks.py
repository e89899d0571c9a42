"""Work from above: administrative tasks and supervision (上面千条线，下面一根针).

Each kind of task (`task_types`) is issued by one city department, `per_year` times a
year on working days (the same days in every structure: stream "tasks.schedule"). An
issue travels down the territorial tree: each unit above the communities first relays it
(`relay_h`), which passes it to the units below, and does its own part; each community
(or village) does its part. A layer's part is hours per community below it, so it grows
with the layer's span. Where a layer is absent, its part per community is done partly by
the communities (`tasks.absent_layer_share_down`) and partly by the layer above; where
villages have no service centre, their town does their part. Per-resident work
(household checks) scales with the residents a community serves, so merging communities
does not reduce it; fixed per-community work does.

Supervision: every Monday, each unit that supervises others (the territorial parent; the
line departments for the units at the top of the tree) gets time per subordinate, and
each supervised unit gets reporting time per supervisor.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from .calendar import DAY
from .staff import SUPERVISION, TASK, WorkItem

if TYPE_CHECKING:  # pragma: no cover
    from .engine import Engine

INTERMEDIATE = ("city", "district", "street_office", "town")


def growth_factor(rate: float, years_before: float, t_min: float) -> float:
    """Compound growth at `rate` a year after `years_before` years and `t_min` minutes."""
    return (1.0 + rate) ** (years_before + t_min / (365.0 * DAY))


class TaskBook:
    """The schedule of tasks and supervision, and what became of their items.

    Args:
        engine: the engine that runs the items.
    """

    def __init__(self, engine: Engine):
        self.e = engine
        m = engine.m
        st, p = m.structure, m.params
        self.st, self.cal = st, engine.cal
        self.types = p["task_types"]
        self.hours = [self._hours_per_unit(t, st, p) for t in self.types]
        self.issues = self._schedule(p, m.days, m.streams.get("tasks.schedule"))
        self.parcel_min = self.cal.day_minutes
        sup = p["supervision"]
        self.sup_h = sup["h_per_sub_week"]
        self.dept_sup_h = sup["department_h_per_sub_week"]
        self.report_h = sup["report_h_week"]
        levels = sorted({u.level for u in st.units})
        self.issued = dict.fromkeys(levels, 0)
        self.done = dict.fromkeys(levels, 0)
        self.overdue = dict.fromkeys(levels, 0)
        self.overdue_by_unit = [0] * len(st.units)

    # ------------------------------------------------------------------ set-up
    @staticmethod
    def _hours_per_unit(t: dict, st, p: dict) -> dict[int, float]:
        """Hours of one issue of task `t` at each unit that takes part (relays apart)."""
        s = p["structure"]
        down = p["tasks"]["absent_layer_share_down"]
        so, dist, dept = (t["street_office_h_per_community"], t["district_h_per_community"],
                          t["department_h_per_community"])
        no_so, no_d = s["street_offices"] == 0, s["districts"] == 0
        per_res = t["community_min_per_resident"] / 60.0
        hours: dict[int, float] = {}
        # what the communities inherit from absent layers, and what climbs to the top
        comm_extra = down * ((so if no_so else 0.0) + (dist if no_d else 0.0))
        dist_extra = (1 - down) * so if no_so else 0.0
        dept_extra = ((1 - down) * dist if no_d else 0.0) + \
            ((1 - down) * so if (no_so and no_d) else 0.0)
        for uid in st.community_units:
            u = st.units[uid]
            hours[int(uid)] = t["community_h"] + per_res * u.population + comm_extra
        for u in st.units:
            if u.level == "street_office":
                hours[u.id] = so * u.communities_below
            elif u.level == "district":
                hours[u.id] = (dist + dist_extra) * u.communities_below
            elif u.level == "village":
                hours[u.id] = t["community_h"] + per_res * u.population
            elif u.level == "town":
                own = [a for a in range(st.n_villages)
                       if st.area_unit[st.n_communities + a] == u.id]
                village_parts = sum(t["community_h"] + per_res * st.area_population[
                    st.n_communities + a] for a in own)
                hours[u.id] = so * u.communities_below + village_parts
        n_urban, n_rural = st.n_communities, st.n_villages
        issuer = st.department_by_name[t["department"]]
        hours[issuer] = dept * (n_urban + n_rural) + dept_extra * n_urban
        return hours

    def _schedule(self, p: dict, days: int, rng: np.random.Generator) -> list:
        """Issue times of every task over the horizon: `(minute, type index)`, sorted."""
        g = p["growth"]
        mult = p["tasks"]["volume_multiplier"]
        out = []
        for i, t in enumerate(self.types):
            phase = rng.random()  # drawn for every type, so types do not shift each other
            rate = t["per_year"] * mult
            if rate <= 0:
                continue
            # evenly spaced issues, closer together as tasks grow
            def factor(day: float) -> float:
                return growth_factor(g["tasks_per_year"], g["years_before_start"], day * DAY)

            day = phase * 365.0 / (rate * factor(0.0))
            while day < days:
                d = self.cal.next_workday(int(day))
                out.append((d * DAY + self.cal.open_min, i))
                day += 365.0 / (rate * factor(day))
        out.sort()
        return out

    def start(self) -> None:
        """Put the issues and the weekly supervision on the engine's clock."""
        for t, i in self.issues:
            self.e.at(t, self.on_issue, i)
        self.e.at(self.cal.next_workday(0) * DAY + self.cal.open_min, self.on_week, 0)

    # ------------------------------------------------------------------- tasks
    def on_issue(self, t: float, i: int) -> None:
        task = self.types[i]
        issuer = self.st.department_by_name[task["department"]]
        deadline = t + task["deadline_days"] * DAY
        self._reach(issuer, i, t, deadline)

    def _reach(self, uid: int, i: int, t: float, deadline: float) -> None:
        """Task `i` reaches unit `uid`: relay first where there are units below."""
        unit = self.st.units[uid]
        task = self.types[i]
        if unit.level in INTERMEDIATE and self._below(uid):
            self._item(uid, i, task["relay_h"], t, deadline, relay=True)
        else:
            self._part(uid, i, t, deadline)

    def _below(self, uid: int) -> list[int]:
        u = self.st.units[uid]
        return self.st.top_units if u.level == "city" else u.children

    def _part(self, uid: int, i: int, t: float, deadline: float) -> None:
        h = self.hours[i].get(uid, 0.0)
        if h > 0:
            self._item(uid, i, h, t, deadline, relay=False)

    def _item(self, uid: int, i: int, hours: float, t: float, deadline: float,
              relay: bool) -> None:
        """One task item at a unit, handed to its staff in parcels of at most a working
        day, so several members can work on a big one (a household check) at once."""
        task = self.types[i]
        scored = task["veto"] or task["category"] == "evaluation"
        n = max(1, math.ceil(hours * 60.0 / self.parcel_min))
        parts = [self.parcel_min] * (n - 1) + [hours * 60.0 - self.parcel_min * (n - 1)]
        record = [n, i, relay]  # parcels left
        self.issued[self.st.units[uid].level] += 1
        for minutes in parts:
            self.e.submit(WorkItem(TASK, uid, minutes, deadline, t, scored=scored,
                                   ref=record), t)

    def on_task_done(self, item: WorkItem, t: float) -> None:
        record = item.ref
        record[0] -= 1
        if record[0]:
            return
        _, i, relay = record
        level = self.st.units[item.unit].level
        self.done[level] += 1
        if t > item.deadline:
            self.overdue[level] += 1
            self.overdue_by_unit[item.unit] += 1
        if relay:
            for child in self._below(item.unit):
                self._reach(child, i, t, item.deadline)
            self._part(item.unit, i, t, item.deadline)

    def open_overdue(self, now: float) -> dict[str, int]:
        """Items not done and past their deadline, by level."""
        out: dict[str, int] = {}
        for uid, pool in enumerate(self.e.pools):
            items = list(pool.waiting_items()) + list(pool.in_service)
            records = {id(it.ref): it for it in items if it.cls == TASK}  # one per task item
            late = sum(1 for it in records.values() if it.deadline < now)
            if late:
                lv = self.st.units[uid].level
                out[lv] = out.get(lv, 0) + late
        return out

    # ------------------------------------------------------------- supervision
    def on_week(self, t: float, _arg: int) -> None:
        """Monday: supervision time at every supervisor, reporting time below."""
        st = self.st
        deadline = (math.floor(t / DAY) + 4) * DAY + self.cal.close_min
        for u in st.units:
            subs = len(self._below(u.id)) if u.level != "city" else len(st.top_units)
            per_sub = self.dept_sup_h if u.level == "city" else self.sup_h
            if u.level in INTERMEDIATE and subs and per_sub > 0:
                self.e.submit(WorkItem(SUPERVISION, u.id, per_sub * subs * 60.0, deadline, t),
                              t)
            n_sup = len(st.supervisors(u.id))
            if n_sup and self.report_h > 0:
                self.e.submit(WorkItem(SUPERVISION, u.id, self.report_h * n_sup * 60.0,
                                       deadline, t), t)
        nxt = self.cal.next_workday((int(t // DAY) // 7 + 1) * 7)
        if nxt < self.e.m.days:
            self.e.at(nxt * DAY + self.cal.open_min, self.on_week, 0)
