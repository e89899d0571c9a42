"""Small parts of the page shared by the views: clock, figures table, scenario picker with
title and description, lever controls (with validation and definitions), run settings,
play controls and the note on a sampled run. Every figure and lever carries its definition in an
HTML `title` (hover) and a "?" mark."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import solara

from simulation.parameters import Param

from .i18n import tr
from .labels import FIGURES
from .lever_labels import LEVERS
from .levers import (
    DAYS_RANGE,
    SCALE_RANGE,
    SEED_MAX,
    check_lever,
    lever_bounds,
    levers,
    parse_lever_text,
    scenario_names,
)
from .player import SPEEDS, Player
from .scenario_text import scenario_text
from .verdicts import KPI_KEYS, format_with_unit

SLIDER_MAX_SPAN = 50  # integer levers with a wider range are typed (and validated)


def tip(text: str) -> dict[str, str]:
    """Attributes that show `text` on hover."""
    return {"title": text}


def help_mark(text: str) -> str:
    """A small "?" whose hover shows `text` (HTML)."""
    return f'<span class="help" title="{html.escape(text, quote=True)}">?</span>'


@solara.component
def Clock(day: int, hour: int, days: int, finished: bool, lang: str, css_class: str = "clock"):
    text = tr("clock", lang, day=day, hour=hour) + " · " + tr("clock.of", lang, days=days)
    if finished:
        text += f" · {tr('finished', lang)}"
    solara.HTML(tag="div", unsafe_innerHTML=html.escape(text),
                classes=["cgs-clock", css_class])


def kpi_rows_html(figures: dict[str, Any], lang: str) -> str:
    rows = []
    for key, _ in KPI_KEYS:
        lab = FIGURES[key]
        unit = lab.unit_in(lang)
        name = lab.name(lang) + (f" ({unit})" if unit else "")
        definition = html.escape(lab.definition(lang), quote=True)
        value = format_with_unit(key, figures.get(key), lang) if unit != "%" else \
            format_with_unit(key, figures.get(key), lang).replace(" %", "")
        rows.append(f'<tr data-kpi="{key}" title="{definition}"><td class="k">'
                    f'{html.escape(name)} {help_mark(lab.definition(lang))}</td>'
                    f'<td class="v">{html.escape(value)}</td></tr>')
    return f'<table class="cgs-kpi">{"".join(rows)}</table>'


@solara.component
def KpiTable(figures: dict[str, Any], lang: str, css_class: str = "kpi-table"):
    solara.HTML(tag="div", classes=[css_class], unsafe_innerHTML=kpi_rows_html(figures, lang))


@solara.component
def ScaleNote(scale: float, lang: str, css_class: str = "scale-note"):
    """A note when the run does not simulate every resident: the figures still estimate
    the whole city's (full staff and police, each sampled resident carrying the needs of
    1/scale residents), with more chance variation."""
    if scale < 1:
        with solara.Div(classes=[css_class]):
            solara.Info(tr("scale.note", lang, scale=scale, inv=1 / scale), dense=True)


@solara.component
def ScenarioPicker(value: str, on_value: Callable[[str], None], lang: str,
                   css_class: str = "scenario-select", disabled: bool = False,
                   describe: bool = True):
    """Every scenario by its title; the chosen one's description below."""
    items = [{"text": scenario_text(n).title_in(lang), "value": n} for n in scenario_names()]
    solara.v.Select(label=tr("scenario", lang), items=items, v_model=value,
                    on_v_model=on_value, class_=css_class, disabled=disabled, dense=True,
                    hide_details=True, attributes=tip(scenario_text(value).description_in(lang)))
    if describe:
        text = scenario_text(value)
        solara.HTML(tag="div", classes=["scenario-description", f"{css_class}-description"],
                    unsafe_innerHTML=f'<span class="file">{html.escape(value)}</span> '
                    + html.escape(text.description_in(lang)))


