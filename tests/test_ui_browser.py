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


def start_ui(port: int, log, extra: list[str] = ()) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "run.py"), "ui", "--host", "127.0.0.1", "--port",
         str(port), *extra], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)


def stop(proc: subprocess.Popen) -> None:
    """Stop a process this test started (its own process group)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def record(name: str, data: dict) -> None:
    """Write measurements to test-artifacts/ (speed is recorded, never asserted)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    old = json.loads(path.read_text()) if path.is_file() else {}
    old.update(data)
    old["load_average"] = os.getloadavg()
    path.write_text(json.dumps(old, indent=1) + "\n")


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
    proc = start_ui(port, log, ["--batch-root", str(batch_dir.parent)])
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
        stop(proc)
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
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)  # rebuilding two full cities on a busy machine
    ctx = browser.new_context(viewport={"width": 1400, "height": 900},
                              accept_downloads=True)
    pg = ctx.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    cdn_failures: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("response", lambda r: cdn_failures.append(f"{r.status} {r.url}")
          if "/_solara/cdn/" in r.url and r.status >= 400 else None)
    pg.goto(server)
    pg.wait_for_selector(".map-image img.map-base")  # the city is built after the page
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


def community_point(scenario: str = "hierarchy_2011", k: int = 0) -> tuple[float, float, str]:
    """Where community `k` of the default run (seed 1, full scale) lies on the map, as
    fractions of the map image, and its name (the page draws the same city)."""
    from ui.state import DEFAULT_DAYS, DEFAULT_SCALE, DEFAULT_SEED, Run

    run = Run(scenario, DEFAULT_SEED, DEFAULT_SCALE, DEFAULT_DAYS)
    assert run.build(), run.error
    st, r = run.model.structure, run.renderer
    cell = st.units[int(st.area_unit[k])].cell
    x, y = cell // r.h, cell % r.h
    fx = ((x - r.x0) * r.px + r.px / 2) / r.shape[1]
    fy = ((r.y1 - 1 - y) * r.px + r.px / 2) / r.shape[0]
    assert run.area_at(fx, fy) == k
    return fx, fy, st.area_names[k]


def click_map(pg, fx: float, fy: float, stack: str = ".map-image .cgs-map-stack") -> None:
    box = pg.locator(stack).bounding_box()
    pg.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])


def play_rate(pg, clock: str, seconds: float = 10.0) -> dict:
    """Play at one simulated hour per frame for `seconds`; hours (= frames) per second."""
    from playwright.sync_api import expect

    h0 = clock_hours(pg, clock)
    pg.click(".btn-play")
    expect(pg.locator(".btn-pause")).to_be_visible()
    t0 = time.monotonic()
    pg.wait_for_timeout(seconds * 1000)
    pg.click(".btn-pause")
    elapsed = time.monotonic() - t0
    expect(pg.locator(".btn-play")).to_be_visible()
    pg.wait_for_timeout(1500)
    hours = clock_hours(pg, clock) - h0
    shown = pg.locator(".steps-rate")
    return {"frames": hours, "seconds": round(elapsed, 2),
            "frames_per_s": round(hours / elapsed, 2),
            "shown_in_page": shown.inner_text() if shown.count() else ""}


# ------------------------------------------------------------------------------ tests
def test_page_loads_with_default_scenario_map_and_figures(page):
    from playwright.sync_api import expect

    from ui.labels import FIGURES

    expect(page.locator(".clock")).to_contain_text("Day 1, 00:00")
    expect(page.locator(".scenario-select")).to_contain_text("Street-office hierarchy (2011)")
    expect(page.locator(".scenario-select-description")).to_contain_text("before the reform")
    img = page.locator(".map-image img.map-base")
    expect(img).to_be_visible()
    assert page.evaluate("(el) => el.naturalWidth", img.element_handle()) > 300
    figures = kpis(page)
    assert {"response_time_km_min.median", "backlog", "reach", "mean_trust",
            "service_circle_coverage"} <= set(figures)
    assert re.fullmatch(r"\d+\.\d", figures["service_circle_coverage"])
    expect(page.locator(".scale-note")).to_have_count(0)  # full scale by default
    legend = page.locator(".cgs-legend").inner_text()
    for word in ("industrial zone", "scenic area", "police station", "community police office",
                 "joint-defence member"):
        assert word in legend
    expect(page.locator(".cgs-scalebar")).to_contain_text("m")
    assert FIGURES["reach"].en in page.inner_text(".kpi-table")
    screenshot(page, "ui-single-start.png")


