"""What a calibration found: the trial history, the fit of each target, which parameters
the targets pin down, and the calibrated scenario file.

* `trials.parquet`: one row per trial (number, state, loss, the parameter values, each
  target's model figure in the target's unit), from the study and the points' rows;
* `fit.csv`: per target, the observed value and tolerance, the model's mean and 95 %
  interval at the best values on fresh seeds, z, and the uncalibrated model (trial 0);
* `identifiability.csv`: per fitted parameter, the spread among the **near-best** trials
  (loss at most the best + 1, i.e. the targets are met about as well as by the best) and
  a **profile**: the range cut into fifths, the lowest loss reached in each. A fifth whose
  lowest loss is above the near-best threshold is ruled out by the targets. A parameter
  is *pinned down* when three fifths or more are ruled out, *partly pinned* when one or
  two are, and *not pinned down* when every explored fifth fits as well as the best (with
  fewer than `MIN_TRIALS` finished trials, or a fifth or more unexplored: too few to
  tell). The lowest loss seen in a fifth bounds its profile from above: a fifth TPE
  rarely visited may look worse than it is, so "ruled out" is provisional;
* `calibrated.toml`: a scenario (`base` + the best values), its comments naming the
  targets; it is loaded back and checked before it is kept.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.calibrate import Calibration, PointStore
from analysis.outputs import write_atomic
from analysis.ranges import Range
from analysis.runs import code_version
from analysis.stats import t_interval
from simulation.scenario import SCENARIO_DIR, ScenarioError, load

#: Near-best trials: loss at most the best loss + this.
NEAR_BEST_MARGIN = 1.0
#: Bins of the profile of each parameter.
PROFILE_BINS = 5
#: Finished trials below which no verdict is given (a few trials per fifth at least).
MIN_TRIALS = 20
#: Rank correlation among near-best trials above which two parameters are said to trade
#: off (the targets constrain a combination, not each).
TRADE_OFF = 0.5


def trial_table(cal: Calibration, study: Any, store: PointStore) -> pd.DataFrame:
    """One row per trial: number, state, loss, parameter values, target figures."""
    rows = []
    for t in study.get_trials(deepcopy=False):
        row: dict[str, Any] = {"trial": t.number, "state": t.state.name,
                               "loss": t.value if t.value is not None else math.nan}
        row.update({k: t.params.get(k, math.nan) for k in cal.ranges})
        try:
            points = cal.points(dict(t.params), cal.fit_seeds) if t.params else []
        except ScenarioError as exc:
            points, row["error"] = [], str(exc)
        for target in cal.targets.targets:
            vals = [store.rows[p.run_id].figures[target.figure] for p in points
                    if p.scenario.name == target.scenario and p.run_id in store.rows]
            row[target.name] = target.shown(float(np.mean(vals))) if vals else math.nan
        if points and any(store.rows.get(p.run_id) is None or store.rows[p.run_id].status
                          != "ok" for p in points):
            failed = [store.rows[p.run_id].error for p in points if p.run_id in store.rows
                      and store.rows[p.run_id].status != "ok"]
            row["error"] = failed[0] if failed else "not run"
        rows.append(row)
    frame = pd.DataFrame(rows)
    if "error" not in frame:
        frame["error"] = ""
    frame["error"] = frame["error"].fillna("")
    return frame


def fit_table(cal: Calibration, replicates: dict[str, list[float]], trials: pd.DataFrame
              ) -> pd.DataFrame:
    """Per target: value, tolerance, weight, the model's mean and 95 % interval (on the
    confirmation seeds), z, within tolerance, the uncalibrated model (trial 0), source."""
    rows = []
    start = trials[trials["trial"] == 0]
    for t in cal.targets.targets:
        v = np.array([t.shown(x) for x in replicates[t.name]], float)
        mean = float(np.mean(v))
        lo, hi = t_interval(v) if len(v) > 1 else (math.nan, math.nan)
        z = t.z(mean * t.factor)
        rows.append({"target": t.name, "scenario": t.scenario, "figure": t.figure,
                     "unit": t.unit, "value": t.shown(t.value),
                     "tolerance": t.shown(t.tolerance), "weight": t.weight,
                     "model_mean": mean, "model_low": lo, "model_high": hi, "n": len(v),
                     "z": z, "within_tolerance": abs(z) <= 1,
                     "uncalibrated": float(start[t.name].iloc[0]) if len(start) else math.nan,
                     "source": t.source})
    return pd.DataFrame(rows)


def _edges(r: Range) -> np.ndarray:
    if r.log:
        return np.exp(np.linspace(math.log(r.low), math.log(r.high), PROFILE_BINS + 1))
    return np.linspace(r.low, r.high, PROFILE_BINS + 1)


def identifiability(cal: Calibration, trials: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Per parameter: near-best spread, profile, verdict; and the trade-offs found."""
    done = trials[(trials["state"] == "COMPLETE") & trials["loss"].notna()]
    best = float(done["loss"].min())
    threshold = best + NEAR_BEST_MARGIN
    near = done[done["loss"] <= threshold]
    rows = []
    for key, r in cal.ranges.items():
        x = done[key].to_numpy(float)
        edges = _edges(r)
        which = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, PROFILE_BINS - 1)
        profile = [float(done["loss"].to_numpy()[which == b].min()) if (which == b).any()
                   else math.nan for b in range(PROFILE_BINS)]
        explored = [p for p in profile if math.isfinite(p)]
        ruled_out = sum(p > threshold for p in explored)
        nx = near[key].to_numpy(float)
        q10, q90 = (np.quantile(nx, [0.1, 0.9]) if len(nx) else (math.nan, math.nan))
        verdict = ("too few trials to tell" if len(done) < MIN_TRIALS
                   or len(explored) < PROFILE_BINS - 1 else "pinned down" if ruled_out >= 3
                   else "partly pinned" if ruled_out >= 1 else "not pinned down")
        rows.append({"param": key, "low": r.low, "high": r.high,
                     "best": float(done.loc[done["loss"].idxmin(), key]),
                     "near_best_n": int(len(nx)), "near_min": float(nx.min()),
                     "near_max": float(nx.max()), "near_q10": float(q10),
                     "near_q90": float(q90),
                     "spread_share": float((q90 - q10) / (r.high - r.low)),
                     **{f"profile_{b + 1}": p for b, p in enumerate(profile)},
                     "fifths_ruled_out": ruled_out, "fifths_explored": len(explored),
                     "verdict": verdict})
    trade = []
    keys = list(cal.ranges)
    if len(near) >= 8:
        ranks = near[keys].rank()
        corr = ranks.corr()
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                rho = corr.loc[a, b]
                if np.isfinite(rho) and abs(rho) >= TRADE_OFF:
                    trade.append(f"{a} and {b} {'rise together' if rho > 0 else 'trade off'} "
                                 f"among the near-best trials (rank correlation {rho:+.2f}): "
                                 "the targets constrain a combination of them")
    return pd.DataFrame(rows), trade


