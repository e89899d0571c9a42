"""Batch experiments: scenarios x swept values x replications, on any backend.

A batch is a table of points; `run_and_record` runs one point (through
`analysis.runs.run_point`, the single-run code path) and writes that run's files; the
backends in `analysis.backends` only decide where it runs. The dataset layout and
`load_batch` are in `analysis.dataset`.

Seeds (common random numbers): replication r (0, 1, ..., R-1) runs with
seed = base seed + r, for every scenario and every swept value. The model draws its
residents and needs from named streams of that seed, so replication r of each scenario
and swept value faces the same city and the same needs, and the comparison can pair
them.

A run's id is a hash of its point (scenario name and parameters, swept values,
replication, seed, days, scale), so the same command names the same runs: `--resume`
skips those already written and never writes one twice.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import fcntl
import hashlib
import itertools
import json
import math
import os
import platform
import shlex
import signal
import socket
import statistics
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import IO, Any

from analysis import dataset
from analysis.argtypes import positive_int, scale_value, seed_value
from analysis.backends import BackendError, Crash, choose_backend
from analysis.runs import ROOT, RunResult, code_version, run_point
from simulation.parameters import Param, iter_params
from simulation.scenario import Scenario, ScenarioError, load

#: Every parameter that can be swept, by dotted key.
PARAMS: dict[str, Param] = dict(iter_params())
#: Separates the items of a list value on the command line (`welfare+dispute`); a
#: comma already separates the values of a sweep.
LIST_SEPARATOR = "+"
EMPTY_LIST = "none"
SEED_RULE = ("seed = base seed + replication (replications 0..R-1), the same for every "
             "scenario and swept value (common random numbers)")
#: Figures the parent keeps per run for the closing summary (the rest stays on disk).
HEADLINE = ("response_time_min.median", "resolved_within_deadline", "reach")
PACKAGES = ("numpy", "pandas", "pyarrow", "mesa", "dask", "distributed")


class BatchError(ValueError):
    """A batch that cannot start as asked (folder in use, resume that does not match)."""


# --------------------------------------------------------------------------- design
@dataclass
class Point:
    """One run of a batch: a scenario with its swept values, under one seed."""

    run_id: str
    scenario: Scenario
    sweep: dict[str, Any]
    replication: int
    seed: int
    days: int
    scale: float


@dataclass
class Outcome:
    """What the parent keeps of a finished run: its identity and a few figures."""

    run_id: str
    scenario: str
    sweep: tuple[Any, ...]
    replication: int
    status: str
    wall_time_s: float
    error: str = ""
    headline: dict[str, float] = field(default_factory=dict)


@dataclass
class Design:
    """The table of points: scenarios x swept values x replications.

    Attributes:
        scenarios: the scenarios as loaded, before any swept value.
        sweep: swept key -> values (parsed by the key's type), in command-line order.
        replications: replications per scenario and swept values.
        seed: base seed; replication r runs with seed + r.
        days, scale: horizon and share of residents of every run.
    """

    scenarios: list[Scenario]
    sweep: dict[str, list[Any]]
    replications: int
    seed: int
    days: int
    scale: float

    def points(self) -> list[Point]:
        """Every point, replication first, so a batch cut short holds whole comparisons.

        Raises:
            ScenarioError: naming the key, if a swept value is invalid for a scenario.
        """
        keys = list(self.sweep)
        combos = list(itertools.product(*self.sweep.values()))
        variants = {(s.name, combo): _apply(s, keys, combo)
                    for combo in combos for s in self.scenarios}
        points = []
        for r in range(self.replications):
            for combo in combos:
                for s in self.scenarios:
                    variant = variants[(s.name, combo)]
                    columns = {k: column_value(v) for k, v in zip(keys, combo)}
                    points.append(Point(run_id(variant, columns, r, self.seed + r, self.days,
                                               self.scale),
                                        variant, columns, r, self.seed + r, self.days,
                                        self.scale))
        return points

    def describe(self) -> dict[str, Any]:
        """The design as data: what `--resume` must match."""
        return {"scenarios": {s.name: s.digest for s in self.scenarios},
                "sweep": {k: [column_value(v) for v in vs] for k, vs in self.sweep.items()},
                "replications": self.replications, "base_seed": self.seed,
                "seed_rule": SEED_RULE, "days": self.days, "scale": self.scale,
                "runs": self.replications * len(self.scenarios)
                * _product(len(v) for v in self.sweep.values())}


def _product(numbers: Iterator[int]) -> int:
    out = 1
    for n in numbers:
        out *= n
    return out


def _apply(scenario: Scenario, keys: list[str], combo: tuple[Any, ...]) -> Scenario:
    """The scenario with one combination of swept values, validated."""
    if not keys:
        return scenario
    overrides = dict(zip(keys, combo))
    label = ", ".join(f"{k}={column_value(v)}" for k, v in overrides.items())
    try:
        return scenario.with_overrides(overrides, label=f"--sweep {label}")
    except ScenarioError as exc:
        raise ScenarioError(f"--sweep ({scenario.name} with {label})", exc.key,
                            exc.message) from None


def run_id(scenario: Scenario, sweep: dict[str, Any], replication: int, seed: int,
           days: int, scale: float) -> str:
    """A stable id for a point: the same point always gets the same id."""
    ident = {"scenario": scenario.name, "params_sha256": scenario.digest, "sweep": sweep,
             "replication": replication, "seed": seed, "days": days, "scale": repr(scale)}
    text = json.dumps(ident, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def column_value(value: Any) -> Any:
    """A swept value as it appears in the runs table: lists as `a+b`, scalars as is."""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value) if value else EMPTY_LIST
    return value


# --------------------------------------------------------------------------- sweeps
def parse_sweep(text: str) -> tuple[str, list[Any]]:
    """Parse `KEY=V1,V2,...`, each value by the type of KEY in the schema.

    Lists (kinds of need, numbers) are written with `+` between items (`welfare+dispute`),
    an empty list as `none`. Ranges and choices are checked later, per scenario.

    Raises:
        ScenarioError: naming the key, for an unknown key or a value of the wrong type.
    """
    key, sep, values = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ScenarioError("--sweep", text, "expected KEY=V1,V2,... (e.g. "
                            "staff.community.caseworker=3,6)")
    if key not in PARAMS:
        near = difflib.get_close_matches(key, PARAMS, n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(near)}?" if near else \
            "; the keys are listed in docs/ODD.md (dotted, e.g. staff.community.caseworker)"
        raise ScenarioError("--sweep", key, f"unknown parameter{hint}")
    items = [v.strip() for v in values.split(",")]
    if not values.strip() or any(not v for v in items):
        raise ScenarioError("--sweep", key, f"expected values separated by commas, got "
                            f"{values!r}")
    parsed = [parse_value(v, PARAMS[key], key) for v in items]
    if len({json.dumps(v) for v in parsed}) < len(parsed):
        raise ScenarioError("--sweep", key, f"a value is given twice in {values!r}")
    return key, parsed


def parse_value(text: str, param: Param, key: str) -> Any:
    """One command-line value as the schema type of `param`."""
    def fail(expected: str) -> None:
        raise ScenarioError("--sweep", key, f"expected {expected}, got {text!r}")

    try:
        if param.kind == "int":
            return int(text)
        if param.kind == "float":
            return float(text)
        if param.kind == "floats":
            return [] if text == EMPTY_LIST else [float(t) for t in text.split(LIST_SEPARATOR)]
    except ValueError:
        fail({"int": "a whole number", "float": "a number"}.get(
            param.kind, f"numbers joined by {LIST_SEPARATOR!r}"))
    if param.kind == "bool":
        if text.lower() not in ("true", "false"):
            fail("true or false")
        return text.lower() == "true"
    if param.kind == "kinds":
        return [] if text == EMPTY_LIST else text.split(LIST_SEPARATOR)
    return text


# --------------------------------------------------------------------------- one point
def run_and_record(point: Point, out_dir: str) -> Outcome:
    """Run one point and write its files atomically; the one path for every backend.

    The case and series tables are written first and the run's row last, so a run is
    finished exactly when its row exists. An error in the model makes a failed row
    with the traceback, not an exception: the batch goes on.

    Raises:
        FileNotFoundError: if the batch folder is not there (a Dask worker on another
            machine without the shared filesystem); nothing is written then.
    """
    out = Path(out_dir)
    if not (out / dataset.MANIFEST).is_file():
        raise FileNotFoundError(f"batch folder {out} not found on {socket.gethostname()}; "
                                "workers need it on a shared filesystem at the same path")
    started = datetime.now(UTC).isoformat(timespec="seconds")
    t0 = time.perf_counter()
    try:
        result = run_point(point.scenario, point.seed, point.scale, point.days)
    except Exception:  # noqa: BLE001 - any model error is this run's failure, recorded
        row = identity_row(point, "failed", time.perf_counter() - t0, started,
                           traceback.format_exc())
    else:
        row = identity_row(point, "ok", time.perf_counter() - t0, started, None)
        write_tables(point, result, out)
        row["residents_simulated"] = result.manifest["residents_simulated"]
        row.update({k: v for k, v in figures_of(result).items() if k not in row})
    finally:
        forget_finished_models()
    dataset.write_row(row, dataset.run_file(out, point.run_id))
    return outcome_of(row, list(point.sweep))


def write_tables(point: Point, result: RunResult, out: Path) -> None:
    """Write a run's case and series tables, each with the run's id in front."""
    for table, frame in ((dataset.CASES, result.cases),
                         (dataset.TIMESERIES, result.timeseries)):
        frame.insert(0, "run_id", point.run_id)
        dataset.write_table(frame, dataset.table_file(out, table, point.scenario.name,
                                                      point.run_id))


def figures_of(result: RunResult) -> dict[str, Any]:
    """Every figure of a run's summary, flattened to dotted names (identity left out)."""
    return dataset.flatten({k: v for k, v in result.summary.items()
                            if k not in ("scenario", "seed", "scale", "days")})


def forget_finished_models() -> None:
    """Let the models of finished runs be freed.

    Mesa 3.3 numbers agents per model in a class-level dict keyed by the model
    (`mesa.agent.Agent._ids`), which keeps every model ever built alive: a worker that
    runs many points grows by a whole model per run (mesa issue 3179, fixed upstream
    after 3.3). Only models that have run to their horizon are dropped, so a model
    still being built or run in another thread keeps its numbering.
    """
    from mesa.agent import Agent

    ids = getattr(Agent, "_ids", None)
    if not isinstance(ids, dict):  # a Mesa without the class-level registry
        return
    for model in list(ids):
        if getattr(model, "time_min", 0.0) >= getattr(model, "days", math.inf) * 1440.0:
            ids.pop(model, None)


def identity_row(point: Point, status: str, wall_time_s: float, started_utc: str,
                 error: str | None) -> dict[str, Any]:
    """The columns every run has, before its figures."""
    return {"run_id": point.run_id, "scenario": point.scenario.name, **point.sweep,
            "replication": point.replication, "seed": point.seed, "days": point.days,
            "scale": point.scale, "status": status, "error": error,
            "wall_time_s": round(wall_time_s, 3), "started_utc": started_utc,
            "host": socket.gethostname(), "scenario_sha256": point.scenario.digest}


def record_crash(crash: Crash, out_dir: Path) -> Outcome:
    """Write a failed row for a point whose worker or task was lost (parent side)."""
    row = identity_row(crash.point, "failed", 0.0,
                       datetime.now(UTC).isoformat(timespec="seconds"), crash.error)
    dataset.write_row(row, dataset.run_file(out_dir, crash.point.run_id))
    return outcome_of(row, list(crash.point.sweep))


def outcome_of(row: dict[str, Any], sweep_keys: list[str]) -> Outcome:
    """The small record the parent keeps of a run's row."""
    error = (row.get("error") or "").strip().splitlines()
    return Outcome(row["run_id"], row["scenario"], tuple(row[k] for k in sweep_keys),
                   int(row["replication"]), row["status"], float(row["wall_time_s"]),
                   error[-1] if error else "",
                   {k: row[k] for k in HEADLINE if row.get(k) is not None})


def worker_report(out_dir: str) -> dict[str, Any]:
    """What a Dask worker sees: the batch folder, and which model code it runs."""
    return {"sees_folder": (Path(out_dir) / dataset.MANIFEST).is_file(),
            "model_source": code_version()["source_sha256"],
            "python": platform.python_version()}


# --------------------------------------------------------------------------- the batch
@dataclass
class BatchReport:
    """How a batch (or the part run now) went."""

    outcomes: list[Outcome]
    skipped: int
    ran: int
    wall_time_s: float
    backend: str

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status != "ok"]


