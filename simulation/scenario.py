"""Scenario files: find, load, derive from a base, validate against the schema.

A scenario file is TOML. Its top level may hold `base` (another scenario, by name in
`scenarios/` or by path relative to the file), `title` and `description`; every other
key is a section of `parameters.SCHEMA`. A derived file holds only the keys it changes.
Every problem raises `ScenarioError` naming the file and the dotted key.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .parameters import META_KEYS, OFFICE_KINDS, SCHEMA, Param, defaults, fill_record

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"


class ScenarioError(ValueError):
    """A scenario that cannot be used, with the file and key at fault."""

    def __init__(self, file: str | Path, key: str, message: str):
        self.file, self.key, self.message = str(file), key, message
        where = f"{self.file}: {key}: " if key else f"{self.file}: "
        super().__init__(where + message)


@dataclass
class Scenario:
    """A validated scenario with every default filled in.

    Attributes:
        name: file stem (e.g. "flat_2012").
        path: the file it came from ("" for the built-in defaults).
        params: nested dict of every parameter (see `parameters.SCHEMA`).
        title, description: from the file (or its base).
        chain: the files it was derived from, the file itself last.
    """

    name: str
    path: str
    params: dict[str, Any]
    title: str = ""
    description: str = ""
    chain: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "description": self.description,
                "params": self.params}

    @property
    def digest(self) -> str:
        """SHA-256 of the filled-in parameters: equal digests, equal models."""
        text = json.dumps(self.params, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    def with_overrides(self, overrides: dict[str, Any], label: str = "override") -> Scenario:
        """A copy with dotted-key overrides (`{"staff.city.caseworker": 50}`), validated."""
        raw: dict[str, Any] = {}
        for dotted, value in overrides.items():
            node = raw
            *parents, last = dotted.split(".")
            for p in parents:
                node = node.setdefault(p, {})
            node[last] = value
        _check_tree(raw, SCHEMA, label, "")
        params = _fill_records(_merge(copy.deepcopy(self.params), raw))
        _check_consistency(params, label)
        return Scenario(self.name, self.path, params, self.title, self.description,
                        self.chain + [label])


def available() -> list[Path]:
    """Scenario files shipped in `scenarios/`, sorted by name."""
    return sorted(SCENARIO_DIR.glob("*.toml"))


def resolve(ref: str | Path, relative_to: Path | None = None) -> Path:
    """Turn a scenario name or path into an existing file path."""
    ref_s = str(ref)
    candidates = []
    if relative_to is not None:
        candidates.append(relative_to / ref_s)
        if not ref_s.endswith(".toml"):
            candidates.append(relative_to / (ref_s + ".toml"))
    candidates.append(Path(ref_s))
    if not ref_s.endswith(".toml") and "/" not in ref_s:
        candidates.append(SCENARIO_DIR / (ref_s + ".toml"))
    for c in candidates:
        if c.is_file():
            return c.resolve()
    names = ", ".join(p.stem for p in available())
    raise ScenarioError(ref_s, "", f"no such scenario file or name (known names: {names})")


def load(ref: str | Path) -> Scenario:
    """Load a scenario by name or path, derive it from its bases and validate it."""
    path = resolve(ref)
    raw, meta, chain = _load_chain(path, [])
    params = _fill_records(_merge(defaults(), raw))
    _check_consistency(params, str(path))
    return Scenario(path.stem, str(path), params, meta.get("title", ""),
                    meta.get("description", ""), chain)


def default_scenario() -> Scenario:
    """The schema defaults alone (the 2011 structure), not read from any file."""
    return Scenario("defaults", "", defaults(), "Schema defaults", "", [])


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(path, "", f"not valid TOML: {exc}") from None
    except OSError as exc:
        raise ScenarioError(path, "", f"cannot read: {exc.strerror}") from None


def _load_chain(path: Path, seen: list[str]) -> tuple[dict, dict, list[str]]:
    if str(path) in seen:
        raise ScenarioError(path, "base", "scenarios derive from each other in a cycle: "
                            + " -> ".join(seen + [str(path)]))
    data = _read_toml(path)
    meta = {k: data.pop(k) for k in list(data) if k in META_KEYS}
    for k, v in meta.items():
        if not isinstance(v, str):
            raise ScenarioError(path, k, f"expected a string, got {type(v).__name__}")
    _check_tree(data, SCHEMA, str(path), "")
    if meta.get("base"):
        try:
            base_path = resolve(meta["base"], relative_to=path.parent)
        except ScenarioError:
            raise ScenarioError(path, "base", f"base scenario {meta['base']!r} not found "
                                "(give a name in scenarios/ or a path relative to this "
                                "file)") from None
        base_raw, base_meta, chain = _load_chain(base_path, seen + [str(path)])
        merged = _merge(base_raw, data)
        for k in ("title", "description"):
            meta.setdefault(k, base_meta.get(k, ""))
        return merged, meta, chain + [str(path)]
    return data, meta, [str(path)]


def _fill_records(params: dict, schema: dict = SCHEMA) -> dict:
    """Give every record of every list of records the defaults of the fields it omits."""
    for key, spec in schema.items():
        if isinstance(spec, Param):
            if spec.kind == "records":
                params[key] = [fill_record(r, spec.record) for r in params[key]]
        else:
            _fill_records(params[key], spec)
    return params


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def _check_tree(data: dict, schema: dict, file: str, prefix: str) -> None:
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if key not in schema:
            valid = ", ".join(sorted(schema if prefix else list(schema) + list(META_KEYS)))
            raise ScenarioError(file, dotted, f"unknown key (valid keys here: {valid})")
        spec = schema[key]
        if isinstance(spec, Param):
            _check_value(value, spec, file, dotted)
        elif not isinstance(value, dict):
            raise ScenarioError(file, dotted, f"expected a table of keys "
                                f"({', '.join(spec)}), got {type(value).__name__}")
        else:
            _check_tree(value, spec, file, dotted + ".")


def _check_value(value: Any, p: Param, file: str, key: str) -> None:
    def fail(expected: str) -> None:
        raise ScenarioError(file, key, f"expected {expected}, got {value!r}")

    rng = ""
    if p.lo is not None:
        rng = f" between {p.lo:g} and {p.hi:g}" if p.hi is not None else f" >= {p.lo:g}"
    if p.kind == "bool":
        if not isinstance(value, bool):
            fail("true or false")
    elif p.kind in ("int", "float"):
        ok_type = isinstance(value, int) if p.kind == "int" else isinstance(value, int | float)
        if isinstance(value, bool) or not ok_type:
            fail(f"{'a whole number' if p.kind == 'int' else 'a number'}{rng}")
        if isinstance(value, float) and not math.isfinite(value):
            fail(f"a finite number{rng}")
        if (p.lo is not None and value < p.lo) or (p.hi is not None and value > p.hi):
            fail(f"a value{rng}" + (f" ({p.unit})" if p.unit else ""))
    elif p.kind == "str":
        if not isinstance(value, str):
            fail("a string")
        if p.choices and value not in p.choices:
            fail("one of " + ", ".join(repr(c) for c in p.choices))
    elif p.kind == "kinds":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            fail("a list of kinds of need")
        for v in value:
            if v not in OFFICE_KINDS:
                extra = " (public order is handled by the police)" if v == "public_order" else ""
                fail(f"kinds from {', '.join(OFFICE_KINDS)}{extra}")
    elif p.kind == "records":
        _check_records(value, p, file, key)
    elif p.kind == "floats":
        if not isinstance(value, list) or not all(
                isinstance(v, int | float) and not isinstance(v, bool) for v in value):
            fail("a list of numbers")
        if any(v <= 0 for v in value):
            fail("positive numbers")
    else:  # pragma: no cover - schema error
        raise AssertionError(p.kind)


def _check_records(value: Any, p: Param, file: str, key: str) -> None:
    """A list of tables, each with known fields of the right type; names unique."""
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ScenarioError(file, key, "expected a list of tables ([[" + key + "]] entries)")
    if p.lo is not None and not p.lo <= len(value) <= p.hi:
        raise ScenarioError(file, key, f"expected {p.lo:g} to {p.hi:g} entries, got "
                            f"{len(value)}")
    names = set()
    for i, rec in enumerate(value):
        where = f"{key}[{i}]"
        for name_, v in rec.items():
            if name_ not in p.record:
                raise ScenarioError(file, f"{where}.{name_}", "unknown field (valid fields: "
                                    + ", ".join(p.record) + ")")
            if v is not None:
                _check_value(v, p.record[name_], file, f"{where}.{name_}")
        for name_, spec in p.record.items():
            if spec.default is None and name_ not in rec:
                raise ScenarioError(file, f"{where}.{name_}", "missing (required)")
        name = rec.get("name")
        if name in names:
            raise ScenarioError(file, f"{where}.name", f"{name!r} appears twice")
        names.add(name)


def _check_consistency(params: dict[str, Any], file: str) -> None:
    """Checks that involve more than one key."""
    s = params["structure"]
    if s["districts"] > 0 and len(s["district_weights"]) != s["districts"]:
        raise ScenarioError(file, "structure.district_weights",
                            f"expected {s['districts']} weights (one per district), got "
                            f"{len(s['district_weights'])}")
    if s["street_offices"] > s["communities"]:
        raise ScenarioError(file, "structure.street_offices",
                            f"expected at most one street office per community "
                            f"({s['communities']}), got {s['street_offices']}")
    if s["districts"] > max(s["street_offices"], s["communities"]):
        raise ScenarioError(file, "structure.districts",
                            "expected no more districts than the units below them")
    if s["street_offices"] and s["districts"] > s["street_offices"]:
        raise ScenarioError(file, "structure.districts",
                            f"expected at most {s['street_offices']} (one street office or "
                            f"more per district), got {s['districts']}")
    c = params["calendar"]
    if c["office_close_h"] <= c["office_open_h"]:
        raise ScenarioError(file, "calendar.office_close_h",
                            "expected a closing hour after the opening hour")
    if c["lunch_end_h"] < c["lunch_start_h"]:
        raise ScenarioError(file, "calendar.lunch_end_h",
                            "expected the midday break to end after it starts")
    pop = params["population"]
    if pop["jisco_share"] + pop["other_employer_share"] > 1:
        raise ScenarioError(file, "population.other_employer_share",
                            "expected jisco_share + other_employer_share <= 1")
    if pop["elderly_share"] + pop["child_share"] > 1:
        raise ScenarioError(file, "population.child_share",
                            "expected elderly_share + child_share <= 1")
    depts = {d["name"] for d in params["departments"]}
    for kind, name in params["law"]["department"].items():
        if name not in depts:
            raise ScenarioError(file, f"law.department.{kind}", f"{name!r} is not one of the "
                                f"departments ({', '.join(sorted(depts))})")
    for i, t in enumerate(params["task_types"]):
        if t["department"] not in depts:
            raise ScenarioError(file, f"task_types[{i}].department",
                                f"{t['department']!r} is not one of the departments "
                                f"({', '.join(sorted(depts))})")
    r = params["reporting"]
    if r["lunch_end_h"] <= r["lunch_start_h"]:
        raise ScenarioError(file, "reporting.lunch_end_h", "expected a lunch break that ends "
                            "after it starts")
    if r["awake_to_h"] <= r["awake_from_h"]:
        raise ScenarioError(file, "reporting.awake_to_h", "expected awake_to_h after "
                            "awake_from_h")
    o = params["outcome"]
    if o["recontact_share"] + o["escalate_share"] > 1:
        raise ScenarioError(file, "outcome.escalate_share",
                            "expected recontact_share + escalate_share <= 1")
    staff = params["staff"]
    for level in ("community", "street_office", "town", "village"):
        total = staff[level].get("front_desk", 0) + staff[level]["caseworker"]
        active = {"street_office": s["street_offices"] > 0,
                  "village": s["village_service_centres"]}.get(level, True)
        if active and total == 0:
            raise ScenarioError(file, f"staff.{level}.caseworker",
                                f"expected at least one {level} staff member (front desk or "
                                "caseworker), got none")
    if s["districts"] > 0 and staff["district"]["caseworker"] == 0:
        raise ScenarioError(file, "staff.district.caseworker",
                            "expected at least one district caseworker, got 0")
