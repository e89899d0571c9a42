"""`run.py explore` and scenario discovery: PRIM finds a planted region and no region in
noise; the points table pairs the scenarios and says which is worse; an interrupted
exploration resumes on a pool without running a point twice; the report shows where the
verdict flips."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from interrupt import interrupting

from analysis import explore_cli
from analysis.discovery import box_words, find_boxes
from analysis.explore import ExploreDesign, points_table
from analysis.ranges import Range
from simulation.scenario import load

PARAMS = ["staff.community_scale=0.5:1.5", "tasks.volume_multiplier=0.5:3",
          "needs.rate_multiplier=0.5:2"]
SMALL = ["--days", "1", "--scale", "0.01", "--n", "10", "--seed", "5"]


def planted(n: int = 300, seed: int = 3) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.uniform(0, 1, (n, 4)), columns=[
        "staff.community_scale", "tasks.volume_multiplier", "needs.rate_multiplier",
        "hotline.share"])
    y = ((x["staff.community_scale"] < 0.3) & (x["needs.rate_multiplier"] > 0.6)).to_numpy()
    return x, y


def test_prim_finds_a_planted_region():
    x, y = planted()
    boxes = find_boxes(x, y)
    assert len(boxes) >= 1
    box = boxes[0]
    restricted = {d for d, sides in box.restricted.items() if any(sides)}
    assert restricted == {"staff.community_scale", "needs.rate_multiplier"}
    assert box.restricted["staff.community_scale"] == (False, True)
    assert box.restricted["needs.rate_multiplier"] == (True, False)
    assert box.bounds["staff.community_scale"][1] == pytest.approx(0.3, abs=0.05)
    assert box.bounds["needs.rate_multiplier"][0] == pytest.approx(0.6, abs=0.05)
    assert box.coverage >= 0.9 and box.density >= 0.8
    words = box_words(box, "flat is worse", int(y.sum()))
    assert re.search(r"\(staff\.community_scale\) is below 0\.(29|3)", words), words
    assert re.search(r"\(needs\.rate_multiplier\) is above 0\.(59|6)", words), words


def test_prim_finds_no_dense_region_in_noise():
    x, _ = planted()
    y = np.random.default_rng(9).uniform(size=len(x)) < 0.2
    assert all(b.below_threshold or b.density < 0.8 for b in find_boxes(x, y))


def _design() -> ExploreDesign:
    ranges = {"hotline.share": Range("hotline.share", 0.2, 0.8)}
    return ExploreDesign(load("hierarchy_2011"), load("flat_2012"), ranges, 4, 10, 1, 0.01)


def test_points_pair_the_scenarios_and_say_which_is_worse():
    design = _design()
    rows = []
    for i in range(4):  # response median (lower is better) and reach (higher is better)
        rows.append({"scenario": "hierarchy_2011", "replication": i, "status": "ok",
                     "response_time_min.median": 600.0, "reach": 0.8})
        rows.append({"scenario": "flat_2012", "replication": i, "status": "ok",
                     "response_time_min.median": 300.0 + 200 * i, "reach": 0.7 + 0.05 * i})
    rows.append({"scenario": "flat_2012", "replication": 4, "status": "failed"})
    points = points_table(design, pd.DataFrame(rows))
    assert points["point"].tolist() == [0, 1, 2, 3]
    assert points["seed"].tolist() == [10, 11, 12, 13]
    assert points["response_time_min.median:diff"].tolist() == pytest.approx(
        [-5.0, -5 / 3, 5 / 3, 5.0])  # hours
    assert points["response_time_min.median:worse"].tolist() == [False, False, True, True]
    assert points["reach:worse"].tolist() == [True, True, False, False]
    assert points["hotline.share"].tolist() == design.sample()["hotline.share"].tolist()


def test_the_sample_is_a_seeded_latin_hypercube():
    design = _design()
    design.n = 20
    unit = design.unit_sample()
    assert sorted((unit[:, 0] * 20).astype(int)) == list(range(20))  # one per stratum
    assert np.array_equal(unit, design.unit_sample())
    points = design.points()
    assert len(points) == 40 and len({p.run_id for p in points}) == 40
    assert [p.seed for p in points[:4]] == [10, 10, 11, 11]


@pytest.fixture(scope="module")
def explored(tmp_path_factory):
    """An exploration interrupted after 7 runs, then resumed on two worker processes."""
    import run

    out = tmp_path_factory.mktemp("explore") / "out"
    args = ["explore", "hierarchy_2011", "flat_2012", *sum((["--param", p] for p in PARAMS),
                                                           []), *SMALL, "--out", str(out)]
    mp = pytest.MonkeyPatch()
    from analysis import batch

    interrupted, _ = interrupting(batch.run_and_record, after=7)
    mp.setattr(batch, "run_and_record", interrupted)
    try:
        assert run.main([*args, "--workers", "1"]) == 130
    finally:
        mp.undo()
    before = {p.name: p.stat().st_mtime_ns for p in (out / "runs").glob("run-*.parquet")}
    assert run.main([*args, "--workers", "2", "--resume"]) == 0
    return out, before


def test_an_interrupted_exploration_resumes_without_repeating(explored):
    out, before = explored
    assert len(before) == 7
    after = {p.name: p.stat().st_mtime_ns for p in (out / "runs").glob("run-*.parquet")}
    assert len(after) == 20 and {k: after[k] for k in before} == before
    assert not list((out / "cases").glob("**/*.parquet"))  # only rows of figures
    points = pd.read_parquet(out / "points.parquet")
    assert len(points) == 10 and points["seed"].tolist() == list(range(5, 15))
    flips = json.loads((out / "flips.json").read_text())
    assert flips["baseline"] == "hierarchy_2011" and flips["points"] == 10
    assert {f["figure"] for f in flips["figures"]} >= {"response_time_min.median", "reach"}
    assert flips["words"] and (out / "flips.txt").is_file()


def test_the_report_says_where_the_verdict_flips(explored, tmp_path, run_py):
    out, _ = explored
    r = run_py("report", out, "--lang", "en", "--out", tmp_path / "report.html")
    assert r.returncode == 0, r.stderr
    page = (tmp_path / "report.html").read_text()
    assert "Where the verdict flips" in page
    assert "10 sample points" in page
    words = json.loads((out / "flips.json").read_text())["words"]
    assert words[0].split(" on ")[0] in page


@pytest.mark.slow
def test_dask_gives_the_same_points(explored, tmp_path, run_py):
    out, _ = explored
    dask_out = tmp_path / "dask"
    r = run_py("explore", "hierarchy_2011", "flat_2012", *sum((["--param", p] for p in PARAMS),
                                                               []), *SMALL, "--out", dask_out,
               "--scheduler", "local", "--workers", "2")
    assert r.returncode == 0, r.stderr
    pd.testing.assert_frame_equal(pd.read_parquet(dask_out / "points.parquet"),
                                  pd.read_parquet(out / "points.parquet"))


def test_the_plain_words_cover_every_headline_figure(explored):
    out, _ = explored
    flips = json.loads((out / "flips.json").read_text())
    text = " ".join(flips["words"])
    for f in flips["figures"]:
        assert f["label"] in text, f["label"]
    assert explore_cli.FLIPS == "flips.json"
