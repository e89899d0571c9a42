"""The Solara page: one run, a side-by-side workshop, and batch results.

Serve it with `python run.py ui` (or `solara run ui/app.py`); in Jupyter,
`from ui.app import Page; Page()`. Everything a visitor changes lives in their session:
the runs are created inside the page (`solara.use_memo`), never at module level, so two
browser tabs never share a model.

Playing: a thread (`solara.use_thread`) steps the run(s) some simulated hours per frame
and bumps a frame counter, which redraws the live part of the view (clock, map, figures,
SVG charts); the next frame starts when the page has been redrawn, so the speed adapts to
what the machine can draw. The controls are not redrawn on frames.
"""

from __future__ import annotations

import html
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

if __package__ in (None, ""):  # `solara run ui/app.py` loads this file by path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import solara

from simulation.parameters import Param
from ui import batch as batchmod
from ui.charts import batch_png, comparison_png, timeline_html
from ui.i18n import LANGUAGES, tr
from ui.map_image import layer_legend, legend_items, wait_legend
from ui.state import (
    DAYS_RANGE,
    DEFAULT_DAYS,
    DEFAULT_SCALE,
    DEFAULT_SCENARIO,
    DEFAULT_SEED,
    KPI_KEYS,
    SCALE_RANGE,
    SEED_MAX,
    RateMeter,
    Run,
    Workshop,
    coerce,
    format_kpi,
    lever_bounds,
    levers,
    png_bytes,
    scenario_label,
    scenario_names,
)

MIN_FRAME_S = 0.05
SPEEDS = [1, 2, 3, 6, 12, 24]
SLIDER_MAX_SPAN = 200  # numeric levers with a wider range get a bounded number field

CSS = """
.cgs-clock { font-size: 1.35em; font-weight: 600; }
.cgs-kpi { border-collapse: collapse; font-size: 0.92em; }
.cgs-kpi td { padding: 2px 8px; border-bottom: 1px solid #eee; }
.cgs-kpi td.v { text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }
.cgs-diff td, .cgs-diff th { padding: 2px 8px; border-bottom: 1px solid #eee; }
.cgs-diff td.n { text-align: right; font-variant-numeric: tabular-nums; }
.cgs-diff td.better-A, .cgs-diff td.better-B { background: #d5f5dc; font-weight: 600; }
.cgs-diff td.worse { background: #fbdada; }
.cgs-legend span.sw { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 10px;
  vertical-align: middle; border: 1px solid #555; }
.cgs-legend span.ln { display: inline-block; width: 16px; height: 3px; margin: 0 4px 0 10px;
  vertical-align: middle; }
.cgs-legend { font-size: 0.85em; line-height: 1.8em; }
.cgs-table table { border-collapse: collapse; font-size: 0.85em; }
.cgs-table td, .cgs-table th { padding: 2px 6px; border-bottom: 1px solid #eee; }
.cgs-map img { image-rendering: pixelated; width: 100%; max-width: 720px; }
"""


# ------------------------------------------------------------------------ helpers
def _rgb(c) -> str:
    return f"rgb({int(c[0])},{int(c[1])},{int(c[2])})"


def _safe(fn: Callable[[], Any], error: solara.Reactive) -> None:
    """Run a handler; show any failure as a message instead of a traceback."""
    try:
        error.set(None)
        fn()
    except Exception as exc:  # noqa: BLE001 - the page must not show a traceback
        error.set(f"{type(exc).__name__}: {exc}")


class Player:
    """Reactive play state of a view: playing, speed, frame counter, finished.

    `frame` changes whenever the run(s) advanced or were rebuilt; only the live part of
    a view reads it, so the controls are not redrawn on every frame.
    """

    def __init__(self):
        self.playing = solara.use_reactive(False)
        self.speed = solara.use_reactive(1)
        self.frame = solara.use_reactive(0)
        self.finished = solara.use_reactive(False)
        self.builds = solara.use_reactive(0)  # read by the controls: redrawn on rebuilds
        # steps per second, updated about once a second (each component that reads a
        # reactive value costs a render pass when it changes, so only the live panel
        # reads `frame`)
        self.rate = solara.use_reactive(None)
        self.drawn = solara.use_memo(threading.Event, [])

    def redraw(self, finished: bool | None = None, rebuilt: bool = False) -> None:
        if finished is not None and finished != self.finished.value:
            self.finished.set(finished)
        if rebuilt:
            self.builds.set(self.builds.value + 1)
        self.frame.set(self.frame.value + 1)


