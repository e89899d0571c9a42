"""One run from scenario to files: run it, collect its figures, write them atomically.

This is the single code path for running one experiment point; the CLI (and later the
batch runner) call `run_point` and `write_run`.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from simulation import __version__
from simulation.metrics import case_table, hop_table, summary, timeseries_table
from simulation.model import GovernanceModel
from simulation.scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent
OUTPUT_FILES = ("summary.json", "cases.parquet", "hops.parquet", "timeseries.parquet",
                "manifest.json")


@dataclass
class RunResult:
    """Everything one run produced."""

    summary: dict[str, Any]
    cases: pd.DataFrame
    timeseries: pd.DataFrame
    manifest: dict[str, Any]
    hops: pd.DataFrame | None = None


def code_version() -> dict[str, str]:
    """The package version, a hash of the model's source, and the git commit if any."""
    h = hashlib.sha256()
    for path in sorted((ROOT / "simulation").glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    out = {"version": __version__, "source_sha256": h.hexdigest()[:16]}
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, timeout=5)
        if commit.returncode == 0:
            out["git_commit"] = commit.stdout.strip()
            dirty = subprocess.run(["git", "status", "--porcelain", "--", "simulation"],
                                   cwd=ROOT, capture_output=True, text=True, timeout=5)
            out["git_dirty"] = str(bool(dirty.stdout.strip())).lower()
    except (OSError, subprocess.SubprocessError):
        pass
    return out


def run_point(scenario: Scenario, seed: int, scale: float, days: int,
              progress: Callable[[int, int], None] | None = None) -> RunResult:
    """Build and run one model and collect its results."""
    started = datetime.now(UTC)
    t0 = time.perf_counter()
    model = GovernanceModel(scenario, seed=seed, scale=scale, days=days)
    t_build = time.perf_counter() - t0
    model.run(progress)
    t_run = time.perf_counter() - t0 - t_build
    cases = case_table(model)
    hops = hop_table(model)
    figures = summary(model, cases, hops)
    wall = time.perf_counter() - t0
    manifest = {
        "scenario": scenario.to_dict(),
        "scenario_file": scenario.path,
        "scenario_chain": scenario.chain,
        "scenario_sha256": scenario.digest,
        "seed": seed,
        "scale": scale,
        "days": days,
        "residents_simulated": model.residents.n,
        "code": code_version(),
        "python": platform.python_version(),
        "started_utc": started.isoformat(timespec="seconds"),
        "wall_time_s": {"build": round(t_build, 3), "run": round(t_run, 3),
                        "total": round(wall, 3)},
    }
    figures = {"scenario": scenario.name, "seed": seed, "scale": scale, "days": days,
               **figures}
    return RunResult(figures, cases, timeseries_table(model), manifest, hops)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_file(path: Path, write: Callable[[Path], None]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_folder(out_dir: Path, writers: dict[str, Callable[[Path], None]]) -> None:
    """Write the files `writers` names into `out_dir`, each atomically.

    Each writer is called with a temporary path and fills it. A new folder is filled under
    a temporary name and renamed into place, so a crash leaves either no folder or a
    complete one; in an existing folder each file is replaced atomically.
    """
    out_dir = Path(out_dir)
    fresh = not out_dir.exists()
    target = out_dir
    if fresh:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        target = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
        os.chmod(target, 0o777 & ~_umask())
    try:
        for name, write in writers.items():
            _write_file(target / name, write)
        if fresh:
            os.rename(target, out_dir)
    except BaseException:
        if fresh:
            for f in target.iterdir():
                f.unlink()
            target.rmdir()
        raise


def write_run(result: RunResult, out_dir: Path) -> None:
    """Write the result files into `out_dir`, atomically (see `write_folder`)."""

    def dump(obj):
        return lambda p: p.write_text(json.dumps(obj, indent=2, default=_json_default) + "\n")

    writers = {"cases.parquet": lambda p: result.cases.to_parquet(p, index=False)}
    if result.hops is not None:
        writers["hops.parquet"] = lambda p: result.hops.to_parquet(p, index=False)
    writers |= {"timeseries.parquet": lambda p: result.timeseries.to_parquet(p, index=False),
                "summary.json": dump(result.summary),
                "manifest.json": dump(result.manifest)}
    write_folder(out_dir, writers)


def _json_default(obj):
    if hasattr(obj, "item"):
        return obj.item()
    raise TypeError(f"cannot write {type(obj).__name__} as JSON")
