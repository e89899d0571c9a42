"""The layering rule, read from the code's imports (parsed with `ast`, not grepped):

    simulation  <-  analysis  <-  ui  <-  run.py

`simulation/` (the model) imports nothing of `analysis/`, `ui/` or `run`; `analysis/`
nothing of `ui/` or `run`; `ui/` nothing of `run`. Every import counts: at module level,
inside functions, under `if TYPE_CHECKING:`, relative imports, and `importlib.import_module`
or `__import__` with a constant name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("simulation", "analysis", "ui", "run")
#: What each layer must not import.
FORBIDDEN = {"simulation": {"analysis", "ui", "run"}, "analysis": {"ui", "run"},
             "ui": {"run"}, "run": set()}


def imported_modules(source: str, package: str) -> list[tuple[int, str]]:
    """Every module a source file imports, as (line, dotted name), relative ones resolved
    against `package` (the dotted package the file is in)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = parts[:len(parts) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.append((node.lineno, name))
        elif (isinstance(node, ast.Call) and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
              and ((isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                   or (isinstance(node.func, ast.Name) and node.func.id == "__import__"))):
            found.append((node.lineno, node.args[0].value))
    return found


def violations(source: str, layer: str, package: str) -> list[str]:
    """The imports of a file of `layer` that break the rule, as `line: module`."""
    return [f"{line}: {name}" for line, name in imported_modules(source, package)
            if name.split(".")[0] in FORBIDDEN[layer]]


def project_files() -> list[tuple[Path, str, str]]:
    """(file, layer, package) for every module of the three packages, and run.py."""
    files = [(ROOT / "run.py", "run", "")]
    for layer in LAYERS[:3]:
        for path in sorted((ROOT / layer).rglob("*.py")):
            package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
            files.append((path, layer, package))
    return files


@pytest.mark.parametrize("path, layer, package", project_files(),
                         ids=lambda v: str(v.relative_to(ROOT)) if isinstance(v, Path) else "")
def test_each_module_imports_only_downwards(path, layer, package):
    bad = violations(path.read_text(encoding="utf-8"), layer, package)
    assert not bad, f"{path.relative_to(ROOT)} ({layer}) imports above its layer: {bad}"


def test_every_package_is_checked():
    layers = {layer for _, layer, _ in project_files()}
    assert layers == set(LAYERS)
    assert len(project_files()) > 30


@pytest.mark.parametrize("source, layer, package, expected", [
    ("import analysis.batch\n", "simulation", "simulation", ["1: analysis.batch"]),
    ("from ui import app\n", "analysis", "analysis", ["1: ui"]),
    ("def f():\n    from run import main\n", "ui", "ui", ["2: run"]),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from analysis.point import "
     "Outcome\n", "simulation", "simulation", ["3: analysis.point"]),
    ("import importlib\nimportlib.import_module('ui.state')\n", "analysis", "analysis",
     ["2: ui.state"]),
    ("__import__('analysis')\n", "simulation", "simulation", ["1: analysis"]),
    ("from .. import analysis\n", "simulation", "simulation.sub", []),  # is simulation
    ("from .scenario import load\nimport numpy\n", "simulation", "simulation", []),
    ("from simulation.model import GovernanceModel\n", "ui", "ui", []),
    ("import analysis_extra\n", "simulation", "simulation", []),  # another package
])
def test_the_checker_finds_what_it_must(source, layer, package, expected):
    assert violations(source, layer, package) == expected
