"""The live charts: figures over time as small SVG charts with fixed, honest ranges.

Shares run 0-100 %, times and counts from 0 with headroom above the largest
value, and the x axis spans the whole horizon, so a line's slope means the same thing all
run long and a change of 0.001 looks like one. Each chart takes at most
`state.MAX_CHART_POINTS` points, so a frame costs the same on day 1 and on day 365.
"""

from __future__ import annotations

import numpy as np

from .i18n import tr
from .svgchart import panel

SIDE_COLOURS = ("#1f4e9c", "#c0392b")
SIDE_DASH = ("", "6,3")


def _hours(minutes: np.ndarray) -> np.ndarray:
    """A series of times in minutes (the summary's unit) in hours, as the chart shows it."""
    return minutes / 60.0


def timeline_html(series: list[tuple[str, dict[str, np.ndarray]]], lang: str = "en",
                  days: int | None = None, width: int = 270, height: int = 150) -> str:
    """Four small charts (response time; backlog; reach, patrol coverage and deadlines
    met; community staff busy); one colour per run in `series` (label,
    `Run.chart_series()`)."""
    resp, back, cov, load = [], [], [], []
    x_max = float(days or 1)
    two = len(series) > 1
    for i, (label, s) in enumerate(series):
        c, dash = SIDE_COLOURS[i % 2], SIDE_DASH[i % 2] if two else ""
        pre = f"{label} " if two else ""
        x = s["day"]
        resp.append({"label": pre + tr("chart.median", lang), "x": x,
                     "y": _hours(s["response_time_km_min.median"]), "colour": c,
                     "dash": dash})
        resp.append({"label": pre + tr("chart.p90", lang), "x": x,
                     "y": _hours(s["response_time_km_min.p90"]),
                     "colour": c, "dash": "2,2", "width": 1.0})
        back.append({"label": label if two else "", "x": x, "y": s["backlog"], "colour": c,
                     "dash": dash})
        cov.append({"label": pre + tr("chart.reach", lang), "x": x, "y": s["reach"] * 100,
                    "colour": c, "dash": dash})
        cov.append({"label": pre + tr("chart.patrol", lang), "x": x,
                    "y": s["patrol_coverage_24h"] * 100, "colour": c, "dash": "2,2",
                    "width": 1.0})
        cov.append({"label": pre + tr("chart.deadline", lang), "x": x,
                    "y": s["resolved_within_deadline"] * 100, "colour": c, "dash": "1,3",
                    "width": 1.0})
        load.append({"label": label if two else "", "x": x,
                     "y": s["community_utilisation"] * 100, "colour": c, "dash": dash})
    day = tr("chart.day", lang)
    size = {"width": width, "height": height}
    panels = [panel(tr("chart.response", lang), resp, x_max, day, y_min=0, headroom=0.15,
                    **size),
              panel(tr("chart.backlog", lang), back, x_max, day, y_min=0, headroom=0.15,
                    **size),
              panel(tr("chart.coverage", lang), cov, x_max, day, y_min=0, y_max=100,
                    headroom=0.06, **size),
              panel(tr("chart.load", lang), load, x_max, day, y_min=0, y_max=100,
                    headroom=0.06, **size)]
    return ('<div class="cgs-charts">'
            + "".join(f"<div>{p}</div>" for p in panels) + "</div>")
