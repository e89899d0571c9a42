"""Coverage figures that can tell structures apart, police by beat, and figures that do
not depend on the sampled scale."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from small_runs import run_small

from simulation.calendar import DAY
from simulation.metrics import case_table, summary
from simulation.model import GovernanceModel


def run(name: str, days: int = 4, scale: float = 0.05, seed: int = 3, **overrides):
    return run_small(name, days, scale, seed, **overrides)


def test_an_officer_who_never_leaves_base_covers_almost_nobody():
    lone = summary(run("hierarchy_2011", police__officers=1, police__patrol_time_share=0.0,
                       police__stations=1))
    busy = summary(run("hierarchy_2011"))
    assert lone["patrol_coverage_1h"] < 0.02
    assert busy["patrol_coverage_1h"] > 0.2
    assert busy["patrol_coverage_1h"] < busy["patrol_coverage_4h"] < \
        busy["patrol_coverage_24h"] <= 1.0


def test_more_patrol_time_covers_more_people():
    low = summary(run("hierarchy_2011", police__patrol_time_share=0.1))
    high = summary(run("hierarchy_2011", police__patrol_time_share=0.6))
    assert high["patrol_coverage_1h"] > low["patrol_coverage_1h"] + 0.1
    assert high["incidents_found_in_time"] > low["incidents_found_in_time"]


def test_people_are_weighted_where_they_are():
    m = GovernanceModel("hierarchy_2011", seed=1, scale=0.05, days=1)
    people = m.engine.people
    zone = m.city.land_use.ravel() == 3
    monday_10 = people.weights(10 * 60.0)
    sunday_3 = people.weights(6 * DAY + 3 * 60.0)
    assert monday_10.sum() == pytest.approx(1.0) and sunday_3.sum() == pytest.approx(1.0)
    # JISCO's day crew and the office workers are at work on Monday morning
    assert monday_10[zone].sum() > sunday_3[zone].sum() > 0
    homes = np.bincount(m.residents.home, minlength=len(monday_10)) / m.residents.n
    assert np.abs(sunday_3 - homes).sum() < np.abs(monday_10 - homes).sum()


def test_incidents_last_long_enough_to_be_found_or_not():
    short = summary(run("hierarchy_2011", police__incident_duration_min=5.0))
    long_ = summary(run("hierarchy_2011", police__incident_duration_min=240.0))
    assert long_["incidents_found_in_time"] > short["incidents_found_in_time"]


def test_beat_first_sends_the_beat_s_own_officer():
    m = GovernanceModel("hierarchy_plus_police_embedding", seed=1, scale=0.05, days=1)
    pol, w = m.police, m.walkers
    t = 9 * 60.0  # every officer on this shift free at the start
    cells = m.structure.units[int(m.structure.community_units[5])].cell
    beat = pol.beat_of(cells)
    assert pol.base_kind[beat] == "post"
    i, _ = pol.choose(t, w.x[:pol.n], w.y[:pol.n], cells)
    mine = pol.available(t) & (pol.officer_base == beat)
    if mine.any():
        assert pol.officer_base[i] == beat
    pol.beat_first = False
    j, drive = pol.choose(t, w.x[:pol.n], w.y[:pol.n], cells)
    free = np.flatnonzero(pol.available(t))
    nearest = pol.drive_min(w.x[free], w.y[free], cells).min()
    assert drive == pytest.approx(nearest)


def test_priority_one_target_and_rule_are_levers():
    base = summary(run("hierarchy_2011"))
    lax = summary(run("hierarchy_2011", police__p1_target_min=30.0))
    none = summary(run("hierarchy_2011", police__priority1_share=0.0))
    assert 0 < base["police_p1_within_target"] <= lax["police_p1_within_target"] == 1.0
    assert none["police_p1_within_target"] is None
    for key in ("mean", "median", "p90"):
        assert base["police_response_min"][key] > 0


def test_calls_queue_at_the_dispatch_centre():
    one = run("hierarchy_2011", police__dispatchers=1, police__dispatch_handling_min=20.0)
    many = run("hierarchy_2011")
    s1, s2 = summary(one), summary(many)
    assert s1["police_response_min"]["median"] > s2["police_response_min"]["median"] + 5
    assert s1["load"]["utilisation"]["dispatch"]["operator"] > \
        5 * s2["load"]["utilisation"]["dispatch"]["operator"]


def test_service_circle_by_authority_and_hours():
    h = summary(run("hierarchy_2011", days=1))
    # communities that can settle welfare put it within reach of more residents
    served = summary(run("hierarchy_2011", days=1, authority__routine__community=[
        "welfare", "dispute", "elderly_care", "floating_registration", "facility_complaint"]))
    assert served["service_circle_coverage_authority"] > h["service_circle_coverage_authority"]
    assert h["service_circle_coverage_open_hours"] <= h["service_circle_coverage_authority"] <= \
        h["service_circle_coverage"] + 1e-9
    # without the midday closure, office workers can come in their lunch break
    no_lunch = summary(run("hierarchy_2011", days=1, calendar__lunch_end_h=12.0))
    assert no_lunch["service_circle_coverage_open_hours"] > \
        h["service_circle_coverage_open_hours"]
    assert 0 < h["by_kind"]["welfare"]["service_circle_coverage_authority"] <= 1


def test_villages_without_centres_are_visited_by_town_staff():
    m = run("hierarchy_2011", days=20)
    village_visits = [v for v in range(len(m.engine.visits.unit))
                      if m.structure.units[int(m.engine.visits.unit[v])].level == "town"]
    assert village_visits
    towns = [int(u) for u in m.structure.town_units]
    assert m.engine.visits.made_by_unit[towns].sum() > 0
    # a visit costs the trip there and back besides the time at the home
    minutes = np.asarray(m.engine.visits.minutes)
    assert (minutes >= m.params["grid"]["visit_min"]).all() and minutes.mean() > minutes.min()


def test_figures_do_not_depend_on_the_sampled_scale():
    """Patrol and service-circle figures at scale 0.1 and 1 agree within intervals."""
    keys = ("patrol_coverage_1h", "patrol_coverage_4h", "patrol_coverage_24h",
            "service_circle_coverage", "service_circle_coverage_authority",
            "service_circle_coverage_open_hours", "incidents_found_in_time")
    values = {s: {k: [] for k in keys} for s in (0.1, 1.0)}
    for scale in values:
        for seed in (1, 2, 3):
            s = summary(run("flat_2012", days=3, scale=scale, seed=seed))
            for k in keys:
                values[scale][k].append(s[k])
    for k in keys:
        a, b = np.array(values[0.1][k]), np.array(values[1.0][k])
        diff = a - b  # paired by seed: same map, staff and police
        half = stats.t.ppf(0.975, len(diff) - 1) * diff.std(ddof=1) / np.sqrt(len(diff))
        assert abs(diff.mean()) <= max(half, 0.02), (k, a, b)


def test_case_table_keeps_incident_ends():
    m = run("hierarchy_2011", days=2)
    df = case_table(m)
    order = df[df["kind"] == "public_order"]
    assert order["incident_end_min"].notna().all()
    assert (order["incident_end_min"] >= order["onset_min"]).all()
    assert df.loc[df["kind"] != "public_order", "incident_end_min"].isna().all()