def prepare_folder(out_dir: Path, design: Design, resume: bool) -> bool:
    """Check the batch folder against the command; return True if it is new.

    Raises:
        BatchError: if the folder holds another batch or something else, or a resumed
            batch does not match the command or the model code.
    """
    manifest_path = out_dir / dataset.MANIFEST
    if manifest_path.is_file():
        if not resume:
            raise BatchError(f"--out: {out_dir} already holds a batch; add --resume to "
                             "finish it, or choose another --out")
        _check_resume(dataset.read_manifest(out_dir), design)
        return False
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise BatchError(f"--out: {out_dir} exists and is not a batch folder")
    return True


def _check_resume(manifest: dict[str, Any], design: Design) -> None:
    before, now = manifest["design"], design.describe()
    for key in now:
        if before.get(key) != now[key]:
            raise BatchError(f"--resume: {key} differs from the batch in this folder "
                             f"({before.get(key)!r} there, {now[key]!r} now); give the "
                             "same scenarios and options, or another --out")
    was, here = manifest["code"]["source_sha256"], code_version()["source_sha256"]
    if was != here:
        raise BatchError(f"--resume: the model's source changed since this batch started "
                         f"({was} then, {here} now); its runs would not be comparable. "
                         "Start a new batch with another --out")


class FolderLock:
    """An exclusive lock on a batch folder, so two processes never fill it at once.

    The operating system drops the lock when the process ends, even if it is killed.
    """

    def __init__(self, out_dir: Path):
        self.path = out_dir / ".lock"
        self.handle: IO[str] | None = None

    def __enter__(self) -> FolderLock:
        self.handle = open(self.path, "w")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.close()
            raise BatchError(f"--out: {self.path.parent} is in use by another batch "
                             "process") from None
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def release(self) -> None:
        """Drop the lock. The file stays: deleting it would let two processes lock two
        different files of the same name."""
        if self.handle is not None:
            self.handle.close()
            self.handle = None


