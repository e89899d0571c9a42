"""The options every command shares, defined once: `--days`, `--scale`, `--seed`,
`--workers`, `--scheduler`, `--out`, `--force`.

`shared_options(...)` builds an argparse parent parser holding the options a command
has, with that command's defaults; a command adds it with
`sub.add_parser(NAME, parents=[shared_options(...)])`. Each call builds fresh option
objects, so one command's defaults never leak into another's.
"""

from __future__ import annotations

import argparse
import os
from typing import Any, NoReturn

from analysis.argtypes import positive_int, scale_value, seed_value


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (not the whole usage), exit code 2."""

    def error(self, message: str) -> NoReturn:
        text = " ".join(message.split())
        if len(text) > 240:
            text = text[:237] + "..."
        self.exit(2, f"error: {self.prog}: {text} (see {self.prog} --help)\n")


def all_cores() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _specs(days: int, scale: float, seed: int) -> dict[str, tuple[tuple, dict[str, Any]]]:
    return {
        "days": (("--days",), dict(type=positive_int, default=days, metavar="N",
                                   help=f"horizon in days ({days})")),
        "scale": (("--scale",), dict(type=scale_value, default=scale, metavar="F",
                                     help=f"share of residents simulated ({scale:g}); needs, staff "
                                     f"and police stay the whole city's, so figures "
                                     f"estimate the full city; below 1e-4 a warning")),
        "seed": (("--seed",), dict(type=seed_value, default=seed, metavar="S",
                                   help=f"random seed, 0 to 2**63 - 1 ({seed})")),
        "workers": (("--workers",), dict(
            type=positive_int, default=None, metavar="W",
            help=f"local worker processes, 1 = serial in this process (all cores: "
            f"{all_cores()}); with --scheduler local, the cluster's workers")),
        "scheduler": (("--scheduler",), dict(
            metavar="ADDRESS", help="run on Dask: 'local' starts a LocalCluster, "
            "tcp://HOST:PORT uses a running scheduler (its workers need this project "
            "installed and the output folder on a shared filesystem)")),
        "out": (("--out",), dict(metavar="DIR", help="output folder")),
        "force": (("--force",), dict(action="store_true",
                                     help="run even if the memory estimate is above the "
                                     "memory available")),
    }


def shared_options(*names: str, days: int = 30, scale: float = 1.0, seed: int = 1,
                   help: dict[str, str] | None = None) -> argparse.ArgumentParser:
    """A parent parser with the shared options `names`, in the order given.

    Args:
        names: any of "days", "scale", "seed", "workers", "scheduler", "out", "force".
        days, scale, seed: this command's defaults.
        help: help texts that differ for this command, by option name.
    """
    specs = _specs(days, scale, seed)
    unknown = [n for n in names if n not in specs]
    if unknown:
        raise ValueError(f"no shared option {', '.join(unknown)}")
    parent = argparse.ArgumentParser(add_help=False)
    for name in names:
        flags, kwargs = specs[name]
        if help and name in help:
            kwargs = {**kwargs, "help": help[name]}
        parent.add_argument(*flags, **kwargs)
    return parent
