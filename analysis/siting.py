"""The best possible siting of service points, against the structure's own.

On a scenario's map and population this solves two classic location problems with spopt
(PuLP and its CBC solver) and sets the structure's own service points beside them:

* maximal covering location (MCLP): place p sites so that as many residents as possible
  live within the service circle (`access.service_circle_min`, 15 minutes' walk) of one;
* p-median: place p sites so that residents' mean walking time to the nearest is least.

Residents are the map's expected residents per cell at full scale (`city.density`), not
sampled agents. Walking time is `simulation.geometry.travel_min` with the scenario's walk
speed and detour factor, the same function the model uses. A p-median over every
inhabited cell (about 2,900 x 2,900 assignment variables) is too large for CBC, so demand
and candidate sites are aggregated to square blocks (`--block`, default 3 x 3 cells =
300 m): a block's residents sit at their weighted centroid and its candidate site is the
inhabited cell nearest that centroid. MCLP keeps demand at cell resolution (its
constraints are sparse), with the same block candidates. Every figure reported, for the
optima and the structure alike, is then recomputed exactly on the cell grid, so the
comparison is like for like; the figures on blocks are kept beside them to show the
aggregation error.

Each problem is solved by a heuristic with a Lagrangian lower bound (seconds), then by
CBC with a time limit whose process is stopped if it overruns; the best solution is kept
and its status says whether it is proved optimal (see `solve`).

Two demands are used: *urban residents* (inhabited residential and commercial cells),
for the urban units (communities, street offices), and *all residents*, for the full set
of walk-in service points (villages and towns included).
"""

from __future__ import annotations

import itertools
import math
import re
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from simulation.geometry import travel_min

# spopt and PuLP are imported where they are used: spopt pulls in geopandas and takes
# seconds to import, which every other `run.py` command would pay.

OBJECTIVES = ("coverage", "access")
DEMAND_ORDER = ("urban", "city")  # urban residents, all residents
KIND_ORDER = {"structure": 0, "coverage": 1, "access": 2}
#: readable names of the two optima, by objective
OPTIMUM_LABEL = {"coverage": "best coverage (MCLP)", "access": "best access (p-median)"}
DEFAULT_BLOCK = 3
DEFAULT_TIME_LIMIT_S = 60.0
#: CBC's process is stopped if it has not returned by its time limit plus this share of
#: it (at least MIN_GRACE_S): CBC checks its limit only between phases
GRACE_SHARE = 0.2
MIN_GRACE_S = 1.0
#: CBC's log rounds its bounds (e.g. "Continuous objective value is 1.36724e+06"): a
#: bound read from it is loosened by this share
CBC_BOUND_SLACK = 1e-5
#: the solver's optimum is checked by trying every set of p candidates when there are
#: at most this many (p = 2 among ~340 blocks is 57,000 pairs: about a second)
ENUMERATION_LIMIT = 100_000


@dataclass(frozen=True)
class Walk:
    """How far residents walk: the scenario's `access` parameters on the map's cells."""

    cell_m: float
    speed_kmh: float
    detour: float
    circle_min: float

    @classmethod
    def of(cls, model) -> Walk:
        acc = model.params["access"]
        return cls(model.city.cell_m, acc["walk_speed_kmh"], acc["detour_factor"],
                   acc["service_circle_min"])

    def minutes(self, dx, dy):
        return travel_min(dx, dy, self.cell_m, self.speed_kmh, self.detour)


@dataclass
class Demand:
    """Residents of one part of the city, cell by cell (flat index = x * height + y)."""

    name: str
    label: str
    cells: np.ndarray
    weight: np.ndarray
    height: int

    @property
    def xs(self) -> np.ndarray:
        return self.cells // self.height

    @property
    def ys(self) -> np.ndarray:
        return self.cells % self.height

    @property
    def residents(self) -> float:
        return float(self.weight.sum())


def demands_of(city) -> dict[str, Demand]:
    """Urban residents and all residents of a `CityMap`, weighted by `city.density`."""
    dens, h = city.density.ravel(), city.height
    urban = np.flatnonzero(city.urban.ravel())
    inhabited = np.flatnonzero(dens > 0)
    return {"urban": Demand("urban", "urban residents", urban, dens[urban], h),
            "city": Demand("city", "all residents", inhabited, dens[inhabited], h)}


@dataclass
class Blocks:
    """Demand aggregated to square blocks of `size` x `size` cells.

    Attributes:
        of_cell: block index of each of the demand's cells.
        weight: residents per block.
        cx, cy: residents' weighted centroid of each block (fractional cells).
        site: flat cell of each block's candidate site (the inhabited cell nearest the
            centroid; ties to the lower index).
    """

    size: int
    of_cell: np.ndarray
    weight: np.ndarray
    cx: np.ndarray
    cy: np.ndarray
    site: np.ndarray

    def __len__(self) -> int:
        return len(self.weight)


