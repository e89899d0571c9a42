"""The workshop view: two runs on one seed, side by side, with their difference."""

from __future__ import annotations

import html
from types import SimpleNamespace
from typing import Any

import numpy as np
import solara

from ui.charts import timeline_html
from ui.i18n import tr
from ui.player import Player, safe_call, use_player
from ui.state import (
    Workshop,
    format_kpi,
    png_bytes,
    scenario_label,
)
from ui.view_single import _overrides
from ui.widgets import (
    Clock,
    KpiTable,
    LayerToggles,
    Legend,
    LeverPanel,
    MapImage,
    PlayControls,
    RunSettings,
    ScenarioSelect,
)


@solara.component
def SideControls(ws: Workshop, side: int, lang: str, disabled: bool, player: Player):
    """Scenario and levers of one side; Apply rebuilds it and catches up with the clock."""
    run = ws.sides[side]
    tag = "ab"[side]
    error = solara.use_reactive(None)
    edits = solara.use_reactive(run.lever_values() | dict(run.overrides))
    name = solara.use_reactive(run.scenario_name)

    def set_lever(key, value):
        edits.set({**edits.value, key: value})

    def apply():
        ok = ws.apply(side, run.scenario_name, _overrides(run, edits.value, run.scenario_name))
        error.set(None if ok else run.error)
        player.redraw(finished=ws.finished, rebuilt=True)

    def pick(new_name):
        ok = ws.apply(side, new_name, {})
        if ok:
            edits.set(run.lever_values(new_name))
            name.set(new_name)
        error.set(None if ok else run.error)
        player.redraw(finished=ws.finished, rebuilt=True)

    _ = player.builds.value  # redraw when a side was rebuilt
    pending = _overrides(run, edits.value, run.scenario_name) != run.overrides
    with solara.Column(classes=[f"side-controls-{tag}"]):
        solara.Markdown(f"### {tr('side.' + tag, lang)}")
        ScenarioSelect(name.value, pick, lang, css_class=f"scenario-select-{tag}",
                       disabled=disabled)
        with solara.Details(summary=tr("levers", lang), expand=False):
            with solara.Div(classes=[f"levers-{tag}"]):
                LeverPanel(edits.value, set_lever, lang, disabled=disabled)
                solara.Button(tr("apply", lang), on_click=apply, disabled=disabled,
                              classes=[f"btn-apply-{tag}"], color="primary", outlined=True)
        if pending:
            solara.Info(tr("pending.side", lang), dense=True)
        if error.value:
            with solara.Div(classes=[f"run-error-{tag}"]):
                solara.Error(f"{tr('error.scenario', lang)}: {error.value} "
                             f"{tr('error.kept', lang)}")


@solara.component
def DiffPanel(rows: list[dict[str, Any]], lang: str):
    html_rows = []
    for r in rows:
        key = r["key"]
        if key == "petitions" and r["a"] is None and r["b"] is None:
            continue
        better = r["better"]
        label = {"A": tr("side.a", lang), "B": tr("side.b", lang),
                 "same": tr("diff.same", lang)}.get(better, tr("diff.none", lang))
        delta = r["delta"]
        if delta is None:
            dtext = "—"
        else:
            dtext = ("+" if delta > 0 else "−" if delta < 0 else "") + format_kpi(key, abs(delta))
        ca = "better-A" if better == "A" else ""
        cb = "better-B" if better == "B" else ""
        html_rows.append(
            f'<tr data-kpi="{key}" data-better="{better or ""}">'
            f'<td>{html.escape(tr("kpi." + key, lang))}</td>'
            f'<td class="n {ca}">{format_kpi(key, r["a"])}</td>'
            f'<td class="n {cb}">{format_kpi(key, r["b"])}</td>'
            f'<td class="n">{dtext}</td><td class="better">{html.escape(label)}</td></tr>')
    head = (f"<tr><th>{html.escape(tr('diff.metric', lang))}</th>"
            f"<th>{html.escape(tr('side.a', lang))}</th>"
            f"<th>{html.escape(tr('side.b', lang))}</th>"
            f"<th>{html.escape(tr('diff.delta', lang))}</th>"
            f"<th>{html.escape(tr('diff.better', lang))}</th></tr>")
    solara.Markdown(f"**{tr('difference', lang)}**")
    solara.HTML(tag="div", classes=["diff-panel"],
                unsafe_innerHTML=f'<table class="cgs-diff">{head}{"".join(html_rows)}</table>')


