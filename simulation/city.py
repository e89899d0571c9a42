"""The default Jiayuguan-like map, generated from a seed.

A map is a set of numpy layers over a `width x height` grid of square cells, indexed
`[x, y]` like Mesa's grids: land use, the density that residents are drawn from, and the
rural towns and villages. It depends on the map parameters and the seed only, never on
the management structure, so every scenario under one seed lives in the same city.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

EMPTY, RESIDENTIAL, COMMERCIAL, INDUSTRIAL, SCENIC, VILLAGE = range(6)
LAND_USE_NAMES = ("empty", "residential", "commercial", "industrial", "scenic", "village")


@dataclass
class CityMap:
    """Layers of the city.

    Attributes:
        width, height: grid size in cells.
        cell_m: cell side in metres.
        land_use: int8 `[x, y]`, codes `EMPTY` .. `VILLAGE`.
        density: float `[x, y]`, expected residents per cell at scale 1.
        village: int16 `[x, y]`, village index or -1.
        village_town: town index of each village.
        town_names: names of the towns.
        centre: (x, y) of the urban core.
    """

    width: int
    height: int
    cell_m: float
    land_use: np.ndarray
    density: np.ndarray
    village: np.ndarray
    village_town: np.ndarray
    town_names: list[str]
    centre: tuple[int, int]

    @property
    def inhabited(self) -> np.ndarray:
        """Boolean `[x, y]`: cells where residents live."""
        return self.density > 0

    @property
    def urban(self) -> np.ndarray:
        """Boolean `[x, y]`: inhabited urban cells (residential or commercial)."""
        return (self.density > 0) & np.isin(self.land_use, (RESIDENTIAL, COMMERCIAL))


TOWN_NAMES = ["Wenshu", "Yuquan", "Xincheng"]


def _blob(width: int, height: int, cx: float, cy: float, n_cells: int,
          rng: np.random.Generator, exclude: np.ndarray, wobble: float = 0.15) -> np.ndarray:
    """A compact, contiguous blob of about `n_cells` cells around (cx, cy)."""
    xs, ys = np.meshgrid(np.arange(width), np.arange(height), indexing="ij")
    theta = np.arctan2(ys - cy, xs - cx)
    phase = rng.uniform(0, 2 * np.pi, 3)
    shape = (1 + wobble * np.sin(2 * theta + phase[0]) + 0.6 * wobble * np.sin(3 * theta + phase[1])
             + 0.4 * wobble * np.sin(5 * theta + phase[2]))
    score = np.hypot(xs - cx, ys - cy) / shape
    score = score + rng.uniform(0, 0.5, score.shape)
    score[exclude] = np.inf
    n_cells = int(min(n_cells, np.isfinite(score).sum()))
    if n_cells <= 0:
        return np.zeros((width, height), bool)
    cut = np.partition(score.ravel(), n_cells - 1)[n_cells - 1]
    mask = score <= cut
    labels, n = ndimage.label(mask, structure=np.ones((3, 3)))
    if n > 1:  # keep the largest connected piece
        sizes = ndimage.sum(mask, labels, range(1, n + 1))
        mask = labels == (1 + int(np.argmax(sizes)))
    return mask


def generate_map(map_params: dict, population: dict, rng: np.random.Generator) -> CityMap:
    """Generate the default city.

    Args:
        map_params: the scenario's `map` section.
        population: the scenario's `population` section.
        rng: the "map" stream.

    Returns:
        The city's layers.

    Raises:
        ValueError: if the urban area, zone and villages do not fit on the grid (the
            caller turns it into a scenario error naming the key).
    """
    w, h, cell_m = map_params["width"], map_params["height"], map_params["cell_m"]
    cell_km2 = (cell_m / 1000) ** 2
    n_urban = max(1, int(round(map_params["urban_area_km2"] / cell_km2)))
    n_zone = int(round(map_params["jisco_zone_km2"] / cell_km2))
    n_villages, n_towns = map_params["villages"], map_params["towns"]
    if n_villages and not n_towns:
        raise ValueError("map.towns: villages need at least one town")
    if n_urban + n_zone + 12 * n_villages > 0.8 * w * h:
        raise ValueError(f"map.urban_area_km2: {n_urban + n_zone} urban and industrial cells "
                         f"and {n_villages} villages do not fit on a {w} x {h} grid")

    land = np.zeros((w, h), np.int8)
    taken = np.zeros((w, h), bool)
    cx, cy = 0.40 * w, 0.50 * h
    urban = _blob(w, h, cx, cy, n_urban, rng, taken)
    land[urban] = RESIDENTIAL
    taken |= urban
    r_core = np.sqrt(urban.sum() / np.pi)

    xs, ys = np.meshgrid(np.arange(w), np.arange(h), indexing="ij")
    d = np.hypot(xs - cx, ys - cy)
    density = np.zeros((w, h))
    noise = rng.lognormal(0.0, 0.35, (w, h))
    density[urban] = (np.exp(-1.1 * (d[urban] / r_core) ** 2) + 0.15) * noise[urban]

    # the busiest tenth of the core is commercial (still inhabited)
    if urban.sum() > 10:
        cut = np.quantile(density[urban], 0.9)
        land[urban & (density >= cut)] = COMMERCIAL

    # JISCO industrial zone east of the core, touching it
    if n_zone:
        r_zone = np.sqrt(n_zone / np.pi)
        zx = min(w - r_zone - 1, cx + r_core + 0.8 * r_zone)
        zone = _blob(w, h, zx, cy - 0.2 * r_zone, n_zone, rng, taken, wobble=0.08)
        land[zone] = INDUSTRIAL
        taken |= zone
    # the Jiayuguan Pass scenic area to the west
    sx = max(3, cx - r_core - 12)
    scenic = _blob(w, h, sx, cy + 0.3 * r_core, max(4, n_urban // 60), rng, taken)
    land[scenic] = SCENIC
    taken |= scenic

    # villages, grouped by town, on the desert around the city
    village = np.full((w, h), -1, np.int16)
    village_town = np.zeros(n_villages, np.int16)
    town_angles = np.linspace(0.75 * np.pi, 1.85 * np.pi, max(n_towns, 1))
    rural_weights = rng.lognormal(0.0, 0.3, n_villages)
    per_town = np.array_split(np.arange(n_villages), max(n_towns, 1))
    margin = 3
    max_r = min(cx - margin, w - cx - margin, cy - margin, h - cy - margin)
    for t, members in enumerate(per_town):
        for v in members:
            for _attempt in range(50):
                ang = town_angles[t] + rng.uniform(-0.35, 0.35)
                rad = rng.uniform(r_core + 8, max(r_core + 12, max_r))
                vx, vy = cx + rad * np.cos(ang), cy + rad * np.sin(ang)
                if margin <= vx < w - margin and margin <= vy < h - margin and \
                        not taken[int(vx), int(vy)]:
                    break
            else:
                raise ValueError(f"map.villages: no room for {n_villages} villages on a "
                                 f"{w} x {h} grid")
            cells = _blob(w, h, vx, vy, int(rng.integers(6, 12)), rng, taken, wobble=0.1)
            village[cells] = v
            land[cells] = VILLAGE
            taken |= cells
            density[cells] = rural_weights[v] * rng.lognormal(0, 0.2, cells.sum())
            village_town[v] = t

    # scale densities to residents at scale 1
    residents = population["residents"]
    n_urban_res = residents * population["urban_share"] if n_villages else residents
    urban_cells = np.isin(land, (RESIDENTIAL, COMMERCIAL))
    density[urban_cells] *= n_urban_res / density[urban_cells].sum()
    if n_villages:
        rural = land == VILLAGE
        density[rural] *= (residents - n_urban_res) / density[rural].sum()

    names = [TOWN_NAMES[t] if t < len(TOWN_NAMES) else f"Town {t + 1}" for t in range(n_towns)]
    return CityMap(w, h, cell_m, land, density, village, village_town, names,
                   (int(cx), int(cy)))
