"""The same city written as a typical Mesa user would write it: the reference baseline.

Every resident is a Mesa `CellAgent` on an `OrthogonalMooreGrid`, stepped every tick (one
simulated hour) with `shuffle_do("step")`, and checks every tick, with a Bernoulli draw at
the hour's rate, whether a need arises. Offices, police and grid workers are agents too,
stepped after the residents. Nothing is drawn in bulk and nothing is scheduled on an
event queue: each agent looks at its own clock every tick.

It uses the project's map, residents' attributes, units, authority, staff, police bases and
need parameters (`simulation.city`, `.population`, `.structure`, `.police`, `.scenario`,
`.needs`), so it simulates the same scenario; it mirrors the engine's main path:

* a need arises at the resident's home (or workplace) at the kind's hourly rate;
* public order: called in (`police.report_prob`) and the nearest free officer on duty
  drives there, else it waits for one; unreported incidents can be found by a patrol;
* other kinds: reported with the engine's probability (trust, walking trip), by the 12345
  hotline (if the scenario has one, which dispatches to the unit with authority) or by a
  walk-in at the resident's own centre in office hours, after the same delays; an
  unreported need can be found by a grid worker (grid responsibility) until the
  resident's patience runs out; without unified registration, rural-registered
  residents' welfare goes to the town, or is not eligible at all;
* a unit serves its queue first come, first served with its staff; it responds if it has
  authority, else takes the case in and hands it up (`Structure.escalate`, or the parent)
  after the scenario's hand-off delay in working hours;
* a response changes the resident's trust as in the engine.

Left out (they do not enter the headline figures, response time and reach): resolution
lead times, scheduled visits, petitions, surges, the time series. Times inside a tick are
kept in minutes (a walk-in at 09:10 is served from 09:10, not from the next hour), so the
reference is not biased by rounding to the tick; patrols and grid rounds move once an hour
(the engine moves them every `calendar.patrol_tick_min`).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

import numpy as np
from mesa import Model
from mesa.discrete_space import CellAgent, FixedAgent, OrthogonalMooreGrid

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from simulation.calendar import OfficeCalendar  # noqa: E402
from simulation.city import COMMERCIAL, INDUSTRIAL, generate_map  # noqa: E402
from simulation.geometry import octile  # noqa: E402
from simulation.needs import RHYTHM, eligible_rates  # noqa: E402
from simulation.parameters import KINDS  # noqa: E402
from simulation.police import PoliceForce  # noqa: E402
from simulation.population import Residents  # noqa: E402
from simulation.randomness import Streams  # noqa: E402
from simulation.scenario import Scenario, load  # noqa: E402
from simulation.structure import Structure  # noqa: E402

try:  # the safe-cells campaign's domains, where the model has them
    from simulation.needs import DOMAIN_SHARES  # noqa: E402
    from simulation.parameters import DOMAINS  # noqa: E402
except ImportError:  # pragma: no cover - older model
    DOMAIN_SHARES, DOMAINS = {}, ()

TICK_MIN = 60.0
PUBLIC_ORDER = KINDS.index("public_order")
WELFARE = KINDS.index("welfare")
CHANNELS = ("walk_in", "hotline", "emergency", "grid", "patrol")
WALK_IN, CALL, EMERGENCY, GIVE_UP = range(4)


class Case:
    """One need and what happened to it (minutes since the start; None: not yet)."""

    __slots__ = ("kind", "resident", "cell", "complex", "onset", "handling", "entry",
                 "reported", "first_response", "gave_up", "channel", "handoffs", "due",
                 "action")

    def __init__(self, kind: int, resident: Resident, cell: int, is_complex: bool,
                 onset: float, handling: float):
        self.kind, self.resident, self.cell = kind, resident, cell
        self.complex, self.onset, self.handling = is_complex, onset, handling
        self.entry = resident.entry
        self.reported = self.first_response = self.gave_up = None
        self.channel = -1
        self.handoffs = 0
        self.due = math.inf
        self.action = -1


class Resident(CellAgent):
    """A resident at home on the grid, checking every hour whether a need arises."""

    def __init__(self, model: PlainMesaCity, cell, rates: np.ndarray, trust: float,
                 entry: int, walk_min: float, town: int, town_walk_min: float,
                 rural_registered: bool, work_cell: int):
        super().__init__(model)
        self.cell = cell
        self.home = model.flat(cell.coordinate)
        self.rates = rates
        self.rate_order = rates[PUBLIC_ORDER] / 365.0
        self.rate_office = (rates.sum() - rates[PUBLIC_ORDER]) / 365.0
        self.trust = trust
        self.entry, self.walk_min = entry, walk_min
        self.town, self.town_walk_min = town, town_walk_min
        self.rural_registered = rural_registered
        self.work_cell = work_cell
        self.open: list[Case] = []  # cases with something still to do

    def step(self) -> None:
        m = self.model
        p = self.rate_office * m.office_share + self.rate_order * m.order_share
        if self.random.random() < p:
            m.new_need(self, p)
        if self.open:
            self.act(m)

    def act(self, m: PlainMesaCity) -> None:
        """Do what falls due in this tick: walk in, call, or give up."""
        for case in [c for c in self.open if c.due < m.tick_end]:
            self.open.remove(case)
            t = case.due
            if case.action == GIVE_UP:
                if case.reported is None:
                    m.drop_pending(case)
                    case.gave_up = t
                    m.satisfy(case, 0.0)
            elif case.action == WALK_IN:
                if case.reported is None:  # else a grid worker found it first
                    m.drop_pending(case)
                    m.report(case, t, CHANNELS.index("walk_in"))
                    office = m.offices[case.entry]
                    (office.desk or office.cases).add(case, t)
            elif case.action == CALL:
                m.report(case, t, CHANNELS.index("hotline"))
                m.hotline.cases.add(case, t)
            else:  # EMERGENCY
                m.report(case, t, CHANNELS.index("emergency"))
                m.calls.append((t, case))


class Pool:
    """Staff of one role at an office, serving arrivals first come, first served."""

    def __init__(self, servers: int, round_the_clock: bool = False):
        self.free_at = [0.0] * servers
        self.round_the_clock = round_the_clock
        self.queue: list[tuple[float, int, Case]] = []

    def add(self, case: Case, t: float) -> None:
        model = case.resident.model
        model.seq += 1
        self.queue.append((t, model.seq, case))

    def serve(self, office: Office, m: PlainMesaCity) -> None:
        """Start every queued case that can start before the end of this tick."""
        if not self.queue:
            return
        self.queue.sort(key=lambda e: (e[0], e[1]))
        done = 0
        for arrival, _, case in self.queue:
            if arrival >= m.tick_end:
                break
            j = min(range(len(self.free_at)), key=self.free_at.__getitem__)
            start = max(arrival, self.free_at[j])
            if not self.round_the_clock:
                start = m.calendar.next_open(start)
            if start >= m.tick_end:
                break
            self.free_at[j] = start + office.handle(case, start, m)
            done += 1
        del self.queue[:done]


class Office(FixedAgent):
    """A unit's office with its front desk and caseworkers."""

    def __init__(self, model: PlainMesaCity, unit):
        super().__init__(model)
        self.unit = unit
        self.cell = model.grid[model.xy(unit.cell)]
        staff = unit.staff
        round_the_clock = bool(unit.cases is not None and unit.cases.round_the_clock)
        self.desk = Pool(staff["front_desk"]) if staff.get("front_desk") else None
        workers = staff.get("caseworker", staff.get("operator", 0))
        self.cases = Pool(workers, round_the_clock) if workers else self.desk
        self.pools = [p for p in {id(p): p for p in (self.desk, self.cases)
                                  if p is not None}.values()]

    def step(self) -> None:
        for pool in self.pools:
            pool.serve(self, self.model)

    def handle(self, case: Case, start: float, m: PlainMesaCity) -> float:
        """Serve `case` from `start`; returns the staff minutes it takes."""
        unit, k = self.unit, case.kind
        if unit.can_resolve(k, case.complex):
            case.first_response = start
            m.satisfy(case, m.satisfaction(case, start - case.onset))
            return case.handling
        if unit.dispatches:  # the hotline: straight on to the unit that will act
            target = case.entry
            if m.linked:
                target = int(m.structure.resolver[target, k, int(case.complex)])
            m.offices[target].cases.add(case, start + unit.call_min)
            return unit.call_min
        nxt = int(m.escalate[unit.id, k]) if m.escalate is not None else unit.parent
        case.handoffs += 1
        arrive = m.calendar.add_working(start + m.intake, m.handoff_min[unit.level])
        m.offices[nxt].cases.add(case, arrive)
        return m.intake


