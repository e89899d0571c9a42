"""Running and recording one point of a batch: the one function every backend calls.

`run_and_record(point, out_dir)` runs the point (through `analysis.runs.run_point`, the
code path of `run.py run`), writes its case and series tables and then its row, and
hands back a small `Outcome`. A run is finished exactly when its row exists.
"""

from __future__ import annotations

import math
import platform
import socket
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analysis import dataset
from analysis.design import Point
from analysis.labels import BATCH_SUMMARY
from analysis.runs import RunResult, code_version, run_point


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


def run_and_record(point: Point, out_dir: str, tables: bool = True) -> Outcome:
    """Run one point and write its files atomically; the one path for every backend.

    The case and series tables are written first and the run's row last, so a run is
    finished exactly when its row exists. An error in the model makes a failed row
    with the traceback, not an exception: the batch goes on. With `tables` False only
    the row is written (a calibration or exploration needs the figures, not hundreds of
    case tables); pass it as `functools.partial(run_and_record, tables=False)`.

    Raises:
        FileNotFoundError: if the batch folder is not there (a Dask worker on another
            machine without the shared filesystem); nothing is written then.
    """
    out = Path(out_dir)
    if not (out / dataset.MANIFEST).is_file():
        raise FileNotFoundError(f"batch folder {out} not found on {socket.gethostname()}; "
                                "workers need it on a shared filesystem at the same path")
    started = _now()
    t0 = time.perf_counter()
    try:
        result = run_point(point.scenario, point.seed, point.scale, point.days)
    except Exception:  # noqa: BLE001 - any model error is this run's failure, recorded
        row = identity_row(point, "failed", time.perf_counter() - t0, started,
                           traceback.format_exc())
    else:
        row = identity_row(point, "ok", time.perf_counter() - t0, started, None)
        if tables:
            write_tables(point, result, out)
        row["residents_simulated"] = result.manifest["residents_simulated"]
        row.update({k: v for k, v in figures_of(result).items() if k not in row})
    finally:
        forget_finished_models()
    dataset.write_row(row, dataset.run_file(out, point.run_id))
    return outcome_of(row, list(point.sweep))


def write_tables(point: Point, result: RunResult, out: Path) -> None:
    """Write a run's case, hop and series tables, each with the run's id in front."""
    for table, frame in ((dataset.CASES, result.cases), (dataset.HOPS, result.hops),
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


def record_failure(point: Point, error: str, out_dir: Path) -> Outcome:
    """Write a failed row for a point whose worker or task was lost (parent side)."""
    row = identity_row(point, "failed", 0.0, _now(), error)
    dataset.write_row(row, dataset.run_file(out_dir, point.run_id))
    return outcome_of(row, list(point.sweep))


def outcome_of(row: dict[str, Any], sweep_keys: list[str]) -> Outcome:
    """The small record the parent keeps of a run's row."""
    error = (row.get("error") or "").strip().splitlines()
    return Outcome(row["run_id"], row["scenario"], tuple(row[k] for k in sweep_keys),
                   int(row["replication"]), row["status"], float(row["wall_time_s"]),
                   error[-1] if error else "",
                   {k: row[k] for k in BATCH_SUMMARY if row.get(k) is not None})


def worker_report(out_dir: str) -> dict[str, Any]:
    """What a Dask worker sees: the batch folder, and which model code it runs."""
    return {"sees_folder": (Path(out_dir) / dataset.MANIFEST).is_file(),
            "model_source": code_version()["source_sha256"],
            "python": platform.python_version()}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