def aggregate(demand: Demand, size: int) -> Blocks:
    xs, ys, w = demand.xs, demand.ys, demand.weight
    key = (xs // size) * (demand.height // size + 1) + ys // size
    _, of_cell = np.unique(key, return_inverse=True)
    weight = np.bincount(of_cell, w)
    cx, cy = np.bincount(of_cell, w * xs) / weight, np.bincount(of_cell, w * ys) / weight
    off = np.hypot(xs - cx[of_cell], ys - cy[of_cell])
    order = np.lexsort((demand.cells, off, of_cell))
    first = order[np.r_[0, np.flatnonzero(np.diff(of_cell[order])) + 1]]
    return Blocks(size, of_cell, weight, cx, cy, demand.cells[first])


def minutes_to(px, py, sites: np.ndarray, height: int, walk: Walk) -> np.ndarray:
    """Walking minutes from points (px, py) (cells, maybe fractional) to each site."""
    sx, sy = np.asarray(sites) // height, np.asarray(sites) % height
    return walk.minutes(np.subtract.outer(px, sx), np.subtract.outer(py, sy))


def nearest(px, py, sites: np.ndarray, height: int, walk: Walk) -> tuple[np.ndarray, np.ndarray]:
    """Minutes to the nearest site from each point, and that site's index in `sites`."""
    best = np.full(np.shape(px), np.inf)
    which = np.full(np.shape(px), -1, np.int64)
    sites = np.asarray(sites)
    for k in range(len(sites)):  # one site at a time: memory stays one map, not p maps
        t = minutes_to(px, py, sites[k:k + 1], height, walk)[..., 0]
        better = t < best
        best[better], which[better] = t[better], k
    return best, which


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The smallest value below which at least a share `q` of the weight lies."""
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cum, q * cum[-1] * (1 - 1e-12))])


@dataclass(frozen=True)
class Figures:
    """Access of one demand to one set of sites."""

    covered: float  # share of residents within the service circle
    mean_min: float  # resident-weighted mean walk to the nearest site
    p90_min: float  # 90th percentile of residents' walk
    max_min: float  # the longest walk of any inhabited cell


def figures(minutes: np.ndarray, weight: np.ndarray, circle_min: float) -> Figures:
    total = weight.sum()
    return Figures(float(weight[minutes <= circle_min].sum() / total),
                   float((weight * minutes).sum() / total),
                   weighted_quantile(minutes, weight, 0.9), float(minutes.max()))


def evaluate(demand: Demand, sites: np.ndarray, walk: Walk) -> Figures:
    """Exact figures on the cell grid."""
    t, _ = nearest(demand.xs, demand.ys, sites, demand.height, walk)
    return figures(t, demand.weight, walk.circle_min)


def evaluate_blocks(blocks: Blocks, sites: np.ndarray, height: int, walk: Walk) -> Figures:
    """The same figures as the aggregated problem sees them (residents at centroids)."""
    t, _ = nearest(blocks.cx, blocks.cy, sites, height, walk)
    return figures(t, blocks.weight, walk.circle_min)


@dataclass
class Solution:
    """One solver run: the sites it chose and how the solve went."""

    objective: str  # "coverage" (MCLP) or "access" (p-median)
    demand: str
    p: int
    sites: np.ndarray  # flat cells; empty if no solution was found (refined: see `refine`)
    status: str  # "optimal", "feasible (time limit)", "no solution (time limit)"
    build_s: float
    solve_s: float
    gap: float | None  # CBC's relative gap when stopped early, 0 when optimal
    variables: int
    constraints: int
    value: float = math.nan  # the objective as the solver saw it (share covered, mean min)
    enumerated: float = math.nan  # the best value over every set of p candidates, if tried
    solver: str = "CBC"
    unrefined: np.ndarray | None = None  # the solver's sites before `refine`, if it moved any
    heuristic: float = math.nan  # the objective of the heuristic's sites (vertex substitution)
    heuristic_s: float = 0.0
    cbc_value: float = math.nan  # the objective of CBC's sites, if it returned any
    bound: float = math.nan  # CBC's bound on the objective, where its log gives one
    cbc_ended: str = ""  # "solved", "stopped" (at the hard limit) or "failed"
    cbc_start_s: float = math.nan  # of solve_s: until CBC started (PuLP writing the file)

    @property
    def label(self) -> str:
        return OPTIMUM_LABEL[self.objective]

    @property
    def check(self) -> str:
        """How the enumeration check went: "agrees", "differs" or "" (not tried)."""
        if math.isnan(self.enumerated) or math.isnan(self.value):
            return ""
        return "agrees" if abs(self.enumerated - self.value) <= 1e-6 * max(
            1.0, abs(self.value)) else "differs"


def cbc(time_limit_s: float, log_path: Path):
    """PuLP's CBC, quiet, with a time limit, its log kept for the gap and version."""
    import pulp
    return pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit_s, logPath=str(log_path))


def _gap(log: str) -> float | None:
    found = re.search(r"^Gap:\s+([-+\d.eE]+)", log, re.MULTILINE)
    # CBC minimises; for a maximisation (MCLP) it prints the gap with a minus sign
    return abs(float(found.group(1))) if found else None


def _bound(log: str) -> float | None:
    """CBC's last bound on the objective in its log (absolute value: CBC prints a
    maximisation's negated), or None: the final "Lower bound", else the last "best
    possible", else the root LP's "Continuous objective value"."""
    for pattern in (r"^Lower bound:\s+([-+\d.eE]+)", r"best possible ([-+\d.eE]+)",
                    r"^Continuous objective value is ([-+\d.eE]+)"):
        found = re.findall(pattern, log, re.MULTILINE)
        if found:
            return abs(float(found[-1]))
    return None


def _solver_name(log: str) -> str:
    found = re.search(r"^Version:\s+(\S+)", log, re.MULTILINE)
    return f"CBC {found.group(1)}" if found else "CBC"


def objective_value(cost: np.ndarray, weight: np.ndarray, chosen, objective: str,
                    circle_min: float) -> float:
    """Share of the weight within `circle_min` ("coverage") or weighted mean ("access")."""
    t = cost[:, list(chosen)].min(axis=1)
    if objective == "coverage":
        return float(weight[t <= circle_min].sum() / weight.sum())
    return float((weight * t).sum() / weight.sum())


def enumerate_best(cost: np.ndarray, weight: np.ndarray, p: int, objective: str,
                   circle_min: float) -> tuple[float, tuple[int, ...]]:
    """The best value over every set of `p` candidate columns, and one set that gives it.

    An exact check of the solver on small problems; raises ValueError above
    `ENUMERATION_LIMIT` sets.
    """
    n = cost.shape[1]
    if math.comb(n, p) > ENUMERATION_LIMIT:
        raise ValueError(f"{math.comb(n, p)} sets of {p} among {n} are too many to enumerate")
    sign = -1.0 if objective == "coverage" else 1.0
    best, best_set = math.inf, ()
    for chosen in itertools.combinations(range(n), p):
        v = sign * objective_value(cost, weight, chosen, objective, circle_min)
        if v < best - 1e-12:
            best, best_set = v, chosen
    return sign * best, best_set


def as_pmedian_cost(cost: np.ndarray, objective: str, circle_min: float) -> np.ndarray:
    """The problem as a p-median over the same matrix: "access" minimises the weighted
    walk itself; "coverage" (MCLP) minimises the weight left uncovered, i.e. a cost of 1
    beyond `circle_min` and 0 within (Church and ReVelle 1976)."""
    if objective == "coverage":
        return (cost > circle_min).astype(float)
    return np.asarray(cost, float)