def use_player(step: Callable[[int], int], is_finished: Callable[[], bool],
               meter_owner: Any) -> Player:
    """Play/pause machinery shared by the views: a thread steps `speed` hours per frame
    while playing, and waits for the page to draw each frame before the next."""
    player = Player()
    playing, speed, drawn = player.playing, player.speed, player.drawn

    def loop(cancel: threading.Event):
        if not playing.value:
            return
        meter = RateMeter()
        meter.add(0)
        shown_at = -1e9  # show the first rate at once, then about once a second
        while playing.value and not cancel.is_set():
            t0 = time.perf_counter()
            n = step(speed.value)
            rate = meter.add(n)
            if rate is not None:
                meter_owner.steps_per_s = rate
                if t0 - shown_at >= 1.0:
                    shown_at = t0
                    player.rate.set(round(rate, 1))
            done = n == 0 or is_finished()
            drawn.clear()
            player.redraw(finished=done)
            if done:
                playing.set(False)
                return
            # wait until the page has drawn this frame (the live panel's effect sets
            # `drawn`): a slow page slows the play down instead of piling up redraws
            while not drawn.wait(0.1):
                if cancel.is_set() or not playing.value:
                    return
            wait = MIN_FRAME_S - (time.perf_counter() - t0)
            if wait > 0:
                cancel.wait(wait)

    solara.use_thread(loop, dependencies=[playing.value], intrusive_cancel=False)
    return player


# --------------------------------------------------------------------- components
@solara.component
def Legend(lang: str, layers: list[str]):
    parts = []
    for key, colour, shape in legend_items():
        cls = "ln" if shape == "line" else "sw"
        parts.append(f'<span class="{cls}" style="background:{_rgb(colour)}"></span>'
                     f"{html.escape(tr(key, lang))}")
    parts.append("<br>" + html.escape(tr("legend.case", lang)) + ":")
    for key, colour in wait_legend():
        parts.append(f'<span class="sw" style="background:{_rgb(colour)}"></span>'
                     f"{html.escape(tr(key, lang))}")
    for layer in layers:
        for key, colour in layer_legend().get(layer, []):
            parts.append(f'<span class="sw" style="background:{_rgb(colour)};opacity:.6">'
                         f"</span>{html.escape(tr(key, lang))}")
    solara.HTML(tag="div", unsafe_innerHTML=" ".join(parts), classes=["cgs-legend"])


@solara.component
def MapImage(png: bytes, css_class: str = "map-image"):
    with solara.Div(classes=["cgs-map", css_class]):
        if png:
            solara.Image(png, format="png", classes=[css_class + "-img"])


@solara.component
def Clock(day: int, hour: int, days: int, finished: bool, lang: str, css_class: str = "clock"):
    text = tr("clock", lang, day=day, hour=hour) + " · " + tr("clock.of", lang, days=days)
    if finished:
        text += f" · {tr('finished', lang)}"
    solara.HTML(tag="div", unsafe_innerHTML=html.escape(text),
                classes=["cgs-clock", css_class])


@solara.component
def KpiTable(figures: dict[str, Any], lang: str, css_class: str = "kpi-table"):
    rows = []
    for key, _ in KPI_KEYS:
        if key == "petitions" and figures.get(key) is None:
            continue  # the model does not count petitions
        rows.append(f'<tr data-kpi="{key}"><td class="k">{html.escape(tr("kpi." + key, lang))}'
                    f'</td><td class="v">{format_kpi(key, figures.get(key))}</td></tr>')
    solara.HTML(tag="div", classes=[css_class],
                unsafe_innerHTML=f'<table class="cgs-kpi">{"".join(rows)}</table>')


@solara.component
def ScenarioSelect(value: str, on_value: Callable[[str], None], lang: str,
                   css_class: str = "scenario-select", disabled: bool = False):
    items = [{"text": scenario_label(n, lang), "value": n} for n in scenario_names()]
    solara.v.Select(label=tr("scenario", lang), items=items, v_model=value,
                    on_v_model=on_value, class_=css_class, disabled=disabled, dense=True,
                    hide_details=True)


