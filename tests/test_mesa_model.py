"""The model is a real Mesa model with real agents on a real discrete space."""

from __future__ import annotations

import mesa
from mesa.discrete_space import OrthogonalMooreGrid

from simulation.agents import CommunityWorker, Enterprise, PoliceOfficer
from simulation.model import GovernanceModel


def test_agents_and_grid():
    m = GovernanceModel("flat_2012", seed=2, scale=0.05, days=2)
    assert isinstance(m, mesa.Model)
    assert isinstance(m.grid, OrthogonalMooreGrid)
    types = set(m.agents_by_type)
    assert {CommunityWorker, PoliceOfficer, Enterprise} <= types
    roles = {a.role for a in m.agents_by_type[CommunityWorker]}
    assert roles == {"front_desk", "caseworker", "grid_worker"}
    officer = m.agents_by_type[PoliceOfficer][0]
    assert officer.cell in m.grid.all_cells
    assert m.grid.population.data.sum() == m.residents.n
    r = m.residents[0]
    assert 0 <= r.trust <= 1 and r.age_group in ("child", "adult", "elderly")


def test_step_is_one_hour_and_agents_move():
    m = GovernanceModel("flat_2012", seed=2, scale=0.05, days=2)
    grid_workers = [a for a in m.agents_by_type[CommunityWorker] if a.role == "grid_worker"]
    officers = list(m.agents_by_type[PoliceOfficer])
    before = [a.pos for a in officers + grid_workers]
    for _ in range(12):
        m.step()
    assert m.time_min == 12 * 60 and m.steps == 12
    after = [a.pos for a in officers + grid_workers]
    assert sum(a != b for a, b in zip(before, after)) > len(before) // 4
    m.run()
    assert m.time_min == 2 * 1440 and not m.running


def test_summary_mid_run_counts_only_needs_arisen_so_far():
    from simulation.metrics import summary
    m = GovernanceModel("flat_2012", seed=2, scale=0.05, days=4)
    for _ in range(30):
        m.step()
    c = summary(m)["cases"]
    assert c["total"] == m.engine.next_onset < len(m.needs["onset"])
    assert c["resolved"] + c["in_progress"] + c["unreached"] == c["total"]
