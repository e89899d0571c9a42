"""The package installs without the source tree: `pip install .` (not `-e`) ships the
scenario files and report templates as package data, and the installed copy loads a
scenario, finds its templates and names its code version from another folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

from analysis import runs

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("simulation", "analysis", "ui", "scenarios")


def test_every_data_file_is_declared_package_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert set(config["packages"]) == set(PACKAGES)
    data = config["package-data"]
    for package, folder in (("scenarios", ROOT / "scenarios"),
                            ("analysis", ROOT / "analysis" / "templates")):
        files = [p for p in folder.iterdir() if p.is_file() and p.suffix != ".py"]
        assert files
        for path in files:
            rel = path.relative_to(ROOT / package).as_posix()
            assert any(fnmatch(rel, pattern) for pattern in data[package]), rel


def test_code_version_outside_a_git_checkout(tmp_path, monkeypatch):
    here = runs.code_version()
    copy = tmp_path / "simulation"
    shutil.copytree(ROOT / "simulation", copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(runs, "MODEL_SOURCE", copy)
    runs._code_version.cache_clear()
    try:
        there = runs.code_version()
    finally:
        runs._code_version.cache_clear()
    assert there == {"version": here["version"], "source_sha256": here["source_sha256"]}


def test_installed_copy_works_from_another_folder(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, src / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    site = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                           "--target", str(site), str(src)], capture_output=True, text=True,
                          timeout=600)
    if done.returncode and "satisfies the requirement setuptools" in done.stderr:
        pytest.skip("the package index is not reachable to build the wheel")
    assert done.returncode == 0, done.stderr[-2000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    check = ("import simulation, analysis\n"
             "from simulation.scenario import load, available\n"
             "from analysis.report import ENVIRONMENT\n"
             "from analysis.runs import code_version\n"
             "s = load('flat_2012')\n"
             "print(s.path)\n"
             "print(len(available()))\n"
             "print(ENVIRONMENT.get_template('report.html').filename)\n"
             "print(sorted(code_version()))\n")
    r = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, "
                        f"{str(site)!r})\n" + check], cwd=elsewhere, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    path, count, template, keys = r.stdout.strip().splitlines()
    assert Path(path).is_relative_to(site) and path.endswith("scenarios/flat_2012.toml")
    assert int(count) == len(list((ROOT / "scenarios").glob("*.toml")))
    assert Path(template).is_relative_to(site)
    assert keys == "['source_sha256', 'version']"
