"""Running a batch: every point of a design not yet finished in its folder, on a backend.

A batch is a table of points (`analysis.design`); `analysis.point.run_and_record` runs
one point and writes that run's files; the backends in `analysis.backends` only decide
where it runs; `analysis.folder` checks and locks the folder and writes its manifest.
This module ties them together (`run_batch`) and writes the closing summary
(`format_report`). The dataset layout and `load_batch` are in `analysis.dataset`; the
command line is `analysis.batch_cli`.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import signal
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from analysis import dataset
from analysis.backends import BackendError, Crash, choose_backend
from analysis.design import Design, Point, column_value
from analysis.folder import FolderLock, forget_new_folder, new_manifest, now_utc, prepare_folder
from analysis.labels import BATCH_SUMMARY, figure
from analysis.outputs import make_folder
from analysis.point import Outcome, outcome_of, record_failure, run_and_record
from analysis.progress import ProgressBar
from analysis.sizing import check_memory, workers_in_memory


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


def run_batch(design: Design, out_dir: Path, workers: int, scheduler: str | None,
              resume: bool, command: str, options: dict[str, Any],
              stream: IO[str] | None = None, force: bool = False,
              tables: bool = True) -> BatchReport:
    """Run every point of `design` not yet finished in `out_dir`; write the dataset.

    Args:
        design: the batch.
        out_dir: the batch folder (created if new).
        workers: local worker processes (serial if 1).
        scheduler: "local", a Dask scheduler address, or None.
        resume: finish the batch already in `out_dir`; failed runs are run again.
        command, options: the command line, for the manifest.
        stream: where the progress bar goes (default: stderr at the time of the call).
        force: run even if the memory estimate is above the memory available.
        tables: write each run's case and series tables (False: only its row of figures).

    Raises:
        ScenarioError, BatchError, BackendError: bad input; nothing is written then
            (on resume, the folder is left as it was).
        OutputError: the folder cannot be written.
    """
    stream = stream if stream is not None else sys.stderr
    points = design.points()
    out_dir = out_dir.resolve()
    fresh = prepare_folder(out_dir, design, resume)
    if scheduler is None or scheduler == "local":  # a remote cluster's memory is its own
        check_memory(_distinct_params(points), design.scale, design.days,
                     workers_in_memory(workers, len(points)), force)
    created = not out_dir.exists()
    make_folder(out_dir)
    with FolderLock(out_dir) as lock:
        try:
            return _run_locked(design, points, out_dir, workers, scheduler, fresh, command,
                               options, stream, tables)
        except BackendError:
            if fresh:  # the backend never started: leave no trace of this batch
                forget_new_folder(out_dir, lock, created)
            raise


def _distinct_params(points: list[Point]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for p in points:
        seen.setdefault(p.scenario.digest, p.scenario.params)
    return list(seen.values()) or [{}]


def _run_locked(design: Design, points: list[Point], out_dir: Path, workers: int,
                scheduler: str | None, fresh: bool, command: str, options: dict[str, Any],
                stream: IO[str], tables: bool = True) -> BatchReport:
    manifest = new_manifest(design, command, options) if fresh else \
        dataset.read_manifest(out_dir)
    dataset.remove_stale_temporaries(out_dir)
    keys = list(design.sweep)
    kept = {rid: outcome_of(row, keys) for rid, row in dataset.finished_rows(
        out_dir, ["run_id", "scenario", *keys, "replication", "status", "wall_time_s",
                  "error", *BATCH_SUMMARY]).items() if row["status"] == "ok"}
    todo = [p for p in points if p.run_id not in kept]
    session = {"command": command, "started_utc": now_utc(), "ended_utc": None,
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
            progress = ProgressBar("batch", len(points), "runs", skipped=len(kept),
                                   stream=stream, count_failures=True)
            func = run_and_record if tables else functools.partial(run_and_record,
                                                                    tables=False)
            for result in backend.run(func, todo, str(out_dir)):
                outcome = record_failure(result.point, result.error, out_dir) \
                    if isinstance(result, Crash) else result
                outcomes.append(outcome)
                progress.step(failed=outcome.status != "ok")
            progress.finish()
    except BaseException as exc:
        session.update(ended_utc=now_utc(), interrupted=type(exc).__name__)
        dataset.write_manifest(manifest, out_dir)
        raise
    session.update(ended_utc=now_utc(), backend=backend.description,
                   runs_failed=sum(o.status != "ok" for o in outcomes))
    manifest["ended_utc"] = session["ended_utc"]
    dataset.write_manifest(manifest, out_dir)
    return BatchReport(outcomes, len(kept), len(todo), time.perf_counter() - t0,
                       backend.description)


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
    shown = [figure(k) for k in BATCH_SUMMARY if any(k in o.headline for o in outcomes)]
    sweep_keys = list(design.sweep)
    head = ["scenario", *sweep_keys, "runs", "failed", *(f.title() for f in shown)]
    rows = [head]
    for (name, sweep), group in groups.items():
        if not group:
            continue
        ok = [o for o in group if o.status == "ok"]
        rows.append([name, *map(str, sweep), str(len(group)), str(len(group) - len(ok)),
                     *(_mean_sd([o.headline.get(f.key) for o in ok], f.factor)
                       for f in shown)])
    numbers = len(head) - 1 - len(sweep_keys)  # runs, failed and the figures: right-aligned
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    return ["  ".join(c.ljust(w) if i < len(head) - numbers else c.rjust(w)
                      for i, (c, w) in enumerate(zip(r, widths))) for r in rows]


def _mean_sd(values: list[float | None], factor: float) -> str:
    xs = [v * factor for v in values if v is not None and v == v]
    if not xs:
        return "-"
    sd = statistics.stdev(xs) if len(xs) > 1 else 0.0
    return f"{statistics.fmean(xs):.2f} ± {sd:.2f}"
