"""Small parts of the page shared by the views: legend, clock, figures table, scenario
picker, lever controls, run settings, play controls, layer toggles."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import numpy as np
import solara

from simulation.parameters import Param
from ui.i18n import tr
from ui.map_image import layer_legend, legend_items, wait_legend
from ui.player import SPEEDS, Player
from ui.state import (
    DAYS_RANGE,
    KPI_KEYS,
    SCALE_RANGE,
    SEED_MAX,
    Run,
    coerce,
    format_kpi,
    lever_bounds,
    levers,
    scenario_label,
    scenario_names,
)

SLIDER_MAX_SPAN = 200  # numeric levers with a wider range get a bounded number field


def _rgb(c) -> str:
    return f"rgb({int(c[0])},{int(c[1])},{int(c[2])})"


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
