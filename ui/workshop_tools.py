"""The facilitator's tools under the workshop: save and load a setup (two scenarios,
levers, seed), and the handout (difference table and both maps, PNG or PDF)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import solara

from .i18n import tr
from .player import Player
from .setup_file import SetupError, apply_setup, dump_setup, parse_setup
from .state import Workshop


@solara.component_vue(str(Path(__file__).with_name("upload.vue")))
def _Upload(label: str, hint: str, event_loaded: Callable[[dict], None]):
    pass


@solara.component
def WorkshopTools(ws: Workshop, lang: str, player: Player, layer: solara.Reactive,
                  on_loaded: Callable[[], None]):
    message = solara.use_reactive(None)  # (ok, text)

    def load(file_info: dict):
        player.playing.set(False)
        try:
            if file_info.get("text") is None:
                raise SetupError(f"{file_info.get('size', '?')} bytes: too large for a setup")
            setup = parse_setup(str(file_info["text"]))
        except SetupError as exc:
            message.set((False, f"{tr('setup.bad', lang)}: {exc}"))
            return
        if not apply_setup(ws, setup):
            message.set((False, f"{tr('setup.bad', lang)}: {ws.a.error or ws.b.error}"))
        else:
            message.set((True, tr("setup.loaded", lang, name=file_info.get("name", ""))))
        on_loaded()

    layer = layer.value
    stem = f"workshop_{ws.a.scenario_name}_vs_{ws.b.scenario_name}_seed{ws.a.seed}"
    solara.HTML(tag="div", unsafe_innerHTML=f"<b>{tr('tools', lang)}</b>")
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "center"},
                    classes=["workshop-tools"]):
        solara.FileDownload(lambda: dump_setup(ws), filename=f"{stem}.toml",
                            label=tr("setup.save", lang))
        solara.FileDownload(lambda: _handout(ws, lang, layer, "png"),
                            filename=f"{stem}_{lang}.png", label=tr("handout.png", lang),
                            mime_type="image/png")
        solara.FileDownload(lambda: _handout(ws, lang, layer, "pdf"),
                            filename=f"{stem}_{lang}.pdf", label=tr("handout.pdf", lang),
                            mime_type="application/pdf")
        solara.FileDownload(ws.figures_csv, filename=f"{stem}.csv",
                            label=tr("export.figures", lang))
    with solara.Div(classes=["setup-drop"], style={"max-width": "520px"}):
        _Upload(label=tr("setup.load", lang), hint=tr("setup.load.help", lang),
                event_loaded=load)
    if message.value:
        ok, text = message.value
        with solara.Div(classes=["setup-message"]):
            (solara.Success if ok else solara.Error)(text, dense=True)


def _handout(ws: Workshop, lang: str, layer: str, fmt: str) -> bytes:
    from .handout import handout

    return handout(ws, lang, layer, fmt)
