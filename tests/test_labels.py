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
