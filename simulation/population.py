"""Residents: one row per resident, one numpy column per attribute.

A city has about 232,000 residents; as Python objects they would cost seconds to build
and step. Here each resident is a row (as in Covasim's `People`): its own home, age,
registration, employer, flags and trust, and its history in the case table. A `Resident`
view gives one row as an object for inspection.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .city import CityMap

AGE_GROUPS = ("child", "adult", "elderly")
REGISTRATIONS = ("urban", "rural", "floating")
NO_EMPLOYER = -1


@dataclass
class Resident:
    """A read-only view of one resident."""

    id: int
    home: tuple[int, int]
    age_group: str
    registration: str
    employer: int
    work_cell: tuple[int, int] | None
    vulnerable: bool
    special: bool
    trust: float
    community: int


class Residents:
    """The resident population as columns.

    Attributes:
        n: number of residents.
        home: flat cell index (x * height + y) of each home.
        age: index into `AGE_GROUPS`.
        registration: index into `REGISTRATIONS`.
        employer: enterprise index (0 is JISCO) or `NO_EMPLOYER`.
        work_cell: flat cell index of the workplace, or -1.
        vulnerable, special: flags for scheduled visits.
        trust: trust in local government, 0..1 (changes during a run).
        community: lowest administrative unit of the home (set by the model).
    """

    def __init__(self, city: CityMap, pop: dict, enterprise_cells: list[np.ndarray],
                 enterprise_weights: np.ndarray, n: int, trust_mean: float, trust_sd: float,
                 rng: np.random.Generator):
        dens = city.density.ravel()
        self.height = city.height
        self.n = n
        self.home = np.sort(rng.choice(dens.size, size=n, p=dens / dens.sum())).astype(np.int32)
        u = rng.random((n, 6))
        self.age = np.where(u[:, 0] < pop["elderly_share"], 2,
                            np.where(u[:, 0] < pop["elderly_share"] + pop["child_share"], 0,
                                     1)).astype(np.int8)
        in_village = city.village.ravel()[self.home] >= 0
        fl, rr = pop["floating_share"], pop["rural_registered_urban_share"]
        self.registration = np.where(in_village, 1, np.where(u[:, 1] < fl, 2, np.where(
            u[:, 1] < fl + rr, 1, 0))).astype(np.int8)
        adult = self.age == 1
        adult_share = max(adult.mean(), 1e-9)
        p_jisco = min(1.0, pop["jisco_share"] / adult_share)
        p_other = min(1.0 - p_jisco, pop["other_employer_share"] / adult_share)
        self.employer = np.full(n, NO_EMPLOYER, np.int32)
        jisco = adult & (u[:, 2] < p_jisco)
        other = adult & ~jisco & (u[:, 2] < p_jisco + p_other)
        n_ent = len(enterprise_cells)
        if n_ent > 1:
            cum = np.cumsum(enterprise_weights[1:]) / enterprise_weights[1:].sum()
            self.employer[other] = 1 + np.minimum(np.searchsorted(cum, u[other, 3]), n_ent - 2)
        if n_ent > 0 and len(enterprise_cells[0]):
            self.employer[jisco] = 0
        self.work_cell = np.full(n, -1, np.int32)
        has_job = self.employer >= 0
        for e in np.unique(self.employer[has_job]):
            sel = np.flatnonzero(self.employer == e)
            cells = enterprise_cells[e]
            self.work_cell[sel] = cells[(u[sel, 4] * len(cells)).astype(int) % len(cells)]
        self.vulnerable = u[:, 5] < pop["vulnerable_share"]
        self.special = (u[:, 5] >= pop["vulnerable_share"]) & (
            u[:, 5] < pop["vulnerable_share"] + pop["special_share"])
        self.trust = np.clip(rng.normal(trust_mean, trust_sd, n), 0.0, 1.0)
        self.community = np.full(n, -1, np.int32)

    def __len__(self) -> int:
        return self.n

    def xy(self, flat: int) -> tuple[int, int]:
        return (int(flat // self.height), int(flat % self.height))

    def __getitem__(self, i: int) -> Resident:
        wc = int(self.work_cell[i])
        return Resident(int(i), self.xy(self.home[i]), AGE_GROUPS[self.age[i]],
                        REGISTRATIONS[self.registration[i]], int(self.employer[i]),
                        self.xy(wc) if wc >= 0 else None, bool(self.vulnerable[i]),
                        bool(self.special[i]), float(self.trust[i]), int(self.community[i]))

    def counts_per_cell(self, n_cells: int) -> np.ndarray:
        """Residents per flat cell index."""
        return np.bincount(self.home, minlength=n_cells)
