"""The page in a real browser: Debian's chromium driven by Python playwright.

A module fixture starts `python run.py ui` on a free loopback port (as a user would),
waits until it answers `/readyz`, and stops it (its own process group) afterwards. Each
test opens a fresh page, i.e. a fresh Solara session with its own models. Screenshots go
to `test-artifacts/` (git-ignored) and are checked not to be blank.

Needs: /usr/bin/chromium (`apt-get install chromium`) and Solara's asset cache filled
(`python -m ui.assets`); `.ci/run` does both. Without them these tests fail, on purpose:
the page must be tested in CI.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 90_000


# --------------------------------------------------------------------------- fixtures
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def batch_dir(tmp_path_factory) -> Path:
    """A small batch folder made by `run.py batch` (two scenarios, two replications)."""
    out = tmp_path_factory.mktemp("ui-batch") / "batch"
    proc = subprocess.run([sys.executable, str(ROOT / "run.py"), "batch", "hierarchy_2011",
                           "flat_2012", "--replications", "2", "--days", "2", "--scale",
                           "0.05", "--workers", "1", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out


@pytest.fixture(scope="module")
def server(batch_dir, tmp_path_factory):
    """`run.py ui` on a free loopback port; yields its address."""
    from ui import assets

    missing = assets.missing_packages()
    if missing:
        pytest.fail("Solara's asset cache lacks " + ", ".join(missing) + "; run "
                    "`python -m ui.assets` first (the page is blank without them)")
    port = _free_port()
    log_path = tmp_path_factory.mktemp("ui-server") / "server.log"
    log = open(log_path, "wb")
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "run.py"), "ui", "--host", "127.0.0.1", "--port",
         str(port), "--batch-root", str(batch_dir.parent)],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"run.py ui exited with {proc.returncode}:\n"
                            + log_path.read_text(errors="replace")[-3000:])
            try:
                with urllib.request.urlopen(url + "/readyz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("the page did not answer /readyz within 120 s:\n"
                            + log_path.read_text(errors="replace")[-3000:])
            time.sleep(0.3)
        printed = log_path.read_text(errors="replace")
        assert f"Serving the page at http://127.0.0.1:{port}/" in printed
        yield url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        log.close()
        text = log_path.read_text(errors="replace")
        assert "Traceback" not in text, text[-4000:]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} not found: install it with `apt-get install chromium` "
                    "(the browser tests must run, they are not skipped)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000},
                              accept_downloads=True)
    pg = ctx.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    cdn_failures: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("response", lambda r: cdn_failures.append(f"{r.status} {r.url}")
          if "/_solara/cdn/" in r.url and r.status >= 400 else None)
    pg.goto(server)
    pg.wait_for_selector(".clock")
    yield pg
    ctx.close()
    assert not cdn_failures, f"front-end files missing from the asset cache: {cdn_failures}"
    assert not errors, f"errors in the page: {errors}"


# ---------------------------------------------------------------------------- helpers
def clock_hours(pg, sel: str = ".clock") -> int:
    text = pg.inner_text(sel)
    m = re.search(r"(\d+)\D+?(\d\d):00", text)
    assert m, f"no clock in {text!r}"
    return (int(m.group(1)) - 1) * 24 + int(m.group(2))


def wait_hours(pg, hours: int, sel: str = ".clock") -> None:
    from playwright.sync_api import expect

    day, hour = hours // 24 + 1, hours % 24
    expect(pg.locator(sel)).to_contain_text(re.compile(rf"\b{day}\D+?{hour:02d}:00"),
                                            timeout=TIMEOUT_MS)


def kpis(pg, table: str = ".kpi-table") -> dict[str, str]:
    rows = pg.locator(f"{table} tr[data-kpi]")
    return {rows.nth(i).get_attribute("data-kpi"): rows.nth(i).locator("td.v").inner_text()
            for i in range(rows.count())}


def step(pg, times: int = 1, clock: str = ".clock") -> None:
    for _ in range(times):
        before = clock_hours(pg, clock)
        pg.click(".btn-step")
        wait_hours(pg, before + 1, clock)


def switch_view(pg, view: str, marker: str) -> None:
    """Click a view button and wait for the view; click once more if the first click
    was lost (a click landing while the page redraws its toggle)."""
    from playwright.sync_api import expect

    pg.click(f".view-btn-{view}")
    try:
        pg.wait_for_selector(marker, timeout=20_000)
    except Exception:  # noqa: BLE001 - playwright's TimeoutError
        pg.click(f".view-btn-{view}")
    expect(pg.locator(marker).first).to_be_visible(timeout=TIMEOUT_MS)


def assert_not_blank(path: Path) -> None:
    img = np.asarray(Image.open(path).convert("L"), float)
    assert img.size > 10_000, f"{path} is tiny"
    assert img.std() > 15, f"{path} looks blank (pixel standard deviation {img.std():.1f})"
    assert (img < 200).mean() > 0.02, f"{path} is almost all white"


def screenshot(pg, name: str) -> Path:
    """The whole view (the page scrolls inside Solara's layout, so the window is made
    tall enough for all of it), saved under test-artifacts/ and checked not blank."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    size = pg.viewport_size
    height = pg.evaluate("() => Math.max(document.body.scrollHeight, "
                         "...[...document.querySelectorAll('*')].map(e => e.scrollHeight))")
    pg.set_viewport_size({"width": size["width"], "height": min(max(height, 800), 4000)})
    pg.wait_for_timeout(1000)
    pg.screenshot(path=str(path))
    pg.set_viewport_size(size)
    assert_not_blank(path)
    return path


