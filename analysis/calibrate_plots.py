"""Pictures of a calibration: the optimisation history, the parameter importances, each
target's fit, and the loss against each parameter (what the targets pin down).

Drawn with matplotlib (Agg) and saved by `analysis.plots.save` (PNG and SVG, atomically).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import plots
from analysis.calibrate_report import NEAR_BEST_MARGIN

plt = plots.plt


def history(trials: pd.DataFrame, out: Path) -> Path:
    """Loss of every trial (log scale) and the best so far."""
    done = trials[trials["state"] == "COMPLETE"].sort_values("trial")
    fig, ax = plt.subplots(figsize=(7, 3.8))
    ax.plot(done["trial"], done["loss"], "o", ms=3, color=plots.COLOURS[0], label="trial")
    ax.step(done["trial"], done["loss"].cummin(), where="post", color=plots.COLOURS[3],
            label="best so far")
    failed = trials[trials["state"] == "FAIL"]
    if len(failed):
        ax.plot(failed["trial"], [done["loss"].max()] * len(failed), "x", color="grey",
                label="failed")
    _loss_scale(ax, done["loss"])
    ax.set_xlabel("trial")
    ax.set_ylabel("loss (weighted mean of z²)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return plots.save(fig, out)


def importances(values: dict[str, float], out: Path) -> Path:
    """fANOVA importance of each parameter for the loss (bars)."""
    keys = sorted(values, key=values.get)
    fig, ax = plt.subplots(figsize=(7, 0.6 + 0.4 * len(keys)))
    ax.barh(keys, [values[k] for k in keys], color=plots.COLOURS[0])
    ax.set_xlabel("importance for the loss (fANOVA, share)")
    ax.grid(axis="x", alpha=0.3)
    return plots.save(fig, out)


def target_fit(fit: pd.DataFrame, out: Path) -> Path:
    """One panel per target: observed value ± tolerance, the model's mean with its 95 %
    interval after calibration, and the uncalibrated model."""
    n = len(fit)
    fig, axes = plt.subplots(1, n, figsize=(3.2 * n, 3.2), squeeze=False)
    for ax, (_, r) in zip(axes[0], fit.iterrows()):
        ax.axhspan(r["value"] - r["tolerance"], r["value"] + r["tolerance"], color="#dddddd",
                   label="observed ± tolerance")
        ax.axhline(r["value"], color="black", lw=1)
        if np.isfinite(r["model_low"]):
            ax.plot([1, 1], [r["model_low"], r["model_high"]], color=plots.COLOURS[0], lw=2)
        ax.plot(1, r["model_mean"], "o", color=plots.COLOURS[0], label="calibrated")
        if np.isfinite(r["uncalibrated"]):
            ax.plot(0, r["uncalibrated"], "s", color=plots.COLOURS[1], label="uncalibrated")
        ax.set_xlim(-0.7, 1.7)
        ax.set_xticks([0, 1], ["before", "after"])
        ax.set_title(f"{r['target']}\n({r['scenario']})", fontsize=8)
        ax.set_ylabel(r["unit"] or "value")
        ax.grid(axis="y", alpha=0.3)
    axes[0][0].legend(fontsize=7)
    fig.tight_layout()
    return plots.save(fig, out)


def _loss_scale(ax: Any, losses: pd.Series) -> None:
    """A log scale when the losses span more than a factor 20, with plain tick labels."""
    from matplotlib.ticker import NullFormatter

    finite = losses[np.isfinite(losses) & (losses > 0)]
    if len(finite) and finite.max() / finite.min() > 20:
        ax.set_yscale("log")
        ax.yaxis.set_minor_formatter(NullFormatter())


def slices(trials: pd.DataFrame, ranges: dict[str, Any], out: Path) -> Path:
    """Loss against each parameter over its whole range, near-best trials highlighted."""
    done = trials[(trials["state"] == "COMPLETE") & trials["loss"].notna()]
    threshold = done["loss"].min() + NEAR_BEST_MARGIN
    keys = list(ranges)
    cols = min(3, len(keys))
    rows = math.ceil(len(keys) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.8 * cols, 3.0 * rows), squeeze=False)
    near = done["loss"] <= threshold
    for ax, key in zip(axes.flat, keys):
        ax.plot(done.loc[~near, key], done.loc[~near, "loss"], "o", ms=3, color="#aaaaaa")
        ax.plot(done.loc[near, key], done.loc[near, "loss"], "o", ms=4,
                color=plots.COLOURS[3])
        ax.axhline(threshold, color=plots.COLOURS[3], lw=0.8, ls="--")
        _loss_scale(ax, done["loss"])
        r = ranges[key]
        if r.log:
            ax.set_xscale("log")
        pad = 0.03 * (r.high - r.low)
        ax.set_xlim(r.low - pad, r.high + pad)
        ax.set_xlabel(key, fontsize=8)
        ax.set_ylabel("loss", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(keys):]:
        ax.set_visible(False)
    fig.suptitle(f"Loss of every trial against each parameter; red: near-best (loss <= best "
                 f"+ {NEAR_BEST_MARGIN:g}, dashed line)", fontsize=9)
    fig.tight_layout()
    return plots.save(fig, out)


def draw_all(trials: pd.DataFrame, fit: pd.DataFrame, importance: dict[str, float] | None,
             ranges: dict[str, Any], figdir: Path) -> list[Path]:
    """Every calibration picture into `figdir`; return the PNG paths."""
    paths = [history(trials, figdir / "optimisation_history"),
             target_fit(fit, figdir / "target_fit"),
             slices(trials, ranges, figdir / "loss_by_parameter")]
    if importance:
        paths.append(importances(importance, figdir / "parameter_importances"))
    return paths


def param_importances(study: Any, seed: int) -> dict[str, float] | None:
    """fANOVA importances of the parameters for the loss (seeded), or None if the study
    has too few finished trials or a single parameter."""
    import optuna
    from optuna.importance import FanovaImportanceEvaluator

    done = [t for t in study.get_trials(deepcopy=False)
            if t.state == optuna.trial.TrialState.COMPLETE]
    if len(done) < 4 or len(done[0].params) < 2:
        return None
    return optuna.importance.get_param_importances(
        study, evaluator=FanovaImportanceEvaluator(seed=seed % 2**32))
