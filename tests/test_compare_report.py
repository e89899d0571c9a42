"""Comparison, report and sensitivity on small real batches."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import cli

from analysis.dataset import load_batch

SECTIONS = ("question", "scenarios", "findings", "table", "plots", "assumptions",
            "validation", "manifest")


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    out = tmp_path_factory.mktemp("cmp") / "batch"
    r = cli("compare", "hierarchy_2011", "hierarchy_plus_hotline", "--replications", "3",
            "--days", "4", "--scale", "0.03", "--workers", "2", "--out", str(out), "--report")
    assert r.returncode == 0, r.stderr
    return out, r


def test_compare_prints_paired_intervals_and_writes_csv(batch):
    out, r = batch
    assert "hierarchy_plus_hotline vs hierarchy_2011: 3 paired replications" in r.stdout
    assert "Reach (%)" in r.stdout and "[" in r.stdout
    table = pd.read_csv(out / "comparison.csv")
    assert set(table["method"]) <= {"paired-t", "paired-bootstrap"}
    assert (table["n"] == 3).all()
    reach = table[table["figure"] == "reach"].iloc[0]
    runs = load_batch(out)
    base = runs[runs["scenario"] == "hierarchy_2011"].sort_values("seed")["reach"]
    hot = runs[runs["scenario"] == "hierarchy_plus_hotline"].sort_values("seed")["reach"]
    assert reach["diff"] == pytest.approx(100 * (hot.to_numpy() - base.to_numpy()).mean())
    assert reach["verdict"] in {"better", "can't tell"}


def test_compare_an_existing_batch_and_bad_baseline(batch):
    out, _ = batch
    r = cli("compare", str(out), "--baseline", "hierarchy_2011")
    assert r.returncode == 0 and "paired replications" in r.stdout
    bad = cli("compare", str(out), "--baseline", "flat_2012")
    assert bad.returncode == 2 and "flat_2012" in bad.stderr and "Traceback" not in bad.stderr


def test_report_opens_headless_with_every_section(batch):
    out, _ = batch
    report = out / "report.html"
    text = report.read_text(encoding="utf-8")
    assert "http://" not in text and "https://" not in text  # self-contained
    assert "扁平化" in text and "Flat community management" in text
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu",
                                          "--disable-background-networking"])
        page = browser.new_page()
        page.goto(report.as_uri())
        for section in SECTIONS:
            assert page.locator(f"h2#{section}").count() == 1, section
        assert page.locator("table.cmp tr").count() > 5
        widths = page.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth)")
        assert len(widths) >= 4 and min(widths) > 100
        page.screenshot(path=str(out / "report.png"))
        browser.close()
    import numpy as np
    from PIL import Image
    img = np.asarray(Image.open(out / "report.png").convert("L"), float)
    assert img.std() > 5  # not a blank page


def test_report_in_chinese(batch):
    out, _ = batch
    r = cli("report", str(out), "--lang", "zh", "--out", str(out / "zh.html"))
    assert r.returncode == 0, r.stderr
    text = (out / "zh.html").read_text(encoding="utf-8")
    assert "研究问题" in text and "The question" not in text


def test_sensitivity_ranks_the_dominant_parameter_first(tmp_path):
    # the districts' sign-off cycle dominates the slow tail of the hierarchy's response;
    # the spread of initial trust, over a tiny range, hardly matters
    r = cli("sensitivity", "hierarchy_2011", "--param", "decision.cycle_days.district=0:28",
            "--param", "trust.initial_sd=0:0.01", "--trajectories", "4", "--days", "10",
            "--scale", "0.05", "--workers", "2", "--out", str(tmp_path / "s"))
    assert r.returncode == 0, r.stderr
    table = pd.read_csv(tmp_path / "s" / "sensitivity_morris.csv")
    resp = table[table["output"] == "response_time_min.p90"].sort_values("rank")
    assert resp.iloc[0]["param"] == "decision.cycle_days.district"
    assert resp.iloc[0]["mu_star"] > 5 * resp.iloc[1]["mu_star"]
    assert (tmp_path / "s" / "figures" / "sensitivity_morris.png").stat().st_size > 1000
