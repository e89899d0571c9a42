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
from pathlib import Path

if __package__ in (None, ""):  # `solara run ui/app.py` loads this file by path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import solara

from ui.i18n import LANGUAGES, tr
from ui.state import DEFAULT_DAYS, DEFAULT_SCALE, DEFAULT_SCENARIO, DEFAULT_SEED, Run, Workshop
from ui.style import CSS
from ui.view_batch import BatchView
from ui.view_single import SingleRunView
from ui.view_workshop import WorkshopView


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
    with solara.Column(style={"padding": "4px 14px", "gap": "4px"}):
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap", "gap": "6px"}):
            solara.HTML(tag="h2", unsafe_innerHTML=html.escape(tr("title", lang.value)),
                        classes=["page-title"], style="margin: 0 12px 0 0")
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
