"""Each lever changes what it should, and nothing else (small scaled runs, one seed)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import small_run

from analysis.runs import run_point
from simulation.calendar import OfficeCalendar
from simulation.model import GovernanceModel
from simulation.parameters import DOMAINS
from simulation.scenario import available, load

NEED_COLS = ["kind", "onset_min", "resident", "x", "y", "domain"]
# levers that leave the needs untouched (no surge, no prevention)
SAME_NEEDS = ["hierarchy_plus_hotline", "hierarchy_plus_police_embedding",
              "hierarchy_plus_mediation", "hierarchy_plus_unification",
              "hierarchy_plus_village_centres", "hierarchy_plus_grid", "hierarchy_plus_staff",
              "flat_structure_only"]


@pytest.fixture(scope="module")
def base():
    return small_run("hierarchy_2011")


@pytest.mark.parametrize("name", SAME_NEEDS)
def test_lever_leaves_needs_and_city_alone(base, name):
    other = small_run(name)
    pd.testing.assert_frame_equal(base.cases[NEED_COLS], other.cases[NEED_COLS])
    assert other.summary["needs_prevented"] == 0


def test_hotline_reports_out_of_hours_and_raises_reach(base):
    hot = small_run("hierarchy_plus_hotline")
    c = hot.cases[hot.cases["channel"] == "hotline"]
    assert len(c) > 0
    cal = OfficeCalendar(8.5, 17.5, 5)
    assert any(not cal.is_open(t) for t in c["reported_min"])
    assert hot.summary["reach"] > base.summary["reach"]
    assert hot.summary["cases"]["unreached"] < base.summary["cases"]["unreached"]
    assert "hotline" not in set(base.cases["channel"].dropna())


def test_unification_makes_every_welfare_need_eligible(base):
    uni = small_run("hierarchy_plus_unification")
    assert base.summary["ineligible"] > 0
    assert uni.summary["ineligible"] == 0
    assert base.cases["rural_channel"].any() and not uni.cases["rural_channel"].any()
    # ineligible needs are unreached welfare needs of rural-registered residents
    inel = base.cases[base.cases["ineligible"]]
    assert set(inel["kind"]) == {"welfare"} and (inel["status"] == "unreached").all()


def test_police_embedding_shortens_police_travel():
    # full-scale week: the travel difference is small and needs the whole force
    a = run_point(load("hierarchy_2011"), 5, 1.0, 4).summary
    b = run_point(load("hierarchy_plus_police_embedding"), 5, 1.0, 4).summary
    assert b["response_parts_min"]["travel"] < a["response_parts_min"]["travel"]


def test_mediation_centre_takes_complex_disputes(base):
    med = small_run("hierarchy_plus_mediation")
    d = med.cases[(med.cases["kind"] == "dispute") & med.cases["complex"]
                  & (med.cases["status"] == "resolved")]
    assert len(d) > 0
    # urban complex disputes go to the centre; towns keep their judicial offices
    settled_at = set(d["last_unit"].astype(str))
    assert "Grand mediation centre" in settled_at
    assert all(u == "Grand mediation centre" or u.endswith(" town") for u in settled_at)
    hd = base.cases[(base.cases["kind"] == "dispute") & base.cases["complex"]]
    md = med.cases[(med.cases["kind"] == "dispute") & med.cases["complex"]]
    assert md["handoffs"].mean() < hd["handoffs"].mean()
    # other kinds are routed as before (outcomes aside)
    other = base.cases["kind"] != "dispute"
    assert (base.cases.loc[other, "handoffs"] == med.cases.loc[other, "handoffs"]).mean() > 0.9


def test_village_centres_bring_villages_into_the_service_circle(base):
    v = small_run("hierarchy_plus_village_centres")
    assert v.summary["service_circle_coverage"] > base.summary["service_circle_coverage"]
    assert v.summary["service_circle_coverage"] == pytest.approx(1.0)


def test_grid_responsibility_finds_needs(base):
    g = small_run("hierarchy_plus_grid")
    assert (g.cases["channel"] == "grid").sum() > 0
    assert (base.cases["channel"] == "grid").sum() == 0


def test_safe_cells_lower_incidents_only_in_participating_domains():
    scn = load("hierarchy_2011").with_overrides(
        {"safe_cells.enabled": True, **{f"safe_cells.participation.{d}": 0.0
                                       for d in DOMAINS if d != "families"},
         "safe_cells.participation.families": 1.0})
    m_off = GovernanceModel("hierarchy_2011", seed=3, scale=0.1, days=28)
    m_on = GovernanceModel(scn, seed=3, scale=0.1, days=28)
    off = np.bincount(m_off.needs["domain"] + 1, minlength=len(DOMAINS) + 1)
    on = np.bincount(m_on.needs["domain"] + 1, minlength=len(DOMAINS) + 1)
    fam = 1 + DOMAINS.index("families")
    assert on[fam] < off[fam]
    others = [i for i in range(len(off)) if i != fam]
    assert np.array_equal(on[others], off[others])
    assert m_on.needs["prevented"] == off[fam] - on[fam]


def test_jisco_patrols_join_the_patrols():
    m = GovernanceModel("hierarchy_plus_safe_cells", seed=3, scale=0.1, days=1)
    assert (m.police.role == 3).sum() == 150  # full force at any scale
    jisco_beat = m.police.beat_cells[-1]
    land = m.city.land_use.ravel()[jisco_beat]
    assert (land == 3).any() and (land != 3).any()  # the zone and homes beside it


def test_equal_staff_holds_headcount():
    h = small_run("hierarchy_2011").summary["load"]["office_staff"]
    e = small_run("flat_equal_staff").summary["load"]["office_staff"]
    f = small_run("flat_2012").summary["load"]["office_staff"]
    assert e == h == 787 and f > h
    assert small_run("flat_equal_staff").summary["cost"]["per_year_cny"] < \
        small_run("flat_2012").summary["cost"]["per_year_cny"]


def test_surge_adds_needs_and_keeps_the_others():
    plain, surge = small_run("flat_2012"), small_run("flat_2012_surge")
    assert surge.summary["cases"]["total"] > 1.3 * plain.summary["cases"]["total"]
    both = plain.cases[NEED_COLS].merge(surge.cases[NEED_COLS], how="inner", on=NEED_COLS)
    assert len(both) == len(plain.cases)
    extra = surge.cases[NEED_COLS].merge(plain.cases[NEED_COLS], how="left", on=NEED_COLS,
                                         indicator=True)
    days = extra.loc[extra["_merge"] == "left_only", "onset_min"] // 1440
    assert days.min() >= 7 and days.max() < 21


def test_trust_moves_with_service():
    good = run_point(load("flat_2012").with_overrides({"outcome.base_success": 1.0}), 3,
                     0.1, 14)
    bad = run_point(load("flat_2012").with_overrides({"outcome.base_success": 0.3}), 3,
                    0.1, 14)
    assert good.summary["mean_trust_end"] > bad.summary["mean_trust_end"]
    assert good.summary["petitions"] < bad.summary["petitions"]
    assert "mean_trust" in good.timeseries and "petitions" in good.timeseries


@pytest.mark.parametrize("path", available(), ids=lambda p: p.stem)
def test_every_scenario_runs_without_losing_a_case(path):
    m = GovernanceModel(load(path), seed=2, scale=0.05, days=6)
    m.run()
    places = m.engine.locate_cases()
    found = sorted(c for cases in places.values() for c in cases)
    assert found == list(range(m.engine.next_onset)) and found