def download(pg, label: str) -> bytes:
    with pg.expect_download() as info:
        pg.get_by_role("button", name=label).click()
    return Path(info.value.path()).read_bytes()


def figures_csv(pg) -> dict[str, str]:
    rows = csv.DictReader(io.StringIO(download(pg, "Figures (CSV)").decode()))
    return {r["name"]: r["value"] for r in rows}


# ------------------------------------------------------------------------------ tests
def test_page_loads_with_default_scenario_map_and_figures(page):
    from playwright.sync_api import expect

    expect(page.locator(".clock")).to_contain_text("Day 1, 00:00")
    expect(page.locator(".scenario-select")).to_contain_text("hierarchy_2011")
    img = page.locator(".map-image img")
    expect(img).to_be_visible()
    assert page.evaluate("(el) => el.naturalWidth", img.element_handle()) > 300
    figures = kpis(page)
    assert {"response_median_h", "backlog", "reach", "mean_trust",
            "service_circle_coverage"} <= set(figures)
    assert re.fullmatch(r"\d+\.\d", figures["service_circle_coverage"])
    assert page.locator(".cgs-legend").is_visible()
    screenshot(page, "ui-single-start.png")


def test_step_advances_clock_and_changes_figures(page):
    before = kpis(page)
    step(page, 3)
    after = kpis(page)
    assert clock_hours(page) == 3
    assert after != before
    assert after["patrol_coverage_24h"] != "—"


def test_play_then_pause(page):
    from playwright.sync_api import expect

    page.click(".btn-play")
    expect(page.locator(".btn-pause")).to_be_visible()
    deadline = time.monotonic() + 90
    while clock_hours(page) < 3:
        assert time.monotonic() < deadline, "playing did not advance the clock"
        page.wait_for_timeout(250)
    page.click(".btn-pause")
    expect(page.locator(".btn-play")).to_be_visible()
    page.wait_for_timeout(1500)  # a frame already under way may still be drawn
    stopped_at = clock_hours(page)
    page.wait_for_timeout(2500)
    assert clock_hours(page) == stopped_at, "the run went on after Pause"
    assert stopped_at >= 3
    expect(page.locator(".steps-rate")).to_contain_text("steps/s")


def test_play_rate_is_recorded(page):
    """Plays for ten seconds at one hour per frame and records steps per second."""
    page.click(".btn-play")
    t0 = time.monotonic()
    page.wait_for_timeout(10_000)
    page.click(".btn-pause")
    elapsed = time.monotonic() - t0
    page.wait_for_timeout(1500)
    hours = clock_hours(page)
    rate = hours / elapsed
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "ui-play-rate.json").write_text(json.dumps(
        {"steps": hours, "seconds": round(elapsed, 2), "steps_per_s": round(rate, 2),
         "shown_in_page": page.inner_text(".steps-rate")}) + "\n")
    assert hours >= 2


def test_lever_change_and_reset_rebuilds_the_model(page):
    from playwright.sync_api import expect

    step(page, 2)
    assert figures_csv(page).get("lever.hotline.enabled") is None
    page.locator(".lever-hotline-enabled input[type=checkbox]").click(force=True)
    expect(page.locator(".pending-note")).to_be_visible()
    page.click(".btn-reset")
    expect(page.locator(".clock")).to_contain_text("Day 1, 00:00")
    expect(page.locator(".pending-note")).to_have_count(0)
    rows = figures_csv(page)
    assert rows["scenario"] == "hierarchy_2011"
    assert rows["lever.hotline.enabled"] == "True"
    step(page, 1)


def test_invalid_levers_show_the_validation_message(page):
    from playwright.sync_api import expect

    field = page.locator(".lever-structure-street_offices input")
    field.fill("100")  # more street offices than the 69 communities
    field.press("Enter")
    page.click(".btn-reset")
    error = page.locator(".run-error")
    expect(error).to_contain_text("street office")
    expect(error).to_contain_text("structure.street_offices")
    assert "Traceback" not in page.inner_text("body")
    step(page, 1)  # the previous model is kept and still runs
    screenshot(page, "ui-single-error.png")


