"""`run.py siting`: the location problems on toy maps with known answers, and the command."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT, cli

from analysis import cbc_limit, location_heuristics
from analysis.cbc_limit import hard_limit_s
from analysis.location_heuristics import (
    as_pmedian_cost,
    enumerate_best,
    heuristic,
    lagrangian_bound,
    objective_value,
    vertex_substitution,
)
from analysis.siting import (
    Demand,
    Walk,
    aggregate,
    demands_of,
    evaluate,
    minutes_to,
    refine,
    run_siting,
    solve,
    structure_sets,
)
from simulation.model import GovernanceModel

WALK = Walk(cell_m=100.0, speed_kmh=5.0, detour=1.2, circle_min=15.0)
H = 30  # height of the toy grids


def toy_demand(cells_xy, weights) -> Demand:
    cells = np.array([x * H + y for x, y in cells_xy], np.int64)
    return Demand("toy", "toy residents", cells, np.asarray(weights, float), H)


def two_clusters() -> tuple[Demand, np.ndarray, np.ndarray]:
    """Two 3 x 3 clusters 30 cells (43 minutes' walk) apart; which cluster each cell is in."""
    a = [(x, y) for x in range(3, 6) for y in range(3, 6)]
    b = [(x, y) for x in range(33, 36) for y in range(20, 23)]
    d = toy_demand(a + b, [100.0] * len(a) + [60.0] * len(b))
    return d, np.arange(len(a)), np.arange(len(a), len(a) + len(b))


@pytest.mark.parametrize("objective", ["coverage", "access"])
def test_two_clusters_one_site_each(objective):
    demand, in_a, in_b = two_clusters()
    sol = solve(demand, aggregate(demand, 1), WALK, objective, 2, time_limit_s=60)
    assert sol.status == "optimal"
    assert len(sol.sites) == 2
    assert len(set(sol.sites) & set(demand.cells[in_a])) == 1
    assert len(set(sol.sites) & set(demand.cells[in_b])) == 1
    f = evaluate(demand, sol.sites, WALK)
    assert f.covered == pytest.approx(1.0)
    if objective == "access":  # the median of an even 3 x 3 cluster is its middle cell
        assert {4 * H + 4, 34 * H + 21} == set(sol.sites.tolist())


def scattered(n=40, seed=3) -> Demand:
    rng = np.random.default_rng(seed)
    flat = rng.choice(28 * H, n, replace=False)
    return toy_demand([(c // H, c % H) for c in flat], rng.lognormal(3, 1, n))


@pytest.mark.parametrize("p", [2, 3])
def test_optimum_beats_every_other_placement_tried(p):
    demand = scattered()
    walk = Walk(100.0, 5.0, 1.2, circle_min=8.0)  # a small circle: coverage is not trivial
    blocks = aggregate(demand, 1)
    cov = evaluate(demand, solve(demand, blocks, walk, "coverage", p, 60).sites, walk)
    acc_sol = solve(demand, blocks, walk, "access", p, 60)
    acc = evaluate(demand, acc_sol.sites, walk)
    assert cov.covered < 1.0
    rng = np.random.default_rng(11)
    for _ in range(200):
        other = rng.choice(demand.cells, p, replace=False)
        f = evaluate(demand, other, walk)
        assert f.covered <= cov.covered + 1e-12
        assert f.mean_min >= acc.mean_min - 1e-9
    # and CBC's optimum is the one that trying every set of p sites finds
    cost = minutes_to(demand.xs, demand.ys, demand.cells, H, walk)
    best, _ = enumerate_best(cost, demand.weight, p, "access", walk.circle_min)
    assert acc.mean_min == pytest.approx(best)
    assert acc_sol.check == "agrees"


@pytest.mark.parametrize("objective", ["access", "coverage"])
@pytest.mark.parametrize("p", [2, 3])
def test_heuristic_finds_the_enumerated_optimum(objective, p):
    """Greedy addition + vertex substitution (and Lagrangian starts) on the cost matrix:
    for p = 2 and 3 on a scattered toy map it finds the optimum that trying every set
    finds (and CBC's), and its bound is no higher."""
    demand = scattered()
    walk = Walk(100.0, 5.0, 1.2, circle_min=8.0)
    cost = minutes_to(demand.xs, demand.ys, demand.cells, H, walk)
    as_median = as_pmedian_cost(cost, objective, walk.circle_min)
    chosen, bound = heuristic(as_median, demand.weight, p)
    assert len(set(chosen.tolist())) == p
    assert bound <= demand.weight @ as_median[:, chosen].min(axis=1) * (1 + 1e-12)
    found = objective_value(cost, demand.weight, chosen, objective, walk.circle_min)
    best, _ = enumerate_best(cost, demand.weight, p, objective, walk.circle_min)
    assert found == pytest.approx(best, rel=1e-12)
    sol = solve(demand, aggregate(demand, 1), walk, objective, p, 60)
    assert sol.status == "optimal"  # CBC proved it
    assert sol.heuristic == pytest.approx(sol.value, rel=1e-12)


def test_heuristic_can_start_anywhere_and_is_deterministic():
    demand = scattered(60, seed=4)
    cost = minutes_to(demand.xs, demand.ys, demand.cells, H, WALK)
    a = vertex_substitution(cost, demand.weight, 5)
    assert np.array_equal(a, vertex_substitution(cost, demand.weight, 5))
    b = vertex_substitution(cost, demand.weight, 5, starts=[np.arange(5), np.arange(50, 55)])
    total = demand.weight @ cost[:, b].min(axis=1)
    assert total <= demand.weight @ cost[:, a].min(axis=1) + 1e-9  # the best of the starts
    c, _ = heuristic(cost, demand.weight, 5)
    assert demand.weight @ cost[:, c].min(axis=1) <= total + 1e-9
    assert np.array_equal(vertex_substitution(cost, demand.weight, len(demand.cells)),
                          np.arange(len(demand.cells)))
    with pytest.raises(ValueError):
        vertex_substitution(cost, demand.weight, 0)


@pytest.mark.parametrize("objective", ["access", "coverage"])
def test_lagrangian_bound_never_above_the_optimum(objective):
    demand = scattered(40, seed=7)
    walk = Walk(100.0, 5.0, 1.2, circle_min=8.0)
    cost = as_pmedian_cost(minutes_to(demand.xs, demand.ys, demand.cells, H, walk),
                           objective, walk.circle_min)
    w = demand.weight
    for p in (1, 2, 3):
        best, chosen = enumerate_best(cost, w, p, "access", walk.circle_min)
        optimum = best * w.sum()
        bound = lagrangian_bound(cost, w, p, upper=optimum * 1.5)
        assert bound <= optimum * (1 + 1e-9)
        assert bound >= 0.8 * optimum  # and not a trivial one


def fake_cbc(folder):
    """A CBC that never answers: `sleep`, started the way PuLP starts CBC."""
    import pulp
    script = folder / "cbc"
    script.write_text("#!/bin/sh\nexec sleep 60\n")
    script.chmod(0o755)

    def make(time_limit_s, log_path):
        return pulp.COIN_CMD(path=str(script), msg=False, timeLimit=time_limit_s,
                             logPath=str(log_path))
    return make


def test_hard_limit_stops_cbc_and_keeps_the_heuristic(tmp_path, monkeypatch):
    """CBC that does not return is stopped at the time limit plus the grace; the
    heuristic's sites are kept and labelled as such (no enumeration, no bound that
    proves them optimal)."""
    import subprocess
    started = []
    real_popen = subprocess.Popen

    def popen(*args, **kwargs):
        started.append(real_popen(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(cbc_limit, "cbc", fake_cbc(tmp_path))
    monkeypatch.setattr(subprocess, "Popen", popen)
    monkeypatch.setattr(location_heuristics, "ENUMERATION_LIMIT", 0)
    monkeypatch.setattr(location_heuristics, "heuristic",  # a bound of 0 proves nothing
                        lambda cost, w, p: (vertex_substitution(cost, w, p), 0.0))
    demand = scattered(60, seed=4)
    sol = solve(demand, aggregate(demand, 1), WALK, "access", 4, time_limit_s=1.0)
    assert hard_limit_s(1.0) == pytest.approx(2.0)
    assert hard_limit_s(100.0) == pytest.approx(120.0)
    assert sol.cbc_start_s < 2.0 <= sol.solve_s < 2.0 + 0.5
    assert sol.status == "heuristic (CBC stopped at the time limit)"
    assert sol.cbc_ended == "stopped"
    assert sol.value == pytest.approx(sol.heuristic)
    assert sol.gap == pytest.approx(1.0)  # against the zero bound put in above
    assert len(started) == 1 and started[0].poll() is not None  # no CBC left running


def test_hard_limit_stops_a_real_cbc_inside_its_root_lp():
    """A p-median of 300 x 300 cells, 7 sites: CBC needs minutes for it (220 s here,
    mostly its root LP, which its own time limit does not interrupt), so with a 2 s
    limit its process is stopped at 2.4 s and the heuristic (here proved optimal by its
    Lagrangian bound, or not) is kept; the figures are exact on cells."""
    rng = np.random.default_rng(3)
    flat = rng.choice(40 * H, 300, replace=False)
    demand = toy_demand([(c // H, c % H) for c in flat], rng.lognormal(3, 1, 300))
    sol = solve(demand, aggregate(demand, 1), WALK, "access", 7, time_limit_s=2.0)
    assert sol.cbc_ended == "stopped", sol.status
    # stopped at 2.4 s, or at once if PuLP was still writing the problem file by then
    assert hard_limit_s(2.0) <= sol.solve_s < max(hard_limit_s(2.0), sol.cbc_start_s) + 0.5
    assert sol.status.endswith("CBC stopped at the time limit)")
    assert sol.value == pytest.approx(sol.heuristic)
    assert evaluate(demand, sol.sites, WALK).mean_min <= sol.heuristic + 1e-9


def test_aggregation_keeps_residents_and_puts_sites_where_people_live():
    demand = scattered(120, seed=5)
    blocks = aggregate(demand, 3)
    assert blocks.weight.sum() == pytest.approx(demand.residents)
    assert set(blocks.site.tolist()) <= set(demand.cells.tolist())
    assert len(blocks) < len(demand.cells)
    # every block's site lies in its own block
    for j, cell in enumerate(blocks.site):
        members = demand.cells[blocks.of_cell == j]
        assert cell in members


def test_refine_never_worse_and_moves_a_bad_site():
    demand = scattered(60, seed=9)
    start = demand.cells[:3].copy()
    before = evaluate(demand, start, WALK).mean_min
    after_sites = refine(demand, start, 2, WALK)
    after = evaluate(demand, after_sites, WALK).mean_min
    assert after <= before + 1e-12
    assert len(set(after_sites.tolist())) == 3


# ---------------------------------------------------------------- on a scenario's map
def toy_scenario(folder) -> str:
    """A small city derived from streets_2019: 50 urban cells, one village, one town."""
    path = folder / "toy_city.toml"
    base = (ROOT / "scenarios" / "streets_2019.toml").as_posix()
    path.write_text(f'base = "{base}"\ntitle = "Toy city"\n'
                    "[map]\nwidth = 30\nheight = 26\nurban_area_km2 = 0.5\n"
                    "jisco_zone_km2 = 0.2\nvillages = 1\ntowns = 1\nenterprises = 3\n"
                    "[population]\nresidents = 5000\n"
                    "[structure]\ncommunities = 3\nstreet_offices = 2\n")
    return str(path)


@pytest.fixture(scope="module")
def toy_model(tmp_path_factory):
    return GovernanceModel(toy_scenario(tmp_path_factory.mktemp("toy")), seed=1, scale=0.05,
                           days=1)


@pytest.fixture(scope="module")
def toy_result(toy_model):
    return run_siting(toy_model, 1, points=[2], block=1, time_limit_s=60)


def test_structure_figures_match_the_model(toy_model):
    """The structure's sites are measured as the model measures walks to service points."""
    st, city = toy_model.structure, toy_model.city
    sets = {s.name: s for s in structure_sets(st)}
    assert {"service_points", "communities", "street_offices"} <= set(sets)
    assert sets["street_offices"].p == 2
    everyone = demands_of(city)["city"]
    f = evaluate(everyone, sets["service_points"].cells, Walk.of(toy_model))
    walk = st.walk_min[everyone.cells]
    assert f.mean_min == pytest.approx(np.average(walk, weights=everyone.weight))
    circle = toy_model.params["access"]["service_circle_min"]
    assert f.covered == pytest.approx(np.average(walk <= circle, weights=everyone.weight))


def test_optimum_no_worse_than_the_structure(toy_result):
    """Exact (1-cell blocks): the optimum for two sites beats the two street offices."""
    offices = next(s for s in toy_result.sets if s.name == "street_offices")
    urban = toy_result.demands["urban"]
    own = evaluate(urban, offices.cells, toy_result.walk)
    best_access = toy_result.optimum("access", "urban", 2)
    best_cover = toy_result.optimum("coverage", "urban", 2)
    assert best_access.status == best_cover.status == "optimal"
    assert evaluate(urban, best_access.sites, toy_result.walk).mean_min <= own.mean_min + 1e-9
    assert evaluate(urban, best_cover.sites, toy_result.walk).covered >= own.covered - 1e-12
    assert best_access.check == best_cover.check == "agrees"


# ------------------------------------------------------------------------- the command
def test_command_writes_its_files_and_answers_the_question(tmp_path):
    scn = toy_scenario(tmp_path)
    out = tmp_path / "out"
    r = cli("siting", scn, "--points", "2", "--demand", "urban", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "manifest.json", "sites.csv", "siting.csv", "siting.html", "siting.png"]
    assert "Where should the two street offices have gone?" in r.stdout
    rows = pd.read_csv(out / "siting.csv")
    assert set(rows["demand"]) == {"urban"}  # --demand urban: no problem for all residents
    offices = rows[(rows["set"] == "street offices (units with power)")]
    best = rows[(rows["kind"] == "access optimum") & (rows["demand"] == "urban")]
    assert len(offices) == 1 and len(best) == 1 and int(best["p"].iloc[0]) == 2
    assert f"{offices['mean_min'].iloc[0]:.2f}" in r.stdout
    assert f"{best['mean_min'].iloc[0]:.2f}" in r.stdout
    sites = pd.read_csv(out / "sites.csv")
    assert ((sites["x"] >= 0) & (sites["x"] < 30) & (sites["y"] >= 0)
            & (sites["y"] < 26)).all()
    assert (sites.groupby(["demand", "set"])["site"].count()
            == sites.groupby(["demand", "set"])["p"].first()).all()
    assert (out / "siting.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = (out / "siting.html").read_text()
    assert "data:image/png;base64," in page and "optimal" in page
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("args, needle", [
    (["no_such_scenario"], "no such scenario"),
    (["TOY", "--points", "0"], "--points"),
    (["TOY", "--points", "2,x"], "--points"),
    (["TOY", "--points", "5000"], "--points"),
    (["TOY", "--time-limit", "0"], "--time-limit"),
    (["TOY", "--time-limit", "-5"], "--time-limit"),
    (["TOY", "--time-limit", "ten"], "--time-limit"),
    (["TOY", "--time-limit", "nan"], "--time-limit"),
    (["TOY", "--time-limit", "inf"], "--time-limit"),
])
def test_bad_input_exit_2_nothing_written(tmp_path, args, needle):
    scn = toy_scenario(tmp_path)
    out = tmp_path / "out"
    r = cli("siting", *[scn if a == "TOY" else a for a in args], "--out", str(out))
    assert r.returncode == 2, r.stderr
    assert needle in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["toy_city.toml"]


def test_cbc_gap_read_from_its_log_as_a_positive_share():
    from analysis.cbc_limit import _gap
    log = "Result - Stopped on time limit\nObjective value:   -986344\nGap:   -0.01\n"
    assert _gap(log) == pytest.approx(0.01)
    assert _gap("Result - Optimal solution found\n") is None


def test_a_shortfall_is_never_printed_as_100_percent():
    from analysis.siting_tables import pct
    assert pct(99.96) == "99.96"
    assert pct(100.0) == "100.0"
    assert pct(27.47) == "27.5"
