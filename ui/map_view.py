"""The map in the page: zoomable, clickable (a community opens its panel), with a layer
picker, a complete legend and a scale bar.

The map is two stacked images (`ui/mapview.vue`): the base, sent again only when the run
is rebuilt or another community is selected, and a transparent overlay sent every frame.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import solara

from .i18n import tr
from .labels import COMMUNITY_FIGURES
from .map_image import LAYERS, layer_legend, legend_items, scale_bar, wait_legend
from .state import Run
from .verdicts import format_with_unit


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode() if png else ""


@solara.component_vue(str(Path(__file__).with_name("mapview.vue")))
def _MapVue(base: str, overlay: str, img_w: int, img_h: int, display_px: int,
            bar_px: float, bar_label: str, hint: str, css_class: str, scale_title: str,
            zoom_in_title: str, zoom_out_title: str, zoom_fit_title: str,
            event_pick: Callable[[dict], None]):
    pass


@solara.component
def MapView(run: Run, frame: int, layer: str, selected: solara.Reactive, lang: str,
            display_px: int = 460, css_class: str = "map-image"):
    """The run's map; clicking a community selects it (clicking outside clears)."""
    builds = run.build_count
    base = solara.use_memo(lambda: data_url(run.map_base_png(selected.value)),
                           [builds, selected.value])
    overlay = solara.use_memo(lambda: data_url(run.map_overlay_png(layer)),
                              [frame, builds, layer])
    r = run.renderer
    if r is None:
        return
    h_px, w_px = r.shape
    bar_px, bar_label = scale_bar(r.metres_per_px, display_px)

    def pick(data: dict[str, Any]):
        area = run.area_at(float(data.get("fx", -1)), float(data.get("fy", -1)))
        selected.set(None if area is None or area == selected.value else area)

    _MapVue(base=base, overlay=overlay, img_w=int(w_px), img_h=int(h_px),
            display_px=display_px, bar_px=float(bar_px), bar_label=bar_label,
            hint=tr("map.hint", lang), css_class=css_class,
            scale_title=tr("map.scale", lang), zoom_in_title=tr("map.zoom_in", lang),
            zoom_out_title=tr("map.zoom_out", lang), zoom_fit_title=tr("map.zoom_fit", lang),
            event_pick=pick)


@solara.component
def LayerPicker(layer: solara.Reactive, lang: str, css_class: str = "layer-picker"):
    """One layer at a time over the map (or none)."""
    with solara.Div(classes=[css_class, "cgs-layers"]):
        with solara.ToggleButtonsSingle(value=layer, dense=True):
            for name in LAYERS:
                key = name or "none"
                solara.Button(tr(f"layer.{key}", lang), value=name,
                              classes=[f"layer-{key}", "cgs-no-caps"], small=True,
                              attributes={"title": tr(f"layer.{key}.help", lang)})


def _rgb(c) -> str:
    return f"rgb({int(c[0])},{int(c[1])},{int(c[2])})"


@solara.component
def Legend(lang: str, layer: str = "", css_class: str = "cgs-legend"):
    """Everything the map shows: land, boundaries, markers, people, needs and the layer."""
    parts = []
    for key, colour, shape in legend_items():
        cls = "ln" if shape == "line" else "dot" if shape == "dot" else "sw"
        parts.append(f'<span class="item"><span class="{cls}" '
                     f'style="background:{_rgb(colour)}"></span>'
                     f"{html.escape(tr(key, lang))}</span>")
    parts.append(f'<span class="item"><b>{html.escape(tr("legend.case", lang))}:</b></span>')
    for key, colour in wait_legend():
        parts.append(f'<span class="item"><span class="sw" style="background:{_rgb(colour)}">'
                     f"</span>{html.escape(tr(key, lang))}</span>")
    for key, colour in layer_legend().get(layer, []):
        parts.append(f'<span class="item layer-key"><span class="sw" '
                     f'style="background:{_rgb(colour)};opacity:.75"></span>'
                     f"{html.escape(tr(key, lang))}</span>")
    solara.HTML(tag="div", unsafe_innerHTML=" ".join(parts), classes=[css_class, "cgs-legend"])


@solara.component
def LayerLegend(lang: str, layer: solara.Reactive):
    Legend(lang, layer.value)


def community_html(fig: dict[str, Any], lang: str) -> str:
    """The community panel's table (each row with its definition on hover)."""
    rows = []
    for key, lab in COMMUNITY_FIGURES.items():
        v = fig.get(key)
        if key == "staff":
            shown = ", ".join(f"{tr('role.' + role, lang)} {n}" for role, n in v.items()) \
                if v else "—"
        else:
            shown = format_with_unit(key, v, lang)
        tip = html.escape(lab.definition(lang), quote=True)
        rows.append(f'<tr data-fig="{key}" title="{tip}"><td>{html.escape(lab.name(lang))}'
                    f' <span class="help" title="{tip}">?</span></td>'
                    f'<td class="v">{html.escape(shown)}</td></tr>')
    return f'<table class="cgs-kpi">{"".join(rows)}</table>'


@solara.component
def CommunityPanel(run: Run, frame: int, selected: solara.Reactive, lang: str,
                   css_class: str = "community-panel"):
    """Figures, staff load, open cases and police of the selected community."""
    area = selected.value
    if area is None:
        solara.HTML(tag="div", classes=["community-hint"],
                    unsafe_innerHTML=html.escape(tr("community.hint", lang)))
        return
    fig = run.community(area)
    if fig is None:
        return
    name = fig["name"].replace("Community", tr("community.word", lang))
    if fig.get("level") == "village":
        name = f"{name} ({tr('community.village', lang)})"
    with solara.Div(classes=[css_class, "cgs-panel"]):
        with solara.Row(style={"align-items": "center", "justify-content": "space-between"}):
            solara.HTML(tag="b", unsafe_innerHTML=html.escape(name),
                        classes=["community-name"])
            solara.Button("×", text=True, small=True, on_click=lambda: selected.set(None),
                          classes=["btn-close-community"],
                          attributes={"title": tr("community.close", lang)})
        solara.HTML(tag="div", unsafe_innerHTML=community_html(fig, lang))