def new_manifest(design: Design, command: str, options: dict[str, Any]) -> dict[str, Any]:
    """The batch manifest: command, design, scenarios with every default, code, times."""
    return {
        "command": command,
        "options": options,
        "design": design.describe(),
        "scenarios": {s.name: {"file": s.path, "chain": s.chain, "sha256": s.digest,
                               **s.to_dict()} for s in design.scenarios},
        "sweep_params": {k: {"kind": PARAMS[k].kind, "unit": PARAMS[k].unit,
                             "doc": PARAMS[k].doc} for k in design.sweep},
        "layout": {"runs": "runs/run-<id>.parquet",
                   "cases": "cases/scenario=<name>/run-<id>.parquet",
                   "timeseries": "timeseries/scenario=<name>/run-<id>.parquet"},
        "code": code_version(),
        "python": platform.python_version(),
        "packages": {p: _version(p) for p in PACKAGES},
        "started_utc": _now(),
        "ended_utc": None,
        "sessions": [],
    }


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def run_batch(design: Design, out_dir: Path, workers: int, scheduler: str | None,
              resume: bool, command: str, options: dict[str, Any],
              stream: IO[str] = sys.stderr) -> BatchReport:
    """Run every point of `design` not yet finished in `out_dir`; write the dataset.

    Args:
        design: the batch.
        out_dir: the batch folder (created if new).
        workers: local worker processes (serial if 1).
        scheduler: "local", a Dask scheduler address, or None.
        resume: finish the batch already in `out_dir`; failed runs are run again.
        command, options: the command line, for the manifest.
        stream: where the progress bar goes.

    Raises:
        ScenarioError, BatchError, BackendError: bad input; nothing is written then
            (on resume, the folder is left as it was).
    """
    points = design.points()
    out_dir = out_dir.resolve()
    fresh = prepare_folder(out_dir, design, resume)
    created = not out_dir.exists()
    out_dir.mkdir(parents=True, exist_ok=True)
    with FolderLock(out_dir) as lock:
        try:
            return _run_locked(design, points, out_dir, workers, scheduler, fresh, command,
                               options, stream)
        except BackendError:
            if fresh:  # the backend never started: leave no trace of this batch
                (out_dir / dataset.MANIFEST).unlink(missing_ok=True)
                lock.release()
                lock.path.unlink(missing_ok=True)
                if created:
                    out_dir.rmdir()
            raise


