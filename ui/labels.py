"""The page's figures, read from the one table of figures `analysis.labels` (label, unit,
display factor, direction and definition in English and Chinese); this module has no
entries of its own. Levers: `ui.lever_labels`.

No figure depends on the share of residents simulated: units keep their full staff and
the police their full force at any scale, and each sampled resident carries the needs of
1/scale residents, so every figure estimates the full city's.
"""

from __future__ import annotations

from analysis.labels import COMMUNITY, LIVE, Figure, community_figure
from analysis.labels import FIGURES as _TABLE

__all__ = ["COMMUNITY_FIGURES", "FIGURES", "Figure", "batch_column", "figure"]

#: Figures of a run, in the order the page shows them.
FIGURES: dict[str, Figure] = {k: _TABLE[k] for k in LIVE}
#: Figures of one community, for the community panel (the panel's key -> its figure).
COMMUNITY_FIGURES: dict[str, Figure] = {k: community_figure(k) for k in COMMUNITY}


def figure(key: str) -> Figure:
    """The figure `key` the page shows (KeyError for an unknown figure)."""
    return FIGURES.get(key) or COMMUNITY_FIGURES[key]


def batch_column(column: str, lang: str) -> tuple[str, float]:
    """How the page shows a batch column: ("label (unit)", display factor), from the
    table; a column the table lacks (the runs table's `runs`, `scenario`) keeps its
    label from `ui.i18n`, or its name."""
    f = _TABLE.get(column)
    if f is not None:
        return f.title(lang), f.factor
    from .i18n import has, tr
    return (tr(f"column.{column}", lang) if has(f"column.{column}") else column), 1.0
