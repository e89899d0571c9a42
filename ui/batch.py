"""Open a batch folder (made by `run.py batch`) for the page: find, check, load, summarise.

The page may read only batch folders inside the allowed roots: the project's batch root
`results/`, its `scenarios/` folder, and any folder named with `run.py ui --batch-root
DIR` (passed on in the environment variable `CGS_UI_BATCH_ROOTS`). Paths are compared
after resolving symbolic links, so a link inside an allowed folder that leads outside is
refused, and so is a batch file (`manifest.json`, `runs/*.parquet`, `*/summary.json`)
that is a link to a file outside. Inside a folder the page reads only the batch's own
files, never a file the user names. Messages and headings name folders relative to
their root (`results/b1`, `<root name>/b1`), never by the server's absolute path.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
ROOTS_ENV = "CGS_UI_BATCH_ROOTS"
#: the project's own allowed folders (relative to the project)
PROJECT_ROOTS = ("results", "scenarios")

#: Figures shown per scenario, when the batch has them (dotted summary names).
HEADLINE = (
    "response_time_min.median", "response_time_km_min.median", "response_time_min.p90",
    "acknowledged_time_min.median", "resolution_time_min.median", "resolved_within_deadline",
    "reach", "service_circle_coverage", "service_circle_coverage_authority",
    "patrol_coverage_1h", "patrol_coverage_24h", "police_p1_within_target", "visit_coverage",
    "load.utilisation.community.all", "tasks.overdue", "repeat_contacts", "petitions",
    "cases.unreached", "mean_trust_end", "load.office_staff", "cost.per_year_cny",
)
ID_COLUMNS = ("run_id", "scenario", "replication", "seed", "days", "scale", "status",
              "error", "wall_time_s")


class BatchFolderError(ValueError):
    """A folder the page will not or cannot open, with the reason (no absolute paths)."""


def allowed_roots() -> list[Path]:
    """The folders the page may read batches from, with symbolic links resolved."""
    roots = [(ROOT / r).resolve() for r in PROJECT_ROOTS]
    for part in os.environ.get(ROOTS_ENV, "").split(os.pathsep):
        if part.strip():
            roots.append(Path(part).expanduser().resolve())
    return roots


def _root_of(real: Path) -> Path | None:
    """The allowed root that holds the resolved path `real`, if any."""
    for r in allowed_roots():
        if real == r or r in real.parents:
            return r
    return None


def display_name(path: Path) -> str:
    """`path` as the page shows it: relative to the project, or to the extra root it is
    in (prefixed with that root's folder name); never absolute."""
    real = Path(path).resolve()
    try:
        return real.relative_to(ROOT.resolve()).as_posix() or "."
    except ValueError:
        pass
    root = _root_of(real)
    if root is not None:
        rel = real.relative_to(root).as_posix()
        return root.name if rel == "." else f"{root.name}/{rel}"
    return "(a folder outside the allowed folders)"


def _allowed_text() -> str:
    extra = len(allowed_roots()) - len(PROJECT_ROOTS)
    text = "/, ".join(PROJECT_ROOTS) + "/"
    if extra:
        text += f" and the {extra} folder(s) given with --batch-root"
    return text


def check_folder(text: str | Path) -> Path:
    """The real (resolved) folder `text` names, if it is an allowed batch folder; else
    BatchFolderError with a message that names no absolute path."""
    shown = str(text or "").strip()
    if not shown:
        raise BatchFolderError("no folder given")
    path = Path(shown).expanduser()
    if path.is_absolute():
        shown = "the folder typed"  # never echo an absolute path back
    else:
        path = ROOT / path
    real = path.resolve()
    if _root_of(real) is None:
        link = " (it is, or passes through, a link that leads outside)" \
            if _root_of(Path(os.path.abspath(path))) is not None else ""
        raise BatchFolderError(
            f"{shown}: outside the folders the page may read{link}: {_allowed_text()}; "
            "start the page with `run.py ui --batch-root DIR` to allow another folder")
    if not real.is_dir():
        raise BatchFolderError(f"{shown}: not a folder")
    if not is_batch_folder(real):
        raise BatchFolderError(f"{shown}: not a batch folder (expected manifest.json and "
                               "runs/*.parquet, as written by `run.py batch`, or run folders "
                               "with summary.json)")
    outside = [f for f in batch_files(real) if _root_of(f.resolve()) is None]
    if outside:
        raise BatchFolderError(f"{shown}: {len(outside)} of its files (e.g. "
                               f"{outside[0].relative_to(real).as_posix()}) are links to "
                               "files outside the folders the page may read")
    return real


def scrub(text: str) -> str:
    """`text` (say an exception message) with every allowed root's and the project's
    absolute path replaced by the name the page shows for it."""
    for root in sorted([*allowed_roots(), ROOT.resolve(), ROOT], key=lambda r: -len(str(r))):
        text = text.replace(str(root), display_name(root) if root != ROOT else ".")
    return text


def batch_files(path: Path) -> list[Path]:
    """Every file the page would read in the batch folder `path`."""
    files = [path / "manifest.json"] if (path / "manifest.json").exists() else []
    files += sorted((path / "runs").glob("*.parquet"))
    files += sorted(path.glob("*/summary.json"))
    return files


def is_batch_folder(path: Path) -> bool:
    if (path / "runs").is_dir() and any((path / "runs").glob("*.parquet")):
        return True
    return any(p.is_file() for p in path.glob("*/summary.json"))


def find_batch_folders(limit: int = 50) -> list[tuple[str, Path]]:
    """Batch folders under `results/` and the extra roots, newest first, as
    (name shown in the page, real path)."""
    found: list[Path] = []
    bases = [(ROOT / "results").resolve()] + allowed_roots()[len(PROJECT_ROOTS):]
    for base in bases:
        if not base.is_dir():
            continue
        for manifest in list(base.glob("manifest.json")) + list(base.glob("*/manifest.json")) \
                + list(base.glob("*/*/manifest.json")):
            folder = manifest.parent.resolve()
            if _root_of(folder) is None:
                continue  # a link leading outside
            if (folder / "runs").is_dir() and folder not in found:
                found.append(folder)
    found.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    return [(display_name(p), p) for p in found[:limit]]


def _load_with_analysis(path: Path) -> pd.DataFrame | None:
    try:
        import analysis
        load = getattr(analysis, "load_batch", None)
        if load is None:
            from analysis.dataset import load_batch as load
    except ImportError:
        return None
    try:
        return load(path)
    except FileNotFoundError:
        return None


def load_folder(path: Path) -> tuple[pd.DataFrame, str]:
    """The runs of a batch folder, one row each, and how they were read."""
    df = _load_with_analysis(path) if (path / "manifest.json").is_file() else None
    if df is not None and len(df):
        return df, "analysis.load_batch"
    files = sorted((path / "runs").glob("*.parquet"))
    if files:
        return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True), \
            "runs/*.parquet"
    rows = []
    for summary in sorted(path.glob("*/summary.json")):
        try:
            data = json.loads(summary.read_text())
        except (OSError, json.JSONDecodeError):
            continue
        data = {k: v for k, v in data.items() if k not in ("by_kind", "by_community")}
        flat = pd.json_normalize(data).iloc[0].to_dict()
        flat["run_id"] = summary.parent.name
        rows.append(flat)
    if rows:
        return pd.DataFrame(rows), "*/summary.json"
    raise BatchFolderError(f"{display_name(path)}: no finished runs yet")


