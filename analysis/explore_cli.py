"""`run.py explore`: the sample as a batch, the paired differences, and where the verdict
flips (PRIM boxes in plain words), written into the batch folder.

Files: `points.parquet` (one row per sample point: parameters, both scenarios' headline
figures, differences, worse or not), `flips.json` (the verdicts and boxes, read by
`run.py report`), `flips.txt` (the same in words), `prim_boxes.csv`, `figures/pairs_*`.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import discovery
from analysis.argtypes import positive_int
from analysis.batch import run_batch, stop_on_sigterm
from analysis.batch_cli import check_scheduler_workers
from analysis.dataset import load_batch
from analysis.explore import (
    ExploreDesign,
    flip_figures,
    points_table,
    ranges_text,
    shared_differences,
    summary_row,
)
from analysis.labels import figure
from analysis.options import all_cores, shared_options
from analysis.outputs import make_folder, result_folder, write_atomic
from analysis.ranges import parse_ranges
from analysis.runs import _finite, _json_default, code_version
from simulation.scenario import ScenarioError, load

FLIPS = "flips.json"


def add_explore_parser(sub: Any) -> None:
    """Register `run.py explore`."""
    shared = shared_options("days", "scale", "seed", "workers", "scheduler", "out", "force",
                            days=60, scale=0.05, help={
                                "seed": "point i runs both scenarios with seed S + i (1)",
                                "out": "batch folder (default results/explore_<baseline>+"
                                "<scenario>_<N>d_scale<F>_seed<S>_n<N>_<hash>)"})
    p = sub.add_parser(
        "explore", parents=[shared],
        help="find where the verdict between two scenarios flips (PRIM)",
        description="Run BASELINE and SCENARIO, paired, at every point of a Latin hypercube "
        "sample of the uncertain parameters (a batch: any backend, --resume); take the "
        "difference of every headline figure, and find with PRIM the regions where "
        "SCENARIO is worse than BASELINE, said in plain words. Writes points.parquet, "
        "flips.json, flips.txt, prim_boxes.csv and figures/ into the batch folder; "
        "`run.py report DIR` adds the section 'Where the verdict flips'.",
        epilog="Example: run.py explore hierarchy_2011 flat_2012 --param "
        "staff.community_scale=0.3:1.5 --param tasks.volume_multiplier=0.5:4 --n 200. "
        "A parameter the two scenarios set differently gets one value for both; vary it "
        "through a multiplier (staff.community_scale, needs.rate_multiplier) instead.")
    p.add_argument("baseline", metavar="BASELINE")
    p.add_argument("scenario", metavar="SCENARIO")
    p.add_argument("--param", action="append", required=True, metavar="KEY=LOW:HIGH",
                   help="an uncertain numeric parameter and its range (repeat)")
    p.add_argument("--n", type=positive_int, default=200, metavar="N",
                   help="sample points (200); each runs both scenarios")
    p.add_argument("--density", type=float, default=discovery.DENSITY, metavar="D",
                   help=f"density a PRIM box should reach ({discovery.DENSITY:g})")
    p.add_argument("--resume", action="store_true",
                   help="finish the exploration in --out: skip finished runs")
    p.set_defaults(func=cmd_explore)


def design_from_args(args: argparse.Namespace) -> ExploreDesign:
    """The exploration asked for, validated (nothing written).

    Raises:
        ScenarioError: naming the option or key.
    """
    baseline, scenario = load(args.baseline), load(args.scenario)
    if baseline.name == scenario.name:
        raise ScenarioError("SCENARIO", scenario.name, "is the BASELINE too; give two "
                            "different scenarios")
    if not 0 < args.density <= 1:
        raise ScenarioError("command line", "--density", f"expected a share in (0, 1], got "
                            f"{args.density:g}")
    if args.n < 10:
        raise ScenarioError("command line", "--n", f"expected 10 points or more for a "
                            f"region to be found, got {args.n}")
    design = ExploreDesign(baseline, scenario, parse_ranges(args.param), args.n, args.seed,
                           args.days, args.scale)
    design.points()  # validates every value against both scenarios, and the seeds
    return design


def cmd_explore(args: argparse.Namespace) -> int:
    """`run.py explore`: 0 done, 1 runs failed, 2 bad input, 130 interrupted."""
    check_scheduler_workers(args)
    design = design_from_args(args)
    out = Path(args.out) if args.out else result_folder(
        "explore", [design.baseline.name, design.scenario.name], design.days, design.scale,
        design.seed, f"n{design.n}", {"design": design.describe(),
                                      "model": code_version()["source_sha256"]})
    for note in shared_differences(design.baseline, design.scenario, list(design.ranges)):
        print(f"note: one value for both scenarios replaces their difference in {note}",
              file=sys.stderr)
    options = {k: v for k, v in vars(args).items() if k != "func"}
    try:
        with stop_on_sigterm():
            report = run_batch(design, out, args.workers or all_cores(), args.scheduler,
                               args.resume, shlex.join(["run.py", *sys.argv[1:]]), options,
                               force=args.force, tables=False)
    except KeyboardInterrupt:
        print(f"\ninterrupted: finished runs are kept in {out}; add --resume to the same "
              "command to do the rest", file=sys.stderr)
        return 130
    print(f"explore: {len(report.outcomes)} runs ({report.ran} run now, {report.skipped} done "
          f"before), {len(report.failed)} failed, {report.wall_time_s:.0f} s on "
          f"{report.backend}", file=sys.stderr)
    if report.failed:
        print(f"error: {len(report.failed)} runs failed (status column of the runs); add "
              "--resume to run them again", file=sys.stderr)
        return 1
    text = write_flips(design, out.resolve(), args.density)
    print(text)
    return 0


def analyse(design: ExploreDesign, points: pd.DataFrame, density: float
            ) -> list[dict[str, Any]]:
    """Per headline figure: how often SCENARIO is worse, the boxes of the rarer verdict
    (worse, or at least as good), and the words."""
    s_name, b_name = design.scenario.name, design.baseline.name
    x = points[list(design.ranges)]
    out = []
    for key in flip_figures(points):
        row = summary_row(points, key)
        fig = figure(key)
        y = points[f"{key}:worse"].to_numpy(bool)
        label = fig.title()
        k, n = row["worse"], row["points"]
        # the verdict that flips is the rarer one: where it is worse, or where it is not
        rare, what = (y, "worse than") if k <= n - k else (~y, "at least as good as")
        m = int(rare.sum())
        boxes = discovery.find_boxes(x, rare, density) if 0 < m < n else []
        head = f"{s_name} is worse than {b_name} on {label} at {k} of {n} points"
        if k in (0, n):
            words = ""  # said once for all such figures (`verdict_text`)
        elif m < discovery.MIN_CASES:
            words = (f"{head}; {what.removesuffix(' than').removesuffix(' as')} at only {m}: "
                     "too few to describe a region.")
        elif not boxes:
            words = (f"{head}; the {m} points where it is {what.split()[0]}"
                     f"{'' if what.startswith('worse') else ' at least as good'} are "
                     "scattered: PRIM finds no region that holds them.")
        else:
            way = " (higher)" if fig.lower_is_better else " (lower)"
            subject = ("It is worse" + way if what.startswith("worse")
                       else "It is at least as good")
            words = f"{head}. " + " ".join(discovery.box_words(b, subject if i == 0 else
                                                               "Also", m)
                                           for i, b in enumerate(boxes))
        out.append({**row, "unit": fig.unit, "flip": what, "words": words,
                    "boxes": [b.to_dict() for b in boxes], "pairs": None, "_boxes": boxes,
                    "_rare": rare})
    return out


def verdict_text(design: ExploreDesign, results: list[dict[str, Any]]) -> list[str]:
    """The words: each figure whose verdict flips, then those that never do, in one line
    each, with the ranges searched."""
    s_name, b_name = design.scenario.name, design.baseline.name
    lines = [r["words"] for r in results if r["words"]]
    for k, what in ((0, "never worse than"), (None, "worse than")):
        labels = [r["label"] for r in results
                  if (r["worse"] == 0 if k == 0 else r["worse"] == r["points"])]
        if labels:
            where = "at any" if k == 0 else "at every one"
            lines.append(f"{s_name} is {what} {b_name} {where} of the {results[0]['points']} "
                         f"points searched ({ranges_text(design)}) on: "
                         f"{'; '.join(labels)}.")
    return lines


def write_flips(design: ExploreDesign, out: Path, density: float) -> str:
    """Analyse the finished batch in `out` and write the exploration's files."""
    points = points_table(design, load_batch(out))
    results = analyse(design, points, density)
    x = points[list(design.ranges)]
    make_folder(out / "figures")
    for r in results:
        if r["_boxes"]:
            name = "pairs_" + r["figure"].replace(".", "_")
            discovery.pairs_plot(x, r["_rare"], r["_boxes"], f"{design.scenario.name} "
                                 f"{r['flip']} {design.baseline.name}: {r['label']}",
                                 out / "figures" / name)
            r["pairs"] = f"figures/{name}.png"
    boxes = pd.DataFrame([{"figure": r["figure"], "box": i + 1, "param": d,
                           "coverage": b["coverage"], "density": b["density"],
                           "mass": b["mass"], "n": b["n"], "k": b["k"], **lim}
                          for r in results for i, b in enumerate(r["boxes"])
                          for d, lim in b["limits"].items()])
    flips = {"baseline": design.baseline.name, "scenario": design.scenario.name,
             "points": int(len(points)), "density_threshold": density,
             "ranges": {k: [r.low, r.high] for k, r in design.ranges.items()},
             "ranges_text": ranges_text(design), "days": design.days, "scale": design.scale,
             "figures": [{k: v for k, v in r.items() if not k.startswith("_")}
                         for r in results], "words": verdict_text(design, results)}
    text = "\n\n".join([f"Where the verdict flips: {design.scenario.name} against "
                        f"{design.baseline.name}, {len(points)} paired points, {design.days} "
                        f"days, scale {design.scale:g}; ranges searched: "
                        f"{ranges_text(design)}", *verdict_text(design, results)])
    write_atomic(out / "points.parquet", lambda p: points.to_parquet(p, index=False))
    write_atomic(out / "prim_boxes.csv", lambda p: boxes.to_csv(p, index=False))
    write_atomic(out / FLIPS, lambda p: p.write_text(json.dumps(
        _finite(flips), indent=1, default=_json_default, allow_nan=False) + "\n",
        encoding="utf-8"))
    write_atomic(out / "flips.txt", lambda p: p.write_text(text + "\n", encoding="utf-8"))
    return text + f"\n\nWrote points.parquet, flips.json, flips.txt, prim_boxes.csv and " \
                  f"figures/ to {out}"
