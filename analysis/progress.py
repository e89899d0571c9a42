"""The one progress bar: days of a run (`run.py run`), runs of a batch (`run.py batch`),
trials of a calibration (`run.py calibrate`, with the best so far as its note).

On a terminal the bar is redrawn in place; in a log (not a terminal) a line is written
at most every `log_every` seconds, and at the end. Progress goes to stderr, so stdout
holds only results.
"""

from __future__ import annotations

import sys
import time
from typing import IO


class ProgressBar:
    """Done / total, failures and time left.

    Args:
        label: what is counted, shown first ("batch", a scenario's name).
        total: units of work in all.
        unit: their name ("runs", "days").
        skipped: units done before (a resumed batch); counted as done, not timed.
        stream: where to write.
        delay: seconds before anything is shown (a short run shows no bar).
        log_every: seconds between lines when `stream` is not a terminal.
        count_failures: show "N failed" (batches).

    Attributes:
        note: shown after the counts when set (e.g. "best 0.42 (trial 17)").
    """

    def __init__(self, label: str, total: int, unit: str, skipped: int = 0,
                 stream: IO[str] | None = None, delay: float = 0.0, log_every: float = 10.0,
                 count_failures: bool = False):
        self.label, self.total, self.unit = label, total, unit
        self.done = self.skipped = skipped
        self.failed = 0
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.delay, self.log_every = delay, log_every
        self.count_failures = count_failures
        self.note = ""
        self.t0 = self.last = time.perf_counter()
        self.drawn = -1
        if delay <= 0:
            self._draw()

    def step(self, failed: bool = False) -> None:
        """Count one unit done (failed or not) and redraw if it is time."""
        self.update(self.done + 1, self.failed + bool(failed))

    def update(self, done: int, failed: int | None = None) -> None:
        """Set the units done (and failed) so far and redraw if it is time."""
        self.done = done
        if failed is not None:
            self.failed = failed
        now = time.perf_counter()
        if now - self.t0 < self.delay:
            return
        due = (now - self.last >= 0.2) if self.tty else (now - self.last >= self.log_every
                                                         or self.drawn < 0)
        if due or (done >= self.total and self.drawn != done):
            self._draw()

    def __call__(self, done: int, total: int) -> None:
        """The callback of `GovernanceModel.run(progress)`: `done` of `total` days."""
        self.total = total
        self.update(done)

    def finish(self) -> None:
        """Draw the last line (unless it is drawn already, or nothing was ever shown)."""
        if self.drawn < 0 and time.perf_counter() - self.t0 < self.delay:
            return
        if self.drawn != self.done:
            self._draw()
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()

    def line(self) -> str:
        """The progress line, without line ends."""
        elapsed = time.perf_counter() - self.t0
        ran = self.done - self.skipped
        left = self.total - self.done
        eta = f"~{duration(elapsed / ran * left)} left" if ran and left > 0 else ""
        bar = "#" * int(30 * min(self.done, self.total) / self.total) if self.total else ""
        before = f" ({self.skipped} done before)" if self.skipped else ""
        failed = f", {self.failed} failed" if self.count_failures else ""
        note = f", {self.note}" if self.note else ""
        return (f"{self.label} [{bar:<30}] {self.done}/{self.total} {self.unit}{before}"
                f"{failed}{note}, {duration(elapsed)} {eta}").rstrip()

    def _draw(self) -> None:
        self.last, self.drawn = time.perf_counter(), self.done
        self.stream.write(("\r" + self.line() + " ") if self.tty else self.line() + "\n")
        self.stream.flush()


def duration(seconds: float) -> str:
    """`42s`, `3m07s`, `2h05m`."""
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
