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
from ui import assets, batch, figures, i18n, labels, lever_labels, levers, setup_file, state
from ui import verdicts as vd
from ui.map_image import LAYERS, MapRenderer, layer_legend, scale_bar
from ui.scenario_text import has_chinese, scenario_text
from ui.svgchart import nice_ticks, panel


@pytest.fixture(scope="module")
def run() -> state.Run:
    r = state.Run("hierarchy_2011", seed=2, scale=0.05, days=3)
    assert r.build(), r.error
    return r


def test_levers_are_schema_keys_with_bounds():
    schema = dict(iter_params())
    keys = [k for k, _ in levers.levers()]
    assert keys == [k for k in levers.LEVER_KEYS if k in schema]
    for key, p in levers.levers():
        assert key in lever_labels.LEVERS, key
        if p.kind in ("int", "float"):
            lo, hi, _ = levers.lever_bounds(p)
            assert levers.coerce(p, hi + 10**9) == hi and levers.coerce(p, lo - 10**9) == lo
        if p.kind == "str":
            assert levers.coerce(p, "no such choice") == p.default


def test_only_scenarios_folder_names_are_loaded():
    assert "hierarchy_2011" in state.scenario_names()
    for bad in ("../pyproject", "/etc/passwd", "scenarios/flat_2012.toml"):
        with pytest.raises(ScenarioError):
            state.load_scenario(bad)


def test_run_steps_and_records_figures(run):
    t0, before = run.time_min, len(run.history)
    assert run.step(2) == 2 and run.time_min == t0 + 120
    f = run.figures()
    assert f["needs_arisen"] >= f["resolved"] + f["gave_up"]
    assert 0 <= f["service_circle_coverage"] <= 1
    assert len(run.history) == before + 1  # one record per frame
    series = run.timeseries_csv().splitlines()  # the model's DataCollector, hourly
    assert series[0].startswith("hour,needs_arisen,") and len(series) == 1 + 1 + t0 / 60 + 2
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
    run.step(10)  # into office hours (staff load has paid hours to show)
    plain = run.map_rgb()
    assert plain.ndim == 3 and plain.shape[2] == 3 and plain.dtype == np.uint8
    assert plain.std() > 10
    for layer in LAYERS[1:]:
        assert (run.map_rgb(layer) != plain).any(), layer
    assert run.map_png()[:4] == b"\x89PNG"
    assert run.map_overlay_png("patrol24")[:4] == b"\x89PNG"
    r = MapRenderer(run.model)
    assert r.render(run.model).shape == plain.shape
    overlay = r.overlay(run.model)
    assert overlay.shape == plain.shape[:2] + (4,) and (overlay[..., 3] == 0).mean() > 0.5
    assert (r.base(0) != r.base()).any()  # the selected community is outlined
    px, label = scale_bar(r.metres_per_px, 460)
    assert 0 < px <= r.shape[1] and label.endswith(("m", "km"))


def test_clicking_the_map_finds_the_community(run):
    r = run.renderer
    st = run.model.structure
    a = int(st.area_of_cell[st.units[int(st.area_unit[0])].cell])
    cell = st.units[int(st.area_unit[0])].cell
    x, y = cell // r.h, cell % r.h
    fx = ((x - r.x0) * r.px + r.px / 2) / r.shape[1]
    fy = ((r.y1 - 1 - y) * r.px + r.px / 2) / r.shape[0]
    assert run.area_at(fx, fy) == a
    assert run.area_at(-0.1, 0.5) is None
    fig = run.community(a)
    assert fig["residents"] > 0 and fig["name"].startswith(("Community", "Village"))
    assert set(labels.COMMUNITY_FIGURES) <= set(fig)
    assert fig["utilisation"] is None or 0 <= fig["utilisation"] <= 1


def test_every_label_has_chinese():
    for key in i18n.keys():
        assert i18n.tr(key, "zh") != i18n.tr(key, "en") or key.startswith("diff.") \
            or key in ("legend.wait0", "legend.wait1", "legend.wait2", "legend.wait3"), key
    for table in (labels.FIGURES, labels.COMMUNITY_FIGURES, lever_labels.LEVERS):
        for key, lab in table.items():
            assert lab.en and lab.zh and lab.define_en and lab.define_zh, key
            assert lab.define_en.endswith(".") and lab.define_zh.endswith("。"), key
    assert i18n.tr("clock", "zh", day=2, hour=5) == "第2天 05:00"
    assert i18n.tr("no.such.key") == "no.such.key"


