"""Plain-text tables of run summaries, for the terminal."""

from __future__ import annotations

from typing import Any

from simulation.parameters import KINDS


def _h(minutes: float | None) -> str:
    return "-" if minutes is None else f"{minutes / 60:,.1f}"


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}"


ROWS: list[tuple[str, Any]] = [
    ("Needs arisen", lambda s: f"{s['cases']['total']:,}"),
    ("  resolved", lambda s: f"{s['cases']['resolved']:,}"),
    ("  in progress", lambda s: f"{s['cases']['in_progress']:,}"),
    ("  gave up after reporting", lambda s: f"{s['cases']['gave_up']:,}"),
    ("  unreached", lambda s: f"{s['cases']['unreached']:,}"),
    ("Acknowledged, median (h)", lambda s: _h(s["acknowledged_time_min"]["median"])),
    ("Response time, mean (h)", lambda s: _h(s["response_time_min"]["mean"])),
    ("Response time, median (h)", lambda s: _h(s["response_time_min"]["median"])),
    ("Response time, p90 (h)", lambda s: _h(s["response_time_min"]["p90"])),
    ("  median with waiting needs (h)", lambda s: _h(s["response_time_km_min"]["median"])),
    ("  reporting delay, mean (h)", lambda s: _h(s["response_parts_min"]["reporting_delay"])),
    ("  routing + hand-offs, mean (h)", lambda s: _h(s["response_parts_min"]["routing_delay"])),
    ("  queue wait, mean (h)", lambda s: _h(s["response_parts_min"]["queue_wait"])),
    ("Public-order response, median (min)", lambda s: "-" if s["by_kind"]["public_order"][
        "response_time_min"]["median"] is None else
        f"{s['by_kind']['public_order']['response_time_min']['median']:.1f}"),
    ("  police travel, mean (min)", lambda s: "-" if s["response_parts_min"]["travel"] is None
     else f"{s['response_parts_min']['travel']:.1f}"),
    ("Resolution time, median (h)", lambda s: _h(s["resolution_time_min"]["median"])),
    ("Resolution time, p90 (h)", lambda s: _h(s["resolution_time_min"]["p90"])),
    ("Resolved within deadline (%)", lambda s: _pct(s.get("resolved_within_deadline"))),
    ("Repeat contacts", lambda s: f"{s['repeat_contacts']:,}"),
    ("Service-circle coverage (%)", lambda s: _pct(s["service_circle_coverage"])),
    ("Patrol coverage, 24 h (%)", lambda s: _pct(s["patrol_coverage_24h"])),
    ("Visit coverage (%)", lambda s: _pct(s["visit_coverage"])),
    ("Reach (%)", lambda s: _pct(s["reach"])),
    ("Hand-offs per reported need", lambda s: "-" if s["mean_handoffs"] is None
     else f"{s['mean_handoffs']:.2f}"),
    ("Community staff utilisation (%)",
     lambda s: _pct(s["load"]["utilisation"].get("community", {}).get("all"))),
    ("City departments' utilisation (%)",
     lambda s: _pct(s["load"]["utilisation"].get("city", {}).get("all"))),
    ("Tasks issued / overdue", lambda s: f"{s['tasks']['issued']:,} / {s['tasks']['overdue']:,}"),
    ("Office staff", lambda s: f"{s['load']['office_staff']:,}"),
    ("  per 10,000 residents", lambda s: f"{s['load']['staff_per_10k']:.1f}"),
    ("  per community", lambda s: f"{s['load']['staff_per_community']:.1f}"),
    ("Petitions", lambda s: f"{s['petitions']:,}"),
    ("Needs prevented (safe cells)", lambda s: f"{s['needs_prevented']:,}"),
    ("Welfare needs ineligible", lambda s: f"{s['ineligible']:,}"),
    ("Yearly cost (million CNY)", lambda s: f"{s['cost']['per_year_cny'] / 1e6:,.1f}"),
    ("Mean trust over the run", lambda s: f"{s['mean_trust']:.3f}"),
]


def format_summaries(summaries: list[dict[str, Any]]) -> str:
    """Figures of one or more runs side by side, then the median response by kind."""
    names = [s["scenario"] for s in summaries]
    width = max(14, *(len(n) + 2 for n in names))
    label_w = max(len(r[0]) for r in ROWS) + 2
    lines = ["".ljust(label_w) + "".join(n.rjust(width) for n in names)]
    lines.append("-" * len(lines[0]))
    for label, get in ROWS:
        lines.append(label.ljust(label_w) + "".join(get(s).rjust(width) for s in summaries))
    lines.append("")
    lines.append("Median response by kind (h)".ljust(label_w))
    for k in KINDS:
        vals = [_h(s["by_kind"][k]["response_time_min"]["median"]) for s in summaries]
        lines.append(f"  {k}".ljust(label_w) + "".join(v.rjust(width) for v in vals))
    return "\n".join(lines)
