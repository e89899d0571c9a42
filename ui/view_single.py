"""The one-run view: scenario (by title, with its description), play controls and levers
on the left; the clock and the clickable map in the middle; the figures (or the selected
community's), and the charts beside the map, on the right."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import solara

from .charts import timeline_html
from .i18n import tr
from .map_view import CommunityPanel, LayerLegend, LayerPicker, MapView
from .player import Player, clock_handlers, use_player
from .state import Run
from .widgets import (
    Clock,
    KpiTable,
    LeverPanel,
    PlayControls,
    RunSettings,
    ScaleNote,
    ScenarioPicker,
    lever_handlers,
)

CHART_EVERY_S = 1.0  # while playing, the charts are redrawn at most this often


def overrides_of(run: Run, edits: dict[str, Any], name: str) -> dict[str, Any]:
    """The levers in `edits` that differ from scenario `name`'s own values."""
    base = run.lever_values(name)
    return {k: v for k, v in edits.items() if k in base and base[k] != v}


def chart_key(player: Player) -> Any:
    """Changes on every frame while paused, at most once a `CHART_EVERY_S` while playing."""
    frame = player.frame.value
    if player.playing.value:
        return ("t", int(time.monotonic() / CHART_EVERY_S), player.builds.value)
    return ("f", frame)


def lever_errors_with(run_error_key: str | None, run_error: str | None,
                      typed: dict[str, str]) -> dict[str, str]:
    """Errors to show on levers: those typed, and the rebuild's (on the lever it names)."""
    out = dict(typed)
    if run_error_key and run_error and run_error_key not in out:
        out[run_error_key] = run_error.split(": ", 1)[-1] if run_error.startswith(
            "levers in the page") else run_error
    return out


def _single_handlers(run: Run, player: Player, edits, seed, scale, days, error, lever_errors,
                     ctx: dict):
    """Handlers of the one-run view, made once per session (their props stay equal, so
    the controls are not redrawn on every frame)."""

    set_lever, set_error = lever_handlers(edits, lever_errors)

    def reset():
        player.playing.set(False)
        if lever_errors.value:
            error.set(tr("levers.fix", ctx["lang"]) + " " + ", ".join(lever_errors.value))
            return
        ok = run.build(run.scenario_name, overrides_of(run, edits.value, run.scenario_name),
                       seed=seed.value, scale=scale.value, days=days.value)
        error.set(None if ok else run.error)
        player.redraw(finished=run.finished, rebuilt=True)

    def pick_scenario(name):
        player.playing.set(False)
        ok = run.build(name, {}, seed=seed.value, scale=scale.value, days=days.value)
        if ok:
            edits.set(run.lever_values(name))
            lever_errors.set({})
        error.set(None if ok else run.error)
        player.redraw(finished=run.finished, rebuilt=True)

    step, run_to = clock_handlers(run, player, error)

    return SimpleNamespace(set_lever=set_lever, set_error=set_error, reset=reset,
                           pick_scenario=pick_scenario, step=step, run_to=run_to)


@solara.component
def Exports(run: Run, lang: str, player: Player, layer: solara.Reactive,
            selected: solara.Reactive):
    _ = player.frame.value  # the file names carry the day
    day, _ = run.clock()
    stem = f"{run.scenario_name}_seed{run.seed}_day{day}"
    layer, selected = layer.value, selected.value
    with solara.Row(style={"flex-wrap": "wrap"}, classes=["exports"]):
        solara.FileDownload(run.figures_csv, filename=f"figures_{stem}.csv",
                            label=tr("export.figures", lang))
        solara.FileDownload(run.timeseries_csv, filename=f"timeseries_{stem}.csv",
                            label=tr("export.history", lang))
        solara.FileDownload(lambda: run.map_png(layer, selected, zoom=2),
                            filename=f"map_{stem}.png", label=tr("export.map", lang),
                            mime_type="image/png")


@solara.component
def LiveMap(run: Run, lang: str, player: Player, layer: solara.Reactive,
            selected: solara.Reactive):
    """Clock and map (the layer and selection are read here, so changing them redraws
    only this part)."""
    frame = player.frame.value
    solara.use_effect(player.drawn.set, [frame])
    Clock(*run.clock(), run.days, run.model is not None and run.finished, lang)
    if run.renderer is None and run.error is None:
        with solara.Div(classes=["building-note"]):
            solara.Info(tr("building", lang), dense=True)
    MapView(run, frame, layer.value, selected, lang, display_px=460)


