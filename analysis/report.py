"""A self-contained HTML report of a batch: one file, plots embedded, no network needed.

Sections: the question; the scenarios; the differences in plain words; the comparison
table; the plots; the assumptions that matter most; the validation of the city against
its sources; the manifest. Labels in English, Chinese, or both (figure labels from
`analysis.labels`).

The page is rendered from `analysis/templates/report.html` by Jinja2 with autoescape on:
scenario names (file names), titles, descriptions and manifest values are text, never
markup, whatever they hold. Everything is computed before anything is written, and the
report writes only to its output: a folder (report.html, comparison.csv, figures/), or
one `.html` file.
"""

from __future__ import annotations

import base64
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import jinja2
import numpy as np
import pandas as pd

from analysis import dataset, plots
from analysis.compare import compare_runs
from analysis.labels import figure
from analysis.outputs import check_output_file, check_output_folder, make_folder, write_atomic
from analysis.validation import map_layers, structural_checks
from simulation.model import GovernanceModel
from simulation.parameters import iter_params
from simulation.scenario import Scenario, ScenarioError, from_params

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
    "changed": ("changed", "有变化"),
    "baseline": ("baseline", "基准"),
    "responses": ("Response time by kind of need", "各类诉求响应时间"),
    "maps": ("Coverage maps (after one simulated day)", "覆盖地图(模拟一天后)"),
    "series": ("Backlog and trust over time", "积压案件与信任度变化"),
    "forest": ("Effect of each scenario, with 95 % intervals", "各情景效应及95%置信区间"),
    "sensitivity": ("Sensitivity ranking", "敏感性排序"),
    "flips": ("Where the verdict flips", "结论在何处反转"),
}
ASSUMPTIONS = (
    ("decision.cycle_days.district", "Days between a district's sign-off meetings"),
    ("decision.cycle_days.street_office", "Days between a street office's sign-off meetings"),
    ("handoff.prepare_min", "Staff minutes to prepare one referral"),
    ("tasks.volume_multiplier", "Volume of tasks from above (x)"),
    ("needs.report_base", "Chance to report a non-emergency need"),
    ("hotline.share", "Share of reporters who call 12345 when it exists"),
    ("staff.community.caseworker", "Caseworkers per community"),
    ("needs.rate_per_year.welfare", "Welfare needs per resident-year"),
    ("police.patrol_time_share", "Share of an officer's shift on the move"),
    ("trust.learning_rate", "Weight of one case on trust"),
)


VERBS = {"better": ("improved", "改善"), "worse": ("worsened", "变差"),
         "same": ("did not change", "没有变化"), "changed": ("changed", "有变化"),
         "can't tell": ("changed too little to tell", "变化不显著，无法判断")}
ENVIRONMENT = jinja2.Environment(loader=jinja2.PackageLoader("analysis", "templates"),
                                 autoescape=True, undefined=jinja2.StrictUndefined)


def _t(key: str, lang: str) -> str:
    en, zh = TEXT[key]
    return {"en": en, "zh": zh}.get(lang, f"{en} · {zh}")


def _get(params: dict, dotted: str) -> Any:
    node: Any = params
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return "—"
        node = node[part]
    return node


def scenarios_from_manifest(manifest: dict[str, Any],
                            source: str | Path = dataset.MANIFEST) -> dict[str, Scenario]:
    """The batch's scenarios, with every parameter as they ran (validated).

    Args:
        manifest: a batch manifest.
        source: the manifest's file, for messages.

    Raises:
        ScenarioError: naming the manifest and scenario, if its parameters are damaged.
    """
    out = {}
    for name, s in manifest["scenarios"].items():
        if not isinstance(s, dict):
            raise ScenarioError(source, f"scenarios.{name}", "damaged")
        out[str(name)] = from_params(name, s.get("params"), f"{source} (scenario {name})",
                                     str(s.get("file", "")),
                                     s.get("title", ""), s.get("description", ""),
                                     s.get("chain", []))
    return out


def _finding(row: pd.Series) -> dict[str, Any]:
    """One finding in words: the figure, the verb, the values with their interval."""
    fig = figure(row["figure"])
    unit = "" if fig.unit == "count" else (" %" if fig.unit == "%" else f" {fig.unit}")
    ci = (f"95 % CI {row['diff_low']:+.1f} to {row['diff_high']:+.1f}"
          if np.isfinite(row["diff_low"]) else "no interval")
    values = (f"{row['baseline']:.1f}{unit} → {row['value']:.1f}{unit} "
              f"({row['diff']:+.1f}{unit}; {ci}; n = {row['n']})")
    en, zh = VERBS[row["verdict"]]
    return {"figure": fig, "scenario": row["scenario"], "values": values, "verb_en": en,
            "verb_zh": zh, "css": _css(row["verdict"])}


