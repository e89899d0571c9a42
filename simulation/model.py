"""GovernanceModel: the city, its agents and its cases, as a Mesa model.

The model builds, in this order and each from its own random stream: the map, the
enterprises, the residents (these three depend on the seed only), then the management
structure, staff and police of the scenario, and the needs of the whole horizon. Running
it hands the cases to `engine.Engine`. It knows nothing of files, the CLI or a browser.
"""

from __future__ import annotations

import numpy as np
from mesa import Model
from mesa.discrete_space import OrthogonalMooreGrid

from .agents import CommunityWorker, Enterprise, PoliceOfficer
from .calendar import OfficeCalendar
from .city import COMMERCIAL, INDUSTRIAL, generate_map
from .engine import Engine
from .movement import Walkers
from .needs import draw_needs
from .police import ROLES, PoliceForce
from .population import Residents
from .randomness import Streams
from .scenario import Scenario, ScenarioError, load
from .structure import Structure
from .visits import Visits


class GovernanceModel(Model):
    """A city governed under one scenario.

    Args:
        scenario: a `Scenario`, or a scenario name or file path.
        seed: the run's seed; fixes the city, residents, needs and every decision.
        scale: share of residents simulated (staff and police scale with it).
        days: horizon in days; needs are drawn for all of it when the model is built.

    Raises:
        ScenarioError: if the scenario cannot be built (e.g. more communities than
            inhabited cells), naming the file and key.
    """

    def __init__(self, scenario: Scenario | str = "hierarchy_2011", seed: int = 1,
                 scale: float = 1.0, days: int = 30):
        super().__init__(seed=seed)
        if not isinstance(scenario, Scenario):
            scenario = load(scenario)
        if not 0 < scale <= 1:
            raise ValueError("scale must be in (0, 1]")
        if days < 1:
            raise ValueError("days must be at least 1")
        self.scenario = scenario
        self.params = p = scenario.params
        self.seed, self.scale, self.days = seed, scale, days
        self.streams = Streams(seed)
        try:
            self.city = generate_map(p["map"], p["population"], self.streams.get("map"))
        except ValueError as exc:
            key, _, msg = str(exc).partition(": ")
            raise ScenarioError(scenario.path or scenario.name, key, msg) from None
        city = self.city
        self.grid = OrthogonalMooreGrid((city.width, city.height), torus=False,
                                        random=self.random)
        self.calendar = OfficeCalendar(p["calendar"]["office_open_h"],
                                       p["calendar"]["office_close_h"],
                                       p["calendar"]["workdays_per_week"])
        self._build_enterprises()
        n_res = max(1, int(round(p["population"]["residents"] * scale)))
        self.residents = Residents(city, p["population"], [e.cells for e in self.enterprises],
                                   np.array([e.weight for e in self.enterprises]), n_res,
                                   p["trust"]["initial_mean"], p["trust"]["initial_sd"],
                                   self.streams.get("residents"))
        for i, n in enumerate(np.bincount(self.residents.employer[self.residents.employer >= 0],
                                          minlength=len(self.enterprises))):
            self.enterprises[i].employees = int(n)
        try:
            self.structure = Structure(city, p, scale)
        except ValueError as exc:
            key, _, msg = str(exc).partition(": ")
            raise ScenarioError(scenario.path or scenario.name, key, msg) from None
        self.hotline_unit = self.structure.hotline
        self.residents.community = self.structure.area_of_cell[self.residents.home]
        self.police = PoliceForce(city, self.structure, p, scale)
        self._build_staff_and_walkers()
        self._build_layers()
        self._build_visits()
        self.needs = draw_needs(self.residents, p, days, self.streams)
        self.engine = Engine(self)
        self.time_min = 0.0

    # ------------------------------------------------------------------ build
    def _build_enterprises(self) -> None:
        city, rng = self.city, self.streams.get("enterprises")
        land = city.land_use.ravel()
        zone = np.flatnonzero(land == INDUSTRIAL)
        self.enterprises: list[Enterprise] = []
        if len(zone):
            self.enterprises.append(Enterprise(self, "JISCO", zone, 1.0))
        commercial = np.flatnonzero(land == COMMERCIAL)
        n = self.params["map"]["enterprises"]
        if n and len(commercial):
            cells = rng.choice(commercial, size=n, replace=len(commercial) < n)
            weights = rng.lognormal(0.0, 1.0, n)
            if not self.enterprises:  # keep index 0 for JISCO, even when it has no zone
                self.enterprises.append(Enterprise(self, "JISCO", np.empty(0, np.int64), 0.0))
            for i, (c, w) in enumerate(zip(cells, weights)):
                self.enterprises.append(Enterprise(self, f"Enterprise {i + 1}",
                                                   np.array([c]), float(w)))

    def _build_staff_and_walkers(self) -> None:
        p, city, st, pol = self.params, self.city, self.structure, self.police
        h, cell_m, tick = city.height, city.cell_m, p["calendar"]["patrol_tick_min"]

        def cells_per_tick(kmh: float) -> float:
            return kmh * 1000 / 60 * tick / cell_m

        # walkers: officers, then joint-defence members, then grid workers
        start = pol.base_cells[pol.officer_base]
        speed = np.where(pol.auxiliary, cells_per_tick(p["police"]["foot_patrol_speed_kmh"]),
                         cells_per_tick(p["police"]["patrol_speed_kmh"]))
        beats = list(pol.beat_cells)
        beat = list(pol.officer_base)
        grid_units = []
        n_beats = len(beats)
        for k, uid in enumerate(st.community_units):
            area_cells = np.flatnonzero(st.area_of_cell == k)
            beats.append(area_cells)
            for _ in range(st.units[uid].staff.get("grid_worker", 0)):
                grid_units.append(uid)
                beat.append(n_beats + k)
        gstart = np.array([st.units[u].cell for u in grid_units], np.int64)
        all_start = np.concatenate([start, gstart]).astype(np.int64)
        all_speed = np.concatenate([speed, np.full(len(gstart),
                                                   cells_per_tick(p["grid"]["walk_speed_kmh"]))])
        self.walkers = Walkers(all_start // h, all_start % h, all_speed, beat, beats, h,
                               self.streams.get("patrol.targets"))
        self.officers = [PoliceOfficer(self, int(b), int(pol.base_cells[b]), int(s), i,
                                       ROLES[r])
                         for i, (b, s, r) in enumerate(zip(pol.officer_base, pol.officer_shift,
                                                           pol.role))]
        self.workers: list[CommunityWorker] = []
        for unit in st.units:
            for role in ("front_desk", "caseworker"):
                for _ in range(unit.staff.get(role, 0)):
                    self.workers.append(CommunityWorker(self, unit.id, role))
        for j, uid in enumerate(grid_units):
            self.workers.append(CommunityWorker(self, uid, "grid_worker", pol.n + j))

    def _build_layers(self) -> None:
        """Mesa property layers for inspection and drawing."""
        city, st = self.city, self.structure
        shape = (city.width, city.height)
        pop = self.residents.counts_per_cell(city.width * city.height).reshape(shape)
        for name, data in (("population", pop.astype(float)),
                           ("land_use", city.land_use.astype(float)),
                           ("area", st.area_of_cell.reshape(shape).astype(float)),
                           ("walk_min", np.where(np.isfinite(st.walk_min), st.walk_min,
                                                 -1).reshape(shape))):
            layer = self.grid.create_property_layer(name, default_value=0.0, dtype=float)
            layer.data = data

    def _build_visits(self) -> None:
        res, st, g = self.residents, self.structure, self.params["grid"]
        due = np.flatnonzero(res.vulnerable | res.special)
        area = st.area_of_cell[res.home[due]]
        n_areas = st.n_communities + st.n_villages
        cap = np.zeros(n_areas, np.int64)
        for a in range(n_areas):
            unit = st.units[st.area_unit[a]]
            visitors = unit.staff.get("grid_worker", 0) if unit.level == "community" else \
                unit.staff.get("caseworker", 0) if unit.level == "village" else 0
            cap[a] = visitors * g["visits_per_worker_day"]
        self.visits = Visits(due, area, cap, g["visit_interval_days"], self.streams,
                             self.calendar.is_workday)

    # -------------------------------------------------------------------- run
    def step(self) -> None:
        """Advance one simulated hour."""
        self.run_until(self.time_min + 60.0)

    def run_until(self, t_min: float) -> None:
        """Advance to minute `t_min` (never beyond the horizon)."""
        t_min = min(t_min, self.days * 1440.0)
        if t_min > self.time_min:
            self.engine.run_until(t_min)
            self.time_min = t_min
        self.running = self.time_min < self.days * 1440.0

    def run(self, progress=None) -> None:
        """Run to the horizon, calling `progress(day, days)` after each simulated day."""
        for day in range(int(self.time_min // 1440) + 1, self.days + 1):
            self.run_until(day * 1440.0)
            if progress is not None:
                progress(day, self.days)
