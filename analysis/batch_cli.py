"""`run.py batch`: its options, the design they ask for, and the command itself."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import Any

from analysis.argtypes import positive_int
from analysis.batch import format_report, run_batch, stop_on_sigterm
from analysis.design import Design, parse_sweep
from analysis.options import all_cores, shared_options
from analysis.outputs import result_folder
from analysis.runs import code_version
from simulation.scenario import ScenarioError, load


def add_batch_parser(sub: Any) -> None:
    """Register `run.py batch` on the command line's subparsers."""
    shared = shared_options("days", "scale", "seed", "workers", "scheduler", "out", "force",
                            help={"seed": "base seed: replication r runs with seed S + r, "
                                  "S + R - 1 at most 2**63 - 1 (1)",
                                  "out": "batch folder (default results/batch_<scenarios>_"
                                  "<N>d_scale<F>_seed<S>_r<R>_<hash of the design and model "
                                  "code>)"})
    p = sub.add_parser(
        "batch", parents=[shared],
        help="run scenarios x swept values x replications into a Parquet dataset",
        description="Run every combination of SCENARIO, swept values and replication, on "
        "this machine's cores or a Dask cluster, and write one Parquet row per run, each "
        "run's case and series tables, and a manifest to DIR. Replication r runs with seed "
        "S + r in every scenario (common random numbers). Exit code: 0 all runs ok, 1 some "
        "failed (see the status column) or the output cannot be written, 2 bad input "
        "(nothing written), 130 interrupted.",
        epilog="Example: run.py batch hierarchy_2011 flat_2012 --replications 10 --days 30 "
        "--scale 0.1 --sweep staff.community.caseworker=3,6. Load the results with "
        "analysis.load_batch(DIR); see docs/batch.md.")
    p.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                   help="scenario names in scenarios/ or files")
    p.add_argument("--replications", type=positive_int, default=10, metavar="R",
                   help="replications per scenario and swept values (10)")
    p.add_argument("--sweep", action="append", default=[], metavar="KEY=V1,V2,...",
                   help="a scenario parameter and its values (repeat for a grid); values "
                   "typed as the parameter, lists as a+b, an empty list as none")
    p.add_argument("--resume", action="store_true",
                   help="finish the batch in DIR: skip finished runs, rerun failed ones")
    p.set_defaults(func=cmd_batch)


def default_out(design: Design) -> Path:
    """The batch folder for a design and the model's code: the same command finds the
    same folder, and a changed model starts a new one (its runs would not compare)."""
    return result_folder("batch", [s.name for s in design.scenarios], design.days,
                         design.scale, design.seed, f"r{design.replications}",
                         {"design": design.describe(),
                          "model": code_version()["source_sha256"]})


def design_from_args(args: argparse.Namespace) -> Design:
    """The design the command line asks for, validated (nothing is written).

    Raises:
        ScenarioError: naming the scenario or key at fault.
    """
    scenarios = [load(ref) for ref in args.scenarios]
    names = [s.name for s in scenarios]
    for name in names:
        if names.count(name) > 1:
            raise ScenarioError("SCENARIO", name, "given twice (scenario names must differ: "
                                "they name the partitions of the dataset)")
    sweep: dict[str, list[Any]] = {}
    for text in args.sweep:
        key, values = parse_sweep(text)
        if key in sweep:
            raise ScenarioError("--sweep", key, "swept twice; give all its values in one "
                                "--sweep")
        sweep[key] = values
    design = Design(scenarios, sweep, args.replications, args.seed, args.days, args.scale)
    design.points()  # validates every swept value against every scenario, and the seeds
    return design


def check_scheduler_workers(args: argparse.Namespace) -> None:
    """A remote Dask scheduler has its own workers: --workers does not apply to it.

    Raises:
        ScenarioError: naming --workers.
    """
    if args.scheduler and args.scheduler != "local" and args.workers is not None:
        raise ScenarioError("command line", "--workers", "a Dask scheduler has its own "
                            "workers; --workers only sets the local pool or --scheduler local")


def cmd_batch(args: argparse.Namespace) -> int:
    """`run.py batch`: 0 if every run is ok, 1 if any failed, 2 bad input, 130 Ctrl-C."""
    check_scheduler_workers(args)
    design = design_from_args(args)
    out_dir = Path(args.out) if args.out else default_out(design)
    options = {k: v for k, v in vars(args).items() if k != "func"}
    try:
        with stop_on_sigterm():
            report = run_batch(design, out_dir, args.workers or all_cores(), args.scheduler,
                               args.resume, shlex.join(sys.argv), options, force=args.force)
    except KeyboardInterrupt:
        print(f"\ninterrupted: finished runs are kept in {out_dir}; add --resume to the "
              "same command to do the rest", file=sys.stderr)
        return 130
    print(format_report(report, design, out_dir.resolve()))
    return 1 if report.failed else 0
