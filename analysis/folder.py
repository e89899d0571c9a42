"""The batch folder: is it new, or the same batch to resume; its lock; its manifest.

A batch folder belongs to one batch. `prepare_folder` refuses a folder that holds
something else, or another batch, before anything is written; `FolderLock` keeps two
processes from filling one folder at once; `new_manifest` records the command, the
design, every scenario parameter, the code and the package versions.
"""

from __future__ import annotations

import fcntl
import platform
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import IO, Any

from analysis import dataset
from analysis.design import PARAMS, Design
from analysis.outputs import OutputError, check_output_folder
from analysis.runs import code_version

PACKAGES = ("numpy", "pandas", "pyarrow", "mesa", "dask", "distributed")


class BatchError(ValueError):
    """A batch that cannot start as asked (folder in use, resume that does not match)."""


def prepare_folder(out_dir: Path, design: Design, resume: bool) -> bool:
    """Check the batch folder against the command; return True if it is new.

    With `resume`, a folder that holds no batch yet starts one (so a script may always
    add --resume).

    Raises:
        BatchError: if the folder holds another batch or something else, or a resumed
            batch does not match the command or the model code.
        ScenarioError: if `out_dir` cannot be a folder, or its manifest is damaged.
        OutputError: if the folder may not be written.
    """
    check_output_folder(out_dir)
    if (out_dir / dataset.MANIFEST).is_file():
        manifest = dataset.read_manifest(out_dir)  # a run's folder or damage: refused
        if not resume:
            raise BatchError(f"--out: {out_dir} already holds a batch; add --resume to "
                             "finish it, or choose another --out")
        check_resume(manifest, design)
        return False
    if out_dir.exists() and any(out_dir.iterdir()):
        raise BatchError(f"--out: {out_dir} exists and is not a batch folder")
    return True


def forget_new_folder(out_dir: Path, lock: FolderLock, created: bool) -> None:
    """Leave no trace of a new batch (or study) whose backend never started: its manifest,
    its lock and, if this command created it, the folder."""
    (out_dir / dataset.MANIFEST).unlink(missing_ok=True)
    lock.release()
    lock.path.unlink(missing_ok=True)
    if created:
        out_dir.rmdir()


def check_resume(manifest: dict[str, Any], design: Design) -> None:
    """Refuse to resume a batch of another design or of other model code."""
    before, now = manifest["design"], design.describe()
    for key in now:
        if before.get(key) != now[key]:
            raise BatchError(f"--resume: {key} differs from the batch in this folder "
                             f"({_cut(before.get(key))} there, {_cut(now[key])} now); give "
                             "the same scenarios and options, or another --out")
    was = manifest.get("code", {}).get("source_sha256")
    here = code_version()["source_sha256"]
    if was != here:
        raise BatchError(f"--resume: the model's source changed since this batch started "
                         f"({was} then, {here} now); its runs would not be comparable. "
                         "Start a new batch with another --out")


def _cut(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class FolderLock:
    """An exclusive lock on a batch folder, so two processes never fill it at once.

    The operating system drops the lock when the process ends, even if it is killed.
    """

    def __init__(self, out_dir: Path):
        self.path = out_dir / ".lock"
        self.handle: IO[str] | None = None

    def __enter__(self) -> FolderLock:
        try:
            self.handle = open(self.path, "a")  # "a": an existing lock file is left as it was
        except OSError as exc:
            raise OutputError(self.path, exc.strerror or str(exc), exc.errno) from None
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.close()
            raise BatchError(f"--out: {self.path.parent} is in use by another batch "
                             "process") from None
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def release(self) -> None:
        """Drop the lock. The file stays: deleting it would let two processes lock two
        different files of the same name."""
        if self.handle is not None:
            self.handle.close()
            self.handle = None


def new_manifest(design: Design, command: str, options: dict[str, Any]) -> dict[str, Any]:
    """The batch manifest: command, design, scenarios with every default, code, times."""
    return {
        "command": command,
        "options": options,
        "design": design.describe(),
        "scenarios": {s.name: {"file": s.path, "chain": s.chain, "sha256": s.digest,
                               **s.to_dict()} for s in design.scenarios},
        "sweep_params": {k: {"kind": PARAMS[k].kind, "unit": PARAMS[k].unit,
                             "doc": PARAMS[k].doc} for k in design.sweep},
        "layout": {"runs": "runs/run-<id>.parquet",
                   "cases": "cases/scenario=<name>/run-<id>.parquet",
                   "timeseries": "timeseries/scenario=<name>/run-<id>.parquet"},
        "code": code_version(),
        "python": platform.python_version(),
        "packages": {p: _version(p) for p in PACKAGES},
        "started_utc": now_utc(),
        "ended_utc": None,
        "sessions": [],
    }


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def now_utc() -> str:
    """The time now, UTC, to the second, ISO 8601."""
    return datetime.now(UTC).isoformat(timespec="seconds")
