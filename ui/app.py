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
from pathlib import Path
from types import SimpleNamespace

if __package__ in (None, ""):  # `solara run ui/app.py` loads this file by path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import solara

from ui.i18n import LANGUAGES, tr
from ui.style import CSS


def views():
    """The views and the runs they show. Imported on first use, not with the page: the
    model and pandas take seconds to import on a busy machine, and a thread started below
    imports them while the server starts and the browser loads the page's scripts."""
    from ui import state, view_batch, view_single, view_workshop

    return SimpleNamespace(state=state, single=view_single.SingleRunView,
                           workshop=view_workshop.WorkshopView, batch=view_batch.BatchView)


threading.Thread(target=views, name="import-views", daemon=True).start()


@solara.component
def Page():
    lang = solara.use_reactive("en")
    view = solara.use_reactive("single")
    # per session: created when this page is first drawn, never shared between tabs
    v = views()
    st = v.state
    single = solara.use_memo(lambda: st.Run(st.DEFAULT_SCENARIO, st.DEFAULT_SEED,
                                            st.DEFAULT_SCALE, st.DEFAULT_DAYS), [])
    workshop = solara.use_memo(lambda: st.Workshop(seed=st.DEFAULT_SEED,
                                                   scale=st.DEFAULT_SCALE,
                                                   days=st.DEFAULT_DAYS), [])
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
            v.single(single, lang.value)
        elif view.value == "workshop":
            v.workshop(workshop, lang.value)
        else:
            v.batch(lang.value)
