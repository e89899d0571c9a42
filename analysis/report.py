"""A self-contained HTML report of a batch: one file, plots embedded, no network needed.

Sections: the question; the scenarios; the differences in plain words; the comparison
table; the plots; the assumptions that matter most; the validation of the city against
its sources; the manifest. Labels in English, Chinese, or both.
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import plots
from analysis.compare import FIGURES, HEADLINE, compare_runs
from analysis.dataset import load_batch, read_manifest
from analysis.validation import map_layers, structural_checks
from simulation.model import GovernanceModel
from simulation.scenario import Scenario

TEXT = {
    "title": ("Flat community management versus the street-office hierarchy",
              "扁平化社区管理与街道办层级管理比较"),
    "question": ("The question", "研究问题"),
    "question_body": (
        "Jiayuguan (Gansu) abolished its street offices in 2012 and merged 69 urban "
        "communities into 30 large ones with one-stop service centres, embedded police, a "
        "12345 hotline and a mediation centre. Did this shorten the time from a resident's "
        "need to a response, and widen coverage? Which parts of the reform did it, and at "
        "what cost? Each scenario below was run with the same seeds as the baseline, so it "
        "faced the same residents and the same needs: differences are the policy's.",
        "嘉峪关市2012年撤销街道办事处,将69个城市社区整合为30个大社区,设立一站式服务中心、"
        "社区警务室、12345热线和大调解中心。改革是否缩短了从居民诉求产生到得到响应的时间、"
        "扩大了服务覆盖?哪些措施起了作用,代价几何?下列各情景与基准情景使用相同随机种子,"
        "面对相同的居民和相同的诉求,差异来自政策本身。"),
    "scenarios": ("The scenarios", "情景"),
    "findings": ("What changed, in plain words", "主要结论"),
    "table": ("Comparison table", "比较表"),
    "plots": ("Pictures", "图表"),
    "assumptions": ("Assumptions that matter most", "关键假设"),
    "validation": ("Validation: the city against its sources", "模型校验:与资料对照"),
    "manifest": ("Manifest", "运行清单"),
    "better": ("better", "更好"), "worse": ("worse", "更差"),
    "can't tell": ("can't tell", "无法判断"), "same": ("same", "相同"),
    "baseline": ("baseline", "基准"),
    "responses": ("Response time by kind of need", "各类诉求响应时间"),
    "maps": ("Coverage maps (after one simulated day)", "覆盖地图(模拟一天后)"),
    "series": ("Backlog and trust over time", "积压案件与信任度变化"),
    "forest": ("Effect of each scenario, with 95 % intervals", "各情景效应及95%置信区间"),
    "sensitivity": ("Sensitivity ranking", "敏感性排序"),
}
ASSUMPTIONS = (
    ("handoff_delay_h.community", "Hand-off delay from a community (working hours)"),
    ("handoff_delay_h.street_office", "Hand-off delay from a street office (working hours)"),
    ("needs.report_base", "Chance to report a non-emergency need"),
    ("needs.walkin_delay_mean_h", "Mean delay before walking in (h)"),
    ("hotline.share", "Share of reporters who call 12345 when it exists"),
    ("staff.community.caseworker", "Caseworkers per community"),
    ("needs.rate_per_year.welfare", "Welfare needs per resident-year"),
    ("police.patrol_time_share", "Share of an officer's shift on the move"),
    ("trust.learning_rate", "Weight of one case on trust"),
)


def _t(key: str, lang: str) -> str:
    en, zh = TEXT[key]
    return {"en": en, "zh": zh}.get(lang, f"{en} · {zh}")


def _img(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode()
    return f'<img alt="{html.escape(path.stem)}" src="data:image/png;base64,{data}">'


def _get(params: dict, dotted: str) -> Any:
    node = params
    for part in dotted.split("."):
        node = node[part]
    return node


def scenarios_from_manifest(manifest: dict[str, Any]) -> dict[str, Scenario]:
    """The batch's scenarios, with every parameter as they ran."""
    return {name: Scenario(name, s.get("file", ""), s["params"], s.get("title", ""),
                           s.get("description", ""), s.get("chain", []))
            for name, s in manifest["scenarios"].items()}