def _run_locked(design: Design, points: list[Point], out_dir: Path, workers: int,
                scheduler: str | None, fresh: bool, command: str, options: dict[str, Any],
                stream: IO[str]) -> BatchReport:
    manifest = new_manifest(design, command, options) if fresh else \
        dataset.read_manifest(out_dir)
    dataset.remove_stale_temporaries(out_dir)
    keys = list(design.sweep)
    kept = {rid: outcome_of(row, keys) for rid, row in dataset.finished_rows(
        out_dir, ["run_id", "scenario", *keys, "replication", "status", "wall_time_s",
                  "error", *HEADLINE]).items() if row["status"] == "ok"}
    todo = [p for p in points if p.run_id not in kept]
    session = {"command": command, "started_utc": _now(), "ended_utc": None,
               "runs_skipped": len(kept), "runs_to_do": len(todo)}
    manifest["sessions"].append(session)
    manifest["ended_utc"] = None
    dataset.write_manifest(manifest, out_dir)
    backend = choose_backend(workers, scheduler, out_dir, len(todo))
    outcomes = list(kept.values())
    t0 = time.perf_counter()
    try:
        with backend:
            session["backend"] = backend.description
            if getattr(backend, "dashboard", ""):
                print(f"Dask dashboard: {backend.dashboard}", file=stream, flush=True)
            progress = BatchProgress(len(points), len(kept), stream)
            for result in backend.run(run_and_record, todo, str(out_dir)):
                outcome = record_crash(result, out_dir) if isinstance(result, Crash) \
                    else result
                outcomes.append(outcome)
                progress.update(outcome)
            progress.finish()
    except BaseException as exc:
        session.update(ended_utc=_now(), interrupted=type(exc).__name__)
        dataset.write_manifest(manifest, out_dir)
        raise
    session.update(ended_utc=_now(), backend=backend.description,
                   runs_failed=sum(o.status != "ok" for o in outcomes))
    manifest["ended_utc"] = session["ended_utc"]
    dataset.write_manifest(manifest, out_dir)
    return BatchReport(outcomes, len(kept), len(todo), time.perf_counter() - t0,
                       backend.description)


