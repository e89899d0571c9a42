"""Scenario files: base and overrides, validation of every kind of mistake."""

from __future__ import annotations

import pytest

from simulation.parameters import SCHEMA, iter_params
from simulation.scenario import ScenarioError, available, load


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_shipped_scenarios_load():
    names = {p.stem for p in available()}
    assert {"hierarchy_2011", "flat_2012"} <= names
    for p in available():
        s = load(p)
        assert s.title and s.description


def test_base_by_name_holds_only_changes(tmp_path):
    path = write(tmp_path, "x.toml", 'base = "flat_2012"\n[hotline]\nenabled = false\n')
    s, flat = load(path), load("flat_2012")
    assert s.params["hotline"]["enabled"] is False
    assert s.params["structure"] == flat.params["structure"]
    assert s.title == flat.title
    assert s.chain[-1] == str(path)


def test_base_by_relative_path(tmp_path):
    write(tmp_path, "a.toml", 'title = "A"\n[structure]\ncommunities = 40\n')
    (tmp_path / "sub").mkdir()
    path = write(tmp_path / "sub", "b.toml", 'base = "../a.toml"\n[police]\nofficers = 99\n')
    s = load(path)
    assert s.params["structure"]["communities"] == 40
    assert s.params["police"]["officers"] == 99
    assert s.title == "A"


@pytest.mark.parametrize("text, key, expected", [
    ("[structure]\ncomunities = 30\n", "structure.comunities", "unknown key"),
    ("colour = 1\n", "colour", "unknown key"),
    ("[structure]\ncommunities = \"thirty\"\n", "structure.communities", "whole number"),
    ("[structure]\ncommunities = 30.5\n", "structure.communities", "whole number"),
    ("[structure]\ncommunities = 0\n", "structure.communities", "between 1"),
    ("[staff.community]\nfront_desk = -2\n", "staff.community.front_desk", "between 0"),
    ("[population]\nurban_share = 1.2\n", "population.urban_share", "between 0 and 1"),
    ("[hotline]\nenabled = \"yes\"\n", "hotline.enabled", "true or false"),
    ("[police]\nembedding = \"both\"\n", "police.embedding", "one of"),
    ("[authority.routine]\ncommunity = [\"taxes\"]\n", "authority.routine.community", "kinds"),
    ("[authority.routine]\ncommunity = [\"public_order\"]\n", "authority.routine.community",
     "police"),
    ("structure = 3\n", "structure", "table"),
    ("base = \"no_such_scenario\"\n", "base", "not found"),
    ("[structure]\ndistricts = 2\n", "structure.district_weights", "2 weights"),
    ("[calendar]\noffice_close_h = 7.0\n", "calendar.office_close_h", "after the opening"),
])
def test_invalid_values_name_file_and_key(tmp_path, text, key, expected):
    path = write(tmp_path, "bad.toml", text)
    with pytest.raises(ScenarioError) as err:
        load(path)
    assert err.value.key == key
    assert str(path) in str(err.value)
    assert expected in str(err.value)


def test_cycle_and_missing_and_bad_toml(tmp_path):
    write(tmp_path, "a.toml", 'base = "b.toml"\n')
    write(tmp_path, "b.toml", 'base = "a.toml"\n')
    with pytest.raises(ScenarioError, match="cycle"):
        load(tmp_path / "a.toml")
    with pytest.raises(ScenarioError, match="no such scenario"):
        load("nonexistent_scenario")
    with pytest.raises(ScenarioError, match="not valid TOML"):
        load(write(tmp_path, "c.toml", "[structure\n"))


def test_every_parameter_has_source_and_doc():
    for key, p in iter_params():
        assert p.doc, key
        assert p.source, key
    assert "structure" in SCHEMA


def test_overrides_are_validated():
    s = load("flat_2012")
    t = s.with_overrides({"police.officers": 100})
    assert t.params["police"]["officers"] == 100 and s.params["police"]["officers"] == 240
    assert t.digest != s.digest
    with pytest.raises(ScenarioError):
        s.with_overrides({"police.oficers": 100})