def format_fit(fit: pd.DataFrame) -> str:
    """The fit table as plain text."""
    lines = [f"  {'target':<34}{'observed':>14}{'model [95% CI]':>30}{'z':>7}  "
             f"{'uncalibrated':>12}  weight"]
    for _, r in fit.iterrows():
        unit = f" {r['unit']}" if r["unit"] else ""
        ci = (f" [{r['model_low']:.3g}, {r['model_high']:.3g}]"
              if np.isfinite(r["model_low"]) else "")
        obs = f"{r['value']:.3g} ± {r['tolerance']:.2g}{unit}"
        lines.append(f"  {r['target'][:33]:<34}{obs:>14}{f'{r.model_mean:.3g}{ci}':>30}"
                     f"{r['z']:>+7.2f}  {r['uncalibrated']:>12.3g}  {r['weight']:g}")
    return "\n".join(lines)


def format_identifiability(ident: pd.DataFrame, trade: list[str], best: float) -> str:
    """The identifiability summary as plain text, one paragraph per parameter."""
    lines = [f"Near-best trials: loss <= {best + NEAR_BEST_MARGIN:.3g} (best "
             f"{best:.3g} + {NEAR_BEST_MARGIN:g}). Profile: lowest loss in each fifth of "
             "the range."]
    for _, r in ident.iterrows():
        profile = " ".join(f"{r[f'profile_{b + 1}']:.2g}" if np.isfinite(
            r[f"profile_{b + 1}"]) else "-" for b in range(PROFILE_BINS))
        lines.append(f"  {r['param']}: {r['verdict']} (best {r['best']:.4g}; near-best "
                     f"{r['near_min']:.4g}..{r['near_max']:.4g} of {r['low']:g}..{r['high']:g},"
                     f" n = {r['near_best_n']}; {r['fifths_ruled_out']} of "
                     f"{r['fifths_explored']} fifths ruled out; profile {profile})")
    lines += [f"  {t}" for t in trade]
    return "\n".join(lines)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def scenario_base(cal: Calibration, out_dir: Path) -> str:
    """How the calibrated file names its base: a shipped name, or a relative path."""
    first = cal.scenarios[0]
    path = Path(first.path)
    if path.parent.resolve() == Path(SCENARIO_DIR).resolve():
        return first.name
    return os.path.relpath(path.resolve(), Path(out_dir).resolve())


