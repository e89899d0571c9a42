"""The workshop handout: both maps, the one-line verdicts and the difference table on one
page, as PNG or PDF, in English or Chinese (matplotlib; imported only when asked for)."""

from __future__ import annotations

import io
import textwrap

from .i18n import tr
from .labels import FIGURES
from .scenario_text import scenario_text
from .state import Workshop
from .verdicts import format_delta, format_with_unit, verdicts


def handout(ws: Workshop, lang: str = "en", layer: str = "", fmt: str = "png") -> bytes:
    """One A4-landscape page: title, run, verdicts, maps A and B, the difference table."""
    from matplotlib.figure import Figure

    from .batch_plots import FAMILY  # sets the CJK font fallback

    rows = ws.difference()
    names = tuple(scenario_text(r.scenario_name).title_in(lang) for r in ws.sides)
    short = tuple(scenario_text(r.scenario_name).short_in(lang) for r in ws.sides)
    day, hour = ws.a.clock()
    fig = Figure(figsize=(11.69, 8.27), dpi=110)
    fig.text(0.03, 0.965, tr("title", lang), fontsize=13, weight="bold", family=FAMILY)
    fig.text(0.03, 0.935, f"A: {names[0]}    B: {names[1]}", fontsize=10, family=FAMILY)
    fig.text(0.03, 0.91, tr("clock", lang, day=day, hour=hour) + " · "
             + tr("workshop.run", lang, seed=ws.a.seed, scale=ws.a.scale, days=ws.a.days),
             fontsize=9, color="#444", family=FAMILY)
    y = 0.875
    for _, _, text in verdicts(rows, short, lang):
        fig.text(0.03, y, "• " + text, fontsize=9, family=FAMILY)
        y -= 0.023
    top = y - 0.01
    for i, run in enumerate(ws.sides):
        ax = fig.add_axes((0.02 + 0.25 * i, 0.13, 0.24, top - 0.15))
        rgb = run.map_rgb(layer)
        if rgb is not None:
            ax.imshow(rgb, interpolation="nearest")
        shown = f" · {tr('layer.' + layer, lang)}" if layer else ""
        ax.set_title(f"{'AB'[i]}: {short[i]}{shown}", fontsize=9, family=FAMILY)
        ax.set_xticks([])
        ax.set_yticks([])
    legend = tr("handout.legend", lang)
    lines = [legend[i:i + 48] for i in range(0, len(legend), 48)] if lang == "zh" else \
        textwrap.wrap(legend, 95)
    fig.text(0.03, 0.105, "\n".join(lines), fontsize=7, color="#333", family=FAMILY,
             va="top")
    ax = fig.add_axes((0.52, 0.05, 0.46, top - 0.05))
    ax.axis("off")
    better = {"A": "A", "B": "B", "same": tr("diff.same", lang)}
    cells = [[FIGURES[r["key"]].name(lang), format_with_unit(r["key"], r["a"], lang),
              format_with_unit(r["key"], r["b"], lang), format_delta(r["key"], r["delta"], lang),
              better.get(r["better"], "—")]
             for r in rows]
    table = ax.table(cellText=cells, colLabels=[tr(k, lang) for k in (
        "diff.metric", "side.a", "side.b", "diff.delta", "diff.better")],
        colWidths=[0.49, 0.12, 0.12, 0.18, 0.09], bbox=(0, 0, 1, 1), cellLoc="right")
    table.auto_set_font_size(False)
    table.set_fontsize(7)
    for (r, c), cell in table.get_celld().items():
        cell.get_text().set_family(FAMILY)
        if c == 0:
            cell.get_text().set_horizontalalignment("left")
        if r > 0 and c in (1, 2) and cells[r - 1][4] == "AB"[c - 1]:
            cell.set_facecolor("#d5f5dc")
    fig.text(0.03, 0.03, "\n".join(textwrap.wrap(tr("handout.note", lang), 100))
             if lang != "zh" else tr("handout.note", lang), fontsize=7, color="#555",
             family=FAMILY)
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=fig.dpi)
    return buf.getvalue()
