"""Pictures of a batch: response-time distributions, coverage maps, time series, forest plot.

Every function takes data (or a batch folder), draws with matplotlib's Agg backend and
saves PNG and SVG side by side; it returns the PNG path.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402

from analysis.labels import figure  # noqa: E402
from analysis.outputs import make_folder, write_atomic  # noqa: E402
from simulation.parameters import KINDS  # noqa: E402

LABELS = {
    "en": {"response": "Response time (h, log scale)", "kind": "Kind of need",
           "circle": "Within the 15-minute service circle", "patrol": "Patrolled in 24 h",
           "backlog": "Open cases (backlog)", "trust": "Mean trust", "day": "Day",
           "effect": "Difference from the baseline (95 % CI)", "within": "inside",
           "outside": "outside", "uninhabited": "uninhabited"},
    "zh": {"response": "响应时间(小时,对数坐标)", "kind": "诉求类型",
           "circle": "15分钟服务圈内", "patrol": "24小时内巡逻到", "backlog": "未办结案件",
           "trust": "平均信任度", "day": "天", "effect": "与基准情景之差(95%置信区间)",
           "within": "覆盖", "outside": "未覆盖", "uninhabited": "无人居住"},
}
COLOURS = ["#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3",
           "#8C8C8C", "#CCB974", "#64B5CD"]


def _font(lang: str) -> None:
    if lang == "zh":  # use a CJK font if the machine has one; labels still render as boxes
        from matplotlib import font_manager
        for name in ("Noto Sans CJK SC", "WenQuanYi Zen Hei", "Source Han Sans SC"):
            if any(name in f.name for f in font_manager.fontManager.ttflist):
                plt.rcParams["font.family"] = name
                plt.rcParams["axes.unicode_minus"] = False  # CJK fonts lack U+2212
                return


def save(fig: plt.Figure, path: Path) -> Path:
    """Save `fig` as PNG and SVG beside each other, each atomically; return the PNG."""
    make_folder(path.parent)
    try:
        write_atomic(path.with_suffix(".png"),
                     lambda p: fig.savefig(p, dpi=110, bbox_inches="tight", format="png"))
        write_atomic(path.with_suffix(".svg"),
                     lambda p: fig.savefig(p, bbox_inches="tight", format="svg"))
    finally:
        plt.close(fig)
    return path.with_suffix(".png")


def response_distributions(cases: pd.DataFrame, out: Path, lang: str = "en") -> Path:
    """Box plots of response time per kind of need, one box per scenario."""
    _font(lang)
    lab = LABELS[lang]
    scenarios = sorted(cases["scenario"].unique())
    fig, ax = plt.subplots(figsize=(10, 4.5))
    width = 0.8 / max(1, len(scenarios))
    for i, s in enumerate(scenarios):
        data = []
        for k in KINDS:
            v = cases.loc[(cases["scenario"] == s) & (cases["kind"] == k),
                          "response_min"].dropna().to_numpy() / 60
            data.append(np.maximum(v, 1 / 60) if len(v) else np.array([np.nan]))
        pos = np.arange(len(KINDS)) + (i - (len(scenarios) - 1) / 2) * width
        bp = ax.boxplot(data, positions=pos, widths=width * 0.9, patch_artist=True,
                        showfliers=False, manage_ticks=False)
        for box in bp["boxes"]:
            box.set_facecolor(COLOURS[i % len(COLOURS)])
        ax.plot([], [], color=COLOURS[i % len(COLOURS)], lw=8, label=s)
    ax.set_yscale("log")
    ax.set_xticks(range(len(KINDS)), [k.replace("_", "\n") for k in KINDS], fontsize=8)
    ax.set_ylabel(lab["response"])
    ax.set_xlabel(lab["kind"])
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    return save(fig, out)


def coverage_maps(layers: dict[str, dict[str, np.ndarray]], out: Path,
                  lang: str = "en") -> Path:
    """Side-by-side maps per scenario: the 15-minute circle and the cells patrolled.

    Args:
        layers: scenario -> {"circle": bool [x, y], "patrol": bool [x, y],
            "inhabited": bool [x, y]}.
    """
    _font(lang)
    lab = LABELS[lang]
    names = list(layers)
    fig, axes = plt.subplots(2, len(names), figsize=(4.2 * len(names), 7), squeeze=False)
    cmap = ListedColormap(["#f2f0eb", "#d9534f", "#2e7d32"])
    for j, name in enumerate(names):
        lay = layers[name]
        for i, key in enumerate(("circle", "patrol")):
            img = np.where(lay["inhabited"], np.where(lay[key], 2, 1), 0).T
            ax = axes[i, j]
            ax.imshow(img, cmap=cmap, vmin=0, vmax=2, origin="lower", interpolation="nearest")
            share = lay[key][lay["inhabited"]].mean() * 100
            ax.set_title(f"{name}\n{lab[key]}: {share:.0f}% ", fontsize=9)
            ax.set_xticks([])
            ax.set_yticks([])
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in ("#2e7d32", "#d9534f", "#f2f0eb")]
    fig.legend(handles, [lab["within"], lab["outside"], lab["uninhabited"]], loc="lower center",
               ncol=3, fontsize=9)
    return save(fig, out)


def time_series(series: pd.DataFrame, out: Path, lang: str = "en") -> Path:
    """Backlog and mean trust over time, mean over replications, per scenario."""
    _font(lang)
    lab = LABELS[lang]
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    for i, (s, g) in enumerate(series.groupby("scenario")):
        m = g.groupby("hour")[["backlog", "mean_trust"]].mean()
        c = COLOURS[i % len(COLOURS)]
        axes[0].plot(m.index / 24, m["backlog"], color=c, label=s, lw=1)
        axes[1].plot(m.index / 24, m["mean_trust"], color=c, label=s, lw=1)
    axes[0].set_ylabel(lab["backlog"])
    axes[1].set_ylabel(lab["trust"])
    for ax in axes:
        ax.set_xlabel(lab["day"])
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    return save(fig, out)


def forest(table: pd.DataFrame, out: Path, lang: str = "en",
           figures: tuple[str, ...] = ("response_time_min.median", "reach",
                                       "visit_coverage", "patrol_coverage_24h")) -> Path:
    """Each scenario's difference from the baseline with its interval, one panel a figure."""
    _font(lang)
    lab = LABELS[lang]
    figures = tuple(f for f in figures if f in set(table["figure"]))
    fig, axes = plt.subplots(1, len(figures), figsize=(4 * len(figures), 0.5 + 0.38 *
                                                       table["scenario"].nunique()),
                             squeeze=False, sharey=True)
    for ax, f in zip(axes[0], figures):
        t = table[table["figure"] == f].reset_index(drop=True)
        y = np.arange(len(t))
        colours = ["#2e7d32" if v == "better" else "#c62828" if v == "worse" else "#777777"
                   for v in t["verdict"]]
        for yi, (_, r), c in zip(y, t.iterrows(), colours):
            if np.isfinite(r["diff_low"]):
                ax.plot([r["diff_low"], r["diff_high"]], [yi, yi], color=c, lw=2)
            ax.plot(r["diff"], yi, "o", color=c, zorder=3)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_yticks(y, t["scenario"], fontsize=8)
        ax.set_title(figure(f).title(lang), fontsize=9)
        ax.grid(axis="x", alpha=0.3)
    fig.supxlabel(lab["effect"], fontsize=9)
    return save(fig, out)