def vertex_substitution(cost: np.ndarray, weight: np.ndarray, p: int,
                        starts: list[np.ndarray] | None = None,
                        max_swaps: int = 100_000) -> np.ndarray:
    """A p-median heuristic: greedy addition, then vertex substitution (Teitz and Bart
    1968), taking the best swap each round until no swap of a chosen column for another
    lowers the weighted cost; repeated from each of `starts` (sets of p columns), the
    best kept. Deterministic. Returns the chosen columns, sorted.

    `cost` is demand x candidates. Each round evaluates every (out, in) pair at once:
    with candidate j added a demand costs min(d1, cost[:, j]); removing chosen k sends
    k's own clients to min(d2, cost[:, j]) (d1, d2: each demand's nearest and
    second-nearest chosen cost).
    """
    cost = np.asarray(cost, float)
    w = np.asarray(weight, float)
    n, m = cost.shape
    if not 1 <= p <= m:
        raise ValueError(f"p must be in 1..{m}, got {p}")
    chosen: list[int] = []
    d1 = np.full(n, np.inf)
    for _ in range(p):  # greedy addition
        total = w @ np.minimum(d1[:, None], cost)
        total[chosen] = np.inf
        j = int(np.argmin(total))
        chosen.append(j)
        d1 = np.minimum(d1, cost[:, j])
    if p == m:
        return np.sort(np.array(chosen, np.int64))
    best, best_total = None, np.inf
    for start in [np.array(chosen, np.int64), *(np.array(s, np.int64) for s in starts or [])]:
        if len(set(start.tolist())) != p:
            raise ValueError(f"a start must be {p} distinct columns")
        s = _substitute(cost, w, start.copy(), max_swaps)
        total = float(w @ cost[:, s].min(axis=1))
        if best is None or total < best_total - 1e-9 * max(1.0, best_total):
            best, best_total = s, total
    return np.sort(best)


def _substitute(cost: np.ndarray, w: np.ndarray, s: np.ndarray, max_swaps: int) -> np.ndarray:
    n, p = len(w), len(s)
    rows = np.arange(n)
    for _ in range(max_swaps):
        sub = cost[:, s]
        if not sub.min(axis=1) @ w > 0:
            break  # nothing left to save (e.g. MCLP: everyone covered)
        if p > 1:
            two = np.argpartition(sub, 1, axis=1)[:, :2]
            near = np.take_along_axis(sub, two, axis=1)
            first = np.where(near[:, 0] <= near[:, 1], two[:, 0], two[:, 1])
            d1, d2 = sub[rows, first], near.max(axis=1)
        else:
            first, d1, d2 = np.zeros(n, np.int64), sub[:, 0], np.full(n, np.inf)
        added = np.minimum(d1[:, None], cost)  # each demand's cost with j added
        gain = w @ (d1[:, None] - added)  # what adding j saves
        lost = w[:, None] * (np.minimum(d2[:, None], cost) - added)
        owner = np.zeros((p, n))
        owner[first, rows] = 1.0
        delta = owner @ lost - gain[None, :]  # change in total cost: k out, j in
        delta[:, s] = np.inf
        k, j = np.unravel_index(int(np.argmin(delta)), delta.shape)
        if not delta[k, j] < -1e-9 * max(1.0, float(w @ d1)):
            break
        s[k] = j
    return s


