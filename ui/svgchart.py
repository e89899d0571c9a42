"""Small line charts as SVG text, cheap enough to redraw on every frame.

Matplotlib takes hundreds of milliseconds for a few panels; these take about a
millisecond, and the browser draws the text (so Chinese labels need no font on the
server). Used for the live charts of figures over time.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import numpy as np

WIDTH, HEIGHT = 360, 190
LEFT, RIGHT, TOP, BOTTOM = 42, 8, 36, 22
MAX_POINTS = 600


def nice_ticks(lo: float, hi: float, n: int = 4) -> list[float]:
    """About `n` round tick values covering [lo, hi]."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return [0.0, 1.0]
    if hi - lo < 1e-12:
        pad = abs(hi) * 0.05 or 1.0
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks = []
    t = start
    while t <= hi + step * 0.5 and len(ticks) < 20:
        ticks.append(round(t, 10))
        t += step
    return ticks


def _fmt(v: float, step: float) -> str:
    """`v` with as many decimals as the tick step needs."""
    d = 0
    while d < 8 and abs(step * 10**d - round(step * 10**d)) > 1e-6 * max(1.0, step * 10**d):
        d += 1
    return f"{v:,.{d}f}"


def _thin(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if len(x) <= MAX_POINTS:
        return x, y
    idx = np.unique(np.linspace(0, len(x) - 1, MAX_POINTS).astype(int))
    return x[idx], y[idx]


def panel(title: str, series: Sequence[dict], x_max: float, x_label: str = "",
          y_min: float | None = None, y_max: float | None = None, headroom: float = 0.0,
          width: int = WIDTH, height: int = HEIGHT) -> str:
    """One chart. Each series: {"label", "x", "y", "colour", "dash" (optional),
    "width" (optional)}; NaN values break the line. `y_min`/`y_max` fix the range (a
    value beyond `y_max` widens it); `headroom` adds that share of the range above the
    top, so a line at the maximum is not drawn on the frame."""
    WIDTH, HEIGHT = width, height  # noqa: N806 - the drawing below reads these names
    ys = [np.asarray(s["y"], float) for s in series]
    finite = np.concatenate([y[np.isfinite(y)] for y in ys]) if ys else np.empty(0)
    lo = y_min if y_min is not None else (float(finite.min()) if len(finite) else 0.0)
    top = float(finite.max()) if len(finite) else (y_max if y_max is not None else 1.0)
    hi = max(y_max, top) if y_max is not None else top
    if y_min is None and lo > 0 and hi > 0 and lo < 0.3 * hi:
        lo = 0.0
    if hi - lo < 1e-12:
        hi = lo + 1.0
    ticks = nice_ticks(lo, hi)
    ticks = [t for t in ticks if t <= hi + 1e-9] if y_max is not None else ticks
    lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])
    hi += (hi - lo) * headroom
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    x_max = max(float(x_max), 1e-9)
    pw, ph = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def sx(x):
        return LEFT + np.asarray(x, float) / x_max * pw

    def sy(y):
        return TOP + ph - (np.asarray(y, float) - lo) / (hi - lo) * ph

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'width="{WIDTH}" height="{HEIGHT}" class="svg-chart" '
           'style="font-family: sans-serif; font-size: 10px">',
           f"<title>{html.escape(title)}</title>",
           f'<text x="{LEFT}" y="13" font-size="12" font-weight="600">'
           f"{html.escape(title)}</text>"]
    for t in ticks:
        y = float(sy(t))
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                   'stroke="#e4e4e4"/>')
        out.append(f'<text x="{LEFT - 4}" y="{y + 3:.1f}" text-anchor="end" fill="#444">'
                   f"{_fmt(t, step)}</text>")
    xt = nice_ticks(0, x_max, 6)
    for t in xt:
        if t > x_max + 1e-9:
            continue
        x = float(sx(t))
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{TOP + ph}" '
                   'stroke="#f0f0f0"/>')
        out.append(f'<text x="{x:.1f}" y="{TOP + ph + 13}" text-anchor="middle" '
                   f'fill="#444">{t:g}</text>')
    if x_label:
        out.append(f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 2}" text-anchor="end" '
                   f'fill="#444">{html.escape(x_label)}</text>')
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="none" '
               'stroke="#999"/>')
    lx = LEFT
    for s, y in zip(series, ys):
        x = np.asarray(s["x"], float)
        x, y = _thin(x, y)
        dash = f' stroke-dasharray="{s["dash"]}"' if s.get("dash") else ""
        width = s.get("width", 1.6)
        ok = np.isfinite(y)
        # split at NaN into separate polylines
        breaks = np.flatnonzero(np.diff(ok.astype(int)) != 0) + 1
        for seg in np.split(np.arange(len(y)), breaks):
            if len(seg) == 0 or not ok[seg[0]]:
                continue
            pts = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(sx(x[seg]), sy(y[seg])))
            if len(seg) == 1:
                out.append(f'<circle cx="{float(sx(x[seg][0])):.1f}" '
                           f'cy="{float(sy(y[seg][0])):.1f}" r="1.5" fill="{s["colour"]}"/>')
            else:
                out.append(f'<polyline points="{pts}" fill="none" stroke="{s["colour"]}" '
                           f'stroke-width="{width}"{dash}/>')
        # legend line under the title
        label = html.escape(s.get("label", ""))
        if label:
            out.append(f'<line x1="{lx}" x2="{lx + 14}" y1="27" y2="27" '
                       f'stroke="{s["colour"]}" stroke-width="{width}"{dash}/>')
            out.append(f'<text x="{lx + 17}" y="30" fill="#333">{label}</text>')
            lx += 24 + 6 * len(s.get("label", "")) + (6 * sum(
                1 for ch in s.get("label", "") if ord(ch) > 0x2e80))
    out.append("</svg>")
    return "".join(out)