class Walker(CellAgent):
    """Someone who walks a beat: an officer or auxiliary on patrol, or a grid worker."""

    def __init__(self, model: PlainMesaCity, start_cell: int, beat: np.ndarray,
                 cells_per_hour: float):
        super().__init__(model)
        self.x, self.y = (float(v) for v in model.xy(start_cell))
        self.beat = beat if len(beat) else np.array([start_cell])
        self.cells_per_hour = cells_per_hour
        self.cell = model.grid[model.xy(start_cell)]
        self.retarget()

    def retarget(self) -> None:
        tx, ty = self.model.xy(int(self.beat[int(self.random.random() * len(self.beat))]))
        self.tx, self.ty = float(tx), float(ty)

    def place(self, flat: int) -> None:
        self.x, self.y = (float(v) for v in self.model.xy(flat))
        self.cell = self.model.grid[self.model.xy(flat)]

    def walk(self, distance: float) -> list[int]:
        """Walk `distance` cells towards targets in the beat; the cells passed."""
        m = self.model
        passed = []
        while distance > 1e-9:
            dx, dy = self.tx - self.x, self.ty - self.y
            d = math.hypot(dx, dy)
            if d < 1e-9:
                self.retarget()
                continue
            move = min(distance, d)
            for j in range(int(math.ceil(move)) + 1):
                f = min(j, move) / d
                passed.append(m.flat((round(self.x + dx * f), round(self.y + dy * f))))
            self.x += dx * move / d
            self.y += dy * move / d
            distance -= move
            if move >= d:
                self.retarget()
        self.cell = m.grid[(round(self.x), round(self.y))]
        return list(dict.fromkeys(passed))