@solara.component
def LiveFigures(run: Run, lang: str, player: Player, selected: solara.Reactive):
    frame = player.frame.value
    if selected.value is not None:
        CommunityPanel(run, frame, selected, lang)
    else:
        CommunityPanel(run, frame, selected, lang)  # the hint
        solara.HTML(tag="div", unsafe_innerHTML=f"<b>{tr('figures', lang)}</b>")
        KpiTable(run.figures(), lang)


@solara.component
def LiveCharts(run: Run, lang: str, player: Player):
    key = chart_key(player)
    html_ = solara.use_memo(
        lambda: timeline_html([(run.scenario_name, run.chart_series())], lang, run.days),
        [key, lang, run.build_count])
    solara.HTML(tag="div", unsafe_innerHTML=html_, classes=["charts"])


@solara.component
def SingleRunView(run: Run, lang: str):
    error = solara.use_reactive(None)
    player = use_player(run.step, lambda: run.finished, run)

    def build_first():
        """Build the city after the page is shown (it takes a second or more on a busy
        machine), then draw the map."""
        if run.model is None and run.error is None:
            run.ensure_built()
            player.redraw(finished=run.finished, rebuilt=True)

    solara.use_thread(build_first, dependencies=[], intrusive_cancel=False)
    layer = solara.use_reactive("")
    selected = solara.use_reactive(None)
    # what the controls show; applied to the run on Reset
    edits = solara.use_reactive(run.lever_values() | dict(run.overrides))
    lever_errors = solara.use_reactive({})
    seed = solara.use_reactive(run.seed)
    scale = solara.use_reactive(run.scale)
    days = solara.use_reactive(run.days)
    ctx = solara.use_memo(dict, [])
    ctx["lang"] = lang  # read by the handlers, which are made once
    h = solara.use_memo(lambda: _single_handlers(run, player, edits, seed, scale, days, error,
                                                 lever_errors, ctx), [])
    playing = player.playing.value
    _ = player.builds.value  # redraw the controls when the run was rebuilt
    pending = run.model is not None and (
        overrides_of(run, edits.value, run.scenario_name) != run.overrides
        or (seed.value, scale.value, days.value) != (run.seed, run.scale, run.days))
    shown_errors = lever_errors_with(run.error_key, error.value and run.error,
                                     lever_errors.value)

    with solara.Row(classes=["view-single"], style={"align-items": "flex-start",
                                                     "flex-wrap": "wrap", "gap": "12px"}):
        with solara.Column(classes=["controls"], style={"width": "330px"}):
            ScenarioPicker(run.scenario_name, h.pick_scenario, lang, disabled=playing)
            ScaleNote(run.scale, lang)
            PlayControls(player, h.step, h.reset, lang, on_run_to=h.run_to, days=run.days,
                         ready=run.model is not None)
            if error.value or run.error:
                with solara.Div(classes=["run-error"]):
                    solara.Error(f"{tr('error.scenario', lang)}: {error.value or run.error} "
                                 f"{tr('error.kept', lang) if run.model else ''}", dense=True)
            with solara.Div(classes=["lever-box"]):
                RunSettings(seed, scale, days, lang, disabled=playing, errors=lever_errors)
                LeverPanel(edits.value, h.set_lever, lang, shown_errors, h.set_error,
                           disabled=playing)
            if pending:  # right under the levers, with its own Reset button
                with solara.Row(classes=["pending-note"], style={"align-items": "center"}):
                    solara.Info(tr("pending", lang), dense=True)
                    solara.Button(tr("reset", lang), icon_name="mdi-restart",
                                  on_click=h.reset, color="primary",
                                  classes=["btn-reset-levers"])
        with solara.Column(classes=["map-column"], style={"width": "470px"}):
            LiveMap(run, lang, player, layer, selected)
            LayerPicker(layer, lang)
            LayerLegend(lang, layer)
        with solara.Column(classes=["figures-column"], style={"flex": "1 1 520px",
                                                              "max-width": "560px"}):
            LiveFigures(run, lang, player, selected)
            LiveCharts(run, lang, player)
            Exports(run, lang, player, layer, selected)
