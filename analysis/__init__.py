"""Running, tabulating and (later) comparing simulation runs. Sits on top of `simulation`."""

from analysis.dataset import load_batch, load_cases

__all__ = ["load_batch", "load_cases"]
