"""The model is a real Mesa model: agents on a discrete space, `step()` as one hour, a
DataCollector that the summary, the time series and the browser all read, and
`mesa.batch_run` works on it."""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd
from mesa.discrete_space import OrthogonalMooreGrid

from simulation.agents import CommunityOffice, CommunityWorker, Enterprise, Office, PoliceOfficer
from simulation.metrics import current_figures, summary, timeseries_table
from simulation.model import GovernanceModel


def test_agents_and_grid():
    m = GovernanceModel("flat_2012", seed=2, scale=0.05, days=2)
    assert isinstance(m, mesa.Model)
    assert isinstance(m.grid, OrthogonalMooreGrid)
    types = set(m.agents_by_type)
    assert {CommunityWorker, PoliceOfficer, Enterprise, Office, CommunityOffice} <= types
    roles = {a.role for a in m.agents_by_type[CommunityWorker]}
    assert roles == {"front_desk", "caseworker", "grid_worker", "operator"}
    # one office per unit, one worker per member of staff
    assert len(m.agents_by_type[Office]) + len(m.agents_by_type[CommunityOffice]) == \
        len(m.structure.units)
    assert len(m.agents_by_type[CommunityWorker]) == sum(
        c for lv in m.structure.staff_by_level().values() for c in lv.values())
    officer = m.agents_by_type[PoliceOfficer][0]
    assert officer.cell in m.grid.all_cells
    assert m.grid.population.data.sum() == m.residents.n
    r = m.residents[0]
    assert 0 <= r.trust <= 1 and r.age_group in ("child", "adult", "elderly")


def test_step_is_one_hour_agents_move_and_offices_work():
    m = GovernanceModel("flat_2012", seed=2, scale=0.05, days=2)
    grid_workers = [a for a in m.agents_by_type[CommunityWorker] if a.role == "grid_worker"]
    officers = list(m.agents_by_type[PoliceOfficer])
    before = [a.pos for a in officers + grid_workers]
    for _ in range(12):
        m.step()
    assert m.time_min == 12 * 60 and m.steps == 12
    after = [a.pos for a in officers + grid_workers]
    assert sum(a != b for a, b in zip(before, after)) > len(before) // 4
    offices = m.agents_by_type[CommunityOffice]
    assert any(o.utilisation and o.utilisation > 0 for o in offices)
    m.run()
    assert m.time_min == 2 * 1440 and not m.running and m.steps == 48


def test_one_source_of_figures():
    """The DataCollector's hourly rows are the time series; the browser's figures and the
    summary read the same row for the same hour."""
    m = GovernanceModel("hierarchy_2011", seed=2, scale=0.05, days=3)
    for _ in range(30):
        m.step()
    live = current_figures(m)
    series = timeseries_table(m)
    assert len(series) == 31 and series["hour"].iloc[-1] == 30.0
    last = series.iloc[-1]
    for key in ("reported", "resolved", "backlog", "petitions", "mean_trust", "queued_items"):
        assert live[key] == last[key]
    s = summary(m)
    assert s["cases"]["total"] == last["needs_arisen"] == m.engine.next_onset
    assert s["petitions"] == last["petitions"]
    assert s["mean_trust_end"] == last["mean_trust"]
    assert s["reach"] == live["reach"]
    per_comm = m.datacollector.get_agenttype_vars_dataframe(CommunityOffice)
    assert len(per_comm) == 31 * len(m.agents_by_type[CommunityOffice])
    assert set(per_comm.columns) >= {"queued", "open_cases", "utilisation", "tasks_overdue"}


def test_mesa_batch_run_takes_a_scenario_by_name():
    results = mesa.batch_run(GovernanceModel,
                             parameters={"scenario": ["hierarchy_2011", "flat_2012"],
                                         "scale": 0.02, "days": 1, "seed": [3]},
                             iterations=1, max_steps=6, number_processes=1,
                             display_progress=False)
    df = pd.DataFrame(results)
    assert set(df["scenario"]) == {"hierarchy_2011", "flat_2012"}
    assert df["Step"].max() == 6
    assert np.all(df["needs_arisen"] >= 0) and "mean_trust" in df
