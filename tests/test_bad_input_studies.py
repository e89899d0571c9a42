"""Bad input to `run.py calibrate` and `run.py explore`: one line naming the file and key
(or the option), exit code 2, nothing written — with the machinery of test_bad_input
(each case runs in its own folder, which must be unchanged afterwards)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_bad_input import Case
from test_bad_input import test_bad_input_one_line_exit_code_nothing_written as check_case

GOOD_TARGET = '''[[target]]
scenario = "hierarchy_2011"
figure = "by_kind.welfare.resolution_time_min.p90"
value = 20
unit = "days"
tolerance = 4
source = "a proxy"
'''
GOOD_PARAM = '''[params."decision.cycle_days.city"]
low = 1
high = 14
'''


def targets(ctx, text: str = GOOD_TARGET + GOOD_PARAM) -> Path:
    return ctx.file("targets.toml", text)


def cal(ctx, text: str | None = None, *extra, scenarios=("hierarchy_2011",)) -> list:
    path = targets(ctx) if text is None else targets(ctx, text)
    return ["calibrate", *scenarios, "--targets", path, "--days", "1", "--scale", "0.01",
            "--trials", "2", "--workers", "1", *extra]


def exp(*extra, scenarios=("hierarchy_2011", "flat_2012")) -> list:
    return ["explore", *scenarios, "--days", "1", "--scale", "0.01", "--n", "10",
            "--workers", "1", *extra]


def replaced(old: str, new: str, text: str = GOOD_TARGET + GOOD_PARAM) -> str:
    assert old in text
    return text.replace(old, new)


CASES = [
    # ------------------------------------------------------------------ targets file
    Case("target figure unknown", lambda c: cal(c, replaced(
        "resolution_time_min.p90", "resolution_time_min.p95")), 2,
        ("targets.toml", "target[0].figure", "not a figure")),
    Case("target figure a whole table", lambda c: cal(c, replaced(
        "by_kind.welfare.resolution_time_min.p90", "by_kind.welfare")), 2,
        ("target[0].figure",)),
    Case("target figure echoes an input", lambda c: cal(c, replaced(
        'figure = "by_kind.welfare.resolution_time_min.p90"\nvalue = 20\nunit = "days"',
        'figure = "load.office_staff"\nvalue = 20')), 2, ("target[0].figure", "inputs")),
    Case("target scenario unknown", lambda c: cal(c, replaced(
        '"hierarchy_2011"', '"no_such_scenario"')), 2,
        ("target[0].scenario", "not one of the scenarios")),
    Case("target scenario not calibrated", lambda c: cal(c, replaced(
        '"hierarchy_2011"', '"flat_2012"')), 2, ("target[0].scenario", "hierarchy_2011")),
    Case("calibrated scenario without a target", lambda c: cal(
        c, None, scenarios=("hierarchy_2011", "flat_2012")), 2, ("target", "flat_2012")),
    Case("target source missing", lambda c: cal(c, replaced('source = "a proxy"\n', "")), 2,
         ("target[0].source", "missing")),
    Case("target source empty", lambda c: cal(c, replaced('"a proxy"', '"  "')), 2,
         ("target[0].source",)),
    Case("target value not a number", lambda c: cal(c, replaced("value = 20", 'value = "20"')),
         2, ("target[0].value", "finite number")),
    Case("target value nan", lambda c: cal(c, replaced("value = 20", "value = nan")), 2,
         ("target[0].value", "finite")),
    Case("target tolerance 0", lambda c: cal(c, replaced("tolerance = 4", "tolerance = 0")),
         2, ("target[0].tolerance", "above 0")),
    Case("target weight negative", lambda c: cal(c, replaced(
        "tolerance = 4", "tolerance = 4\nweight = -1")), 2, ("target[0].weight",)),
    Case("target unit of another kind", lambda c: cal(c, replaced('"days"', '"%"')), 2,
         ("target[0].unit", "time")),
    Case("target share above 1", lambda c: cal(c, replaced(
        'figure = "by_kind.welfare.resolution_time_min.p90"\nvalue = 20\nunit = "days"\n'
        'tolerance = 4', 'figure = "reach"\nvalue = 120\nunit = "%"\ntolerance = 5')), 2,
        ("target[0].value", "share")),
    Case("target field unknown", lambda c: cal(c, replaced("tolerance = 4", "tolerence = 4")),
         2, ("target[0].tolerence", "unknown field")),
    Case("same target twice", lambda c: cal(c, GOOD_TARGET + GOOD_TARGET + GOOD_PARAM), 2,
         ("target[1]", "same")),
    Case("no targets", lambda c: cal(c, 'title = "none"\n' + GOOD_PARAM), 2,
         ("targets.toml", "no targets")),
    Case("top-level key unknown", lambda c: cal(c, "targets = 1\n" + GOOD_TARGET), 2,
         ("targets.toml", "targets", "unknown key")),
    Case("targets file not TOML", lambda c: cal(c, "[[target]\nvalue = "), 2,
         ("targets.toml", "not valid TOML")),
    Case("targets file missing", lambda c: ["calibrate", "hierarchy_2011", "--targets",
                                            c.root / "none.toml"], 2, ("--targets",)),
    Case("no parameters to fit", lambda c: cal(c, GOOD_TARGET), 2,
         ("targets.toml", "params", "no parameters")),
    # ------------------------------------------------------------------ ranges
    Case("file range empty", lambda c: cal(c, replaced("high = 14", "high = 1")), 2,
         ("params.decision.cycle_days.city", "empty range")),
    Case("file range LOW above HIGH", lambda c: cal(c, replaced("low = 1", "low = 20")), 2,
         ("params.decision.cycle_days.city", "LOW above HIGH")),
    Case("file range outside the schema", lambda c: cal(c, replaced("high = 14", "high = 99")),
         2, ("params.decision.cycle_days.city", "within 0..60")),
    Case("file range bound a string", lambda c: cal(c, replaced("low = 1", 'low = "1"')), 2,
         ("params.decision.cycle_days.city.low", "number")),
    Case("file range of a switch", lambda c: cal(c, GOOD_TARGET + '[params."hotline.enabled"]\n'
                                                 "low = 0\nhigh = 1\n"), 2,
         ("params.hotline.enabled", "numeric")),
    Case("file range of a list", lambda c: cal(c, GOOD_TARGET + '[params."structure.'
                                               'district_weights"]\nlow = 0\nhigh = 1\n'), 2,
         ("structure.district_weights", "numeric")),
    Case("file range step not whole", lambda c: cal(c, replaced("high = 14", "high = 14\n"
                                                                "step = 5")), 2,
         ("params.decision.cycle_days.city.step", "whole number of steps")),
    Case("file range unknown parameter", lambda c: cal(c, GOOD_TARGET + '[params."no.such"]\n'
                                                       "low = 0\nhigh = 1\n"), 2,
         ("params.no.such", "unknown parameter")),
    Case("--param empty range", lambda c: cal(c, None, "--param", "outcome.base_success=0.7:0.7"),
         2, ("--param", "outcome.base_success", "empty range")),
    Case("--param LOW above HIGH", lambda c: cal(c, None, "--param",
                                                 "outcome.base_success=0.9:0.7"), 2,
         ("--param", "LOW above HIGH")),
    Case("--param not a number", lambda c: cal(c, None, "--param", "police.embedding=0:1"), 2,
         ("--param", "police.embedding", "numeric")),
    Case("--param bound not a number", lambda c: cal(c, None, "--param",
                                                     "outcome.base_success=low:0.9"), 2,
         ("--param", "outcome.base_success", "LOW:HIGH")),
    Case("--param breaks a scenario rule", lambda c: cal(c, None, "--param",
                                                         "outcome.recontact_share=0.5:0.9"), 2,
         ("outcome.escalate_share", "high ends")),
    Case("calibrate --trials 0", lambda c: cal(c, None, "--trials", "0"), 2, ("--trials",)),
    Case("calibrate scenario twice", lambda c: cal(
        c, None, scenarios=("hierarchy_2011", "hierarchy_2011")), 2, ("twice",)),
    Case("calibrate into a batch folder", lambda c: cal(c, None, "--out", c.batch), 2,
         ("--out", "not a calibration folder")),
    # ------------------------------------------------------------------ explore
    Case("explore empty range", lambda c: exp("--param", "tasks.volume_multiplier=2:2"), 2,
         ("--param", "tasks.volume_multiplier", "empty range")),
    Case("explore LOW above HIGH", lambda c: exp("--param", "tasks.volume_multiplier=3:1"), 2,
         ("--param", "LOW above HIGH")),
    Case("explore parameter not a number", lambda c: exp("--param", "staff.priority=0:1"), 2,
         ("--param", "staff.priority", "numeric")),
    Case("explore unknown parameter", lambda c: exp("--param", "staff.comunity_scale=0:1"), 2,
         ("--param", "unknown parameter", "staff.community_scale")),
    Case("explore parameter twice", lambda c: exp("--param", "hotline.share=0:1", "--param",
                                                  "hotline.share=0.2:0.5"), 2,
         ("hotline.share", "twice")),
    Case("explore one scenario twice", lambda c: exp(
        "--param", "hotline.share=0:1", scenarios=("flat_2012", "flat_2012")), 2,
        ("flat_2012", "BASELINE")),
    Case("explore unknown scenario", lambda c: exp(
        "--param", "hotline.share=0:1", scenarios=("hierarchy_2011", "no_such")), 2,
        ("no_such",)),
    Case("explore --n 5", lambda c: exp("--param", "hotline.share=0:1", "--n", "5"), 2,
         ("--n", "10 points")),
    Case("explore --density 2", lambda c: exp("--param", "hotline.share=0:1", "--density",
                                              "2"), 2, ("--density",)),
    Case("explore into a run folder", lambda c: exp("--param", "hotline.share=0:1", "--out",
                                                    c.run_folder), 2,
         ("run", "not a batch folder")),
]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> tuple[Path, Path]:
    """A folder holding something else (a batch's manifest) and a run's folder."""
    root = tmp_path_factory.mktemp("inputs")
    batch, run_folder = root / "batch", root / "run"
    batch.mkdir()
    (batch / "manifest.json").write_text('{"design": {}, "scenarios": {}, "sessions": []}')
    run_folder.mkdir()
    (run_folder / "summary.json").write_text("{}")
    (run_folder / "manifest.json").write_text('{"scenario_sha256": "x"}')
    return batch, run_folder


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_one_line_exit_code_nothing_written(case, inputs, tmp_path):
    check_case(case, inputs, tmp_path)