def test_every_figure_and_lever_has_a_definition_on_hover(page):
    from ui.labels import FIGURES
    from ui.lever_labels import LEVERS

    step(page, 2)
    rows = page.locator(".kpi-table tr[data-kpi]")
    assert rows.count() >= 13
    for i in range(rows.count()):
        key = rows.nth(i).get_attribute("data-kpi")
        assert rows.nth(i).get_attribute("title") == FIGURES[key].define_en, key
        mark = rows.nth(i).locator(".help")
        assert mark.inner_text() == "?" and mark.get_attribute("title") == FIGURES[key].define_en
    levers = page.locator(".view-single .cgs-lever")
    assert levers.count() >= 15
    for i in range(levers.count()):
        title = levers.nth(i).get_attribute("title") or ""
        assert len(title) > 20, levers.nth(i).get_attribute("class")
    for key in ("police.officers", "staff.community_scale", "staff.priority",
                "tasks.volume_multiplier", "police.dispatch_rule", "police.embedded_share",
                "decision.cycle_days.city", "routing.direct_referral",
                "hotline.misroute_share"):
        title = page.locator(".lever-" + key.replace(".", "-")).get_attribute("title")
        assert LEVERS[key].define_en in title, key
    page.hover(".kpi-table tr[data-kpi=reach] .help")  # hovering shows the title
    assert page.locator(".svg-chart title").count() == 4
    # Chinese definitions too
    page.click(".lang-zh")
    from playwright.sync_api import expect

    expect(page.locator(".kpi-table tr[data-kpi=reach]")).to_have_attribute(
        "title", FIGURES["reach"].define_zh)


def test_every_scenario_is_listed_by_title(page):
    from ui.scenario_text import scenario_text
    from ui.state import scenario_names

    page.click(".scenario-select")
    options = page.locator(".v-menu__content.menuable__content__active .v-list-item__title")
    options.first.wait_for()
    shown = [options.nth(i).inner_text() for i in range(options.count())]
    titles = [scenario_text(n).title for n in scenario_names()]
    assert shown == titles
    assert not set(shown) & set(scenario_names())  # no file names as labels
    page.get_by_role("option", name=scenario_text("hierarchy_plus_grid").title).click()
    from playwright.sync_api import expect

    expect(page.locator(".scenario-select-description")).to_contain_text(
        "Grid responsibility alone")
    page.click(".lang-zh")
    expect(page.locator(".scenario-select")).to_contain_text("2011层级制+网格化责任制")
    expect(page.locator(".scenario-select-description")).to_contain_text("只加网格化")


def test_step_advances_clock_and_changes_figures(page):
    before = kpis(page)
    step(page, 3)
    after = kpis(page)
    assert clock_hours(page) == 3
    assert after != before
    assert after["patrol_coverage_1h"] != "—"
    assert after["patrol_coverage_24h"] == "—"  # blank until a whole day has passed


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


def test_run_to_day(page):
    field = page.locator(".run-to-day input")
    field.fill("3")
    page.click(".btn-run-to")
    wait_hours(page, 48)


def test_frame_rates_are_recorded(page):
    """One run and the workshop, ten seconds each at one hour per frame; the rates go to
    test-artifacts/ui-play-rate.json (recorded, not asserted: the machine is shared)."""
    single = play_rate(page, ".clock")
    switch_view(page, "workshop", ".clock-a")
    workshop = play_rate(page, ".clock-a")
    assert clock_hours(page, ".clock-a") == clock_hours(page, ".clock-b")
    record("ui-play-rate.json", {"single_run_1h_per_frame": single,
                                 "workshop_1h_per_frame_each_side": workshop})
    assert single["frames"] >= 2 and workshop["frames"] >= 2


def test_time_to_ready_while_a_batch_runs(tmp_path, browser):
    """`run.py ui` start to /readyz, and to the map drawn in a new page, while a batch
    runs beside it; recorded in test-artifacts/ui-ready.json (not asserted)."""
    batch = subprocess.Popen(
        [sys.executable, str(ROOT / "run.py"), "batch", "hierarchy_2011", "flat_2012",
         "--replications", "4", "--days", "20", "--scale", "0.5", "--workers", "1",
         "--out", str(tmp_path / "busy")], cwd=ROOT, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)
    port = _free_port()
    log = open(tmp_path / "server.log", "wb")
    try:
        time.sleep(2)  # let the batch get going
        t0 = time.monotonic()
        proc = start_ui(port, log)
        url = f"http://127.0.0.1:{port}"
        while True:
            assert proc.poll() is None, (tmp_path / "server.log").read_text()[-2000:]
            try:
                with urllib.request.urlopen(url + "/readyz", timeout=2):
                    break
            except OSError:
                time.sleep(0.05)
            assert time.monotonic() - t0 < 120
        t_ready = time.monotonic() - t0
        ctx = browser.new_context(viewport={"width": 1400, "height": 900})
        pg = ctx.new_page()
        pg.goto(url)
        pg.wait_for_selector(".btn-play", timeout=TIMEOUT_MS)
        t_shown = time.monotonic() - t0
        pg.wait_for_selector(".map-image img.map-base", timeout=TIMEOUT_MS)
        t_page = time.monotonic() - t0
        ctx.close()
        busy = batch.poll() is None
        record("ui-ready.json", {"to_readyz_s": round(t_ready, 2),
                                 "to_page_shown_s": round(t_shown, 2),
                                 "to_page_drawn_s": round(t_page, 2),
                                 "batch_running_throughout": busy})
    finally:
        stop(batch)
        if "proc" in locals():
            stop(proc)
        log.close()


