"""The workshop view: two runs on one seed, side by side, laid out so that a room sees
the answer first. Above the fold (1400x900, and 1280x720 on a projector): the play
controls, the two scenarios by their titles, one plain-language verdict per headline
figure, and the difference panel between the two maps. Below: each side's levers and
community panel, the legend, the charts and the facilitator's tools (save and load a
setup, handout)."""

from __future__ import annotations

import html
from types import SimpleNamespace
from typing import Any

import solara

from .charts import timeline_html
from .i18n import tr
from .labels import FIGURES
from .map_view import CommunityPanel, LayerLegend, LayerPicker, MapView
from .player import Player, clock_handlers, use_player
from .scenario_text import scenario_text
from .state import Workshop
from .verdicts import format_delta, format_with_unit, verdicts
from .view_single import chart_key, lever_errors_with, overrides_of
from .widgets import (
    Clock,
    LeverPanel,
    PlayControls,
    RunSettings,
    ScaleNote,
    ScenarioPicker,
    lever_handlers,
)
from .workshop_tools import WorkshopTools

MAP_PX = 320


@solara.component
def SideControls(ws: Workshop, side: int, lang: str, disabled: bool, player: Player):
    """Scenario (title and description) and levers of one side; Apply rebuilds it and
    catches up with the shared clock."""
    run = ws.sides[side]
    tag = "ab"[side]
    error = solara.use_reactive(None)
    edits = solara.use_reactive(run.lever_values() | dict(run.overrides))
    lever_errors = solara.use_reactive({})
    _ = player.builds.value  # redraw when a side was rebuilt (also by a loaded setup)
    seen = solara.use_reactive((run.build_count, run.scenario_name))
    if seen.value[1] != run.scenario_name or seen.value[0] != run.build_count:
        # rebuilt from elsewhere (a loaded setup): show what it holds
        seen.set((run.build_count, run.scenario_name))
        edits.set(run.lever_values() | dict(run.overrides))

    set_lever, set_error = lever_handlers(edits, lever_errors)

    def apply():
        if lever_errors.value:
            error.set(tr("levers.fix", lang) + " " + ", ".join(lever_errors.value))
            return
        ok = ws.apply(side, run.scenario_name, overrides_of(run, edits.value,
                                                             run.scenario_name))
        error.set(None if ok else run.error)
        player.redraw(finished=ws.finished, rebuilt=True)

    def pick(new_name):
        ok = ws.apply(side, new_name, {})
        if ok:
            edits.set(run.lever_values(new_name))
            lever_errors.set({})
        error.set(None if ok else run.error)
        player.redraw(finished=ws.finished, rebuilt=True)

    pending = overrides_of(run, edits.value, run.scenario_name) != run.overrides
    shown = lever_errors_with(run.error_key, error.value and run.error, lever_errors.value)
    with solara.Column(classes=[f"side-controls-{tag}", "side-controls"],
                       style={"flex": "1 1 480px", "gap": "0"}):
        with solara.Row(style={"align-items": "center", "gap": "8px"}):
            solara.HTML(tag="span", unsafe_innerHTML=html.escape(tr("side." + tag, lang)),
                        classes=[f"side-tag side-tag-{tag}"])
            with solara.Div(style={"flex": "1"}):
                ScenarioPicker(run.scenario_name, pick, lang,
                               css_class=f"scenario-select-{tag}", disabled=disabled)
        with solara.Details(summary=tr("levers", lang), expand=False):
            with solara.Div(classes=[f"levers-{tag}"]):
                LeverPanel(edits.value, set_lever, lang, shown, set_error, disabled=disabled)
                solara.Button(tr("apply", lang), on_click=apply, disabled=disabled,
                              classes=[f"btn-apply-{tag}"], color="primary", outlined=True)
        if pending:
            with solara.Row(classes=[f"pending-{tag}"], style={"align-items": "center"}):
                solara.Info(tr("pending.side", lang), dense=True)
                solara.Button(tr("apply", lang), on_click=apply, color="primary",
                              classes=[f"btn-apply-{tag}-note"])
        if error.value:
            with solara.Div(classes=[f"run-error-{tag}"]):
                solara.Error(f"{tr('error.scenario', lang)}: {error.value} "
                             f"{tr('error.kept', lang)}", dense=True)