def test_map_png_and_time_series_export(page):
    step(page, 2)
    png = download(page, "Map (PNG)")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "ui-map-export.png").write_bytes(png)
    assert_not_blank(ARTIFACTS / "ui-map-export.png")
    series = download(page, "Time series (CSV)").decode().splitlines()
    assert series[0].startswith("hour_of_run,")
    assert len(series) == 1 + 3  # hours 0, 1, 2


def test_layers_toggle_and_single_view_screenshot(page):
    from playwright.sync_api import expect

    step(page, 2)
    src = page.locator(".map-image img").get_attribute("src")
    page.locator(".layer-circle input[type=checkbox]").click(force=True)
    expect(page.locator(".map-image img")).not_to_have_attribute("src", src)
    page.locator(".layer-patrol input[type=checkbox]").click(force=True)
    expect(page.locator(".cgs-legend")).to_contain_text("patrolled in the last 24 h")
    screenshot(page, "ui-single.png")


def test_workshop_steps_two_models_together_with_a_difference_panel(page):
    from playwright.sync_api import expect

    switch_view(page, "workshop", ".clock-a")
    expect(page.locator(".clock-a")).to_contain_text("Day 1, 00:00")
    expect(page.locator(".clock-b")).to_contain_text("Day 1, 00:00")
    expect(page.locator(".scenario-select-a")).to_contain_text("hierarchy_2011")
    expect(page.locator(".scenario-select-b")).to_contain_text("flat_2012")
    for hours in (1, 2):
        page.click(".btn-step")
        wait_hours(page, hours, ".clock-a")
        wait_hours(page, hours, ".clock-b")
    a, b = kpis(page, ".kpi-a"), kpis(page, ".kpi-b")
    assert a and b and a != b
    diff = page.locator(".diff-panel tr[data-kpi]")
    assert diff.count() >= 10
    verdicts = {diff.nth(i).get_attribute("data-better") for i in range(diff.count())}
    assert verdicts & {"A", "B"}, verdicts
    assert page.locator(".diff-panel td.better-A, .diff-panel td.better-B").count() >= 1
    # play and pause: both sides stay on one clock
    page.click(".btn-play")
    expect(page.locator(".btn-pause")).to_be_visible()
    page.wait_for_timeout(3000)
    page.click(".btn-pause")
    expect(page.locator(".btn-play")).to_be_visible()
    page.wait_for_timeout(1500)
    assert clock_hours(page, ".clock-a") == clock_hours(page, ".clock-b") >= 3
    # change side B's levers live: rebuilt, and caught up with side A's clock
    page.locator(".side-controls-b .v-expansion-panel-header").click()
    page.locator(".levers-b .lever-hotline-enabled input[type=checkbox]").click(force=True)
    page.click(".btn-apply-b")
    page.wait_for_timeout(1500)
    assert clock_hours(page, ".clock-a") == clock_hours(page, ".clock-b")
    page.locator(".side-controls-b .v-expansion-panel-header").click()
    screenshot(page, "ui-workshop.png")


def test_switching_to_chinese_changes_the_labels(page):
    from playwright.sync_api import expect

    expect(page.locator(".btn-play")).to_contain_text("Play")
    page.click(".lang-zh")
    expect(page.locator(".btn-play")).to_contain_text("播放")
    expect(page.locator(".page-title")).to_contain_text("嘉峪关")
    expect(page.locator(".kpi-table")).to_contain_text("响应时间中位数")
    expect(page.locator(".clock")).to_contain_text("第1天")
    expect(page.locator(".cgs-legend")).to_contain_text("社区边界")
    screenshot(page, "ui-single-zh.png")
    switch_view(page, "workshop", ".diff-panel")
    expect(page.locator(".diff-panel")).to_contain_text("更优")
    page.click(".lang-en")
    expect(page.locator(".diff-panel")).to_contain_text("Better")


def test_batch_view_opens_a_batch_and_refuses_other_folders(page, batch_dir):
    from playwright.sync_api import expect

    switch_view(page, "batch", ".batch-folder input")
    field = page.locator(".batch-folder input")
    field.fill("/etc")
    page.click(".btn-open-batch")
    expect(page.locator(".batch-error")).to_contain_text("outside the folders")
    field.fill(str(batch_dir))
    page.click(".btn-open-batch")
    expect(page.locator(".comparison-table")).to_contain_text("flat_2012")
    expect(page.locator(".batch-table")).to_contain_text("hierarchy_2011")
    screenshot(page, "ui-batch.png")