def _batch_folder(folder, rows=(("a", 1.0), ("a", 2.0), ("b", 5.0))):
    (folder / "runs").mkdir(parents=True)
    for i, (sc, v) in enumerate(rows):
        pd.DataFrame([{"run_id": str(i), "scenario": sc, "replication": i, "status": "ok",
                       "reach": v / 10, "response_time_min.median": v}]).to_parquet(
            folder / "runs" / f"run-{i}.parquet")
    return folder


def test_every_figure_shown_has_a_definition(run):
    shown = {k for k, _ in vd.KPI_KEYS}
    assert shown == set(labels.FIGURES)
    assert set(run.figures()) >= shown
    assert set(vd.HEADLINE) <= shown
    legends = layer_legend()
    for layer in LAYERS[1:]:  # every layer: a button label, a help text and a legend
        assert i18n.has(f"layer.{layer}") and i18n.has(f"layer.{layer}.help"), layer
        assert legends[layer] and all(i18n.has(k) for k, _ in legends[layer]), layer


def test_differences_of_shares_are_percentage_points():
    assert vd.format_delta("reach", 0.03) == "+3.0 pp"
    assert vd.format_delta("reach", -0.03, "zh") == "−3.0 个百分点"
    assert vd.format_delta("response_time_km_min.median", -37.5 * 60) == "−37.5 h"
    assert vd.format_delta("backlog", 0) == "0"
    rows = vd.difference({"response_time_km_min.median": 46.0 * 60, "reach": 0.5},
                         {"response_time_km_min.median": 9.0 * 60, "reach": 0.5})
    lines = vd.verdicts(rows, ("Hierarchy", "Flat"))
    assert lines[0] == ("response_time_km_min.median", "B",
                        "Flat answers half of needs within 9.0 h instead of 46.0 h")
    assert lines[1][1] == "same"


def test_every_scenario_has_a_title_and_description_in_both_languages():
    for name in state.scenario_names():
        text = scenario_text(name)
        assert text.title != name and text.description, name
        assert has_chinese(name), name
        assert text.title_zh != text.title and text.description_zh != text.description
        assert state.scenario_label(name, "zh") == text.title_zh


def test_typed_lever_values_get_the_command_line_message():
    p = levers.parse_lever_text
    assert p("12") == 12 and p(" 1,200 ") == 1200 and p("2.5") == 2.5 and p("abc") == "abc"
    msg = levers.check_lever("structure.communities", p("abc"))
    assert msg.startswith("lever: structure.communities: expected a whole number")
    assert "'abc'" in msg
    assert "got -5" in levers.check_lever("structure.communities", p("-5"))
    assert "police.officers" in levers.check_lever("police.officers", p("0"))
    assert levers.check_lever("police.officers", p("300")) is None


def test_new_levers_reach_the_model_and_bad_values_name_them():
    ov = {"staff.community_scale": 1.5, "staff.priority": "cases_first",
          "tasks.volume_multiplier": 2.0, "police.dispatch_rule": "nearest",
          "police.embedding": "community", "police.embedded_share": 0.8,
          "decision.cycle_days.city": 1.0, "routing.direct_referral": True,
          "hotline.enabled": True, "hotline.misroute_share": 0.3}
    assert set(ov) <= {k for k, _ in levers.levers()}
    r = state.Run("hierarchy_2011", seed=2, scale=0.05, days=2)
    assert r.build(overrides=ov), r.error
    for key, value in ov.items():
        assert levers.get_value(r.model.params, key) == value, key
    assert r.step(3) == 3
    for key, bad, said in (("tasks.volume_multiplier", 50, "between 0 and 20"),
                           ("staff.priority", "random", "expected one of 'deadline'"),
                           ("police.dispatch_rule", "x", "'beat_first', 'nearest'"),
                           ("decision.cycle_days.city", -1, "got -1")):
        msg = levers.check_lever(key, bad)
        assert msg.startswith(f"lever: {key}: ") and said in msg, msg
    for _, param in levers.levers():  # every choice has a label in both languages
        for choice in param.choices or ():
            assert i18n.has(f"choice.{choice}"), choice


