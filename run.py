#!/usr/bin/env python3
"""Command line: run scenarios, list and validate them, batches, comparisons, reports.

    python run.py                      # the main job: the headline comparison and report
    python run.py run SCENARIO [--days N] [--seed S] [--scale F] [--out DIR]
    python run.py scenarios
    python run.py validate FILE
    python run.py batch SCENARIO... [--replications R] [--sweep KEY=V1,V2] ...
    python run.py compare BATCH_DIR | SCENARIO SCENARIO... [--baseline S]
    python run.py report BATCH_DIR [--lang en|zh|both]
    python run.py sensitivity SCENARIO --param KEY=LOW:HIGH ... [--method morris|sobol]
    python run.py siting SCENARIO [--points N] [--objective coverage|access|both]

Exit codes: 0 success, 2 bad input (scenario file or command-line value), 1 other errors.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
import time
from pathlib import Path

if __name__ == "__main__" and sys.argv[1:2] == ["ui"]:
    # the browser page: start it without importing the analysis modules (seconds)
    from ui.cli import main as ui_main

    sys.exit(ui_main())

from analysis.argtypes import positive_int, scale_value, seed_value
from analysis.batch import add_batch_parser
from analysis.commands import HEADLINE, add_compare_parsers, cmd_headline
from analysis.runs import ROOT, run_point, write_run
from analysis.sensitivity import add_sensitivity_parser
from analysis.siting import add_siting_parser
from analysis.tables import format_summaries
from simulation.scenario import ScenarioError, available, load
from ui.cli import add_ui_parser


class Progress:
    """A progress bar on stderr, shown once a run has taken more than two seconds.

    On a terminal the bar is redrawn in place; in a log (not a terminal) a line is
    written at most every quarter of the run.
    """

    def __init__(self, label: str, stream=sys.stderr):
        self.label, self.stream = label, stream
        self.t0 = time.perf_counter()
        self.last_draw = 0.0
        self.last_quarter = -1
        self.tty = hasattr(stream, "isatty") and stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        elapsed = now - self.t0
        if elapsed < 2.0:
            return
        eta = elapsed / done * (total - done) if done else 0.0
        text = f"{self.label}: day {done}/{total}  {elapsed:5.1f} s, {eta:4.0f} s left"
        if self.tty:
            if now - self.last_draw < 0.2 and done < total:
                return
            self.last_draw = now
            bar = "#" * int(30 * done / total)
            self.stream.write(f"\r{self.label}: [{bar:<30}] " + text.split(": ", 1)[1] + " ")
            if done == total:
                self.stream.write("\n")
        else:
            quarter = 4 * done // total
            if quarter == self.last_quarter:
                return
            self.last_quarter = quarter
            self.stream.write(text + "\n")
        self.stream.flush()


def default_out(name: str, seed: int, days: int, scale: float) -> Path:
    return ROOT / "results" / f"{name}_seed{seed}_{days}d_scale{scale:g}"


def cmd_run(args: argparse.Namespace) -> int:
    scenario = load(args.scenario)
    out = Path(args.out) if args.out else default_out(scenario.name, args.seed, args.days,
                                                      args.scale)
    if out.exists() and not out.is_dir():
        raise ScenarioError(out, "--out", "exists and is not a folder")
    result = run_point(scenario, args.seed, args.scale, args.days,
                       Progress(scenario.name))
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
    return cmd_headline(seed=args.seed)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="run.py",
        description="Simulate city social management: the street-office hierarchy (2011) "
        "against flat community management (2012). With no command, runs the headline "
        f"comparison ({HEADLINE['replications']} paired replications of "
        f"{HEADLINE['days']} days of the full city, on all cores), prints the table with "
        "95 %% confidence intervals and writes an HTML report.")
    parser.add_argument("--seed", type=seed_value, default=1, help="seed of the main job")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("run", help="run one scenario and write its results",
                       description="Run one scenario; print its figures; write summary.json, "
                       "cases.parquet, timeseries.parquet and manifest.json.")
    p.add_argument("scenario", metavar="SCENARIO",
                   help="a scenario name in scenarios/ (see `run.py scenarios`) or a file")
    p.add_argument("--days", type=positive_int, default=30, help="horizon in days (30)")
    p.add_argument("--seed", type=seed_value, default=1, help="random seed (1)")
    p.add_argument("--scale", type=scale_value, default=1.0,
                   help="share of residents simulated, staff scaled with them (1.0)")
    p.add_argument("--out", metavar="DIR",
                   help="output folder (default results/<scenario>_seed<S>_<N>d_scale<F>)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("scenarios", help="list the scenarios in scenarios/",
                       description="List the scenarios in scenarios/: name and title, then "
                       "the description and the scenario it derives from.")
    p.add_argument("--brief", action="store_true", help="one line per scenario")
    p.set_defaults(func=cmd_scenarios)

    p = sub.add_parser("validate", help="check one scenario file",
                       description="Check a scenario file against the schema and build its "
                       "city; print what is wrong, or that it is valid.")
    p.add_argument("file", metavar="FILE", help="scenario file or name")
    p.add_argument("--seed", type=seed_value, default=1, help="seed of the map to build (1)")
    p.set_defaults(func=cmd_validate)

    add_batch_parser(sub)
    add_compare_parsers(sub)
    add_sensitivity_parser(sub)
    add_siting_parser(sub)
    add_ui_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", cmd_main)
    try:
        return func(args)
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted; nothing was written for the unfinished run", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
