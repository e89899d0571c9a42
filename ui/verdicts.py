"""Figures as the page shows them: formatting (units, percentage points for differences of
shares), the workshop's difference rows and the plain-language one-line verdicts."""

from __future__ import annotations

import math
from typing import Any

from .labels import FIGURES, figure

#: Figures of a run in display order, with direction (+1 more is better, -1 less).
KPI_KEYS: tuple[tuple[str, int], ...] = tuple((k, f.direction) for k, f in FIGURES.items())
KPI_DIRECTION = dict(KPI_KEYS)
#: Figures with a one-line verdict in the workshop, in this order.
HEADLINE = ("response_time_km_min.median", "resolved_within_deadline", "reach",
            "service_circle_coverage_authority", "patrol_coverage_24h",
            "police_p1_within_target", "visit_coverage", "community_utilisation")


# ------------------------------------------------------------------------ formatting
def is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_kpi(key: str, value: Any) -> str:
    """The figure's value as shown (display factor and precision, no unit)."""
    if is_missing(value):
        return "—"
    f = figure(key)
    shown = value * f.factor
    decimals = 0 if f.unit == "count" else f.decimals  # counts: whole numbers
    if decimals or isinstance(shown, float) and f.factor != 1:
        return f"{shown:,.{decimals}f}"
    if isinstance(shown, float):
        return f"{shown:,.0f}" if float(shown).is_integer() else f"{shown:,.2f}"
    return f"{shown:,}"


def format_with_unit(key: str, value: Any, lang: str = "en") -> str:
    text = format_kpi(key, value)
    unit = figure(key).unit_in(lang)
    if text == "—" or not unit or unit == "0-1":
        return text
    return f"{text} %" if unit == "%" else f"{text} {unit}"


def format_delta(key: str, delta: Any, lang: str = "en") -> str:
    """A difference B − A: signed, shares in percentage points ("+3.0 pp")."""
    if is_missing(delta):
        return "—"
    f = figure(key)
    body = format_kpi(key, abs(delta))
    sign = "+" if delta > 0 and body.strip("0.,") else "−" if delta < 0 and \
        body.strip("0.,") else ""
    unit = ("pp" if lang != "zh" else "个百分点") if f.is_share else \
        ("" if f.unit_en in ("", "0-1") else f.unit_in(lang))
    return f"{sign}{body} {unit}".strip()


# ------------------------------------------------------------------------ comparison
def difference(fa: dict[str, Any], fb: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per figure: A, B, B − A and which side is better (None: neither)."""
    rows = []
    for key, direction in KPI_KEYS:
        va, vb = fa.get(key), fb.get(key)
        delta = better = None
        if not is_missing(va) and not is_missing(vb):
            delta = vb - va
            if format_kpi(key, va) == format_kpi(key, vb):
                better = "same"  # equal as shown (trust 0.550 vs 0.550)
            elif direction:
                better = "B" if delta * direction > 0 else "A"
        rows.append({"key": key, "a": va, "b": vb, "delta": delta, "better": better})
    return rows


_VERDICT = {
    "response_time_km_min.median": ("{w} answers half of needs within {wv} instead of {lv}",
                          "{w}半数需求在{wv}内得到响应，{l}需{lv}"),
    "resolved_within_deadline": ("{w} settles {wv} of needs by their deadline instead of "
                                 "{lv}", "{w}按期办结{wv}的需求，{l}为{lv}"),
    "reach": ("{w} reaches {wv} of needs instead of {lv}",
              "{w}的需求触达率为{wv}，{l}为{lv}"),
    "service_circle_coverage_authority": (
        "{w} puts {wv} of residents 15 min from an office able to settle their matter "
        "instead of {lv}", "{w}有{wv}的居民步行15分钟内即可办结常见事项，{l}为{lv}"),
    "patrol_coverage_24h": ("{w}'s patrols pass where {wv} of people are at least daily "
                            "instead of {lv}", "{w}的巡逻每天覆盖{wv}的人口，{l}为{lv}"),
    "police_p1_within_target": ("{w} reaches {wv} of urgent police calls in target time "
                                "instead of {lv}", "{w}按时到场处置{wv}的紧急警情，{l}为{lv}"),
    "visit_coverage": ("{w} makes {wv} of scheduled visits on time instead of {lv}",
                       "{w}按时完成{wv}的定期走访，{l}为{lv}"),
    "community_utilisation": ("{w}'s community staff are busy {wv} of their paid hours "
                              "instead of {lv}", "{w}的社区人员忙碌时间占工时{wv}，{l}为{lv}"),
}


def verdicts(rows: list[dict[str, Any]], names: tuple[str, str], lang: str = "en"
             ) -> list[tuple[str, str, str]]:
    """Plain-language one-liners for the headline figures: (figure key, side, text);
    side is "A", "B" or "same"."""
    out = []
    by_key = {r["key"]: r for r in rows}
    for key in HEADLINE:
        r = by_key.get(key)
        if r is None or r["better"] is None:
            continue
        label = figure(key).name(lang)
        if r["better"] == "same":
            text = (f"{label}：两侧相同（{format_with_unit(key, r['a'], lang)}）" if lang == "zh"
                    else f"{label}: the same on both sides "
                    f"({format_with_unit(key, r['a'], lang)})")
            out.append((key, "same", text))
            continue
        win = 0 if r["better"] == "A" else 1
        vals = (r["a"], r["b"])
        template = _VERDICT[key][1 if lang == "zh" else 0]
        text = template.format(w=names[win], l=names[1 - win],
                               wv=format_with_unit(key, vals[win], lang),
                               lv=format_with_unit(key, vals[1 - win], lang))
        out.append((key, r["better"], text))
    return out
