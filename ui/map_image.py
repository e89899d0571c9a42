"""The map as an RGB image, drawn with numpy: layers as images, people as a few pixels.

The grid is indexed `[x, y]` with flat cell `x * height + y`; the image has north up, so
image row `r` is `y = height - 1 - r // px` and column `c` is `x = c // px`. What never
changes during a run (population, land use, boundaries, service points, police bases,
the 15-minute circle) is drawn once per model; each frame adds the patrol layer, open
needs coloured by how long they have waited, and everyone who patrols or walks a round.
"""

from __future__ import annotations

import numpy as np

from simulation.city import COMMERCIAL, EMPTY, INDUSTRIAL, RESIDENTIAL, SCENIC, VILLAGE

#: Pixels per grid cell for `to_image` (a renderer picks its own to fit `target_px`; the
#: page scales the image up in the browser, pixelated, so a small image keeps frames fast).
PX = 4

# colours (RGB)
LAND = {EMPTY: (246, 243, 235), RESIDENTIAL: (236, 233, 226), COMMERCIAL: (233, 229, 238),
        INDUSTRIAL: (222, 218, 230), SCENIC: (226, 238, 222), VILLAGE: (240, 234, 214)}
POP_LIGHT = np.array([228, 226, 222], float)
POP_DARK = np.array([120, 116, 112], float)
COMMUNITY_LINE = (90, 90, 90)
STREET_OFFICE_LINE = (128, 0, 128)
SERVICE_POINT = (255, 255, 255)
SERVICE_BORDER = (20, 20, 20)
STATION = (25, 60, 200)
POLICE = (30, 90, 255)
AUXILIARY = (0, 190, 230)
GRID_WORKER = (0, 150, 60)
CIRCLE_IN = (80, 190, 110)
CIRCLE_OUT = (230, 80, 80)
PATROLLED = (60, 120, 255)
#: waiting-time bins (minutes) and their colours: < 1 h, < 1 day, < 1 week, longer
WAIT_EDGES = np.array([60.0, 1440.0, 7 * 1440.0])
WAIT_COLOURS = np.array([(255, 215, 0), (255, 140, 0), (220, 30, 30), (110, 0, 0)],
                        np.uint8)

LAYERS = ("circle", "patrol")


def to_image(layer: np.ndarray, px: int = PX) -> np.ndarray:
    """A `[x, y]` layer as image rows (north up), each cell `px` by `px` pixels."""
    arr = np.asarray(layer)
    img = np.swapaxes(arr, 0, 1)[::-1]
    return np.repeat(np.repeat(img, px, axis=0), px, axis=1)


def _edges(labels: np.ndarray, thick: int = 1) -> np.ndarray:
    """Pixels on a boundary between different labels (where at least one is >= 0)."""
    edge = np.zeros(labels.shape, bool)
    a, b = labels[:, 1:], labels[:, :-1]
    d = (a != b) & ((a >= 0) | (b >= 0))
    edge[:, 1:] |= d
    a, b = labels[1:, :], labels[:-1, :]
    d = (a != b) & ((a >= 0) | (b >= 0))
    edge[1:, :] |= d
    for _ in range(thick - 1):
        grown = edge.copy()
        grown[1:, :] |= edge[:-1, :]
        grown[:, 1:] |= edge[:, :-1]
        edge = grown
    return edge


def _blend(img: np.ndarray, mask: np.ndarray, colour, alpha: float) -> None:
    sel = img[mask].astype(float)
    img[mask] = (sel * (1 - alpha) + np.array(colour, float) * alpha).astype(np.uint8)


