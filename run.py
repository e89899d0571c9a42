#!/usr/bin/env python3
"""Command line: run scenarios, list and validate them, batches, comparisons, reports.

    python run.py                      # the main job: the headline comparison and report
    python run.py run SCENARIO [--days N] [--seed S] [--scale F] [--out DIR]
    python run.py scenarios
    python run.py validate FILE
    python run.py batch SCENARIO... [--replications R] [--sweep KEY=V1,V2] ...
    python run.py compare BATCH_DIR | SCENARIO SCENARIO... [--baseline S]
    python run.py report BATCH_DIR [--lang en|zh|both] [--out DIR | FILE.html]
    python run.py sensitivity SCENARIO --param KEY=LOW:HIGH ... [--method morris|sobol]
    python run.py siting SCENARIO [--points N] [--objective coverage|access|both]
    python run.py calibrate SCENARIO... --targets FILE [--trials N] [--replications R]
    python run.py explore BASELINE SCENARIO --param KEY=LOW:HIGH ... [--n N]

Exit codes: 0 success; 2 bad input (a scenario file, an option, a folder of the wrong
kind, a damaged batch, a run too large for memory), with one line naming the file and
key, and nothing written; 1 the environment (an output that cannot be written, a full
disk, out of memory) or failed runs; 130 interrupted.
"""

from __future__ import annotations

import argparse
import errno
import sys
import textwrap
from pathlib import Path

if __name__ == "__main__" and sys.argv[1:2] == ["ui"]:
    # the browser page: start it without importing the analysis modules (seconds)
    from ui.cli import main as ui_main

    sys.exit(ui_main())

from analysis.backends import BackendError
from analysis.batch_cli import add_batch_parser
from analysis.calibrate import StudyError
from analysis.calibrate_cli import add_calibrate_parser
from analysis.commands import HEADLINE, add_compare_parsers, cmd_headline
from analysis.explore_cli import add_explore_parser
from analysis.folder import BatchError
from analysis.options import Parser, shared_options
from analysis.outputs import OutputError, check_output_folder, result_folder
from analysis.progress import ProgressBar
from analysis.runs import run_point, write_run
from analysis.sensitivity import add_sensitivity_parser
from analysis.siting_cli import add_siting_parser
from analysis.sizing import check_memory
from analysis.tables import format_summaries
from simulation.scenario import MESSAGE_LIMIT, ScenarioError, available, load, shorten
from ui.cli import add_ui_parser

#: Errors that mean the input or the request is at fault: exit code 2.
BAD_INPUT = (ScenarioError, BatchError, BackendError, StudyError)


def cmd_run(args: argparse.Namespace) -> int:
    scenario = load(args.scenario)
    out = Path(args.out) if args.out else result_folder("run", [scenario.name], args.days,
                                                        args.scale, args.seed)
    check_output_folder(out)
    check_memory([scenario.params], args.scale, args.days, force=args.force)
    result = run_point(scenario, args.seed, args.scale, args.days,
                       ProgressBar(scenario.name, args.days, "days", delay=2.0))
    write_run(result, out)
    print(f"{scenario.title or scenario.name}: {args.days} days, seed {args.seed}, "
          f"scale {args.scale:g} ({result.manifest['residents_simulated']:,} residents), "
          f"{result.manifest['wall_time_s']['total']:.1f} s")
    print()
    print(format_summaries([result.summary]))
    print()
    print(f"Wrote {', '.join(f.name for f in sorted(out.iterdir()) if not f.name.startswith('.'))}"
          f" to {out}")
    return 0


def cmd_scenarios(args: argparse.Namespace) -> int:
    rows = []
    for path in available():
        try:
            s = load(path)
            base = Path(s.chain[-2]).stem if len(s.chain) > 1 else "schema defaults"
            rows.append((path.stem, s.title or "(no title)", s.description, base))
        except ScenarioError as exc:
            rows.append((path.stem, "INVALID", str(exc), ""))
    width = max(len(r[0]) for r in rows) + 2 if rows else 10
    for name, title, description, base in rows:
        print(f"{name.ljust(width)}{title}")
        if not args.brief:
            text = f"{description} [base: {base}]" if base else description
            print(textwrap.fill(text, width=88, initial_indent="    ",
                                subsequent_indent="    "))
            print()
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    scenario = load(args.file)
    # building the city checks what depends on the map (e.g. communities vs. cells)
    from simulation.model import GovernanceModel
    GovernanceModel(scenario, seed=args.seed, scale=0.05, days=1)
    print(f"{scenario.path}: valid ({scenario.title or scenario.name}; "
          f"sha256 {scenario.digest[:12]})")
    return 0


def cmd_main(args: argparse.Namespace) -> int:
    """The main job: the headline comparison with confidence intervals, and its report."""
    return cmd_headline(seed=args.seed, workers=args.workers, force=args.force)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="run.py", parents=[shared_options("seed", "workers", "force")],
        description="Simulate city social management: the street-office hierarchy (2011) "
        "against flat community management (2012). With no command, runs the headline "
        f"comparison ({HEADLINE['replications']} paired replications of "
        f"{HEADLINE['days']} days of the full city, on all cores), prints the table with "
        "95 % confidence intervals and writes an HTML report.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "run", parents=[shared_options("days", "scale", "seed", "out", "force", help={
            "out": "output folder (default results/run_<scenario>_<N>d_scale<F>_seed<S>)"})],
        help="run one scenario and write its results",
        description="Run one scenario; print its figures; write summary.json, "
        "cases.parquet, timeseries.parquet and manifest.json.")
    p.add_argument("scenario", metavar="SCENARIO",
                   help="a scenario name in scenarios/ (see `run.py scenarios`) or a file")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("scenarios", help="list the scenarios in scenarios/",
                       description="List the scenarios in scenarios/: name and title, then "
                       "the description and the scenario it derives from.")
    p.add_argument("--brief", action="store_true", help="one line per scenario")
    p.set_defaults(func=cmd_scenarios)

    p = sub.add_parser("validate", parents=[shared_options("seed", help={
        "seed": "seed of the map to build (1)"})], help="check one scenario file",
        description="Check a scenario file against the schema and build its city; print "
        "what is wrong, or that it is valid.")
    p.add_argument("file", metavar="FILE", help="scenario file or name")
    p.set_defaults(func=cmd_validate)

    add_batch_parser(sub)
    add_compare_parsers(sub)
    add_sensitivity_parser(sub)
    add_siting_parser(sub)
    add_calibrate_parser(sub)
    add_explore_parser(sub)
    add_ui_parser(sub)
    return parser


def error(message: str) -> None:
    """One line on stderr, at most `MESSAGE_LIMIT` characters after "error: "."""
    print(f"error: {shorten(message, MESSAGE_LIMIT)}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Parse `argv` (default: the process's arguments), run the command, return the exit
    code; every expected failure is one line on stderr."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", cmd_main)
    try:
        return func(args)
    except BAD_INPUT as exc:
        error(str(exc))
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted; nothing was written for the unfinished run", file=sys.stderr)
        return 130
    except MemoryError:
        error("out of memory; shorten --days, or use fewer --workers")
        return 1
    except OSError as exc:  # the environment: permissions, a full disk, a lost mount
        if exc.errno == errno.ENOSPC:
            where = f" writing {exc.filename}" if exc.filename else ""
            error(f"the disk is full (No space left on device){where}; nothing "
                  "half-written is kept")
        elif isinstance(exc, OutputError) or not exc.filename:
            error(str(exc))
        else:
            error(f"{exc.filename}: {exc.strerror or exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