def _both_maps_png(ws: Workshop, layers: frozenset) -> bytes:
    imgs = [i for i in (r.map_rgb(layers) for r in ws.sides) if i is not None]
    imgs = [np.repeat(np.repeat(i, 2, axis=0), 2, axis=1) for i in imgs]
    if not imgs:
        return b""
    h = max(i.shape[0] for i in imgs)
    gap = np.full((h, 8, 3), 255, np.uint8)
    padded = [np.pad(i, ((0, h - i.shape[0]), (0, 0), (0, 0)), constant_values=255)
              for i in imgs]
    parts = [padded[0]]
    for img in padded[1:]:
        parts += [gap, img]
    return png_bytes(np.concatenate(parts, axis=1))


@solara.component
def WorkshopLive(ws: Workshop, lang: str, player: Player, layers: solara.Reactive):
    """Both sides' clocks, maps and figures, the difference and the charts."""
    frame = player.frame.value
    solara.use_effect(player.drawn.set, [frame])
    layer_set = frozenset(layers.value)
    builds = (ws.a.build_count, ws.b.build_count)
    maps = solara.use_memo(lambda: [r.map_png(layer_set) for r in ws.sides],
                           [frame, layer_set, builds])
    chart = timeline_html([("A", ws.a.history_frame()), ("B", ws.b.history_frame())], lang,
                          ws.a.days)
    with solara.Columns([1, 1]):
        for side, run in enumerate(ws.sides):
            tag = "ab"[side]
            with solara.Column(classes=[f"side-{tag}"]):
                solara.Markdown(f"**{tr('side.' + tag, lang)}: "
                                f"{scenario_label(run.scenario_name, lang)}**")
                Clock(*run.clock(), run.days, run.model is not None and run.finished, lang,
                      css_class=f"clock-{tag}")
                with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start"}):
                    with solara.Column(style={"flex": "1 1 360px"}):
                        MapImage(maps[side], css_class=f"map-{tag}")
                    with solara.Column(style={"flex": "1 1 260px"}):
                        KpiTable(run.figures(), lang, css_class=f"kpi-{tag}")
    Legend(lang, layers.value)
    with solara.Row(style={"flex-wrap": "wrap"}):
        solara.FileDownload(ws.figures_csv, filename=f"workshop_seed{ws.a.seed}_"
                            f"{ws.a.scenario_name}_vs_{ws.b.scenario_name}.csv",
                            label=tr("export.figures", lang))
        solara.FileDownload(lambda: _both_maps_png(ws, layer_set),
                            filename=f"workshop_maps_seed{ws.a.seed}.png",
                            label=tr("export.map", lang), mime_type="image/png")
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start"}):
        with solara.Column(style={"flex": "1 1 560px"}):
            DiffPanel(ws.difference(), lang)
        with solara.Column(style={"flex": "2 1 600px"}):
            solara.Markdown(f"**{tr('charts', lang)}**")
            solara.HTML(tag="div", unsafe_innerHTML=chart, classes=["charts"])


def _workshop_handlers(ws: Workshop, player: Player, seed, scale, days, error):
    def reset():
        player.playing.set(False)
        ok = ws.reset(seed=seed.value, scale=scale.value, days=days.value)
        error.set(None if ok else (ws.a.error or ws.b.error))
        player.redraw(finished=ws.finished, rebuilt=True)

    def step():
        safe_call(lambda: ws.step(1), error)
        player.redraw(finished=ws.finished)

    return SimpleNamespace(reset=reset, step=step)


@solara.component
def WorkshopView(ws: Workshop, lang: str):
    error = solara.use_reactive(None)
    solara.use_memo(ws.ensure_built, [])
    player = use_player(ws.step, lambda: ws.finished, ws)
    layers = solara.use_reactive([])
    seed = solara.use_reactive(ws.a.seed)
    scale = solara.use_reactive(ws.a.scale)
    days = solara.use_reactive(ws.a.days)
    h = solara.use_memo(lambda: _workshop_handlers(ws, player, seed, scale, days, error), [])
    playing = player.playing.value

    with solara.Column(classes=["view-workshop"]):
        solara.Info(tr("workshop.note", lang), dense=True)
        with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start"}):
            with solara.Column(style={"min-width": "320px"}):
                PlayControls(player, h.step, h.reset, lang)
                if error.value:
                    solara.Error(f"{tr('error.scenario', lang)}: {error.value}")
                LayerToggles(layers, lang)
            with solara.Column(style={"min-width": "320px", "max-width": "420px"}):
                RunSettings(seed, scale, days, lang, disabled=playing)
        with solara.Columns([1, 1]):
            for side in (0, 1):
                SideControls(ws, side, lang, playing, player)
        WorkshopLive(ws, lang, player, layers)