def sentence(row: pd.Series, baseline: str, lang: str) -> str:
    """One finding in words, e.g. '... cut the median response time from 47 h to 8 h'."""
    fig = FIGURES[row["figure"]]
    unit = "" if fig.unit == "count" else (" %" if fig.unit == "%" else f" {fig.unit}")
    ci = (f"95 % CI {row['diff_low']:+.1f} to {row['diff_high']:+.1f}"
          if np.isfinite(row["diff_low"]) else "no interval")
    values = (f"{row['baseline']:.1f}{unit} → {row['value']:.1f}{unit} "
              f"({row['diff']:+.1f}{unit}; {ci}; n = {row['n']})")
    en = {"better": "improved", "worse": "worsened", "same": "did not change",
          "can't tell": "changed too little to tell"}[row["verdict"]]
    zh = {"better": "改善", "worse": "变差", "same": "没有变化",
          "can't tell": "变化不显著,无法判断"}[row["verdict"]]
    text_en = f"<b>{fig.label}</b> {en} in {row['scenario']} against {baseline}: {values}."
    text_zh = f"与{baseline}相比,{row['scenario']}的<b>{fig.label_zh}</b>{zh}:{values}。"
    return {"en": text_en, "zh": text_zh}.get(lang, f"{text_en}<br>{text_zh}")


def make_report(batch_dir: Path, baseline: str, lang: str = "both",
                out: Path | None = None) -> Path:
    """Compare, draw and write `report.html` (and `comparison.csv`) into the batch folder.

    Args:
        batch_dir: a folder made by `run.py batch`.
        baseline: the scenario every other is compared with.
        lang: "en", "zh" or "both".
        out: where to write the HTML (default `batch_dir/report.html`).

    Returns:
        The report's path.
    """
    batch_dir = Path(batch_dir)
    manifest = read_manifest(batch_dir)
    runs = load_batch(batch_dir)
    table = compare_runs(runs, baseline)
    table.to_csv(batch_dir / "comparison.csv", index=False)
    scenarios = scenarios_from_manifest(manifest)
    design = manifest["design"]
    figdir = batch_dir / "figures"
    plot_lang = "zh" if lang == "zh" else "en"

    cases = pd.read_parquet(batch_dir / "cases", columns=["kind", "response_min", "scenario"])
    cases["scenario"] = cases["scenario"].astype(str)
    cases["kind"] = cases["kind"].astype(str)
    series = pd.read_parquet(batch_dir / "timeseries",
                             columns=["hour", "backlog", "mean_trust", "scenario"])
    series["scenario"] = series["scenario"].astype(str)
    seed = int(design["base_seed"])
    layers, checks = {}, {}
    for name, scn in scenarios.items():
        layers[name], _ = map_layers(scn, seed, float(design["scale"]))
        checks[name] = structural_checks(GovernanceModel(scn, seed=seed, scale=1.0, days=1))
    images = {
        "responses": plots.response_distributions(cases, figdir / "response_by_kind",
                                                  plot_lang),
        "maps": plots.coverage_maps(layers, figdir / "coverage_maps", plot_lang),
        "series": plots.time_series(series, figdir / "backlog_trust", plot_lang),
    }
    if not table.empty:
        images["forest"] = plots.forest(table, figdir / "forest", plot_lang)

    parts = [f"<h1>{_t('title', lang)}</h1>",
             f"<p class=meta>{html.escape(manifest.get('command', ''))}<br>"
             f"{design['replications']} replications × {len(scenarios)} scenarios, "
             f"{design['days']} days, scale {design['scale']}, base seed {seed}; "
             f"{_t('baseline', lang)}: <b>{html.escape(baseline)}</b></p>",
             f"<h2 id=question>{_t('question', lang)}</h2><p>{_t('question_body', lang)}</p>",
             f"<h2 id=scenarios>{_t('scenarios', lang)}</h2><table class=scen>"]
    for name, s in scenarios.items():
        parts.append(f"<tr><td><b>{html.escape(name)}</b></td><td><i>{html.escape(s.title)}"
                     f"</i><br>{html.escape(s.description)}</td></tr>")
    parts.append("</table>")
    parts.append(f"<h2 id=findings>{_t('findings', lang)}</h2><ul>")
    for _, row in table.iterrows():
        parts.append(f"<li class='{row['verdict'].replace(chr(39), '')}'>"
                     f"{sentence(row, baseline, lang)}</li>")
    parts.append("</ul>")
    parts.append(f"<h2 id=table>{_t('table', lang)}</h2>{_table_html(table, lang)}")
    parts.append(f"<h2 id=plots>{_t('plots', lang)}</h2>")
    for key, path in images.items():
        parts.append(f"<h3>{_t(key, lang)}</h3>{_img(path)}")
    parts.append(f"<h2 id=assumptions>{_t('assumptions', lang)}</h2>"
                 + _assumptions_html(scenarios, batch_dir))
    parts.append(f"<h2 id=validation>{_t('validation', lang)}</h2>"
                 + _validation_html(checks))
    parts.append(f"<h2 id=manifest>{_t('manifest', lang)}</h2><details><summary>JSON"
                 f"</summary><pre>{html.escape(json.dumps(manifest, indent=1, default=str))}"
                 "</pre></details>")
    doc = (f"<!doctype html><html lang='{'zh' if lang == 'zh' else 'en'}'><head>"
           f"<meta charset='utf-8'><title>{_t('title', lang)}</title><style>{CSS}</style>"
           f"</head><body>{''.join(parts)}</body></html>")
    out = Path(out) if out else batch_dir / "report.html"
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(doc, encoding="utf-8")
    tmp.replace(out)
    return out


