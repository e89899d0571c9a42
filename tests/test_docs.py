"""The model documentation keeps up with the code.

docs/ODD.md must name every scenario parameter (as `dotted.key` in backticks) and every
scenario file shipped in scenarios/, so a parameter or scenario added to the code without
a line in the documentation fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

from analysis.paramdoc import current_block, parameter_table
from simulation.parameters import iter_params
from simulation.scenario import available

ROOT = Path(__file__).resolve().parent.parent
ODD = ROOT / "docs" / "ODD.md"


def _odd_text() -> str:
    assert ODD.is_file(), f"missing {ODD}"
    return ODD.read_text(encoding="utf-8")


def _backticked(text: str) -> set[str]:
    """Every string written between single backticks."""
    return set(re.findall(r"`([^`\n]+)`", text))


def test_every_parameter_is_documented():
    quoted = _backticked(_odd_text())
    missing = [key for key, _ in iter_params() if key not in quoted]
    assert not missing, (
        f"{len(missing)} parameter(s) of simulation/parameters.py are not in docs/ODD.md "
        f"(as `key` in backticks): {', '.join(missing)}")


def test_every_scenario_file_is_documented():
    text = _odd_text()
    files = available()
    assert files, "no scenario files found in scenarios/"
    missing = [p.name for p in files if p.name not in text]
    assert not missing, f"scenario file(s) not named in docs/ODD.md: {', '.join(missing)}"


def test_parameter_table_is_generated_from_the_schema():
    block = current_block(_odd_text())
    assert block is not None, "docs/ODD.md lacks the parameter-table markers"
    assert block == parameter_table(), (
        "docs/ODD.md's parameter table differs from the schema: run "
        "`python -m analysis.paramdoc`")
