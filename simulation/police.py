"""Police: bases, beats, shifts, and dispatch of the nearest free officer.

Officers belong to a base (a precinct station, or a community police office when police
are embedded in communities) and patrol its beat while on shift. An emergency goes to
the nearest free officer on duty, who drives there; with none free, calls wait in order.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from .city import INDUSTRIAL, CityMap
from .geometry import octile
from .partition import allocate, bisect, central_cell
from .structure import Structure

ROLES = ("officer", "joint_defence", "governance", "jisco_patrol")
OFFICER, JOINT_DEFENCE, GOVERNANCE, JISCO_PATROL = range(len(ROLES))
#: How far from the industrial zone JISCO patrols walk into residential areas (cells).
JISCO_REACH_CELLS = 15


class PoliceForce:
    """Bases, officers and the calls waiting for one.

    Attributes:
        base_cells: flat cell of each base.
        beat_of_cell: flat array, base whose beat each inhabited cell is in (-1 elsewhere).
        officer_base, officer_shift: per member (officers first, then joint-defence
            members, comprehensive-governance staff and JISCO patrollers).
        role: index into `ROLES`.
        auxiliary: True for everyone but sworn officers (they patrol, are not dispatched).
        busy_until: minute each officer is next free.
        first_walker: row of the first officer in the model's walker arrays.
        waiting: calls waiting for a free officer (case ids, oldest first).
    """

    def __init__(self, city: CityMap, structure: Structure, params: dict):
        p = params["police"]
        h = city.height
        dens = city.density.ravel()
        inhabited = np.flatnonzero(dens > 0)
        urban = np.flatnonzero(city.urban.ravel())
        ux, uy, uw = urban // h, urban % h, dens[urban]
        self.embedding = p["embedding"]
        if self.embedding == "community":
            self.base_cells = np.array([structure.units[u].cell
                                        for u in structure.community_units])
            urban_beat = structure.area_of_cell[urban]
        else:
            n = min(p["stations"], len(urban))
            labels = bisect(ux, uy, uw, np.ones(n))
            self.base_cells = np.array([urban[np.flatnonzero(labels == k)[central_cell(
                ux[labels == k], uy[labels == k], uw[labels == k])]] for k in range(n)])
            urban_beat = labels
        n_bases = self.n_bases = len(self.base_cells)  # stations or offices, not JISCO
        self.beat_of_cell = np.full(dens.size, -1, np.int32)
        self.beat_of_cell[urban] = urban_beat
        rest = np.setdiff1d(inhabited, urban)
        if len(rest):
            bx, by = self.base_cells // h, self.base_cells % h
            d = octile(rest[:, None] // h - bx[None, :], rest[:, None] % h - by[None, :])
            self.beat_of_cell[rest] = np.argmin(d, axis=1)
        self.beat_cells = [np.flatnonzero(self.beat_of_cell == b) for b in range(n_bases)]
        beat_pop = np.array([dens[c].sum() for c in self.beat_cells]) + 1e-9

        self.n_shifts = max(1, int(round(1.0 / p["on_duty_share"])))
        self.shift_min = 1440.0 / self.n_shifts
        # JISCO factory patrol teams: their own beat, the zone and the homes beside it
        jisco = params["safe_cells"]["jisco_patrol_teams"] \
            if params["safe_cells"]["enabled"] else 0
        zone = np.flatnonzero(city.land_use.ravel() == INDUSTRIAL)
        if jisco and len(zone):
            zx, zy = zone // h, zone % h
            near = urban[np.min(octile(ux[:, None] - zx[None, ::7], uy[:, None] - zy[None, ::7]),
                                axis=1) <= JISCO_REACH_CELLS]
            self.beat_cells.append(np.concatenate([zone, near]))
            self.base_cells = np.append(self.base_cells, zone[len(zone) // 2])
            beat_pop = np.append(beat_pop, 0.0)
        else:
            jisco = 0
        bases, roles = [], []
        for count, role in ((p["officers"], OFFICER), (p["joint_defence"], JOINT_DEFENCE),
                            (p["governance_staff"], GOVERNANCE)):
            if count == 0:
                continue
            per_base = allocate(count, beat_pop[:n_bases],
                                minimum=1 if count >= n_bases else 0)
            bases.append(np.repeat(np.arange(n_bases), per_base))
            roles.append(np.full(count, role))
        if jisco:
            bases.append(np.full(jisco, n_bases))
            roles.append(np.full(jisco, JISCO_PATROL))
        self.officer_base = np.concatenate(bases) if bases else np.empty(0, np.int64)
        self.role = np.concatenate(roles) if roles else np.empty(0, np.int64)
        self.auxiliary = self.role != OFFICER
        # shifts round-robin within each role, so every staffed base covers the day
        # (members of a role are listed base by base, so counting them in that order gives
        # each base consecutive shifts and spreads single-officer bases over the day)
        rank = np.zeros(len(self.officer_base), int)
        for r in range(len(ROLES)):
            sel = np.flatnonzero(self.role == r)
            rank[sel] = np.arange(len(sel))
        self.officer_shift = rank % self.n_shifts
        self.busy_until = np.zeros(len(self.officer_base))
        self.n = len(self.officer_base)
        self.first_walker = 0
        self.waiting: deque[int] = deque()
        cell_m = city.cell_m
        self.drive_m_per_min = p["dispatch_speed_kmh"] * 1000 / 60
        self.detour = params["access"]["detour_factor"]
        self.cell_m = cell_m
        self.height = h

    def on_duty_shift(self, t: float) -> int:
        return int((t % 1440.0) // self.shift_min)

    def available(self, t: float) -> np.ndarray:
        """Boolean per officer: on shift, free, and a sworn officer."""
        return (self.officer_shift == self.on_duty_shift(t)) & (self.busy_until <= t) & \
            ~self.auxiliary

    def nearest(self, free: np.ndarray, x: np.ndarray, y: np.ndarray,
                cell: int) -> tuple[int, float]:
        """The free officer nearest `cell` and the drive time in minutes (-1 if none)."""
        idx = np.flatnonzero(free)
        if len(idx) == 0:
            return -1, 0.0
        d = octile(x[idx] - cell // self.height, y[idx] - cell % self.height)
        k = int(np.argmin(d))
        return int(idx[k]), float(d[k]) * self.cell_m * self.detour / self.drive_m_per_min
