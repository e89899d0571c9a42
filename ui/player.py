"""Play, pause and the frame counter of a view: a thread steps the run(s) some simulated
hours per frame while playing and waits until the page has drawn each frame."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import solara

from ui.state import (
    RateMeter,
)

MIN_FRAME_S = 0.05
SPEEDS = [1, 2, 3, 6, 12, 24]


def safe_call(fn: Callable[[], Any], error: solara.Reactive) -> None:
    """Run a handler; show any failure as a message instead of a traceback."""
    try:
        error.set(None)
        fn()
    except Exception as exc:  # noqa: BLE001 - the page must not show a traceback
        error.set(f"{type(exc).__name__}: {exc}")


def clock_handlers(target: Any, player: Player, error: solara.Reactive) -> tuple:
    """`step()` and `run_to(day)` for a run or a workshop (anything with `step(hours)`,
    `run_to_day(day)` and `finished`)."""

    def step():
        safe_call(lambda: target.step(1), error)
        player.redraw(finished=target.finished)

    def run_to(day: int):
        player.playing.set(False)
        safe_call(lambda: target.run_to_day(day), error)
        player.redraw(finished=target.finished)

    return step, run_to


class Player:
    """Reactive play state of a view: playing, speed, frame counter, finished.

    `frame` changes whenever the run(s) advanced or were rebuilt; only the live part of
    a view reads it, so the controls are not redrawn on every frame.
    """

    def __init__(self):
        self.playing = solara.use_reactive(False)
        self.speed = solara.use_reactive(1)
        self.frame = solara.use_reactive(0)
        self.finished = solara.use_reactive(False)
        self.builds = solara.use_reactive(0)  # read by the controls: redrawn on rebuilds
        # steps per second, updated about once a second (each component that reads a
        # reactive value costs a render pass when it changes, so only the live panel
        # reads `frame`)
        self.rate = solara.use_reactive(None)
        self.drawn = solara.use_memo(threading.Event, [])

    def redraw(self, finished: bool | None = None, rebuilt: bool = False) -> None:
        if finished is not None and finished != self.finished.value:
            self.finished.set(finished)
        if rebuilt:
            self.builds.set(self.builds.value + 1)
        self.frame.set(self.frame.value + 1)


def use_player(step: Callable[[int], int], is_finished: Callable[[], bool],
               meter_owner: Any) -> Player:
    """Play/pause machinery shared by the views: a thread steps `speed` hours per frame
    while playing, and waits for the page to draw each frame before the next."""
    player = Player()
    playing, speed, drawn = player.playing, player.speed, player.drawn

    def loop(cancel: threading.Event):
        if not playing.value:
            return
        meter = RateMeter()
        meter.add(0)
        shown_at = -1e9  # show the first rate at once, then about once a second
        while playing.value and not cancel.is_set():
            t0 = time.perf_counter()
            n = step(speed.value)
            rate = meter.add(n)
            if rate is not None:
                meter_owner.steps_per_s = rate
                if t0 - shown_at >= 1.0:
                    shown_at = t0
                    player.rate.set(round(rate, 1))
            done = n == 0 or is_finished()
            drawn.clear()
            player.redraw(finished=done)
            if done:
                playing.set(False)
                return
            # wait until the page has drawn this frame (the live panel's effect sets
            # `drawn`): a slow page slows the play down instead of piling up redraws
            while not drawn.wait(0.1):
                if cancel.is_set() or not playing.value:
                    return
            wait = MIN_FRAME_S - (time.perf_counter() - t0)
            if wait > 0:
                cancel.wait(wait)

    solara.use_thread(loop, dependencies=[playing.value], intrusive_cancel=False)
    return player
