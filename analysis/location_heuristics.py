"""The location algorithms of `run.py siting`, in plain numpy on a demand x candidates
cost matrix: the objective of a set of sites, exhaustive enumeration (an exact check on
small problems), MCLP recast as a p-median, the vertex-substitution heuristic and its
Lagrangian lower bound."""

from __future__ import annotations

import itertools
import math

import numpy as np

#: the solver's optimum is checked by trying every set of p candidates when there are
#: at most this many (p = 2 among ~340 blocks is 57,000 pairs: about a second)
ENUMERATION_LIMIT = 100_000


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
