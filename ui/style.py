"""The page's style sheet (compact enough that the workshop's answer fits one screen)."""

CSS = """
.v-application .v-main__wrap > div, .solara-content-main { padding-top: 0 !important; }
.page-title { font-size: 1.1em !important; }
.cgs-clock { font-size: 1.15em; font-weight: 600; }
.cgs-kpi { border-collapse: collapse; font-size: 0.88em; width: 100%; }
.cgs-kpi td { padding: 1px 6px; border-bottom: 1px solid #eee; }
.cgs-kpi td.v { text-align: right; font-variant-numeric: tabular-nums; font-weight: 600;
  white-space: nowrap; }
.cgs-diff { border-collapse: collapse; font-size: 0.86em; width: 100%; }
.cgs-diff td, .cgs-diff th { padding: 1px 6px; border-bottom: 1px solid #eee; }
.cgs-diff th { text-align: right; } .cgs-diff th:first-child { text-align: left; }
.cgs-diff td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.cgs-diff td.better-A, .cgs-diff td.better-B { background: #d5f5dc; font-weight: 600; }
.cgs-diff td.worse { background: #fbdada; }
.help { display: inline-block; width: 14px; height: 14px; line-height: 14px; font-size: 10px;
  text-align: center; border-radius: 7px; background: #e3e8f0; color: #345; cursor: help;
  margin-left: 2px; vertical-align: 1px; }
.cgs-legend { font-size: 0.78em; line-height: 1.6em; max-width: 1100px; }
.cgs-legend .item { white-space: nowrap; margin-right: 8px; }
.cgs-legend span.sw { display: inline-block; width: 11px; height: 11px; margin-right: 3px;
  vertical-align: middle; border: 1px solid #555; }
.cgs-legend span.dot { display: inline-block; width: 9px; height: 9px; margin-right: 3px;
  vertical-align: middle; border: 1px solid #fff; outline: 1px solid #888; }
.cgs-legend span.ln { display: inline-block; width: 16px; height: 3px; margin-right: 3px;
  vertical-align: middle; }
.cgs-table table { border-collapse: collapse; font-size: 0.85em; }
.cgs-table td, .cgs-table th { padding: 2px 6px; border-bottom: 1px solid #eee; }
.cgs-no-caps, .cgs-no-caps .v-btn__content { text-transform: none !important;
  letter-spacing: normal !important; }
.scenario-description { font-size: 0.8em; color: #444; line-height: 1.3em; margin: 2px 0 4px;
  display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical;
  overflow: hidden; }
.scenario-description .file { font-family: monospace; color: #777; }
.view-workshop .scenario-description { -webkit-line-clamp: 2; }
.cgs-lever { margin: 0 0 2px; }
.cgs-lever .v-input { margin-top: 0; padding-top: 2px; }
.cgs-lever .v-input--checkbox { margin: 0; }
.cgs-lever .v-messages { min-height: 0; }
.cgs-lever.has-error { border-left: 3px solid #c62828; padding-left: 4px; }
.lever-error { color: #c62828; font-size: 0.8em; line-height: 1.2em; }
.lever-box { margin-top: 10px; padding-top: 8px; max-height: 430px; overflow-y: auto;
  padding-right: 4px;
  border-top: 1px solid #eee; }
.pending-note .v-alert { margin: 0; }
.cgs-verdicts { margin: 0; padding-left: 18px; font-size: 0.93em; line-height: 1.4em;
  columns: 2; column-gap: 32px; }
.cgs-verdicts li { break-inside: avoid; }
.cgs-verdicts li.side-a::marker { color: #1f4e9c; }
.cgs-verdicts li.side-b::marker { color: #c0392b; }
.side-tag { font-weight: 700; color: white; border-radius: 3px; padding: 1px 6px; }
.side-tag-a { background: #1f4e9c; } .side-tag-b { background: #c0392b; }
.side-controls .v-expansion-panel-header { min-height: 28px !important; padding: 2px 12px; }
.side-controls .v-expansion-panel-content__wrap { padding: 0 12px 8px; }
.cgs-charts { display: flex; flex-wrap: wrap; gap: 4px; }
.cgs-layers .v-btn { height: 26px !important; }
.cgs-layers .v-btn-toggle { flex-wrap: wrap; }
.cgs-panel { border: 1px solid #f0b040; border-radius: 4px; padding: 2px 6px;
  background: #fffaf0; }
.community-hint { font-size: 0.8em; color: #666; }
.steps-rate { margin-left: 6px; }
.play-controls .v-btn { min-width: 0 !important; padding: 0 10px !important; }
"""
