"""Labels of the page in English and Chinese.

Every text the page shows goes through `tr(key, lang)`; a missing Chinese label falls back
to English, a missing key to the key itself (so a typo shows up on the page, not as an
exception).
"""

from __future__ import annotations

LANGUAGES: dict[str, str] = {"en": "English", "zh": "中文"}

_LABELS: dict[str, tuple[str, str]] = {
    # page and views
    "title": ("Jiayuguan city social management: 2011 hierarchy vs 2012 flat communities",
              "嘉峪关城市社会管理：2011年街道层级制与2012年扁平化社区"),
    "view.single": ("One run", "单次运行"),
    "view.workshop": ("Workshop: side by side", "研讨：并排对比"),
    "view.batch": ("Batch results", "批量结果"),
    "language": ("Language", "语言"),
    # run controls
    "scenario": ("Scenario", "情景"),
    "seed": ("Seed", "随机种子"),
    "scale": ("Share of residents simulated", "模拟居民比例"),
    "days": ("Horizon (days)", "模拟天数"),
    "levers": ("Levers", "政策杠杆"),
    "play": ("Play", "播放"),
    "pause": ("Pause", "暂停"),
    "step": ("Step 1 h", "前进1小时"),
    "reset": ("Reset", "重置"),
    "apply": ("Apply", "应用"),
    "speed": ("Speed: simulated hours per frame", "速度：每帧模拟小时数"),
    "pending": ("Changed levers take effect when you press Reset.",
                "修改的参数将在点击“重置”后生效。"),
    "pending.side": ("Changed levers take effect when you press Apply.",
                     "修改的参数将在点击“应用”后生效。"),
    "clock": ("Day {day}, {hour:02d}:00", "第{day}天 {hour:02d}:00"),
    "clock.of": ("of {days} days", "共{days}天"),
    "finished": ("horizon reached", "已到模拟终点"),
    "rate": ("{rate:.1f} steps/s while playing", "播放速度：每秒{rate:.1f}步"),
    "building": ("Building the city…", "正在生成城市……"),
    "error.scenario": ("This scenario cannot be used", "该情景无法使用"),
    "error.kept": ("The previous run is kept.", "保留之前的运行。"),
    # map
    "map": ("Map", "地图"),
    "layer.circle": ("15-minute service circle", "15分钟服务圈"),
    "layer.patrol": ("Patrol coverage, last 24 h", "近24小时巡逻覆盖"),
    "legend.population": ("residents per cell (darker = more)", "每格居民（越深越多）"),
    "legend.community": ("community boundary", "社区边界"),
    "legend.street_office": ("street-office boundary", "街道办边界"),
    "legend.service_point": ("service point (walk-ins)", "服务点（窗口）"),
    "legend.station": ("police base", "警务站点"),
    "legend.police": ("police officer on duty", "在岗民警"),
    "legend.auxiliary": ("joint-defence member", "联防队员"),
    "legend.grid_worker": ("grid worker", "网格员"),
    "legend.case": ("open need, waiting", "未结需求，已等待"),
    "legend.wait0": ("< 1 h", "< 1小时"),
    "legend.wait1": ("< 1 day", "< 1天"),
    "legend.wait2": ("< 1 week", "< 1周"),
    "legend.wait3": ("≥ 1 week", "≥ 1周"),
    "legend.circle_in": ("within 15 min of a service point", "距服务点15分钟内"),
    "legend.circle_out": ("beyond 15 min", "超过15分钟"),
    "legend.patrolled": ("patrolled in the last 24 h", "近24小时有巡逻"),
    # figures
    "figures": ("Figures so far", "当前指标"),
    "charts": ("Figures over time", "指标随时间变化"),
    "kpi.clock": ("Clock", "时间"),
    "kpi.response_median_h": ("Response time, median (h)", "响应时间中位数（小时）"),
    "kpi.response_p90_h": ("Response time, 90th percentile (h)", "响应时间90分位（小时）"),
    "kpi.service_circle_coverage": ("Residents within the service circle (%)",
                                    "服务圈覆盖居民（%）"),
    "kpi.patrol_coverage_24h": ("Inhabited cells patrolled, last 24 h (%)",
                                "近24小时巡逻覆盖（%）"),
    "kpi.visit_coverage": ("Scheduled visits on time (%)", "按时走访（%）"),
    "kpi.backlog": ("Backlog: reported, not resolved", "积压：已上报未解决"),
    "kpi.open_needs": ("Open needs (reported or not)", "未结需求（含未上报）"),
    "kpi.reach": ("Reach: needs that reached a unit (%)", "触达率：已到达责任单位（%）"),
    "kpi.petitions": ("Petitions", "信访"),
    "kpi.mean_trust": ("Mean trust (0-1)", "平均信任度（0-1）"),
    "kpi.needs_arisen": ("Needs arisen", "已产生需求"),
    "kpi.resolved": ("Resolved", "已解决"),
    "kpi.unreached": ("Unreached (gave up)", "未触达（放弃）"),
    "kpi.calls_waiting": ("Emergency calls waiting", "等待出警"),
    "chart.day": ("day", "天"),
    "chart.response": ("Response time (h)", "响应时间（小时）"),
    "chart.backlog": ("Backlog", "积压案件"),
    "chart.coverage": ("Coverage and reach (%)", "覆盖率与触达率（%）"),
    "chart.trust": ("Mean trust", "平均信任度"),
    "chart.median": ("median", "中位数"),
    "chart.p90": ("p90", "90分位"),
    "chart.reach": ("reach", "触达率"),
    "chart.patrol": ("patrol 24 h", "巡逻24h"),
    # workshop
    "side.a": ("Side A", "方案A"),
    "side.b": ("Side B", "方案B"),
    "difference": ("Difference: which is better", "差异：哪一方更优"),
    "diff.metric": ("Figure", "指标"),
    "diff.delta": ("B − A", "B − A"),
    "diff.better": ("Better", "更优"),
    "diff.same": ("same", "相同"),
    "diff.none": ("—", "—"),
    "workshop.note": ("Both sides run on the same seed: the same city, residents and needs "
                      "(common random numbers); only the structure and levers differ. "
                      "Applying a change to one side rebuilds it and runs it up to the "
                      "shared clock.",
                      "两侧使用同一随机种子：城市、居民与需求完全相同（共同随机数），只有管理结构与"
                      "参数不同。修改一侧后点击“应用”，该侧重建并运行到共同时间。"),
    # batch
    "batch.folder": ("Batch folder (made by run.py batch)",
                     "批量结果文件夹（由 run.py batch 生成）"),
    "batch.open": ("Open", "打开"),
    "batch.found": ("Batch folders found", "已找到的批量结果文件夹"),
    "batch.none": ("No batch folders found under results/. Run `python run.py batch` first, "
                   "or type a folder.", "results/ 下没有批量结果。请先运行 `python run.py batch`，"
                   "或输入文件夹路径。"),
    "batch.runs": ("{n} runs", "{n}次运行"),
    "batch.table": ("Per scenario: median over runs", "按情景：各次运行的中位数"),
    "batch.all": ("All runs", "全部运行"),
    "batch.metric": ("Figure to plot", "绘图指标"),
    "batch.source": ("Read with {how}", "读取方式：{how}"),
    "batch.comparison": ("Comparison with the baseline (paired by seed, 95 % interval)",
                         "与基准情景比较（按随机种子配对，95%置信区间）"),
    "batch.baseline": ("Baseline scenario", "基准情景"),
    "batch.nocompare": ("No comparison table", "无法生成比较表"),
    "col.scenario": ("Scenario", "情景"),
    "col.figure": ("Figure", "指标"),
    "col.baseline": ("Baseline", "基准"),
    "col.value": ("Scenario", "情景值"),
    "col.diff": ("Difference [95 % CI]", "差值 [95%置信区间]"),
    "col.verdict": ("Verdict", "结论"),
    "verdict.better": ("better", "更优"),
    "verdict.worse": ("worse", "更差"),
    "verdict.same": ("same", "相同"),
    "verdict.can't tell": ("can't tell", "无法判断"),
    # export
    "export": ("Export", "导出"),
    "export.figures": ("Figures (CSV)", "指标（CSV）"),
    "export.history": ("Time series (CSV)", "时间序列（CSV）"),
    "export.map": ("Map (PNG)", "地图（PNG）"),
    # levers
    "lever.seed": ("Seed", "随机种子"),
    "lever.structure.communities": ("Urban communities", "城市社区数"),
    "lever.structure.street_offices": ("Street offices (0 = none)", "街道办事处（0=撤销）"),
    "lever.structure.districts": ("Districts (0 = none)", "区（0=无）"),
    "lever.structure.grid_responsibility": ("Grid responsibility: workers walk their areas",
                                            "网格化包片责任制"),
    "lever.structure.village_service_centres": ("Village service centres", "村级便民服务中心"),
    "lever.police.embedding": ("Police based at", "警力部署"),
    "lever.police.officers": ("Police officers", "民警人数"),
    "lever.police.joint_defence": ("Joint-defence members", "联防队员人数"),
    "lever.hotline.enabled": ("12345 government hotline", "12345政府服务热线"),
    "lever.mediation.centre": ("City mediation centre", "大调解中心"),
    "lever.registration.unified": ("Unified urban-rural registration", "城乡户籍统一"),
    "lever.safe_cells.enabled": ("Safe-and-harmonious-cells campaign", "平安和谐细胞创建"),
    "lever.staff.community.front_desk": ("Front-desk staff per community", "每社区窗口人员"),
    "lever.staff.community.caseworker": ("Caseworkers per community", "每社区办事人员"),
    "lever.staff.community.grid_worker": ("Grid workers per community", "每社区网格员"),
    "lever.needs.rate_multiplier": ("Need rate multiplier", "需求发生率倍数"),
    "choice.station": ("precinct stations", "派出所"),
    "choice.community": ("community police offices", "社区警务室"),
    # scenarios
    "scenario.hierarchy_2011": ("Street-office hierarchy (2011)", "街道层级制（2011）"),
    "scenario.flat_2012": ("Flat community management (2012 reform)", "扁平化社区管理（2012改革）"),
}


def tr(key: str, lang: str = "en", **fmt) -> str:
    """The label `key` in `lang` ("en" or "zh"), formatted with `fmt`."""
    pair = _LABELS.get(key)
    if pair is None:
        text = key
    else:
        text = pair[1] if lang == "zh" and pair[1] else pair[0]
    return text.format(**fmt) if fmt else text


def has(key: str) -> bool:
    """Whether `key` has a label."""
    return key in _LABELS


def keys() -> list[str]:
    """Every label key (for tests)."""
    return list(_LABELS)