def sweep_keys(path: Path, df: pd.DataFrame) -> list[str]:
    """The batch's swept keys (from its manifest), those present as columns."""
    try:
        sweep = json.loads((path / "manifest.json").read_text())["design"]["sweep"]
        return [k for k in sweep if k in df.columns]
    except (OSError, KeyError, TypeError, json.JSONDecodeError):
        return []


def group_columns(path: Path, df: pd.DataFrame) -> list[str]:
    return (["scenario"] if "scenario" in df.columns else []) + sweep_keys(path, df)


def figure_columns(df: pd.DataFrame) -> list[str]:
    """Numeric figure columns: the headline ones first, then the rest (not ids)."""
    numeric = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])
               and not pd.api.types.is_bool_dtype(df[c]) and c not in ID_COLUMNS]
    head = [c for c in HEADLINE if c in numeric]
    rest = [c for c in numeric if c not in head and not c.startswith(("by_community.",))]
    return head + rest


def per_scenario(path: Path, df: pd.DataFrame) -> pd.DataFrame:
    """Median of each headline figure per scenario (and swept values), with run counts."""
    if "status" in df.columns:
        df = df[df["status"].astype(str) == "ok"]
    groups = group_columns(path, df)
    cols = [c for c in figure_columns(df) if c in HEADLINE] or figure_columns(df)[:12]
    cols = [c for c in cols if c not in groups]
    if not groups:
        out = df[cols].median(numeric_only=True).to_frame().T
        out.insert(0, "runs", len(df))
        return out
    g = df.groupby(groups, dropna=False, observed=True)
    out = g[cols].median(numeric_only=True)
    out.insert(0, "runs", g.size())
    return out.reset_index()


def describe(path: Path) -> dict[str, Any]:
    try:
        m = json.loads((path / "manifest.json").read_text())
    except (OSError, json.JSONDecodeError):
        return {}
    d = m.get("design", {}) if isinstance(m, dict) else {}
    return {k: d.get(k) for k in ("replications", "base_seed", "days", "scale") if k in d}


def scenarios_in(path: Path, df: pd.DataFrame) -> list[str]:
    """The batch's scenarios, in the order of its manifest (the first is the default
    baseline), then any others found in the rows."""
    order: list[str] = []
    try:
        order = list(json.loads((path / "manifest.json").read_text())["scenarios"])
    except (OSError, KeyError, TypeError, json.JSONDecodeError):
        pass
    if "scenario" in df.columns:
        order += [s for s in dict.fromkeys(df["scenario"].astype(str)) if s not in order]
    return order


def comparison(df: pd.DataFrame, baseline: str) -> tuple[pd.DataFrame | None, str]:
    """The comparison table of the comparison issue (`analysis.compare.compare_runs`):
    each scenario against `baseline`, figure by figure, paired by seed. Returns
    (None, reason) when it cannot be made."""
    try:
        from analysis.compare import compare_runs
    except ImportError as exc:
        return None, f"analysis.compare is not available ({exc})"
    if "scenario" not in df.columns or "status" not in df.columns:
        return None, "the runs table has no scenario/status columns"
    try:
        table = compare_runs(df, baseline)
    except (ValueError, KeyError) as exc:
        return None, str(exc)
    return table, "analysis.compare.compare_runs"


def figure_label(column: str, lang: str) -> str:
    from analysis.labels import FIGURES
    f = FIGURES.get(column)
    if f is None:
        return column
    return f.label_zh if lang == "zh" else f.label
