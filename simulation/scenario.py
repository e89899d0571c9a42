"""Scenario files: find, load, derive from a base, validate against the schema.

A scenario file is TOML. Its top level may hold `base` (another scenario, by name in
`scenarios/` or by path relative to the file), `title` and `description`; every other
key is a section of `parameters.SCHEMA`. A derived file holds only the keys it changes.
Every problem raises `ScenarioError` naming the file and the dotted key, in one line of
at most `MESSAGE_LIMIT` characters: a hostile file (binary, not UTF-8, nested thousands
deep, a value of megabytes) is refused with that line, never a traceback.

The shipped scenarios are package data of the `scenarios` package, read through
`importlib.resources`, so they are found in an installed copy as in a checkout.

(Over 400 lines on purpose: every rule a scenario must meet, from the bytes of its file
to the checks across keys, is in this one module, so no path into the model skips one.)
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import reprlib
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .parameters import META_KEYS, OFFICE_KINDS, SCHEMA, Param, defaults, fill_record


def _shipped_folder() -> Path:
    """The folder of the `scenarios` package, wherever it is installed."""
    try:
        return Path(str(resources.files("scenarios")))
    except ModuleNotFoundError:
        raise ModuleNotFoundError(
            "the package `scenarios` (the shipped scenario files) is not importable: "
            "install this project (`pip install .`, or `pip install -e .` again: an "
            "editable install made before `scenarios` was a package does not know it)",
            name="scenarios") from None


#: The folder of the shipped scenario files (package data of `scenarios`).
SCENARIO_DIR = _shipped_folder()
#: A scenario file is a few kilobytes; anything larger is refused before it is parsed.
MAX_FILE_BYTES = 1 << 20
#: Tables and arrays nested deeper than this are refused (the schema is 3 deep).
MAX_DEPTH = 16
#: Longest error message, and longest rendering of a value or key inside one.
MESSAGE_LIMIT = 300
VALUE_LIMIT = 60
#: Largest element of a list of numbers (relative weights), so sums stay finite.
MAX_LIST_NUMBER = 1e6

_short_repr = reprlib.Repr()
_short_repr.maxstring = VALUE_LIMIT
_short_repr.maxother = VALUE_LIMIT
_short_repr.maxlist = 8
_short_repr.maxlevel = 3


def shorten(text: str, limit: int = VALUE_LIMIT) -> str:
    """`text` cut in the middle to at most `limit` characters, on one line."""
    text = str(text)
    if not text.isprintable():  # newlines, control characters: one visible line
        text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    if len(text) <= limit:
        return text
    half = (limit - 3) // 2
    return text[:half] + "..." + text[len(text) - (limit - 3 - half):]


def short_value(value: Any) -> str:
    """A value as it appears in a message: its repr, cut to `VALUE_LIMIT` characters."""
    return shorten(_short_repr.repr(value))


class ScenarioError(ValueError):
    """Bad input (a scenario, an option, a folder), with the file and key at fault.

    Its text is one line of at most `MESSAGE_LIMIT` characters: `FILE: KEY: message`.
    """

    def __init__(self, file: str | Path, key: str, message: str):
        self.file, self.key, self.message = str(file), str(key), str(message)
        file_s, key_s = shorten(self.file, 120), shorten(self.key, 80)
        where = f"{file_s}: {key_s}: " if key_s else f"{file_s}: "
        super().__init__(shorten(where + self.message, MESSAGE_LIMIT))


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
        if _is_file(c):
            return c.resolve()
    names = ", ".join(p.stem for p in available())
    raise ScenarioError(ref_s, "", f"no such scenario file or name (known names: "
                        f"{shorten(names, 200)})")


def _is_file(path: Path) -> bool:
    """`path.is_file()`, False for names the system cannot even look up (too long, NUL)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def load(ref: str | Path) -> Scenario:
    """Load a scenario by name or path, derive it from its bases and validate it."""
    path = resolve(ref)
    raw, meta, chain = _load_chain(path, [])
    params = _fill_records(_merge(defaults(), raw))
    _check_consistency(params, str(path))
    return Scenario(path.stem, str(path), params, meta.get("title", ""),
                    meta.get("description", ""), chain)


def from_params(name: str, params: Any, source: str, path: str = "", title: str = "",
                description: str = "", chain: list[str] | None = None) -> Scenario:
    """A scenario from parameters stored elsewhere (a batch's manifest), validated.

    Keys the parameters lack take the schema's defaults (a batch made before a parameter
    existed). `source` names where they were read, for the error message.

    Raises:
        ScenarioError: naming `source` and the key, if the parameters are not valid.
    """
    if not isinstance(params, dict):
        raise ScenarioError(source, "params", "expected a table of parameters")
    _check_depth(params, Path(source))
    _check_tree(params, SCHEMA, source, "")
    merged = _fill_records(_merge(defaults(), params))
    _check_consistency(merged, source)
    return Scenario(str(name), str(path), merged, str(title), str(description),
                    [str(c) for c in chain] if isinstance(chain, list) else [])


def default_scenario() -> Scenario:
    """The schema defaults alone (the 2011 structure), not read from any file."""
    return Scenario("defaults", "", defaults(), "Schema defaults", "", [])


def _read_toml(path: Path) -> dict[str, Any]:
    """Parse one scenario file; every way it can be unreadable is a `ScenarioError`."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ScenarioError(path, "", f"cannot read: {exc.strerror}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(path, "", f"too large for a scenario file (more than "
                            f"{MAX_FILE_BYTES // 1024} KiB)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(path, "", f"not UTF-8 text (byte {exc.start}); a scenario is a "
                            "TOML text file") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(path, "", f"not valid TOML: {shorten(str(exc), 120)}") from None
    except RecursionError:
        raise ScenarioError(path, "", f"not a usable scenario: arrays or tables nested "
                            f"more than {MAX_DEPTH} deep") from None
    _check_depth(data, path)
    return data


def _check_depth(data: Any, path: Path) -> None:
    """Refuse values nested deeper than `MAX_DEPTH` (without recursion of our own)."""
    stack = [(data, 0, "")]
    while stack:
        node, depth, key = stack.pop()
        if depth > MAX_DEPTH:
            raise ScenarioError(path, key.split(".")[0] if key else "", "not a usable "
                                f"scenario: arrays or tables nested more than {MAX_DEPTH} deep")
        if isinstance(node, dict):
            stack.extend((v, depth + 1, f"{key}.{k}" if key else str(k))
                         for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, depth + 1, key) for v in node)


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
            raise ScenarioError(file, shorten(dotted), f"unknown key (valid keys here: "
                                f"{shorten(valid, 160)})")
        spec = schema[key]
        if isinstance(spec, Param):
            _check_value(value, spec, file, dotted)
        elif not isinstance(value, dict):
            raise ScenarioError(file, dotted, f"expected a table of keys "
                                f"({shorten(', '.join(spec), 120)}), got "
                                f"{type(value).__name__}")
        else:
            _check_tree(value, spec, file, dotted + ".")


def _check_value(value: Any, p: Param, file: str, key: str) -> None:
    def fail(expected: str) -> None:
        raise ScenarioError(file, key, f"expected {expected}, got {short_value(value)}")

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
        if p.hi is not None and len(value) > p.hi:
            fail(f"at most {p.hi:g} numbers")
        for i, v in enumerate(value):
            if not (math.isfinite(v) and 0 < v <= MAX_LIST_NUMBER):
                raise ScenarioError(file, f"{key}[{i}]", f"expected a finite number above 0 "
                                    f"and at most {MAX_LIST_NUMBER:g}, got {short_value(v)}")
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
