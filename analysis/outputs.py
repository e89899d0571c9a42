"""Where results go and how they are written: folder names, checks, atomic writes.

Every command's default result folder is named here (`result_folder`), under
`results/` in the current working directory, never in the installed package. Before a
command computes anything it checks its output (`check_output_folder`): a path that
cannot be a folder is bad input (exit code 2), a folder it may not write is the
environment's problem (exit code 1). Every file is written under a hidden temporary name
and renamed into place (`write_atomic`), so a crash or a full disk leaves whole files
or none; a failed write raises `OutputError`, naming the file.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from simulation.scenario import ScenarioError, shorten

#: Folder (relative to the working directory) of every default result folder.
RESULTS = "results"
#: Longest scenario-names part of a folder name (file systems allow 255 bytes).
NAMES_LIMIT = 120


class OutputError(OSError):
    """A result that cannot be written: the environment's problem (exit code 1)."""

    def __init__(self, path: str | Path, reason: str, code: int | None = None):
        super().__init__(code, reason, str(path))
        self.path, self.reason = str(path), reason

    def __str__(self) -> str:
        return f"cannot write {shorten(self.path, 160)}: {self.reason}"


def result_folder(command: str, scenarios: Sequence[str], days: int | None = None,
                  scale: float | None = None, seed: int | None = None, extra: str = "",
                  ident: dict[str, Any] | None = None) -> Path:
    """The default result folder of a command, under `results/` in the working directory.

    `run_flat_2012_30d_scale1_seed1`, `batch_hierarchy_2011+flat_2012_30d_scale0.1_seed1_
    r10_<hash>`, `siting_flat_2012_seed1_own_block3`: the command, the scenarios, days,
    scale and seed (those the command has), `extra` (e.g. the replications or the
    method), and a hash of `ident` when given (the design and the model's code), so the
    same command finds the same folder and a changed model starts a new one.
    """
    names = "+".join(scenarios)
    if len(names) > NAMES_LIMIT:
        names = names[:NAMES_LIMIT] + "_" + hashlib.sha256(names.encode()).hexdigest()[:8]
    parts = [command, names]
    parts += [f"{days}d"] if days is not None else []
    parts += [f"scale{scale:g}"] if scale is not None else []
    parts += [f"seed{seed}"] if seed is not None else []
    if extra:
        parts.append(extra)
    if ident is not None:
        text = json.dumps(ident, sort_keys=True, default=str)
        parts.append(hashlib.sha256(text.encode()).hexdigest()[:8])
    name = "_".join(parts)
    safe = "".join(c if c.isalnum() or c in "+-_.=" else "-" for c in name)
    return Path.cwd() / RESULTS / safe


def check_output_folder(path: Path, option: str = "--out", may_exist: bool = True) -> None:
    """Check that `path` can be (or is) a folder this process may write into.

    Nothing is created. The first existing folder on the way must be writable: a probe
    file is created there and removed at once.

    Raises:
        ScenarioError: `path`, or a part of it, is a file (bad input: exit code 2), or
            the folder exists and `may_exist` is False.
        OutputError: the folder may not be written (permissions, a read-only or full
            file system): exit code 1.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise ScenarioError(path, option, "exists and is not a folder")
    if path.exists() and not may_exist:
        raise ScenarioError(path, option, "exists already; choose another folder")
    probe = path
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if not probe.is_dir():
        raise ScenarioError(path, option, f"cannot be a folder: {shorten(str(probe), 100)} "
                            "is a file")
    try:
        with tempfile.TemporaryFile(dir=probe):
            pass
    except OSError as exc:
        reason = exc.strerror or str(exc)
        where = "" if probe == path else f" ({option}: nothing may be created in {probe})"
        raise OutputError(path, reason + where, exc.errno) from None


def check_output_file(path: Path, option: str = "--out") -> None:
    """Check that the file `path` may be written: its folder as in `check_output_folder`.

    Raises:
        ScenarioError: `path` is a folder, or its folder cannot be one.
        OutputError: the folder may not be written.
    """
    path = Path(path)
    if path.is_dir():
        raise ScenarioError(path, option, "is a folder; give a file name")
    check_output_folder(path.parent, option)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Call `write(tmp)` on a hidden temporary file beside `path`, then rename it into place.

    Raises:
        OutputError: naming `path`, if the file cannot be written (disk full, no
            permission); the temporary file is removed.
    """
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(path, exc.strerror or str(exc), exc.errno) from exc
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(path, _reason(exc), getattr(exc, "errno", None)) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def make_folder(path: Path) -> None:
    """`path.mkdir(parents=True, exist_ok=True)`, a failure raised as `OutputError`."""
    try:
        Path(path).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(path, _reason(exc), exc.errno) from exc


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC or "No space left" in str(exc):
        return "the disk is full (No space left on device)"
    return exc.strerror or shorten(str(exc), 120)


def write_folder(out_dir: Path, writers: dict[str, Callable[[Path], None]]) -> None:
    """Write the files `writers` names into `out_dir`, each atomically.

    Each writer is called with a temporary path and fills it. A new folder is filled under
    a hidden temporary name and renamed into place, so a crash or a full disk leaves
    either no folder or a complete one; in an existing folder each file is replaced
    atomically.

    Raises:
        OutputError: naming the file (in `out_dir`, not the temporary folder) or the
            folder that could not be written; a new folder is then not left behind.
    """
    out_dir = Path(out_dir)
    fresh = not out_dir.exists()
    target = out_dir
    if fresh:
        make_folder(out_dir.parent)
        try:
            target = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
        except OSError as exc:
            raise OutputError(out_dir, _reason(exc), exc.errno) from None
        os.chmod(target, 0o777 & ~_umask())
    try:
        for name, write in writers.items():
            write_atomic(target / name, write)
        if fresh:
            try:
                os.rename(target, out_dir)
            except OSError as exc:
                raise OutputError(out_dir, _reason(exc), exc.errno) from None
    except OutputError as exc:
        if fresh:
            shutil.rmtree(target, ignore_errors=True)
        failed = Path(exc.path)
        if failed.parent != target:
            raise
        # name the file where the user will look for it, not the temporary folder
        raise OutputError(out_dir / failed.name, exc.reason, exc.errno) from None
    except BaseException:
        if fresh:
            shutil.rmtree(target, ignore_errors=True)
        raise