def lagrangian_bound(cost: np.ndarray, weight: np.ndarray, p: int, upper: float,
                     rounds: int | None = None, keep: int = 0):
    """A lower bound on the p-median's weighted cost (any cost matrix, so MCLP's 0/1
    uncovered cost too): the Lagrangian relaxation of "each demand is assigned once",
    maximised by subgradient steps (Beasley 1993) towards `upper`, a known solution's
    cost. The bound is valid whatever the number of rounds (default: about 3e8 matrix
    elements' work, 100 to 1,000 rounds).

    With multipliers lam: L(lam) = sum(lam) + the p smallest of
    rho_j = sum_i min(0, w_i c_ij - lam_i), whose columns are the relaxation's sites.

    Returns the bound; with `keep` > 0, (bound, the `keep` cheapest distinct sets of
    sites the relaxation opened): good starts for `vertex_substitution`.
    """
    wc = np.asarray(weight, float)[:, None] * np.asarray(cost, float)
    n, m = wc.shape
    if rounds is None:
        rounds = int(min(1000, max(100, 3e8 // (n * m))))
    lam = np.sort(wc, axis=1)[:, min(p, m - 1)]  # a demand's p+1-th cheapest: a fair start
    best, step, since = -np.inf, 2.0, 0
    sets: dict[tuple[int, ...], float] = {}
    for _ in range(rounds):
        reduced = np.minimum(0.0, wc - lam[:, None])
        rho = reduced.sum(axis=0)
        open_ = np.sort(np.argpartition(rho, p - 1)[:p]) if p < m else np.arange(m)
        value = float(lam.sum() + rho[open_].sum())
        if keep and tuple(open_) not in sets:
            sets[tuple(open_)] = float(wc[:, open_].min(axis=1).sum())
        if value > best + 1e-12 * max(1.0, abs(value)):
            best, since = value, 0
        else:
            since += 1
            if since >= 30:  # no progress: smaller steps
                step, since = step / 2, 0
        if best >= upper * (1 - 1e-9) or step < 1e-5:
            break
        g = 1.0 - (reduced[:, open_] < 0).sum(axis=1)  # assignments short (+) or over (-)
        norm = float(g @ g)
        if norm == 0:
            break  # the relaxed solution is feasible: optimal for the relaxation
        lam = lam + step * (upper - value) / norm * g
    bound = min(best, upper)
    if not keep:
        return bound
    cheapest = sorted(sets, key=sets.__getitem__)[:keep]
    return bound, [np.array(s, np.int64) for s in cheapest]


def heuristic(cost: np.ndarray, weight: np.ndarray, p: int,
              starts: int = 4) -> tuple[np.ndarray, float]:
    """The p-median heuristic and its bound: vertex substitution from the greedy start,
    then from the `starts` cheapest sets of sites that the Lagrangian relaxation opened
    (a Lagrangian heuristic); the bound from a second pass towards the best cost found.
    Returns the chosen columns and the lower bound on the weighted cost."""
    w = np.asarray(weight, float)
    chosen = vertex_substitution(cost, w, p)
    upper = float(w @ cost[:, chosen].min(axis=1))
    bound, sets = lagrangian_bound(cost, w, p, upper, keep=starts)
    if bound < upper * (1 - 1e-9) and sets:
        chosen = vertex_substitution(cost, w, p, starts=[chosen] + sets)
        better = float(w @ cost[:, chosen].min(axis=1))
        if better < upper * (1 - 1e-9):
            bound, upper = max(bound, lagrangian_bound(cost, w, p, better)), better
    return chosen, min(bound, upper)


def refine(demand: Demand, sites: np.ndarray, radius: int, walk: Walk,
           max_rounds: int = 50) -> np.ndarray:
    """Move p-median sites on the cell grid: each site in turn goes to the inhabited cell
    within `radius` cells (either axis) that most lowers the exact mean walk, the others
    held, until no move helps. Never worse than `sites`; it undoes part of the
    aggregation (a block's site stands for cells up to a block's width away)."""
    sites = np.array(sites, np.int64)
    if radius < 1 or len(sites) == 0:
        return sites
    h, w = demand.height, demand.weight
    t = minutes_to(demand.xs, demand.ys, sites, h, walk)
    for _ in range(max_rounds):
        moved = False
        for k in range(len(sites)):
            others = np.delete(t, k, axis=1).min(axis=1) if len(sites) > 1 else \
                np.full(len(w), np.inf)
            x, y = sites[k] // h, sites[k] % h
            near = demand.cells[(np.abs(demand.xs - x) <= radius)
                                & (np.abs(demand.ys - y) <= radius)]
            cand = minutes_to(demand.xs, demand.ys, near, h, walk)
            total = (w[:, None] * np.minimum(others[:, None], cand)).sum(axis=0)
            now = (w * np.minimum(others, t[:, k])).sum()
            j = int(np.argmin(total))
            if total[j] < now * (1 - 1e-9) and near[j] not in sites:
                sites[k], t[:, k] = near[j], cand[:, j]
                moved = True
        if not moved:
            break
    return sites


def solve(demand: Demand, blocks: Blocks, walk: Walk, objective: str, p: int,
          time_limit_s: float = DEFAULT_TIME_LIMIT_S) -> Solution:
    """Solve MCLP ("coverage") or p-median ("access") for `p` sites among the blocks.

    MCLP: demand at cells, within `walk.circle_min` of a candidate site. p-median: demand
    at block centroids. A heuristic (`vertex_substitution`) and a lower bound
    (`lagrangian_bound`) come first; then CBC, with `time_limit_s`, its process stopped
    at `hard_limit_s(time_limit_s)`. The best solution found is kept, and its status
    says whether it is proved optimal (by CBC, by enumeration or by the bound).
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {OBJECTIVES}, got {objective!r}")
    if not 1 <= p <= len(blocks):
        raise ValueError(f"p must be in 1..{len(blocks)} (the candidate sites), got {p}")
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        # PuLP 3.3 warns that spopt's `LpVariable(...)` and PULP_CBC_CMD go in PuLP 4.0;
        # both are pinned (pyproject.toml), so the warnings say nothing about this run
        warnings.simplefilter("ignore", DeprecationWarning)
        return _solve(demand, blocks, walk, objective, p, time_limit_s, t0)


def _solve(demand, blocks, walk, objective, p, time_limit_s, t0) -> Solution:
    import pulp
    from spopt.locate import MCLP, PMedian
    if objective == "coverage":
        cost = minutes_to(demand.xs, demand.ys, blocks.site, demand.height, walk)
        weight = demand.weight
        model = MCLP.from_cost_matrix(cost, weight, walk.circle_min, p,
                                      name=f"mclp_{demand.name}_{p}")
    else:
        cost = minutes_to(blocks.cx, blocks.cy, blocks.site, demand.height, walk)
        weight = blocks.weight
        model = PMedian.from_cost_matrix(cost, weight, p, name=f"pmedian_{demand.name}_{p}")
    build_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    as_median = as_pmedian_cost(cost, objective, walk.circle_min)
    found, lagrangian = heuristic(as_median, weight, p)
    heuristic_value = objective_value(cost, weight, found, objective, walk.circle_min)
    lagrangian /= weight.sum()
    if objective == "coverage":  # a bound on the share left uncovered
        lagrangian = 1.0 - lagrangian
    heuristic_s = time.perf_counter() - t1
    with tempfile.TemporaryDirectory(prefix="siting-cbc-") as tmp:
        log_path = Path(tmp) / "cbc.log"
        solver = cbc(time_limit_s, log_path)
        solver.tmpDir = tmp  # PuLP leaves its files behind when CBC is stopped
        t2 = time.perf_counter()
        ended, cbc_start_s = run_with_hard_limit(model, solver, hard_limit_s(time_limit_s))
        solve_s = time.perf_counter() - t2
        log = log_path.read_text(errors="replace") if log_path.exists() else ""
    problem = model.problem
    solved = ended == "solved"
    cbc_optimal = solved and problem.sol_status == pulp.LpSolutionOptimal
    cbc_chosen = np.array([j for j, v in enumerate(model.fac_vars)
                           if solved and (v.value() or 0) > 0.5], np.int64)
    cbc_value = objective_value(cost, weight, cbc_chosen, objective, walk.circle_min) \
        if len(cbc_chosen) else math.nan
    enumerated, enumerated_set = math.nan, ()
    if math.comb(len(blocks), p) <= ENUMERATION_LIMIT:
        enumerated, enumerated_set = enumerate_best(cost, weight, p, objective,
                                                    walk.circle_min)
    sign = -1.0 if objective == "coverage" else 1.0  # lower is better after the sign
    bound = lagrangian
    if _bound(log) is not None:  # the tighter of CBC's and the Lagrangian bound
        # CBC prints its bounds to 6-8 significant digits: loosen them by that much
        cbc_bound = _bound(log) / weight.sum() * (1 - sign * CBC_BOUND_SLACK)
        bound = sign * max(sign * bound, sign * cbc_bound)
        if objective == "coverage":
            bound = min(bound, 1.0)  # a share
    why = STOPPED[ended] if math.isnan(cbc_value) else BETTER  # if CBC's is not kept
    if cbc_optimal:
        status, chosen, gap = "optimal", cbc_chosen, 0.0
    elif not math.isnan(enumerated):  # every set of p was tried: the optimum is known
        cbc_kept = not math.isnan(cbc_value) and \
            sign * cbc_value <= sign * enumerated + 1e-12
        chosen = cbc_chosen if cbc_kept else np.array(enumerated_set, np.int64)
        gap = 0.0
        status = ("optimal (CBC's solution at the time limit, by enumeration)" if cbc_kept
                  else f"optimal (by enumeration; {why})")
    else:
        cbc_kept = not math.isnan(cbc_value) and \
            sign * cbc_value <= sign * heuristic_value + 1e-12
        chosen, gap = (cbc_chosen, None) if cbc_kept else (found, None)
        best = cbc_value if cbc_kept else heuristic_value
        if sign * best <= sign * bound + 1e-9 * abs(bound):  # it meets the bound
            gap = 0.0
            status = ("optimal (CBC's solution at the time limit met the bound)" if cbc_kept
                      else f"optimal (the heuristic met the bound; {why})")
        else:
            status = "feasible (time limit)" if cbc_kept else f"heuristic ({why})"
    value = objective_value(cost, weight, chosen, objective, walk.circle_min)
    if gap is None and not math.isnan(bound) and value > 0:
        gap = max(0.0, sign * (value - bound) / value)
    sites = blocks.site[chosen]
    unrefined = None
    if objective == "access" and len(sites):
        refined = refine(demand, sites, blocks.size - 1, walk)
        if not np.array_equal(refined, sites):
            sites, unrefined = refined, sites
    return Solution(objective, demand.name, p, sites, status, build_s, solve_s, gap,
                    problem.numVariables(), problem.numConstraints(), value, enumerated,
                    _solver_name(log), unrefined, heuristic_value, heuristic_s, cbc_value,
                    bound, ended, cbc_start_s)


#: how CBC ended, in a heuristic solution's status
STOPPED = {"stopped": "CBC stopped at the time limit",
           "no solution": "CBC found no solution within the time limit",
           "solved": "CBC returned no sites",
           "failed": "CBC failed"}
BETTER = "better than CBC's solution at the time limit"


def hard_limit_s(time_limit_s: float) -> float:
    """When CBC's process is stopped if it has not returned: the time limit plus a grace
    of `GRACE_SHARE` of it (at least `MIN_GRACE_S`)."""
    return time_limit_s + max(GRACE_SHARE * time_limit_s, MIN_GRACE_S)


class _CbcWatch:
    """Stands in for the `subprocess` module inside PuLP's coin_api during one solve:
    it keeps the CBC process that PuLP starts, so that it can be stopped; a process
    started after `stop()` is stopped at once."""

    def __init__(self, real):
        self._real = real
        self._lock = threading.Lock()
        self._procs: list = []
        self._stopped = False
        self.started_at: float | None = None  # time.perf_counter() when CBC started

    def __getattr__(self, name):
        return getattr(self._real, name)

    def Popen(self, *args, **kwargs):  # noqa: N802 (the name PuLP calls)
        proc = self._real.Popen(*args, **kwargs)
        with self._lock:
            self.started_at = time.perf_counter()
            self._procs.append(proc)
            if self._stopped:
                proc.kill()
        return proc

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            for proc in self._procs:
                if proc.poll() is None:
                    proc.kill()


def run_with_hard_limit(model, solver, limit_s: float) -> tuple[str, float]:
    """`model.solve(solver)` (spopt, PuLP's CBC) in a thread; if it has not returned
    after `limit_s` seconds of wall-clock time, CBC's process is killed (CBC checks its
    own time limit only between phases: inside its root LP it can run far past it).

    Returns "solved" (CBC returned a solution, optimal or not), "stopped" (killed at
    `limit_s`), "no solution" (CBC reached its own time limit without an integer
    solution: spopt's "Model is not solved") or "failed" (any other solver error); and
    the seconds until CBC's process started (PuLP writing the problem file, which cannot
    be interrupted: a CBC started after `limit_s` is stopped at once), NaN if it did not.
    """
    from pulp.apis import coin_api
    real = coin_api.subprocess
    watch = _CbcWatch(real)
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            model.solve(solver, results=False)
            outcome["ended"] = "solved"
        except RuntimeError:  # spopt: "Model is not solved"
            outcome["ended"] = "no solution"
        except Exception as exc:  # noqa: BLE001 (PuLP's PulpSolverError, when killed too)
            outcome["ended"], outcome["error"] = "failed", exc

    thread = threading.Thread(target=work, name="cbc", daemon=True)
    coin_api.subprocess = watch
    t0 = time.perf_counter()
    try:
        thread.start()
        thread.join(limit_s)
        stopped = thread.is_alive()
        if stopped:
            watch.stop()
            thread.join()
    except BaseException:  # interrupted: leave no CBC behind
        watch.stop()
        thread.join()
        raise
    finally:
        coin_api.subprocess = real
    started = watch.started_at - t0 if watch.started_at is not None else math.nan
    return ("stopped" if stopped else str(outcome["ended"])), started


# --------------------------------------------------------------------- the structure
@dataclass
class SiteSet:
    """A set of the structure's units whose offices are compared with the optimum."""

    name: str
    label: str
    demand: str
    units: list[int]
    cells: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))

    @property
    def p(self) -> int:
        return len(self.units)


def structure_sets(structure) -> list[SiteSet]:
    """The structure's own sets of sites.

    * all walk-in service points (`structure.service_points`), for all residents;
    * the communities, for urban residents;
    * where street offices exist: the street offices alone (the units with power over
      most matters) and the communities with the street offices, for urban residents.
    """
    units = structure.units
    level = {lv: [u.id for u in units if u.level == lv] for lv in ("community",
                                                                   "street_office")}
    sets = [SiteSet("service_points", "all walk-in service points", "city",
                    [int(u) for u in structure.service_points]),
            SiteSet("communities", "communities", "urban", level["community"])]
    if level["street_office"]:
        sets.append(SiteSet("street_offices", "street offices (units with power)", "urban",
                            level["street_office"]))
        sets.append(SiteSet("communities_and_street_offices", "communities + street offices",
                            "urban", level["community"] + level["street_office"]))
    for s in sets:
        s.cells = np.array([units[u].cell for u in s.units], np.int64)
    return [s for s in sets if s.p]


# ----------------------------------------------------------------------- the comparison
@dataclass
class SitingResult:
    """Everything one `run.py siting` computed."""

    scenario: str
    title: str
    seed: int
    block: int
    time_limit_s: float
    walk: Walk
    city: object  # simulation.city.CityMap
    unit_names: dict[int, str]
    demands: dict[str, Demand]
    blocks: dict[str, Blocks]
    sets: list[SiteSet]
    solutions: list[Solution]

    def optimum(self, objective: str, demand: str, p: int) -> Solution | None:
        for s in self.solutions:
            if (s.objective, s.demand, s.p) == (objective, demand, p):
                return s
        return None


def counts_to_solve(sets: list[SiteSet], points: list[int] | None,
                    demands: tuple[str, ...] = DEMAND_ORDER) -> dict[str, list[int]]:
    """Site counts to solve for each demand: each set's own count, or `points` for every
    demand that a set of the structure uses; only the demands named in `demands`."""
    out: dict[str, set[int]] = {}
    for s in sets:
        if s.demand in demands:
            out.setdefault(s.demand, set()).update(points or [s.p])
    return {d: sorted(ps) for d, ps in out.items()}


def check_points(counts: dict[str, list[int]], demands: dict[str, Demand],
                 blocks: dict[str, Blocks]) -> None:
    """Raise ScenarioError naming --points if a count exceeds the candidate sites."""
    from simulation.scenario import ScenarioError
    for d, ps in counts.items():
        too_many = [p for p in ps if p > len(blocks[d])]
        if too_many:
            b = blocks[d].size
            raise ScenarioError("command line", "--points",
                                f"{too_many[0]} is more than the {len(blocks[d])} candidate "
                                f"sites for {demands[d].label} ({b} x {b}-cell blocks)")


def run_siting(model, seed: int, points: list[int] | None = None,
               objectives: tuple[str, ...] = OBJECTIVES, block: int = DEFAULT_BLOCK,
               time_limit_s: float = DEFAULT_TIME_LIMIT_S, log=None,
               demands: tuple[str, ...] = DEMAND_ORDER) -> SitingResult:
    """Solve the location problems on a built model's map and compare its structure.

    Args:
        model: a `GovernanceModel` (built; it need not run: only its map, units and
            access parameters are read).
        seed: the model's seed (recorded).
        points: site counts to solve; None for each structure set's own count.
        objectives: "coverage" (MCLP) and/or "access" (p-median).
        block: side of the aggregation blocks in cells (1 = no aggregation).
        time_limit_s: CBC's time limit for each solve.
        log: called with a line of progress, or None.
        demands: which demands to compare: "urban" and/or "city" (all residents).

    Raises:
        ScenarioError: if a count in `points` exceeds the candidate sites.
    """
    walk = Walk.of(model)
    wanted = demands
    demands = demands_of(model.city)
    sets = [s for s in structure_sets(model.structure) if s.demand in wanted]
    counts = counts_to_solve(sets, points, wanted)
    blocks = {d: aggregate(demands[d], block) for d in counts}
    check_points(counts, demands, blocks)
    solutions = []
    for d, ps in counts.items():
        for p in ps:
            for objective in objectives:
                if log:
                    log(f"solving {OPTIMUM_LABEL[objective]} for {demands[d].label}, p = {p} "
                        f"({len(blocks[d])} candidate sites) ...")
                sol = solve(demands[d], blocks[d], walk, objective, p, time_limit_s)
                if log:
                    total = sol.build_s + sol.heuristic_s + sol.solve_s
                    log(f"  {sol.status} in {total:.1f} s (model {sol.build_s:.1f} s, "
                        f"heuristic {sol.heuristic_s:.1f} s, CBC {sol.solve_s:.1f} s)")
                solutions.append(sol)
    units = model.structure.units
    names = {u.id: u.name for u in units}
    return SitingResult(model.scenario.name, model.scenario.title, seed, block, time_limit_s,
                        walk, model.city, names, demands, blocks, sets, solutions)


def entries(result: SitingResult) -> list[tuple[str, str, str, int, np.ndarray, object]]:
    """(demand, kind, label, p, sites, source) of every set compared, in table order."""
    out = [(s.demand, "structure", s.label, s.p, s.cells, s) for s in result.sets]
    out += [(s.demand, s.objective, s.label, s.p, s.sites, s) for s in result.solutions]
    return sorted(out, key=lambda e: (DEMAND_ORDER.index(e[0]), e[3], KIND_ORDER[e[1]]))


def rows_table(result: SitingResult):
    """One row per set of sites compared (the content of siting.csv)."""
    import pandas as pd
    rows = []
    for demand, kind, label, p, sites, src in entries(result):
        dem, blk = result.demands[demand], result.blocks.get(demand)
        row = {"scenario": result.scenario, "seed": result.seed, "demand": demand,
               "residents": round(dem.residents), "set": label,
               "kind": "structure" if kind == "structure" else f"{kind} optimum", "p": p}
        ok = len(sites) > 0
        exact = evaluate(dem, sites, result.walk) if ok else None
        agg = evaluate_blocks(blk, sites, dem.height, result.walk) if ok and blk else None
        for key, f in (("", exact), ("blocks_", agg)):
            row[f"{key}covered_pct"] = 100 * f.covered if f else np.nan
            row[f"{key}mean_min"] = f.mean_min if f else np.nan
            if not key:
                row["p90_min"] = f.p90_min if f else np.nan
                row["max_min"] = f.max_min if f else np.nan
        sol = src if isinstance(src, Solution) else None
        before = sol.unrefined if sol is not None and sol.unrefined is not None else sites
        row["unrefined_mean_min"] = (evaluate(dem, before, result.walk).mean_min
                                     if sol is not None and ok else np.nan)
        row |= {"status": sol.status if sol else "",
                "result": short_status(sol) if sol else "",
                "solve_s": round(sol.build_s + sol.heuristic_s + sol.solve_s, 2) if sol
                else np.nan,
                "heuristic_s": round(sol.heuristic_s, 2) if sol else np.nan,
                "cbc_s": round(sol.solve_s, 2) if sol else np.nan,
                "cbc_start_s": round(sol.cbc_start_s, 2) if sol else np.nan,
                "cbc_ended": sol.cbc_ended if sol else "",
                "objective": sol.value if sol else np.nan,
                "heuristic_objective": sol.heuristic if sol else np.nan,
                "cbc_objective": sol.cbc_value if sol else np.nan,
                "bound": sol.bound if sol else np.nan,
                "gap": sol.gap if sol else np.nan,
                "variables": sol.variables if sol else np.nan,
                "enumeration_check": sol.check if sol else "",
                "block_cells": result.block, "candidate_sites": len(blk) if blk else np.nan,
                "time_limit_s": result.time_limit_s}
        rows.append(row)
    return pd.DataFrame(rows)


def short_status(sol: Solution) -> str:
    """The solver column of the printed table: "optimal (CBC)", "optimal (enumeration)",
    "optimal (bound)" (proved optimal for the aggregated problem), "CBC, gap x %" (CBC's
    best at its time limit) or "heuristic, gap x %" (the heuristic's; "gap ?" if none)."""
    gap = "?" if sol.gap is None or math.isnan(sol.gap) else f"{100 * sol.gap:.2f} %"
    if sol.status == "optimal":
        return "optimal (CBC)"
    if sol.status.startswith("optimal"):
        return "optimal (enumeration)" if "enumeration" in sol.status else "optimal (bound)"
    if sol.status.startswith("heuristic"):
        return f"heuristic, gap {gap}"
    if sol.status.startswith("feasible"):
        return f"CBC, gap {gap}"
    return sol.status


COMPASS = ("east", "north-east", "north", "north-west", "west", "south-west", "south",
           "south-east")


def whereabouts(cell: int, city) -> tuple[float, str]:
    """Distance (km, straight line) and compass direction of a cell from the city centre."""
    x, y = divmod(int(cell), city.height)
    dx, dy = (x - city.centre[0]) * city.cell_m, (y - city.centre[1]) * city.cell_m
    km = float(np.hypot(dx, dy)) / 1000
    sector = int(np.round(np.degrees(np.arctan2(dy, dx)) / 45)) % 8
    return km, COMPASS[sector]


def describe_site(cell: int, city) -> str:
    km, direction = whereabouts(cell, city)
    x, y = divmod(int(cell), city.height)
    place = "at the city centre" if km < 0.25 else f"{km:.1f} km {direction} of the centre"
    return f"cell ({x}, {y}), {place}"


def sites_table(result: SitingResult):
    """One row per site of every set compared (the content of sites.csv)."""
    import pandas as pd
    rows = []
    h = result.city.height
    for demand, kind, label, p, sites, src in entries(result):
        dem = result.demands[demand]
        if len(sites):
            _, which = nearest(dem.xs, dem.ys, sites, h, result.walk)
            served = np.bincount(which, dem.weight, minlength=len(sites))
        units = src.units if isinstance(src, SiteSet) else [None] * len(sites)
        for k, (cell, unit) in enumerate(zip(sites, units)):
            km, direction = whereabouts(cell, result.city)
            rows.append({"scenario": result.scenario, "demand": demand, "set": label,
                         "kind": "structure" if kind == "structure" else f"{kind} optimum",
                         "p": p, "site": k + 1, "cell": int(cell), "x": int(cell) // h,
                         "y": int(cell) % h, "unit": "" if unit is None else
                         result.unit_names[unit], "residents_nearest": round(served[k]),
                         "centre_km": round(km, 2), "direction": direction})
    return pd.DataFrame(rows)


def pct(value: float) -> str:
    """A percentage to one decimal, or two where one would round a shortfall up to 100."""
    return f"{value:.1f}" if value >= 100 or round(value, 1) < 100 else f"{value:.2f}"


NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven",
                8: "eight", 9: "nine", 10: "ten"}


