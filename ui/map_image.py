"""The map as images, drawn with numpy: a base that changes only when the run is rebuilt
(land use, population, boundaries, service points, police bases, the selected community)
and an overlay drawn every frame (a layer, open needs, everyone on patrol or a round).

The grid is indexed `[x, y]` with flat cell `x * height + y`; the image has north up, so
image row `r` is `y = y1 - 1 - r // px` and column `c` is `x = x0 + c // px`. The page
stacks the overlay (RGBA, mostly transparent, so its PNG is small) on the base, and the
export composes both (`render`).
"""

from __future__ import annotations

import numpy as np

from simulation.city import COMMERCIAL, EMPTY, INDUSTRIAL, RESIDENTIAL, SCENIC, VILLAGE

#: Pixels per grid cell for `to_image` (a renderer picks its own to fit `target_px`; the
#: page scales the image up in the browser, pixelated, so a small image keeps frames fast).
PX = 4

# colours (RGB)
LAND = {EMPTY: (246, 243, 235), RESIDENTIAL: (236, 233, 226), COMMERCIAL: (240, 222, 236),
        INDUSTRIAL: (200, 196, 222), SCENIC: (198, 226, 186), VILLAGE: (238, 224, 184)}
POP_LIGHT = np.array([228, 226, 222], float)
POP_DARK = np.array([120, 116, 112], float)
COMMUNITY_LINE = (90, 90, 90)
STREET_OFFICE_LINE = (128, 0, 128)
SELECTED_LINE = (255, 170, 0)
SERVICE_POINT = (255, 255, 255)
SERVICE_BORDER = (20, 20, 20)
STATION = (10, 25, 100)          # navy square, white centre
POST = (40, 90, 210)             # community police office: smaller blue square
JISCO_BASE = (100, 40, 130)      # JISCO patrol teams' base
POLICE = (0, 120, 255)           # bright blue dot
AUXILIARY = (0, 200, 200)        # teal dot
GRID_WORKER = (0, 150, 60)
CIRCLE_IN = (80, 190, 110)
CIRCLE_OUT = (230, 80, 80)
PATROLLED = (150, 90, 230)
UNPATROLLED = (250, 160, 200)
NO_DATA = (235, 235, 235)
POWER_ALL, POWER_SOME, POWER_NONE = (60, 170, 90), (240, 190, 60), (220, 70, 70)
LOAD_RAMP = ((255, 245, 220), (250, 160, 60), (180, 20, 20))  # utilisation 0, 0.5, 1
REACH_RAMP = ((200, 40, 40), (245, 210, 90), (40, 150, 70))  # reach 0, 0.5, 1
#: waiting-time bins (minutes) and their colours: < 1 h, < 1 day, < 1 week, longer
WAIT_EDGES = np.array([60.0, 1440.0, 7 * 1440.0])
WAIT_COLOURS = np.array([(255, 215, 0), (255, 140, 0), (220, 30, 30), (110, 0, 0)],
                        np.uint8)
LAYER_ALPHA = 0.45

#: Layers the page can show, one at a time ("" = none).
LAYERS = ("", "circle", "circle_authority", "patrol1", "patrol4", "patrol24", "reach", "load")
PATROL_HOURS = {"patrol1": 1, "patrol4": 4, "patrol24": 24}


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


