"""The parameter table of docs/ODD.md, generated from the schema so it cannot drift.

`python -m analysis.paramdoc` rewrites the block between the markers
`<!-- parameters:start -->` and `<!-- parameters:end -->` in docs/ODD.md;
`tests/test_docs.py` fails when the block differs from `parameter_table()`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from simulation.parameters import Param, iter_params
from simulation.scenario import load

START, END = "<!-- parameters:start -->", "<!-- parameters:end -->"
ODD = Path(__file__).resolve().parent.parent / "docs" / "ODD.md"
COMPARED = ("flat_2012", "streets_2019")


def _number(x: float) -> str:
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int) or float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:g}"


def _value(v: Any, p: Param) -> str:
    if p.kind == "records":
        return f"{len(v)} entries (below)"
    if isinstance(v, list):
        return ", ".join(_number(x) if isinstance(x, int | float) else str(x) for x in v) \
            or "none"
    if isinstance(v, bool | int | float):
        return _number(v)
    return str(v)


def _range(p: Param) -> str:
    if p.kind == "bool":
        return "true/false"
    if p.choices:
        return " / ".join(p.choices)
    if p.kind == "kinds":
        return "office kinds"
    if p.kind == "floats":
        return "one > 0 per district"
    if p.kind == "records":
        return f"{_number(p.lo)}–{_number(p.hi)} entries"
    if p.lo is None:
        return ""
    return f"{_number(p.lo)}–{_number(p.hi)}"


def _get(tree: dict, dotted: str) -> Any:
    for part in dotted.split("."):
        tree = tree[part]
    return tree


def parameter_table() -> str:
    """Every parameter: key, default, unit, range, source, meaning, and its value in the
    compared scenarios where it differs from the default."""
    scenarios = [load(n) for n in COMPARED]
    head = ["Key", "Default", "Unit", "Range", "Source", "Meaning", *COMPARED]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    records = []
    for key, p in iter_params():
        cells = [f"`{key}`", _value(p.default, p), p.unit, _range(p), p.source, p.doc]
        for s in scenarios:
            v = _get(s.params, key)
            default = p.default if p.kind != "records" else v
            cells.append("" if v == default else _value(v, p))
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
        if p.kind == "records":
            records.append((key, p))
    for key, p in records:
        lines += ["", f"Fields of each entry of `{key}`:", "",
                  "| Field | Default | Unit | Range | Meaning |", "|---|---|---|---|---|"]
        for name, f in p.record.items():
            default = "required" if f.default is None else _value(f.default, f)
            lines.append(f"| `{name}` | {default} | {f.unit} | {_range(f)} | {f.doc} |")
        lines += ["", f"Default entries of `{key}`:", ""]
        fields = list(p.record)
        lines += ["| " + " | ".join(fields) + " |", "|" + "---|" * len(fields)]
        for r in p.default:
            lines.append("| " + " | ".join(_value(r.get(f, p.record[f].default), p.record[f])
                                           if r.get(f, p.record[f].default) is not None
                                           else "" for f in fields) + " |")
    return "\n".join(lines)


def current_block(text: str) -> str | None:
    """The table now between the markers, or None if the markers are missing."""
    if START not in text or END not in text:
        return None
    return text.split(START, 1)[1].split(END, 1)[0].strip("\n")


def main() -> int:
    text = ODD.read_text(encoding="utf-8")
    if current_block(text) is None:
        print(f"{ODD.name}: the markers {START} and {END} are missing", file=sys.stderr)
        return 2
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    ODD.write_text(f"{before}{START}\n{parameter_table()}\n{END}{after}", encoding="utf-8")
    print(f"updated the parameter table in {ODD.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