def test_lever_change_and_reset_rebuilds_the_model(page):
    from playwright.sync_api import expect

    step(page, 2)
    assert figures_csv(page).get("lever.hotline.enabled") is None
    page.locator(".lever-hotline-enabled input[type=checkbox]").click(force=True)
    expect(page.locator(".pending-note")).to_be_visible()
    page.click(".btn-reset-levers")  # the Reset right under the levers
    expect(page.locator(".clock")).to_contain_text("Day 1, 00:00")
    expect(page.locator(".pending-note")).to_have_count(0)
    rows = figures_csv(page)
    assert rows["scenario"] == "hierarchy_2011"
    assert rows["lever.hotline.enabled"] == "True"
    step(page, 1)


def test_bad_lever_values_name_the_lever(page):
    from playwright.sync_api import expect

    cases = [("structure-communities", "abc", "structure.communities: expected a whole number"),
             ("structure-communities", "-5", "got -5"),
             ("police-officers", "0", "police.officers: expected a value between 1"),
             ("structure-street_offices", "100", "structure.street_offices")]
    for cls, typed, message in cases:
        field = page.locator(f".lever-{cls} input")
        field.fill(typed)
        field.press("Enter")
        error = page.locator(f".lever-{cls} .lever-error")
        expect(error).to_contain_text(message)
        assert page.locator(".lever-error").count() == 1  # only on that lever
        field.fill({"structure-communities": "69", "police-officers": "240",
                    "structure-street_offices": "6"}[cls])
        field.press("Enter")
        expect(error).to_have_count(0)
    field = page.locator(".lever-police-officers input")
    field.fill("0")
    field.press("Enter")
    page.click(".btn-reset")
    expect(page.locator(".run-error")).to_contain_text("police.officers")
    assert "Traceback" not in page.inner_text("body")
    step(page, 1)  # the previous model is kept and still runs
    screenshot(page, "ui-single-error.png")


def test_clicking_a_community_opens_its_panel(page):
    from playwright.sync_api import expect

    fx, fy, name = community_point()
    step(page, 3)
    click_map(page, fx, fy)
    panel = page.locator(".community-panel")
    expect(panel).to_be_visible()
    expect(panel.locator(".community-name")).to_have_text(name)
    for key in ("residents", "utilisation", "open_needs", "police_on_duty", "staff",
                "queued", "tasks_overdue", "service_circle_coverage_authority"):
        row = panel.locator(f"tr[data-fig={key}]")
        expect(row).to_be_visible()
        assert len(row.get_attribute("title")) > 20
    step(page, 1)
    expect(panel).to_be_visible()  # stays open while the run goes on
    page.click(".layer-load")
    expect(page.locator(".cgs-legend")).to_contain_text("busy all the time")
    page.click(".map-zoom-in")
    screenshot(page, "ui-community.png")
    page.click(".btn-close-community")
    expect(panel).to_have_count(0)


def test_map_png_and_time_series_export(page):
    step(page, 2)
    png = download(page, "Map (PNG)")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "ui-map-export.png").write_bytes(png)
    assert_not_blank(ARTIFACTS / "ui-map-export.png")
    series = download(page, "Time series (CSV)").decode().splitlines()
    assert series[0].startswith("hour,needs_arisen,")  # the model's DataCollector
    assert len(series) == 1 + 3  # hours 0, 1, 2


