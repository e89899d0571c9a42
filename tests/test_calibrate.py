"""`run.py calibrate`: a toy target that one parameter controls is recovered; the study is
the same with any number of workers and after an interruption (no trial or point run
twice); the identifiability verdicts; the targets file's bad input.

The toy: the mean reporting delay (`response_parts_min.reporting_delay`) of a short run
rises with `reporting.decide_mean_h`. The target is the model's own figure at 6 h, so
the calibration should find about 6 h. Optuna, the model and the backends are real.
"""

from __future__ import annotations

import functools
import math
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from interrupt import interrupting

from analysis import calibrate
from analysis.calibrate_report import identifiability
from analysis.ranges import Range
from analysis.runs import run_point
from analysis.targets import Target, TargetSet, loss
from simulation.scenario import load

TRUTH = 6.0
RUN = {"seed": 3, "scale": 0.01, "days": 2}
OPTIONS = ["--days", str(RUN["days"]), "--scale", str(RUN["scale"]), "--seed",
           str(RUN["seed"]), "--trials", "8", "--startup", "4", "--parallel-trials", "2",
           "--confirm", "0"]


@functools.cache
def truth_minutes() -> float:
    scenario = load("hierarchy_2011").with_overrides({"reporting.decide_mean_h": TRUTH})
    result = run_point(scenario, RUN["seed"], RUN["scale"], RUN["days"])
    return result.summary["response_parts_min"]["reporting_delay"]


def toy_targets(folder: Path) -> Path:
    path = folder / "toy_targets.toml"
    path.write_text(f'''title = "toy"
[[target]]
name = "delay"
scenario = "hierarchy_2011"
figure = "response_parts_min.reporting_delay"
value = {truth_minutes() / 60!r}
unit = "h"
tolerance = 0.5
source = "the model itself at reporting.decide_mean_h = {TRUTH}"

[params."reporting.decide_mean_h"]
low = 1
high = 12
step = 0.5
''', encoding="utf-8")
    return path


def calibrate_args(targets: Path, out: Path, *extra: str) -> list[str]:
    return ["calibrate", "hierarchy_2011", "--targets", str(targets), "--out", str(out),
            *OPTIONS, *extra]


def trials_of(folder: Path) -> pd.DataFrame:
    frame = pd.read_parquet(folder / "trials.parquet")
    return frame[["trial", "state", "loss", "reporting.decide_mean_h", "delay"]]


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    """The toy study, run serially in this process, uninterrupted."""
    import run

    folder = tmp_path_factory.mktemp("toy")
    assert run.main(calibrate_args(toy_targets(folder), folder / "out", "--workers",
                                   "1")) == 0
    return folder


def test_a_toy_target_is_recovered_within_its_tolerance(serial):
    out = serial / "out"
    fit = pd.read_csv(out / "fit.csv")
    assert len(fit) == 1 and abs(fit["z"].iloc[0]) <= 1.0, fit
    trials = trials_of(out)
    assert trials["trial"].tolist() == list(range(8))
    assert trials.loc[0, "reporting.decide_mean_h"] == 12.0  # the scenario's own value first
    best = trials.loc[trials["loss"].idxmin()]
    assert abs(best["reporting.decide_mean_h"] - TRUTH) <= 1.5, best
    assert best["loss"] < trials.loc[0, "loss"] / 10
    # the calibrated scenario: base + the fitted key, loadable, with the best value
    calibrated = load(out / "calibrated.toml")
    assert calibrated.params["reporting"]["decide_mean_h"] == best["reporting.decide_mean_h"]
    text = (out / "calibrated.toml").read_text()
    assert tomllib.loads(text)["base"] == "hierarchy_2011" and "# Targets:" in text
    for name in ("trials.parquet", "identifiability.csv", "calibration.txt", "study.db",
                 "figures/optimisation_history.png", "figures/target_fit.png",
                 "figures/loss_by_parameter.png"):
        assert (out / name).is_file(), name


