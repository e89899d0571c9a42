"""The life of a case: reported, accepted, referred, handled, decided, settled — or not.

A need arises (onset). The resident reports it when their day allows (see schedules.py),
by walking in to their service point or calling 12345; a grid worker or a patrol may find
it first; otherwise it is unreached once the resident's patience runs out. Public-order
incidents are called in to the police (see police handlers below).

At a unit, a case waits in the staff's queue like any other work. The unit that holds
the power for the matter handles it (the first such start is the *response*); a unit
without it takes it in and writes a referral, which goes to the next unit (`referral`
table of the structure). A government unit passing up a matter that needs approval or
enforcement signs it off at its decision cycle first. The unit with the power may need
another department's input (coordinated by the street office or town where there is
one), then decides at its own cycle (approval and enforcement matters), bounded by the
Administrative Licensing Law's limit; then the matter is carried out (lead time).

The outcome can fail: the chance of a real settlement falls with missing skills
(complex matters at communities) and with how rushed the unit was. After a failure the
resident contacts again, the case is escalated (a dispute becomes a petition), or the
resident gives up. Every unit a case passes is a hop record.

(This module is about 600 lines because a case's life is one state machine: its handlers
call each other in the order above, and splitting them would scatter one flow across
files.)
"""

from __future__ import annotations

import math
from array import array
from typing import TYPE_CHECKING

import numpy as np

from .geometry import octile, travel_min
from .needs import ATTEMPTS, U
from .parameters import KINDS, POWERS
from .schedules import Availability
from .staff import CALL, CASE, CONSULT, REFERRAL, WALKIN, WorkItem

if TYPE_CHECKING:  # pragma: no cover
    from .engine import Engine
    from .structure import Unit

NAN = math.nan
PUBLIC_ORDER = KINDS.index("public_order")
WELFARE = KINDS.index("welfare")
DISPUTE = KINDS.index("dispute")
CHANNELS = ("walk_in", "hotline", "emergency", "grid", "patrol")
CH_WALK, CH_HOTLINE, CH_EMERGENCY, CH_GRID, CH_PATROL = range(5)
OUTCOMES = ("resolved", "referred", "misrouted", "failed", "gave_up", "open")
RESOLVED, REFERRED, MISROUTED, FAILED, GAVE_UP, OPEN = range(6)
SERVE = 0


