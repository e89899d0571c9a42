"""Ctrl-C at a chosen moment: a point function that runs the real one, then raises
KeyboardInterrupt after the n-th point (its row is written), as a user would interrupt."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def interrupting(real: Callable[..., Any], after: int) -> tuple[Callable[..., Any], list[str]]:
    """A stand-in for `run_and_record` and the list of the run ids it ran."""
    calls: list[str] = []

    def run(point: Any, out_dir: str, tables: bool = True) -> Any:
        outcome = real(point, out_dir, tables=tables)
        calls.append(point.run_id)
        if len(calls) == after:
            raise KeyboardInterrupt
        return outcome

    return run, calls