def findings(result: SitingResult, rows) -> list[str]:
    """The comparison in plain words: each structure set against the optima of its count."""
    out = []
    circle = f"{result.walk.circle_min:g} minutes"

    def get(label, demand, p):
        r = rows[(rows["set"] == label) & (rows["demand"] == demand) & (rows["p"] == p)]
        return r.iloc[0] if len(r) else None

    for s in result.sets:
        own = get(s.label, s.demand, s.p)
        acc = get(OPTIMUM_LABEL["access"], s.demand, s.p)
        cov = get(OPTIMUM_LABEL["coverage"], s.demand, s.p)
        n = NUMBER_WORDS.get(s.p, str(s.p))
        head = (f"{s.label.capitalize()}, {s.p} sites, for {result.demands[s.demand].label}: "
                f"mean walk "
                f"{own['mean_min']:.1f} min, 90th percentile {own['p90_min']:.1f} min, "
                f"{pct(own['covered_pct'])} % within {circle}.")
        parts = [head]
        better = acc is not None and acc["mean_min"] < own["mean_min"] - 0.005
        if acc is not None and np.isfinite(acc["mean_min"]):
            verb = "cut" if better else "change"
            parts.append(f"The optimal {n} sites for access would {verb} mean access from "
                         f"{own['mean_min']:.2f} to {acc['mean_min']:.2f} minutes (90th "
                         f"percentile {own['p90_min']:.1f} to {acc['p90_min']:.1f}; within "
                         f"{circle} {pct(own['covered_pct'])} % to {pct(acc['covered_pct'])} %).")
        if cov is not None and np.isfinite(cov["covered_pct"]):
            parts.append(f"The optimal {n} sites for coverage would reach "
                         f"{pct(cov['covered_pct'])} % within {circle}.")
        out.append(" ".join(parts))
        best = result.optimum("access", s.demand, s.p)
        if s.name == "street_offices" and best is not None and len(best.sites):
            verdict = (f"the optimal {n} sites cut mean access to a street office from "
                       f"{own['mean_min']:.2f} to {acc['mean_min']:.2f} minutes" if better else
                       f"the structure's offices are as good as the optimum found "
                       f"({own['mean_min']:.2f} against {acc['mean_min']:.2f} minutes)")
            out.append(f"Where should the {n} street offices have gone? At "
                       + "; ".join(describe_site(c, result.city) for c in best.sites)
                       + f" (the p-median optimum): {verdict}. The structure's offices "
                       "stand at " + "; ".join(describe_site(c, result.city) for c in s.cells)
                       + ".")
    return out


