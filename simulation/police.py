"""Police: stations and community posts, beats, shifts, and dispatch by beat.

Precinct stations (派出所) exist in every structure; each covers an area of the city cut by
population (villages join the nearest station). With embedding, a share of the officers
(`police.embedded_share`) is posted in community police offices, one per community, each
responsible for its community (包片); the joint-defence members and governance staff work
from the posts too. Officers patrol their own beat (the post's community, or the
station's area) while free on shift.

Calls reach the dispatch centre (a staffed unit of the structure: call-takers and their
handling time make a queue; priority-1 calls first). The centre sends the nearest free
officer of the incident's beat — the community post where there is one, else the
station — and only when none is free there the nearest free officer elsewhere
(`police.dispatch_rule` = "beat_first"), or always the nearest free officer anywhere
("nearest"). With nobody free, calls wait, priority 1 first. Driving follows streets
(`access.detour_factor`).
"""

from __future__ import annotations

import heapq

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
    """Bases, beats, officers and the calls waiting for one.

    Attributes:
        base_cells: flat cell of each base: the stations, then the community posts (with
            embedding), then the JISCO patrol base (with JISCO patrol teams).
        base_kind: "station", "post" or "jisco" per base.
        station_of_cell, post_of_cell: flat arrays, the station (base index) and the
            community post (base index, or -1) responsible for each inhabited cell.
        beat_cells: for each base, the cells it patrols.
        officer_base, officer_shift, role: per member (officers first, then joint-defence
            members, comprehensive-governance staff and JISCO patrollers).
        auxiliary: True for everyone but sworn officers (they patrol, are not dispatched).
        busy_until: minute each officer is next free.
        waiting: calls waiting for a free officer, a heap of (priority, arrival, case).
    """

    def __init__(self, city: CityMap, structure: Structure, params: dict):
        p = params["police"]
        h = self.height = city.height
        dens = city.density.ravel()
        inhabited = np.flatnonzero(dens > 0)
        urban = np.flatnonzero(city.urban.ravel())
        ux, uy, uw = urban // h, urban % h, dens[urban]
        # stations over the whole city
        n = min(p["stations"], len(urban))
        labels = bisect(ux, uy, uw, np.ones(n))
        cells = [urban[np.flatnonzero(labels == k)[central_cell(
            ux[labels == k], uy[labels == k], uw[labels == k])]] for k in range(n)]
        self.station_of_cell = np.full(dens.size, -1, np.int32)
        self.station_of_cell[urban] = labels
        rest = np.setdiff1d(inhabited, urban)
        if len(rest):
            sx, sy = np.array(cells) // h, np.array(cells) % h
            d = octile(rest[:, None] // h - sx[None, :], rest[:, None] % h - sy[None, :])
            self.station_of_cell[rest] = np.argmin(d, axis=1)
        kinds = ["station"] * n
        beats = [np.flatnonzero(self.station_of_cell == k) for k in range(n)]
        # community posts
        self.embedded = p["embedding"] == "community"
        self.post_of_cell = np.full(dens.size, -1, np.int32)
        if self.embedded:
            for k, uid in enumerate(structure.community_units):
                cells.append(structure.units[uid].cell)
                kinds.append("post")
                area = np.flatnonzero(structure.area_of_cell == k)
                beats.append(area)
                self.post_of_cell[area] = n + k
        pop = np.array([dens[b].sum() for b in beats]) + 1e-9
        stations = np.flatnonzero(np.array(kinds) == "station")
        posts = np.flatnonzero(np.array(kinds) == "post")
        # JISCO factory patrol teams: their own beat, the zone and the homes beside it
        jisco = params["safe_cells"]["jisco_patrol_teams"] \
            if params["safe_cells"]["enabled"] else 0
        zone = np.flatnonzero(city.land_use.ravel() == INDUSTRIAL)
        if jisco and len(zone):
            zx, zy = zone // h, zone % h
            near = urban[np.min(octile(ux[:, None] - zx[None, ::7], uy[:, None] - zy[None, ::7]),
                                axis=1) <= JISCO_REACH_CELLS]
            beats.append(np.concatenate([zone, near]))
            cells.append(zone[len(zone) // 2])
            kinds.append("jisco")
        else:
            jisco = 0
        self.base_cells = np.array(cells, np.int64)
        self.base_kind = kinds
        self.beat_cells = beats
        self.n_bases = len(cells)
        # who works where
        embedded = int(round(p["officers"] * p["embedded_share"])) if self.embedded else 0
        groups = [(p["officers"] - embedded, OFFICER, stations),
                  (embedded, OFFICER, posts)]
        aux_bases = posts if self.embedded else stations
        groups += [(p["joint_defence"], JOINT_DEFENCE, aux_bases),
                   (p["governance_staff"], GOVERNANCE, aux_bases)]
        bases, roles = [], []
        for count, role, where in groups:
            if count == 0 or len(where) == 0:
                continue
            per_base = allocate(count, pop[where], minimum=1 if count >= len(where) else 0)
            bases.append(np.repeat(where, per_base))
            roles.append(np.full(count, role))
        if jisco:
            bases.append(np.full(jisco, self.n_bases - 1))
            roles.append(np.full(jisco, JISCO_PATROL))
        self.officer_base = np.concatenate(bases) if bases else np.empty(0, np.int64)
        self.role = np.concatenate(roles) if roles else np.empty(0, np.int64)
        self.auxiliary = self.role != OFFICER
        self.n_shifts = max(1, int(round(1.0 / p["on_duty_share"])))
        self.shift_min = 1440.0 / self.n_shifts
        # shifts round-robin within each role, so every staffed base covers the day
        rank = np.zeros(len(self.officer_base), int)
        for r in range(len(ROLES)):
            sel = np.flatnonzero(self.role == r)
            rank[sel] = np.arange(len(sel))
        self.officer_shift = rank % self.n_shifts
        self.busy_until = np.zeros(len(self.officer_base))
        self.n = len(self.officer_base)
        self.waiting: list[tuple[int, float, int]] = []
        self.cell_m = city.cell_m
        self.drive_m_per_min = p["dispatch_speed_kmh"] * 1000 / 60
        self.detour = params["access"]["detour_factor"]
        self.beat_first = p["dispatch_rule"] == "beat_first"

    def on_duty_shift(self, t: float) -> int:
        return int((t % 1440.0) // self.shift_min)

    def available(self, t: float) -> np.ndarray:
        """Boolean per member: on shift, free, and a sworn officer."""
        return (self.officer_shift == self.on_duty_shift(t)) & (self.busy_until <= t) & \
            ~self.auxiliary

    def beat_of(self, cell: int) -> int:
        """The base responsible for `cell`: its community post, else its station."""
        post = self.post_of_cell[cell]
        return int(post) if post >= 0 else int(self.station_of_cell[cell])

    def drive_min(self, x, y, cell: int):
        return octile(x - cell // self.height, y - cell % self.height) * self.cell_m * \
            self.detour / self.drive_m_per_min

    def choose(self, t: float, x: np.ndarray, y: np.ndarray, cell: int) -> tuple[int, float]:
        """The officer to send to `cell` and the drive in minutes (-1 if nobody is free)."""
        free = self.available(t)
        if self.beat_first:
            mine = free & (self.officer_base == self.beat_of(cell))
            if mine.any():
                free = mine
        idx = np.flatnonzero(free)
        if len(idx) == 0:
            return -1, 0.0
        d = self.drive_min(x[idx], y[idx], cell)
        k = int(np.argmin(d))
        return int(idx[k]), float(d[k])

    def wait(self, priority: int, t: float, case: int) -> None:
        heapq.heappush(self.waiting, (priority, t, case))

    def next_waiting(self) -> int:
        return heapq.heappop(self.waiting)[2]

    def waiting_cases(self) -> list[int]:
        return [c for _, _, c in self.waiting]