def load_colour(u: np.ndarray, ramp=LOAD_RAMP) -> np.ndarray:
    """Colours of values 0-1 on a three-colour `ramp` (N x 3, uint8)."""
    u = np.clip(np.nan_to_num(np.asarray(u, float)), 0, 1)[:, None]
    lo, mid, hi = (np.array(c, float) for c in ramp)
    out = np.where(u < 0.5, lo + (mid - lo) * (u / 0.5), mid + (hi - mid) * ((u - 0.5) / 0.5))
    return out.astype(np.uint8)


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
        self.area = st.area_of_cell.reshape(self.w, self.h)
        self.area_img = self.image(self.area)
        base[_edges(self.area_img, 1)] = COMMUNITY_LINE
        self.boundary = _edges(self.area_img, 2)
        so_of_area = getattr(st, "street_office_of_area", None)
        if so_of_area is not None and (np.asarray(so_of_area) >= 0).any():
            so = np.where(self.area >= 0, np.asarray(so_of_area)[np.maximum(self.area, 0)], -1)
            base[_edges(self.image(so), 2)] = STREET_OFFICE_LINE
        # markers that do not move (layers leave their pixels alone)
        before = base.copy()
        self.service_cells = np.array([st.units[u].cell for u in st.service_points], np.int64)
        kinds = np.asarray(pol.base_kind)
        cells = np.asarray(pol.base_cells, np.int64)
        self.station_cells = cells[kinds == "station"]
        r, c = self._cell_centres(self.service_cells)
        self._squares(base, r, c, 3, SERVICE_BORDER)
        self._squares(base, r, c, 2, SERVICE_POINT)
        r, c = self._cell_centres(cells[kinds == "post"])
        self._squares(base, r, c, 2, POST)
        r, c = self._cell_centres(cells[kinds == "jisco"])
        self._squares(base, r, c, 2, JISCO_BASE)
        r, c = self._cell_centres(self.station_cells)
        self._squares(base, r, c, 3, STATION)
        self._squares(base, r, c, 1, SERVICE_POINT)
        self.base_plain = base
        self.keep = self.boundary | (base != before).any(axis=2)
        self.cell_m = float(city.cell_m)
        # the 15-minute circle, for inhabited cells
        circle = model.params["access"]["service_circle_min"]
        walk = np.asarray(st.walk_min, float).reshape(self.w, self.h)
        self.inhabited = inhabited
        self.inhabited_img = self.image(inhabited)
        self.circle_in = self.image(inhabited & (walk <= circle))
        self.circle_out = self.inhabited_img & ~self.circle_in
        self._power: np.ndarray | None = None  # the "can settle" layer, made on first use

    def image(self, layer: np.ndarray) -> np.ndarray:
        """A full `[x, y]` layer, cropped to the drawn window, as image pixels."""
        return to_image(np.asarray(layer)[self.x0:self.x1, self.y0:self.y1], self.px)

    @property
    def metres_per_px(self) -> float:
        return self.cell_m / self.px

    def base(self, selected: int | None = None) -> np.ndarray:
        """The fixed part of the map (RGB), with community `selected` outlined."""
        if selected is None or selected < 0:
            return self.base_plain
        img = self.base_plain.copy()
        img[_edges(np.where(self.area_img == selected, 1, -1), 3) &
            _grow(self.area_img == selected, 1)] = SELECTED_LINE
        return img

    def area_at(self, fx: float, fy: float) -> int | None:
        """The community (area index) at fractions (`fx`, `fy`) of the image's width and
        height from its top-left corner; None outside every area."""
        if not (0 <= fx < 1 and 0 <= fy < 1):
            return None
        rows, cols = self.shape
        x = self.x0 + int(fx * cols) // self.px
        y = self.y1 - 1 - int(fy * rows) // self.px
        a = int(self.area[x, y])
        return a if a >= 0 else None

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

    def overlay(self, model, layer: str = "", cache=None) -> np.ndarray:
        """What changes while the run goes on, as RGBA (transparent elsewhere): `layer`
        (one of `LAYERS`), open needs by waiting time, police, joint-defence members and
        grid workers. `cache`: the run's `figures.FigureCache` (made here if not given)."""
        from .figures import FigureCache, reach_by_area, utilisation_by_area

        cache = cache or FigureCache(model)
        img = np.zeros(self.shape + (4,), np.uint8)
        t = model.time_min
        tint = int(255 * LAYER_ALPHA)
        if layer == "circle":
            img[self.circle_in & ~self.keep] = (*CIRCLE_IN, tint)
            img[self.circle_out & ~self.keep] = (*CIRCLE_OUT, tint)
        elif layer == "circle_authority":
            power = self._power_rgb(model, cache)
            sel = (power[..., 3] > 0) & ~self.keep
            img[sel] = power[sel]
        elif layer in PATROL_HOURS:
            # cells where people are now, patrolled within the window or not (the figure
            # weights them by the people in them)
            people = self.image(np.asarray(model.engine.people.weights(t)).reshape(
                self.w, self.h) > 0)
            last = np.asarray(model.engine.last_patrol).reshape(self.w, self.h)
            seen = self.image(last >= t - 60.0 * PATROL_HOURS[layer])
            people &= ~self.keep
            img[people & seen] = (*PATROLLED, tint)
            img[people & ~seen] = (*UNPATROLLED, tint)
        elif layer in ("load", "reach"):
            util = utilisation_by_area(model) if layer == "load" else \
                reach_by_area(model, cache)
            colours = load_colour(util, LOAD_RAMP if layer == "load" else REACH_RAMP)
            colours[~np.isfinite(util)] = NO_DATA
            # boundaries, the selected community's outline and the markers stay visible
            sel = self.inhabited_img & (self.area_img >= 0) & ~self.keep
            idx = self.area_img[sel]
            img[sel] = np.concatenate([colours[idx], np.full((len(idx), 1), 180, np.uint8)],
                                      axis=1)
        # open needs, by waiting time
        c = cache.cases
        n = c.update()
        if n:
            onset = c.onset[:n]
            open_ = np.isnan(c["resolved"]) & np.isnan(c["gave_up"])
            idx = np.flatnonzero(open_)
            if len(idx):
                cells = c.cell[idx]
                wait = t - onset[idx]
                colours = WAIT_COLOURS[np.searchsorted(WAIT_EDGES, wait, side="right")]
                order = np.argsort(wait)  # longest waits drawn last, on top
                colours = np.concatenate([colours[order],
                                          np.full((len(order), 1), 255, np.uint8)], axis=1)
                self._squares_rgba(img, cells[order], 1, colours)
        # walkers: grid workers, then officers on duty (auxiliaries in their own colour)
        w, pol = model.walkers, model.police
        xs = np.clip(np.rint(np.asarray(w.x)).astype(np.int64), 0, self.w - 1)
        ys = np.clip(np.rint(np.asarray(w.y)).astype(np.int64), 0, self.h - 1)
        cells = xs * self.h + ys
        n_pol = pol.n
        self._squares_rgba(img, cells[n_pol:], 1, (*GRID_WORKER, 255))
        on = (np.asarray(pol.officer_shift) == pol.on_duty_shift(t)) | \
            (np.asarray(pol.busy_until) > t)
        aux = np.asarray(pol.auxiliary, bool)
        self._squares_rgba(img, cells[:n_pol][on & aux], 1, (*AUXILIARY, 255))
        self._squares_rgba(img, cells[:n_pol][on & ~aux], 1, (*POLICE, 255))
        return img

    def _power_rgb(self, model, cache) -> np.ndarray:
        """The "can settle within 15 minutes" layer (RGBA): per inhabited cell, all, some
        or none of its residents within the circle of a unit with the power for their
        commonest matter. It does not change during a run, so it is made once."""
        if self._power is None:
            from .figures import share_by_cell

            share = self.image(share_by_cell(model, cache.near_power).reshape(self.w, self.h))
            out = np.zeros(self.shape + (4,), np.uint8)
            tint = int(255 * LAYER_ALPHA)
            known = self.inhabited_img & np.isfinite(share)
            out[known & (share >= 0.999)] = (*POWER_ALL, tint)
            out[known & (share > 0.001) & (share < 0.999)] = (*POWER_SOME, tint)
            out[known & (share <= 0.001)] = (*POWER_NONE, tint)
            self._power = out
        return self._power

    def _squares_rgba(self, img, cells, half, colour) -> None:
        if len(cells) == 0:
            return
        r, c = self._cell_centres(np.asarray(cells, np.int64))
        self._squares(img, r, c, half, colour) if np.ndim(colour) == 1 else \
            self._squares_each(img, r, c, half, np.asarray(colour))

    def _squares_each(self, img, rows, cols, half, colours) -> None:
        for dr in range(-half, half + 1):
            for dc in range(-half, half + 1):
                rr, cc = rows + dr, cols + dc
                ok = (rr >= 0) & (rr < img.shape[0]) & (cc >= 0) & (cc < img.shape[1])
                img[rr[ok], cc[ok]] = colours[ok]

    def render(self, model, layer: str = "", selected: int | None = None,
               cache=None) -> np.ndarray:
        """The whole map at the model's current time as one RGB image (for export)."""
        return compose(self.base(selected), self.overlay(model, layer, cache))