# --------------------------------------------------------------------------- progress
class BatchProgress:
    """Runs done / total, failures and time left, on stderr.

    On a terminal the line is redrawn in place; in a log (not a terminal) a line is
    written at most every 10 seconds, and at the end.

    Args:
        total: runs in the batch.
        skipped: runs already finished before (resume).
        stream: where to write.
    """

    def __init__(self, total: int, skipped: int, stream: IO[str] = sys.stderr):
        self.total, self.done, self.skipped, self.failed = total, skipped, skipped, 0
        self.stream = stream
        self.tty = stream.isatty()
        self.t0 = self.last = time.perf_counter()
        self.drawn = -1
        self._draw()

    def update(self, outcome: Outcome) -> None:
        """Count one finished run and redraw."""
        self.done += 1
        self.failed += outcome.status != "ok"
        if self.tty or time.perf_counter() - self.last >= 10.0:
            self._draw()

    def finish(self) -> None:
        """Draw the last line (unless it is already drawn)."""
        if self.drawn != self.done:
            self._draw()
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()

    def line(self) -> str:
        """The progress line, without line ends."""
        elapsed = time.perf_counter() - self.t0
        ran = self.done - self.skipped
        left = self.total - self.done
        eta = f"~{_duration(elapsed / ran * left)} left" if ran and left else ""
        bar = "#" * int(30 * self.done / self.total) if self.total else ""
        before = f" ({self.skipped} done before)" if self.skipped else ""
        return (f"batch [{bar:<30}] {self.done}/{self.total} runs{before}, "
                f"{self.failed} failed, {_duration(elapsed)} {eta}").rstrip()

    def _draw(self) -> None:
        self.last, self.drawn = time.perf_counter(), self.done
        self.stream.write(("\r" + self.line() + " ") if self.tty else self.line() + "\n")
        self.stream.flush()


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


