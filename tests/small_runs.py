"""One small run of a scenario, for tests that look inside the finished model."""

from __future__ import annotations

from simulation.model import GovernanceModel
from simulation.scenario import load


def run_small(name: str, days: int, scale: float, seed: int, **overrides) -> GovernanceModel:
    """Build and run `name` with `overrides` (dotted keys written with `__`)."""
    scn = load(name)
    if overrides:
        scn = scn.with_overrides({k.replace("__", "."): v for k, v in overrides.items()})
    m = GovernanceModel(scn, seed=seed, scale=scale, days=days)
    m.run()
    return m