def calibrated_text(cal: Calibration, values: dict[str, Any], base: str, header: list[str]
                    ) -> str:
    """A scenario file: comments, `base`, title, description and the fitted keys."""
    first = cal.scenarios[0]
    tables: dict[str, list[tuple[str, Any]]] = {}
    for key in cal.ranges:
        parent, _, leaf = key.rpartition(".")
        tables.setdefault(parent, []).append((leaf, cal.ranges[key].typed(values[key])))
    title = f"{first.title or first.name}, calibrated"
    about = cal.targets.title or "a targets file"
    description = (f"{first.name} with its behavioural parameters ({', '.join(cal.ranges)}) "
                   f"fitted by run.py calibrate to the targets of {about}; the fit and what "
                   "it cannot pin down are in docs/ODD.md, section 10.")
    lines = [f"# {h}" if h else "#" for h in header]
    lines += ["", f"base = {_toml_value(base)}", f"title = {_toml_value(title)}",
              f"description = {_toml_value(description)}"]
    for parent, items in tables.items():
        lines += ["", f"[{parent}]"]
        lines += [f"{leaf} = {_toml_value(v)}" for leaf, v in items]
    return "\n".join(lines) + "\n"


def header_lines(cal: Calibration, study: Any, fit: pd.DataFrame, targets_ref: str,
                 command: str) -> list[str]:
    """The comments of the calibrated file: command, targets with sources, the fit."""
    best = study.best_trial
    code = code_version()
    lines = ["Calibrated by:", f"  {command}",
             f"Targets: {targets_ref} ({cal.targets.title or 'untitled'}; sha256 "
             f"{cal.targets.digest[:12]})"]
    for _, r in fit.iterrows():
        lines.append(f"  - {r['target']}: {r['value']:g} {r['unit']} ({r['scenario']}: "
                     f"{r['figure']}), weight {r['weight']:g}; model {r['model_mean']:.3g} "
                     f"(z {r['z']:+.2f})")
        lines.append(f"    source: {r['source'][:200]}")
    lines += [f"Best of {len(study.trials)} trials: trial {best.number}, loss "
              f"{best.value:.4g}; {cal.replications} replication(s) per trial, "
              f"{cal.days} days, scale {cal.scale:g}, seed {cal.seed}",
              f"Model code: source sha256 {code['source_sha256']}"
              + (f", git {code['git_commit'][:12]}" if code.get("git_commit") else "")]
    return lines


def write_calibrated(path: Path, text: str, values: dict[str, Any], cal: Calibration) -> None:
    """Write the calibrated scenario atomically, after loading the new file back (beside
    its final place, so a relative `base` resolves) and checking every fitted value."""
    def write_and_check(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")
        loaded = load(tmp)
        for key in cal.ranges:
            node: Any = loaded.params
            for part in key.split("."):
                node = node[part]
            if node != cal.ranges[key].typed(values[key]):
                raise RuntimeError(f"{path.name}: {key} reads back as {node!r}, not "
                                   f"{values[key]!r}")

    write_atomic(path, write_and_check)
