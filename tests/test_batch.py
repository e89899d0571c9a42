"""Batch experiments: the table of points, every backend, the dataset, resume, failures.

Runs are tiny (scale 0.02, 2 days) so each test stays well under a minute; the backends
run as a user runs them, through `run.py batch` in a subprocess.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import ROOT, cli

import analysis
from analysis.design import Design, parse_sweep, run_id
from simulation.scenario import ScenarioError, load

SCENARIOS = ("hierarchy_2011", "flat_2012")
SWEEP_KEY = "staff.community.caseworker"
SMALL = ["--days", "2", "--scale", "0.02", "--replications", "3", "--seed", "5",
         "--sweep", f"{SWEEP_KEY}=3,6"]
#: Columns that describe where and when a run ran, not what it computed.
CIRCUMSTANCES = ["wall_time_s", "started_utc", "host"]


def batch(out: Path, *extra: str, scenarios=SCENARIOS) -> subprocess.CompletedProcess:
    return cli("batch", *scenarios, *SMALL, "--out", str(out), *extra)


def figures(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=CIRCUMSTANCES).sort_values("run_id").reset_index(drop=True)


@pytest.fixture(scope="module")
def serial_run(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("serial") / "batch"
    return out, batch(out, "--workers", "1")


@pytest.fixture(scope="module")
def serial_batch(serial_run) -> Path:
    assert serial_run[1].returncode == 0, serial_run[1].stderr
    return serial_run[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------- design, in-process
def test_sweep_values_parsed_by_schema_type():
    assert parse_sweep("staff.community.caseworker=3,6") == ("staff.community.caseworker",
                                                            [3, 6])
    assert parse_sweep("hotline.share=0.3,0.6")[1] == [0.3, 0.6]
    assert parse_sweep("hotline.enabled=true,False")[1] == [True, False]
    assert parse_sweep("police.embedding=station,community")[1] == ["station", "community"]
    assert parse_sweep("authority.complex.community=welfare+dispute,none")[1] == [
        ["welfare", "dispute"], []]
    with pytest.raises(ScenarioError, match="staff.community.caseworker.*whole number"):
        parse_sweep("staff.community.caseworker=3,3.5")


def test_points_pair_seeds_across_scenarios_and_values():
    scenarios = [load(n) for n in SCENARIOS]
    design = Design(scenarios, {SWEEP_KEY: [3, 6]}, replications=3, seed=5, days=2,
                    scale=0.02)
    points = design.points()
    assert len(points) == 2 * 2 * 3
    assert len({p.run_id for p in points}) == len(points)
    for p in points:
        assert p.seed == 5 + p.replication
        assert p.scenario.params["staff"]["community"]["caseworker"] == p.sweep[SWEEP_KEY]
    # ids follow the point, not the order: the same design names the same runs
    assert [p.run_id for p in design.points()] == [p.run_id for p in points]
    p = points[0]
    same = run_id(p.scenario, p.sweep, p.replication, p.seed, p.days, p.scale)
    assert same == p.run_id
    assert run_id(p.scenario, p.sweep, p.replication, p.seed, p.days + 1, p.scale) != same


def test_point_function_writes_its_run_and_frees_its_model(tmp_path):
    from mesa.agent import Agent

    from analysis.point import run_and_record

    point = Design([load("flat_2012")], {}, 1, 3, 2, 0.02).points()[0]
    with pytest.raises(FileNotFoundError, match="shared filesystem"):
        run_and_record(point, str(tmp_path))  # no batch folder: nothing is written
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "manifest.json").write_text("{}")
    models_before = len(Agent._ids)
    outcome = run_and_record(point, str(tmp_path))
    assert outcome.status == "ok" and outcome.run_id == point.run_id
    assert outcome.headline["reach"] > 0
    # Mesa 3.3 would keep the finished model (and its whole city) alive
    assert len(Agent._ids) <= models_before
    row = pd.read_parquet(tmp_path / "runs" / f"run-{point.run_id}.parquet")
    assert row["seed"].item() == 3 and row["status"].item() == "ok"


# --------------------------------------------------------------------- backends
def check_small_batch(out: Path, r: subprocess.CompletedProcess) -> pd.DataFrame:
    assert r.returncode == 0, r.stderr
    assert "12/12 runs" in r.stderr and "0 failed" in r.stderr
    df = analysis.load_batch(out)
    assert len(df) == 12
    assert (df["status"] == "ok").all() and df["error"].isna().all()
    keys = set(zip(df["scenario"], df[SWEEP_KEY], df["replication"]))
    assert keys == {(s, v, r) for s in SCENARIOS for v in (3, 6) for r in range(3)}
    assert (df["seed"] == 5 + df["replication"]).all()
    assert (df["days"] == 2).all() and (df["scale"] == 0.02).all()
    # figures defined however short the run (a 2-day run may have no response yet)
    for column in ("cases.total", "reach", "response_time_min.n", "mean_trust_end",
                   "by_kind.welfare.cases.total", "wall_time_s"):
        assert df[column].notna().all(), column
    assert sorted(p.stem for p in (out / "runs").iterdir()) == sorted(
        f"run-{i}" for i in df["run_id"])
    for rid, scenario, total in zip(df["run_id"], df["scenario"], df["cases.total"]):
        cases = pd.read_parquet(out / "cases" / f"scenario={scenario}" / f"run-{rid}.parquet")
        assert (cases["run_id"] == rid).all() and len(cases) == total
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["design"]["runs"] == 12 and manifest["design"]["base_seed"] == 5
    params = manifest["scenarios"]["flat_2012"]["params"]
    assert params["structure"]["communities"] == 30 and "needs" in params
    assert manifest["code"]["source_sha256"] and manifest["started_utc"]
    assert manifest["ended_utc"] >= manifest["started_utc"]
    return df


def test_serial_backend(serial_run):
    out, r = serial_run
    check_small_batch(out, r)
    assert "serial, in this process" in r.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["sessions"][0]["backend"].startswith("serial")


def test_process_pool_backend_same_figures(serial_batch, tmp_path):
    out = tmp_path / "pool"
    r = batch(out, "--workers", "2")
    df = check_small_batch(out, r)
    assert "process pool, 2 workers" in r.stdout
    pd.testing.assert_frame_equal(figures(df), figures(analysis.load_batch(serial_batch)))


def test_dask_local_cluster_same_figures(serial_batch, tmp_path):
    out = tmp_path / "dask"
    r = batch(out, "--scheduler", "local", "--workers", "2")
    df = check_small_batch(out, r)
    assert "Dask dashboard: http://127.0.0.1:" in r.stderr
    assert "Dask LocalCluster, 2 workers" in r.stdout
    pd.testing.assert_frame_equal(figures(df), figures(analysis.load_batch(serial_batch)))


def test_hop_tables_are_written_and_agree_with_cases(serial_batch):
    from analysis import dataset

    hops = analysis.load_cases(serial_batch, table=dataset.HOPS)
    cases = analysis.load_cases(serial_batch)
    assert len(hops) > 0 and set(hops["run_id"]) == set(cases["run_id"])
    reported = cases[cases["reported_min"].notna()]
    seen = set(zip(hops["run_id"], hops["case"]))
    assert all((r, c) in seen for r, c in zip(reported["run_id"], reported["case"]))


def test_common_random_numbers_across_scenarios(serial_batch):
    cases = analysis.load_cases(serial_batch)
    runs = analysis.load_batch(serial_batch)[["run_id", "scenario", SWEEP_KEY, "replication"]]
    cases = cases.merge(runs, on=["run_id", "scenario"])
    pick = (cases[SWEEP_KEY] == 3) & (cases["replication"] == 1)
    cols = ["kind", "onset_min", "resident", "x", "y"]
    h = cases[pick & (cases["scenario"] == "hierarchy_2011")][cols].reset_index(drop=True)
    f = cases[pick & (cases["scenario"] == "flat_2012")][cols].reset_index(drop=True)
    assert len(h) > 0
    # the reform faces the same needs, less those its safe-cells campaign prevented
    assert len(h.merge(f, on=cols)) == len(f) > 0.9 * len(h)


# --------------------------------------------------------------------- interruption
def test_killed_batch_resumes_every_run_exactly_once(tmp_path):
    import psutil

    out = tmp_path / "killed"
    args = [sys.executable, str(ROOT / "run.py"), "batch", *SCENARIOS, "--days", "2",
            "--scale", "0.02", "--replications", "5", "--workers", "2", "--out", str(out)]
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(list((out / "runs").glob("run-*.parquet"))) < 2:
        assert proc.poll() is None, "the batch ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    workers = psutil.Process(proc.pid).children(recursive=True)
    proc.kill()  # the batch process alone, as the out-of-memory killer would
    proc.wait()
    # its pool workers notice and end, rather than wait for tasks forever
    _, alive = psutil.wait_procs(workers, timeout=15)
    assert not alive
    before = {p.name: pq.read_table(p).column("started_utc")[0].as_py()
              for p in (out / "runs").glob("run-*.parquet")}
    assert 2 <= len(before) < 10
    r = cli("batch", *args[3:], "--resume")
    assert r.returncode == 0, r.stderr
    assert f"({len(before)} done before)" in r.stderr
    files = sorted((out / "runs").glob("run-*.parquet"))
    df = analysis.load_batch(out)
    rerun = sum(pq.read_table(p).column("started_utc")[0].as_py() != before[p.name]
                for p in files if p.name in before)
    print(f"\nkill/resume: 10 runs expected; {len(before)} finished before the kill; "
          f"{len(files)} run files and {df['run_id'].nunique()} distinct run ids after "
          f"--resume; {len(files) - df['run_id'].nunique()} duplicates; {rerun} finished "
          "runs run again")
    assert len(files) == len(df) == df["run_id"].nunique() == 10
    assert set(zip(df["scenario"], df["replication"])) == {
        (s, i) for s in SCENARIOS for i in range(5)}
    for p in files:  # runs finished before the kill were not run again
        if p.name in before:
            assert pq.read_table(p).column("started_utc")[0].as_py() == before[p.name]
    for table in ("cases", "timeseries"):
        parts = sorted((out / table).rglob("*.parquet"))
        assert len(parts) == 10
        for p in parts:
            pq.read_table(p)
    assert not list(out.rglob("*.tmp"))
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["sessions"]) == 2
    assert manifest["sessions"][1]["runs_skipped"] == len(before)


def test_pool_worker_killed_mid_batch_its_runs_retried(tmp_path):
    import psutil

    out = tmp_path / "pool-death"
    args = [sys.executable, str(ROOT / "run.py"), "batch", *SCENARIOS, "--days", "3",
            "--scale", "0.05", "--replications", "3", "--workers", "2", "--out", str(out)]
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 120
    while not list((out / "runs").glob("run-*.parquet")):
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    workers = [c for c in psutil.Process(proc.pid).children(recursive=True)
               if "spawn_main" in " ".join(c.cmdline())]
    assert len(workers) == 2
    workers[0].kill()  # as the out-of-memory killer would
    stdout, stderr = proc.communicate(timeout=180)
    assert proc.returncode == 0, stderr
    assert "a worker process died" in stderr
    df = analysis.load_batch(out)
    assert len(df) == df["run_id"].nunique() == 6 and (df["status"] == "ok").all()


# --------------------------------------------------------------------- failures
def test_failing_point_recorded_others_finish(tmp_path):
    out = tmp_path / "failing"
    # 4000 communities passes the schema but not the map (2,800 inhabited cells): the
    # run raises when the model is built
    args = ["batch", "flat_2012", "--days", "2", "--scale", "0.02", "--replications", "2",
            "--workers", "1", "--sweep", "structure.communities=30,4000", "--out", str(out)]
    r = cli(*args)
    assert r.returncode == 1, r.stderr
    assert "2 failed" in r.stderr and "Failed runs (2)" in r.stdout
    df = analysis.load_batch(out)
    failed = df[df["status"] == "failed"]
    ok = df[df["status"] == "ok"]
    assert set(failed["structure.communities"]) == {4000}
    assert set(ok["structure.communities"]) == {30} and len(ok) == 2
    assert sorted(ok["replication"]) == sorted(failed["replication"]) == [0, 1]
    assert failed["error"].str.contains("Traceback").all()
    assert failed["error"].str.contains("structure.communities").all()
    assert failed["response_time_min.median"].isna().all()
    assert ok["cases.total"].notna().all() and (ok["cases.total"] > 0).all()
    written = {p.stem.removeprefix("run-") for p in (out / "cases").rglob("run-*")}
    assert written == set(ok["run_id"])
    # resume runs the failed points again, and only those
    stamps = dict(zip(ok["run_id"], ok["started_utc"]))
    r = cli(*args, "--resume")
    assert r.returncode == 1
    again = analysis.load_batch(out)
    assert len(again) == 4
    for rid, started in stamps.items():
        assert again.loc[again["run_id"] == rid, "started_utc"].item() == started


@pytest.mark.parametrize("sweep, key", [
    ("structure.layers=1,2", "structure.layers"),
    ("staff.community.caseworker=3,x", "staff.community.caseworker"),
    ("staff.community.caseworker=-1,3", "staff.community.caseworker"),
    ("hotline.enabled=yes", "hotline.enabled"),
    ("police.embedding=station,bicycle", "police.embedding"),
    ("hotline.share", "hotline.share"),
])
def test_bad_sweep_exit_2_nothing_written(tmp_path, run_py, sweep, key):
    out = tmp_path / "out"
    r = run_py("batch", *SCENARIOS, "--days", "1", "--sweep", sweep, "--out", out)
    assert r.returncode == 2, r.stderr
    assert key in r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_existing_batch_needs_resume_and_the_same_design(serial_batch, run_py):
    listing = sorted(p.relative_to(serial_batch) for p in serial_batch.rglob("*"))
    r = run_py("batch", *SCENARIOS, *SMALL, "--out", serial_batch, "--workers", "1")
    assert r.returncode == 2 and "--resume" in r.stderr
    r = run_py("batch", *SCENARIOS, *SMALL[:-1], f"{SWEEP_KEY}=3,7", "--out", serial_batch,
               "--resume")
    assert r.returncode == 2 and "sweep" in r.stderr
    r = run_py("batch", *SCENARIOS, *SMALL, "--out", serial_batch, "--workers", "1",
               "--resume")
    assert r.returncode == 0 and "(12 done before)" in r.stderr
    assert sorted(p.relative_to(serial_batch) for p in serial_batch.rglob("*")) == listing


# --------------------------------------------------------------------- a real cluster
@pytest.fixture
def dask_scheduler(tmp_path):
    """A `dask scheduler` on 127.0.0.1, and a way to start workers; all stopped after."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    dask = str(Path(sys.executable).parent / "dask")
    procs = []

    def start(*args: str) -> subprocess.Popen:
        log = open(tmp_path / f"dask-{len(procs)}.log", "w")
        procs.append(subprocess.Popen([dask, *args], env=env, cwd=tmp_path, stdout=log,
                                      stderr=subprocess.STDOUT))
        return procs[-1]

    start("scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard")

    def worker(name: str, *extra: str) -> subprocess.Popen:
        return start("worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                     "--name", name, "--no-dashboard", *extra)

    yield address, worker
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.mark.slow  # a scheduler and workers of their own: minutes; CI's slow step
def test_external_dask_scheduler_and_worker(serial_batch, dask_scheduler, tmp_path):
    address, worker = dask_scheduler
    worker("w1")
    out = tmp_path / "cluster"
    r = batch(out, "--scheduler", address)
    df = check_small_batch(out, r)
    assert f"Dask scheduler {address}" in r.stdout
    pd.testing.assert_frame_equal(figures(df), figures(analysis.load_batch(serial_batch)))


@pytest.mark.slow  # a scheduler and workers of their own: minutes; CI's slow step
def test_dask_run_lost_with_its_worker_runs_elsewhere(dask_scheduler, tmp_path):
    from distributed import Client

    address, worker = dask_scheduler
    worker("steady")
    doomed = worker("doomed", "--no-nanny")
    out = tmp_path / "worker-death"
    args = ["batch", *SCENARIOS, "--days", "3", "--scale", "0.05", "--replications", "4",
            "--scheduler", address, "--out", str(out)]
    with Client(address, timeout="30s") as client:
        client.wait_for_workers(2, timeout=60)
        doomed_addr = next(a for a, w in client.scheduler_info()["workers"].items()
                           if w["name"] == "doomed")
        proc = subprocess.Popen([sys.executable, str(ROOT / "run.py"), *args], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while not (lost := client.processing(workers=[doomed_addr])[doomed_addr]):
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.02)
        doomed.kill()  # mid-run: the task it holds is lost with it
    stdout, stderr = proc.communicate(timeout=180)
    assert proc.returncode == 0, stderr
    df = analysis.load_batch(out)
    assert len(df) == df["run_id"].nunique() == 8 and (df["status"] == "ok").all()
    lost_run = lost[0].split("-")[1]
    assert lost_run in set(df["run_id"])