def diff_html(rows: list[dict[str, Any]], lang: str) -> str:
    """The difference table: every figure for A and B, B − A (shares in pp), which side
    is better; each row carries the figure's definition on hover."""
    out = []
    names = {"A": tr("side.a", lang), "B": tr("side.b", lang), "same": tr("diff.same", lang)}
    for r in rows:
        key = r["key"]
        lab = FIGURES[key]
        better = r["better"]
        tip = html.escape(lab.definition(lang), quote=True)
        ca = "better-A" if better == "A" else ""
        cb = "better-B" if better == "B" else ""
        out.append(
            f'<tr data-kpi="{key}" data-better="{better or ""}" title="{tip}">'
            f'<td class="k">{html.escape(lab.name(lang))} '
            f'<span class="help" title="{tip}">?</span></td>'
            f'<td class="n {ca}">{html.escape(format_with_unit(key, r["a"], lang))}</td>'
            f'<td class="n {cb}">{html.escape(format_with_unit(key, r["b"], lang))}</td>'
            f'<td class="n">{html.escape(format_delta(key, r["delta"], lang))}</td>'
            f'<td class="better">{html.escape(names.get(better, "—"))}</td></tr>')
    head = "".join(f"<th>{html.escape(tr(k, lang))}</th>" for k in
                   ("diff.metric", "side.a", "side.b", "diff.delta", "diff.better"))
    return f'<table class="cgs-diff"><tr>{head}</tr>{"".join(out)}</table>'


def _keep_units(text: str) -> str:
    """A value and its unit stay on one line ("72.3&nbsp;%")."""
    return text.replace(" %", "&nbsp;%").replace(" h ", "&nbsp;h ").replace(" 小时", "&nbsp;小时")


def verdict_html(ws: Workshop, rows: list[dict[str, Any]], lang: str) -> str:
    names = (scenario_text(ws.a.scenario_name).short_in(lang),
             scenario_text(ws.b.scenario_name).short_in(lang))
    items = []
    for key, side, text in verdicts(rows, names, lang):
        tip = html.escape(FIGURES[key].definition(lang), quote=True)
        items.append(f'<li data-kpi="{key}" data-better="{side}" title="{tip}" '
                     f'class="side-{side.lower()}">{_keep_units(html.escape(text))}</li>')
    if not items:
        items.append(f"<li>{html.escape(tr('verdict.wait', lang))}</li>")
    return f'<ul class="cgs-verdicts">{"".join(items)}</ul>'


@solara.component
def WorkshopFirstScreen(ws: Workshop, lang: str, player: Player, layer: solara.Reactive,
                        selected: tuple[solara.Reactive, solara.Reactive]):
    """Verdicts, then map A | difference | map B: redrawn on every frame."""
    frame = player.frame.value
    solara.use_effect(player.drawn.set, [frame])
    rows = ws.difference()
    solara.HTML(tag="div", classes=["verdicts"], unsafe_innerHTML=verdict_html(ws, rows, lang))
    with solara.Row(classes=["workshop-main"], style={"align-items": "flex-start",
                                                       "gap": "8px", "flex-wrap": "nowrap"}):
        for side in (0, 1):
            run = ws.sides[side]
            tag = "ab"[side]
            if side == 1:
                with solara.Column(classes=["diff-column"], style={"flex": "1 1 480px",
                                                                   "min-width": "420px"}):
                    solara.HTML(tag="div", classes=["diff-heading"],
                                unsafe_innerHTML=f"<b>{html.escape(tr('difference', lang))}"
                                f"</b>")
                    solara.HTML(tag="div", classes=["diff-panel"],
                                unsafe_innerHTML=diff_html(rows, lang))
            with solara.Column(classes=[f"side-{tag}"], style={"width": f"{MAP_PX + 4}px",
                                                                "gap": "0"}):
                Clock(*run.clock(), run.days, run.model is not None and run.finished, lang,
                      css_class=f"clock-{tag}")
                MapView(run, frame, layer.value, selected[side], lang, display_px=MAP_PX,
                        css_class=f"map-{tag}")


