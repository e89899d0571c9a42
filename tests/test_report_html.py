"""The HTML report with hostile scenario names, titles and descriptions: Jinja2's
autoescape makes them text, in the file and in a real browser (Debian's chromium).

A scenario file named `<img src=x onerror=alert(3)>.toml`, titled with a script tag and
described with markup, runs in a small batch beside hierarchy_2011; the report must show
those strings as text, run no script, and raise no dialog.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

HOSTILE_NAME = "<img src=x onerror=alert(3)>"
HOSTILE_TITLE = "<script>alert(1)</script> Hotline & co"
HOSTILE_DESCRIPTION = "<b onmouseover=alert(2)>bold</b> \"quoted\" 'single' <!-- x -->"


@pytest.fixture(scope="module")
def hostile_batch(tmp_path_factory) -> Path:
    import contextlib
    import io

    import run

    folder = tmp_path_factory.mktemp("hostile")
    scenario = folder / f"{HOSTILE_NAME}.toml"
    scenario.write_text(f'base = "hierarchy_2011"\ntitle = "{HOSTILE_TITLE}"\n'
                        f"description = '''{HOSTILE_DESCRIPTION}'''\n"
                        "[hotline]\nenabled = true\n", encoding="utf-8")
    out = folder / "batch"
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        assert run.main(["batch", "hierarchy_2011", str(scenario), "--days", "1", "--scale",
                         "0.02", "--replications", "2", "--workers", "1", "--out",
                         str(out)]) == 0
    return out


def test_hostile_strings_are_escaped_in_the_file(hostile_batch, run_py, tmp_path):
    r = run_py("report", hostile_batch, "--out", tmp_path / "report")
    assert r.returncode == 0, r.stderr
    text = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    for raw in (HOSTILE_NAME, "<script>alert(1)</script>", "<b onmouseover", "<!-- x -->"):
        assert raw not in text, raw
    assert "&lt;img src=x onerror=alert(3)&gt;" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Hotline &amp; co" in text
    assert text.count("&lt;img src=x onerror=alert(3)&gt;") >= 5  # table, findings, manifest
    assert "<script" not in text  # the page itself has no script at all


def test_hostile_report_runs_no_script_in_chromium(hostile_batch, run_py, tmp_path):
    from playwright.sync_api import sync_playwright

    if not Path("/usr/bin/chromium").exists() and not shutil.which("chromium"):
        pytest.skip("chromium is not installed")
    r = run_py("report", hostile_batch, "--out", tmp_path / "report")
    assert r.returncode == 0, r.stderr
    page_file = tmp_path / "report" / "report.html"
    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium")
                                    or "/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(page_file.as_uri())
        page.wait_for_timeout(500)
        shown = page.inner_text("body")
        images = page.locator("img").count()
        bold = page.locator("b[onmouseover]").count()
        page.hover("table.scen")
        page.wait_for_timeout(200)
        browser.close()
    assert dialogs == []
    assert HOSTILE_NAME in shown and HOSTILE_TITLE in shown and "<b onmouseover" in shown
    assert images == 4  # the four plots; no image made from a scenario's name
    assert bold == 0