def compose(base: np.ndarray, overlay: np.ndarray) -> np.ndarray:
    """`overlay` (RGBA) over `base` (RGB)."""
    a = overlay[..., 3:4].astype(np.float32) / 255.0
    out = base.astype(np.float32) * (1 - a) + overlay[..., :3].astype(np.float32) * a
    return out.astype(np.uint8)


def _grow(mask: np.ndarray, n: int) -> np.ndarray:
    out = mask.copy()
    for _ in range(n):
        g = out.copy()
        g[1:, :] |= out[:-1, :]
        g[:-1, :] |= out[1:, :]
        g[:, 1:] |= out[:, :-1]
        g[:, :-1] |= out[:, 1:]
        out = g
    return out


def scale_bar(metres_per_px: float, shown_px: float = 480.0,
              max_px: float = 120.0) -> tuple[float, str]:
    """A round length for a scale bar at most `max_px` screen pixels long, when the image
    is shown `shown_px` wide: (its length in image pixels, its label)."""
    best = 100.0
    for m in (100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000):
        if m / metres_per_px <= max_px:
            best = m
    return best / metres_per_px, (f"{best / 1000:g} km" if best >= 1000 else f"{best:g} m")


def legend_items() -> list[tuple[str, tuple[int, int, int], str]]:
    """(label key, colour, shape) for the page's legend: everything the base shows."""
    return [
        ("legend.population", tuple(int(v) for v in POP_DARK), "cell"),
        ("legend.industrial", LAND[INDUSTRIAL], "cell"),
        ("legend.commercial", LAND[COMMERCIAL], "cell"),
        ("legend.scenic", LAND[SCENIC], "cell"),
        ("legend.village", LAND[VILLAGE], "cell"),
        ("legend.empty", LAND[EMPTY], "cell"),
        ("legend.community", COMMUNITY_LINE, "line"),
        ("legend.street_office", STREET_OFFICE_LINE, "line"),
        ("legend.selected", SELECTED_LINE, "line"),
        ("legend.service_point", SERVICE_POINT, "square"),
        ("legend.station", STATION, "square"),
        ("legend.post", POST, "square"),
        ("legend.jisco_base", JISCO_BASE, "square"),
        ("legend.police", POLICE, "dot"),
        ("legend.auxiliary", AUXILIARY, "dot"),
        ("legend.grid_worker", GRID_WORKER, "dot"),
    ]


