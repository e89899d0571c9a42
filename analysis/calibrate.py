"""Calibration: fit shared behavioural parameters of one or more scenarios to observed
(proxy) figures with Optuna's TPE sampler, on the batch runner's backends.

A **trial** is one set of parameter values; it runs every scenario calibrated x every
replication (seeds S, S + 1, ...: the same seeds in every trial, so trials differ by their
parameters, not by chance: common random numbers), each point through
`analysis.point.run_and_record` (the one path of every backend; only the row of figures
is written). Its loss is the weighted distance to the targets (`analysis.targets.loss`)
of the figures averaged over the replications.

Determinism. Trials are asked `parallel` at a time (a fixed number, not the number of
workers), evaluated on the backend in parallel, and told in trial-number order; the
sampler of trial n is seeded from the seed and n. So trial n depends only on the seed,
its number and the trials before its batch: the same command gives the same trials with
any number of workers, and `--resume` after an interruption continues exactly as the
uninterrupted study would have (pending trials keep their values, their finished points
are read back, not run again).

The study lives in the output folder (`study.db`, SQLite, opened at run time with the
folder's path), beside `runs/run-<id>.parquet` (one row per point), and `manifest.json`.
The outputs are written by `analysis.calibrate_report`.

(About 430 lines: the study, its resumable point store and the loss are one unit of
reasoning — what a trial is and how it is told — kept together on purpose.)
"""

from __future__ import annotations

import functools
import hashlib
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from analysis import dataset
from analysis.backends import Crash
from analysis.design import Point, column_value, run_id
from analysis.folder import new_manifest, now_utc
from analysis.outputs import check_output_folder
from analysis.point import record_failure, run_and_record
from analysis.ranges import Range
from analysis.runs import code_version
from analysis.targets import TargetSet, loss
from simulation.scenario import Scenario, ScenarioError

STUDY_FILE = "study.db"
STUDY_NAME = "calibration"
#: Trials drawn at random before TPE models the loss (Optuna's default is 10).
STARTUP_TRIALS = 20
#: The key of the calibration in its manifest (a batch's is "design").
KIND = "calibration"


class StudyError(ValueError):
    """A calibration folder that cannot be used as asked (bad input: exit code 2)."""


@dataclass
class Calibration:
    """What is fitted, to what, and how each trial runs.

    Has the parts of `analysis.design.Design` that the folder manifest reads
    (`scenarios`, `sweep`, `describe`).
    """

    scenarios: list[Scenario]
    targets: TargetSet
    ranges: dict[str, Range]
    replications: int
    seed: int
    days: int
    scale: float
    trials: int
    parallel: int = 4
    startup: int = STARTUP_TRIALS
    confirm: int = 6
    sweep: dict[str, list[Any]] = field(init=False)

    def __post_init__(self) -> None:
        self.sweep = {k: [] for k in self.ranges}

    def describe(self) -> dict[str, Any]:
        """What `--resume` must match (the number of trials may grow)."""
        return {"scenarios": {s.name: s.digest for s in self.scenarios},
                "targets_sha256": self.targets.digest,
                "params": {k: r.describe() for k, r in self.ranges.items()},
                "replications": self.replications, "base_seed": self.seed,
                "seed_rule": "replication r of every trial runs with seed S + r; confirmation "
                             "runs with seeds S + R, S + R + 1, ...",
                "days": self.days, "scale": self.scale, "parallel_trials": self.parallel,
                "sampler": {"name": "TPESampler", "multivariate": True,
                            "constant_liar": True, "n_startup_trials": self.startup,
                            "seed_rule": "trial n: a hash of (seed, n)"},
                "confirm_replications": self.confirm}

    def variant(self, scenario: Scenario, values: dict[str, Any]) -> Scenario:
        """The scenario with a trial's values (validated)."""
        label = ", ".join(f"{k}={v}" for k, v in values.items())
        return scenario.with_overrides(values, label=f"calibrate {label}")

    def points(self, values: dict[str, Any], seeds: list[int]) -> list[Point]:
        """The points of one set of values: every scenario x every seed."""
        cols = {k: column_value(v) for k, v in values.items()}
        out = []
        for s in self.scenarios:
            variant = self.variant(s, values)
            for r, seed in enumerate(seeds):
                out.append(Point(run_id(variant, cols, r, seed, self.days, self.scale),
                                 variant, cols, r, seed, self.days, self.scale))
        return out

    @property
    def fit_seeds(self) -> list[int]:
        return [self.seed + r for r in range(self.replications)]

    @property
    def confirm_seeds(self) -> list[int]:
        return [self.seed + self.replications + r for r in range(self.confirm)]

    def check_values(self) -> None:
        """Every scenario takes the lowest and highest value of the ranges together.

        Raises:
            ScenarioError: naming the parameters, if a corner breaks a scenario's rule.
        """
        for corner in ("low", "high"):
            values = {k: r.typed(getattr(r, corner)) for k, r in self.ranges.items()}
            for s in self.scenarios:
                try:
                    self.variant(s, values)
                except ScenarioError as exc:
                    raise ScenarioError("--param", exc.key, f"at the {corner} ends of the "
                                        f"ranges, {s.name} breaks a rule: {exc.message}") \
                        from None


