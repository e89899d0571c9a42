"""Patrols and grid rounds: many walkers moved together, in numpy, once per tick.

Every walker heads for a random inhabited cell of its beat, moves up to its speed per
tick and marks each cell it passes. Moving a few hundred walkers is one set of array
operations per tick, not one Python call per walker.
"""

from __future__ import annotations

import numpy as np


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
        x, y = self.x[idx], self.y[idx]
        dx, dy = self.tx[idx] - x, self.ty[idx] - y
        dist = np.hypot(dx, dy)
        move = np.minimum(self.step_cells[idx], dist)
        n_pts = np.ceil(move).astype(int) + 1
        j = np.arange(n_pts.max())
        frac = np.minimum(j[None, :], move[:, None]) / np.maximum(dist, 1e-9)[:, None]
        px = np.rint(x[:, None] + dx[:, None] * frac).astype(np.int64)
        py = np.rint(y[:, None] + dy[:, None] * frac).astype(np.int64)
        keep = j[None, :] < n_pts[:, None]
        cells = (px * self.height + py)[keep]
        who = np.broadcast_to(idx[:, None], keep.shape)[keep]
        ratio = move / np.maximum(dist, 1e-9)
        self.x[idx] = x + dx * ratio
        self.y[idx] = y + dy * ratio
        self._retarget(idx[move >= dist])
        return cells, who
