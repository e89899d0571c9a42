"""Running, tabulating and (later) comparing simulation runs. Sits on top of `simulation`.

`analysis.load_batch` and `analysis.load_cases` are imported on first use (PEP 562), so
importing a light module such as `analysis.labels` (the browser does) loads no pandas.
"""

from __future__ import annotations

from typing import Any

__all__ = ["load_batch", "load_cases"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from analysis import dataset
        return getattr(dataset, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
