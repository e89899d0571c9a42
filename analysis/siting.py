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
The heuristic and its bound are in `analysis.location_heuristics`, CBC's hard time limit
in `analysis.cbc_limit`; the tables and the command in `analysis.siting_tables` and
`analysis.siting_cli`. (About 530 lines: the walk, the demand and its blocks, and the
solve that joins them are one chain of reasoning, read top to bottom.)

Two demands are used: *urban residents* (inhabited residential and commercial cells),
for the urban units (communities, street offices), and *all residents*, for the full set
of walk-in service points (villages and towns included).
"""

from __future__ import annotations

import math
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from analysis import cbc_limit, location_heuristics
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
#: CBC's log rounds its bounds (e.g. "Continuous objective value is 1.36724e+06"): a
#: bound read from it is loosened by this share
CBC_BOUND_SLACK = 1e-5


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
    as_median = location_heuristics.as_pmedian_cost(cost, objective, walk.circle_min)
    found, lagrangian = location_heuristics.heuristic(as_median, weight, p)
    heuristic_value = location_heuristics.objective_value(cost, weight, found, objective,
                                                          walk.circle_min)
    lagrangian /= weight.sum()
    if objective == "coverage":  # a bound on the share left uncovered
        lagrangian = 1.0 - lagrangian
    heuristic_s = time.perf_counter() - t1
    with tempfile.TemporaryDirectory(prefix="siting-cbc-") as tmp:
        log_path = Path(tmp) / "cbc.log"
        solver = cbc_limit.cbc(time_limit_s, log_path)
        solver.tmpDir = tmp  # PuLP leaves its files behind when CBC is stopped
        t2 = time.perf_counter()
        ended, cbc_start_s = cbc_limit.run_with_hard_limit(
            model, solver, cbc_limit.hard_limit_s(time_limit_s))
        solve_s = time.perf_counter() - t2
        log = log_path.read_text(errors="replace") if log_path.exists() else ""
    problem = model.problem
    solved = ended == "solved"
    cbc_optimal = solved and problem.sol_status == pulp.LpSolutionOptimal
    cbc_chosen = np.array([j for j, v in enumerate(model.fac_vars)
                           if solved and (v.value() or 0) > 0.5], np.int64)
    cbc_value = location_heuristics.objective_value(
        cost, weight, cbc_chosen, objective, walk.circle_min) if len(cbc_chosen) else math.nan
    enumerated, enumerated_set = math.nan, ()
    if math.comb(len(blocks), p) <= location_heuristics.ENUMERATION_LIMIT:
        enumerated, enumerated_set = location_heuristics.enumerate_best(
            cost, weight, p, objective, walk.circle_min)
    sign = -1.0 if objective == "coverage" else 1.0  # lower is better after the sign
    bound = lagrangian
    if cbc_limit._bound(log) is not None:  # the tighter of CBC's and the Lagrangian bound
        # CBC prints its bounds to 6-8 significant digits: loosen them by that much
        cbc_bound = cbc_limit._bound(log) / weight.sum() * (1 - sign * CBC_BOUND_SLACK)
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
    value = location_heuristics.objective_value(cost, weight, chosen, objective,
                                                walk.circle_min)
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
                    cbc_limit._solver_name(log), unrefined, heuristic_value, heuristic_s,
                    cbc_value, bound, ended, cbc_start_s)


#: how CBC ended, in a heuristic solution's status
STOPPED = {"stopped": "CBC stopped at the time limit",
           "no solution": "CBC found no solution within the time limit",
           "solved": "CBC returned no sites",
           "failed": "CBC failed"}
BETTER = "better than CBC's solution at the time limit"


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