def test_layers_change_the_overlay_only(page):
    from playwright.sync_api import expect

    step(page, 2)
    base = page.locator(".map-image img.map-base").get_attribute("src")
    plain = page.locator(".map-image img.map-overlay").get_attribute("src")
    for layer, legend in (("circle", "within 15 min"), ("circle_authority", "can settle it"),
                          ("patrol1", "last hour"),
                          ("patrol4", "last 4 h"), ("patrol24", "last 24 h"),
                          ("reach", "all reached"), ("load", "busy half the time")):
        page.click(f".layer-{layer}")
        expect(page.locator(".cgs-legend")).to_contain_text(legend)
        expect(page.locator(".map-image img.map-overlay")).not_to_have_attribute("src", plain)
    assert page.locator(".map-image img.map-base").get_attribute("src") == base
    screenshot(page, "ui-single.png")


def test_workshop_first_screen_at_1400x900_and_1280x720(page):
    from playwright.sync_api import expect

    from ui.verdicts import HEADLINE

    switch_view(page, "workshop", ".clock-a")
    expect(page.locator(".view-btn-workshop")).to_contain_text("Workshop")
    expect(page.locator(".scenario-select-a")).to_contain_text("Street-office hierarchy (2011)")
    expect(page.locator(".scenario-select-b")).to_contain_text(
        "Flat community management (2012 reform)")
    step(page, 6, ".clock-a")
    expect(page.locator(".diff-heading")).to_contain_text("Difference")
    page.locator(".run-to-day input").fill("3")  # past a whole day: every verdict shown
    page.click(".btn-run-to")
    wait_hours(page, 48, ".clock-a")
    expect(page.locator(".verdicts li[data-kpi]")).to_have_count(len(HEADLINE))
    for size in ({"width": 1400, "height": 900}, {"width": 1280, "height": 720}):
        page.set_viewport_size(size)
        page.wait_for_timeout(800)
        boxes = {sel: page.locator(sel).bounding_box() for sel in
                 (".diff-panel", ".map-a .cgs-map-scroll", ".map-b .cgs-map-scroll",
                  ".verdicts")}
        record("ui-workshop-layout.json", {f"{size['width']}x{size['height']}": {
            k: {"top": round(b["y"]), "bottom": round(b["y"] + b["height"])}
            for k, b in boxes.items()}})
        assert boxes[".diff-panel"]["y"] < size["height"], size  # the panel's top edge
        for sel in (".map-a .cgs-map-scroll", ".map-b .cgs-map-scroll"):
            assert boxes[sel]["y"] + boxes[sel]["height"] <= size["height"], (sel, size)
            assert boxes[sel]["x"] + boxes[sel]["width"] <= size["width"], (sel, size)
    page.set_viewport_size({"width": 1400, "height": 900})
    verdicts = page.locator(".verdicts li[data-kpi]")
    assert verdicts.count() >= 3
    assert "instead of" in verdicts.first.inner_text() or "same" in verdicts.first.inner_text()
    diff = page.locator(".diff-panel tr[data-kpi]")
    assert diff.count() >= 13
    for i in range(diff.count()):
        assert len(diff.nth(i).get_attribute("title")) > 20
    assert "pp" in page.locator(".diff-panel tr[data-kpi=reach]").inner_text()
    page.screenshot(path=str(ARTIFACTS / "ui-workshop-first-screen.png"))


def test_workshop_steps_two_models_together_with_a_difference_panel(page):
    from playwright.sync_api import expect

    switch_view(page, "workshop", ".clock-a")
    expect(page.locator(".clock-a")).to_contain_text("Day 1, 00:00")
    for hours in (1, 2):
        page.click(".btn-step")
        wait_hours(page, hours, ".clock-a")
        wait_hours(page, hours, ".clock-b")
    diff = page.locator(".diff-panel tr[data-kpi]")
    verdicts = {diff.nth(i).get_attribute("data-better") for i in range(diff.count())}
    assert verdicts & {"A", "B"}, verdicts
    assert page.locator(".diff-panel td.better-A, .diff-panel td.better-B").count() >= 1
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
    # a community of side A
    fx, fy, name = community_point()
    click_map(page, fx, fy, ".map-a .cgs-map-stack")
    expect(page.locator(".community-a .community-name")).to_have_text(name)
    screenshot(page, "ui-workshop.png")


