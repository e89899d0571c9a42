"""The management structure: units, the areas they serve, and who holds which power.

A structure is a set of units (organisations, not people). The territorial tree runs
communities -> street offices -> districts -> the city, and villages -> towns -> the city;
any middle layer may be absent. Beside it stand the city's line departments (civil
affairs, justice, public security, ...), which hold the approval and enforcement powers
for their kinds of matter, and optionally the mediation centre and the 12345 hotline.

Each unit has staff by role, a decision cycle, and the kinds of routine and complex
matter it may settle (`authority.*`). A matter it cannot settle is referred: up the
territorial tree one layer at a time (or, with `routing.direct_referral`, straight to
the lowest unit above that holds the power); from the top of the tree to the line
department of its kind; disputes to the mediation centre where there is one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .city import CityMap
from .geometry import travel_min
from .parameters import KINDS, OFFICE_KINDS
from .partition import allocate, central_cell, nested_partition

DISPUTE = KINDS.index("dispute")
#: Levels whose units are government bodies (they sign off what they pass up).
GOVERNMENT = frozenset({"street_office", "district", "town", "city", "mediation_centre"})
#: Levels of the territorial tree, bottom to top (urban, then rural).
TERRITORIAL = ("community", "street_office", "district", "village", "town")


@dataclass
class Unit:
    """An organisation that takes in matters, settles some and refers the rest.

    Attributes:
        id: index in `Structure.units`.
        level: "community", "street_office", "district", "village", "town", "city" (a
            line department), "mediation_centre", "hotline" or "dispatch" (the police's).
        name: readable name.
        cell: flat index of its office.
        parent: id of the territorial unit above, -1 at the top (the city).
        routine, complex: kind codes it may settle.
        staff: head count by role.
        cycle_days: decision cycle (0 at once, 1 daily sign-off, 7 weekly meeting).
        floor_m2: service floor space (communities).
        round_the_clock: staffed at every hour (the hotline).
        department: for a line department, its name.
        children: territorial units directly below.
        population: residents of the area it serves at scale 1 (areas' units only).
        communities_below: communities and villages in its part of the tree.
    """

    id: int
    level: str
    name: str
    cell: int
    parent: int
    routine: frozenset
    complex: frozenset
    staff: dict
    cycle_days: float = 0.0
    floor_m2: float = 0.0
    round_the_clock: bool = False
    department: str = ""
    children: list = field(default_factory=list)
    population: float = 0.0
    communities_below: int = 0
    depth: int = 0

    @property
    def government(self) -> bool:
        return self.level in GOVERNMENT

    def can_resolve(self, kind: int, is_complex: bool) -> bool:
        return kind in (self.complex if is_complex else self.routine)


class Structure:
    """Units, the areas they serve and how matters travel between them.

    Attributes:
        units: every unit.
        area_of_cell: flat array, index of the community (0..C-1) or village (C..C+V-1)
            of each inhabited cell, -1 elsewhere.
        area_unit: for each area, the unit its residents walk in to (community, village
            centre, or the town where villages have no centre).
        community_units: unit id of each community.
        town_units, village_units, department_units: unit ids.
        department_of_kind: unit id of the line department of each kind (-1: police).
        street_office_of_area, district_of_area, town_of_area: unit ids above each area.
        escalate: `[unit, kind]` -> unit a matter is referred to (-1: none above).
        resolver: `[unit, kind, complex]` -> first unit on the referral path with the power.
        service_points: ids of units that take walk-ins.
        walk_min: flat array, walking minutes from each cell to its nearest service point.
        nearest_point: flat array, unit id of that service point.
    """

    def __init__(self, city: CityMap, params: dict):
        self.city, self.params = city, params
        self.height = city.height
        self.units: list[Unit] = []
        self._partition_urban()
        self._add_departments()
        self._add_urban_layers()
        self._add_rural_units()
        self._add_mediation_centre()
        self._add_hotline()
        self._add_dispatch_centre()
        self._link_tree()
        self._build_routing()
        self._locate_service_points()

    # ------------------------------------------------------------- builder steps
    def _partition_urban(self) -> None:
        """Nested, population-balanced urban areas: districts > street offices > communities."""
        city, s = self.city, self.params["structure"]
        h = city.height
        self.density = city.density.ravel()
        self.urban = np.flatnonzero(city.urban.ravel())
        if s["communities"] > len(self.urban):
            raise ValueError(f"structure.communities: {s['communities']} communities but only "
                             f"{len(self.urban)} inhabited urban cells")
        ux, uy = self.urban // h, self.urban % h
        counts, top_w = [], None
        if s["districts"]:
            counts.append(s["districts"])
            top_w = s["district_weights"]
        if s["street_offices"]:
            counts.append(s["street_offices"])
        counts.append(s["communities"])
        self._levels = nested_partition(ux, uy, self.density[self.urban], counts, top_w)
        self._layer_names = (["district"] if s["districts"] else []) + \
            (["street_office"] if s["street_offices"] else [])
        self.city_cell = int(self.urban[central_cell(ux, uy, self.density[self.urban])])

    def _centre_of(self, mask: np.ndarray) -> int:
        h, idx = self.height, np.flatnonzero(mask)
        cells = self.urban[idx]
        return int(cells[central_cell(cells // h, cells % h, self.density[cells])])

    def _add(self, level: str, name: str, cell: int, parent: int, staff: dict,
             **extra) -> int:
        auth = self.params["authority"]
        if level in TERRITORIAL:
            routine = frozenset(KINDS.index(k) for k in auth["routine"][level])
            complex_ = frozenset(KINDS.index(k) for k in auth["complex"][level])
        else:
            routine = complex_ = frozenset()
        cycle = self.params["decision"]["cycle_days"].get(level, 0.0)
        uid = len(self.units)
        self.units.append(Unit(uid, level, name, int(cell), parent, routine, complex_,
                               {r: int(c) for r, c in staff.items() if c > 0}, cycle, **extra))
        return uid

    def _add_departments(self) -> None:
        law = self.params["law"]["department"]
        self.department_units = []
        by_name = {}
        for d in self.params["departments"]:
            kinds = frozenset(KINDS.index(k) for k in OFFICE_KINDS if law[k] == d["name"])
            uid = self._add("city", d["name"].replace("_", " ").capitalize(), self.city_cell,
                            -1, {"caseworker": d["staff"]}, department=d["name"])
            self.units[uid].routine = self.units[uid].complex = kinds
            self.department_units.append(uid)
            by_name[d["name"]] = uid
        self.department_by_name = by_name
        self.department_of_kind = np.array(
            [by_name[law[k]] if k in law else -1 for k in KINDS], np.int32)

    def _add_urban_layers(self) -> None:
        s, staff = self.params["structure"], self.params["staff"]
        levels, names = self._levels, self._layer_names
        parent_ids: list[int] | None = None
        for depth, (lv, labels) in enumerate(zip(names, levels[:-1])):
            ids = []
            for k in range(labels.max() + 1):
                par = -1 if parent_ids is None else parent_ids[
                    int(np.bincount(levels[depth - 1][labels == k]).argmax())]
                ids.append(self._add(lv, f"{lv.replace('_', ' ').title()} {k + 1}",
                                     self._centre_of(labels == k), par, staff[lv]))
            parent_ids = ids
        comm_label = levels[-1]
        above = levels[-2] if len(levels) > 1 else None
        n_comm = s["communities"]
        comm_staff = community_staffing(self.params, n_comm, len(self.city.town_names),
                                        len(self.city.village_town))
        self.community_units = np.array([
            self._add("community", f"Community {k + 1}", self._centre_of(comm_label == k),
                      -1 if parent_ids is None else parent_ids[int(above[comm_label == k][0])],
                      comm_staff[k], floor_m2=s["community_floor_m2"])
            for k in range(n_comm)], np.int32)
        self._comm_label = comm_label

    def _add_rural_units(self) -> None:
        city, s, staff = self.city, self.params["structure"], self.params["staff"]
        h = self.height
        vil_flat = city.village.ravel()
        town_units = []
        for t, name in enumerate(city.town_names):
            members = np.flatnonzero(city.village_town == t)
            seat = np.flatnonzero(vil_flat == int(members[0])) if len(members) else \
                np.array([self.city_cell])
            cell = seat[central_cell(seat // h, seat % h, np.ones(len(seat)))]
            town_units.append(self._add("town", f"{name} town", cell, -1, staff["town"]))
        self.town_units = np.array(town_units, np.int32)
        self.village_units = []
        area_unit = list(self.community_units)
        for v in range(len(city.village_town)):
            cells = np.flatnonzero(vil_flat == v)
            town = town_units[city.village_town[v]]
            if s["village_service_centres"]:
                cell = cells[central_cell(cells // h, cells % h, self.density[cells] + 1e-9)]
                uid = self._add("village", f"Village {v + 1}", cell, town, staff["village"])
                self.village_units.append(uid)
                area_unit.append(uid)
            else:
                area_unit.append(town)
        self.area_unit = np.array(area_unit, np.int32)
        self.n_communities, self.n_villages = len(self.community_units), len(city.village_town)
        self.area_of_cell = np.full(self.density.size, -1, np.int32)
        self.area_of_cell[self.urban] = self._comm_label
        rural = vil_flat >= 0
        self.area_of_cell[rural] = self.n_communities + vil_flat[rural]
        self.area_of_cell[self.density <= 0] = -1
        self.area_names = [f"Community {k + 1}" for k in range(self.n_communities)] + [
            f"Village {v + 1}" for v in range(self.n_villages)]
        self.village_town_unit = self.town_units[city.village_town] if self.n_villages else \
            np.empty(0, np.int32)
        # residents of each area at scale 1 (what per-resident work and visits scale with)
        area = self.area_of_cell
        self.area_population = np.bincount(area[area >= 0], weights=self.density[area >= 0],
                                           minlength=self.n_communities + self.n_villages)

    def _add_mediation_centre(self) -> None:
        med = self.params["mediation"]
        self.mediation = None
        if med["centre"]:
            self.mediation = self._add("mediation_centre", "Grand mediation centre",
                                       self.city_cell, -1, {"caseworker": med["staff"]})
            self.units[self.mediation].routine = frozenset({DISPUTE})
            self.units[self.mediation].complex = frozenset({DISPUTE})

    def _add_hotline(self) -> None:
        hl = self.params["hotline"]
        self.hotline = None
        if hl["enabled"]:
            self.hotline = self._add("hotline", "12345 hotline", self.city_cell, -1,
                                     {"operator": hl["operators_on_duty"]},
                                     round_the_clock=True)

    def _add_dispatch_centre(self) -> None:
        """The police dispatch centre (110): call-takers round the clock."""
        self.dispatch = self._add("dispatch", "110 dispatch centre", self.city_cell, -1,
                                  {"operator": self.params["police"]["dispatchers"]},
                                  round_the_clock=True)

    def _link_tree(self) -> None:
        """Children, depth, populations and community counts of the territorial tree."""
        for u in self.units:
            if u.parent >= 0:
                self.units[u.parent].children.append(u.id)
        for a, uid in enumerate(self.area_unit):
            self.units[uid].population += float(self.area_population[a])
            for anc in self.chain(int(uid)):
                self.units[anc].communities_below += 1
        for u in self.units:
            u.depth = len(self.chain(u.id)) - 1
        self.top_units = [u.id for u in self.units
                          if u.parent < 0 and u.level in TERRITORIAL]
        self.street_office_of_area = np.array([self._ancestor(u, "street_office")
                                               for u in self.area_unit], np.int32)
        self.district_of_area = np.array([self._ancestor(u, "district")
                                          for u in self.area_unit], np.int32)
        town_of_area = [-1] * self.n_communities + list(self.village_town_unit)
        self.town_of_area = np.array(town_of_area, np.int32)

    def _build_routing(self) -> None:
        """Where a matter goes from each unit, and who finally holds the power."""
        n_units = len(self.units)
        direct = self.params["routing"]["direct_referral"]
        self.escalate = np.full((n_units, len(KINDS)), -1, np.int32)
        for u in self.units:
            for k in range(len(KINDS)):
                if u.level in ("city", "hotline", "dispatch", "mediation_centre"):
                    nxt = -1
                elif k == DISPUTE and self.mediation is not None:
                    nxt = self.mediation
                elif u.parent >= 0:
                    nxt = u.parent
                else:
                    nxt = int(self.department_of_kind[k])
                self.escalate[u.id, k] = nxt
        self.resolver = np.full((n_units, len(KINDS), 2), -1, np.int32)
        for u in self.units:
            for k in range(len(KINDS)):
                for c in (0, 1):
                    v = u.id
                    while v >= 0 and not self.units[v].can_resolve(k, bool(c)):
                        v = int(self.escalate[v, k])
                    self.resolver[u.id, k, c] = v
        # the unit a referral goes to: the layer above, or straight to the power
        self.referral = np.full((n_units, len(KINDS), 2), -1, np.int32)
        for u in self.units:
            for k in range(len(KINDS)):
                for c in (0, 1):
                    nxt = int(self.escalate[u.id, k])
                    if direct and nxt >= 0:
                        nxt = int(self.resolver[nxt, k, c])
                    self.referral[u.id, k, c] = nxt

    def _locate_service_points(self) -> None:
        """Walk-in service points and the walk from every cell to the nearest one."""
        acc = self.params["access"]
        city, h = self.city, self.height
        desks = {u.id for u in self.units
                 if u.level in TERRITORIAL and u.staff.get("front_desk", 0) > 0}
        self.service_points = np.array(sorted(desks | {int(x) for x in self.area_unit}),
                                       np.int32)
        n = city.width * h
        xs, ys = np.arange(n) // h, np.arange(n) % h
        best = np.full(n, np.inf)
        self.nearest_point = np.full(n, -1, np.int32)
        for uid in self.service_points:
            c = self.units[uid].cell
            dist = travel_min(xs - c // h, ys - c % h, city.cell_m, acc["walk_speed_kmh"],
                              acc["detour_factor"])
            better = dist < best
            best[better] = dist[better]
            self.nearest_point[better] = uid
        self.walk_min = best

    # ------------------------------------------------------------------ queries
    def _ancestor(self, uid: int, level: str) -> int:
        while uid >= 0:
            if self.units[uid].level == level:
                return uid
            uid = self.units[uid].parent
        return -1

    def chain(self, uid: int) -> list[int]:
        """The unit and every territorial unit above it."""
        out = []
        while uid >= 0:
            out.append(uid)
            uid = self.units[uid].parent
        return out

    def supervisors(self, uid: int) -> list[int]:
        """Units that supervise `uid`: its parent, or every line department at the top."""
        u = self.units[uid]
        if u.level not in TERRITORIAL:
            return []
        return [u.parent] if u.parent >= 0 else list(self.department_units)

    def staff_by_level(self) -> dict[str, dict[str, int]]:
        """Head count by level and role."""
        out: dict[str, dict[str, int]] = {}
        for u in self.units:
            lv = out.setdefault(u.level, {})
            for r, c in u.staff.items():
                lv[r] = lv.get(r, 0) + c
        return out


def community_staffing(params: dict, n_comm: int, n_towns: int, n_villages: int) -> list[dict]:
    """Staff of each community by role.

    As the scenario says; or, when `budget.total_office_staff` is set, rescaled so that all
    office staff (every unit, departments, hotline operators and mediators included) add
    up to it: the community total is spread evenly over communities and split by role in
    the scenario's proportions.
    """
    s, staff = params["structure"], params["staff"]
    roles = {r: int(round(c * staff["community_scale"])) for r, c in staff["community"].items()}
    target = params["budget"]["total_office_staff"]
    if target <= 0:
        return [dict(roles) for _ in range(n_comm)]
    others = (s["districts"] * sum(staff["district"].values())
              + s["street_offices"] * sum(staff["street_office"].values())
              + sum(d["staff"] for d in params["departments"])
              + n_towns * sum(staff["town"].values()))
    if s["village_service_centres"]:
        others += n_villages * sum(staff["village"].values())
    if params["hotline"]["enabled"]:
        others += params["hotline"]["operators_on_duty"]
    if params["mediation"]["centre"]:
        others += params["mediation"]["staff"]
    if target - others < 2 * n_comm:
        raise ValueError(f"budget.total_office_staff: {target} leaves fewer than two staff "
                         f"per community once the other {others} office staff are counted")
    per_comm = allocate(target - others, np.ones(n_comm))
    names = list(roles)
    weights = np.array([max(roles[r], 0) for r in names], float) + 1e-9
    out = []
    for total in per_comm:
        split = allocate(int(total), weights, minimum=0)
        out.append({r: int(c) for r, c in zip(names, split)})
    return out
