"""Distances and travel times on the grid.

Straight-line distance on the grid is the octile distance (moves along rows, columns and
diagonals); people and cars follow streets, so a travel time multiplies it by a detour
(circuity) factor, `access.detour_factor`: network distance is about 1.2 times the
straight line between random points in a city (Newell 1980; O'Sullivan 1996 found 1.21-1.23
around transit stations).
"""

from __future__ import annotations

import numpy as np


def octile(dx, dy):
    """Grid distance in cells with diagonal moves (Moore neighbourhood)."""
    dx, dy = np.abs(dx), np.abs(dy)
    return np.maximum(dx, dy) + (np.sqrt(2) - 1) * np.minimum(dx, dy)


def travel_min(dx, dy, cell_m: float, speed_kmh: float, detour: float):
    """Minutes to cover the grid offset `(dx, dy)` along streets at `speed_kmh`."""
    return octile(dx, dy) * cell_m * detour / (speed_kmh * 1000.0 / 60.0)