def defaults_in_range(cal: Calibration) -> dict[str, Any] | None:
    """The first scenario's own values of the fitted keys, if all lie on the ranges' grids:
    enqueued as trial 0, so the study shows how far the uncalibrated model is."""
    params = cal.scenarios[0].params
    values = {}
    for key, r in cal.ranges.items():
        node: Any = params
        for part in key.split("."):
            node = node[part]
        if r.typed(node) != node:
            return None
        values[key] = r.typed(node)
    return values


def distributions(cal: Calibration) -> dict[str, Any]:
    """Optuna's distribution for each fitted parameter."""
    from optuna.distributions import FloatDistribution, IntDistribution

    out: dict[str, Any] = {}
    for key, r in cal.ranges.items():
        if r.is_int:
            out[key] = IntDistribution(math.ceil(r.low), math.floor(r.high), log=r.log,
                                       step=max(1, int(round(r.step or 1))))
        else:
            out[key] = FloatDistribution(r.low, r.high, log=r.log, step=r.step)
    return out


def trial_seed(seed: int, number: int) -> int:
    """The sampler's seed for trial `number`: depends on nothing else."""
    digest = hashlib.sha256(f"{seed}:{number}".encode()).digest()
    return int.from_bytes(digest[:4], "little")


def sampler_for(cal: Calibration, number: int) -> Any:
    import optuna

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        return optuna.samplers.TPESampler(seed=trial_seed(cal.seed, number), multivariate=True,
                                          constant_liar=True, n_startup_trials=cal.startup)


