"""The on-disk layout of a batch, its atomic writes, and loading it back.

A batch folder holds::

    manifest.json                              the batch: command, design, scenarios, code
    runs/run-<id>.parquet                      one row per run (ok or failed)
    cases/scenario=<name>/run-<id>.parquet     the run's case table, one row per need
    hops/scenario=<name>/run-<id>.parquet      the units each case passed, one row per hop
    timeseries/scenario=<name>/run-<id>.parquet  the run's hourly series

Every file is written under a hidden temporary name and renamed into place, so a crash
leaves whole files or none. A run's row is written last: a run is finished exactly when
its row exists, and its case and series files are then complete too.

Reading refuses, with one line naming the file, a folder that is not a batch (the folder
of one `run.py run`, say) and a file that is damaged (truncated, not Parquet, not JSON):
`ScenarioError`, exit code 2.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.outputs import make_folder, write_atomic
from analysis.runs import _json_default
from simulation.scenario import ScenarioError

MANIFEST = "manifest.json"


class NotABatch(ScenarioError, FileNotFoundError):
    """A folder that holds no batch (no manifest, or one run's): bad input, and, for
    callers that look for batches among folders, a FileNotFoundError."""


RUNS = "runs"
CASES = "cases"
HOPS = "hops"
TIMESERIES = "timeseries"


def run_file(out_dir: Path, run_id: str) -> Path:
    """Where the row of run `run_id` lives."""
    return Path(out_dir) / RUNS / f"run-{run_id}.parquet"


def table_file(out_dir: Path, table: str, scenario: str, run_id: str) -> Path:
    """Where a run's case or series table lives (hive-partitioned by scenario)."""
    return Path(out_dir) / table / f"scenario={scenario}" / f"run-{run_id}.parquet"


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write one Parquet file atomically, creating its folder if needed."""
    make_folder(path.parent)
    write_atomic(path, lambda tmp: frame.to_parquet(tmp, index=False))


def write_row(row: dict[str, Any], path: Path) -> None:
    """Write a run's one-row table atomically."""
    write_table(pd.DataFrame([row]), path)


def write_manifest(manifest: dict[str, Any], out_dir: Path) -> None:
    """Write (or replace) the batch manifest atomically."""
    text = json.dumps(manifest, indent=2, default=_json_default) + "\n"
    write_atomic(Path(out_dir) / MANIFEST, lambda tmp: tmp.write_text(text))


def is_batch(path: str | Path) -> bool:
    """Whether `path` is a folder with a manifest (a batch, or something to refuse)."""
    try:
        return (Path(path) / MANIFEST).is_file()
    except (OSError, ValueError):
        return False


def read_manifest(out_dir: Path) -> dict[str, Any]:
    """The batch manifest of `out_dir`, checked to be one.

    Raises:
        NotABatch: naming the folder, if it holds no manifest or one run's.
        ScenarioError: naming the file, if the manifest is damaged (not JSON, keys
            missing).
    """
    path = Path(out_dir) / MANIFEST
    if not path.is_file():
        raise NotABatch(out_dir, "", "not a batch folder (no manifest.json)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ScenarioError(path, "", f"damaged: not a JSON manifest "
                            f"({type(exc).__name__})") from None
    if not isinstance(manifest, dict):
        raise ScenarioError(path, "", "damaged: not a JSON object")
    if "design" not in manifest and "scenario_sha256" in manifest:
        raise NotABatch(out_dir, "", "the folder of one run (run.py run), not a batch "
                        "folder (run.py batch or compare)")
    for key, kind in (("design", dict), ("scenarios", dict), ("sessions", list)):
        if not isinstance(manifest.get(key), kind):
            raise ScenarioError(path, key, "missing or damaged: not a batch manifest")
    for key in ("base_seed", "days", "scale", "replications"):
        if key not in manifest["design"]:
            raise ScenarioError(path, f"design.{key}", "missing: not a batch manifest")
    return manifest


def read_table(path: Path, columns: list[str] | None = None) -> pa.Table:
    """One Parquet file of a batch (only `columns` of it, those present).

    Raises:
        ScenarioError: naming the file, if it is not a readable Parquet file.
    """
    try:
        if columns is not None:
            names = set(pq.read_schema(path).names)
            columns = [c for c in columns if c in names]
        return pq.read_table(path, columns=columns)
    except pa.ArrowException as exc:
        if isinstance(exc, OSError) and exc.errno is not None:
            raise  # permission, I/O: the environment's problem
        raise ScenarioError(path, "", "damaged: not a readable Parquet file (truncated?); "
                            "delete it to run that run again with --resume") from None


def flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested figures as one level of dotted keys; a missing figure (None) becomes NaN.

    NaN rather than None keeps a figure's column numeric in every run's file, so the
    files of a batch share one schema where they share a column.
    """
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, dotted + "."))
        else:
            flat[dotted] = math.nan if value is None else value
    return flat


def finished_rows(out_dir: Path, columns: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The rows already written, by run id, reduced to `columns` (those present).

    Reads only the named columns of each file, so resuming a long batch stays cheap.
    """
    wanted = list(columns)
    rows: dict[str, dict[str, Any]] = {}
    for path in sorted((Path(out_dir) / RUNS).glob("run-*.parquet")):
        found = read_table(path, wanted).to_pylist()
        if len(found) != 1 or "run_id" not in found[0]:
            raise ScenarioError(path, "", "damaged: not one run's row")
        rows[found[0]["run_id"]] = found[0]
    return rows


def remove_stale_temporaries(out_dir: Path) -> int:
    """Delete temporary files that a killed batch left half-written; return how many."""
    removed = 0
    for path in Path(out_dir).rglob(".*.tmp"):
        path.unlink(missing_ok=True)
        removed += 1
    return removed


def load_batch(out_dir: str | Path) -> pd.DataFrame:
    """All runs of a batch, one row each, as a DataFrame.

    Columns: `run_id`, `scenario`, one column per swept key, `replication`, `seed`,
    `days`, `scale`, `status` ("ok" or "failed"), `error` (the traceback of a failed
    run), `wall_time_s`, and every figure of the run's summary with dotted names
    (`response_time_min.median`, `by_kind.welfare.reach`, ...). A failed run has no
    figures (NaN). Rows are sorted by scenario, swept values and replication.

    Args:
        out_dir: the batch folder (the `--out` of `run.py batch`).

    Returns:
        One row per run written so far (a batch still running or interrupted loads too).

    Raises:
        ScenarioError: if `out_dir` holds no batch, or a file of it is damaged.
    """
    out_dir = Path(out_dir)
    manifest = read_manifest(out_dir)
    files = sorted((out_dir / RUNS).glob("run-*.parquet"))
    if not files:
        return pd.DataFrame(columns=["run_id", "scenario", "replication", "status"])
    # runs differ in columns (a failed run has no figures; per-community figures follow
    # the structure), so the tables are unified by name, null-filled where absent
    try:
        table = pa.concat_tables([read_table(f) for f in files],
                                 promote_options="permissive")
    except pa.ArrowInvalid as exc:  # two row files that cannot share a column
        raise ScenarioError(out_dir / RUNS, "", f"damaged: the run files do not fit "
                            f"together ({str(exc)[:80]})") from None
    frame = table.to_pandas()
    for column in ("run_id", "scenario", "replication", "status", "seed"):
        if column not in frame.columns:
            raise ScenarioError(out_dir / RUNS, column, "missing from the run files: not a "
                                "batch's rows")
    swept = manifest.get("design", {}).get("sweep", {})
    order = [c for c in ("scenario", *swept, "replication") if c in frame.columns]
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


def load_cases(out_dir: str | Path, scenario: str | None = None,
               columns: list[str] | None = None, table: str = CASES) -> pd.DataFrame:
    """The case tables of a batch's finished runs, one row per need, with `run_id`.

    Join to `load_batch` on `run_id` for the scenario, swept values and replication.

    Args:
        out_dir: the batch folder.
        scenario: read only this scenario's partition.
        columns: read only these columns (and `run_id`, `scenario`).
        table: `CASES`, `HOPS` for the hop records, or `TIMESERIES` for the hourly
            series.

    Raises:
        ScenarioError: naming a damaged file.
    """
    root = Path(out_dir) / table
    parts = [root / f"scenario={scenario}"] if scenario else sorted(root.glob("scenario=*"))
    finished = {p.stem.removeprefix("run-") for p in (Path(out_dir) / RUNS).glob("run-*")}
    frames = []
    for part in parts:
        for path in sorted(part.glob("run-*.parquet")):
            # a killed batch can leave a run's cases without its row: not finished
            if path.stem.removeprefix("run-") in finished:
                wanted = None if columns is None else ["run_id", *columns]
                frame = read_table(path, wanted).to_pandas()
                frame.insert(min(1, len(frame.columns)), "scenario",
                             part.name.removeprefix("scenario="))
                frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
