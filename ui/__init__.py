"""The browser front end: one interactive run, a side-by-side workshop, batch results.

`ui.app.Page` is the Solara page (served by `python run.py ui`, or shown in Jupyter with
`from ui.app import Page; Page()`), with one module per view (`view_single`,
`view_workshop`, `view_batch`). `ui.state` holds what a page session owns (models,
levers, figures so far) without any Solara code; every figure the page shows comes
through `ui.figures`, named and defined in the one table of figures `analysis.labels`
(English and Chinese; `ui.labels` picks the page's figures from it);
`ui.map_image` draws the map; `ui.i18n` holds the other labels; `ui.assets` fills
Solara's offline asset cache from the npm registry. The model (`simulation`) never
imports this package. docs/ui.md lists every module.
"""
