"""The command line as a user meets it: help, listing, validation, bad input."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, cli

BAD_FILES = {
    "unknown_key": ("[structure]\nlayers = 3\n", "structure.layers"),
    "wrong_type": ("[police]\nofficers = \"many\"\n", "police.officers"),
    "negative_staff": ("[staff.community]\ncaseworker = -1\n", "staff.community.caseworker"),
    "share_above_one": ("[hotline]\nshare = 1.5\n", "hotline.share"),
    "zero_communities": ("[structure]\ncommunities = 0\n", "structure.communities"),
    "too_many_communities": ("[structure]\ncommunities = 4000\nstreet_offices = 0\n",
                             "structure.communities"),
    "missing_base": ('base = "gone.toml"\n', "base"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_scenario_file_exit_2_nothing_written(tmp_path, case):
    text, key = BAD_FILES[case]
    scn = tmp_path / f"{case}.toml"
    scn.write_text(text)
    out = tmp_path / "out"
    r = cli("run", str(scn), "--days", "1", "--scale", "0.05", "--out", str(out))
    assert r.returncode == 2, r.stderr
    assert str(scn) in r.stderr and key in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == [scn.name]
    v = cli("validate", str(scn))
    assert v.returncode == 2 and key in v.stderr


@pytest.mark.parametrize("args, needle", [
    (["run", "no_such_scenario"], "no such scenario"),
    (["run", "flat_2012", "--days", "0"], "--days"),
    (["run", "flat_2012", "--scale", "1.5"], "--scale"),
    (["run", "flat_2012", "--scale", "0"], "--scale"),
    (["run", "flat_2012", "--seed", "-1"], "--seed"),
    (["validate", "missing.toml"], "missing.toml"),
])
def test_bad_command_line_exit_2(tmp_path, args, needle):
    r = cli(*args, "--out", str(tmp_path / "out")) if args[0] == "run" else cli(*args)
    assert r.returncode == 2, r.stderr
    assert needle in r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", [[], ["run"], ["scenarios"], ["validate"]])
def test_help_on_every_command(command):
    r = cli(*command, "--help")
    assert r.returncode == 0
    assert "usage:" in r.stdout


def test_scenarios_lists_one_line_each():
    r = cli("scenarios", "--brief")
    assert r.returncode == 0
    lines = r.stdout.strip().splitlines()
    names = [ln.split()[0] for ln in lines]
    assert {"hierarchy_2011", "flat_2012"} <= set(names)
    assert len(lines) == len(list((ROOT / "scenarios").glob("*.toml")))
    full = cli("scenarios")
    assert "base: hierarchy_2011" in full.stdout and "[base: " in full.stdout


def test_validate_ok():
    r = cli("validate", "flat_2012")
    assert r.returncode == 0 and "valid" in r.stdout


def test_run_writes_its_files_with_keys(tmp_path):
    out = tmp_path / "run"
    r = cli("run", "flat_2012", "--days", "3", "--scale", "0.05", "--seed", "2",
            "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "Response time, median (h)" in r.stdout
    assert sorted(p.name for p in out.iterdir()) == ["cases.parquet", "hops.parquet",
                                                     "manifest.json", "summary.json",
                                                     "timeseries.parquet"]
    s = json.loads((out / "summary.json").read_text())
    for key in ("response_time_min", "resolution_time_min"):
        assert set(s[key]) >= {"mean", "median", "p90"}
    for key in ("service_circle_coverage", "patrol_coverage_24h", "visit_coverage", "reach"):
        assert 0.0 <= s[key] <= 1.0
    assert set(s["cases"]) >= {"total", "resolved", "in_progress", "gave_up", "unreached"}
    for key in ("acknowledged_time_min", "resolved_within_deadline", "repeat_contacts",
                "tasks", "response_parts_by_level_min"):
        assert key in s
    assert set(s["tasks"]) >= {"issued", "done", "overdue"}
    assert 0 < s["load"]["utilisation"]["community"]["all"] < 1
    assert set(s["response_parts_min"]) == {"reporting_delay", "routing_delay", "queue_wait",
                                            "travel"}
    assert set(s["by_kind"]) == {"welfare", "public_order", "dispute", "elderly_care",
                                 "floating_registration", "facility_complaint"}
    assert s["by_community"]
    m = json.loads((out / "manifest.json").read_text())
    assert m["seed"] == 2 and m["scale"] == 0.05 and m["days"] == 3
    assert len(m["scenario_sha256"]) == 64
    assert m["scenario"]["params"]["structure"]["communities"] == 30
    assert m["code"]["source_sha256"] and m["wall_time_s"]["total"] > 0
    import pandas as pd
    cases = pd.read_parquet(out / "cases.parquet")
    assert len(cases) == s["cases"]["total"]
    hops = pd.read_parquet(out / "hops.parquet")
    assert list(hops.columns[:7]) == ["case", "unit", "level", "arrived_min", "started_min",
                                      "done_min", "outcome"]
    assert set(hops["outcome"].astype(str)) <= {"resolved", "referred", "misrouted", "failed",
                                                "gave_up", "open"}
    ts = pd.read_parquet(out / "timeseries.parquet")
    assert len(ts) == 3 * 24 + 1 and ts["hour"].iloc[-1] == 72  # hour 0 to the end