def _table_html(table: pd.DataFrame, lang: str) -> str:
    if table.empty:
        return "<p>—</p>"
    rows = ["<table class=cmp><tr><th>scenario</th><th>figure</th><th>baseline</th>"
            "<th>scenario</th><th>difference [95 % CI]</th><th>ratio [95 % CI]</th><th>n</th>"
            "<th>method</th><th>verdict</th></tr>"]
    for _, r in table.iterrows():
        fig = FIGURES[r["figure"]]
        label = fig.label if lang == "en" else fig.label_zh if lang == "zh" else \
            f"{fig.label}<br>{fig.label_zh}"
        ci = f"[{r['diff_low']:+.2f}, {r['diff_high']:+.2f}]" if np.isfinite(r["diff_low"]) \
            else ""
        rci = f"[{r['ratio_low']:.2f}, {r['ratio_high']:.2f}]" if np.isfinite(
            r["ratio_low"]) else ""
        rows.append(f"<tr class='{r['verdict'].replace(chr(39), '')}'><td>{r['scenario']}</td>"
                    f"<td>{label} ({fig.unit})</td><td>{r['baseline']:.2f}</td>"
                    f"<td>{r['value']:.2f}</td><td>{r['diff']:+.2f} {ci}</td>"
                    f"<td>{r['ratio']:.2f} {rci}</td><td>{r['n']}</td><td>{r['method']}</td>"
                    f"<td>{_t(r['verdict'], lang)}</td></tr>")
    return "".join(rows) + "</table>"


def _assumptions_html(scenarios: dict[str, Scenario], batch_dir: Path) -> str:
    from simulation.parameters import iter_params
    params = dict(iter_params())
    names = list(scenarios)
    rows = ["<table class=cmp><tr><th>assumption</th><th>key</th>"
            + "".join(f"<th>{html.escape(n)}</th>" for n in names) + "<th>source</th></tr>"]
    for key, label in ASSUMPTIONS:
        vals = "".join(f"<td>{_get(s.params, key)}</td>" for s in scenarios.values())
        rows.append(f"<tr><td>{label}</td><td><code>{key}</code></td>{vals}"
                    f"<td>{html.escape(params[key].source)}</td></tr>")
    out = "".join(rows) + "</table>"
    sens = sorted(batch_dir.glob("sensitivity*.csv"))
    if sens:
        ranking = pd.read_csv(sens[-1])
        out += f"<h3>{_t('sensitivity', 'both')}</h3>" + ranking.head(10).to_html(
            index=False, float_format=lambda v: f"{v:.3g}")
    return out


def _validation_html(checks: dict[str, list]) -> str:
    rows = ["<table class=cmp><tr><th>scenario</th><th>fact</th><th>source</th>"
            "<th>expected</th><th>model</th><th>holds</th></tr>"]
    for name, cs in checks.items():
        for c in cs:
            rows.append(f"<tr class={'better' if c.ok else 'worse'}><td>{name}</td>"
                        f"<td>{c.fact}</td><td>{html.escape(c.source)}</td><td>{c.expected}"
                        f"</td><td>{c.model}</td><td>{'yes' if c.ok else 'NO'}</td></tr>")
    return "".join(rows) + "</table>"


CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI','Noto Sans CJK SC',sans-serif;
max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;font-size:.85em;margin:.6em 0}
td,th{border:1px solid #ddd;padding:.25em .5em;vertical-align:top}th{background:#f4f4f4}
tr.better td:last-child,li.better{color:#1b5e20}tr.worse td:last-child,li.worse{color:#b71c1c}
li.cant{color:#555}img{max-width:100%;border:1px solid #eee;margin:.4em 0}
.meta{color:#666;font-size:.85em}pre{font-size:.75em;max-height:30em;overflow:auto}
"""

__all__ = ["make_report", "HEADLINE"]