@solara.component
def LeverControl(key: str, param: Param, value: Any, on_change: Callable[[str, Any], None],
                 lang: str, disabled: bool = False):
    label = tr("lever." + key, lang)
    nonce = solara.use_reactive(0)  # remounts a number field after clipping its value

    def set_value(x):
        v = coerce(param, x)
        on_change(key, v)
        if v != x:
            nonce.set(nonce.value + 1)

    cls = "lever-" + key.replace(".", "-")
    with solara.Div(classes=[cls]):
        if param.kind == "bool":
            solara.Checkbox(label=label, value=bool(value), on_value=set_value,
                            disabled=disabled)
        elif param.kind == "str" and param.choices:
            items = [{"text": tr("choice." + c, lang), "value": c} for c in param.choices]
            solara.v.Select(label=label, items=items, v_model=value, on_v_model=set_value,
                            disabled=disabled, dense=True, hide_details=True)
        elif param.kind == "int":
            lo, hi, _ = lever_bounds(param)
            if hi - lo <= SLIDER_MAX_SPAN:
                solara.SliderInt(f"{label}: {int(value)}", value=int(value), min=lo, max=hi,
                                 on_value=set_value, disabled=disabled)
            else:
                solara.InputInt(f"{label} ({lo:,}–{hi:,})", value=int(value),
                                on_value=set_value, disabled=disabled,
                                dense=True).key(f"{cls}-{nonce.value}")
        elif param.kind == "float":
            lo, hi, step = lever_bounds(param)
            solara.SliderFloat(f"{label}: {float(value):g}", value=float(value), min=lo, max=hi,
                               step=step, on_value=set_value, disabled=disabled)


@solara.component
def LeverPanel(values: dict[str, Any], on_change: Callable[[str, Any], None], lang: str,
               disabled: bool = False):
    for key, param in levers():
        if key in values:
            LeverControl(key, param, values[key], on_change, lang, disabled)


@solara.component
def RunSettings(seed: solara.Reactive, scale: solara.Reactive, days: solara.Reactive,
                lang: str, disabled: bool = False):
    nonce = solara.use_reactive(0)  # remounts the field when a typed seed was clipped

    def set_seed(v):
        clipped = int(np.clip(v, 0, SEED_MAX))
        seed.set(clipped)
        if clipped != v:
            nonce.set(nonce.value + 1)

    with solara.Div(classes=["lever-seed"]):
        solara.InputInt(f"{tr('seed', lang)} (0–{SEED_MAX:,})", value=seed.value,
                        on_value=set_seed, disabled=disabled,
                        dense=True).key(f"seed-{nonce.value}")
    solara.SliderFloat(f"{tr('scale', lang)}: {scale.value:g}", value=scale.value,
                       min=SCALE_RANGE[0], max=SCALE_RANGE[1], step=0.01, on_value=scale.set,
                       disabled=disabled)
    solara.SliderInt(f"{tr('days', lang)}: {days.value}", value=days.value,
                     min=DAYS_RANGE[0], max=DAYS_RANGE[1], on_value=days.set,
                     disabled=disabled)


@solara.component
def RateLabel(rate: solara.Reactive, lang: str):
    rate = rate.value
    if rate:
        solara.HTML(tag="div", unsafe_innerHTML=html.escape(tr("rate", lang, rate=rate)),
                    classes=["steps-rate"], style="font-size: 0.85em; color: #555")


@solara.component
def PlayControls(player: Player, on_step, on_reset, lang: str, reset_label: str = "reset"):
    playing, finished = player.playing, player.finished.value
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        if playing.value:
            solara.Button(tr("pause", lang), icon_name="mdi-pause", color="warning",
                          on_click=lambda: playing.set(False), classes=["btn-pause"])
        else:
            solara.Button(tr("play", lang), icon_name="mdi-play", color="primary",
                          on_click=lambda: playing.set(True), disabled=finished,
                          classes=["btn-play"])
        solara.Button(tr("step", lang), icon_name="mdi-step-forward", on_click=on_step,
                      disabled=playing.value or finished, classes=["btn-step"])
        solara.Button(tr(reset_label, lang), icon_name="mdi-restart", on_click=on_reset,
                      classes=["btn-reset"])
    with solara.Div(classes=["speed"]):
        solara.v.Select(label=tr("speed", lang), items=SPEEDS, v_model=player.speed.value,
                        on_v_model=lambda v: player.speed.set(int(v)), dense=True,
                        hide_details=True, style_="max-width: 260px")
    RateLabel(player.rate, lang)


