"""The browser front end: one interactive run, a side-by-side workshop, batch results.

`ui.app.Page` is the Solara page (served by `python run.py ui`, or shown in Jupyter with
`from ui.app import Page; Page()`). `ui.state` holds what a page session owns (models,
levers, figures so far) without any Solara code; `ui.map_image` draws the map as an RGB
image; `ui.i18n` holds the English and Chinese labels; `ui.assets` fills Solara's
offline asset cache from the npm registry. The model (`simulation`) never imports this.
"""