def _css(verdict: str) -> str:
    """The CSS class of a verdict (the stylesheet colours better, worse, cant)."""
    return {"can't tell": "cant"}.get(verdict, verdict)


def _row(r: pd.Series) -> dict[str, Any]:
    ci = f" [{r['diff_low']:+.2f}, {r['diff_high']:+.2f}]" if np.isfinite(r["diff_low"]) \
        else ""
    rci = f" [{r['ratio_low']:.2f}, {r['ratio_high']:.2f}]" if np.isfinite(
        r["ratio_low"]) else ""
    ratio = f"{r['ratio']:.2f}{rci}" if np.isfinite(r["ratio"]) else "—"
    method = r["method"] + (f", ratio {r['ratio_method']}" if "ratio_method" in r else "")
    return {"scenario": r["scenario"], "figure": figure(r["figure"]), "unit": r["unit"],
            "baseline": f"{r['baseline']:.2f}", "value": f"{r['value']:.2f}",
            "diff": f"{r['diff']:+.2f}{ci}", "ratio": ratio, "n": r["n"], "method": method,
            "verdict": r["verdict"], "css": _css(r["verdict"])}


def make_report(batch_dir: Path, baseline: str, lang: str = "both",
                out: Path | None = None) -> Path:
    """Compare, draw and write the report of a batch.

    Args:
        batch_dir: a folder made by `run.py batch` (only read).
        baseline: the scenario every other is compared with.
        lang: "en", "zh" or "both".
        out: a folder for report.html, comparison.csv and figures/ (default: the batch
            folder), or a file ending in .html for the report alone.

    Returns:
        The report's path.

    Raises:
        ScenarioError: the batch is not one, or damaged; `out` cannot be written to
            (nothing is written then).
        OutputError: the output cannot be written.
    """
    batch_dir = Path(batch_dir)
    out = Path(out) if out is not None else batch_dir
    single_file = out.suffix.lower() in (".html", ".htm")
    (check_output_file if single_file else check_output_folder)(out)
    manifest = dataset.read_manifest(batch_dir)
    runs = dataset.load_batch(batch_dir)
    if manifest["design"].get("kind") == "explore":
        # an exploration pairs the scenarios point by point (one seed each): compare them
        # over the whole sample, not point by point
        runs = runs.drop(columns=[c for c in manifest["design"].get("params", {})
                                  if c in runs.columns])
    table = compare_runs(runs, baseline)
    with tempfile.TemporaryDirectory(prefix="report-figures-") as tmp:
        images = _draw(batch_dir, manifest, table, lang, Path(tmp))
        page = _render(batch_dir, manifest, table, baseline, lang, images)
        if single_file:
            write_atomic(out, lambda p: p.write_text(page, encoding="utf-8"))
            return out
        make_folder(out / "figures")
        for path in sorted(Path(tmp).iterdir()):
            write_atomic(out / "figures" / path.name,
                         lambda p, src=path: shutil.copyfile(src, p))
    write_atomic(out / "comparison.csv", lambda p: table.to_csv(p, index=False))
    write_atomic(out / "report.html", lambda p: p.write_text(page, encoding="utf-8"))
    return out / "report.html"


def _draw(batch_dir: Path, manifest: dict[str, Any], table: pd.DataFrame, lang: str,
          figdir: Path) -> list[dict[str, str]]:
    """Draw the plots into `figdir`; return them as data URIs for the page."""
    plot_lang = "zh" if lang == "zh" else "en"
    design = manifest["design"]
    cases = dataset.load_cases(batch_dir, columns=["kind", "response_min"])
    series = dataset.load_cases(batch_dir, columns=["hour", "backlog", "mean_trust"],
                                table=dataset.TIMESERIES)
    for frame in (cases, series):
        for column in ("scenario", "kind"):
            if column in frame:
                frame[column] = frame[column].astype(str)
    seed, scale = int(design["base_seed"]), float(design["scale"])
    scenarios = scenarios_from_manifest(manifest, batch_dir / dataset.MANIFEST)
    layers = {name: map_layers(scn, seed, scale)[0] for name, scn in scenarios.items()}
    paths = {}
    if not cases.empty:
        paths["responses"] = plots.response_distributions(cases, figdir / "response_by_kind",
                                                          plot_lang)
    paths["maps"] = plots.coverage_maps(layers, figdir / "coverage_maps", plot_lang)
    if not series.empty:
        paths["series"] = plots.time_series(series, figdir / "backlog_trust", plot_lang)
    if not table.empty:
        paths["forest"] = plots.forest(table, figdir / "forest", plot_lang)
    return [{"key": key, "name": path.stem, "data": "data:image/png;base64,"
             + base64.b64encode(path.read_bytes()).decode()} for key, path in paths.items()]


