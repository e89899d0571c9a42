"""`run.py compare` and `run.py report`, and the headline comparison (the main job)."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import Any

from analysis.argtypes import positive_int
from analysis.batch import format_report, run_batch
from analysis.batch_cli import check_scheduler_workers
from analysis.dataset import is_batch, load_batch, read_manifest
from analysis.design import Design
from analysis.options import all_cores, shared_options
from analysis.outputs import check_output_folder, make_folder, result_folder, write_atomic
from analysis.runs import code_version
from simulation.scenario import ScenarioError, load

#: The headline comparison: chosen to finish in about two minutes on two cores.
HEADLINE_SCENARIOS = ("hierarchy_2011", "flat_2012")
HEADLINE = {"replications": 6, "days": 90, "scale": 1.0}


def check_baseline(batch_dir: Path, baseline: str | None) -> str:
    """The baseline scenario: the one asked for, checked, or the batch's first.

    Raises:
        ScenarioError: naming --baseline, if the batch has no such scenario.
    """
    names = list(read_manifest(batch_dir)["scenarios"])
    if baseline is None:
        if not names:
            raise ScenarioError(batch_dir, "", "the batch has no scenarios")
        return names[0]
    if baseline not in names:
        raise ScenarioError(batch_dir, "--baseline", f"{baseline!r} is not in this batch "
                            f"(scenarios: {', '.join(names)})")
    return baseline


def compare_batch(batch_dir: Path, baseline: str | None, report: bool,
                  lang: str = "both", out: Path | None = None) -> int:
    """Print the comparison of a finished batch and write comparison.csv (and the report)
    into `out` (default: the batch folder); everything is read and computed before
    anything is written."""
    baseline = check_baseline(batch_dir, baseline)
    out = out or batch_dir
    check_output_folder(out)
    # scipy and matplotlib: imported only when a comparison is made
    from analysis.compare import compare_runs, format_comparison
    from analysis.report import make_report

    table = compare_runs(load_batch(batch_dir), baseline)
    text = format_comparison(table, baseline)
    if report:
        path = make_report(batch_dir, baseline, lang, out)
    else:
        make_folder(out)
        write_atomic(out / "comparison.csv", lambda p: table.to_csv(p, index=False))
    print(text)
    print(f"\nWrote {out / 'comparison.csv'}")
    if report:
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
    if args.baseline is not None and args.baseline not in {s.name for s in scenarios}:
        raise ScenarioError("command line", "--baseline", f"{args.baseline!r} is not one of "
                            "the scenarios compared")
    check_scheduler_workers(args)
    design = Design(scenarios, {}, args.replications, args.seed, args.days, args.scale)
    out = out or result_folder("compare", [s.name for s in scenarios], args.days, args.scale,
                               args.seed, f"r{args.replications}",
                               {"design": design.describe(),
                                "model": code_version()["source_sha256"]})
    options = {k: v for k, v in vars(args).items() if k != "func"}
    result = run_batch(design, out, args.workers or all_cores(), args.scheduler,
                       is_batch(out), shlex.join(sys.argv), {"command": "compare", **options},
                       force=args.force)
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
        read_manifest(Path(targets[0]))  # a batch, or one line saying what it is not
        return compare_batch(Path(targets[0]), args.baseline, args.report, args.lang,
                             Path(args.out) if args.out else None)
    return run_then_compare(targets, args, Path(args.out) if args.out else None,
                            args.report)


def cmd_report(args: argparse.Namespace) -> int:
    batch_dir = Path(args.batch_dir)
    baseline = check_baseline(batch_dir, args.baseline)
    from analysis.report import make_report  # matplotlib: only when used

    path = make_report(batch_dir, baseline, args.lang, Path(args.out) if args.out else None)
    print(f"Wrote {path}")
    return 0


def cmd_headline(seed: int = 1, workers: int | None = None, force: bool = False) -> int:
    """The main job: hierarchy_2011 against flat_2012 with intervals, and the report."""
    args = argparse.Namespace(seed=seed, workers=workers, scheduler=None, baseline=None,
                              lang="both", force=force, **HEADLINE)
    print(f"Headline comparison: {' vs '.join(HEADLINE_SCENARIOS)}, "
          f"{HEADLINE['replications']} paired replications of {HEADLINE['days']} days, full "
          f"city (232,000 residents), seeds {seed}..{seed + HEADLINE['replications'] - 1}",
          file=sys.stderr)
    return run_then_compare(list(HEADLINE_SCENARIOS), args, None, report=True)


def _baseline_and_lang() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--baseline", metavar="SCENARIO",
                        help="the scenario the others are compared with (default: the first)")
    parent.add_argument("--lang", choices=("en", "zh", "both"), default="both",
                        help="language of the report's labels (both)")
    return parent


def add_compare_parsers(sub: Any) -> None:
    """Register `run.py compare` and `run.py report`."""
    shared = shared_options("days", "scale", "seed", "workers", "scheduler", "out", "force",
                            help={"out": "batch folder when running scenarios (default "
                                  "results/compare_<scenarios>_<N>d_scale<F>_seed<S>_r<R>_"
                                  "<hash>); with a batch folder, where comparison.csv and "
                                  "the report go (default: that folder)"})
    p = sub.add_parser(
        "compare", parents=[_baseline_and_lang(), shared],
        help="compare scenarios with paired confidence intervals",
        description="Compare every scenario with the baseline on the headline figures: "
        "difference and ratio with 95 % intervals, paired by replication (common random "
        "numbers). Give a batch folder, or two scenarios or more to run the batch first "
        "(resumed if the same command ran before). Prints the table and writes "
        "comparison.csv into the batch folder.")
    p.add_argument("targets", nargs="+", metavar="BATCH_DIR | SCENARIO")
    p.add_argument("--replications", type=positive_int, default=10, metavar="R",
                   help="paired replications per scenario when running scenarios (10)")
    p.add_argument("--report", action="store_true", help="also write report.html")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser(
        "report", parents=[_baseline_and_lang()],
        help="write a self-contained HTML report of a batch",
        description="Write report.html, comparison.csv and figures/ into the batch folder, "
        "or into --out: the question, the scenarios, the differences in plain words, the "
        "comparison table, plots (embedded), the key assumptions, the validation of the "
        "city and the manifest. Opens offline.")
    p.add_argument("batch_dir", metavar="BATCH_DIR")
    p.add_argument("--out", metavar="DIR | FILE.html",
                   help="a folder for the report and its files (default: the batch "
                   "folder), or an .html file for the report alone")
    p.set_defaults(func=cmd_report)