# --------------------------------------------------------------------------- summary
def format_report(report: BatchReport, design: Design, out_dir: Path) -> str:
    """The closing summary: counts, figures by scenario and swept values, failures."""
    lines = [f"Batch: {len(report.outcomes)} runs ({report.ran} run now, {report.skipped} "
             f"done before), {len(report.failed)} failed, {report.wall_time_s:.1f} s on "
             f"{report.backend}", ""]
    lines += _figure_table(report.outcomes, design)
    if report.failed:
        lines += ["", f"Failed runs ({len(report.failed)}):"]
        for o in report.failed[:10]:
            lines.append(f"  {o.run_id}  {o.scenario} r{o.replication}  {o.error}")
        if len(report.failed) > 10:
            lines.append(f"  ... and {len(report.failed) - 10} more (status column)")
    lines += ["", f"Dataset: {out_dir}",
              f"Load it: analysis.load_batch({str(out_dir)!r})"]
    return "\n".join(lines)


def _figure_table(outcomes: list[Outcome], design: Design) -> list[str]:
    """Mean +- standard deviation over replications, per scenario and swept values."""
    combos = list(itertools.product(*([column_value(v) for v in vs]
                                      for vs in design.sweep.values())))
    groups: dict[tuple, list[Outcome]] = {(s.name, combo): [] for s in design.scenarios
                                          for combo in combos}
    for o in outcomes:
        groups.setdefault((o.scenario, o.sweep), []).append(o)
    sweep_keys = list(design.sweep)
    head = ["scenario", *sweep_keys, "runs", "failed", "response median (h)",
            "within target (%)", "reach (%)"]
    rows = [head]
    for (name, sweep), group in groups.items():
        if not group:
            continue
        ok = [o for o in group if o.status == "ok"]
        rows.append([name, *map(str, sweep), str(len(group)), str(len(group) - len(ok)),
                     _mean_sd([o.headline.get(HEADLINE[0]) for o in ok], 1 / 60),
                     _mean_sd([o.headline.get(HEADLINE[1]) for o in ok], 100),
                     _mean_sd([o.headline.get(HEADLINE[2]) for o in ok], 100)])
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    return ["  ".join(c.ljust(w) if i < len(head) - 5 else c.rjust(w)
                      for i, (c, w) in enumerate(zip(r, widths))) for r in rows]


def _mean_sd(values: list[float | None], factor: float) -> str:
    xs = [v * factor for v in values if v is not None and v == v]
    if not xs:
        return "-"
    sd = statistics.stdev(xs) if len(xs) > 1 else 0.0
    return f"{statistics.fmean(xs):.2f} ± {sd:.2f}"