def _render(batch_dir: Path, manifest: dict[str, Any], table: pd.DataFrame, baseline: str,
            lang: str, images: list[dict[str, str]]) -> str:
    """The page: the template filled with the batch's data (escaped by Jinja2)."""
    scenarios = scenarios_from_manifest(manifest, batch_dir / dataset.MANIFEST)
    seed = int(manifest["design"]["base_seed"])
    checks = [(name, c) for name, scn in scenarios.items() for c in
              structural_checks(GovernanceModel(scn, seed=seed, scale=1.0, days=1))]
    params = dict(iter_params())
    assumptions = [{"key": key, "label": label,
                    "cells": [_get(s.params, key) for s in scenarios.values()],
                    "source": params[key].source if key in params else ""}
                   for key, label in ASSUMPTIONS]
    return ENVIRONMENT.get_template("report.html").render(
        t=lambda key: _t(key, lang), lang=lang, baseline=baseline,
        command=str(manifest.get("command", "")), design=manifest["design"],
        scenarios=list(scenarios.values()),
        findings=[_finding(row) for _, row in table.iterrows()],
        rows=[_row(r) for _, r in table.iterrows()], images=images,
        assumptions=assumptions, sensitivity=_sensitivity(batch_dir), checks=checks,
        flips=_flips(batch_dir),
        manifest_json=json.dumps(manifest, indent=1, default=str, ensure_ascii=False))


def _sensitivity(batch_dir: Path) -> dict[str, Any] | None:
    """The top of the batch's sensitivity ranking, if `run.py sensitivity` wrote one."""
    found = sorted(batch_dir.glob("sensitivity*.csv"))
    if not found:
        return None
    try:
        ranking = pd.read_csv(found[-1]).head(10)
    except (OSError, ValueError, pd.errors.ParserError):
        return None
    return {"columns": list(ranking.columns),
            "rows": [[f"{v:.3g}" if isinstance(v, float) else v for v in row]
                     for row in ranking.itertuples(index=False)]}


def _flips(batch_dir: Path) -> dict[str, Any] | None:
    """Where the verdict flips, if `run.py explore` wrote its findings into the folder:
    the words, and per figure with a region its boxes and pairs plot (embedded)."""
    path = batch_dir / "flips.json"
    if not path.is_file():
        return None
    try:
        flips = json.loads(path.read_text(encoding="utf-8"))
        figures = []
        for f in flips["figures"]:
            if not f.get("boxes"):
                continue
            image = batch_dir / (f.get("pairs") or "")
            data = ("data:image/png;base64," + base64.b64encode(image.read_bytes()).decode()
                    if f.get("pairs") and image.is_file() else "")
            rows = [{"box": i + 1, "param": d, "low": f"{lim['low']:.4g}",
                     "high": f"{lim['high']:.4g}",
                     "qp": "—" if lim.get("qp") is None else f"{lim['qp']:.2g}",
                     "coverage": f"{b['coverage']:.0%}", "density": f"{b['density']:.0%}"}
                    for i, b in enumerate(f["boxes"]) for d, lim in b["limits"].items()]
            figures.append({"label": f["label"], "flip": f["flip"], "rows": rows,
                            "image": data})
        return {"intro": f"{flips['scenario']} against {flips['baseline']}: "
                         f"{flips['points']} paired points of a Latin hypercube sample, "
                         f"{flips['days']} days, scale {flips['scale']}; ranges searched: "
                         f"{flips['ranges_text']}.",
                "words": list(flips["words"]), "figures": figures}
    except (OSError, ValueError, KeyError, TypeError):
        raise ScenarioError(path, "", "damaged: not the findings of run.py explore") from None