# ------------------------------------------------------------------------ the command
def parse_points(values: list[str] | None) -> list[int] | None:
    """`--points 2 --points 30,69` -> [2, 30, 69]; None when not given."""
    from simulation.scenario import ScenarioError
    if not values:
        return None
    out = set()
    for text in values:
        for piece in text.split(","):
            try:
                n = int(piece)
            except ValueError:
                raise ScenarioError("command line", "--points",
                                    f"expected whole numbers, got {piece!r}") from None
            if n < 1:
                raise ScenarioError("command line", "--points", f"expected at least 1, got {n}")
            out.add(n)
    return sorted(out)


def _positive(text: str, option: str, kind: type):
    from simulation.scenario import ScenarioError
    try:
        value = kind(text)
    except ValueError:
        raise ScenarioError("command line", option, f"expected a number, got {text!r}") from None
    if not (value > 0 and math.isfinite(value)):
        raise ScenarioError("command line", option,
                            f"expected a finite number more than 0, got {text}")
    return value


def add_siting_parser(sub) -> None:
    """Register `run.py siting`."""
    from analysis.options import shared_options
    p = sub.add_parser(
        "siting", parents=[shared_options("seed", "out", help={
            "seed": "seed of the map (1)", "out": "output folder (default results/siting_"
            "<scenario>_seed<S>_<points>_block<B> under the working directory)"})],
        help="the best possible siting of service points, against the structure's",
        description="Solve, on the scenario's map and population, the maximal covering "
        "location problem (residents within the 15-minute service circle) and the p-median "
        "problem (mean walk to the nearest site) with spopt and CBC, for the structure's own "
        "numbers of sites (or --points), and compare the structure's sites with the optima. "
        "Prints the table; writes siting.csv, sites.csv, siting.png and siting.html.")
    p.add_argument("scenario", metavar="SCENARIO",
                   help="a scenario name in scenarios/ (see `run.py scenarios`) or a file")
    p.add_argument("--points", action="append", metavar="N[,N...]",
                   help="numbers of sites to solve for (repeat or separate with commas; "
                   "default: each of the structure's own counts)")
    p.add_argument("--objective", choices=("coverage", "access", "both"), default="both",
                   help="MCLP (coverage), p-median (access) or both (default)")
    p.add_argument("--demand", choices=("urban", "all", "both"), default="both",
                   help="compare for urban residents (communities, street offices), all "
                   "residents (every walk-in service point) or both (default)")
    p.add_argument("--time-limit", default=str(DEFAULT_TIME_LIMIT_S), metavar="SECONDS",
                   help=f"CBC's time limit per problem ({DEFAULT_TIME_LIMIT_S:g}); its "
                   f"process is stopped at the limit + {100 * GRACE_SHARE:g} %% (at least "
                   f"+ {MIN_GRACE_S:g} s) and the better of its and the heuristic's "
                   "solutions kept; a large limit asks for CBC's proof")
    p.add_argument("--block", default=str(DEFAULT_BLOCK), metavar="CELLS",
                   help=f"side of the aggregation blocks in cells ({DEFAULT_BLOCK}; 1 = none)")
    p.set_defaults(func=cmd_siting)