def wait_legend() -> list[tuple[str, tuple[int, int, int]]]:
    return [(f"legend.wait{i}", tuple(int(v) for v in WAIT_COLOURS[i])) for i in range(4)]


def layer_legend() -> dict[str, list[tuple[str, tuple[int, int, int]]]]:
    return {"circle": [("legend.circle_in", CIRCLE_IN), ("legend.circle_out", CIRCLE_OUT)],
            "circle_authority": [("legend.power_all", POWER_ALL),
                                 ("legend.power_some", POWER_SOME),
                                 ("legend.power_none", POWER_NONE)],
            "patrol1": [("legend.patrolled1", PATROLLED), ("legend.unpatrolled", UNPATROLLED)],
            "patrol4": [("legend.patrolled4", PATROLLED), ("legend.unpatrolled", UNPATROLLED)],
            "patrol24": [("legend.patrolled24", PATROLLED),
                         ("legend.unpatrolled", UNPATROLLED)],
            "reach": [("legend.reach0", REACH_RAMP[0]), ("legend.reach50", REACH_RAMP[1]),
                      ("legend.reach100", REACH_RAMP[2]), ("legend.nodata", NO_DATA)],
            "load": [("legend.load0", LOAD_RAMP[0]), ("legend.load50", LOAD_RAMP[1]),
                     ("legend.load100", LOAD_RAMP[2]), ("legend.nodata_load", NO_DATA)]}