@solara.component
def LayerToggles(layers: solara.Reactive, lang: str):
    def toggle(name: str, on: bool):
        cur = [x for x in layers.value if x != name]
        layers.set(cur + [name] if on else cur)

    with solara.Row(style={"flex-wrap": "wrap"}):
        with solara.Div(classes=["layer-circle"]):
            solara.Checkbox(label=tr("layer.circle", lang), value="circle" in layers.value,
                            on_value=lambda on: toggle("circle", on))
        with solara.Div(classes=["layer-patrol"]):
            solara.Checkbox(label=tr("layer.patrol", lang), value="patrol" in layers.value,
                            on_value=lambda on: toggle("patrol", on))


def _file_stem(run: Run) -> str:
    day, _ = run.clock()  # the day only: the export buttons are redrawn once a day
    return f"{run.scenario_name}_seed{run.seed}_day{day}"


# --------------------------------------------------------------------- single run
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
        _safe(lambda: run.step(1), error)
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


# ----------------------------------------------------------------------- workshop
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
        _safe(lambda: ws.step(1), error)
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


# -------------------------------------------------------------------------- batch
def _comparison_html(table, lang: str) -> str:
    rows = []
    sweeps = [c for c in table.columns if "." in c and c != "figure"]
    for _, r in table.iterrows():
        ci = ""
        if np.isfinite(r["diff_low"]) and np.isfinite(r["diff_high"]):
            ci = f" [{r['diff_low']:+.2f}, {r['diff_high']:+.2f}]"
        verdict = str(r["verdict"])
        cls = {"better": "better-B", "worse": "worse"}.get(verdict, "")
        extra = "".join(f"<td>{html.escape(str(r[c]))}</td>" for c in sweeps)
        rows.append(f"<tr><td>{html.escape(str(r['scenario']))}</td>{extra}"
                    f"<td>{html.escape(batchmod.figure_label(r['figure'], lang))} "
                    f"({html.escape(str(r['unit']))})</td>"
                    f'<td class="n">{r["baseline"]:.2f}</td><td class="n">{r["value"]:.2f}</td>'
                    f'<td class="n">{r["diff"]:+.2f}{ci}</td>'
                    f'<td class="{cls}">{html.escape(tr("verdict." + verdict, lang))}</td></tr>')
    head = "".join(f"<th>{html.escape(x)}</th>" for x in
                   [tr("col.scenario", lang), *sweeps, tr("col.figure", lang),
                    tr("col.baseline", lang), tr("col.value", lang), tr("col.diff", lang),
                    tr("col.verdict", lang)])
    return f'<table class="cgs-diff"><tr>{head}</tr>{"".join(rows)}</table>'


@solara.component
def BatchResults(path: Path, df, how: str, lang: str):
    groups = batchmod.group_columns(path, df)
    scenarios = batchmod.scenarios_in(path, df)
    baseline = solara.use_reactive(scenarios[0] if scenarios else None)
    cols = batchmod.figure_columns(df)
    metric = solara.use_reactive(cols[0] if cols else None)
    ok = df[df["status"].astype(str) == "ok"] if "status" in df.columns else df
    table, why = solara.use_memo(lambda: batchmod.comparison(df, baseline.value)
                                 if baseline.value else (None, "no scenarios"),
                                 [baseline.value, id(df)])
    forest = solara.use_memo(
        lambda: comparison_png(table, lang, lambda c: batchmod.figure_label(c, lang))
        if table is not None and len(table) else b"", [baseline.value, id(df), lang])

    solara.Markdown(f"**{html.escape(str(path))}** · {tr('batch.runs', lang, n=len(df))} · "
                    f"{tr('batch.source', lang, how=how)}")
    if len(scenarios) > 1:
        solara.v.Select(label=tr("batch.baseline", lang), items=scenarios,
                        v_model=baseline.value, on_v_model=baseline.set, dense=True,
                        style_="max-width: 360px")
    solara.Markdown(f"**{tr('batch.comparison', lang)}**")
    if table is not None and len(table):
        solara.HTML(tag="div", classes=["cgs-table", "comparison-table"],
                    unsafe_innerHTML=_comparison_html(table, lang))
        if forest:
            solara.Image(forest, format="png")
    else:
        solara.Info(f"{tr('batch.nocompare', lang)}: {why}", dense=True)
    solara.Markdown(f"**{tr('batch.table', lang)}**")
    solara.HTML(tag="div", classes=["cgs-table", "batch-table"],
                unsafe_innerHTML=batchmod.per_scenario(path, df).to_html(
                    index=False, float_format="{:,.3f}".format, na_rep="—"))
    if cols:
        solara.v.Select(label=tr("batch.metric", lang), items=cols,
                        v_model=metric.value or cols[0], on_v_model=metric.set, dense=True,
                        style_="max-width: 480px")
        solara.Image(batch_png(ok, metric.value or cols[0], groups), format="png")
    with solara.Details(summary=tr("batch.all", lang), expand=False):
        show = [c for c in ("run_id", *groups, "replication", "seed", "status")
                if c in df.columns] + [c for c in cols[:10] if c not in groups]
        solara.HTML(tag="div", classes=["cgs-table"],
                    unsafe_innerHTML=df[show].to_html(index=False, na_rep="—",
                                                      float_format="{:,.3f}".format))