def cmd_siting(args) -> int:
    import json
    import shlex
    import sys

    from analysis import siting_report
    from analysis.outputs import check_output_folder, result_folder, write_folder
    from analysis.runs import code_version
    from simulation.model import GovernanceModel
    from simulation.scenario import load

    points = parse_points(args.points)
    time_limit = _positive(args.time_limit, "--time-limit", float)
    block = _positive(args.block, "--block", int)
    objectives = OBJECTIVES if args.objective == "both" else (args.objective,)
    scenario = load(args.scenario)
    spec = "own" if points is None else "p" + "-".join(map(str, points))
    obj = "" if args.objective == "both" else f"_{args.objective}"
    obj += "" if args.demand == "both" else f"_{args.demand}"
    out = Path(args.out) if args.out else result_folder(
        "siting", [scenario.name], seed=args.seed, extra=f"{spec}{obj}_block{block}")
    check_output_folder(out)
    model = GovernanceModel(scenario, seed=args.seed, scale=0.05, days=1)

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    wanted = {"urban": ("urban",), "all": ("city",), "both": DEMAND_ORDER}[args.demand]
    result = run_siting(model, args.seed, points, objectives, block, time_limit, log, wanted)
    rows = rows_table(result)
    sites = sites_table(result)
    said = findings(result, rows)
    png = siting_report.site_map(result)
    command = shlex.join(["python", "run.py", *sys.argv[1:]]) if sys.argv[1:2] == [
        "siting"] else f"run.py siting {args.scenario}"
    page = siting_report.html_report(result, rows, said, png, command)
    manifest = {"command": command, "scenario": scenario.name, "scenario_sha256":
                scenario.digest, "seed": args.seed, "points": points,
                "objectives": list(objectives), "demand": args.demand, "block_cells": block,
                "time_limit_s": time_limit, "code": code_version()}
    write_folder(out, {
        "siting.csv": lambda p: rows.to_csv(p, index=False),
        "sites.csv": lambda p: sites.to_csv(p, index=False),
        "siting.png": lambda p: p.write_bytes(png),
        "siting.html": lambda p: p.write_text(page, encoding="utf-8"),
        "manifest.json": lambda p: p.write_text(json.dumps(manifest, indent=2) + "\n"),
    })
    print(f"{scenario.title or scenario.name}: the structure's sites against the optimum "
          f"(map seed {args.seed}; walks in minutes)")
    print()
    print(siting_report.format_table(result, rows))
    print()
    for line in said:
        print(textwrap_fill(line))
    missing = [s for s in result.solutions if not len(s.sites)]
    if missing:
        log(f"warning: {len(missing)} problem(s) found no solution within --time-limit "
            f"{time_limit:g} s")
    print()
    print(f"Wrote siting.csv, sites.csv, siting.png, siting.html, manifest.json to {out}")
    return 0


def textwrap_fill(text: str) -> str:
    import textwrap
    return textwrap.fill(text, width=92, subsequent_indent="  ")
