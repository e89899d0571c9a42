"""Dividing the urban area into nested, contiguous, population-balanced areas.

Districts, street offices and communities are made by recursive bisection: a region is
cut across its longer side at the point that gives each half the population its share of
units asks for, and so on down. Each level nests in the one above by construction.
"""

from __future__ import annotations

import numpy as np


def allocate(total: int, weights: np.ndarray, minimum: int = 1) -> np.ndarray:
    """Split `total` units among parts in proportion to `weights` (largest remainder),
    giving every part at least `minimum`."""
    weights = np.asarray(weights, float)
    n = len(weights)
    if total < minimum * n:
        raise ValueError(f"cannot give {n} parts at least {minimum} of {total}")
    share = weights / weights.sum() * (total - minimum * n)
    base = np.floor(share).astype(int)
    rest = total - minimum * n - base.sum()
    order = np.argsort(-(share - base), kind="stable")
    base[order[:rest]] += 1
    return base + minimum


def bisect(xs: np.ndarray, ys: np.ndarray, weights: np.ndarray,
           shares: np.ndarray) -> np.ndarray:
    """Label points 0..len(shares)-1 so that part i holds about `shares[i]` of the weight.

    Args:
        xs, ys: cell coordinates.
        weights: population of each cell.
        shares: relative target size of each part.

    Returns:
        Part index of each cell.
    """
    labels = np.zeros(len(xs), np.int32)
    _bisect(np.arange(len(xs)), xs, ys, weights, np.asarray(shares, float), 0, labels)
    return labels


def _bisect(idx, xs, ys, w, shares, first, labels) -> None:
    k = len(shares)
    if k == 1:
        labels[idx] = first
        return
    k1 = k // 2
    frac = shares[:k1].sum() / shares.sum()
    px, py = xs[idx], ys[idx]
    if np.ptp(px) >= np.ptp(py):
        order = np.lexsort((py, px))
    else:
        order = np.lexsort((px, py))
    cum = np.cumsum(w[idx][order])
    cut = int(np.searchsorted(cum, frac * cum[-1]))
    cut = min(max(cut, k1), len(idx) - (k - k1))  # every part keeps at least one cell
    _bisect(idx[order[:cut]], xs, ys, w, shares[:k1], first, labels)
    _bisect(idx[order[cut:]], xs, ys, w, shares[k1:], first + k1, labels)


def nested_partition(xs: np.ndarray, ys: np.ndarray, weights: np.ndarray,
                     counts: list[int], top_weights: np.ndarray | None = None) -> list[np.ndarray]:
    """Nested areas: `counts[0]` top areas, each split so that the next level has
    `counts[1]` areas in all, and so on.

    Args:
        xs, ys, weights: the cells to divide and their population.
        counts: number of areas at each level, top first (non-decreasing).
        top_weights: relative populations of the top-level areas (default equal).

    Returns:
        One label array per level (labels are global within a level).
    """
    out = []
    top_w = np.ones(counts[0]) if top_weights is None else np.asarray(top_weights, float)
    labels = bisect(xs, ys, weights, top_w)
    out.append(labels)
    for n in counts[1:]:
        parents = out[-1]
        n_par = parents.max() + 1
        pop = np.bincount(parents, weights, minlength=n_par)
        per_parent = allocate(n, pop)
        new = np.zeros_like(parents)
        start = 0
        for p in range(n_par):
            sel = np.flatnonzero(parents == p)
            k = per_parent[p]
            new[sel] = start + bisect(xs[sel], ys[sel], weights[sel], np.ones(k))
            start += k
        out.append(new)
    return out


def central_cell(xs: np.ndarray, ys: np.ndarray, weights: np.ndarray) -> int:
    """Index of the cell nearest the population-weighted centre of a set of cells."""
    cx = np.average(xs, weights=weights)
    cy = np.average(ys, weights=weights)
    return int(np.argmin((xs - cx) ** 2 + (ys - cy) ** 2))
