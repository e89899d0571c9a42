"""The command line of `run.py siting`: its options, their checks, and the command that
solves, writes the folder and prints the table and findings."""

from __future__ import annotations

import math
from pathlib import Path

from analysis.cbc_limit import GRACE_SHARE, MIN_GRACE_S
from analysis.siting import (
    DEFAULT_BLOCK,
    DEFAULT_TIME_LIMIT_S,
    DEMAND_ORDER,
    OBJECTIVES,
    run_siting,
)
from analysis.siting_tables import findings, rows_table, sites_table


def parse_points(values: list[str] | None) -> list[int] | None:
    """`--points 2 --points 30,69` -> [2, 30, 69]; None when not given."""
    from simulation.scenario import ScenarioError
    if not values:
        return None
    out = set()
    for text in values:
        for piece in text.split(","):
            try:
                n = int(piece)
            except ValueError:
                raise ScenarioError("command line", "--points",
                                    f"expected whole numbers, got {piece!r}") from None
            if n < 1:
                raise ScenarioError("command line", "--points", f"expected at least 1, got {n}")
            out.add(n)
    return sorted(out)


def _positive(text: str, option: str, kind: type):
    from simulation.scenario import ScenarioError
    try:
        value = kind(text)
    except ValueError:
        raise ScenarioError("command line", option, f"expected a number, got {text!r}") from None
    if not (value > 0 and math.isfinite(value)):
        raise ScenarioError("command line", option,
                            f"expected a finite number more than 0, got {text}")
    return value


def add_siting_parser(sub) -> None:
    """Register `run.py siting`."""
    from analysis.options import shared_options
    p = sub.add_parser(
        "siting", parents=[shared_options("seed", "out", help={
            "seed": "seed of the map (1)", "out": "output folder (default results/siting_"
            "<scenario>_seed<S>_<points>_block<B> under the working directory)"})],
        help="the best possible siting of service points, against the structure's",
        description="Solve, on the scenario's map and population, the maximal covering "
        "location problem (residents within the 15-minute service circle) and the p-median "
        "problem (mean walk to the nearest site) with spopt and CBC, for the structure's own "
        "numbers of sites (or --points), and compare the structure's sites with the optima. "
        "Prints the table; writes siting.csv, sites.csv, siting.png and siting.html.")
    p.add_argument("scenario", metavar="SCENARIO",
                   help="a scenario name in scenarios/ (see `run.py scenarios`) or a file")
    p.add_argument("--points", action="append", metavar="N[,N...]",
                   help="numbers of sites to solve for (repeat or separate with commas; "
                   "default: each of the structure's own counts)")
    p.add_argument("--objective", choices=("coverage", "access", "both"), default="both",
                   help="MCLP (coverage), p-median (access) or both (default)")
    p.add_argument("--demand", choices=("urban", "all", "both"), default="both",
                   help="compare for urban residents (communities, street offices), all "
                   "residents (every walk-in service point) or both (default)")
    p.add_argument("--time-limit", default=str(DEFAULT_TIME_LIMIT_S), metavar="SECONDS",
                   help=f"CBC's time limit per problem ({DEFAULT_TIME_LIMIT_S:g}); its "
                   f"process is stopped at the limit + {100 * GRACE_SHARE:g} %% (at least "
                   f"+ {MIN_GRACE_S:g} s) and the better of its and the heuristic's "
                   "solutions kept; a large limit asks for CBC's proof")
    p.add_argument("--block", default=str(DEFAULT_BLOCK), metavar="CELLS",
                   help=f"side of the aggregation blocks in cells ({DEFAULT_BLOCK}; 1 = none)")
    p.set_defaults(func=cmd_siting)


def cmd_siting(args) -> int:
    import json
    import shlex
    import sys

    from analysis import siting_report
    from analysis.outputs import check_output_folder, result_folder, write_folder
    from analysis.runs import code_version
    from simulation.model import GovernanceModel
    from simulation.scenario import load

    points = parse_points(args.points)
    time_limit = _positive(args.time_limit, "--time-limit", float)
    block = _positive(args.block, "--block", int)
    objectives = OBJECTIVES if args.objective == "both" else (args.objective,)
    scenario = load(args.scenario)
    spec = "own" if points is None else "p" + "-".join(map(str, points))
    obj = "" if args.objective == "both" else f"_{args.objective}"
    obj += "" if args.demand == "both" else f"_{args.demand}"
    out = Path(args.out) if args.out else result_folder(
        "siting", [scenario.name], seed=args.seed, extra=f"{spec}{obj}_block{block}")
    check_output_folder(out)
    model = GovernanceModel(scenario, seed=args.seed, scale=0.05, days=1)

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    wanted = {"urban": ("urban",), "all": ("city",), "both": DEMAND_ORDER}[args.demand]
    result = run_siting(model, args.seed, points, objectives, block, time_limit, log, wanted)
    rows = rows_table(result)
    sites = sites_table(result)
    said = findings(result, rows)
    png = siting_report.site_map(result)
    command = shlex.join(["python", "run.py", *sys.argv[1:]]) if sys.argv[1:2] == [
        "siting"] else f"run.py siting {args.scenario}"
    page = siting_report.html_report(result, rows, said, png, command)
    manifest = {"command": command, "scenario": scenario.name, "scenario_sha256":
                scenario.digest, "seed": args.seed, "points": points,
                "objectives": list(objectives), "demand": args.demand, "block_cells": block,
                "time_limit_s": time_limit, "code": code_version()}
    write_folder(out, {
        "siting.csv": lambda p: rows.to_csv(p, index=False),
        "sites.csv": lambda p: sites.to_csv(p, index=False),
        "siting.png": lambda p: p.write_bytes(png),
        "siting.html": lambda p: p.write_text(page, encoding="utf-8"),
        "manifest.json": lambda p: p.write_text(json.dumps(manifest, indent=2) + "\n"),
    })
    print(f"{scenario.title or scenario.name}: the structure's sites against the optimum "
          f"(map seed {args.seed}; walks in minutes)")
    print()
    print(siting_report.format_table(result, rows))
    print()
    for line in said:
        print(textwrap_fill(line))
    missing = [s for s in result.solutions if not len(s.sites)]
    if missing:
        log(f"warning: {len(missing)} problem(s) found no solution within --time-limit "
            f"{time_limit:g} s")
    print()
    print(f"Wrote siting.csv, sites.csv, siting.png, siting.html, manifest.json to {out}")
    return 0


def textwrap_fill(text: str) -> str:
    import textwrap
    return textwrap.fill(text, width=92, subsequent_indent="  ")
