"""Charts: figures over time as small SVG charts (redrawn every frame), batch results as
PNG (matplotlib, Agg).

Matplotlib figures are made with `matplotlib.figure.Figure` (not pyplot), so several
sessions can draw at once. Their Chinese labels use a CJK font when one is installed
(Debian: `fonts-wqy-zenhei`); otherwise matplotlib draws empty boxes for them.
"""

from __future__ import annotations

import io
import logging
import warnings

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.figure import Figure

from .i18n import tr

matplotlib.use("Agg")
_CJK = ("WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans CJK JP", "Droid Sans Fallback")
_installed = {f.name for f in font_manager.fontManager.ttflist}
# a list of families: matplotlib falls back glyph by glyph to the next one (CJK)
FAMILY = ["DejaVu Sans", *[f for f in _CJK if f in _installed]]
matplotlib.rcParams["font.family"] = FAMILY
matplotlib.rcParams["axes.unicode_minus"] = False
warnings.filterwarnings("ignore", message="Glyph .* missing from font")
warnings.filterwarnings("ignore", message="findfont: Font family")
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

SIDE_STYLES = ({"color": "#1f4e9c", "linestyle": "-"}, {"color": "#c0392b", "linestyle": "--"})


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi)
    return buf.getvalue()


def _series(df: pd.DataFrame, col: str, factor: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    if col not in df.columns or not len(df):
        return np.empty(0), np.empty(0)
    x = df["time_min"].to_numpy(float) / 1440.0
    y = pd.to_numeric(df[col], errors="coerce").to_numpy(float) * factor
    return x, y


def timeline_html(histories: list[tuple[str, pd.DataFrame]], lang: str = "en",
                  days: int | None = None) -> str:
    """Four small SVG charts of figures over time (response, backlog, coverage and reach,
    trust); one colour per run in `histories` (label, history frame)."""
    from .svgchart import panel

    colours = [s["color"] for s in SIDE_STYLES]
    resp, back, cov, trust = [], [], [], []
    x_max = float(days or 1)
    for i, (label, df) in enumerate(histories):
        c = colours[i % len(colours)]
        pre = f"{label} " if len(histories) > 1 else ""
        x, y = _series(df, "response_median_h")
        if len(x):
            x_max = max(x_max, float(x.max()))
        resp.append({"label": pre + tr("chart.median", lang), "x": x, "y": y, "colour": c})
        x, y = _series(df, "response_p90_h")
        resp.append({"label": pre + tr("chart.p90", lang), "x": x, "y": y, "colour": c,
                     "dash": "2,2", "width": 1.0})
        x, y = _series(df, "backlog")
        back.append({"label": label if len(histories) > 1 else "", "x": x, "y": y,
                     "colour": c})
        x, y = _series(df, "reach", 100)
        cov.append({"label": pre + tr("chart.reach", lang), "x": x, "y": y, "colour": c})
        x, y = _series(df, "patrol_coverage_24h", 100)
        cov.append({"label": pre + tr("chart.patrol", lang), "x": x, "y": y, "colour": c,
                    "dash": "5,3", "width": 1.0})
        x, y = _series(df, "mean_trust")
        trust.append({"label": label if len(histories) > 1 else "", "x": x, "y": y,
                      "colour": c})
    day = tr("chart.day", lang)
    panels = [panel(tr("chart.response", lang), resp, x_max, day),
              panel(tr("chart.backlog", lang), back, x_max, day),
              panel(tr("chart.coverage", lang), cov, x_max, day, y_min=0, y_max=100),
              panel(tr("chart.trust", lang), trust, x_max, day)]
    return ('<div style="display:flex; flex-wrap:wrap; gap:6px">'
            + "".join(f"<div>{p}</div>" for p in panels) + "</div>")


def batch_png(df: pd.DataFrame, metric: str, groups: list[str]) -> bytes:
    """Each run's value of `metric` by scenario (and swept values): box and points."""
    with matplotlib.rc_context({"font.family": FAMILY}):
        return _batch(df, metric, groups)


def _batch(df: pd.DataFrame, metric: str, groups: list[str]) -> bytes:
    fig = Figure(figsize=(7.5, 3.6), dpi=80)
    fig.subplots_adjust(left=0.1, right=0.98, top=0.9, bottom=0.2)
    ax = fig.subplots()
    if groups:
        keys = df[groups].astype(str).agg(" | ".join, axis=1)
    else:
        keys = pd.Series(["all runs"] * len(df), index=df.index)
    labels = list(dict.fromkeys(keys))
    data = [pd.to_numeric(df.loc[keys == k, metric], errors="coerce").dropna().to_numpy()
            for k in labels]
    if any(len(d) for d in data):
        ax.boxplot([d if len(d) else [np.nan] for d in data], widths=0.5, showfliers=False)
        rng = np.random.default_rng(0)
        for i, d in enumerate(data, start=1):
            ax.scatter(i + rng.uniform(-0.12, 0.12, len(d)), d, s=12, alpha=0.7,
                       color="#1f4e9c", zorder=3)
        ax.set_xticks(range(1, len(labels) + 1), labels, fontsize=8, rotation=15)
    ax.set_title(metric, fontsize=10)
    ax.grid(alpha=0.3, axis="y")
    return _png(fig)


def comparison_png(table: pd.DataFrame, lang: str = "en", label=None) -> bytes:
    """Each scenario's difference from the baseline with its 95 % interval, one panel per
    figure (green: better, red: worse, grey: can't tell or same)."""
    figures = list(dict.fromkeys(table["figure"]))
    scenarios = list(dict.fromkeys(table["scenario"].astype(str)))
    cols = min(3, max(1, len(figures)))
    rows = int(np.ceil(len(figures) / cols)) if figures else 1
    fig = Figure(figsize=(9.5, 0.7 + rows * (1.0 + 0.3 * len(scenarios))), dpi=80)
    fig.subplots_adjust(left=0.14, right=0.98, top=0.93, bottom=0.08, hspace=0.9,
                        wspace=0.35)
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()
    with matplotlib.rc_context({"font.family": FAMILY}):
        for ax, fcol in zip(axes, figures):
            t = table[table["figure"] == fcol].reset_index(drop=True)
            y = np.arange(len(t))
            for yi, (_, r) in zip(y, t.iterrows()):
                c = {"better": "#2e7d32", "worse": "#c62828"}.get(r["verdict"], "#777777")
                lo, hi = r.get("diff_low"), r.get("diff_high")
                if lo is not None and np.isfinite(lo) and np.isfinite(hi):
                    ax.plot([lo, hi], [yi, yi], color=c, lw=2)
                ax.plot(r["diff"], yi, "o", color=c, zorder=3)
            ax.axvline(0, color="black", lw=0.8)
            ax.set_yticks(y, t["scenario"].astype(str), fontsize=7)
            unit = t["unit"].iloc[0] if "unit" in t.columns and len(t) else ""
            name = label(fcol) if label else fcol
            ax.set_title(f"{name} ({unit})", fontsize=8)
            ax.tick_params(axis="x", labelsize=7)
            ax.grid(axis="x", alpha=0.3)
        for ax in axes[len(figures):]:
            ax.set_visible(False)
        return _png(fig)