@solara.component
def LeverControl(key: str, param: Param, value: Any, on_change: Callable[[str, Any], None],
                 lang: str, error: str | None = None,
                 on_error: Callable[[str, str | None], None] | None = None,
                 disabled: bool = False):
    """One lever: a checkbox, a choice, a slider (small ranges) or a typed number that is
    checked like a scenario file value; a bad value shows the command line's message under
    the lever and is not applied."""
    lab = LEVERS.get(key)
    label = lab.label(lang) if lab else key
    definition = lab.definition(lang) if lab else key
    text = solara.use_reactive(str(value))

    def typed(raw: str):
        text.set(raw)
        v = parse_lever_text(raw)
        message = check_lever(key, v)
        if on_error is not None:
            on_error(key, message)
        if message is None:
            on_change(key, v)

    cls = "lever-" + key.replace(".", "-")
    with solara.v.Html(tag="div", class_=f"{cls} cgs-lever" + (" has-error" if error else ""),
                       attributes=tip(f"{label}: {definition}")):
        if param.kind == "bool":
            solara.Checkbox(label=label, value=bool(value), disabled=disabled,
                            on_value=lambda v: on_change(key, bool(v)))
        elif param.kind == "str" and param.choices:
            items = [{"text": tr("choice." + c, lang), "value": c} for c in param.choices]
            solara.v.Select(label=label, items=items, v_model=value, disabled=disabled,
                            on_v_model=lambda v: on_change(key, v), dense=True,
                            hide_details=True)
        elif param.kind == "int" and (lever_bounds(param)[1] - lever_bounds(param)[0]
                                      <= SLIDER_MAX_SPAN):
            lo, hi, _ = lever_bounds(param)
            solara.SliderInt(f"{label}: {int(value)}", value=int(value), min=lo, max=hi,
                             on_value=lambda v: on_change(key, int(v)), disabled=disabled)
        elif param.kind == "int":
            shown = text.value if error else str(value)
            solara.InputText(label, value=shown, on_value=typed, continuous_update=False,
                             disabled=disabled, classes=["lever-input"])
        elif param.kind == "float":
            lo, hi, step = lever_bounds(param)
            solara.SliderFloat(f"{label}: {float(value):g}", value=float(value), min=lo,
                               max=hi, step=step, disabled=disabled,
                               on_value=lambda v: on_change(key, float(v)))
        if error:
            solara.HTML(tag="div", classes=["lever-error"], unsafe_innerHTML=html.escape(error))


def lever_handlers(edits: solara.Reactive, errors: solara.Reactive) -> tuple:
    """`set_lever(key, value)` and `set_error(key, message or None)` for a lever panel
    whose values live in `edits` and whose typed-value errors live in `errors`."""

    def set_lever(key, value):
        edits.set({**edits.value, key: value})

    def set_error(key, message):
        rest = {k: v for k, v in errors.value.items() if k != key}
        errors.set({**rest, key: message} if message else rest)

    return set_lever, set_error


@solara.component
def LeverPanel(values: dict[str, Any], on_change: Callable[[str, Any], None], lang: str,
               errors: dict[str, str] | None = None,
               on_error: Callable[[str, str | None], None] | None = None,
               disabled: bool = False):
    errors = errors or {}
    for key, param in levers():
        if key in values:
            LeverControl(key, param, values[key], on_change, lang, errors.get(key), on_error,
                         disabled)


