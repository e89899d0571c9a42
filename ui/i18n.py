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
    "view.workshop": ("Workshop", "研讨对比"),
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
    "map.hint": ("Click a community to see its figures", "点击社区查看其指标"),
    "map.scale": ("Scale bar", "比例尺"),
    "map.zoom_in": ("Zoom in", "放大"),
    "map.zoom_out": ("Zoom out", "缩小"),
    "map.zoom_fit": ("Whole map", "显示全图"),
    "layer": ("Layer", "图层"),
    "layer.none": ("No layer", "无图层"),
    "layer.none.help": ("Only the city, its people and open needs.",
                        "只显示城市、人员和未结需求。"),
    "layer.circle": ("15-min circle", "15分钟服务圈"),
    "layer.circle.help": ("Inhabited cells within 15 minutes' walk of a service point that takes "
                          "walk-ins (green) and beyond (red): the figure 'Within 15 min of a "
                          "service point'.",
                          "距可办事服务点步行15分钟内（绿）与以外（红）的有人居住网格，即“15分钟服务圈内居民”"
                          "指标。"),
    "layer.circle_authority": ("15 min, can settle", "15分钟可办结"),
    "layer.circle_authority.help": (
        "Per inhabited cell, the share of its residents within 15 minutes' walk of a unit "
        "that can itself settle their commonest matter: the figure 'Within 15 min of a "
        "unit that can settle it'.",
        "每个有人居住网格中，步行15分钟内有能自行办结其最常见事项的单位的居民比例，即“15分钟内可办结”指标。"),
    "layer.patrol1": ("Patrolled, 1 h", "巡逻1小时"),
    "layer.patrol4": ("Patrolled, 4 h", "巡逻4小时"),
    "layer.patrol24": ("Patrolled, 24 h", "巡逻24小时"),
    "layer.reach": ("Reach", "触达率"),
    "layer.reach.help": ("Each community coloured by its reach so far: the share of its "
                         "residents' needs that reached someone responsible.",
                         "按截至目前的触达率为各社区着色：居民需求到达责任方的比例。"),
    "layer.load": ("Staff load", "人员负荷"),
    "layer.load.help": ("Each community coloured by its staff utilisation so far: the share "
                        "of its staff's paid hours spent on work (walk-ins, cases, referrals, "
                        "tasks from above, visits, rounds).",
                        "按截至目前的人员负荷为各社区着色：工作人员带薪工时中用于工作（接待、案件、转办、"
                        "上级任务、走访、巡查）的比例。"),
    "legend.population": ("residents per cell (darker = more)", "每格居民（越深越多）"),
    "legend.industrial": ("industrial zone (JISCO)", "工业区（酒钢）"),
    "legend.commercial": ("commercial", "商业区"),
    "legend.scenic": ("scenic area", "景区"),
    "legend.village": ("village land", "村庄"),
    "legend.empty": ("desert, empty", "戈壁、空地"),
    "legend.community": ("community boundary", "社区边界"),
    "legend.street_office": ("street-office boundary", "街道办边界"),
    "legend.selected": ("selected community", "选中的社区"),
    "legend.service_point": ("service point (walk-ins)", "服务点（窗口）"),
    "legend.station": ("police station", "派出所"),
    "legend.post": ("community police office", "社区警务室"),
    "legend.jisco_base": ("JISCO patrol base", "酒钢巡逻队驻地"),
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
    "legend.patrolled1": ("people here, patrolled in the last hour", "有人，近1小时有巡逻"),
    "legend.patrolled4": ("people here, patrolled in the last 4 h", "有人，近4小时有巡逻"),
    "legend.patrolled24": ("people here, patrolled in the last 24 h", "有人，近24小时有巡逻"),
    "legend.unpatrolled": ("people here, not patrolled", "有人，无巡逻"),
    "legend.power_all": ("all residents can settle it within 15 min", "全部居民15分钟内可办结"),
    "legend.power_some": ("some can", "部分居民可以"),
    "legend.power_none": ("none can", "无居民可以"),
    "legend.reach0": ("no need reached a unit", "无需求触达"),
    "legend.reach50": ("half reached", "一半触达"),
    "legend.reach100": ("all reached", "全部触达"),
    "legend.nodata": ("no needs yet", "尚无需求"),
    "legend.nodata_load": ("no paid hours yet", "尚未到工作时间"),
    "legend.load0": ("staff idle", "人员空闲"),
    "legend.load50": ("busy half the time", "一半时间忙碌"),
    "legend.load100": ("busy all the time", "全部时间忙碌"),
    # community panel
    "community.hint": ("Click a community on the map to see its figures, staff load, open "
                       "cases and police.",
                       "点击地图上的社区，查看其指标、人员负荷、未结案件和警力。"),
    "community.word": ("Community", "社区"),
    "community.village": ("village", "村"),
    "community.close": ("Close", "关闭"),
    "role.front_desk": ("front desk", "窗口"),
    "role.caseworker": ("caseworkers", "办事人员"),
    "role.grid_worker": ("grid workers", "网格员"),
    # figures
    "figures": ("Figures so far", "当前指标"),
    "charts": ("Figures over time", "指标随时间变化"),
    "chart.day": ("day", "天"),
    "chart.response": ("Response time (h)", "响应时间（小时）"),
    "chart.backlog": ("Backlog", "积压案件"),
    "chart.coverage": ("Coverage and reach (%)", "覆盖率与触达率（%）"),
    "chart.trust": ("Mean trust", "平均信任度"),
    "chart.load": ("Community staff busy (%)", "社区人员负荷（%）"),
    "chart.deadline": ("in deadline", "按期办结"),
    "chart.median": ("median", "中位数"),
    "chart.p90": ("p90", "90分位"),
    "chart.reach": ("reach", "触达率"),
    "chart.patrol": ("patrol 24 h", "巡逻24h"),
    # workshop
    "side.a": ("Side A", "方案A"),
    "side.b": ("Side B", "方案B"),
    "difference": ("Difference: B − A and which side is better", "差异：B − A 及哪一方更优"),
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
    "column.runs": ("Runs", "运行次数"),
    "column.scenario": ("Scenario", "情景"),
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
    "choice.station": ("precinct stations", "派出所"),
    "choice.community": ("community police offices", "社区警务室"),
    "choice.deadline": ("earliest deadline first", "期限最早优先"),
    "choice.fifo": ("first come, first served", "先到先办"),
    "choice.cases_first": ("residents' matters first", "居民事项优先"),
    "choice.evaluation": ("what the unit is scored on first (考核)", "考核事项优先"),
    "choice.beat_first": ("the beat's officers first (包片)", "本片区民警优先（包片）"),
    "choice.nearest": ("nearest free officer", "最近的空闲民警"),
    # added for the workshop screen and the facilitator's tools
    "levers.fix": ("Fix the levers marked in red first:", "请先修正标红的参数："),
    "reset.help": ("Rebuild the run at day 1 with the levers, seed, share and horizon shown.",
                   "按当前参数、种子、比例和天数从第1天重新运行。"),
    "speed.help": ("Simulated hours per frame while playing.", "播放时每帧模拟的小时数。"),
    "runto": ("Run to day", "运行到第几天"),
    "runto.day": ("Day", "天"),
    "runto.help": ("Run at once to the start of the day given (no drawing on the way).",
                   "立即运行到指定日期的开始（中间不绘图）。"),
    "scale.note": ("A share of {scale:g} of the residents is simulated, each carrying the "
                   "needs of {inv:.0f}; staff and police are at full strength, so the figures "
                   "estimate the whole city's, with more chance variation than at share 1.",
                   "模拟{scale:g}的居民，每人承担{inv:.0f}人的需求；人员与警力保持全额，各项指标仍估计全市"
                   "水平，但随机波动比比例为1时更大。"),
    "verdict.wait": ("Press Play or Step: the verdicts appear once needs have arisen.",
                     "点击“播放”或“前进”：产生需求后显示结论。"),
    "workshop.run": ("Same seed {seed}, share {scale:g}, {days} days",
                     "同一种子{seed}，比例{scale:g}，{days}天"),
    "workshop.settings": ("Seed, share of residents, horizon (applied by Reset)",
                          "种子、居民比例、天数（点击“重置”生效）"),
    "tools": ("Facilitator's tools", "主持人工具"),
    "setup.save": ("Save this setup (TOML)", "保存当前设置（TOML）"),
    "setup.load": ("Load a setup (a file saved here)", "载入设置（此处保存的文件）"),
    "setup.load.help": ("Choose or drop a setup file saved with 'Save this setup': both sides "
                        "are rebuilt at day 1 with its scenarios, levers, seed, share and "
                        "horizon.", "选择或拖入用“保存当前设置”保存的文件：两侧按其中的情景、参数、"
                        "种子、比例和天数从第1天重建。"),
    "setup.bad": ("This setup cannot be used", "该设置无法使用"),
    "setup.loaded": ("Loaded {name}: both sides rebuilt at day 1.",
                     "已载入{name}：两侧从第1天重建。"),
    "handout.png": ("Handout (PNG)", "讲义（PNG）"),
    "handout.pdf": ("Handout (PDF)", "讲义（PDF）"),
    "handout.legend": ("Maps: grey cells = residents (darker = more); lilac = JISCO industrial "
                       "zone; lines = community (grey) and street-office (purple) boundaries; "
                       "white squares = service points; navy squares = police stations, small "
                       "blue squares = community police offices; dots = "
                       "police (blue), joint-defence (teal), grid workers (green); open needs "
                       "by waiting time: yellow < 1 h, orange < 1 day, red < 1 week, dark red "
                       "longer.",
                       "地图：灰色格=居民（越深越多）；淡紫色=酒钢工业区；线=社区（灰）与街道办（紫）边界；"
                       "白色方块=服务点；深蓝方块=派出所，蓝色小方块=社区警务室；圆点=民警（蓝）、联防队员（青）、网格员（绿）；"
                       "未结需求按等待时间：黄<1小时，橙<1天，红<1周，深红更久。"),
    "handout.note": ("Simulated, not measured: one run of a model of Jiayuguan; both sides "
                     "face the same residents and needs (same seed).",
                     "模拟结果而非实测：嘉峪关模型的一次运行；两侧面对相同的居民和需求（同一种子）。"),
}


for _h, _en, _zh in ((1, "hour", "1小时"), (4, "4 hours", "4小时"), (24, "24 hours", "24小时")):
    _LABELS[f"layer.patrol{_h}.help"] = (
        f"Cells where people are at this hour (at home, or at work by day): patrolled by "
        f"police or auxiliaries in the last {_en} (purple) or not (pink). The figure "
        f"'People patrolled, last {_en}' weights them by the people in them.",
        f"此刻有人所在（在家或白天在单位）的网格：近{_zh}内有民警或辅助巡逻人员经过（紫）或没有（粉）；"
        f"“近{_zh}巡逻覆盖人口”指标按网格内人数加权。")


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
