"""The one-run view: scenario, play controls and levers beside the map, figures and
charts of one run."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import solara

from ui.charts import timeline_html
from ui.i18n import tr
from ui.player import Player, safe_call, use_player
from ui.state import (
    Run,
)
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
    _file_stem,
)


def _overrides(run: Run, edits: dict[str, Any], name: str) -> dict[str, Any]:
    """The levers in `edits` that differ from scenario `name`'s own values."""
    base = run.lever_values(name)
    return {k: v for k, v in edits.items() if k in base and base[k] != v}


def _single_handlers(run: Run, player: Player, edits, seed, scale, days, error):
    """Handlers of the one-run view, made once per session (their props stay equal, so
    the controls are not redrawn on every frame)."""

    def set_lever(key, value):
        edits.set({**edits.value, key: value})

    def reset():
        player.playing.set(False)
        ok = run.build(run.scenario_name, _overrides(run, edits.value, run.scenario_name),
                       seed=seed.value, scale=scale.value, days=days.value)
        error.set(None if ok else run.error)
        player.redraw(finished=run.finished, rebuilt=True)

    def pick_scenario(name):
        player.playing.set(False)
        ok = run.build(name, {}, seed=seed.value, scale=scale.value, days=days.value)
        if ok:
            edits.set(run.lever_values(name))
        error.set(None if ok else run.error)
        player.redraw(finished=run.finished, rebuilt=True)

    def step():
        safe_call(lambda: run.step(1), error)
        player.redraw(finished=run.finished)

    return SimpleNamespace(set_lever=set_lever, reset=reset, pick_scenario=pick_scenario,
                           step=step)


@solara.component
def Exports(run: Run, lang: str, layers: frozenset, stem: str):
    with solara.Row(style={"flex-wrap": "wrap"}):
        solara.FileDownload(run.figures_csv, filename=f"figures_{stem}.csv",
                            label=tr("export.figures", lang))
        solara.FileDownload(run.history_csv, filename=f"timeseries_{stem}.csv",
                            label=tr("export.history", lang))
        solara.FileDownload(lambda: run.map_png(layers, zoom=2), filename=f"map_{stem}.png",
                            label=tr("export.map", lang), mime_type="image/png")


@solara.component
def SingleLive(run: Run, lang: str, player: Player, layers: solara.Reactive):
    """Clock, map, figures, exports and charts: redrawn on every frame."""
    frame = player.frame.value
    solara.use_effect(player.drawn.set, [frame])
    layer_set = frozenset(layers.value)
    map_png = solara.use_memo(lambda: run.map_png(layer_set),
                              [frame, layer_set, run.build_count])
    chart = timeline_html([(run.scenario_name, run.history_frame())], lang, run.days)
    Clock(*run.clock(), run.days, run.model is not None and run.finished, lang)
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start"}):
        with solara.Column(style={"flex": "1 1 560px", "max-width": "760px"}):
            MapImage(map_png)
            LayerToggles(layers, lang)
            Legend(lang, layers.value)
        with solara.Column(style={"flex": "1 1 300px"}):
            solara.Markdown(f"**{tr('figures', lang)}**")
            KpiTable(run.figures(), lang)
            solara.Markdown(f"**{tr('export', lang)}**")
            Exports(run, lang, layer_set, _file_stem(run))
    solara.Markdown(f"**{tr('charts', lang)}**")
    solara.HTML(tag="div", unsafe_innerHTML=chart, classes=["charts"])


@solara.component
def SingleRunView(run: Run, lang: str):
    error = solara.use_reactive(None)
    solara.use_memo(run.ensure_built, [])
    player = use_player(run.step, lambda: run.finished, run)
    layers = solara.use_reactive([])
    # what the controls show; applied to the run on Reset
    edits = solara.use_reactive(run.lever_values() | dict(run.overrides))
    seed = solara.use_reactive(run.seed)
    scale = solara.use_reactive(run.scale)
    days = solara.use_reactive(run.days)
    h = solara.use_memo(lambda: _single_handlers(run, player, edits, seed, scale, days, error),
                        [])
    playing = player.playing.value
    _ = player.builds.value  # redraw the controls when the run was rebuilt
    pending = run.model is not None and (
        _overrides(run, edits.value, run.scenario_name) != run.overrides
        or (seed.value, scale.value, days.value) != (run.seed, run.scale, run.days))

    with solara.Columns([1, 3], classes=["view-single"]):
        with solara.Column(classes=["controls"]):
            ScenarioSelect(run.scenario_name, h.pick_scenario, lang, disabled=playing)
            PlayControls(player, h.step, h.reset, lang)
            if pending:
                solara.Info(tr("pending", lang), dense=True, classes=["pending-note"])
            if error.value or run.error:
                with solara.Div(classes=["run-error"]):
                    solara.Error(f"{tr('error.scenario', lang)}: {error.value or run.error} "
                                 f"{tr('error.kept', lang) if run.model else ''}")
            solara.Markdown(f"**{tr('levers', lang)}**")
            RunSettings(seed, scale, days, lang, disabled=playing)
            LeverPanel(edits.value, h.set_lever, lang, disabled=playing)
        with solara.Column():
            SingleLive(run, lang, player, layers)
