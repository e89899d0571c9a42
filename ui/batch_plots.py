"""Batch results as PNG charts (matplotlib, Agg), imported only when the batch view or a
handout needs them (matplotlib takes a second to import).

Figures are made with `matplotlib.figure.Figure` (not pyplot), so several sessions can
draw at once. Chinese labels use a CJK font when one is installed (Debian:
`fonts-wqy-zenhei`); otherwise matplotlib draws empty boxes for them.
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


def png_of(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi)
    return buf.getvalue()


def batch_png(df: pd.DataFrame, metric: str, groups: list[str],
              shown: tuple[str, float] | None = None) -> bytes:
    """Each run's value of `metric` by scenario (and swept values): box and points;
    `shown` = (title, display factor)."""
    with matplotlib.rc_context({"font.family": FAMILY}):
        return _batch(df, metric, groups, shown or (metric, 1.0))


def _batch(df: pd.DataFrame, metric: str, groups: list[str],
           shown: tuple[str, float]) -> bytes:
    fig = Figure(figsize=(7.5, 3.6), dpi=80)
    fig.subplots_adjust(left=0.1, right=0.98, top=0.9, bottom=0.2)
    ax = fig.subplots()
    if groups:
        keys = df[groups].astype(str).agg(" | ".join, axis=1)
    else:
        keys = pd.Series(["all runs"] * len(df), index=df.index)
    labels = list(dict.fromkeys(keys))
    data = [pd.to_numeric(df.loc[keys == k, metric], errors="coerce").dropna().to_numpy()
            * shown[1] for k in labels]
    if any(len(d) for d in data):
        ax.boxplot([d if len(d) else [np.nan] for d in data], widths=0.5, showfliers=False)
        rng = np.random.default_rng(0)
        for i, d in enumerate(data, start=1):
            ax.scatter(i + rng.uniform(-0.12, 0.12, len(d)), d, s=12, alpha=0.7,
                       color="#1f4e9c", zorder=3)
        ax.set_xticks(range(1, len(labels) + 1), labels, fontsize=8, rotation=15)
    ax.set_title(shown[0], fontsize=10)
    ax.grid(alpha=0.3, axis="y")
    return png_of(fig)


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
        return png_of(fig)