class CaseFlow:
    """Every case of a run: its state, its hops, and the handlers that move it.

    Args:
        engine: the engine that owns the clock and the staff.
    """

    def __init__(self, engine: Engine):
        self.e = engine
        m = engine.m
        p, st, res = m.params, m.structure, m.residents
        self.st, self.cal, self.units = st, engine.cal, st.units
        c = m.needs
        self.n = n = len(c["onset"])
        self.onset = c["onset"].tolist()
        self.kind = c["kind"].tolist()
        self.resident = c["resident"].tolist()
        self.cell = c["cell"].tolist()
        self.complex = c["complex"].tolist()
        self.handling = c["handling_min"].tolist()
        self.lead = c["lead_min"].tolist()
        self.rural_registered = c["rural_registered"].tolist()
        u = c["u"]
        # the uniform draws of every need, one column per use: C doubles (8 bytes each,
        # not a Python float's 32), read one at a time as plain floats
        col = {name: array("d", u[:, i].tobytes()) for name, i in U.items()}
        self.u = col
        self.u_ok = [col[f"ok{i}"] for i in range(ATTEMPTS)]
        self.u_branch = [col[f"branch{i}"] for i in range(ATTEMPTS)]
        self.u_redecide = [col[f"redecide{i}"] for i in range(ATTEMPTS)]
        self.extra = m.streams.get("outcomes.extra")
        target = [p["needs"]["target_h"][k] * 60.0 for k in KINDS]
        self.deadline = [t + target[k] for t, k in zip(self.onset, self.kind)]
        po = p["police"]
        self.priority1 = (u[:, U["priority"]] < po["priority1_share"]).tolist()
        self.incident_end = (c["onset"] - po["incident_duration_min"]
                             * np.log1p(-u[:, U["duration"]])).tolist()
        # state and records
        for name in ("reported", "acknowledged", "arrived_power", "first_response",
                     "resolved", "gave_up", "petition", "travel"):
            setattr(self, name, [NAN] * n)
        self.channel = [-1] * n
        self.contacts = [0] * n
        self.handoffs = [0] * n
        self.attempts = [0] * n
        self.first_unit = [-1] * n
        self.last_unit = [-1] * n
        self.entry = [-1] * n
        self.rural_channel = [False] * n
        self.ineligible = [False] * n
        self.from_hotline = [False] * n
        self.misrouted_to = [-1] * n
        self.consulted = [False] * n
        self.rush = [0.0] * n
        self.hop_of = [-1] * n
        self.version = [0] * n
        self.hop_case: list[int] = []
        self.hop_unit: list[int] = []
        self.hop_arrived: list[float] = []
        self.hop_started: list[float] = []
        self.hop_done: list[float] = []
        self.hop_outcome: list[int] = []
        self.hop_decision: list[float] = []
        # where cases are (besides staff queues and the heap)
        self.unreported: set[int] = set()
        self.deciding: dict[int, tuple[int, float]] = {}  # case -> (unit, since)
        self.pending: dict[int, list[int]] = {}
        n_cells = m.city.width * m.city.height
        self.pending_grid = np.zeros(n_cells, np.int32)
        self.pending_police = np.zeros(n_cells, np.int32)
        self.counts = {"reported": 0, "resolved": 0, "gave_up": 0, "gave_up_reported": 0,
                       "petitions": 0,
                       "repeat_contacts": 0, "decisions_extended": 0,
                       "decisions_over_limit": 0, "misrouted": 0}
        self._set_up_residents(m, p, st, res)
        self._set_up_rules(p, st)

    def _set_up_residents(self, m, p, st, res) -> None:
        acc, h = p["access"], m.city.height
        area = st.area_of_cell[res.home]
        self.res_unit = st.area_unit[area].tolist()
        own = np.array([u.cell for u in st.units])[st.area_unit[area]]
        self.res_walk_min = travel_min(res.home // h - own // h, res.home % h - own % h,
                                       m.city.cell_m, acc["walk_speed_kmh"],
                                       acc["detour_factor"]).tolist()
        self.res_area = area.tolist()
        towns = st.town_units
        if len(towns):
            tc = np.array([st.units[x].cell for x in towns])
            d = octile(res.home[:, None] // h - tc[None, :] // h,
                       res.home[:, None] % h - tc[None, :] % h)
            self.res_town = towns[np.argmin(d, axis=1)].tolist()
            self.res_town_walk = (d.min(axis=1) * m.city.cell_m * acc["detour_factor"]
                                  / (acc["walk_speed_kmh"] * 1000 / 60)).tolist()
        self.unified = p["registration"]["unified"] or not len(towns)
        self.availability = Availability(p, self.cal, res.employer)
        self.trust = res.trust
        self.trust_sum = float(res.trust.sum())

    def _set_up_rules(self, p, st) -> None:
        nd, tr, law = p["needs"], p["trust"], p["law"]
        self.power = [[POWERS.index(law["power"][c][k]) if k in law["power"][c] else 2
                       for c in ("routine", "complex")] for k in KINDS]
        self.hotline_direct = [law["hotline_direct"][pw] for pw in POWERS]
        self.input_share = law["input_share"]
        self.patience_min = [nd["patience_days"].get(k, 0.0) * 1440.0 for k in KINDS]
        self.expected_min = [tr["expected_response_h"][k] * 60.0 for k in KINDS]
        self.lr = tr["learning_rate"] * self.e.m.sample_share
        self.hotline_w = tr["hotline_trust_weight"]
        self.report_base = nd["report_base"]
        self.report_w = nd["report_trust_weight"]
        self.trip_pen = nd["report_trip_penalty_per_h"]
        self.intake = nd["intake_min"]
        self.prepare = p["handoff"]["prepare_min"]
        self.review = p["handoff"]["review_signoff"]
        self.decide_mean = p["reporting"]["decide_mean_h"] * 60.0
        dec = p["decision"]
        self.weekday = dec["meeting_weekday"]
        self.limit_days, self.ext_days = dec["limit_working_days"], dec["extension_working_days"]
        o = p["outcome"]
        self.base_success = o["base_success"]
        self.skill = o["complex_skill"]
        self.rush_k, self.rush_pen, self.rush_cut = (o["rush_items_per_staff"],
                                                     o["rush_penalty"], o["rush_time_cut"])
        self.p_recontact, self.p_escalate = o["recontact_share"], o["escalate_share"]
        self.max_contacts = o["max_contacts"]
        hl = p["hotline"]
        self.hotline = st.hotline
        self.hotline_share, self.misroute = hl["share"], hl["misroute_share"]
        self.linked = hl["linked_dispatch"]
        self.call_min = hl["call_handling_min"]
        self.ineligible_share = p["registration"]["ineligible_share"]
        self.petition_base = p["mediation"]["petition_base"]
        po = p["police"]
        self.call_delay, self.police_report = po["call_delay_min"], po["report_prob"]
        self.dispatch, self.dispatch_min = st.dispatch, po["dispatch_handling_min"]
        self.other_depts = {k: [d for d in st.department_units
                                if d != st.department_of_kind[k]] for k in range(len(KINDS))}

    # ================================================================ reporting
    def on_onset(self, c: int, t: float) -> None:
        k = self.kind[c]
        if k == PUBLIC_ORDER:
            self.unreported.add(c)
            if self.u["report"][c] < self.police_report:
                self.e.at(t + self.call_delay, self.on_emergency, c)
            else:  # goes on for a while, in which a passing patrol may find it
                self._add_pending(c)
                self.e.at(self.incident_end[c], self.on_patience, (c, self.version[c]))
            return
        r = self.resident[c]
        if k == DISPUTE:
            self.e.at(self.deadline[c], self.on_petition_check, c)
        entry, walk_min = self.res_unit[r], self.res_walk_min[r]
        if k == WELFARE and not self.unified and self.rural_registered[c]:
            if self.u["eligible"][c] < self.ineligible_share:
                self.ineligible[c] = True
                self._give_up(c, t)
                return
            # the separate rural system: the town's rural office, then up
            entry, walk_min = self.res_town[r], self.res_town_walk[r]
            self.complex[c] = True
            self.rural_channel[c] = True
        self.entry[c] = entry
        self.unreported.add(c)
        trust = self.trust[r]
        hotline = self.hotline is not None and \
            self.u["channel"][c] < self.hotline_share + self.hotline_w * (0.5 - trust)
        trip_h = 0.0 if hotline else walk_min / 60.0
        p = self.report_base + self.report_w * (trust - 0.5) - self.trip_pen * trip_h
        if self.u["report"][c] >= p:
            self._wait_unreported(c, t, police=False)
            return
        self._add_pending(c)
        self._schedule_report(c, t, self.u["delay"][c], hotline)

    def _schedule_report(self, c: int, t: float, u_delay: float, hotline: bool) -> None:
        """The resident decides, then reports at the first moment their day allows."""
        t_decide = t - self.decide_mean * math.log1p(-u_delay)
        r = self.resident[c]
        if hotline:
            self.e.at(self.availability.call(r, t_decide), self.on_call,
                      (c, self.version[c]))
            return
        walk = self.res_town_walk[r] if self.rural_channel[c] else self.res_walk_min[r]
        arrive = self.availability.walk_in(r, t_decide, walk, self.u["time_off"][c])
        if math.isfinite(arrive):
            self.e.at(arrive, self.on_walk_in, (c, self.version[c]))
        else:  # no time found: the need stays unreported until patience runs out
            self.e.at(t + self.patience_min[self.kind[c]], self.on_patience,
                      (c, self.version[c]))

    def _wait_unreported(self, c: int, t: float, police: bool) -> None:
        self._add_pending(c)
        self.e.at(t + self.patience_min[self.kind[c]], self.on_patience, (c, self.version[c]))

    def _add_pending(self, c: int) -> None:
        cell = self.cell[c]
        self.pending.setdefault(cell, []).append(c)
        (self.pending_police if self.kind[c] == PUBLIC_ORDER else self.pending_grid)[cell] += 1

    def _drop_pending(self, c: int) -> None:
        cell = self.cell[c]
        lst = self.pending.get(cell)
        if lst and c in lst:
            lst.remove(c)
            if not lst:
                del self.pending[cell]
            arr = self.pending_police if self.kind[c] == PUBLIC_ORDER else self.pending_grid
            arr[cell] -= 1

    def _report(self, c: int, t: float, channel: int) -> None:
        """The case reaches someone: it leaves the unreported, any other report cancelled."""
        self.unreported.discard(c)
        self._drop_pending(c)
        self.version[c] += 1
        if self.contacts[c] == 0:
            self.reported[c] = t
            self.channel[c] = channel
            self.counts["reported"] += 1
        else:
            self.counts["repeat_contacts"] += 1
        self.contacts[c] += 1

    def on_walk_in(self, t: float, arg: tuple[int, int]) -> None:
        c, ver = arg
        if ver != self.version[c]:
            return
        self._report(c, t, CH_WALK)
        entry = self.entry[c]
        if self.first_unit[c] < 0:
            self.first_unit[c] = entry
        self.to_unit(c, entry, t, WALKIN)

    def on_call(self, t: float, arg: tuple[int, int]) -> None:
        c, ver = arg
        if ver != self.version[c]:
            return
        self._report(c, t, CH_HOTLINE)
        self.from_hotline[c] = True
        if self.first_unit[c] < 0:
            self.first_unit[c] = self.hotline
        self.to_unit(c, self.hotline, t, CALL)

    def on_patience(self, t: float, arg: tuple[int, int]) -> None:
        c, ver = arg
        if ver != self.version[c] or c not in self.unreported:
            return
        self.unreported.discard(c)
        self._drop_pending(c)
        self._give_up(c, t)

    def found(self, c: int, t: float, by_patrol: bool) -> None:
        """A grid worker or a patrol found an unreported need."""
        if by_patrol:
            self._report(c, t, CH_PATROL)
            self.acknowledged[c] = t
            self.arrived_power[c] = t
            self.e.dispatch(c, t)
            return
        self._report(c, t, CH_GRID)
        self.acknowledged[c] = t
        if self.first_unit[c] < 0:
            self.first_unit[c] = self.entry[c]
        self.to_unit(c, self.entry[c], t, CASE)

    def on_petition_check(self, t: float, c: int) -> None:
        """A dispute still unsettled at its deadline may become a petition (上访)."""
        if self.resolved[c] == self.resolved[c]:
            return
        if self.u["petition"][c] < self.petition_base * (1.0 - self.trust[self.resident[c]]):
            self._petition(c, t)

    def _petition(self, c: int, t: float) -> None:
        if self.petition[c] != self.petition[c]:
            self.petition[c] = t
            self.counts["petitions"] += 1

    # ==================================================================== units
    def to_unit(self, c: int, uid: int, t: float, cls: int) -> None:
        """The case reaches unit `uid` as work of class `cls`."""
        unit = self.units[uid]
        self.hop_of[c] = self._open_hop(c, uid, t)
        self.last_unit[c] = uid
        if self.arrived_power[c] != self.arrived_power[c] and self._has_power(unit, c) \
                and self.misrouted_to[c] != uid:
            self.arrived_power[c] = t
        if uid == self.dispatch:  # call-takers: priority 1 first, then in order
            deadline = t - 1e6 if self.priority1[c] else t
        elif cls in (WALKIN, CALL):
            deadline = t
        else:
            deadline = self.deadline[c]
        self.e.submit(WorkItem(cls, uid, self.intake, deadline, t, case=c,
                               hop=self.hop_of[c], scored=self.from_hotline[c]), t)

    def _has_power(self, unit: Unit, c: int) -> bool:
        return unit.can_resolve(self.kind[c], self.complex[c])

    def on_item_start(self, item: WorkItem, t: float) -> None:
        """Staff pick up a case's work for the first time: how long it will take."""
        c, unit = item.case, self.units[item.unit]
        if self.hop_started[item.hop] != self.hop_started[item.hop]:
            self.hop_started[item.hop] = t
        if item.cls == CALL:
            item.minutes = self.dispatch_min if item.unit == self.dispatch else self.call_min
        elif item.cls == REFERRAL:
            item.minutes = self.prepare
        elif item.cls == CONSULT:
            item.minutes = self.prepare
        elif self.misrouted_to[c] == item.unit:
            item.minutes = self.intake
        elif self._has_power(unit, c):
            self._start_handling(c, item, t)
        else:
            item.minutes = self.intake if item.cls == WALKIN else self.intake + self.prepare
        if self.acknowledged[c] != self.acknowledged[c]:
            self.acknowledged[c] = t

    def _start_handling(self, c: int, item: WorkItem, t: float) -> None:
        pool = self.e.pools[item.unit]
        rush = pool.queued / (pool.queued + pool.total * self.rush_k)
        self.rush[c] = rush
        item.minutes = self.handling[c] * (1.0 - self.rush_cut * rush)
        if self.first_response[c] != self.first_response[c]:
            self.first_response[c] = t
            self._satisfy(c, self._satisfaction(c, t - self.onset[c]))

    def on_item_done(self, item: WorkItem, t: float) -> None:
        """Staff finished a case's work at a unit: what comes next."""
        c, uid = item.case, item.unit
        unit = self.units[uid]
        if item.cls == CALL:
            self._close_hop(item.hop, t, REFERRED)
            if uid == self.dispatch:
                self.e.dispatch(c, t)
            else:
                self._dispatch_call(c, t)
        elif item.cls == CONSULT:
            self._close_hop(item.hop, t, REFERRED)
            handler = self.last_unit[c]
            self._decide(c, handler, t, self.hop_of[c])
        elif self.misrouted_to[c] == uid:
            self._close_hop(item.hop, t, MISROUTED)
            self.counts["misrouted"] += 1
            self.misrouted_to[c] = -2  # bounced: the next dispatch is right
            self.to_unit(c, self.hotline, t, CALL)
        elif item.cls != REFERRAL and self._has_power(unit, c):
            self._after_handling(c, uid, t)
        elif item.cls == WALKIN:
            self.e.submit(WorkItem(REFERRAL, uid, self.prepare, self.deadline[c], t, case=c,
                                   hop=item.hop, scored=self.from_hotline[c]), t)
        else:
            self._sign_off_and_send(c, uid, t)

    def _dispatch_call(self, c: int, t: float) -> None:
        """The hotline sends the matter on (linked dispatch), or to the caller's unit."""
        k, cx = self.kind[c], self.complex[c]
        target = self.entry[c]
        power = self.power[k][int(cx)]
        if self.linked and self.hotline_direct[power]:
            target = int(self.st.resolver[target, k, int(cx)])
        if self.misrouted_to[c] == -1 and self.u["misroute"][c] < self.misroute:
            wrong = self._wrong_unit(c, target)
            if wrong >= 0:
                self.misrouted_to[c] = wrong
                target = wrong
        self.to_unit(c, target, t, CASE)

    def _wrong_unit(self, c: int, right: int) -> int:
        """A unit of the same level as `right`, chosen by the case's uniform."""
        level = self.units[right].level
        same = [u.id for u in self.units if u.level == level and u.id != right]
        if not same:
            return -1
        return same[int(self.u["wrong_unit"][c] * len(same))]

    def _sign_off_and_send(self, c: int, uid: int, t: float) -> None:
        unit = self.units[uid]
        if self.review and unit.government and self.power[self.kind[c]][int(self.complex[c])]:
            when = self.cal.next_cycle(t, unit.cycle_days, self.weekday)
            if when > t:
                self.deciding[c] = (uid, t)
                self.e.at(when, self.on_signed, c)
                return
        self._send(c, uid, t)

    def _decision_made(self, c: int, t: float) -> int:
        uid, since = self.deciding.pop(c)
        self.hop_decision[self.hop_of[c]] += t - since
        return uid

    def on_signed(self, t: float, c: int) -> None:
        self._send(c, self._decision_made(c, t), t)

    def _send(self, c: int, uid: int, t: float) -> None:
        nxt = int(self.st.referral[uid, self.kind[c], int(self.complex[c])])
        self._close_hop(self.hop_of[c], t, REFERRED)
        if nxt < 0:  # nobody above: the resident is left without an answer
            self._give_up(c, t)
            return
        self.handoffs[c] += 1
        self.to_unit(c, nxt, t, CASE)

    # ============================================================ decide, settle
    def _after_handling(self, c: int, uid: int, t: float) -> None:
        if self.complex[c] and not self.consulted[c] and self.u["input"][c] < self.input_share:
            self.consulted[c] = True
            coordinator = self._coordinator(c)
            h = self._open_hop(c, coordinator, t)
            self.e.submit(WorkItem(CONSULT, coordinator, self.prepare, self.deadline[c], t,
                                   case=c, hop=h, scored=self.from_hotline[c]), t)
            return
        self._decide(c, uid, t, self.hop_of[c])

    def _coordinator(self, c: int) -> int:
        """Who gets the other department's input: the street office or town of the area
        (条块结合), or else the other department itself."""
        a = self.res_area[self.resident[c]]
        for table in (self.st.street_office_of_area, self.st.town_of_area):
            if table[a] >= 0:
                return int(table[a])
        others = self.other_depts[self.kind[c]]
        return others[int(self.u["input_dept"][c] * len(others))]

    def _decide(self, c: int, uid: int, t: float, hop: int) -> None:
        unit = self.units[uid]
        if self.power[self.kind[c]][int(self.complex[c])] == SERVE:
            self._carry_out(c, uid, t)
            return
        limit = self.cal.add_working_days(self.hop_arrived[hop], self.limit_days)
        if t >= limit:
            self.counts["decisions_extended"] += 1
            if t >= self.cal.add_working_days(limit, self.ext_days):
                self.counts["decisions_over_limit"] += 1
            when = t
        else:
            when = min(self.cal.next_cycle(t, unit.cycle_days, self.weekday), limit)
        if when > t:
            self.deciding[c] = (uid, t)
            self.e.at(when, self.on_decided, c)
        else:
            self._carry_out(c, uid, t)

    def on_decided(self, t: float, c: int) -> None:
        self._carry_out(c, self._decision_made(c, t), t)

    def _carry_out(self, c: int, uid: int, t: float) -> None:
        lead = self.lead[c]
        if lead > 0:
            self.e.at(t + lead, self.on_carried_out, (c, uid))
        else:
            self._outcome(c, uid, t)

    def on_carried_out(self, t: float, arg: tuple[int, int]) -> None:
        self._outcome(*arg, t)

    def _uniform(self, table: list[list[float]], c: int, a: int) -> float:
        return table[a][c] if a < ATTEMPTS else float(self.extra.random())

    def _outcome(self, c: int, uid: int, t: float) -> None:
        """Settled in fact, or not: then the resident tries again, escalates or gives up."""
        a = self.attempts[c]
        self.attempts[c] += 1
        unit = self.units[uid]
        p = self.base_success * (1.0 - self.rush_pen * self.rush[c])
        if self.complex[c]:
            p *= self.skill.get(unit.level, 1.0)
        hop = self.hop_of[c]
        if self._uniform(self.u_ok, c, a) < p:
            self.resolved[c] = t
            self.counts["resolved"] += 1
            self._close_hop(hop, t, RESOLVED)
            self._satisfy(c, 1.0)
            return
        self._satisfy(c, 0.0)
        branch = self._uniform(self.u_branch, c, a)
        if branch < self.p_recontact and self.contacts[c] < self.max_contacts:
            self._close_hop(hop, t, FAILED)
            self.unreported.add(c)
            hotline = self.channel[c] == CH_HOTLINE and self.hotline is not None
            self._schedule_report(c, t, self._uniform(self.u_redecide, c, a), hotline)
            return
        if branch < self.p_recontact + self.p_escalate:
            if self.kind[c] == DISPUTE:
                self._petition(c, t)
            nxt = int(self.st.escalate[uid, self.kind[c]])
            if nxt >= 0:
                self._close_hop(hop, t, FAILED)
                self.handoffs[c] += 1
                self.to_unit(c, nxt, t, CASE)
                return
        self._close_hop(hop, t, GAVE_UP)
        self._give_up(c, t)

    def _give_up(self, c: int, t: float) -> None:
        self.gave_up[c] = t
        self.counts["gave_up"] += 1
        if self.contacts[c]:
            self.counts["gave_up_reported"] += 1
        self._satisfy(c, 0.0)

    # ==================================================================== hops
    def _open_hop(self, c: int, uid: int, t: float) -> int:
        self.hop_case.append(c)
        self.hop_unit.append(uid)
        self.hop_arrived.append(t)
        self.hop_started.append(NAN)
        self.hop_done.append(NAN)
        self.hop_outcome.append(OPEN)
        self.hop_decision.append(0.0)
        return len(self.hop_case) - 1

    def _close_hop(self, h: int, t: float, outcome: int) -> None:
        self.hop_done[h] = t
        self.hop_outcome[h] = outcome

    # ================================================================== police
    def on_emergency(self, t: float, c: int) -> None:
        """A 110 call reaches the dispatch centre's call-takers."""
        self._report(c, t, CH_EMERGENCY)
        self.arrived_power[c] = t
        self.first_unit[c] = self.dispatch
        self.to_unit(c, self.dispatch, t, CALL)

    def police_on_site(self, c: int, t: float, base: int, drive: float) -> None:
        self.travel[c] = drive
        self.first_response[c] = t
        self._satisfy(c, self._satisfaction(c, t - self.onset[c]))
        h = self._open_hop(c, -1 - base, t - drive)
        self.hop_started[h] = t
        self.hop_of[c] = h

    def police_cleared(self, c: int, t: float) -> None:
        self.resolved[c] = t
        self.counts["resolved"] += 1
        self._close_hop(self.hop_of[c], t, RESOLVED)

    # =================================================================== trust
    def _satisfaction(self, c: int, response: float) -> float:
        exp = self.expected_min[self.kind[c]]
        return 1.0 if response <= exp else exp / response

    def _satisfy(self, c: int, s: float) -> None:
        r = self.resident[c]
        old = self.trust[r]
        new = old + self.lr * (s - old)
        self.trust[r] = new
        self.trust_sum += new - old