def open_study(out_dir: Path) -> Any:
    """The study of a calibration folder (created if new), in `study.db` there."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    url = f"sqlite:///{(Path(out_dir) / STUDY_FILE).resolve()}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        storage = optuna.storages.RDBStorage(url)
    return optuna.create_study(storage=storage, study_name=STUDY_NAME, direction="minimize",
                               load_if_exists=True)


# ---------------------------------------------------------------------- the folder


def prepare_folder(out_dir: Path, ident: dict[str, Any], resume: bool, kind: str = KIND
                   ) -> bool:
    """Check the output folder against the command; return True if it is new.

    Raises:
        StudyError: the folder holds something else, another study, or (resuming) a study
            of other settings or other model code.
        ScenarioError, OutputError: the folder cannot be one, or cannot be written.
    """
    check_output_folder(out_dir)
    manifest_path = out_dir / dataset.MANIFEST
    if manifest_path.is_file():
        manifest = read_study_manifest(out_dir, kind)
        if not resume:
            raise StudyError(f"--out: {out_dir} already holds a {kind}; add --resume to "
                             "continue it, or choose another --out")
        for key, now in ident.items():
            before = manifest[kind].get(key)
            if before != now:
                raise StudyError(f"--resume: {key} differs from the {kind} in this folder "
                                 f"({_cut(before)} there, {_cut(now)} now); give the same "
                                 "scenarios, targets and options, or another --out")
        was = manifest.get("code", {}).get("source_sha256")
        if was != code_version()["source_sha256"]:
            raise StudyError(f"--resume: the model's source changed since this {kind} "
                             f"started ({was} then); start again with another --out")
        return False
    if out_dir.exists() and any(out_dir.iterdir()):
        raise StudyError(f"--out: {out_dir} exists and is not a {kind} folder")
    return True


def _cut(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def read_study_manifest(out_dir: Path, kind: str = KIND) -> dict[str, Any]:
    """The manifest of a calibration folder.

    Raises:
        ScenarioError: naming the folder, if it holds no manifest of this kind.
    """
    import json

    path = Path(out_dir) / dataset.MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(out_dir, "--out", f"not a {kind} folder (no manifest.json)") \
            from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ScenarioError(path, "", "damaged: not a JSON manifest") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get(kind), dict) \
            or not isinstance(manifest.get("sessions"), list):
        raise ScenarioError(out_dir, "--out", f"not a {kind} folder (its manifest.json is "
                            "of another kind)")
    return manifest


def study_manifest(cal: Calibration, command: str, options: dict[str, Any]) -> dict[str, Any]:
    """The folder's manifest: command, calibration, targets, scenarios, code, packages."""
    from importlib import metadata

    manifest = new_manifest(cal, command, options)  # type: ignore[arg-type]
    manifest[KIND] = manifest.pop("design")
    manifest.pop("layout", None)
    manifest["targets"] = cal.targets.describe()
    manifest["layout"] = {"study": STUDY_FILE, "runs": "runs/run-<id>.parquet"}
    manifest["packages"]["optuna"] = metadata.version("optuna")
    return manifest


# ---------------------------------------------------------------------- the study


@dataclass
class Evaluated:
    """What the study keeps of a finished point: its status and the target figures."""

    status: str
    figures: dict[str, float]
    error: str = ""


class PointStore:
    """The finished points of a folder, by run id (read once, then kept up to date)."""

    def __init__(self, out_dir: Path, columns: list[str]):
        self.out_dir, self.columns = out_dir, columns
        rows = dataset.finished_rows(out_dir, ["run_id", "status", "error", *columns])
        self.rows = {rid: self._evaluated(row) for rid, row in rows.items()}

    def _evaluated(self, row: dict[str, Any]) -> Evaluated:
        figures = {c: float(row[c]) if row.get(c) is not None else math.nan
                   for c in self.columns}
        error = (row.get("error") or "").strip().splitlines()
        return Evaluated(row["status"], figures, error[-1] if error else "")

    def add(self, rid: str) -> None:
        row = dataset.read_table(dataset.run_file(self.out_dir, rid),
                                 ["run_id", "status", "error", *self.columns]).to_pylist()[0]
        self.rows[rid] = self._evaluated(row)

    def missing(self, points: list[Point]) -> list[Point]:
        """The points not yet finished ok, each once."""
        todo: dict[str, Point] = {}
        for p in points:
            done = self.rows.get(p.run_id)
            if (done is None or done.status != "ok") and p.run_id not in todo:
                todo[p.run_id] = p
        return list(todo.values())


def run_points(backend: Any, points: list[Point], store: PointStore,
               on_done: Callable[[], None] | None = None) -> None:
    """Run the points on the backend; record each (a lost one as failed)."""
    func = functools.partial(run_and_record, tables=False)
    for result in backend.run(func, points, str(store.out_dir)):
        if isinstance(result, Crash):
            record_failure(result.point, result.error, store.out_dir)
            rid = result.point.run_id
        else:
            rid = result.run_id
        store.add(rid)
        if on_done:
            on_done()


