"""The page's style sheet."""

CSS = """
.cgs-clock { font-size: 1.35em; font-weight: 600; }
.cgs-kpi { border-collapse: collapse; font-size: 0.92em; }
.cgs-kpi td { padding: 2px 8px; border-bottom: 1px solid #eee; }
.cgs-kpi td.v { text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }
.cgs-diff td, .cgs-diff th { padding: 2px 8px; border-bottom: 1px solid #eee; }
.cgs-diff td.n { text-align: right; font-variant-numeric: tabular-nums; }
.cgs-diff td.better-A, .cgs-diff td.better-B { background: #d5f5dc; font-weight: 600; }
.cgs-diff td.worse { background: #fbdada; }
.cgs-legend span.sw { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 10px;
  vertical-align: middle; border: 1px solid #555; }
.cgs-legend span.ln { display: inline-block; width: 16px; height: 3px; margin: 0 4px 0 10px;
  vertical-align: middle; }
.cgs-legend { font-size: 0.85em; line-height: 1.8em; }
.cgs-table table { border-collapse: collapse; font-size: 0.85em; }
.cgs-table td, .cgs-table th { padding: 2px 6px; border-bottom: 1px solid #eee; }
.cgs-no-caps, .cgs-no-caps .v-btn__content { text-transform: none !important; }
.cgs-map img { image-rendering: pixelated; width: 100%; max-width: 720px; }
"""

