"""Scenario discovery: the regions of the parameters where an outcome of interest is
concentrated, found by PRIM (EMA Workbench's implementation, Bryant & Lempert 2010), and
said in plain words.

`find_boxes` runs PRIM on a table of parameter values and a yes/no outcome. For each box,
the point of the peeling trajectory kept is the one with the largest **coverage** (share
of all the cases of interest that lie in the box) among those whose **density** (share of
the points in the box that are cases of interest) reaches the threshold (0.8 by default);
if none reaches it, the densest, flagged as below the threshold. Up to three boxes are
found, each among the points the earlier boxes left. Each restricted dimension carries
PRIM's quasi-p value (a one-sided binomial test of the restriction: small means the
restriction matters).
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.ranges import PARAMS

#: Density a box must reach to be reported without a flag.
DENSITY = 0.8
#: Boxes found at most, one after the other.
MAX_BOXES = 3
#: Cases of interest below which no box is sought (too few to describe a region).
MIN_CASES = 5


@dataclass
class Box:
    """One region: bounds of every dimension, which sides are restricted, statistics."""

    bounds: dict[str, tuple[float, float]]
    restricted: dict[str, tuple[bool, bool]]
    qp: dict[str, float]
    coverage: float
    density: float
    mass: float
    n: int
    k: int
    below_threshold: bool

    def to_dict(self) -> dict[str, Any]:
        return {"coverage": self.coverage, "density": self.density, "mass": self.mass,
                "n": self.n, "k": self.k, "below_threshold": self.below_threshold,
                "limits": {d: {"low": lo, "high": hi, "low_restricted": self.restricted[d][0],
                               "high_restricted": self.restricted[d][1], "qp": self.qp[d]}
                           for d, (lo, hi) in self.bounds.items() if any(self.restricted[d])}}


def _prim_module() -> Any:
    with warnings.catch_warnings():  # ema_workbench warns about optional packages on import
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim
    return prim


def find_boxes(x: pd.DataFrame, y: np.ndarray, density: float = DENSITY,
               max_boxes: int = MAX_BOXES, mass_min: float = 0.05) -> list[Box]:
    """PRIM boxes for the cases where `y` is true.

    Args:
        x: one column per parameter (numbers), one row per point.
        y: True where the outcome of interest happened.
        density: the density a kept box should reach.
        max_boxes: boxes sought at most.
        mass_min: smallest share of the points a box may hold.

    Returns:
        The boxes, in the order found (empty if there are fewer than `MIN_CASES` cases of
        interest, or PRIM finds no box denser than the points left).
    """
    y = np.asarray(y, bool)
    if y.sum() < MIN_CASES or y.all():
        return []
    prim = _prim_module()
    frame = x.reset_index(drop=True).copy()
    for c in frame.columns:
        frame[c] = frame[c].astype(np.int64 if pd.api.types.is_integer_dtype(frame[c])
                                   else np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        alg = prim.Prim(frame, y.astype(int), threshold=0.5, mass_min=mass_min)
        init = alg.box_init
        boxes: list[Box] = []
        left = np.ones(len(y), bool)  # points no earlier box holds
        for _ in range(max_boxes):
            if y[left].sum() < MIN_CASES:
                break
            found = alg.find_box()
            if found is None or len(found.peeling_trajectory) <= 1:
                break  # a "dump box": nothing denser than what is left
            traj = found.peeling_trajectory
            good = traj[(traj["density"] >= density) & (traj["res_dim"] > 0)]
            below = good.empty
            # most coverage, then (among equal coverage) the densest: the tightest box
            # that keeps the cases it holds
            order = (["coverage", "density"] if not below else ["density", "coverage"])
            i = int((traj if below else good).sort_values(order, ascending=False,
                                                          kind="stable").index[0])
            found.select(i)
            left[found.yi] = False
            boxes.append(_box(found, i, init, below))
    return boxes


def _box(found: Any, i: int, init: pd.DataFrame, below: bool) -> Box:
    lims = found.box_lims[i]
    row = found.peeling_trajectory.iloc[i]
    bounds, restricted, qp = {}, {}, {}
    for d in lims.columns:
        lo, hi = float(lims.loc[0, d]), float(lims.loc[1, d])
        restricted[d] = (lo > float(init.loc[0, d]), hi < float(init.loc[1, d]))
        bounds[d] = (lo, hi)
        values = [v for v in found.qp[i].get(d, [-1, -1]) if v is not None and v >= 0]
        qp[d] = float(max(values)) if values else math.nan
    return Box(bounds, restricted, qp, float(row["coverage"]), float(row["density"]),
               float(row["mass"]), int(row["n"]), int(row["k"]), below)


def _number(value: float, key: str) -> str:
    p = PARAMS.get(key)
    if p is not None and p.kind == "int":
        return f"{value:.0f}"
    return f"{value:.3g}"


def condition(key: str, lo: float, hi: float, restricted: tuple[bool, bool]) -> str:
    """One restriction in words: `<what> (key) is below 0.62 x`."""
    p = PARAMS.get(key)
    doc = re.sub(r"\s*\([^()]*\)$", "", p.doc) if p is not None else ""  # no aside
    what = f"{doc} ({key})" if doc else key
    unit = f" {p.unit}" if p is not None and p.unit and len(p.unit) <= 24 else ""
    if restricted[0] and restricted[1]:
        return f"{what} is between {_number(lo, key)} and {_number(hi, key)}{unit}"
    if restricted[0]:
        return f"{what} is above {_number(lo, key)}{unit}"
    return f"{what} is below {_number(hi, key)}{unit}"


def box_words(box: Box, subject: str, total: int) -> str:
    """A box in plain words: `SUBJECT when A and B: k of n points ... coverage ...`."""
    dims = sorted((d for d in box.bounds if any(box.restricted[d])),
                  key=lambda d: (math.isnan(box.qp[d]), box.qp[d]))
    conditions = " and ".join(condition(d, *box.bounds[d], box.restricted[d]) for d in dims)
    weak = [d for d in dims if box.qp[d] > 0.05]
    text = (f"{subject} when {conditions}: in {box.k} of the {box.n} points of this region "
            f"(density {box.density:.0%}), which hold {box.k} of the {total} points where it "
            f"happens (coverage {box.coverage:.0%})")
    if box.below_threshold:
        text += f"; no region reaches a density of {DENSITY:.0%}, this is the densest found"
    if weak:
        text += (f"; the restriction on {', '.join(weak)} is weak (quasi-p above 0.05: "
                 "chance could make it)")
    return text + "."


def pairs_plot(x: pd.DataFrame, y: np.ndarray, boxes: list[Box], title: str, out: Path,
               max_dims: int = 4) -> Path:
    """Scatter of the points on the box's restricted dimensions (pairs), cases of interest
    in red, the first box drawn; histograms on the diagonal."""
    from analysis import plots  # matplotlib: imported when a plot is drawn

    plt = plots.plt
    y = np.asarray(y, bool)
    dims = [d for d in x.columns if boxes and any(boxes[0].restricted[d])][:max_dims]
    for d in x.columns:  # at least two dimensions: add the most telling others
        if len(dims) >= 2:
            break
        if d not in dims:
            dims.append(d)
    k = len(dims)
    fig, axes = plt.subplots(k, k, figsize=(2.6 * k, 2.6 * k), squeeze=False)
    for r, a in enumerate(dims):
        for c, b in enumerate(dims):
            ax = axes[r][c]
            if c > r:
                ax.set_visible(False)
                continue
            if r == c:
                bins = np.linspace(x[a].min(), x[a].max(), 12)
                ax.hist([x[a][~y], x[a][y]], bins=bins, stacked=True,
                        color=["#bbbbbb", "#c62828"])
            else:
                ax.scatter(x[b][~y], x[a][~y], s=8, color="#bbbbbb")
                ax.scatter(x[b][y], x[a][y], s=10, color="#c62828")
                if boxes:
                    (blo, bhi), (alo, ahi) = boxes[0].bounds[b], boxes[0].bounds[a]
                    ax.add_patch(plt.Rectangle((blo, alo), bhi - blo, ahi - alo, fill=False,
                                               color="black", lw=1.2))
            if r == k - 1:
                ax.set_xlabel(b, fontsize=7)
            if c == 0:
                ax.set_ylabel(a, fontsize=7)
            ax.tick_params(labelsize=6)
    fig.suptitle(title, fontsize=9)
    return plots.save(fig, out)