def figure_means(cal: Calibration, points: list[Point], store: PointStore
                 ) -> tuple[dict[str, float], dict[str, list[float]], str]:
    """Per target: the mean over replications, the replications' values, and an error
    (the first failed point's, or a missing figure) or ""."""
    values: dict[str, list[float]] = {t.name: [] for t in cal.targets.targets}
    for p in points:
        done = store.rows[p.run_id]
        if done.status != "ok":
            return {}, {}, f"{p.scenario.name} seed {p.seed} failed: {done.error}"
        for t in cal.targets.targets:
            if t.scenario == p.scenario.name:
                values[t.name].append(done.figures[t.figure])
    means = {k: float(np.mean(v)) for k, v in values.items()}
    bad = [k for k, t in zip(means, cal.targets.targets) if t.weight > 0
           and not math.isfinite(means[k])]
    return means, values, (f"no value of {bad[0]} (the figure is missing in a run)"
                           if bad else "")


def run_study(cal: Calibration, out_dir: Path, backend: Any, progress: Any) -> Any:
    """Ask, run and tell trials until the study holds `cal.trials` finished ones.

    Returns:
        The Optuna study.
    """
    from optuna.trial import TrialState

    study = open_study(out_dir)
    dists = distributions(cal)
    store = PointStore(out_dir, sorted({t.figure for t in cal.targets.targets}))
    if not study.get_trials(deepcopy=False):
        start = defaults_in_range(cal)
        if start is not None:
            study.enqueue_trial(start)
    while True:
        trials = study.get_trials(deepcopy=False)
        finished = sum(t.state.is_finished() for t in trials)
        pending = [t for t in trials if t.state == TrialState.RUNNING]
        # ask up to the end of the current batch of `parallel` trials: a batch cut short
        # by an interruption is completed as it would have been
        room = cal.trials - finished - len(pending)
        if not pending:
            want = min(cal.parallel, room)
        else:
            want = min((-len(trials)) % cal.parallel, room)
        for _ in range(max(0, want)):
            study.sampler = sampler_for(cal, len(study.get_trials(deepcopy=False)))
            trial = study.ask(dists)
            pending.append(study.get_trials(deepcopy=False)[trial.number])
        if not pending:
            break
        batch, broken = {}, {}
        for t in pending:
            try:
                batch[t.number] = cal.points(dict(t.params), cal.fit_seeds)
            except ScenarioError as exc:  # values that break a scenario's rule
                broken[t.number] = str(exc)
        run_points(backend, store.missing([p for ps in batch.values() for p in ps]), store)
        for number in sorted([*batch, *broken]):
            error = broken.get(number, "")
            if not error:
                means, _, error = figure_means(cal, batch[number], store)
            if error:
                study.tell(number, state=TrialState.FAIL)
            else:
                study.tell(number, loss(cal.targets.targets, means))
            progress.note = best_note(study)
            progress.step(failed=bool(error))
    return study


def best_note(study: Any) -> str:
    """"best 0.42 (trial 17)", or "" before any trial has finished."""
    try:
        best = study.best_trial
    except ValueError:
        return ""
    return f"best {best.value:.3g} (trial {best.number})"


def confirm_best(cal: Calibration, study: Any, out_dir: Path, backend: Any
                 ) -> tuple[dict[str, Any], dict[str, list[float]]]:
    """Run the best trial's values on `cal.confirm` fresh seeds; return the values and
    each target's figures on those seeds (the fit seeds' if `confirm` is 0)."""
    best = study.best_trial
    values = dict(best.params)
    seeds = cal.confirm_seeds or cal.fit_seeds
    points = cal.points(values, seeds)
    store = PointStore(out_dir, sorted({t.figure for t in cal.targets.targets}))
    run_points(backend, store.missing(points), store)
    _, replicates, error = figure_means(cal, points, store)
    if error:
        raise RuntimeError(f"the confirmation runs of the best trial failed: {error}")
    return values, replicates


def session_start(manifest: dict[str, Any], command: str, done: int, todo: int
                  ) -> dict[str, Any]:
    session = {"command": command, "started_utc": now_utc(), "ended_utc": None,
               "trials_done_before": done, "trials_to_do": todo}
    manifest["sessions"].append(session)
    manifest["ended_utc"] = None
    return session
