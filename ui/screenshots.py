"""Screenshots of the page for the documentation, and the play rate, in headless chromium.

    python -m ui.screenshots [--out docs] [--seconds 20]

Serves the app on a free loopback port, opens it in chromium, plays the one-run view and
the workshop view for `--seconds` each at one simulated hour per frame (and the one-run
view once more at 24 hours per frame), prints the steps per second it saw, and writes
small PNGs `ui-single.png` and `ui-workshop.png` to `--out`. Needs chromium and a filled
asset cache (`python -m ui.assets`).
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


def _shot(pg, path: Path, width: int) -> None:
    from PIL import Image

    size = pg.viewport_size
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
    print(f"wrote {path} ({path.stat().st_size // 1024} kB)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots", description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--width", type=int, default=1000, help="width of the PNGs (px)")
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
            pg = browser.new_page(viewport={"width": 1400, "height": 1000})
            pg.set_default_timeout(90_000)
            pg.goto(url)
            pg.wait_for_selector(".clock")
            rate1 = _play(pg, args.seconds, ".clock")
            pg.locator(".layer-patrol input[type=checkbox]").click(force=True)
            args.out.mkdir(parents=True, exist_ok=True)
            _shot(pg, args.out / "ui-single.png", args.width)
            pg.click(".btn-reset")
            pg.wait_for_timeout(2000)
            pg.click(".speed .v-select")
            pg.get_by_role("option", name="24", exact=True).click()
            rate24 = _play(pg, min(args.seconds / 2, 5.0), ".clock")
            pg.click(".view-btn-workshop")
            pg.wait_for_selector(".clock-a")
            rate_ws = _play(pg, args.seconds, ".clock-a")
            _shot(pg, args.out / "ui-workshop.png", args.width)
            browser.close()
    except Exception:
        print(log_path.read_text(errors="replace")[-4000:], file=sys.stderr)
        raise
    finally:
        stop_server(proc)
    print(f"one run, 1 h per frame: {rate1:.1f} steps/s (= frames/s)")
    print(f"one run, 24 h per frame: {rate24:.1f} steps/s")
    print(f"workshop (two models), 1 h per frame: {rate_ws:.1f} steps/s per side")
    return 0


if __name__ == "__main__":
    sys.exit(main())
