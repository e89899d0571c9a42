"""Command-line value types shared by every command: one message for each mistake."""

from __future__ import annotations

import argparse
import math

from simulation.randomness import SEED_MAX

#: Below this share of residents a run simulates a handful of people: it warns.
SMALL_SCALE = 1e-4


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise argparse.ArgumentTypeError(f"expected a whole number, got {shown!r}") from None


def positive_int(text: str) -> int:
    value = _whole(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


def non_negative_int(text: str) -> int:
    value = _whole(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, got {value}")
    return value


def seed_value(text: str) -> int:
    """A seed: a whole number from 0 to 2**63 - 1 (the same range for every command)."""
    value = _whole(text)
    if not 0 <= value <= SEED_MAX:
        shown = str(value) if len(str(value)) <= 40 else f"a number of {len(str(value))} digits"
        raise argparse.ArgumentTypeError(f"expected a seed from 0 to 2**63 - 1 "
                                         f"({SEED_MAX}), got {shown}")
    return value


def scale_value(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise argparse.ArgumentTypeError(f"expected a number, got {shown!r}") from None
    if not (math.isfinite(value) and 0 < value <= 1):
        raise argparse.ArgumentTypeError(f"expected a share of residents in (0, 1], got "
                                         f"{value:g}")
    return value
