"""Structural facts of the default city (docs/ODD.md, "Patterns")."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from simulation.city import INDUSTRIAL, VILLAGE


def community_populations(model):
    st, res = model.structure, model.residents
    area = st.area_of_cell[res.home]
    return np.bincount(area[area < st.n_communities], minlength=st.n_communities)


def test_flat_has_30_balanced_communities(flat_city):
    pop = community_populations(flat_city)
    assert len(pop) == 30
    mean = pop.mean()
    assert np.all(np.abs(pop - mean) <= 0.35 * mean), (pop.min(), pop.max(), mean)
    # about 10,000 residents each (SEED: "1万人左右")
    assert 6_000 <= mean <= 9_000


def test_flat_communities_have_staff_and_floor_space(flat_city):
    st = flat_city.structure
    for uid in st.community_units:
        unit = st.units[uid]
        assert 25 <= sum(unit.staff.values()) <= 30, unit
        assert unit.floor_m2 >= 1500


def test_hierarchy_has_69_communities_under_street_offices(hierarchy_city):
    st = hierarchy_city.structure
    assert st.n_communities == 69
    parents = {st.units[st.units[u].parent].level for u in st.community_units}
    assert parents == {"street_office"}
    offices = {st.units[u].parent for u in st.community_units}
    assert {st.units[o].level for o in {st.units[s].parent for s in offices}} == {"district"}
    pop = community_populations(hierarchy_city)
    assert np.all(np.abs(pop - pop.mean()) <= 0.35 * pop.mean())


def test_flat_has_no_street_offices(flat_city):
    levels = {u.level for u in flat_city.structure.units}
    assert "street_office" not in levels
    assert {"community", "district", "city", "town", "village", "hotline",
            "mediation_centre"} <= levels


def test_population_close_to_target(flat_city, hierarchy_city):
    for m in (flat_city, hierarchy_city):
        target = m.params["population"]["residents"]
        assert abs(m.residents.n - target) <= 0.01 * target
        urban = (m.structure.area_of_cell[m.residents.home] < m.structure.n_communities).mean()
        assert abs(urban - 0.94) < 0.01


def test_communities_are_contiguous(flat_city, hierarchy_city):
    for m in (flat_city, hierarchy_city):
        st, city = m.structure, m.city
        area = st.area_of_cell.reshape(city.width, city.height)
        for k in range(st.n_communities):
            _, n = ndimage.label(area == k, structure=np.ones((3, 3)))
            assert n == 1, f"community {k} is in {n} pieces"


def test_map_has_jisco_zone_towns_and_villages(flat_city):
    city = flat_city.city
    assert (city.land_use == INDUSTRIAL).sum() > 100
    assert len(city.town_names) == 3
    assert len(np.unique(city.village[city.village >= 0])) == 17
    assert (city.land_use == VILLAGE).sum() >= 17
    assert flat_city.enterprises[0].name == "JISCO"
    assert flat_city.enterprises[0].employees > 20_000


def test_map_depends_on_seed_not_structure(flat_city, hierarchy_city):
    assert np.array_equal(flat_city.city.density, hierarchy_city.city.density)
    assert np.array_equal(flat_city.residents.home, hierarchy_city.residents.home)
    from conftest import built
    other = built("flat_2012", seed=2, scale=0.05)
    assert not np.array_equal(other.city.land_use, flat_city.city.land_use)


def test_service_points_and_police_bases(flat_city, hierarchy_city):
    # precinct stations in both; flat_2012 adds a post per community and the JISCO base
    assert hierarchy_city.police.base_kind == ["station"] * 6
    kinds = flat_city.police.base_kind
    assert kinds.count("station") == 6 and kinds.count("post") == 30 and kinds[-1] == "jisco"
    assert len(flat_city.police.base_cells) == 37
    # every inhabited cell is on some beat
    for m in (flat_city, hierarchy_city):
        inhabited = m.city.density.ravel() > 0
        assert (m.police.station_of_cell[inhabited] >= 0).all()
    # flat: village centres are service points; hierarchy: only towns serve villages
    assert {flat_city.structure.units[u].level for u in flat_city.structure.service_points} \
        == {"community", "village", "town"}
    assert "village" not in {hierarchy_city.structure.units[u].level
                             for u in hierarchy_city.structure.service_points}
