"""GovernanceModel: the city, its agents and its cases, as a Mesa model.

The model builds, in this order and each from its own random stream: the map, the
enterprises, the residents (these three depend on the seed only), then the management
structure, its offices and staff, the police, and the needs of the whole horizon.
`step()` advances one simulated hour and fills the DataCollector; `run()` steps to the
horizon. It knows nothing of files, the command line or a browser: it takes a validated
`Scenario`, or a scenario name that the scenario module resolves.

Scale: `scale` samples residents (1 in 1/scale) and gives each sampled resident 1/scale
of the needs, visits and per-resident work; units keep their full staff and the police
their full force, so loads, queues, coverage and times estimate the full city's.
"""

from __future__ import annotations

import numpy as np
from mesa import DataCollector, Model
from mesa.discrete_space import OrthogonalMooreGrid

from .agents import CommunityOffice, CommunityWorker, Enterprise, Office, PoliceOfficer
from .calendar import DAY, OfficeCalendar
from .city import COMMERCIAL, INDUSTRIAL, generate_map
from .engine import Engine
from .figures import COMMUNITY_REPORTERS, MODEL_REPORTERS
from .movement import Walkers
from .needs import draw_needs
from .police import ROLES, PoliceForce
from .population import Residents
from .randomness import Streams
from .scenario import Scenario, ScenarioError, load
from .structure import Structure


class GovernanceModel(Model):
    """A city governed under one scenario.

    Args:
        scenario: a `Scenario`, or a scenario name or file path.
        seed: the run's seed; fixes the city, residents, needs and every decision.
        scale: share of residents simulated (see the module docstring).
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
        where = scenario.path or scenario.name
        try:
            self.city = generate_map(p["map"], p["population"], self.streams.get("map"))
        except ValueError as exc:
            key, _, msg = str(exc).partition(": ")
            raise ScenarioError(where, key, msg) from None
        city = self.city
        self.grid = OrthogonalMooreGrid((city.width, city.height), torus=False,
                                        random=self.random)
        cal = p["calendar"]
        self.calendar = OfficeCalendar(cal["office_open_h"], cal["office_close_h"],
                                       cal["workdays_per_week"], cal["lunch_start_h"],
                                       cal["lunch_end_h"])
        self._build_enterprises()
        n_res = max(1, int(round(p["population"]["residents"] * scale)))
        #: the share of the population simulated (scale, up to rounding): each sampled
        #: resident stands for 1 / sample_share residents
        self.sample_share = n_res / p["population"]["residents"]
        self.residents = Residents(city, p["population"], [e.cells for e in self.enterprises],
                                   np.array([e.weight for e in self.enterprises]), n_res,
                                   p["trust"]["initial_mean"], p["trust"]["initial_sd"],
                                   self.streams.get("residents"))
        for i, n in enumerate(np.bincount(self.residents.employer[self.residents.employer >= 0],
                                          minlength=len(self.enterprises))):
            self.enterprises[i].employees = int(n)
        try:
            self.structure = Structure(city, p)
        except ValueError as exc:
            key, _, msg = str(exc).partition(": ")
            raise ScenarioError(where, key, msg) from None
        self.residents.community = self.structure.area_of_cell[self.residents.home]
        self.police = PoliceForce(city, self.structure, p)
        self._build_offices()
        self._build_staff_and_walkers()
        self._build_layers()
        self.needs = draw_needs(self.residents, p, days, self.streams, self.sample_share)
        self.time_min = 0.0
        self.engine = Engine(self)
        self.datacollector = DataCollector(
            model_reporters=dict(MODEL_REPORTERS),
            agenttype_reporters={CommunityOffice: dict(COMMUNITY_REPORTERS)})
        self.datacollector.collect(self)

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

    def _build_offices(self) -> None:
        self.offices = [(CommunityOffice if u.level in ("community", "village") else Office)(
            self, u.id) for u in self.structure.units]

    def _build_staff_and_walkers(self) -> None:
        p, city, st, pol = self.params, self.city, self.structure, self.police
        h, cell_m, tick = city.height, city.cell_m, p["calendar"]["patrol_tick_min"]

        def cells_per_tick(kmh: float) -> float:
            return kmh * 1000 / 60 * tick / cell_m

        # walkers: officers, then joint-defence members etc., then grid workers
        start = pol.base_cells[pol.officer_base]
        speed = np.where(pol.auxiliary, cells_per_tick(p["police"]["foot_patrol_speed_kmh"]),
                         cells_per_tick(p["police"]["patrol_speed_kmh"]))
        beats, beat = list(pol.beat_cells), list(pol.officer_base)
        grid_units = []
        for area, uid in enumerate(st.area_unit):
            unit = st.units[uid]
            if unit.level != "community" or area >= st.n_communities:
                continue
            beats.append(np.flatnonzero(st.area_of_cell == area))
            for _ in range(unit.staff.get("grid_worker", 0)):
                grid_units.append(int(uid))
                beat.append(len(beats) - 1)
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
        self.grid_walkers: dict[int, list[int]] = {}
        self.workers: list[CommunityWorker] = []
        for j, uid in enumerate(grid_units):
            self.grid_walkers.setdefault(uid, []).append(pol.n + j)
            self.workers.append(CommunityWorker(self, uid, "grid_worker", pol.n + j))
        for unit in st.units:
            for role, count in unit.staff.items():
                if role == "grid_worker" and unit.id in self.grid_walkers:
                    continue
                for _ in range(count):
                    self.workers.append(CommunityWorker(self, unit.id, role))

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

    # -------------------------------------------------------------------- run
    @property
    def horizon_min(self) -> float:
        return self.days * DAY

    def step(self) -> None:
        """Advance one simulated hour and record the DataCollector's row for it."""
        self.run_until(self.time_min + 60.0)
        self.datacollector.collect(self)

    def run_until(self, t_min: float) -> None:
        """Advance to minute `t_min` (never beyond the horizon), without collecting."""
        t_min = min(t_min, self.horizon_min)
        if t_min > self.time_min:
            self.engine.run_until(t_min)
            self.time_min = t_min
        self.running = self.time_min < self.horizon_min

    def run(self, progress=None) -> None:
        """Step to the horizon, calling `progress(day, days)` after each simulated day."""
        while self.running:
            self.step()
            if progress is not None and self.time_min % DAY == 0:
                progress(int(self.time_min // DAY), self.days)