def test_interrupted_study_resumes_on_a_pool_without_repeating_and_matches(serial, tmp_path,
                                                                           monkeypatch, run_py):
    """Ctrl-C after three points; --resume on two worker processes finishes the study with
    exactly the trials of the serial, uninterrupted one and runs no point twice."""
    targets = toy_targets(tmp_path)
    out = tmp_path / "out"
    real = calibrate.run_and_record
    interrupted, _ = interrupting(real, after=3)
    monkeypatch.setattr(calibrate, "run_and_record", interrupted)
    r = run_py(*calibrate_args(targets, out, "--workers", "1"))
    assert r.returncode == 130 and "--resume" in r.stderr
    assert not (out / "trials.parquet").exists()
    before = {p.name: p.stat().st_mtime_ns for p in (out / "runs").glob("run-*.parquet")}
    assert len(before) == 3
    monkeypatch.setattr(calibrate, "run_and_record", real)
    r = run_py(*calibrate_args(targets, out, "--workers", "2", "--resume"))
    assert r.returncode == 0, r.stderr
    after = {p.name: p.stat().st_mtime_ns for p in (out / "runs").glob("run-*.parquet")}
    assert {k: after[k] for k in before} == before  # nothing finished was run again
    expected = len(list((serial / "out" / "runs").glob("run-*.parquet")))
    assert len(after) == expected
    pd.testing.assert_frame_equal(trials_of(out), trials_of(serial / "out"))


@pytest.mark.slow
def test_dask_gives_the_same_study(serial, tmp_path, run_py):
    out = tmp_path / "out"
    r = run_py(*calibrate_args(toy_targets(tmp_path), out, "--scheduler", "local",
                               "--workers", "2"))
    assert r.returncode == 0, r.stderr
    pd.testing.assert_frame_equal(trials_of(out), trials_of(serial / "out"))


def _cal(ranges: dict[str, Range]) -> calibrate.Calibration:
    targets = TargetSet("t.toml", "", "", [Target("t", "s", "f", 0.0, 1.0, 1.0, "x", "", 1.0)],
                        ranges)
    return calibrate.Calibration([], targets, ranges, 1, 1, 1, 1.0, 10)


def test_identifiability_tells_a_pinned_parameter_from_a_free_one():
    """Loss rises with the distance of `a` from 5 and ignores `b`: `a` is pinned down,
    `b` is not; and two that trade off along a line are reported as a combination."""
    rng = np.random.default_rng(0)
    a, b = rng.uniform(0, 10, 200), rng.uniform(0, 10, 200)
    ranges = {"reporting.decide_mean_h": Range("reporting.decide_mean_h", 0, 10),
              "handoff.prepare_min": Range("handoff.prepare_min", 0, 10)}
    trials = pd.DataFrame({"trial": range(200), "state": "COMPLETE", "loss": (a - 5) ** 2,
                           "reporting.decide_mean_h": a, "handoff.prepare_min": b})
    ident, trade = identifiability(_cal(ranges), trials)
    verdict = dict(zip(ident["param"], ident["verdict"]))
    assert verdict == {"reporting.decide_mean_h": "pinned down",
                       "handoff.prepare_min": "not pinned down"}
    assert trade == []
    trials["loss"] = (a + b - 10) ** 2  # only the sum is pinned
    ident, trade = identifiability(_cal(ranges), trials)
    assert set(ident["verdict"]) == {"not pinned down"} and len(trade) == 1
    assert "trade off" in trade[0]


def test_loss_is_the_weighted_mean_of_squared_distances():
    t1 = Target("a", "s", "f", 10.0, 2.0, 1.0, "x", "", 1.0)
    t2 = Target("b", "s", "g", 0.5, 0.1, 3.0, "x", "", 1.0)
    shown = Target("c", "s", "h", 0.0, 1.0, 0.0, "x", "", 1.0)  # weight 0: not fitted
    value = loss([t1, t2, shown], {"a": 14.0, "b": 0.4, "c": math.nan})
    assert value == pytest.approx((1 * 2.0**2 + 3 * 1.0**2) / 4)
    assert math.isnan(loss([t1], {"a": math.nan}))


def test_trials_are_seeded_by_number_alone():
    assert calibrate.trial_seed(1, 5) == calibrate.trial_seed(1, 5)
    assert len({calibrate.trial_seed(1, n) for n in range(100)}) == 100
    assert calibrate.trial_seed(1, 5) != calibrate.trial_seed(2, 5)


def test_a_range_snaps_to_its_grid_and_bounds():
    r = Range("outcome.base_success", 0.6, 1.0, step=0.01)
    assert r.typed(0.8449999) == 0.84 and r.typed(1.3) == 1.0 and r.typed(0.3) == 0.6
    assert Range("staff.community.caseworker", 1, 9).typed(4.6) == 5
    assert Range("needs.lead_time_h.welfare", 1, 100, log=True).at(0.5) == pytest.approx(10)
