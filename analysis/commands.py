"""`run.py compare` and `run.py report`, and the headline comparison (the main job)."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import Any

from analysis.argtypes import positive_int, scale_value, seed_value
from analysis.batch import (
    BackendError,
    BatchError,
    Design,
    all_cores,
    format_report,
    run_batch,
)
from analysis.compare import compare_runs, format_comparison
from analysis.dataset import MANIFEST, load_batch, read_manifest
from analysis.report import make_report
from analysis.runs import ROOT, code_version
from simulation.scenario import ScenarioError, load

#: The headline comparison: chosen to finish in about two minutes on two cores.
HEADLINE_SCENARIOS = ("hierarchy_2011", "flat_2012")
HEADLINE = {"replications": 6, "days": 90, "scale": 1.0}


def is_batch(path: str) -> bool:
    return (Path(path) / MANIFEST).is_file()


def default_baseline(batch_dir: Path) -> str:
    return next(iter(read_manifest(batch_dir)["scenarios"]))


def compare_batch(batch_dir: Path, baseline: str | None, report: bool,
                  lang: str = "both") -> int:
    """Print the comparison of a finished batch, write comparison.csv (and the report)."""
    runs = load_batch(batch_dir)
    baseline = baseline or default_baseline(batch_dir)
    try:
        table = compare_runs(runs, baseline)
    except ValueError as exc:
        raise ScenarioError(batch_dir, "--baseline", str(exc)) from None
    table.to_csv(batch_dir / "comparison.csv", index=False)
    print(format_comparison(table, baseline))
    print(f"\nWrote {batch_dir / 'comparison.csv'}")
    if report:
        path = make_report(batch_dir, baseline, lang)
        print(f"Wrote {path}")
    return 0


def run_then_compare(names: list[str], args: argparse.Namespace, out: Path | None,
                     report: bool) -> int:
    """Run the batch (resuming it if this command ran before), then compare."""
    scenarios = [load(n) for n in names]
    if len({s.name for s in scenarios}) < len(scenarios):
        raise ScenarioError("SCENARIO", "", "a scenario is given twice")
    if len(scenarios) < 2:
        raise ScenarioError("SCENARIO", "", "give two scenarios or more (or a batch folder)")
    design = Design(scenarios, {}, args.replications, args.seed, args.days, args.scale)
    out = out or ROOT / "results" / ("compare_" + "+".join(s.name for s in scenarios)
                                     + f"_{args.days}d_scale{args.scale:g}_r"
                                     f"{args.replications}_seed{args.seed}_"
                                     f"{code_version()['source_sha256'][:8]}")
    resume = is_batch(str(out))
    try:
        result = run_batch(design, out, args.workers or all_cores(), args.scheduler, resume,
                           shlex.join(sys.argv), {"command": "compare", **{
                               k: v for k, v in vars(args).items() if k != "func"}})
    except (BatchError, BackendError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_report(result, design, out.resolve()), file=sys.stderr)
    if result.failed:
        print("error: some runs failed; the comparison needs them all (see the batch "
              "summary above)", file=sys.stderr)
        return 1
    print()
    return compare_batch(out, args.baseline or scenarios[0].name, report, args.lang)


def cmd_compare(args: argparse.Namespace) -> int:
    targets = args.targets
    if len(targets) == 1 and Path(targets[0]).is_dir():
        if not is_batch(targets[0]):
            raise ScenarioError(targets[0], "", "not a batch folder (no manifest.json)")
        return compare_batch(Path(targets[0]), args.baseline, args.report, args.lang)
    return run_then_compare(targets, args, Path(args.out) if args.out else None,
                            args.report)


def cmd_report(args: argparse.Namespace) -> int:
    batch_dir = Path(args.batch_dir)
    if not is_batch(args.batch_dir):
        raise ScenarioError(args.batch_dir, "", "not a batch folder (no manifest.json)")
    baseline = args.baseline or default_baseline(batch_dir)
    if baseline not in read_manifest(batch_dir)["scenarios"]:
        raise ScenarioError(batch_dir, "--baseline", f"{baseline!r} is not in this batch")
    path = make_report(batch_dir, baseline, args.lang, Path(args.out) if args.out else None)
    print(f"Wrote {path}")
    return 0


def cmd_headline(seed: int = 1, workers: int | None = None) -> int:
    """The main job: hierarchy_2011 against flat_2012 with intervals, and the report."""
    args = argparse.Namespace(seed=seed, workers=workers, scheduler=None, baseline=None,
                              lang="both", **HEADLINE)
    print(f"Headline comparison: {' vs '.join(HEADLINE_SCENARIOS)}, "
          f"{HEADLINE['replications']} paired replications of {HEADLINE['days']} days, full "
          f"city (232,000 residents), seeds {seed}..{seed + HEADLINE['replications'] - 1}",
          file=sys.stderr)
    return run_then_compare(list(HEADLINE_SCENARIOS), args, None, report=True)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--baseline", metavar="SCENARIO",
                   help="the scenario the others are compared with (default: the first)")
    p.add_argument("--lang", choices=("en", "zh", "both"), default="both",
                   help="language of the report's labels (both)")


def add_compare_parsers(sub: Any) -> None:
    """Register `run.py compare` and `run.py report`."""
    p = sub.add_parser(
        "compare", help="compare scenarios with paired confidence intervals",
        description="Compare every scenario with the baseline on the headline figures: "
        "difference and ratio with 95 %% intervals, paired by replication (common random "
        "numbers). Give a batch folder, or two scenarios or more to run the batch first "
        "(resumed if the same command ran before). Prints the table and writes "
        "comparison.csv into the batch folder.")
    p.add_argument("targets", nargs="+", metavar="BATCH_DIR | SCENARIO")
    _common(p)
    p.add_argument("--replications", type=positive_int, default=10, metavar="R")
    p.add_argument("--days", type=positive_int, default=30, metavar="N")
    p.add_argument("--scale", type=scale_value, default=1.0, metavar="F")
    p.add_argument("--seed", type=seed_value, default=1, metavar="S")
    p.add_argument("--workers", type=positive_int, default=None, metavar="W")
    p.add_argument("--scheduler", metavar="ADDRESS", help="'local' or tcp://HOST:PORT")
    p.add_argument("--out", metavar="DIR", help="batch folder when running scenarios")
    p.add_argument("--report", action="store_true", help="also write report.html")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser(
        "report", help="write a self-contained HTML report of a batch",
        description="Write report.html into the batch folder: the question, the scenarios, "
        "the differences in plain words, the comparison table, plots (embedded), the key "
        "assumptions, the validation of the city and the manifest. Opens offline.")
    p.add_argument("batch_dir", metavar="BATCH_DIR")
    _common(p)
    p.add_argument("--out", metavar="FILE", help="where to write the HTML")
    p.set_defaults(func=cmd_report)