class MapRenderer:
    """Draws one model's map. Build once per model; `render` once per frame."""

    def __init__(self, model, px: int | None = None, target_px: int = 480):
        city, st, pol = model.city, model.structure, model.police
        self.w, self.h = city.width, city.height
        pop = np.asarray(model.grid.population.data, float)
        inhabited = pop > 0
        # crop to what is there (inhabited cells and the industrial zone) plus a margin
        used = inhabited | (city.land_use == INDUSTRIAL)
        if used.any():
            xs, ys = np.flatnonzero(used.any(axis=1)), np.flatnonzero(used.any(axis=0))
            m = 3
            self.x0, self.x1 = max(0, xs[0] - m), min(self.w, xs[-1] + 1 + m)
            self.y0, self.y1 = max(0, ys[0] - m), min(self.h, ys[-1] + 1 + m)
        else:
            self.x0, self.x1, self.y0, self.y1 = 0, self.w, 0, self.h
        cw, ch = self.x1 - self.x0, self.y1 - self.y0
        self.px = px = px or int(np.clip(target_px // max(cw, ch), 2, 10))
        self.shape = (ch * px, cw * px)
        # base: land use, then population on inhabited cells (log scale)
        land = np.zeros((self.w, self.h, 3), np.uint8)
        for code, colour in LAND.items():
            land[city.land_use == code] = colour
        if inhabited.any():
            lp = np.log1p(pop)
            frac = np.clip(lp / max(lp.max(), 1e-9), 0, 1)[..., None]
            shade = (POP_LIGHT * (1 - frac) + POP_DARK * frac).astype(np.uint8)
            land = np.where(inhabited[..., None], shade, land)
        base = self.image(land).copy()
        area = st.area_of_cell.reshape(self.w, self.h)
        base[_edges(self.image(area), 1)] = COMMUNITY_LINE
        so_of_area = getattr(st, "street_office_of_area", None)
        if so_of_area is not None and (np.asarray(so_of_area) >= 0).any():
            so = np.where(area >= 0, np.asarray(so_of_area)[np.maximum(area, 0)], -1)
            base[_edges(self.image(so), 2)] = STREET_OFFICE_LINE
        self.base = base
        # markers that do not move
        self.service_cells = np.array([st.units[u].cell for u in st.service_points], np.int64)
        self.station_cells = np.asarray(pol.base_cells, np.int64)
        # the 15-minute circle, for inhabited cells
        circle = model.params["access"]["service_circle_min"]
        walk = np.asarray(st.walk_min, float).reshape(self.w, self.h)
        self.inhabited_img = self.image(inhabited)
        self.circle_in = self.image(inhabited & (walk <= circle))
        self.circle_out = self.inhabited_img & ~self.circle_in

    def image(self, layer: np.ndarray) -> np.ndarray:
        """A full `[x, y]` layer, cropped to the drawn window, as image pixels."""
        return to_image(np.asarray(layer)[self.x0:self.x1, self.y0:self.y1], self.px)

    # ---- drawing helpers
    def _cell_centres(self, cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x, y = cells // self.h - self.x0, cells % self.h - self.y0
        return ((self.y1 - self.y0 - 1 - y) * self.px + self.px // 2,
                x * self.px + self.px // 2)

    def _squares(self, img, rows, cols, half: int, colour) -> None:
        """Filled squares of side 2*half+1 centred on (rows, cols)."""
        if len(rows) == 0:
            return
        offs = np.arange(-half, half + 1)
        rr = (np.asarray(rows)[:, None, None] + offs[None, :, None])
        cc = (np.asarray(cols)[:, None, None] + offs[None, None, :])
        rr, cc = np.broadcast_arrays(rr, cc)
        ok = (rr >= 0) & (rr < img.shape[0]) & (cc >= 0) & (cc < img.shape[1])
        img[rr[ok], cc[ok]] = colour

    def render(self, model, layers: frozenset[str] | set[str] = frozenset()) -> np.ndarray:
        """The map at the model's current time, with the optional `layers`
        ("circle": the 15-minute service circle; "patrol": patrolled in the last 24 h)."""
        img = self.base.copy()
        t = model.time_min
        if "circle" in layers:
            _blend(img, self.circle_in, CIRCLE_IN, 0.45)
            _blend(img, self.circle_out, CIRCLE_OUT, 0.45)
        if "patrol" in layers:
            last = np.asarray(model.engine.last_patrol).reshape(self.w, self.h)
            patrolled = self.image(last >= t - 1440.0) & self.inhabited_img
            _blend(img, patrolled, PATROLLED, 0.45)
        # fixed markers
        r, c = self._cell_centres(self.service_cells)
        self._squares(img, r, c, 3, SERVICE_BORDER)
        self._squares(img, r, c, 2, SERVICE_POINT)
        r, c = self._cell_centres(self.station_cells)
        self._squares(img, r, c, 3, STATION)
        self._squares(img, r, c, 1, SERVICE_POINT)
        # open needs, by waiting time
        e = model.engine.cases
        n = int(model.engine.next_onset)
        if n:
            onset = np.asarray(e.onset[:n], float)
            open_ = ~np.isfinite(np.asarray(e.resolved[:n], float)) & \
                ~np.isfinite(np.asarray(e.gave_up[:n], float))
            idx = np.flatnonzero(open_)
            if len(idx):
                cells = np.asarray(e.cell, np.int64)[idx]
                wait = t - onset[idx]
                colours = WAIT_COLOURS[np.searchsorted(WAIT_EDGES, wait, side="right")]
                order = np.argsort(wait)  # longest waits drawn last, on top
                r, c = self._cell_centres(cells[order])
                for dr in (-1, 0, 1):
                    for dc in (-1, 0, 1):
                        rr, cc = r + dr, c + dc
                        ok = (rr >= 0) & (rr < img.shape[0]) & (cc >= 0) & (cc < img.shape[1])
                        img[rr[ok], cc[ok]] = colours[order][ok]
        # walkers: grid workers, then officers on duty (auxiliaries in their own colour)
        w, pol = model.walkers, model.police
        xs = np.clip(np.rint(np.asarray(w.x)).astype(np.int64), 0, self.w - 1)
        ys = np.clip(np.rint(np.asarray(w.y)).astype(np.int64), 0, self.h - 1)
        cells = xs * self.h + ys
        n_pol = pol.n
        r, c = self._cell_centres(cells[n_pol:])
        self._squares(img, r, c, 1, GRID_WORKER)
        on = (np.asarray(pol.officer_shift) == pol.on_duty_shift(t)) | \
            (np.asarray(pol.busy_until) > t)
        aux = np.asarray(pol.auxiliary, bool)
        r, c = self._cell_centres(cells[:n_pol][on & aux])
        self._squares(img, r, c, 1, AUXILIARY)
        r, c = self._cell_centres(cells[:n_pol][on & ~aux])
        self._squares(img, r, c, 1, POLICE)
        return img


def legend_items() -> list[tuple[str, tuple[int, int, int], str]]:
    """(label key, colour, shape) for the page's legend."""
    return [
        ("legend.population", tuple(POP_DARK.astype(int)), "cell"),
        ("legend.community", COMMUNITY_LINE, "line"),
        ("legend.street_office", STREET_OFFICE_LINE, "line"),
        ("legend.service_point", SERVICE_POINT, "square"),
        ("legend.station", STATION, "square"),
        ("legend.police", POLICE, "dot"),
        ("legend.auxiliary", AUXILIARY, "dot"),
        ("legend.grid_worker", GRID_WORKER, "dot"),
    ]


def wait_legend() -> list[tuple[str, tuple[int, int, int]]]:
    return [(f"legend.wait{i}", tuple(int(v) for v in WAIT_COLOURS[i])) for i in range(4)]


def layer_legend() -> dict[str, list[tuple[str, tuple[int, int, int]]]]:
    return {"circle": [("legend.circle_in", CIRCLE_IN), ("legend.circle_out", CIRCLE_OUT)],
            "patrol": [("legend.patrolled", PATROLLED)]}