def test_case_arrays_follow_the_engine():
    r = state.Run("hierarchy_2011", seed=4, scale=0.05, days=4)
    assert r.build()
    cases = r._cache.cases
    for hours in (1, 5, 30):
        r.step(hours)
        n = cases.update()
        e = r.model.engine
        assert n == e.next_onset
        for field in cases.FIELDS:
            np.testing.assert_array_equal(cases[field],
                                          np.asarray(getattr(e.cases, field)[:n], float))
    before = len(r.history)
    assert r.run_to_day(4) == 72 - 36 and len(r.history) - before == 2  # daily records


@pytest.mark.parametrize("scenario", ["hierarchy_2011", "flat_2012"])
def test_page_figures_are_the_models(scenario):
    """What the page shows equals what the model reports: the DataCollector's latest row,
    and at the end of a run the summary's figures (the page's own case computations
    follow the summary's definitions)."""
    from simulation.metrics import summary

    r = state.Run(scenario, seed=3, scale=0.05, days=3)
    assert r.build()
    r.step(72)
    f, s = r.figures(), summary(r.model)
    row = r.timeseries_frame().iloc[-1]
    for key in figures.ROW_FIGURES:
        assert f[key] == row[key] or (f[key] is None and pd.isna(row[key])), key
    assert f["reach"] == pytest.approx(s["reach"])
    for key in ("resolved_within_deadline", "police_p1_within_target", "visit_coverage",
                "service_circle_coverage", "service_circle_coverage_authority",
                "service_circle_coverage_open_hours"):
        assert f[key] == pytest.approx(s[key]) or f[key] is s[key] is None, key
    km = s["response_time_km_min"]
    for q in ("median", "p90"):  # the summary's key and unit (minutes)
        page = f[f"response_time_km_min.{q}"]
        assert (page is km[q] is None) or page == pytest.approx(km[q])
    assert f["tasks.overdue"] == s["tasks"]["overdue"]
    assert r._cache.near_power.mean() == pytest.approx(s["service_circle_coverage_authority"])
    st = r.model.structure
    for area in (0, st.n_communities):  # a community and a village
        name = st.area_names[area]
        c, b = r.community(area), s["by_community"][name]
        assert c["utilisation"] == pytest.approx(b["utilisation"])
        assert c["tasks_overdue"] == b["tasks_overdue"] and c["reach"] == pytest.approx(
            b["reach"])
        assert c["residents"] == pytest.approx(b["residents"] / 0.05, abs=1)


def test_chart_series_are_bounded(run):
    s = run.chart_series(max_points=2)
    assert set(s) == {"day", *figures.SERIES} and all(len(v) <= 2 for v in s.values())
    svg = panel("trust", [{"x": [0, 1], "y": [0.5500, 0.5515], "colour": "#000"}], 2,
                y_min=0, y_max=1, headroom=0.06)
    assert ">1.00<" in svg and ">0.00<" in svg  # the fixed range, not 0.5500-0.5515


def test_workshop_setup_file_round_trip():
    ws = state.Workshop(seed=5, scale=0.05, days=2)
    ws.ensure_built()
    assert ws.apply(1, "flat_2012", {"hotline.enabled": False})
    text = setup_file.dump_setup(ws)
    setup = setup_file.parse_setup(text)
    assert setup["seed"] == 5 and setup["b"] == ("flat_2012", {"hotline.enabled": False})
    ws2 = state.Workshop(seed=1, scale=0.05, days=2)
    assert setup_file.apply_setup(ws2, setup)
    assert (ws2.b.scenario_name, ws2.b.overrides, ws2.a.seed) == ("flat_2012",
                                                                  {"hotline.enabled": False}, 5)
    bad = text.replace('"hotline.enabled" = false', '"police.officers" = 0')
    with pytest.raises(setup_file.SetupError, match=r"b\.levers\.police\.officers"):
        setup_file.parse_setup(bad)
    with pytest.raises(setup_file.SetupError, match="a.scenario"):
        setup_file.parse_setup(text.replace('"hierarchy_2011"', '"../etc/passwd"'))
    with pytest.raises(setup_file.SetupError, match="kind"):
        setup_file.parse_setup(b"seed = 1")
    assert ws.run_to_day(2) == 24 and ws.a.time_min == ws.b.time_min == 1440


def test_handout_png_and_pdf():
    from ui.handout import handout

    ws = state.Workshop(seed=5, scale=0.05, days=2)
    ws.ensure_built()
    ws.step(3)
    assert handout(ws, "zh", "patrol24")[:4] == b"\x89PNG"
    assert handout(ws, "en", "", "pdf")[:4] == b"%PDF"


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