def test_workshop_setup_save_load_and_handout(page, tmp_path):
    from playwright.sync_api import expect

    switch_view(page, "workshop", ".clock-a")
    text = download(page, "Save this setup (TOML)").decode()
    assert 'kind = "workshop-setup"' in text and 'scenario = "flat_2012"' in text
    changed = text.replace('scenario = "flat_2012"', 'scenario = "streets_2019"')
    changed = changed.replace("seed = 1", "seed = 7")
    path = tmp_path / "setup.toml"
    path.write_text(changed)
    page.locator(".setup-drop input[type=file]").set_input_files(str(path))
    expect(page.locator(".setup-message")).to_contain_text("both sides rebuilt")
    expect(page.locator(".scenario-select-b")).to_contain_text("Two street offices")
    expect(page.locator(".workshop-run")).to_contain_text("seed 7")
    bad = tmp_path / "bad.toml"
    bad.write_text(changed.replace("[b]", '[b]\nlevers = {"police.officers" = 0}'))
    page.locator(".setup-drop input[type=file]").set_input_files(str(bad))
    expect(page.locator(".setup-message")).to_contain_text("b.levers.police.officers")
    png = download(page, "Handout (PNG)")
    assert png[:4] == b"\x89PNG"
    (ARTIFACTS / "ui-handout.png").write_bytes(png)
    assert_not_blank(ARTIFACTS / "ui-handout.png")
    page.click(".lang-zh")
    assert download(page, "讲义（PDF）")[:4] == b"%PDF"


def test_switching_to_chinese_changes_the_labels(page):
    from playwright.sync_api import expect

    expect(page.locator(".btn-play")).to_contain_text("Play")
    page.click(".lang-zh")
    expect(page.locator(".btn-play")).to_contain_text("播放")
    expect(page.locator(".page-title")).to_contain_text("嘉峪关")
    expect(page.locator(".kpi-table")).to_contain_text("响应时间中位数")
    expect(page.locator(".clock")).to_contain_text("第1天")
    expect(page.locator(".cgs-legend")).to_contain_text("社区边界")
    expect(page.locator(".cgs-legend")).to_contain_text("工业区")
    screenshot(page, "ui-single-zh.png")
    switch_view(page, "workshop", ".diff-panel")
    expect(page.locator(".diff-heading")).to_contain_text("差异")
    expect(page.locator(".view-btn-workshop")).to_contain_text("研讨")
    page.click(".btn-step")
    wait_hours(page, 1, ".clock-a")
    expect(page.locator(".diff-panel")).to_contain_text("更优")
    screenshot(page, "ui-workshop-zh.png")
    page.click(".lang-en")
    expect(page.locator(".diff-panel")).to_contain_text("Better")


def test_batch_view_opens_a_batch_and_refuses_other_folders(page, batch_dir):
    from playwright.sync_api import expect

    switch_view(page, "batch", ".batch-folder input")
    field = page.locator(".batch-folder input")
    for outside in ("/etc", "docs", str(batch_dir.parent.parent)):
        field.fill(outside)
        page.click(".btn-open-batch")
        expect(page.locator(".batch-error")).to_contain_text("outside the folders")
        assert str(ROOT) not in page.inner_text(".batch-error")
        assert str(batch_dir.parent) not in page.inner_text(".batch-error")
    field.fill(str(batch_dir))
    field.press("Enter")
    page.click(".btn-open-batch")
    expect(page.locator(".comparison-table")).to_contain_text(
        "Flat community management (2012 reform)", timeout=TIMEOUT_MS)  # matplotlib loads
    expect(page.locator(".batch-table")).to_contain_text("Street-office hierarchy (2011)")
    expect(page.locator(".batch-table")).to_contain_text("Response time, median (h)")
    body = page.inner_text(".view-batch")
    assert "response_time_min.median" not in page.inner_text(".batch-table")
    assert str(batch_dir) not in body and str(ROOT) not in body
    page.click(".lang-zh")
    expect(page.locator(".batch-table")).to_contain_text("响应时间中位数")
    screenshot(page, "ui-batch.png")


def test_rapid_clicks_in_one_tab_leave_another_alone(page, browser, server):
    """Thirty quick clicks on the controls: no error in the page, and a second tab (its
    own session) does not move."""
    from playwright.sync_api import expect

    other_ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    other = other_ctx.new_page()
    other.goto(server)
    other.wait_for_selector(".map-image img.map-base")
    targets = [".btn-step", ".layer-patrol24", ".btn-step", ".layer-circle", ".layer-load",
               ".map-zoom-in", ".map-zoom-out", ".layer-reach", ".btn-step", ".layer-none"]
    for i in range(30):
        sel = targets[i % len(targets)]
        if page.locator(sel).count() and page.locator(sel).first.is_enabled():
            page.locator(sel).first.click()
    page.click(".btn-play")
    page.wait_for_timeout(500)
    page.click(".btn-pause")
    expect(page.locator(".btn-play")).to_be_visible()
    assert clock_hours(page) >= 1
    assert "Traceback" not in page.inner_text("body")
    expect(other.locator(".clock")).to_contain_text("Day 1, 00:00")
    other_ctx.close()
