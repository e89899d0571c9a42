"""`run.py calibrate`: its options, the checks before anything is written, the study on a
backend, and the outputs (analysis.calibrate, analysis.calibrate_report)."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import Any

from analysis import calibrate, dataset
from analysis.argtypes import non_negative_int, positive_int
from analysis.backends import BackendError, choose_backend
from analysis.batch import stop_on_sigterm
from analysis.batch_cli import check_scheduler_workers
from analysis.calibrate import STARTUP_TRIALS, Calibration, PointStore
from analysis.folder import FolderLock, forget_new_folder, now_utc
from analysis.options import all_cores, shared_options
from analysis.outputs import make_folder, result_folder, write_atomic
from analysis.progress import ProgressBar
from analysis.ranges import parse_ranges
from analysis.runs import code_version
from analysis.sizing import check_memory, workers_in_memory
from analysis.targets import TARGETS_DIR, load_targets
from simulation.scenario import ScenarioError, load


def add_calibrate_parser(sub: Any) -> None:
    """Register `run.py calibrate`."""
    shared = shared_options("days", "scale", "seed", "workers", "scheduler", "out", "force",
                            days=90, scale=0.05, help={
                                "seed": "replication r of every trial runs with seed S + r "
                                "(common random numbers); confirmation runs continue from "
                                "S + R (1)",
                                "out": "calibration folder (default results/calibrate_"
                                "<scenarios>_<N>d_scale<F>_seed<S>_r<R>_<hash>)"})
    p = sub.add_parser(
        "calibrate", parents=[shared],
        help="fit behavioural parameters to observed figures (Optuna)",
        description="Fit the parameters of a targets file (or --param) shared by every "
        "SCENARIO to the targets' observed figures: Optuna's TPE sampler, seeded, "
        "minimising the weighted mean of ((model - observed) / tolerance)^2 with the model "
        "averaged over replications on common random numbers. The study is stored in the "
        "output folder, so --resume continues it. Writes calibrated.toml, fit.csv, "
        "trials.parquet, identifiability.csv and figures/.",
        epilog="Example: run.py calibrate hierarchy_2011 hierarchy_plus_hotline --targets "
        "hierarchy_2011 --trials 100 --replications 1 --days 90 --scale 0.05 (a shipped "
        "targets file is named without its folder; see docs/ODD.md, section 10).")
    p.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                   help="scenarios the targets apply to; the fitted values are shared")
    p.add_argument("--targets", required=True, metavar="FILE",
                   help="targets file (TOML), or a name in scenarios/targets/")
    p.add_argument("--param", action="append", default=[], metavar="KEY=LOW:HIGH",
                   help="a parameter to fit and its range (repeat); replaces the targets "
                   "file's range of that key")
    p.add_argument("--trials", type=positive_int, default=100, metavar="N",
                   help="trials in the study, the uncalibrated values first (100)")
    p.add_argument("--replications", type=positive_int, default=1, metavar="R",
                   help="replications per scenario and trial (1)")
    p.add_argument("--parallel-trials", type=positive_int, default=4, metavar="K",
                   help="trials asked at once and run side by side; fixed so results do "
                   "not depend on --workers (4)")
    p.add_argument("--startup", type=positive_int, default=STARTUP_TRIALS, metavar="N",
                   help=f"trials drawn at random before TPE takes over ({STARTUP_TRIALS})")
    p.add_argument("--confirm", type=non_negative_int, default=6, metavar="C",
                   help="fresh replications of the best values for fit.csv's intervals; "
                   "0: use the trial's own (6)")
    p.add_argument("--resume", action="store_true",
                   help="continue the study in --out (a larger --trials extends it)")
    p.set_defaults(func=cmd_calibrate)


def calibration_from_args(args: argparse.Namespace) -> Calibration:
    """The calibration the command line asks for, validated (nothing is written).

    Raises:
        ScenarioError: naming the file and key, or the option.
    """
    scenarios = [load(ref) for ref in args.scenarios]
    names = [s.name for s in scenarios]
    for name in names:
        if names.count(name) > 1:
            raise ScenarioError("SCENARIO", name, "given twice")
    targets = load_targets(args.targets, scenarios)
    ranges = {**targets.ranges, **parse_ranges(args.param)}
    if not ranges:
        raise ScenarioError(targets.path, "params", "no parameters to fit: add [params.\"KEY\"]"
                            " tables with low and high, or --param KEY=LOW:HIGH")
    cal = Calibration(scenarios, targets, ranges, args.replications, args.seed, args.days,
                      args.scale, args.trials, args.parallel_trials, args.startup, args.confirm)
    cal.check_values()
    return cal


def targets_ref(args: argparse.Namespace, cal: Calibration) -> str:
    """The targets file as the outputs name it: shipped files by their place in the
    repository, others as given on the command line."""
    if Path(cal.targets.path).resolve().parent == Path(TARGETS_DIR).resolve():
        return f"scenarios/targets/{Path(cal.targets.path).name}"
    return args.targets


def cmd_calibrate(args: argparse.Namespace) -> int:
    """`run.py calibrate`: 0 done, 1 environment, 2 bad input, 130 interrupted."""
    check_scheduler_workers(args)
    cal = calibration_from_args(args)
    ident = cal.describe()
    out = Path(args.out) if args.out else result_folder(
        "calibrate", [s.name for s in cal.scenarios], cal.days, cal.scale, cal.seed,
        f"r{cal.replications}", {"calibration": ident, "model": code_version()["source_sha256"]})
    out = out.resolve()
    fresh = calibrate.prepare_folder(out, ident, args.resume)
    per_round = cal.parallel * len(cal.scenarios) * cal.replications
    workers = args.workers or all_cores()
    if args.scheduler is None or args.scheduler == "local":
        check_memory([s.params for s in cal.scenarios], cal.scale, cal.days,
                     workers_in_memory(workers, per_round), args.force)
    created = not out.exists()
    make_folder(out)
    command = shlex.join(["run.py", *sys.argv[1:]])
    with FolderLock(out) as lock:
        manifest = calibrate.study_manifest(cal, command, {k: v for k, v in vars(args).items()
                                                 if k != "func"}) if fresh \
            else calibrate.read_study_manifest(out)
        dataset.remove_stale_temporaries(out)
        try:
            with stop_on_sigterm():
                return _run(cal, args, out, manifest, workers, per_round, command)
        except BackendError:
            if fresh:  # the backend never started: leave no trace
                forget_new_folder(out, lock, created)
            raise
        except KeyboardInterrupt:
            print(f"\ninterrupted: finished trials and runs are kept in {out}; add --resume "
                  "to the same command to continue", file=sys.stderr)
            return 130


def _run(cal: Calibration, args: argparse.Namespace, out: Path, manifest: dict[str, Any],
         workers: int, per_round: int, command: str) -> int:
    trials = calibrate.open_study(out).get_trials(deepcopy=False)
    done_before = sum(t.state.is_finished() for t in trials)
    session = calibrate.session_start(manifest, command, done_before,
                                      max(0, cal.trials - done_before))
    dataset.write_manifest(manifest, out)
    backend = choose_backend(workers, args.scheduler, out, per_round)
    try:
        with backend:
            session["backend"] = backend.description
            progress = ProgressBar("calibrate", cal.trials, "trials",
                                   skipped=min(done_before, cal.trials), count_failures=True)
            study = calibrate.run_study(cal, out, backend, progress)
            progress.finish()
            values, replicates = calibrate.confirm_best(cal, study, out, backend)
    except BaseException as exc:
        session.update(ended_utc=now_utc(), interrupted=type(exc).__name__)
        dataset.write_manifest(manifest, out)
        raise
    text = write_outputs(cal, args, study, values, replicates, out, command)
    session.update(ended_utc=now_utc(), best_trial=study.best_trial.number,
                   best_loss=study.best_trial.value)
    manifest["ended_utc"] = session["ended_utc"]
    dataset.write_manifest(manifest, out)
    print(text)
    return 0


def write_outputs(cal: Calibration, args: argparse.Namespace, study: Any,
                  values: dict[str, Any], replicates: dict[str, list[float]], out: Path,
                  command: str) -> str:
    """Compute every output, then write them; return the text printed."""
    store = PointStore(out, sorted({t.figure for t in cal.targets.targets}))
    from analysis import calibrate_plots as cplots  # matplotlib, scipy: when writing
    from analysis import calibrate_report as report

    trials = report.trial_table(cal, study, store)
    fit = report.fit_table(cal, replicates, trials)
    ident, trade = report.identifiability(cal, trials)
    best = study.best_trial
    header = report.header_lines(cal, study, fit, targets_ref(args, cal), command)
    toml = report.calibrated_text(cal, values, report.scenario_base(cal, out), header)
    importance = cplots.param_importances(study, cal.seed)
    n_conf = len(cal.confirm_seeds) or len(cal.fit_seeds)
    text = "\n".join([
        f"Calibration of {', '.join(s.name for s in cal.scenarios)}: {len(trials)} trials "
        f"({(trials['state'] == 'FAIL').sum()} failed), best trial {best.number} with loss "
        f"{best.value:.4g} (trial 0, the uncalibrated values: "
        f"{trials.loc[trials['trial'] == 0, 'loss'].iloc[0]:.4g})", "",
        f"Fit at the best values ({n_conf} {'fresh ' if cal.confirm else ''}replications "
        f"per scenario, {cal.days} days, scale {cal.scale:g}):", report.format_fit(fit), "",
        "Best values: " + ", ".join(f"{k} = {cal.ranges[k].typed(v)}" for k, v in
                                    values.items()), "",
        "Identifiability:", report.format_identifiability(ident, trade, float(best.value))])
    write_atomic(out / "trials.parquet", lambda p: trials.to_parquet(p, index=False))
    write_atomic(out / "fit.csv", lambda p: fit.to_csv(p, index=False))
    write_atomic(out / "identifiability.csv", lambda p: ident.to_csv(p, index=False))
    write_atomic(out / "calibration.txt", lambda p: p.write_text(text + "\n", encoding="utf-8"))
    report.write_calibrated(out / "calibrated.toml", toml, values, cal)
    cplots.draw_all(trials, fit, importance, cal.ranges, out / "figures")
    return text + f"\n\nWrote calibrated.toml, fit.csv, trials.parquet, identifiability.csv, " \
                  f"calibration.txt and figures/ to {out}"
