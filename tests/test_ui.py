"""The page's parts without a browser: runs and levers, the map image, labels, batch
folders, the asset fetcher's parsing, the SVG charts and the `run.py ui` command."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT, cli

from simulation.parameters import iter_params
from simulation.scenario import ScenarioError
from ui import assets, batch, i18n, state
from ui.map_image import MapRenderer
from ui.svgchart import nice_ticks, panel


@pytest.fixture(scope="module")
def run() -> state.Run:
    r = state.Run("hierarchy_2011", seed=2, scale=0.05, days=3)
    assert r.build(), r.error
    return r


def test_levers_are_schema_keys_with_bounds():
    schema = dict(iter_params())
    keys = [k for k, _ in state.levers()]
    assert keys == [k for k in state.LEVER_KEYS if k in schema]
    for key, p in state.levers():
        assert i18n.has("lever." + key), key
        if p.kind in ("int", "float"):
            lo, hi, _ = state.lever_bounds(p)
            assert state.coerce(p, hi + 10**9) == hi and state.coerce(p, lo - 10**9) == lo
        if p.kind == "str":
            assert state.coerce(p, "no such choice") == p.default


def test_only_scenarios_folder_names_are_loaded():
    assert "hierarchy_2011" in state.scenario_names()
    for bad in ("../pyproject", "/etc/passwd", "scenarios/flat_2012.toml"):
        with pytest.raises(ScenarioError):
            state.load_scenario(bad)


def test_run_steps_and_records_figures(run):
    t0 = run.time_min
    assert run.step(2) == 2 and run.time_min == t0 + 120
    f = run.figures()
    assert f["needs_arisen"] >= f["resolved"] + f["unreached"]
    assert 0 <= f["service_circle_coverage"] <= 1
    assert len(run.history) >= 3
    assert "response_median_h" in run.history_csv().splitlines()[0]
    assert "figure,needs_arisen" in run.figures_csv()


def test_invalid_override_keeps_the_old_model_with_a_message(run):
    model = run.model
    assert not run.build(overrides={"structure.street_offices": 500})
    assert "structure.street_offices" in run.error
    assert run.model is model
    assert run.build(overrides={"hotline.enabled": True})
    assert run.model is not model and run.error is None
    assert run.model.params["hotline"]["enabled"] is True
    assert run.build(overrides={})


def test_workshop_sides_share_the_clock_and_compare():
    ws = state.Workshop(seed=3, scale=0.05, days=2)
    ws.ensure_built()
    ws.step(3)
    assert ws.a.time_min == ws.b.time_min == 180
    assert ws.apply(1, "flat_2012", {"hotline.enabled": False})
    assert ws.b.time_min == ws.a.time_min  # rebuilt and caught up
    rows = {r["key"]: r for r in ws.difference()}
    assert rows["service_circle_coverage"]["better"] in ("A", "B", "same")
    assert "B_minus_A" in ws.figures_csv().splitlines()[0]
    assert not ws.apply(0, "no_such_scenario", {})


def test_map_image_draws_layers(run):
    run.step(2)
    plain = run.map_rgb()
    assert plain.ndim == 3 and plain.shape[2] == 3 and plain.dtype == np.uint8
    assert plain.std() > 10
    circle = run.map_rgb(frozenset({"circle"}))
    patrol = run.map_rgb(frozenset({"patrol"}))
    assert (circle != plain).any() and (patrol != plain).any()
    assert run.map_png()[:4] == b"\x89PNG"
    r = MapRenderer(run.model)
    assert r.render(run.model).shape == plain.shape


def test_every_label_has_chinese():
    for key in i18n.keys():
        assert i18n.tr(key, "zh") != i18n.tr(key, "en") or key.startswith("diff.") \
            or key in ("legend.wait0", "legend.wait1", "legend.wait2", "legend.wait3"), key
    assert i18n.tr("clock", "zh", day=2, hour=5) == "第2天 05:00"
    assert i18n.tr("no.such.key") == "no.such.key"


def _batch_folder(folder, rows=(("a", 1.0), ("a", 2.0), ("b", 5.0))):
    (folder / "runs").mkdir(parents=True)
    for i, (sc, v) in enumerate(rows):
        pd.DataFrame([{"run_id": str(i), "scenario": sc, "replication": i, "status": "ok",
                       "reach": v / 10, "response_time_min.median": v}]).to_parquet(
            folder / "runs" / f"run-{i}.parquet")
    return folder


def test_batch_folders_outside_the_roots_are_refused(tmp_path, monkeypatch):
    monkeypatch.delenv(batch.ROOTS_ENV, raising=False)
    _batch_folder(tmp_path / "b")
    for text in (str(tmp_path / "b"), "../../etc", "/etc", "docs", ".", "simulation"):
        with pytest.raises(batch.BatchFolderError, match="outside") as err:
            batch.check_folder(text)
        assert str(tmp_path) not in str(err.value) and str(ROOT) not in str(err.value)
    assert [r.name for r in batch.allowed_roots()] == ["results", "scenarios"]
    with pytest.raises(batch.BatchFolderError, match="not a batch folder"):
        batch.check_folder("scenarios")


def test_batch_symlinks_leading_outside_are_refused(tmp_path, monkeypatch):
    outside = _batch_folder(tmp_path / "outside")
    root = tmp_path / "root"
    root.mkdir()
    monkeypatch.setenv(batch.ROOTS_ENV, str(root))
    (root / "link").symlink_to(outside, target_is_directory=True)  # a folder link
    with pytest.raises(batch.BatchFolderError, match="link that leads outside") as err:
        batch.check_folder(str(root / "link"))
    assert str(tmp_path) not in str(err.value)
    inner = _batch_folder(root / "inner", rows=(("a", 1.0),))  # a file link inside
    (inner / "runs" / "run-9.parquet").symlink_to(outside / "runs" / "run-0.parquet")
    with pytest.raises(batch.BatchFolderError, match="links to files outside") as err:
        batch.check_folder(str(inner))
    assert "runs/run-9.parquet" in str(err.value) and str(tmp_path) not in str(err.value)
    (inner / "runs" / "run-9.parquet").unlink()
    ok = _batch_folder(root / "ok", rows=(("a", 1.0),))
    (root / "alias").symlink_to(ok, target_is_directory=True)  # a link that stays inside
    assert batch.check_folder(str(root / "alias")) == ok.resolve()
    names = [name for name, _ in batch.find_batch_folders()]
    assert all(not n.startswith("/") for n in names)
    assert batch.display_name(inner) == "root/inner"


def test_batch_folder_of_run_rows_loads(tmp_path, monkeypatch):
    monkeypatch.setenv(batch.ROOTS_ENV, str(tmp_path))
    folder = _batch_folder(tmp_path / "b")
    path = batch.check_folder(str(folder))
    df, how = batch.load_folder(path)
    assert len(df) == 3 and how == "runs/*.parquet"  # no manifest: read defensively
    table = batch.per_scenario(path, df)
    assert list(table["scenario"]) == ["a", "b"] and list(table["runs"]) == [2, 1]
    assert table.loc[0, "response_time_min.median"] == 1.5


def test_asset_refs_parse():
    assert assets.parse_ref("@widgetti/solara-vuetify-app@10.1.1/dist/main8.css") == (
        "@widgetti/solara-vuetify-app", "10.1.1", "dist/main8.css")
    assert assets.parse_ref("requirejs@2.3.6/require.js")[:2] == ("requirejs", "2.3.6")
    refs = assets.template_refs()
    assert ("requirejs", "2.3.6") in refs
    assert any(name == "@widgetti/solara-vuetify-app" for name, _ in refs)


def test_asset_fetch_skips_complete_packages(tmp_path):
    (tmp_path / "pkg@1.0.0").mkdir()
    (tmp_path / "pkg@1.0.0" / assets.MARKER).write_text(json.dumps({}))
    assert assets.fetch_package(tmp_path, "pkg", "1.0.0") is False


def test_svg_chart():
    assert nice_ticks(0, 97) == [0, 25, 50, 75, 100]
    svg = panel("响应时间", [{"label": "A", "x": [0, 1, 2], "y": [1, float("nan"), 3],
                          "colour": "#000"}], 3)
    assert svg.startswith("<svg") and "响应时间" in svg and svg.count("<circle") == 2


def test_run_py_ui_is_registered():
    out = cli("ui", "--help")
    assert out.returncode == 0 and "--port" in out.stdout and "--fetch-assets" in out.stdout
    bad = cli("ui", "--port", "0")
    assert bad.returncode == 2


def test_model_core_does_not_import_ui():
    for path in (ROOT / "simulation").glob("*.py"):
        text = path.read_text()
        assert "import ui" not in text and "from ui" not in text, path