@solara.component
def BatchView(lang: str):
    folder = solara.use_reactive("")
    opened = solara.use_reactive(None)  # (path, df, how)
    error = solara.use_reactive(None)
    found = solara.use_memo(batchmod.find_batch_folders, [])

    def open_folder(text: str | None = None):
        text = folder.value if text is None else text
        folder.set(text)
        try:
            path = batchmod.check_folder(text)
            df, how = batchmod.load_folder(path)
        except batchmod.BatchFolderError as exc:
            error.set(str(exc))
            opened.set(None)
            return
        except Exception as exc:  # noqa: BLE001 - a broken file must not crash the page
            error.set(f"{type(exc).__name__}: {exc}")
            opened.set(None)
            return
        error.set(None)
        opened.set((path, df, how))

    with solara.Column(classes=["view-batch"]):
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.InputText(tr("batch.folder", lang), value=folder, continuous_update=False,
                             classes=["batch-folder"], style={"min-width": "420px"})
            solara.Button(tr("batch.open", lang), on_click=lambda: open_folder(),
                          color="primary", classes=["btn-open-batch"])
        if found:
            solara.Markdown(f"{tr('batch.found', lang)}:")
            with solara.Row(style={"flex-wrap": "wrap"}):
                for f in found:
                    solara.Button(f, text=True, on_click=lambda f=f: open_folder(f))
        else:
            solara.Markdown(tr("batch.none", lang))
        if error.value:
            with solara.Div(classes=["batch-error"]):
                solara.Error(error.value)
        if opened.value is not None:
            path, df, how = opened.value
            BatchResults(path, df, how, lang).key(str(path))


# --------------------------------------------------------------------------- page
@solara.component
def Page():
    lang = solara.use_reactive("en")
    view = solara.use_reactive("single")
    # per session: created when this page is first drawn, never shared between tabs
    single = solara.use_memo(lambda: Run(DEFAULT_SCENARIO, DEFAULT_SEED, DEFAULT_SCALE,
                                         DEFAULT_DAYS), [])
    workshop = solara.use_memo(lambda: Workshop(seed=DEFAULT_SEED, scale=DEFAULT_SCALE,
                                                days=DEFAULT_DAYS), [])
    solara.Title(tr("title", lang.value))
    solara.Style(CSS)
    with solara.Column(style={"padding": "8px 16px"}):
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.HTML(tag="h2", unsafe_innerHTML=html.escape(tr("title", lang.value)),
                        classes=["page-title"], style="margin: 0 16px 0 0; font-size: 1.3em")
            with solara.ToggleButtonsSingle(value=view, classes=["view-switch"]):
                solara.Button(tr("view.single", lang.value), value="single",
                              classes=["view-btn-single"])
                solara.Button(tr("view.workshop", lang.value), value="workshop",
                              classes=["view-btn-workshop"])
                solara.Button(tr("view.batch", lang.value), value="batch",
                              classes=["view-btn-batch"])
            solara.HTML(tag="span", unsafe_innerHTML=html.escape(tr("language", lang.value)),
                        style="margin-left: 16px")
            with solara.ToggleButtonsSingle(value=lang, classes=["lang-switch"]):
                for code, name in LANGUAGES.items():
                    solara.Button(name, value=code, classes=[f"lang-{code}"])
        if view.value == "single":
            SingleRunView(single, lang.value)
        elif view.value == "workshop":
            WorkshopView(workshop, lang.value)
        else:
            BatchView(lang.value)
