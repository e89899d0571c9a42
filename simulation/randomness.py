"""Named random streams derived from one seed.

Each stream is seeded from the run's seed and a stable hash of the stream's name, never
from creation order, so a scenario that uses one more stream (a hotline, say) leaves every
other stream as it was: two scenarios under one seed face the same residents and the
same needs (common random numbers).
"""

from __future__ import annotations

import hashlib

import numpy as np

#: Seeds are whole numbers from 0 to 2**63 - 1: every seed fits a signed 64-bit column
#: (Parquet, pandas), so a run and a batch accept the same seeds.
SEED_MAX = 2**63 - 1


def stream_key(name: str) -> int:
    """A stable 64-bit integer for a stream name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "little")


class Streams:
    """Factory of independent `numpy.random.Generator`s, one per name.

    Args:
        seed: the run's seed, from 0 to `SEED_MAX`.

    Raises:
        ValueError: for a seed outside that range.
    """

    def __init__(self, seed: int):
        if not 0 <= seed <= SEED_MAX:
            raise ValueError(f"seed must be a whole number from 0 to 2**63 - 1, got {seed}")
        self.seed = int(seed)
        self._made: dict[str, np.random.Generator] = {}

    def get(self, name: str) -> np.random.Generator:
        """The generator for `name`; asking twice gives the same object."""
        if name not in self._made:
            seq = np.random.SeedSequence([self.seed, stream_key(name)])
            self._made[name] = np.random.Generator(np.random.PCG64(seq))
        return self._made[name]

    def fresh(self, name: str) -> np.random.Generator:
        """A new generator for `name`, at the start of its sequence."""
        return np.random.Generator(np.random.PCG64(np.random.SeedSequence([self.seed,
                                                                           stream_key(name)])))
