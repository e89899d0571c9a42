"""Property-based tests over random scenarios (hypothesis).

Valid scenarios: every arisen need is in exactly one place of the engine's state,
coverage figures and utilisation lie in [0, 1], response never exceeds resolution,
timestamps are in order. Invalid ones: a ScenarioError, never any
other exception.
"""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulation.metrics import case_table, summary
from simulation.model import GovernanceModel
from simulation.parameters import iter_params
from simulation.scenario import ScenarioError, load

PARAMS = dict(iter_params())

valid_overrides = st.fixed_dictionaries({}, optional={
    "structure.communities": st.integers(6, 80),
    "structure.street_offices": st.sampled_from([0, 3, 4, 5, 6]),
    "structure.grid_responsibility": st.booleans(),
    "structure.village_service_centres": st.booleans(),
    "police.embedding": st.sampled_from(["station", "community"]),
    "police.officers": st.integers(30, 400),
    "police.joint_defence": st.integers(0, 100),
    "hotline.enabled": st.booleans(),
    "hotline.linked_dispatch": st.booleans(),
    "mediation.centre": st.booleans(),
    "registration.unified": st.booleans(),
    "safe_cells.enabled": st.booleans(),
    "needs.rate_multiplier": st.floats(0.2, 4.0),
    "decision.cycle_days.street_office": st.floats(0.0, 14.0),
    "staff.priority": st.sampled_from(["deadline", "fifo", "cases_first", "evaluation"]),
    "outcome.base_success": st.floats(0.2, 1.0),
    "tasks.volume_multiplier": st.floats(0.0, 3.0),
    "staff.community.caseworker": st.integers(1, 15),
    "trust.initial_mean": st.floats(0.0, 1.0),
    "surge.multiplier": st.floats(1.0, 3.0),
})


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(overrides=valid_overrides, seed=st.integers(0, 10_000))
def test_random_valid_scenarios_keep_the_invariants(overrides, seed):
    scn = load("hierarchy_2011").with_overrides(overrides)
    m = GovernanceModel(scn, seed=seed, scale=0.02, days=3)
    m.run()
    found = sorted(c for cases in m.engine.locate_cases().values() for c in cases)
    assert found == list(range(m.engine.next_onset))
    s, df = summary(m), case_table(m)
    for level in s["load"]["utilisation"].values():
        assert all(u is None or 0.0 <= u <= 1.0 for u in level.values())
    for key in ("service_circle_coverage", "patrol_coverage_24h", "visit_coverage", "reach"):
        v = s[key]
        assert v is None or 0.0 <= v <= 1.0, (key, v)
    res = df[df["resolved_min"].notna()]
    assert (res["response_min"] <= res["resolution_min"] + 1e-9).all()
    order = ["onset_min", "reported_min", "arrived_min", "first_response_min", "resolved_min"]
    for a, b in zip(order, order[1:]):
        both = df[a].notna() & df[b].notna()
        assert (df.loc[both, b] >= df.loc[both, a] - 1e-9).all()
    assert (df.loc[df["status"] == "unreached", "reported_min"].isna()).all()


def _bad_value(kind: str):
    return st.one_of(
        st.text(max_size=5), st.lists(st.integers(), max_size=2),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=1),
        *( [st.integers(-10**6, -1).map(float), st.floats(allow_nan=True)]
           if kind in ("int", "float") else []),
        *([st.integers(10**7, 10**9)] if kind in ("int", "float") else []),
        *([st.floats(1.5, 10.0)] if kind == "int" else []),
    )


@st.composite
def invalid_override(draw):
    key = draw(st.sampled_from(sorted(PARAMS)))
    value = draw(_bad_value(PARAMS[key].kind))
    return key, value


@settings(max_examples=60, deadline=None)
@given(bad=invalid_override())
def test_random_invalid_values_give_a_clear_error(bad):
    key, value = bad
    p = PARAMS[key]
    try:
        load("flat_2012").with_overrides({key: value})
    except ScenarioError as exc:
        assert key.split(".")[0] in str(exc)
        return
    # a few "bad" draws are in fact valid (e.g. a string for a string key, an empty list
    # for a list of kinds): then they must really satisfy the schema
    if p.kind == "str":
        assert isinstance(value, str) and (not p.choices or value in p.choices)
    elif p.kind in ("kinds", "floats", "records"):
        assert isinstance(value, list) and value == []
    else:
        assert isinstance(value, int | float) and not isinstance(value, bool)
        assert (p.lo is None or value >= p.lo) and (p.hi is None or value <= p.hi)
        assert not (isinstance(value, float) and math.isnan(value))


@settings(max_examples=30, deadline=None)
@given(key=st.text(alphabet="abcdefghijklmnopqrstuvwxyz_.", min_size=1, max_size=30))
def test_unknown_keys_are_rejected(key):
    if key in PARAMS or any(k.startswith(key + ".") for k in PARAMS) or \
            key.startswith(".") or key.endswith(".") or ".." in key:
        return
    try:
        load("flat_2012").with_overrides({key: 1})
    except ScenarioError as exc:
        assert "unknown key" in str(exc) or "expected" in str(exc)
    else:
        raise AssertionError(f"{key} accepted")


def test_scenario_error_is_the_only_failure_for_impossible_maps():
    scn = load("flat_2012").with_overrides({"structure.communities": 4000,
                                             "map.urban_area_km2": 5.0})
    try:
        GovernanceModel(scn, seed=1, scale=0.02, days=1)
    except ScenarioError as exc:
        assert "structure.communities" in str(exc)
    else:
        raise AssertionError("4000 communities on 500 cells accepted")
