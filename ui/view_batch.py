"""The batch view: open a batch folder made by `run.py batch` and compare its scenarios."""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd
import solara

from ui import batch as batchmod
from ui.i18n import tr
from ui.labels import batch_column
from ui.scenario_text import scenario_text


def _plots():
    from ui import batch_plots  # matplotlib: imported when a batch is opened

    return batch_plots


def labelled(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`table` with figure columns in display units (hours, %) and labelled in `lang`;
    scenario names shown by their titles."""
    out = table.copy()
    names = {}
    for c in out.columns:
        label, factor = batch_column(c, lang)
        if factor != 1 and pd.api.types.is_numeric_dtype(out[c]):
            out[c] = out[c] * factor
        names[c] = label
    if "scenario" in out.columns:
        out["scenario"] = [scenario_text(str(s)).title_in(lang) for s in out["scenario"]]
    return out.rename(columns=names)


def _unit(unit: str, lang: str) -> str:
    if lang != "zh":
        return unit
    return {"h": "小时", "count": "件", "million CNY": "百万元"}.get(unit, unit)


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
        title = scenario_text(str(r["scenario"])).title_in(lang)
        rows.append(f"<tr><td>{html.escape(title)}</td>{extra}"
                    f"<td>{html.escape(batchmod.figure_label(r['figure'], lang))} "
                    f"({html.escape(_unit(str(r['unit']), lang))})</td>"
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
        lambda: _plots().comparison_png(table, lang, lambda c: batchmod.figure_label(c, lang))
        if table is not None and len(table) else b"", [baseline.value, id(df), lang])

    solara.Markdown(f"**{html.escape(batchmod.display_name(path))}** · "
                    f"{tr('batch.runs', lang, n=len(df))} · "
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
                unsafe_innerHTML=labelled(batchmod.per_scenario(path, df), lang).to_html(
                    index=False, float_format="{:,.2f}".format, na_rep="—"))
    if cols:
        items = [{"text": batch_column(c, lang)[0], "value": c} for c in cols]
        solara.v.Select(label=tr("batch.metric", lang), items=items,
                        v_model=metric.value or cols[0], on_v_model=metric.set, dense=True,
                        style_="max-width: 480px")
        solara.Image(_plots().batch_png(ok, metric.value or cols[0], groups,
                                         batch_column(metric.value or cols[0], lang)),
                     format="png")
    with solara.Details(summary=tr("batch.all", lang), expand=False):
        show = [c for c in ("run_id", *groups, "replication", "seed", "status")
                if c in df.columns] + [c for c in cols[:10] if c not in groups]
        solara.HTML(tag="div", classes=["cgs-table"],
                    unsafe_innerHTML=labelled(df[show], lang).to_html(index=False, na_rep="—",
                                                      float_format="{:,.3f}".format))


@solara.component
def BatchView(lang: str):
    folder = solara.use_reactive("")
    opened = solara.use_reactive(None)  # (path, df, how)
    error = solara.use_reactive(None)
    found = solara.use_memo(batchmod.find_batch_folders, [])

    def open_folder(text: str | None = None, shown: str | None = None):
        text = folder.value if text is None else text
        folder.set(shown or text)
        try:
            path = batchmod.check_folder(text)
            df, how = batchmod.load_folder(path)
        except batchmod.BatchFolderError as exc:
            error.set(str(exc))
            opened.set(None)
            return
        except Exception as exc:  # noqa: BLE001 - a broken file must not crash the page
            error.set(batchmod.scrub(f"{type(exc).__name__}: {exc}"))
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
                for name, real in found:
                    solara.Button(name, text=True, classes=["batch-found", "cgs-no-caps"],
                                  on_click=lambda n=name, r=real: open_folder(str(r), n))
        else:
            solara.Markdown(tr("batch.none", lang))
        if error.value:
            with solara.Div(classes=["batch-error"]):
                solara.Error(error.value)
        if opened.value is not None:
            path, df, how = opened.value
            BatchResults(path, df, how, lang).key(str(path))
