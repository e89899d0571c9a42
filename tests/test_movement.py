"""The compiled walker step and the numpy one give the same cells and positions."""

from __future__ import annotations

import numpy as np
import pytest

from simulation import movement


@pytest.mark.parametrize("seed", range(5))
def test_compiled_and_numpy_steps_agree_to_the_bit(seed):
    rng = np.random.default_rng(seed)
    n, h = 400, 130
    x, y = rng.uniform(0, 160, n), rng.uniform(0, h, n)
    tx, ty = rng.integers(0, 160, n).astype(float), rng.integers(0, h, n).astype(float)
    tx[:10], ty[:10] = x[:10], y[:10]  # some already at their target
    speed = rng.choice([2.0, 5.0, 20.0], n)
    idx = np.flatnonzero(rng.random(n) < 0.7).astype(np.int64)
    a = [v.copy() for v in (x, y)]
    b = [v.copy() for v in (x, y)]
    got = movement._step(a[0], a[1], tx, ty, speed, idx, h)
    want = movement._step_numpy(b[0], b[1], tx, ty, speed, idx, h)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert len(got[0]) > len(idx)  # every walker passes at least its own cell


def test_walkers_reach_their_targets_and_pick_new_ones():
    rng = np.random.default_rng(1)
    beat = [np.arange(0, 50, dtype=np.int64)]
    w = movement.Walkers([0.0], [0.0], [3.0], [0], beat, 10, rng)
    seen = set()
    for _ in range(200):
        cells, who = w.step(np.array([True]))
        seen.update(cells.tolist())
        assert (who == 0).all()
    assert len(seen) > 25  # it keeps moving across its beat
    assert max(seen) < 50


@pytest.mark.parametrize("seed", range(5))
def test_compiled_and_numpy_marking_agree_to_the_bit(seed):
    """Patrols' cells marked with the time; pending work found once per cell, in order."""
    rng = np.random.default_rng(seed)
    n_cells, n = 2000, 3000
    cells = rng.integers(0, n_cells, n).astype(np.int64)
    who = rng.integers(0, 300, n).astype(np.int64)
    police = (rng.random(n_cells) < 0.05).astype(np.int32)
    grid = (rng.random(n_cells) < 0.05).astype(np.int32)
    a, b = np.full(n_cells, -np.inf), np.full(n_cells, -np.inf)
    got = movement.mark_passes(cells, who, 120, a, police, grid, 600.0)
    want = movement._mark_numpy(cells, who, 120, b, police, grid, 600.0)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)
    np.testing.assert_array_equal(a, b)
    assert len(got[0]) and len(got[1])  # some of each found
    assert (a == 600.0).sum() == len(np.unique(cells[who < 120]))
