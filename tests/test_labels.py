"""The one table of figure labels (analysis/labels.py): complete in both languages, and
the names it uses are the names the model reports."""

from __future__ import annotations

import re

import pytest
from conftest import small_run

from analysis import labels
from analysis.dataset import flatten
from analysis.tables import format_summaries

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("fig", labels.FIGURES.values(), ids=list(labels.FIGURES))
def test_every_figure_is_labelled_and_defined_in_both_languages(fig):
    assert fig.en and fig.define_en.endswith(".")
    assert CJK.search(fig.zh) and CJK.search(fig.define_zh)
    assert fig.unit in labels.UNITS and fig.factor > 0
    assert fig.title("zh").startswith(fig.zh) and fig.title("en").startswith(fig.en)


def test_every_listed_key_has_a_label():
    listed = {*labels.COMPARED, *labels.BATCH_SUMMARY,
              *(k.strip() for k in labels.RUN_TABLE)}
    assert listed <= set(labels.FIGURES)


def test_the_model_reports_the_labelled_figures():
    flat = flatten(small_run("flat_2012").summary)
    reported = [k for k in labels.COMPARED if k in flat]
    # the figures the comparison has always had; the others are named for the model's
    # coming figures and are skipped until it reports them
    assert {"response_time_min.median", "response_time_min.p90", "reach", "visit_coverage",
            "service_circle_coverage", "patrol_coverage_24h", "petitions",
            "cost.per_year_cny", "resolution_time_min.median",
            "response_time_km_min.median"} <= set(reported)


def test_formatting_follows_unit_and_factor():
    assert labels.figure("response_time_min.median").format(90.0) == "1.5"
    assert labels.figure("reach").format(0.5) == "50.0"
    assert labels.figure("cases.total").format(12345) == "12,345"
    assert labels.figure("cost.per_year_cny").format(112_980_000.0) == "113.0"
    assert labels.figure("reach").format(None) == "-" == labels.figure("reach").format(
        float("nan"))
    assert labels.figure("no.such.figure").title() == "no.such.figure"


def test_a_new_figure_needs_only_its_entries_in_the_table(monkeypatch):
    summary = dict(small_run("flat_2012").summary)
    text = format_summaries([summary])
    assert "Visits on time" not in text
    fig = labels.Figure("visits.on_time", "Visits on time", "按时走访次数", "count", 1, False,
                        "Scheduled visits made on time.", "按时完成的走访次数。")
    monkeypatch.setitem(labels.FIGURES, fig.key, fig)
    monkeypatch.setattr(labels, "RUN_TABLE", (*labels.RUN_TABLE, fig.key))
    monkeypatch.setattr("analysis.tables.RUN_TABLE", labels.RUN_TABLE)
    text = format_summaries([summary])
    line = next(ln for ln in text.splitlines() if ln.startswith("Visits on time"))
    assert line.split()[-1] == f"{summary['visits']['on_time']:,}"


def test_the_browser_reads_the_one_table():
    """Every figure the browser shows is `analysis.labels.figure(key)`: ui has no table of
    its own (its `ui.labels` only picks and orders keys of the one table)."""
    import ast
    import pathlib

    from ui import labels as page
    table = set(map(id, labels.FIGURES.values()))
    for key, fig in page.FIGURES.items():
        assert fig is labels.figure(key), key
    for key, fig in page.COMMUNITY_FIGURES.items():
        assert fig is labels.community_figure(key) and id(fig) in table, key
    assert list(page.FIGURES) == list(labels.LIVE)
    assert list(page.COMMUNITY_FIGURES) == list(labels.COMMUNITY)
    # no module of ui builds a figure's label (a `Figure(...)` of the table's class, or a
    # class with definitions of its own), but the levers' labels, which are not figures
    for path in pathlib.Path(page.__file__).parent.glob("*.py"):
        if path.name == "lever_labels.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        table_names = {a.asname or a.name for n in ast.walk(tree)
                       if isinstance(n, ast.ImportFrom) and (n.module or "").endswith("labels")
                       for a in n.names}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in table_names & {"Figure", "Label"}, path.name
            if isinstance(node, ast.ClassDef):
                fields = {t.target.id for t in node.body
                          if isinstance(t, ast.AnnAssign) and isinstance(t.target, ast.Name)}
                assert "define_en" not in fields, (path.name, node.name)
    assert not [n for n in ast.parse(pathlib.Path(page.__file__).read_text(
        encoding="utf-8")).body if isinstance(n, ast.ClassDef | ast.Dict)]
    # a batch column is shown with the table's title and factor
    assert page.batch_column("reach", "zh") == (labels.figure("reach").title("zh"), 100)
    assert page.batch_column("response_time_min.median", "en") == (
        "Response time, median (h)", 1 / 60)
    assert page.batch_column("runs", "zh")[0] == "运行次数"
    assert page.batch_column("no.such.column", "en") == ("no.such.column", 1.0)


def test_the_browser_needs_of_a_figure():
    """Unit in both languages, and the direction of better from `lower_is_better`."""
    assert labels.figure("response_time_km_min.median").unit_zh == "小时"
    assert labels.figure("cases.total").unit_en == "" == labels.figure("cases.total").unit_zh
    assert labels.figure("reach").unit_in("zh") == "%" and labels.figure("reach").is_share
    assert labels.figure("reach").direction == 1
    assert labels.figure("backlog").direction == -1
    assert labels.figure("load.office_staff").direction == 0
    assert labels.figure("reach").definition("zh").endswith("。")


def test_importing_the_table_loads_no_pandas():
    """The browser's server imports the table at start; it stays light (PEP 562 lazy
    `analysis.load_batch`), and `analysis.load_batch` still works."""
    import subprocess
    import sys
    code = ("import sys, analysis.labels, ui.labels; "
            "assert 'pandas' not in sys.modules and 'pyarrow' not in sys.modules; "
            "import analysis; assert callable(analysis.load_batch); "
            "assert 'pandas' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)