# --------------------------------------------------------------------------- CLI
def all_cores() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def add_batch_parser(sub: Any) -> None:
    """Register `run.py batch` on the command line's subparsers."""
    p = sub.add_parser(
        "batch", help="run scenarios x swept values x replications into a Parquet dataset",
        description="Run every combination of SCENARIO, swept values and replication, on "
        "this machine's cores or a Dask cluster, and write one Parquet row per run, each "
        "run's case and series tables, and a manifest to DIR. Replication r runs with seed "
        "S + r in every scenario (common random numbers). Exit code: 0 all runs ok, 1 some "
        "failed (see the status column), 2 bad input (nothing written), 130 interrupted.",
        epilog="Example: run.py batch hierarchy_2011 flat_2012 --replications 10 --days 30 "
        "--scale 0.1 --sweep staff.community.caseworker=3,6. Load the results with "
        "analysis.load_batch(DIR); see docs/batch.md.")
    p.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                   help="scenario names in scenarios/ or files")
    p.add_argument("--replications", type=positive_int, default=10, metavar="R",
                   help="replications per scenario and swept values (10)")
    p.add_argument("--days", type=positive_int, default=30, metavar="N",
                   help="horizon in days (30)")
    p.add_argument("--scale", type=scale_value, default=1.0, metavar="F",
                   help="share of residents simulated, staff scaled with them (1.0)")
    p.add_argument("--sweep", action="append", default=[], metavar="KEY=V1,V2,...",
                   help="a scenario parameter and its values (repeat for a grid); values "
                   "typed as the parameter, lists as a+b, an empty list as none")
    p.add_argument("--seed", type=seed_value, default=1, metavar="S",
                   help="base seed: replication r runs with seed S + r (1)")
    p.add_argument("--workers", type=positive_int, default=None, metavar="W",
                   help=f"local worker processes, 1 = serial in this process (all cores: "
                   f"{all_cores()}); with --scheduler local, the cluster's workers")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on Dask: 'local' starts a LocalCluster, tcp://HOST:PORT uses a "
                   "running scheduler (its workers need this project installed and DIR on a "
                   "shared filesystem)")
    p.add_argument("--out", metavar="DIR",
                   help="batch folder (default results/batch_<scenarios>_<N>d_scale<F>_"
                   "<hash of the design and model code>)")
    p.add_argument("--resume", action="store_true",
                   help="finish the batch in DIR: skip finished runs, rerun failed ones")
    p.set_defaults(func=cmd_batch)


def default_out(design: Design) -> Path:
    """The batch folder for a design and the model's code: the same command finds the
    same folder, and a changed model starts a new one (its runs would not compare)."""
    ident = {"design": design.describe(), "model": code_version()["source_sha256"]}
    digest = hashlib.sha256(json.dumps(ident, sort_keys=True).encode())
    names = "+".join(s.name for s in design.scenarios)
    return ROOT / "results" / (f"batch_{names}_{design.days}d_scale{design.scale:g}_"
                               f"{digest.hexdigest()[:8]}")


def design_from_args(args: argparse.Namespace) -> Design:
    """The design the command line asks for, validated (nothing is written).

    Raises:
        ScenarioError: naming the scenario or key at fault.
    """
    scenarios = [load(ref) for ref in args.scenarios]
    names = [s.name for s in scenarios]
    for name in names:
        if names.count(name) > 1:
            raise ScenarioError("SCENARIO", name, "given twice (scenario names must differ: "
                                "they name the partitions of the dataset)")
    sweep: dict[str, list[Any]] = {}
    for text in args.sweep:
        key, values = parse_sweep(text)
        if key in sweep:
            raise ScenarioError("--sweep", key, "swept twice; give all its values in one "
                                "--sweep")
        sweep[key] = values
    design = Design(scenarios, sweep, args.replications, args.seed, args.days, args.scale)
    design.points()  # validates every swept value against every scenario
    return design


@contextlib.contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """Treat SIGTERM (`kill`, a job scheduler's time limit) like Ctrl-C: the batch stops
    its workers, notes the interruption in the manifest and keeps what is finished."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def cmd_batch(args: argparse.Namespace) -> int:
    """`run.py batch`: 0 if every run is ok, 1 if any failed, 2 bad input, 130 Ctrl-C."""
    if args.scheduler and args.scheduler != "local" and args.workers is not None:
        print("error: --workers: a Dask scheduler has its own workers; --workers only sets "
              "the local pool or --scheduler local", file=sys.stderr)
        return 2
    design = design_from_args(args)
    out_dir = Path(args.out) if args.out else default_out(design)
    options = {k: v for k, v in vars(args).items() if k != "func"}
    try:
        with stop_on_sigterm():
            report = run_batch(design, out_dir, args.workers or all_cores(), args.scheduler,
                               args.resume, shlex.join(sys.argv), options)
    except (BatchError, BackendError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"\ninterrupted: finished runs are kept in {out_dir}; add --resume to the "
              "same command to do the rest", file=sys.stderr)
        return 130
    print(format_report(report, design, out_dir.resolve()))
    return 1 if report.failed else 0
