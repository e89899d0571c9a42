"""One run from scenario to files: run it, collect its figures, write them atomically.

This is the single code path for running one experiment point: `run.py run` and the
batch's point function (`analysis.point`) call `run_point`; `run.py run` writes its
folder with `write_run`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import platform
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

import simulation
from analysis.outputs import write_folder
from simulation import __version__
from simulation.metrics import case_table, hop_table, summary, timeseries_table
from simulation.model import GovernanceModel
from simulation.scenario import Scenario

#: The model's source folder: hashed into every manifest, wherever it is installed.
MODEL_SOURCE = Path(simulation.__file__).resolve().parent
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
    """The package version, a hash of the model's source, and the git commit if any.

    The commit is given only when the model's folder is in a git checkout of this
    project (its parent is the checkout's top); an installed copy has no commit, and
    never fails for want of git.
    """
    return dict(_code_version())


@functools.cache
def _code_version() -> tuple[tuple[str, str], ...]:
    h = hashlib.sha256()
    for path in sorted(MODEL_SOURCE.glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    out = {"version": __version__, "source_sha256": h.hexdigest()[:16]}
    out.update(_git(MODEL_SOURCE.parent))
    return tuple(out.items())


def _git(top: Path) -> dict[str, str]:
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", *args], cwd=top, capture_output=True, text=True,
                                  timeout=5)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    found = git("rev-parse", "--show-toplevel")
    if not found or Path(found).resolve() != top.resolve():
        return {}
    commit = git("rev-parse", "HEAD")
    if not commit:
        return {}
    dirty = git("status", "--porcelain", "--", MODEL_SOURCE.name)
    return {"git_commit": commit, "git_dirty": str(bool(dirty)).lower()}


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


def write_run(result: RunResult, out_dir: Path) -> None:
    """Write the result files (`OUTPUT_FILES`) into `out_dir`, atomically (see
    `analysis.outputs.write_folder`).

    Raises:
        OutputError: naming the file or folder that could not be written.
    """
    def dump(obj):
        return lambda p: p.write_text(json.dumps(_finite(obj), indent=2, allow_nan=False,
                                                 default=_json_default) + "\n")

    writers = {"cases.parquet": lambda p: result.cases.to_parquet(p, index=False)}
    if result.hops is not None:
        writers["hops.parquet"] = lambda p: result.hops.to_parquet(p, index=False)
    writers |= {"timeseries.parquet": lambda p: result.timeseries.to_parquet(p, index=False),
                "summary.json": dump(result.summary), "manifest.json": dump(result.manifest)}
    write_folder(out_dir, writers)


def _finite(obj: Any) -> Any:
    """`obj` with every NaN or infinite number replaced by None: JSON has no NaN."""
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_finite(v) for v in obj]
    if isinstance(obj, float) and (obj != obj or obj in (float("inf"), float("-inf"))):
        return None
    return obj


def _json_default(obj):
    if hasattr(obj, "item"):
        return obj.item()
    raise TypeError(f"cannot write {type(obj).__name__} as JSON")