@solara.component
def RunSettings(seed: solara.Reactive, scale: solara.Reactive, days: solara.Reactive,
                lang: str, disabled: bool = False, errors: solara.Reactive | None = None):
    """Seed, share of residents simulated and horizon (checked like the command line's)."""
    def set_seed(raw: str):
        v = parse_lever_text(raw)
        ok = isinstance(v, int) and 0 <= v <= SEED_MAX
        if errors is not None:
            msg = None if ok else f"seed: expected a whole number from 0 to {SEED_MAX}, " \
                f"got {raw!r}"
            errors.set({k: m for k, m in {**errors.value, "seed": msg}.items() if m})
        if ok:
            seed.set(v)

    err = (errors.value if errors is not None else {}).get("seed")
    with solara.v.Html(tag="div", class_="lever-seed cgs-lever" + (" has-error" if err else ""),
                       attributes=tip(LEVERS["seed"].definition(lang))):
        solara.InputText(f"{tr('seed', lang)} (0–{SEED_MAX:,})", value=str(seed.value),
                         on_value=set_seed, continuous_update=False, disabled=disabled)
        if err:
            solara.HTML(tag="div", classes=["lever-error"], unsafe_innerHTML=html.escape(err))
    with solara.v.Html(tag="div", class_="lever-scale cgs-lever",
                       attributes=tip(LEVERS["scale"].definition(lang))):
        solara.SliderFloat(f"{tr('scale', lang)}: {scale.value:g}", value=scale.value,
                           min=SCALE_RANGE[0], max=SCALE_RANGE[1], step=0.01,
                           on_value=scale.set, disabled=disabled)
    with solara.v.Html(tag="div", class_="lever-days cgs-lever",
                       attributes=tip(LEVERS["days"].definition(lang))):
        solara.SliderInt(f"{tr('days', lang)}: {days.value}", value=days.value,
                         min=DAYS_RANGE[0], max=DAYS_RANGE[1], on_value=days.set,
                         disabled=disabled)


@solara.component
def RateLabel(rate: solara.Reactive, lang: str):
    value = rate.value
    if value:
        solara.HTML(tag="span", unsafe_innerHTML=html.escape(tr("rate", lang, rate=value)),
                    classes=["steps-rate"], style="font-size: 0.85em; color: #555")


@solara.component
def PlayControls(player: Player, on_step, on_reset, lang: str,
                 on_run_to: Callable[[int], None] | None = None, days: int = 30,
                 ready: bool = True):
    """Play / Pause, Step, Reset, speed, and "run to day N" (disabled until `ready`)."""
    playing, finished = player.playing, player.finished.value or not ready
    target = solara.use_reactive(min(days, 7))
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap", "gap": "4px"},
                    classes=["play-controls"]):
        if playing.value:
            solara.Button(tr("pause", lang), icon_name="mdi-pause", color="warning",
                          on_click=lambda: playing.set(False), classes=["btn-pause"])
        else:
            solara.Button(tr("play", lang), icon_name="mdi-play", color="primary",
                          on_click=lambda: playing.set(True), disabled=finished,
                          classes=["btn-play"])
        solara.Button(tr("step", lang), icon_name="mdi-step-forward", on_click=on_step,
                      disabled=playing.value or finished, classes=["btn-step"])
        solara.Button(tr("reset", lang), icon_name="mdi-restart", on_click=on_reset,
                      classes=["btn-reset"], attributes=tip(tr("reset.help", lang)))
        solara.v.Select(label=tr("speed", lang), items=SPEEDS, v_model=player.speed.value,
                        on_v_model=lambda v: player.speed.set(int(v)), dense=True,
                        hide_details=True, class_="speed", style_="max-width: 110px",
                        attributes=tip(tr("speed.help", lang)))
        if on_run_to is not None:
            with solara.Row(style={"align-items": "center", "gap": "2px"},
                            classes=["run-to"]):
                solara.v.TextField(label=tr("runto.day", lang), v_model=str(target.value),
                                   on_v_model=lambda v: target.set(
                                       int(v) if str(v).strip().isdigit() else target.value),
                                   dense=True, hide_details=True, type="number",
                                   style_="max-width: 70px", class_="run-to-day")
                solara.Button(tr("runto", lang), on_click=lambda: on_run_to(target.value),
                              disabled=playing.value or not ready, classes=["btn-run-to"],
                              outlined=True,
                              attributes=tip(tr("runto.help", lang)))
        RateLabel(player.rate, lang)
