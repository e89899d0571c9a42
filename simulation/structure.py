"""The management structure: units, the areas they serve, and who may resolve what.

A structure is a set of units (organisations, not people) in a tree: communities under
street offices under districts under the city, villages under towns under the city; any
middle layer may be absent. Each unit has staff pools and an authority: the kinds of
routine and complex case it may resolve itself. The city resolves everything.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

from .city import CityMap
from .geometry import travel_min
from .parameters import KINDS
from .partition import allocate, central_cell, nested_partition


def scaled(count: int, scale: float) -> int:
    """Staff scaled with the sampled population; a staffed post keeps at least one."""
    return 0 if count <= 0 else max(1, int(round(count * scale)))


@dataclass
class ServerPool:
    """Staff of one role at a unit, serving one queue first come, first served."""

    servers: int
    round_the_clock: bool = False
    free: int = 0
    queue: deque = field(default_factory=deque)
    busy_min: float = 0.0

    def __post_init__(self):
        self.free = self.servers


@dataclass
class Unit:
    """An organisation that takes in and resolves cases.

    Attributes:
        id: index in `Structure.units`.
        level: "community", "street_office", "district", "city", "village", "town".
        name: readable name.
        cell: flat index of its office.
        parent: id of the unit above, -1 for the city.
        routine, complex: kind codes (see `KINDS`) it may resolve.
        desk: front-desk pool (walk-ins); None if it takes no walk-ins.
        cases: caseworker pool (cases passed up, dispatched or found).
        staff: head count by role.
        floor_m2: service floor space.
    """

    id: int
    level: str
    name: str
    cell: int
    parent: int
    routine: frozenset
    complex: frozenset
    desk: ServerPool | None
    cases: ServerPool
    staff: dict
    floor_m2: float = 0.0
    depth: int = 0
    dispatches: bool = False
    call_min: float = 0.0
    staff_full: dict = field(default_factory=dict)

    def can_resolve(self, kind: int, is_complex: bool) -> bool:
        return kind in (self.complex if is_complex else self.routine)


class Structure:
    """Units and the areas they serve.

    Attributes:
        units: every unit; `units[city]` is the city.
        area_of_cell: flat array, index of the community (0..C-1) or village (C..C+V-1)
            of each inhabited cell, -1 elsewhere.
        area_unit: for each area, the lowest unit its residents' cases go to.
        n_communities, n_villages: number of urban and rural areas.
        street_office_of_area, district_of_area: unit ids (or -1) above each area.
        service_points: ids of units that take walk-ins.
        walk_min: flat array, walking minutes from each cell to its nearest service point.
        nearest_point: flat array, unit id of that service point.
        resolver: `[unit, kind, complex]` -> first unit at or above `unit` with authority.
    """

    def __init__(self, city: CityMap, params: dict, scale: float):
        s, staff, auth = params["structure"], params["staff"], params["authority"]
        w, h = city.width, city.height
        self.height = h
        self.units: list[Unit] = []
        flat_density = city.density.ravel()
        urban = np.flatnonzero(city.urban.ravel())
        ux, uy = urban // h, urban % h
        uw = flat_density[urban]
        n_comm = s["communities"]
        if n_comm > len(urban):
            raise ValueError(f"structure.communities: {n_comm} communities but only "
                             f"{len(urban)} inhabited urban cells")

        def kinds(level: str, which: str) -> frozenset:
            if level == "city":
                return frozenset(range(len(KINDS)))
            if level == "mediation_centre":
                return frozenset({KINDS.index("dispute")})
            return frozenset(KINDS.index(k) for k in auth[which][level])

        def add(level, name, cell, parent, roles, floor=0.0, round_the_clock=False):
            uid = len(self.units)
            counts = {r: scaled(c, scale) for r, c in roles.items()}
            desk = ServerPool(counts["front_desk"]) if counts.get("front_desk") else None
            cw = counts.get("caseworker", 0)
            cases = ServerPool(cw, round_the_clock) if cw else desk
            self.units.append(Unit(uid, level, name, int(cell), parent, kinds(level, "routine"),
                                   kinds(level, "complex"), desk, cases, counts, floor,
                                   staff_full=dict(roles)))
            return uid

        # nested urban areas: districts > street offices > communities
        counts, top_w = [], None
        if s["districts"]:
            counts.append(s["districts"])
            top_w = s["district_weights"]
        if s["street_offices"]:
            counts.append(s["street_offices"])
        counts.append(n_comm)
        levels = nested_partition(ux, uy, uw, counts, top_w)
        comm_label = levels[-1]
        city_cell = urban[central_cell(ux, uy, uw)]
        self.city = add("city", "City departments", city_cell, -1, dict(staff["city"]))

        def centre_of(mask):
            idx = np.flatnonzero(mask)
            return urban[idx[central_cell(ux[idx], uy[idx], uw[idx])]]

        parent_of_label = {}
        layer_names = []
        if s["districts"]:
            layer_names.append("district")
        if s["street_offices"]:
            layer_names.append("street_office")
        parent_ids = None
        for depth, (lv, labels) in enumerate(zip(layer_names, levels[:-1])):
            ids = []
            for k in range(labels.max() + 1):
                par = self.city if parent_ids is None else parent_ids[
                    int(np.bincount(levels[depth - 1][labels == k]).argmax())]
                ids.append(add(lv, f"{lv.replace('_', ' ').title()} {k + 1}",
                               centre_of(labels == k), par, dict(staff[lv])))
            parent_ids = ids
            parent_of_label[lv] = (labels, ids)
        above = levels[-2] if len(levels) > 1 else None
        comm_units = []
        comm_staff = community_staffing(params, n_comm, len(city.town_names),
                                        len(city.village_town))
        for k in range(n_comm):
            mask = comm_label == k
            par = self.city if parent_ids is None else parent_ids[int(above[mask][0])]
            comm_units.append(add("community", f"Community {k + 1}", centre_of(mask), par,
                                  comm_staff[k], s["community_floor_m2"]))

        # rural: towns and (optionally) village service centres
        n_vil = len(city.village_town)
        vil_flat = city.village.ravel()
        town_units = []
        for t, name in enumerate(city.town_names):
            seat = np.flatnonzero(vil_flat == int(np.flatnonzero(city.village_town == t)[0])) \
                if (city.village_town == t).any() else np.array([city_cell])
            seat_cell = seat[central_cell(seat // h, seat % h, np.ones(len(seat)))]
            town_units.append(add("town", f"{name} town", seat_cell, self.city,
                                  dict(staff["town"])))
        area_unit = list(comm_units)
        self.village_units = []
        for v in range(n_vil):
            cells = np.flatnonzero(vil_flat == v)
            town = town_units[city.village_town[v]]
            if s["village_service_centres"]:
                cell = cells[central_cell(cells // h, cells % h, flat_density[cells] + 1e-9)]
                uid = add("village", f"Village {v + 1}", cell, town, dict(staff["village"]))
                self.village_units.append(uid)
                area_unit.append(uid)
            else:
                area_unit.append(town)

        self.n_communities, self.n_villages = n_comm, n_vil
        self.area_unit = np.array(area_unit, np.int32)
        self.community_units = np.array(comm_units, np.int32)
        self.area_of_cell = np.full(w * h, -1, np.int32)
        self.area_of_cell[urban] = comm_label
        rural = vil_flat >= 0
        self.area_of_cell[rural] = n_comm + vil_flat[rural]
        self.area_of_cell[flat_density <= 0] = -1
        self.area_names = [f"Community {k + 1}" for k in range(n_comm)] + [
            f"Village {v + 1}" for v in range(n_vil)]

        def ancestor(uid, level):
            while uid >= 0:
                if self.units[uid].level == level:
                    return uid
                uid = self.units[uid].parent
            return -1

        self.street_office_of_area = np.array([ancestor(u, "street_office") for u in area_unit])
        self.district_of_area = np.array([ancestor(u, "district") for u in area_unit])
        for u in self.units:
            d, p = 0, u.parent
            while p >= 0:
                d, p = d + 1, self.units[p].parent
            u.depth = d
        self.handoff_h = {lv: params["handoff_delay_h"].get(lv, 0.0) for lv in
                          ("community", "street_office", "district", "village", "town", "city",
                           "mediation_centre")}
        self.town_units = np.array(town_units, np.int32)

        # the grand mediation centre: disputes that cannot be settled below go straight there
        self.mediation = None
        med = params["mediation"]
        if med["centre"]:
            self.mediation = add("mediation_centre", "Grand mediation centre", city_cell,
                                 self.city, {"caseworker": med["staff"]})

        # where a case goes when a unit cannot resolve it, and who finally resolves it
        n_units = len(self.units)
        dispute = KINDS.index("dispute")
        self.escalate = np.full((n_units, len(KINDS)), -1, np.int32)
        for u in self.units:
            self.escalate[u.id, :] = u.parent
            if self.mediation is not None and u.id not in (self.mediation, self.city):
                self.escalate[u.id, dispute] = self.mediation
        self.resolver = np.full((n_units, len(KINDS), 2), -1, np.int32)
        for u in self.units:
            for k in range(len(KINDS)):
                for c in (0, 1):
                    v = u.id
                    while not self.units[v].can_resolve(k, bool(c)):
                        v = int(self.escalate[v, k])
                    self.resolver[u.id, k, c] = v

        # the 12345 hotline: takes calls round the clock and sends them on
        self.hotline = None
        hl = params["hotline"]
        if hl["enabled"]:
            ops = scaled(hl["operators_on_duty"], scale)
            self.hotline = Unit(len(self.units), "hotline", "12345 hotline", city_cell, -1,
                                frozenset(), frozenset(), None, ServerPool(ops, True),
                                {"operator": ops}, dispatches=True,
                                call_min=hl["call_handling_min"],
                                staff_full={"operator": hl["operators_on_duty"]})
            self.units.append(self.hotline)

        # walk-in service points and the walk to the nearest one
        self.service_points = np.array([u.id for u in self.units if u.desk is not None],
                                       np.int32)
        cell_m = city.cell_m
        xs_all, ys_all = np.arange(w * h) // h, np.arange(w * h) % h
        best = np.full(w * h, np.inf)
        self.nearest_point = np.full(w * h, -1, np.int32)
        acc = params["access"]
        for uid in self.service_points:
            c = self.units[uid].cell
            dist = travel_min(xs_all - c // h, ys_all - c % h, cell_m, acc["walk_speed_kmh"],
                              acc["detour_factor"])
            better = dist < best
            best[better] = dist[better]
            self.nearest_point[better] = uid
        self.walk_min = best

    def chain(self, uid: int) -> list[int]:
        """The unit and every unit above it."""
        out = []
        while uid >= 0:
            out.append(uid)
            uid = self.units[uid].parent
        return out

    def staff_by_level(self, full_scale: bool = False) -> dict[str, dict[str, int]]:
        """Head count by level and role (as simulated, or as at scale 1)."""
        out: dict[str, dict[str, int]] = {}
        for u in self.units:
            lv = out.setdefault(u.level, {})
            for r, c in (u.staff_full if full_scale else u.staff).items():
                lv[r] = lv.get(r, 0) + c
        return out


def community_staffing(params: dict, n_comm: int, n_towns: int, n_villages: int) -> list[dict]:
    """Staff of each community by role, at scale 1.

    As the scenario says; or, when `budget.total_office_staff` is set, rescaled so that all
    office staff (every unit, hotline operators and mediators included) add up to it:
    the community total is spread evenly over communities and split by role in the
    scenario's proportions.
    """
    s, staff = params["structure"], params["staff"]
    roles = dict(staff["community"])
    target = params["budget"]["total_office_staff"]
    if target <= 0:
        return [dict(roles) for _ in range(n_comm)]
    others = (s["districts"] * sum(staff["district"].values())
              + s["street_offices"] * sum(staff["street_office"].values())
              + sum(staff["city"].values()) + n_towns * sum(staff["town"].values()))
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




