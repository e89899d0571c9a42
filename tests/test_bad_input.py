"""Every bad input, across every command, answered in one line with the right exit code,
and nothing written.

Each case is a hostile user's command: a broken scenario file, an option out of range, a
folder of the wrong kind, a damaged batch, a run too large for memory, an output that
cannot be written, a full disk. Each must end with exactly one line on stderr of at most
~300 characters naming the file and key (or the folder, or the option), exit code 2 when
the input or request is at fault and 1 when the environment is, no traceback, and no
file written or changed anywhere (the case's folder, with its inputs, is compared before
and after; the working directory is inside it, so a default `results/` would show).

Run as a script to print the table: `python tests/test_bad_input.py`. (Most of this
file's length is the table of cases, one entry each, kept together on purpose.)
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import run  # noqa: E402

SEED_MAX = 2**63 - 1  # the largest seed of every command

MESSAGE_LIMIT = 310  # "error: " and the message's 300 characters
#: a line of `analysis.progress.ProgressBar` ("flat_2012 [####    ] 1/4 days, 5s")
PROGRESS_LINE = re.compile(r"^(?!error: )\S.* \[[# ]+\] \d+/\d+ ")


@dataclass
class Context:
    """The folder of one case, with copies of a small batch and a run's folder."""

    root: Path
    batch: Path
    run_folder: Path

    def file(self, name: str, text: str | bytes) -> Path:
        path = self.root / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def truncate(self, pattern: str) -> Path:
        """Cut the first file of the batch matching `pattern` to half its size."""
        path = sorted(self.batch.rglob(pattern))[0]
        data = path.read_bytes()
        path.write_bytes(data[:len(data) // 2])
        return path


@dataclass
class Case:
    """A bad input: the command it is given to, its arguments, what must come back."""

    name: str
    args: Callable[[Context], list]
    code: int
    needles: tuple[str, ...]
    patch: Callable[[], contextlib.AbstractContextManager] | None = field(default=None)


def _nested(depth: int, open_: str, close: str) -> str:
    return "[structure]\ncommunities = " + open_ * depth + "1" + close * depth + "\n"


def unwritable(ctx: Context) -> Path:
    """A folder this process cannot write into: a read-only folder, or (as root, whom
    permissions do not stop) the kernel's /sys, where nothing can be created."""
    if os.geteuid() != 0:
        ro = ctx.root / "read-only"
        ro.mkdir(exist_ok=True)
        ro.chmod(0o555)
        return ro / "out"
    sysfs = Path("/sys")
    try:
        with tempfile.TemporaryFile(dir=sysfs):
            pass
    except OSError:
        return sysfs / "cgs-out"
    pytest.skip("no unwritable folder on this machine")


def disk_full() -> contextlib.AbstractContextManager:
    """Every Parquet write fills the disk half-way through and fails with ENOSPC."""
    import pandas as pd

    real = pd.DataFrame.to_parquet

    def full(self, path, *args, **kwargs):
        real(self, path, *args, **kwargs)
        with open(path, "r+b") as fh:
            fh.truncate(max(1, os.path.getsize(path) // 2))
        raise OSError(errno.ENOSPC, "No space left on device")

    return mock.patch.object(pd.DataFrame, "to_parquet", full)


def out_of_memory() -> contextlib.AbstractContextManager:
    """Building the model runs out of memory."""
    return mock.patch("analysis.runs.GovernanceModel", side_effect=MemoryError)


def run_args(scenario, *extra) -> list:
    return ["run", scenario, "--days", "1", "--scale", "0.02", *extra]


def batch_args(*extra, scenarios=("hierarchy_2011", "flat_2012")) -> list:
    return ["batch", *scenarios, "--days", "1", "--scale", "0.02", "--replications", "2",
            "--workers", "1", *extra]


def sens_args(*extra) -> list:
    return ["sensitivity", "flat_2012", "--days", "1", "--scale", "0.02", "--workers", "1",
            *extra]


W = "structure.district_weights"
HUGE = "x" * 500_000

CASES = [
    # ------------------------------------------------------------------ scenario files
    Case("scenario not UTF-8", lambda c: run_args(c.file("latin1.toml", "title = 'caf\xe9'\n"
         .encode("latin-1"))), 2, ("latin1.toml", "UTF-8")),
    Case("scenario of binary garbage", lambda c: ["validate", c.file(
        "garbage.toml", bytes(range(256)) * 4)], 2, ("garbage.toml", "UTF-8")),
    Case("scenario with NUL bytes (valid UTF-8)", lambda c: run_args(c.file(
        "nul.toml", b"\x00\x01\x02[[[")), 2, ("nul.toml", "not valid TOML")),
    Case("arrays nested 5,000 deep", lambda c: run_args(c.file("deep.toml", _nested(
        5000, "[", "]"))), 2, ("deep.toml", "nested")),
    Case("inline tables nested 5,000 deep", lambda c: ["validate", c.file(
        "deep_tables.toml", "x = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n")], 2,
        ("deep_tables.toml", "nested")),
    Case("arrays nested 40 deep (parses)", lambda c: run_args(c.file("deep40.toml", _nested(
        40, "[", "]"))), 2, ("deep40.toml", "structure", "nested")),
    Case("district weight NaN", lambda c: run_args(c.file("nan.toml", "[structure]\n"
         "districts = 3\ndistrict_weights = [nan, 1.0, 1.0]\n")), 2, (f"{W}[0]", "finite")),
    Case("district weight inf", lambda c: run_args(c.file("inf.toml", "[structure]\n"
         "districts = 3\ndistrict_weights = [1.0, inf, 1.0]\n")), 2, (f"{W}[1]", "finite")),
    Case("district weight 1e300", lambda c: run_args(c.file("big.toml", "[structure]\n"
         "districts = 3\ndistrict_weights = [1e300, 1e300, 1e300]\n")), 2, (f"{W}[0]",)),
    Case("district weight negative", lambda c: ["validate", c.file("neg.toml", "[structure]"
         "\ndistricts = 3\ndistrict_weights = [-1, 2, 3]\n")], 2, (f"{W}[0]",)),
    Case("60 district weights", lambda c: run_args(c.file("many.toml", "[structure]\n"
         "district_weights = [" + ", ".join(["1.0"] * 60) + "]\n")), 2, (W, "at most 50")),
    Case("scenario file of 2 MB", lambda c: run_args(c.file("large.toml", "# " + "x" * 2_000_000
         + "\n")), 2, ("large.toml", "too large")),
    Case("value of 500 KB", lambda c: run_args(c.file("long_value.toml", f'[police]\n'
         f'embedding = "{HUGE}"\n')), 2, ("police.embedding", "one of")),
    Case("key of 10,000 characters", lambda c: ["validate", c.file(
        "long_key.toml", "[structure]\n" + "k" * 10_000 + " = 1\n")], 2, ("unknown key",)),
    Case("title not a string", lambda c: run_args(c.file("title.toml", "title = 3\n")), 2,
         ("title.toml", "title", "string")),
    Case("bases in a cycle", lambda c: run_args(c.file("a.toml", 'base = "b.toml"\n')) if
         c.file("b.toml", 'base = "a.toml"\n') else [], 2, ("base", "cycle")),
    Case("scenario name of 5,000 characters", lambda c: run_args("s" * 5000), 2,
         ("no such scenario",)),
    Case("a folder given as the scenario", lambda c: ["validate", c.root], 2,
         ("no such scenario",)),
    # ------------------------------------------------------------------ options
    Case("run --seed 2**70", lambda c: run_args("flat_2012", "--seed", str(2**70)), 2,
         ("--seed", "2**63 - 1")),
    Case("batch --seed 2**70", lambda c: batch_args("--seed", str(2**70)), 2, ("--seed",)),
    Case("batch seeds past 2**63 - 1", lambda c: batch_args("--seed", str(SEED_MAX)), 2,
         ("--seed", "2**63 - 1")),
    Case("sensitivity --seed 2**64", lambda c: sens_args("--param", "hotline.share=0:1",
         "--seed", str(2**64)), 2, ("--seed",)),
    Case("compare --seed -5", lambda c: ["compare", "hierarchy_2011", "flat_2012", "--seed",
         "-5"], 2, ("--seed",)),
    Case("run --days 100000", lambda c: ["run", "flat_2012", "--days", "100000"], 2,
         ("--days: this run needs about", "GB", "--force")),
    Case("batch --days 100000", lambda c: batch_args("--days", "100000", "--scale", "1"), 2,
         ("--days: this run needs about", "GB")),
    Case("compare --days 100000", lambda c: ["compare", "hierarchy_2011", "flat_2012",
         "--days", "100000", "--out", c.root / "cmp"], 2, ("--days: this batch needs about",)),
    Case("sensitivity --days 100000", lambda c: sens_args("--param", "hotline.share=0:1",
         "--days", "100000", "--scale", "1"), 2, ("--days: this run needs about",)),
    Case("run --scale 1e-9 (no resident sampled)", lambda c: run_args("flat_2012", "--scale",
         "1e-9"), 2, ("--scale: 1e-09 samples no resident",)),
    Case("batch --scale 1e-9", lambda c: batch_args("--scale", "1e-9"), 2,
         ("--scale: 1e-09 samples no resident",)),
    Case("run --scale nan", lambda c: ["run", "flat_2012", "--scale", "nan"], 2,
         ("--scale",)),
    Case("run --days abc", lambda c: ["run", "flat_2012", "--days", "abc"], 2, ("--days",)),
    Case("batch --replications 0", lambda c: batch_args("--replications", "0"), 2,
         ("--replications",)),
    Case("sweep of NaN weights", lambda c: batch_args("--sweep", f"{W}=nan+1+1"), 2,
         (W, "finite")),
    Case("sweep of 1e300 weights", lambda c: batch_args("--sweep", f"{W}=1e300+1+1"), 2,
         (W,)),
    Case("sweep of an unknown key", lambda c: batch_args("--sweep", "staff.comunity.x=1,2"),
         2, ("--sweep", "unknown parameter")),
    Case("sweep value of 100 KB", lambda c: batch_args("--sweep", "police.embedding="
         + "y" * 100_000), 2, ("police.embedding",)),
    Case("sweep value given twice", lambda c: batch_args("--sweep", "hotline.share=0.5,0.5"),
         2, ("hotline.share", "twice")),
    Case("batch scenario given twice", lambda c: batch_args(scenarios=("flat_2012",
         "flat_2012")), 2, ("flat_2012", "twice")),
    Case("--workers with a remote scheduler", lambda c: batch_args(
        "--scheduler", "tcp://127.0.0.1:9", "--workers", "2"), 2, ("--workers",)),
    Case("sensitivity unknown parameter", lambda c: sens_args("--param", "no.such=0:1"), 2,
         ("--param", "unknown")),
    Case("sensitivity LOW above HIGH", lambda c: sens_args("--param", "hotline.share=1:0"),
         2, ("hotline.share", "LOW < HIGH")),
    Case("sensitivity NaN bound", lambda c: sens_args("--param", "hotline.share=nan:1"), 2,
         ("hotline.share", "finite")),
    Case("sensitivity on a switch", lambda c: sens_args("--param", "hotline.enabled=0:1"), 2,
         ("hotline.enabled", "numeric")),
    Case("sobol sample not a power of 2", lambda c: sens_args(
        "--param", "hotline.share=0:1", "--method", "sobol", "--trajectories", "6"), 2,
        ("--trajectories", "power of 2")),
    Case("compare one scenario", lambda c: ["compare", "flat_2012", "--out", c.root / "x"],
         2, ("two scenarios",)),
    Case("compare --baseline not compared", lambda c: ["compare", "hierarchy_2011",
         "flat_2012", "--baseline", "streets_2019"], 2, ("--baseline",)),
    # ------------------------------------------------------------------ folders
    Case("run --out is a file", lambda c: run_args("flat_2012", "--out", c.file("f", "x")),
         2, ("--out", "not a folder")),
    Case("run --out under a file", lambda c: run_args("flat_2012", "--out", c.file(
        "f", "x") / "sub"), 2, ("--out", "is a file")),
    Case("run --out unwritable", lambda c: run_args("flat_2012", "--out", unwritable(c)), 1,
         ("cannot write",)),
    Case("batch --out a non-batch folder", lambda c: batch_args("--out", c.file(
        "x.txt", "x").parent), 2, ("--out", "not a batch folder")),
    Case("batch --out a run's folder", lambda c: batch_args("--out", c.run_folder), 2,
         ("one run",)),
    Case("batch --out a batch, no --resume", lambda c: batch_args("--out", c.batch), 2,
         ("--resume",)),
    Case("batch --resume another design", lambda c: batch_args(
        "--out", c.batch, "--resume", "--days", "3"), 2, ("--resume", "days")),
    Case("batch --out unwritable", lambda c: batch_args("--out", unwritable(c)), 1,
         ("cannot write",)),
    Case("batch --out under a file", lambda c: batch_args("--out", c.file("f", "x") / "b"),
         2, ("--out",)),
    Case("report --out unwritable", lambda c: ["report", c.batch, "--out", unwritable(c)],
         1, ("cannot write",)),
    Case("report --out under a file", lambda c: ["report", c.batch, "--out",
                                                 c.file("f", "x") / "r"], 2, ("--out",)),
    Case("report --out FILE.html is a folder", lambda c: ["report", c.batch, "--out",
         _folder(c.root / "page.html")], 2, ("page.html", "folder")),
    Case("compare --out under a file", lambda c: ["compare", "hierarchy_2011", "flat_2012",
         "--days", "1", "--scale", "0.02", "--out", c.file("f", "x") / "c"], 2, ("--out",)),
    # ------------------------------------------------------------------ damaged batches
    Case("compare a truncated run row", lambda c: ["compare", c.batch] if c.truncate(
        "runs/run-*.parquet") else [], 2, ("run-", "Parquet")),
    Case("report a truncated run row", lambda c: ["report", c.batch] if c.truncate(
        "runs/run-*.parquet") else [], 2, ("run-", "Parquet")),
    Case("resume a truncated run row", lambda c: batch_args("--out", c.batch, "--resume")
         if c.truncate("runs/run-*.parquet") else [], 2, ("run-", "Parquet")),
    Case("report a truncated case table", lambda c: ["report", c.batch] if c.truncate(
        "cases/*/run-*.parquet") else [], 2, ("run-", "Parquet")),
    Case("compare a run's folder", lambda c: ["compare", c.run_folder], 2, ("one run",)),
    Case("report a run's folder", lambda c: ["report", c.run_folder], 2, ("one run",)),
    Case("compare a folder with no batch", lambda c: ["compare", _folder(c.root / "empty")],
         2, ("not a batch folder",)),
    Case("report a missing folder", lambda c: ["report", c.root / "missing"], 2,
         ("not a batch folder",)),
    Case("compare --baseline not in the batch", lambda c: ["compare", c.batch,
                                                           "--baseline", "nosuch"], 2,
         ("--baseline", "nosuch")),
    Case("report manifest not JSON", lambda c: ["report", c.batch] if c.file(
        "batch/manifest.json", "{not json") else [], 2, ("manifest.json", "JSON")),
    Case("report manifest without design", lambda c: ["report", c.batch] if c.file(
        "batch/manifest.json", '{"scenarios": {}, "sessions": []}') else [], 2,
        ("manifest.json", "design")),
    Case("report manifest with hostile parameters", lambda c: ["report", c.batch] if
         _hostile_manifest(c) else [], 2, ("manifest.json", "structure.communities")),
    Case("report: the baseline's runs all failed", lambda c: ["report", failed_baseline(c)],
         2, ("--baseline", "no finished runs")),
    Case("compare: the baseline's runs all failed", lambda c: ["compare", failed_baseline(c)],
         2, ("--baseline", "no finished runs")),
    # ------------------------------------------------------------------ environment
    Case("run: disk full", lambda c: run_args("flat_2012", "--out", c.root / "out"), 1,
         ("disk is full",), patch=disk_full),
    Case("run: out of memory", lambda c: run_args("flat_2012", "--out", c.root / "out"), 1,
         ("out of memory",), patch=out_of_memory),
]


def failed_baseline(ctx: Context) -> Path:
    """A batch whose first scenario (the default baseline) cannot be built: 4,000
    communities pass the schema but not the map, so each of its runs is a failed row."""
    scenario = ctx.file("too_many.toml", "[structure]\ncommunities = 4000\n"
                        "street_offices = 0\n")
    out = ctx.root / "failed"
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        assert run.main(["batch", str(scenario), "flat_2012", "--days", "1", "--scale",
                         "0.02", "--replications", "1", "--workers", "1", "--out",
                         str(out)]) == 1
    return out


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


def _hostile_manifest(ctx: Context) -> bool:
    import json

    path = ctx.batch / "manifest.json"
    manifest = json.loads(path.read_text())
    name = next(iter(manifest["scenarios"]))
    manifest["scenarios"][name]["params"]["structure"]["communities"] = "many"
    path.write_text(json.dumps(manifest))
    return True


# ---------------------------------------------------------------------- the harness
def listing(root: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under `root` with its size and modification time."""
    out = {}
    for path in sorted(root.rglob("*")):
        st = path.lstat()
        out[str(path.relative_to(root))] = (st.st_size if path.is_file() else -1,
                                            st.st_mtime_ns)
    return out


@contextlib.contextmanager
def inside(folder: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def prepare(case: Case, root: Path, batch: Path, run_folder: Path) -> list[str]:
    """Set up the case in `root` (with copies of the inputs); return its arguments."""
    root.mkdir(parents=True, exist_ok=True)
    ctx = Context(root, root / "batch", root / "run")
    shutil.copytree(batch, ctx.batch)
    shutil.copytree(run_folder, ctx.run_folder)
    return [str(a) for a in case.args(ctx)]


def probe(case: Case, root: Path, batch: Path, run_folder: Path) -> tuple[int, str, bool]:
    """Run one case in `root`; return its exit code, its stderr, and whether nothing
    was written (the folder, with the inputs the case set up, is unchanged)."""
    argv = prepare(case, root, batch, run_folder)
    before = listing(root)
    err, out = io.StringIO(), io.StringIO()
    patch = case.patch() if case.patch else contextlib.nullcontext()
    with inside(root), patch, contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        try:
            code = run.main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, err.getvalue(), listing(root) == before


def make_inputs(folder: Path) -> tuple[Path, Path]:
    """A tiny finished batch and one run's folder, the inputs of the folder cases."""
    batch, run_folder = folder / "batch", folder / "run"
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        assert run.main(["batch", "hierarchy_2011", "flat_2012", "--days", "1", "--scale",
                         "0.02", "--replications", "2", "--workers", "1", "--out",
                         str(batch)]) == 0
        assert run.main(["run", "flat_2012", "--days", "1", "--scale", "0.02", "--out",
                         str(run_folder)]) == 0
    return batch, run_folder


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> tuple[Path, Path]:
    return make_inputs(tmp_path_factory.mktemp("inputs"))


def command_of(case: Case, folder: Path, inputs: tuple[Path, Path]) -> str:
    """The command a case is given to (set up in `folder`)."""
    try:
        return prepare(case, folder, *inputs)[0]
    except pytest.skip.Exception:
        return "skipped"


def test_at_least_40_cases_across_every_command(tmp_path, inputs):
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)
    commands = {command_of(c, tmp_path / str(i), inputs) for i, c in enumerate(CASES)}
    assert {"run", "validate", "batch", "compare", "report", "sensitivity"} <= commands


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_one_line_exit_code_nothing_written(case, inputs, tmp_path):
    code, err, untouched = probe(case, tmp_path / "case", *inputs)
    # a run slower than the progress bar's delay (a loaded machine) draws its bar first
    lines = [ln for ln in err.strip().splitlines() if not PROGRESS_LINE.match(ln)]
    assert code == case.code, err
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and len(lines[0]) <= MESSAGE_LIMIT, lines[0]
    for needle in case.needles:
        assert needle in lines[0], (needle, lines[0])
    assert "Traceback" not in err
    assert untouched, "something was written or changed"


def test_scenarios_lists_an_invalid_file_in_one_line(tmp_path, monkeypatch, run_py):
    """`run.py scenarios` lists a broken shipped file as INVALID, in one line."""
    from simulation import scenario

    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "ok.toml").write_text('title = "fine"\n')
    (folder / "broken.toml").write_bytes(b"\xff" * 10)
    monkeypatch.setattr(scenario, "SCENARIO_DIR", folder)
    r = run_py("scenarios", "--brief")
    assert r.returncode == 0
    assert [ln.split()[:2] for ln in r.stdout.splitlines()] == [["broken", "INVALID"],
                                                               ["ok", "fine"]]


def test_tiny_scale_warns_and_runs(tmp_path, run_py):
    r = run_py("run", "flat_2012", "--days", "1", "--scale", "2e-5", "--out", tmp_path / "o")
    assert r.returncode == 0
    assert r.stderr.startswith("warning: --scale 2e-05") and "noise" in r.stderr
    assert (tmp_path / "o" / "summary.json").is_file()


def test_force_runs_past_the_memory_estimate(tmp_path, run_py, monkeypatch):
    from analysis import sizing

    monkeypatch.setattr(sizing, "available_mb", lambda *a: (100.0, "assumed"))
    r = run_py("run", "flat_2012", "--days", "1", "--scale", "0.02", "--out", tmp_path / "o")
    assert r.returncode == 2 and "100 MB assumed" in r.stderr
    r = run_py("run", "flat_2012", "--days", "1", "--scale", "0.02", "--out", tmp_path / "o",
               "--force")
    assert r.returncode == 0 and (tmp_path / "o" / "summary.json").is_file()


def test_documented_list_sweeps_run(tmp_path, run_py):
    """The list sweeps of docs/batch.md, which crashed with TypeError, run."""
    r = run_py("batch", "hierarchy_2011", "--days", "1", "--scale", "0.02", "--replications",
               "1", "--workers", "1", "--sweep", "authority.complex.community=welfare+dispute,"
               "none", "--sweep", f"{W}=1+2+3,79+104+65", "--out", tmp_path / "b")
    assert r.returncode == 0, r.stderr
    import analysis

    runs = analysis.load_batch(tmp_path / "b")
    assert set(runs["authority.complex.community"]) == {"welfare+dispute", "none"}
    assert set(runs[W]) == {"1.0+2.0+3.0", "79.0+104.0+65.0"}
    assert len(runs) == 4 and (runs["status"] == "ok").all()


def test_disk_full_in_a_batch_keeps_only_whole_files(tmp_path, run_py):
    with disk_full():
        r = run_py("batch", "flat_2012", "--days", "1", "--scale", "0.02", "--replications",
                   "1", "--workers", "1", "--out", tmp_path / "b")
    assert r.returncode == 1 and r.stderr.strip().splitlines()[-1].startswith("error: ")
    assert "disk is full" in r.stderr
    assert not list((tmp_path / "b").rglob("*.tmp"))  # no half-written file is kept
    assert not list((tmp_path / "b").rglob("*.parquet"))


def main() -> None:
    """Print the table of every case: bad input, command, exit code, message, nothing
    written."""
    with tempfile.TemporaryDirectory() as tmp:
        inputs_ = make_inputs(Path(tmp) / "inputs")
        print("| # | bad input | command | exit | message | nothing written |")
        print("|---:|---|---|---:|---|---|")
        for i, case in enumerate(CASES, 1):
            try:
                code, err, untouched = probe(case, Path(tmp) / f"case{i}", *inputs_)
            except pytest.skip.Exception as exc:
                print(f"| {i} | {case.name} | skipped: {exc} | | | |")
                continue
            message = err.strip().replace("|", "\\|").replace("\n", " ⏎ ")
            ok = "yes" if untouched else "NO"
            flag = "" if code == case.code else f" (expected {case.code})"
            command = command_of(case, Path(tmp) / f"command{i}", inputs_)
            print(f"| {i} | {case.name} | {command} | {code}{flag} | `{message}` | {ok} |")


if __name__ == "__main__":
    main()
