"""Patrols and grid rounds: many walkers moved together, once per tick.

Every walker heads for a random inhabited cell of its beat, moves up to its speed per
tick and marks each cell it passes. Moving a few hundred walkers is one compiled loop
(numba, when it is installed) or one set of numpy array operations per tick, not one
Python call per walker; both give the same cells and positions to the last bit
(`tests/test_movement.py`). Set the environment variable `GOVSIM_NO_NUMBA=1` to use the
numpy path.
"""

from __future__ import annotations

import os

import numpy as np

try:  # the compiled loop is optional: the numpy path gives identical results
    if os.environ.get("GOVSIM_NO_NUMBA"):
        raise ImportError
    from numba import njit
except ImportError:  # pragma: no cover - exercised with GOVSIM_NO_NUMBA=1
    njit = None


def _step_numpy(x, y, tx, ty, step_cells, idx, height):
    """Move walkers `idx` one tick; the cells passed, the walker of each, who arrived."""
    xs, ys = x[idx], y[idx]
    dx, dy = tx[idx] - xs, ty[idx] - ys
    dist = np.hypot(dx, dy)
    move = np.minimum(step_cells[idx], dist)
    n_pts = np.ceil(move).astype(np.int64) + 1
    j = np.arange(n_pts.max())
    frac = np.minimum(j[None, :], move[:, None]) / np.maximum(dist, 1e-9)[:, None]
    px = np.rint(xs[:, None] + dx[:, None] * frac).astype(np.int64)
    py = np.rint(ys[:, None] + dy[:, None] * frac).astype(np.int64)
    keep = j[None, :] < n_pts[:, None]
    cells = (px * height + py)[keep]
    who = np.broadcast_to(idx[:, None], keep.shape)[keep]
    ratio = move / np.maximum(dist, 1e-9)
    x[idx] = xs + dx * ratio
    y[idx] = ys + dy * ratio
    return cells, who, idx[move >= dist]


def _step_loop(x, y, tx, ty, step_cells, idx, height):  # pragma: no cover - compiled
    """The same as `_step_numpy`, one walker at a time (compiled by numba)."""
    n = idx.shape[0]
    total = 0
    for k in range(n):
        i = idx[k]
        dist = np.hypot(tx[i] - x[i], ty[i] - y[i])
        move = min(step_cells[i], dist)
        total += int(np.ceil(move)) + 1
    cells = np.empty(total, np.int64)
    who = np.empty(total, np.int64)
    arrived = np.empty(n, np.int64)
    n_arrived = 0
    pos = 0
    for k in range(n):
        i = idx[k]
        xs, ys = x[i], y[i]
        dx, dy = tx[i] - xs, ty[i] - ys
        dist = np.hypot(dx, dy)
        move = min(step_cells[i], dist)
        n_pts = int(np.ceil(move)) + 1
        denom = max(dist, 1e-9)
        for j in range(n_pts):
            frac = min(float(j), move) / denom
            cells[pos] = np.int64(np.rint(xs + dx * frac)) * height + \
                np.int64(np.rint(ys + dy * frac))
            who[pos] = i
            pos += 1
        ratio = move / denom
        x[i] = xs + dx * ratio
        y[i] = ys + dy * ratio
        if move >= dist:
            arrived[n_arrived] = i
            n_arrived += 1
    return cells, who, arrived[:n_arrived]


_step = njit(cache=True)(_step_loop) if njit is not None else _step_numpy


def _mark_numpy(cells, who, n_patrol, last_patrol, pending_police, pending_grid, t):
    """Mark the cells patrols passed with time `t`; the cells, each once and in order,
    where a patrol passed pending police work and where a grid worker passed pending
    other work. Walkers below `n_patrol` are patrols, the rest grid workers."""
    is_patrol = who < n_patrol
    pc = cells[is_patrol]
    last_patrol[pc] = t
    gc = cells[~is_patrol]
    return np.unique(pc[pending_police[pc] > 0]), np.unique(gc[pending_grid[gc] > 0])


def _mark_loop(cells, who, n_patrol, last_patrol, pending_police, pending_grid,
               t):  # pragma: no cover - compiled
    """The same as `_mark_numpy`, in one pass (compiled by numba)."""
    police_hits = np.empty(cells.shape[0], np.int64)
    grid_hits = np.empty(cells.shape[0], np.int64)
    n_police = n_grid = 0
    for k in range(cells.shape[0]):
        c = cells[k]
        if who[k] < n_patrol:
            last_patrol[c] = t
            if pending_police[c] > 0:
                police_hits[n_police] = c
                n_police += 1
        elif pending_grid[c] > 0:
            grid_hits[n_grid] = c
            n_grid += 1
    return np.unique(police_hits[:n_police]), np.unique(grid_hits[:n_grid])


#: Mark patrols' cells and find pending work passed: `(police_cells, grid_cells)`.
mark_passes = njit(cache=True)(_mark_loop) if njit is not None else _mark_numpy


class Walkers:
    """Positions, targets and beats of everyone who patrols or walks a round.

    Args:
        x, y: starting positions (cells).
        step_cells: distance covered per tick, in cells, per walker.
        beat: beat index of each walker.
        beat_cells: for each beat, the flat cell indices it covers.
        height: grid height (flat index = x * height + y).
        rng: the stream that picks targets.
    """

    def __init__(self, x, y, step_cells, beat, beat_cells: list[np.ndarray], height: int,
                 rng: np.random.Generator):
        self.x = np.asarray(x, float).copy()
        self.y = np.asarray(y, float).copy()
        self.step_cells = np.asarray(step_cells, float)
        self.beat = np.asarray(beat, np.int32)
        self.height = height
        self.rng = rng
        lens = np.array([max(len(c), 1) for c in beat_cells])
        self._beat_start = np.concatenate([[0], np.cumsum(lens)[:-1]])
        self._beat_len = lens
        self._cells = np.concatenate([c if len(c) else np.array([0]) for c in beat_cells]) \
            if beat_cells else np.zeros(1, np.int64)
        self.tx = self.x.copy()
        self.ty = self.y.copy()
        self._retarget(np.arange(len(self.x)))

    def __len__(self) -> int:
        return len(self.x)

    def _retarget(self, idx: np.ndarray) -> None:
        if len(idx) == 0:
            return
        b = self.beat[idx]
        pick = self._beat_start[b] + (self.rng.random(len(idx)) * self._beat_len[b]).astype(int)
        cell = self._cells[pick]
        self.tx[idx] = cell // self.height
        self.ty[idx] = cell % self.height

    def place(self, idx: np.ndarray, cells: np.ndarray) -> None:
        """Put walkers `idx` on flat cells `cells` (back at base, at an incident)."""
        self.x[idx] = cells // self.height
        self.y[idx] = cells % self.height

    def cell(self, i: int) -> int:
        return int(round(self.x[i])) * self.height + int(round(self.y[i]))

    def cells(self) -> np.ndarray:
        return np.rint(self.x).astype(np.int64) * self.height + np.rint(self.y).astype(np.int64)

    def step(self, active: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Move the active walkers one tick.

        Returns:
            The flat cells passed (with repeats) and the walker index of each.
        """
        idx = np.flatnonzero(active)
        if len(idx) == 0:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        cells, who, arrived = _step(self.x, self.y, self.tx, self.ty, self.step_cells,
                                    idx.astype(np.int64), self.height)
        self._retarget(arrived)
        return cells, who