@solara.component
def WorkshopBelow(ws: Workshop, lang: str, player: Player,
                  selected: tuple[solara.Reactive, solara.Reactive]):
    """Community panels (frame by frame) and the charts (throttled)."""
    frame = player.frame.value
    if selected[0].value is not None or selected[1].value is not None:
        with solara.Row(style={"flex-wrap": "wrap", "gap": "16px"}):
            for side in (0, 1):
                with solara.Column(classes=[f"community-{'ab'[side]}"],
                                   style={"flex": "1 1 420px"}):
                    solara.HTML(tag="b", unsafe_innerHTML=html.escape(tr(
                        "side." + "ab"[side], lang)))
                    CommunityPanel(ws.sides[side], frame, selected[side], lang)
    key = chart_key(player)
    chart = solara.use_memo(
        lambda: timeline_html([("A", ws.a.chart_series()), ("B", ws.b.chart_series())], lang,
                              ws.a.days),
        [key, lang, ws.a.build_count, ws.b.build_count])
    solara.HTML(tag="div", unsafe_innerHTML=f"<b>{html.escape(tr('charts', lang))}</b>")
    solara.HTML(tag="div", unsafe_innerHTML=chart, classes=["charts"])


def _workshop_handlers(ws: Workshop, player: Player, seed, scale, days, error, errors):
    def reset():
        player.playing.set(False)
        if errors.value:
            return
        ok = ws.reset(seed=seed.value, scale=scale.value, days=days.value)
        error.set(None if ok else (ws.a.error or ws.b.error))
        player.redraw(finished=ws.finished, rebuilt=True)

    step, run_to = clock_handlers(ws, player, error)

    def loaded():
        seed.set(ws.a.seed)
        scale.set(ws.a.scale)
        days.set(ws.a.days)
        player.redraw(finished=ws.finished, rebuilt=True)

    return SimpleNamespace(reset=reset, step=step, run_to=run_to, loaded=loaded)


@solara.component
def WorkshopView(ws: Workshop, lang: str):
    error = solara.use_reactive(None)
    solara.use_memo(ws.ensure_built, [])
    player = use_player(ws.step, lambda: ws.finished, ws)
    layer = solara.use_reactive("")
    sel_a, sel_b = solara.use_reactive(None), solara.use_reactive(None)
    seed = solara.use_reactive(ws.a.seed)
    scale = solara.use_reactive(ws.a.scale)
    days = solara.use_reactive(ws.a.days)
    errors = solara.use_reactive({})
    h = solara.use_memo(lambda: _workshop_handlers(ws, player, seed, scale, days, error,
                                                   errors), [])
    playing = player.playing.value
    _ = player.builds.value
    pending = (seed.value, scale.value, days.value) != (ws.a.seed, ws.a.scale, ws.a.days)

    with solara.Column(classes=["view-workshop"], style={"gap": "4px"}):
        with solara.Row(style={"flex-wrap": "wrap", "align-items": "center", "gap": "12px"}):
            PlayControls(player, h.step, h.reset, lang, on_run_to=h.run_to, days=ws.a.days)
            solara.HTML(tag="span", classes=["workshop-run"], unsafe_innerHTML=html.escape(
                tr("workshop.run", lang, seed=ws.a.seed, scale=ws.a.scale, days=ws.a.days)),
                attributes={"title": tr("workshop.note", lang)})
            if pending:
                solara.HTML(tag="span", classes=["pending-note"],
                            unsafe_innerHTML=html.escape(tr("pending", lang)))
        ScaleNote(ws.a.scale, lang)
        if error.value:
            solara.Error(f"{tr('error.scenario', lang)}: {error.value}", dense=True)
        with solara.Row(style={"flex-wrap": "wrap", "gap": "16px",
                               "align-items": "flex-start"}):
            for side in (0, 1):
                SideControls(ws, side, lang, playing, player)
        WorkshopFirstScreen(ws, lang, player, layer, (sel_a, sel_b))
        with solara.Row(style={"flex-wrap": "wrap", "align-items": "center", "gap": "8px"}):
            LayerPicker(layer, lang)
        LayerLegend(lang, layer)
        WorkshopBelow(ws, lang, player, (sel_a, sel_b))
        with solara.Details(summary=tr("workshop.settings", lang), expand=False):
            with solara.Div(classes=["workshop-settings"], style={"max-width": "420px"}):
                RunSettings(seed, scale, days, lang, disabled=playing, errors=errors)
        WorkshopTools(ws, lang, player, layer, h.loaded)
