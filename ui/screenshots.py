"""Screenshots of the page for the documentation, and the play rate, in headless chromium.

    python -m ui.screenshots [--out docs] [--seconds 10]

Serves the app on a free loopback port, opens it in chromium at 1400x900, plays the
one-run view and the workshop for `--seconds` each at one simulated hour per frame (and
prints the frames per second it saw), runs on to day 8, and writes small PNGs to
`--out`: `ui-single.png` (one run, patrol layer), `ui-workshop.png` (the workshop's first
screen), `ui-community.png` (a community's panel, staff-load layer) and `ui-zh.png` (the
workshop in Chinese). Needs chromium and a filled asset cache (`python -m ui.assets`).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tempfile
import time
from pathlib import Path

from ui.assets import (
    CHROMIUM_ARGS,
    cache_dir,
    chromium_path,
    free_port,
    start_server,
    stop_server,
    wait_ready,
)

ROOT = Path(__file__).resolve().parent.parent


def _hours(pg, sel: str) -> int:
    m = re.search(r"(\d+)\D+?(\d\d):00", pg.inner_text(sel))
    return (int(m.group(1)) - 1) * 24 + int(m.group(2)) if m else 0


def _play(pg, seconds: float, sel: str) -> float:
    """Play for `seconds` (or until the horizon); simulated hours per wall second."""
    h0, t0 = _hours(pg, sel), time.monotonic()
    pg.click(".btn-play")
    pg.wait_for_selector(".btn-pause")
    while time.monotonic() - t0 < seconds and pg.locator(".btn-pause").count():
        pg.wait_for_timeout(200)
    elapsed = time.monotonic() - t0
    if pg.locator(".btn-pause").count():
        pg.click(".btn-pause")
    pg.wait_for_selector(".btn-play")
    pg.wait_for_timeout(1500)
    return (_hours(pg, sel) - h0) / elapsed


def _shot(pg, path: Path, width: int, full: bool = False) -> None:
    from PIL import Image

    size = pg.viewport_size
    if full:
        height = pg.evaluate("() => Math.max(...[...document.querySelectorAll('*')]"
                             ".map(e => e.scrollHeight))")
        pg.set_viewport_size({"width": size["width"], "height": min(max(height, 800), 3000)})
        pg.wait_for_timeout(1200)
    img = Image.open(io.BytesIO(pg.screenshot())).convert("RGB")
    pg.set_viewport_size(size)
    img = img.resize((width, round(img.height * width / img.width)), Image.LANCZOS)
    # a palette keeps the PNGs small (about 100 kB); octree keeps the map's colours
    img = img.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    img.save(path, optimize=True)
    print(f"wrote {path.name} ({path.stat().st_size // 1024} kB)")


def _run_to(pg, day: int) -> None:
    pg.fill(".run-to-day input", str(day))
    pg.click(".btn-run-to")
    pg.wait_for_timeout(1000)
    pg.wait_for_function(f"() => document.body.innerText.includes('Day {day}, 00:00')",
                         timeout=120_000)
    pg.wait_for_timeout(1500)


def _community(pg, scenario: str, stack: str) -> None:
    """Click the first community of the default run of `scenario` on the map `stack`."""
    from ui.state import DEFAULT_DAYS, DEFAULT_SCALE, DEFAULT_SEED, Run

    run = Run(scenario, DEFAULT_SEED, DEFAULT_SCALE, DEFAULT_DAYS)
    run.build()
    st, r = run.model.structure, run.renderer
    cell = st.units[int(st.area_unit[min(5, len(st.area_unit) - 1)])].cell
    x, y = cell // r.h, cell % r.h
    box = pg.locator(stack).bounding_box()
    pg.mouse.click(box["x"] + ((x - r.x0) * r.px + r.px / 2) / r.shape[1] * box["width"],
                   box["y"] + ((r.y1 - 1 - y) * r.px + r.px / 2) / r.shape[0] * box["height"])
    pg.wait_for_timeout(1500)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots", description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--width", type=int, default=1200, help="width of the PNGs (px)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    exe = chromium_path()
    if exe is None:
        print("error: chromium not found", file=sys.stderr)
        return 1
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = Path(tempfile.mkdtemp(prefix="cgs-ui-")) / "server.log"
    proc = start_server(port, cache_dir(), log_path=log_path)
    try:
        wait_ready(url, proc=proc)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
            pg = browser.new_page(viewport={"width": 1400, "height": 900})
            pg.set_default_timeout(90_000)
            pg.goto(url)
            pg.wait_for_selector(".map-image img.map-base")
            rate1 = _play(pg, args.seconds, ".clock")
            args.out.mkdir(parents=True, exist_ok=True)
            _run_to(pg, 8)
            pg.click(".layer-patrol24")
            pg.wait_for_timeout(1500)
            _shot(pg, args.out / "ui-single.png", args.width)
            pg.click(".layer-load")
            _community(pg, "hierarchy_2011", ".map-image .cgs-map-stack")
            _shot(pg, args.out / "ui-community.png", args.width)
            pg.click(".view-btn-workshop")
            pg.wait_for_selector(".clock-a")
            rate_ws = _play(pg, args.seconds, ".clock-a")
            _run_to(pg, 8)
            _shot(pg, args.out / "ui-workshop.png", args.width)
            pg.click(".lang-zh")
            pg.wait_for_timeout(2500)
            _shot(pg, args.out / "ui-zh.png", args.width)
            browser.close()
    except Exception:
        print(log_path.read_text(errors="replace")[-4000:], file=sys.stderr)
        raise
    finally:
        stop_server(proc)
    print(f"one run, 1 h per frame: {rate1:.1f} frames/s")
    print(f"workshop (two models), 1 h per frame: {rate_ws:.1f} frames/s, each side")
    return 0


if __name__ == "__main__":
    sys.exit(main())
