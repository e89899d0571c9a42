"""Coverage: where people are, how recently a patrol passed them, and who they can reach.

*Patrol coverage* over a window of 1, 4 or 24 hours is the share of people, counted
where they are at that hour, whose cell a patrol (officer, auxiliary or JISCO patroller)
passed within the window. People are at home, except employees at work: those of other
employers on working days during office hours, JISCO employees during their crew's shift
of the rota (schedules.py). Sampled every hour; the summary gives the mean of the
samples. Patrol forces are full at any scale, and the weights are shares of the sampled
residents, so the figure estimates the full city's.

*Service circle* (a residents' share, at their homes): (a) within `access.service_circle_min`
of any service point; (b) of a unit that can settle their commonest matter (the office
kind with the highest need rate for them: elderly care for the elderly, registration for
floating residents, welfare otherwise) itself; (c) the same, and that unit is open at a
time of an ordinary week when they are free long enough to walk there, be served and
walk back (no day off taken).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .calendar import DAY
from .geometry import travel_min
from .needs import eligible_rates
from .parameters import KINDS, OFFICE_KINDS
from .schedules import CREWS, JISCO, ROTA

if TYPE_CHECKING:  # pragma: no cover
    from .model import GovernanceModel

WINDOWS_H = (1, 4, 24)


class PeopleWhere:
    """Weights of cells by the people in them, at any hour (cached by situation)."""

    def __init__(self, model: GovernanceModel):
        res, cal = model.residents, model.calendar
        self.n_cells = model.city.width * model.city.height
        self.home, self.work = res.home.astype(np.int64), res.work_cell.astype(np.int64)
        self.jisco = res.employer == JISCO
        self.office = res.employer > JISCO
        self.crew = np.arange(res.n) % CREWS
        self.cal = cal
        self._cache: dict[tuple, np.ndarray] = {}

    def _key(self, t: float) -> tuple:
        day = int(t // DAY)
        m = t - day * DAY
        at_office = self.cal.is_workday(day) and self.cal.open_min <= m < self.cal.close_min
        hour = m / 60.0
        on_shift = tuple(self._on_shift(c, day, hour) for c in range(CREWS))
        return at_office, on_shift

    @staticmethod
    def _on_shift(crew: int, day: int, hour: float) -> bool:
        s = ROTA[(day + 2 * crew) % len(ROTA)]
        return s is not None and s[0] <= hour < s[1]

    def weights(self, t: float) -> np.ndarray:
        """People per cell at minute `t` (as a share of the sampled residents)."""
        key = self._key(t)
        w = self._cache.get(key)
        if w is None:
            at_office, on_shift = key
            at_work = self.jisco & np.array(on_shift)[self.crew]
            if at_office:
                at_work |= self.office
            where = np.where(at_work & (self.work >= 0), self.work, self.home)
            w = np.bincount(where, minlength=self.n_cells) / max(1, len(where))
            self._cache[key] = w
        return w


def patrol_coverage(model: GovernanceModel, t: float, window_h: float) -> float | None:
    """Share of people whose cell a patrol passed in the `window_h` hours before `t`."""
    if t < window_h * 60.0:
        return None
    w = model.engine.people.weights(t)
    seen = model.engine.last_patrol >= t - window_h * 60.0
    return float(w[seen].sum())


def commonest_kind(model: GovernanceModel) -> np.ndarray:
    """Each resident's office kind with the highest need rate (kind codes)."""
    rates = np.stack([eligible_rates(k, model.residents, model.params["needs"])
                      for k in OFFICE_KINDS])
    return np.array([KINDS.index(k) for k in OFFICE_KINDS])[np.argmax(rates, axis=0)]


def walk_to_power(model: GovernanceModel) -> dict[int, np.ndarray]:
    """Per office kind: walking minutes from every cell to the nearest service point that
    can settle a routine matter of that kind itself."""
    st, city, acc = model.structure, model.city, model.params["access"]
    h, n = city.height, city.width * city.height
    xs, ys = np.arange(n) // h, np.arange(n) % h
    out = {}
    for k in (KINDS.index(x) for x in OFFICE_KINDS):
        best = np.full(n, np.inf)
        for uid in st.service_points:
            u = st.units[uid]
            if u.can_resolve(k, False):
                c = u.cell
                best = np.minimum(best, travel_min(xs - c // h, ys - c % h, city.cell_m,
                                                   acc["walk_speed_kmh"],
                                                   acc["detour_factor"]))
        out[k] = best
    return out


def longest_free_visit(model: GovernanceModel) -> np.ndarray:
    """Per resident, the longest stretch of an ordinary 8-day cycle when they are free and
    offices are open (minutes)."""
    avail = model.engine.cases.availability
    res = model.residents
    out = np.zeros(res.n)
    # without an employer: the longest open block; employees of others: their lunch break
    longest_block = max(b - a for a, b in model.calendar.blocks)
    out[res.employer < 0] = longest_block
    lunch = [(max(a, avail.lunch[0]), min(b, avail.lunch[1])) for a, b in model.calendar.blocks]
    out[res.employer > JISCO] = max([b - a for a, b in lunch if b > a], default=0.0)
    for crew in range(CREWS):
        members = np.flatnonzero((res.employer == JISCO) & (np.arange(res.n) % CREWS == crew))
        if len(members) == 0:
            continue
        # the rota depends on the crew only, so one member stands for all
        windows = [w for day in range(len(ROTA))
                   for w in avail.free_windows(int(members[0]), day, off_day=10**9)]
        out[members] = max([b - a for a, b in windows], default=0.0)
    return out


def service_circle(model: GovernanceModel) -> dict:
    """The three service-circle shares, and (b) by kind for every resident."""
    st, res, p = model.structure, model.residents, model.params
    circle = p["access"]["service_circle_min"]
    power = walk_to_power(model)
    kind = commonest_kind(model)
    walk = np.zeros(res.n)
    for k, arr in power.items():
        sel = kind == k
        walk[sel] = arr[res.home[sel]]
    near = walk <= circle
    need = 2.0 * walk + p["reporting"]["min_visit_min"]
    open_ok = near & (longest_free_visit(model) >= need)
    return {
        "any": float((st.walk_min[res.home] <= circle).mean()),
        "authority": float(near.mean()),
        "open_hours": float(open_ok.mean()),
        "by_kind": {KINDS[k]: float((arr[res.home] <= circle).mean())
                    for k, arr in power.items()},
    }
