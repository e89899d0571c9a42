"""Shared fixtures: models and runs are built once per session and reused."""

from __future__ import annotations

import functools
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.runs import run_point  # noqa: E402
from simulation.model import GovernanceModel  # noqa: E402
from simulation.scenario import load  # noqa: E402

SMALL = {"seed": 3, "scale": 0.1, "days": 14}


@functools.cache
def built(name: str, seed: int = 1, scale: float = 1.0, days: int = 1) -> GovernanceModel:
    """A model built (not run); cached, so treat it as read-only."""
    return GovernanceModel(name, seed=seed, scale=scale, days=days)


@functools.cache
def small_run(name: str, seed: int = SMALL["seed"], scale: float = SMALL["scale"],
              days: int = SMALL["days"]):
    """A finished small run (RunResult); cached."""
    return run_point(load(name), seed, scale, days)


@pytest.fixture(scope="session")
def flat_city():
    return built("flat_2012")


@pytest.fixture(scope="session")
def hierarchy_city():
    return built("hierarchy_2011")


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run `python run.py ARGS` as a user would."""
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


@dataclass
class Finished:
    """What a command left: its exit code and what it printed."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run_py(capsys):
    """Call `run.main(ARGS)` in this process, as `python run.py ARGS` would run; return
    its exit code (argparse's own exits included) and what it printed."""
    import run

    def call(*args: str) -> Finished:
        capsys.readouterr()
        try:
            code = run.main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out = capsys.readouterr()
        return Finished(code, out.out, out.err)

    return call