class Officer(Walker):
    """A police officer (dispatched and patrols) or an auxiliary (patrols only)."""

    def __init__(self, model: PlainMesaCity, base_cell: int, beat: np.ndarray,
                 cells_per_hour: float, shift: int, auxiliary: bool):
        super().__init__(model, base_cell, beat, cells_per_hour)
        self.base_cell = base_cell
        self.shift = shift
        self.auxiliary = auxiliary
        self.busy_until = 0.0

    def step(self) -> None:
        m = self.model
        if self.shift != m.shift or self.busy_until > m.now:
            return
        for flat in self.walk(self.cells_per_hour * m.patrol_share):
            for case in [c for c in m.pending.get(flat, ()) if c.kind == PUBLIC_ORDER]:
                m.drop_pending(case)
                m.report(case, m.now, CHANNELS.index("patrol"))
                m.calls.append((m.now, case))


class GridWorker(Walker):
    """A grid worker walking the community in office hours, noticing needs."""

    def step(self) -> None:
        m = self.model
        if m.open_share <= 0:
            return
        for flat in self.walk(self.cells_per_hour * m.open_share):
            for case in [c for c in m.pending.get(flat, ()) if c.kind != PUBLIC_ORDER]:
                if self.random.random() < m.find_prob:
                    m.drop_pending(case)
                    m.report(case, m.now, CHANNELS.index("grid"))
                    m.offices[case.entry].cases.add(case, m.now)


class PlainMesaCity(Model):
    """The reference model. Same arguments as `GovernanceModel`; one step is one hour.

    Args:
        scenario: a `Scenario`, or a scenario name or file path.
        seed: seeds the map and residents (the project's named streams, so they are the
            engine's) and Mesa's own random generator (needs and decisions).
        scale: share of residents simulated (staff and police scale with it).
        days: horizon in days.
    """

    def __init__(self, scenario: Scenario | str = "hierarchy_2011", seed: int = 1,
                 scale: float = 0.05, days: int = 30):
        super().__init__(seed=seed)
        if not isinstance(scenario, Scenario):
            scenario = load(scenario)
        self.scenario, self.params = scenario, scenario.params
        p = self.params
        self.days = days
        streams = Streams(seed)
        self.city = city = generate_map(p["map"], p["population"], streams.get("map"))
        self.height = city.height
        self.grid = OrthogonalMooreGrid((city.width, city.height), torus=False,
                                        random=self.random)
        cal = p["calendar"]
        self.calendar = OfficeCalendar(cal["office_open_h"], cal["office_close_h"],
                                       cal["workdays_per_week"])
        self.structure = st = Structure(city, p, scale)
        self.escalate = getattr(st, "escalate", None)
        self.handoff_min = {lv: h * 60.0 for lv, h in st.handoff_h.items()}
        self._read_parameters(p)
        self.now = 0.0
        self.seq = 0
        self.cases: list[Case] = []
        self.pending: dict[int, list[Case]] = {}
        self.calls: list[tuple[float, Case]] = []
        self.waiting: list[tuple[float, Case]] = []
        self.offices = [Office(self, u) for u in st.units]
        hl = st.hotline
        self.hotline = self.offices[hl.id] if hl is not None else None
        # the hotline first: what it passes on this hour is served this hour
        self.office_order = ([self.hotline] if self.hotline else []) + [
            o for o in self.offices if o is not self.hotline]
        self._build_residents(p, scale, streams)
        self._build_walkers(p, scale)

    # ---------------------------------------------------------------- build
    def _read_parameters(self, p: dict) -> None:
        nd, tr, po, hl = p["needs"], p["trust"], p["police"], p["hotline"]
        self.report_base, self.report_w = nd["report_base"], nd["report_trust_weight"]
        self.trip_pen = nd["report_trip_penalty_per_h"]
        self.walkin_delay = nd["walkin_delay_mean_h"] * 60.0
        self.intake = nd["intake_min"]
        self.patience = [nd["patience_days"][k] * 1440.0 for k in KINDS]
        self.complex_share = [nd["complex_share"][k] for k in KINDS]
        self.handling_min = [nd["handling_min"][k] for k in KINDS]
        self.workplace_share = [nd["workplace_share"].get(k, 0.0) for k in KINDS]
        self.rate_multiplier = nd.get("rate_multiplier", 1.0)
        self.expected = [tr["expected_response_h"][k] * 60.0 for k in KINDS]
        self.lr = tr["learning_rate"]
        self.hotline_w = tr.get("hotline_trust_weight", 0.0)
        self.hotline_share, self.hotline_delay = hl["share"], hl["delay_mean_min"]
        self.linked = hl["linked_dispatch"]
        self.call_delay, self.report_prob = po["call_delay_min"], po["report_prob"]
        self.patrol_share = po["patrol_time_share"]
        self.drive_m_per_min = po["dispatch_speed_kmh"] * 1000 / 60
        self.find_prob = p["grid"]["find_prob"]
        self.grid_on = p["structure"]["grid_responsibility"]
        reg = p.get("registration", {"unified": True, "ineligible_share": 0.0})
        self.unified = reg["unified"] or not len(getattr(self.structure, "town_units", []))
        self.ineligible_share = reg["ineligible_share"]
        sc = p.get("safe_cells", {"enabled": False})
        self.prevent = {}
        if sc["enabled"]:
            for kind, shares in DOMAIN_SHARES.items():
                names = list(shares)
                cum = np.cumsum([shares[d] for d in names])
                self.prevent[KINDS.index(kind)] = (
                    cum / cum[-1], [sc["participation"][d] * sc["reduction"] for d in names],
                    sc["participation"]["enterprises"] * sc["reduction"])
        self.office_rhythm = RHYTHM["welfare"] / RHYTHM["welfare"].sum()
        self.order_rhythm = RHYTHM["public_order"] / RHYTHM["public_order"].sum()

    def _build_residents(self, p: dict, scale: float, streams: Streams) -> None:
        """Residents as agents; their attributes are drawn as the project draws them."""
        city, st = self.city, self.structure
        land = city.land_use.ravel()
        rng = streams.get("enterprises")
        cells, weights = [np.flatnonzero(land == INDUSTRIAL)], [1.0]
        commercial = np.flatnonzero(land == COMMERCIAL)
        n_ent = p["map"]["enterprises"]
        if n_ent and len(commercial):
            picked = rng.choice(commercial, size=n_ent, replace=len(commercial) < n_ent)
            cells += [np.array([c]) for c in picked]
            weights += list(rng.lognormal(0.0, 1.0, n_ent))
        n = max(1, int(round(p["population"]["residents"] * scale)))
        res = Residents(city, p["population"], cells, np.array(weights), n,
                        p["trust"]["initial_mean"], p["trust"]["initial_sd"],
                        streams.get("residents"))
        rates = np.stack([eligible_rates(k, res, p["needs"]) for k in KINDS], axis=1)
        rates *= self.rate_multiplier
        h = self.height
        area = st.area_of_cell[res.home]
        entry = st.area_unit[area]
        walk_m_per_min = p["access"]["walk_speed_kmh"] * 1000 / 60
        ecell = np.array([st.units[u].cell for u in entry])
        walk = octile(res.home // h - ecell // h, res.home % h - ecell % h) * city.cell_m \
            / walk_m_per_min
        towns = np.asarray(getattr(st, "town_units", []), int)
        if len(towns):
            tc = np.array([st.units[u].cell for u in towns])
            d = octile(res.home[:, None] // h - tc[None, :] // h,
                       res.home[:, None] % h - tc[None, :] % h)
            town, town_walk = towns[d.argmin(axis=1)], d.min(axis=1) * city.cell_m \
                / walk_m_per_min
        else:
            town, town_walk = entry, walk
        for i in range(n):
            Resident(self, self.grid[self.xy(int(res.home[i]))], rates[i], float(res.trust[i]),
                     int(entry[i]), float(walk[i]), int(town[i]), float(town_walk[i]),
                     bool(res.registration[i] == 1), int(res.work_cell[i]))
        self.residents = self.agents_by_type[Resident]

    def _build_walkers(self, p: dict, scale: float) -> None:
        city, st = self.city, self.structure
        pol = PoliceForce(city, st, p, scale)
        self.n_shifts, self.shift_min = pol.n_shifts, pol.shift_min
        per_hour = 1000 / city.cell_m  # cells per hour at 1 km/h
        po = p["police"]
        for b, s, aux in zip(pol.officer_base, pol.officer_shift, pol.auxiliary):
            kmh = po["foot_patrol_speed_kmh"] if aux else po["patrol_speed_kmh"]
            Officer(self, int(pol.base_cells[b]), pol.beat_cells[b], kmh * per_hour, int(s),
                    bool(aux))
        self.officers = self.agents_by_type[Officer]
        for k, uid in enumerate(st.community_units):
            beat = np.flatnonzero(st.area_of_cell == k)
            for _ in range(st.units[uid].staff.get("grid_worker", 0)):
                GridWorker(self, st.units[uid].cell, beat,
                           p["grid"]["walk_speed_kmh"] * per_hour)
        self.grid_workers = self.agents_by_type.get(GridWorker)
        self.shift = -1

    def xy(self, flat: int) -> tuple[int, int]:
        return (flat // self.height, flat % self.height)

    def flat(self, xy: tuple[int, int]) -> int:
        return xy[0] * self.height + xy[1]

    # ------------------------------------------------------------------ step
    def step(self) -> None:
        """One hour: residents, then police, grid workers and offices."""
        self.now = (self.steps - 1) * TICK_MIN  # Mesa counts steps from 1
        self.tick_end = self.now + TICK_MIN
        hour = int(self.now // 60) % 24
        self.office_share = self.office_rhythm[hour]
        self.order_share = self.order_rhythm[hour]
        cal = self.calendar
        day0 = (self.now // 1440) * 1440
        self.open_share = max(0.0, min(self.tick_end, day0 + cal.close_min)
                              - max(self.now, day0 + cal.open_min)) / TICK_MIN \
            if cal.is_workday(int(self.now // 1440)) and self.grid_on else 0.0
        self.residents.shuffle_do("step")
        self.police_step()
        if self.grid_workers is not None:
            self.grid_workers.shuffle_do("step")
        for office in self.office_order:
            office.step()
        self.running = self.tick_end < self.days * 1440.0

    def run(self) -> None:
        for _ in range(self.days * 24):
            self.step()

    # ----------------------------------------------------------------- needs
    def new_need(self, res: Resident, p: float) -> None:
        """A need arises this hour for `res`; `p` is the resident's chance this hour."""
        rnd = self.random.random
        t = self.now + rnd() * TICK_MIN
        if rnd() * p < res.rate_order * self.order_share:
            k = PUBLIC_ORDER
        else:
            office = res.rates.copy()
            office[PUBLIC_ORDER] = 0.0
            k = int(np.searchsorted(np.cumsum(office), rnd() * office.sum(), side="right"))
            k = min(k, len(KINDS) - 1)
        at_work = res.work_cell >= 0 and rnd() < self.workplace_share[k]
        if k in self.prevent:  # the safe-cells campaign prevents some needs
            cum, prevent, at_work_prevent = self.prevent[k]
            chance = at_work_prevent if at_work else prevent[
                min(int(np.searchsorted(cum, rnd())), len(prevent) - 1)]
            if rnd() < chance:
                return
        case = Case(k, res, res.work_cell if at_work else res.home,
                    rnd() < self.complex_share[k], t, self.handling_min[k] * (0.5 + rnd()))
        self.cases.append(case)
        if k == PUBLIC_ORDER:
            if rnd() < self.report_prob:
                self.schedule(case, t + self.call_delay, EMERGENCY)
            else:
                self.wait_unreported(case, t)
            return
        walk = res.walk_min
        if k == WELFARE and not self.unified and res.rural_registered:
            if rnd() < self.ineligible_share:
                case.gave_up = t
                self.satisfy(case, 0.0)
                return
            case.entry, walk, case.complex = res.town, res.town_walk_min, True
        hotline = self.hotline is not None and \
            rnd() < self.hotline_share + self.hotline_w * (0.5 - res.trust)
        trip_h = 0.0 if hotline else walk / 60.0
        if rnd() >= self.report_base + self.report_w * (res.trust - 0.5) - self.trip_pen * trip_h:
            self.wait_unreported(case, t)
        elif hotline:
            self.schedule(case, t + self.random.expovariate(1.0 / self.hotline_delay), CALL)
        else:
            depart = self.calendar.next_open(t + self.random.expovariate(1.0 / self.walkin_delay))
            self.schedule(case, depart + walk, WALK_IN)
            self.add_pending(case)

    def schedule(self, case: Case, t: float, action: int) -> None:
        case.due, case.action = t, action
        case.resident.open.append(case)

    def wait_unreported(self, case: Case, t: float) -> None:
        self.add_pending(case)
        self.schedule(case, t + self.patience[case.kind], GIVE_UP)

    def add_pending(self, case: Case) -> None:
        self.pending.setdefault(case.cell, []).append(case)

    def drop_pending(self, case: Case) -> None:
        lst = self.pending.get(case.cell)
        if lst and case in lst:
            lst.remove(case)
            if not lst:
                del self.pending[case.cell]

    def report(self, case: Case, t: float, channel: int) -> None:
        case.reported, case.channel = t, channel
        if case in case.resident.open:  # found before the walk-in or give-up fell due
            case.resident.open.remove(case)

    # ---------------------------------------------------------------- police
    def police_step(self) -> None:
        """Shift change, patrols, then the calls of this hour in time order."""
        shift = int((self.now % 1440.0) // self.shift_min)
        if shift != self.shift:
            self.shift = shift
            for o in self.officers:
                if o.shift == shift and o.busy_until <= self.now:
                    o.place(o.base_cell)
        self.officers.shuffle_do("step")
        calls, self.calls = sorted(self.waiting + self.calls, key=lambda e: e[0]), []
        self.waiting = []
        for t, case in calls:
            self.dispatch(case, max(t, self.now))

    def dispatch(self, case: Case, t: float) -> None:
        """Send the nearest officer on duty who is free by `t` (or by the hour's end)."""
        cx, cy = self.xy(case.cell)
        best, best_d = None, math.inf
        for o in self.officers:
            if o.auxiliary or o.shift != self.shift or o.busy_until >= self.tick_end:
                continue
            d = octile(o.x - cx, o.y - cy)
            if d < best_d:
                best, best_d = o, d
        if best is None:
            self.waiting.append((t, case))
            return
        start = max(t, best.busy_until)
        arrive = start + best_d * self.city.cell_m / self.drive_m_per_min
        case.first_response = arrive
        self.satisfy(case, self.satisfaction(case, arrive - case.onset))
        best.busy_until = arrive + case.handling
        best.place(case.cell)

    # ----------------------------------------------------------------- trust
    def satisfaction(self, case: Case, response: float) -> float:
        exp = self.expected[case.kind]
        return 1.0 if response <= exp else exp / response

    def satisfy(self, case: Case, s: float) -> None:
        r = case.resident
        r.trust += self.lr * (s - r.trust)

    # --------------------------------------------------------------- figures
    def figures(self) -> dict[str, Any]:
        """Headline figures, defined as in `simulation.metrics`."""
        return figures_of(self.cases)


def figures_of(cases: list[Case]) -> dict[str, Any]:
    """Median response time (h) of the cases responded to, reach, counts by channel."""
    resp = np.array([c.first_response - c.onset for c in cases if c.first_response is not None])
    n = len(cases)
    by_kind = {}
    for code, kind in enumerate(KINDS):
        r = [c.first_response - c.onset for c in cases
             if c.kind == code and c.first_response is not None]
        by_kind[kind] = float(np.median(r)) / 60.0 if r else None
    return {
        "needs": n,
        "response_median_h": float(np.median(resp)) / 60.0 if len(resp) else None,
        "reach": sum(c.reported is not None for c in cases) / n if n else None,
        "channels": {ch: sum(c.channel == i for c in cases) for i, ch in enumerate(CHANNELS)},
        "response_median_h_by_kind": by_kind,
    }


def run_reference(scenario: Scenario | str, seed: int = 1, scale: float = 0.05,
                  days: int = 30) -> PlainMesaCity:
    """Build and run the reference model to the horizon."""
    m = PlainMesaCity(scenario, seed=seed, scale=scale, days=days)
    m.run()
    return m
