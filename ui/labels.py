"""The page's table of figures and levers: label, unit, display factor and a one-sentence
definition, in English and Chinese. The ONE place the page takes them from.

Written so that it can move into `analysis/labels.py` (the shared table for report,
comparison and browser) when that lands: each entry is plain data keyed by the figure's
or lever's name. Until then only the page reads it (through `ui.figures`).

Per figure: `factor` turns the stored value into the shown one (a share 0-1 becomes %);
`decimals` the shown precision; `direction` +1 when more is better, -1 when less is
better, 0 neither; `scale_dependent` marks figures that change with the share of
residents simulated (`--scale`; counts of needs, and coverage while staff and police
still scale with residents), so the page can warn when a run is not at full scale.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    """One figure or lever: label, unit and definition in English and Chinese."""

    en: str
    zh: str
    define_en: str
    define_zh: str
    unit_en: str = ""
    unit_zh: str = ""
    factor: float = 1.0
    decimals: int = 0
    direction: int = 0
    scale_dependent: bool = False

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def unit(self, lang: str) -> str:
        return self.unit_zh if lang == "zh" else self.unit_en

    def definition(self, lang: str) -> str:
        return self.define_zh if lang == "zh" else self.define_en

    @property
    def is_share(self) -> bool:
        """A share shown in % (its differences are percentage points)."""
        return self.unit_en == "%"


_PCT = {"unit_en": "%", "unit_zh": "%", "factor": 100.0, "decimals": 1}
_HOURS = {"unit_en": "h", "unit_zh": "小时", "decimals": 1}

#: Figures of a run, in the order the page shows them.
FIGURES: dict[str, Label] = {
    "response_median_h": Label(
        "Response time, median", "响应时间中位数",
        "Half of the needs reported so far got a first response (a responsible worker or "
        "officer starts on it) within this many hours of arising; needs still waiting "
        "count with their wait so far (Kaplan-Meier).",
        "截至目前已上报的需求中，一半在产生后这么多小时内得到首次响应（责任人员开始处理）；"
        "仍在等待的需求按已等待时间计入（Kaplan-Meier法）。",
        direction=-1, scale_dependent=True, **_HOURS),
    "response_p90_h": Label(
        "Response time, 90th percentile", "响应时间90分位",
        "Nine in ten of the needs reported so far got a first response within this many "
        "hours of arising (needs still waiting count with their wait so far); blank "
        "until nine in ten have one.",
        "截至目前已上报的需求中，九成在产生后这么多小时内得到首次响应（仍在等待的按已等待时间计入）；"
        "不足九成得到响应时空白。",
        direction=-1, scale_dependent=True, **_HOURS),
    "service_circle_coverage": Label(
        "Residents within the 15-minute service circle", "15分钟服务圈内居民",
        "Share of residents whose walk to the nearest service point that takes walk-ins "
        "is at most 15 minutes.",
        "步行到最近的可办事服务点不超过15分钟的居民比例。",
        direction=+1, **_PCT),
    "patrol_coverage_24h": Label(
        "Inhabited cells patrolled, last 24 h", "近24小时巡逻覆盖的有人居住网格",
        "Share of inhabited cells (100 m squares where someone lives) that a police "
        "officer, joint-defence member or grid worker passed in the last 24 hours.",
        "近24小时内有民警、联防队员或网格员经过的有人居住网格（100米见方）所占比例。",
        direction=+1, scale_dependent=True, **_PCT),
    "visit_coverage": Label(
        "Scheduled visits on time", "按时走访",
        "Share of the visits due so far to vulnerable and special-population residents "
        "(every 30 days) that were made on time.",
        "截至目前应对困难群体和特殊人群开展的定期走访（每30天）中按时完成的比例。",
        direction=+1, scale_dependent=True, **_PCT),
    "reach": Label(
        "Reach: needs that reached a unit", "触达率：到达责任单位的需求",
        "Share of the needs arisen so far that reached a responsible unit through any "
        "channel (walk-in, hotline, emergency call, grid worker or patrol).",
        "截至目前产生的需求中，通过任一渠道（窗口、热线、报警、网格员或巡逻）到达责任单位的比例。",
        direction=+1, **_PCT),
    "backlog": Label(
        "Backlog: reported, not resolved", "积压：已上报未解决",
        "Needs that reached a unit and are not yet resolved, among the residents "
        "simulated.",
        "已到达责任单位但尚未解决的需求数（按模拟的居民计）。",
        direction=-1, scale_dependent=True),
    "open_needs": Label(
        "Open needs (reported or not)", "未结需求（含未上报）",
        "Needs that have arisen and are neither resolved nor given up, reported or not.",
        "已产生、既未解决也未放弃的需求数，无论是否上报。",
        direction=-1, scale_dependent=True),
    "petitions": Label(
        "Petitions", "信访",
        "Disputes that turned into petitions (上访) so far.",
        "截至目前转为上访的纠纷数。",
        direction=-1, scale_dependent=True),
    "mean_trust": Label(
        "Mean trust", "平均信任度",
        "Residents' average trust in local government, from 0 (none) to 1 (full); each "
        "case moves it by its response time against what the resident expected.",
        "居民对基层政府的平均信任度，0（无）到1（完全）；每个案件按响应时间与居民预期的差距调整。",
        unit_en="0-1", unit_zh="0-1", decimals=3, direction=+1),
    "needs_arisen": Label(
        "Needs arisen", "已产生需求",
        "Needs that have arisen so far among the residents simulated.",
        "截至目前模拟居民中产生的需求数。", scale_dependent=True),
    "resolved": Label(
        "Resolved", "已解决",
        "Needs resolved so far.", "截至目前已解决的需求数。",
        direction=+1, scale_dependent=True),
    "unreached": Label(
        "Unreached (gave up)", "未触达（放弃）",
        "Needs whose resident gave up without reaching anyone responsible.",
        "居民未能联系到任何责任单位而放弃的需求数。",
        direction=-1, scale_dependent=True),
    "calls_waiting": Label(
        "Emergency calls waiting", "等待出警",
        "Emergency calls waiting for a free police officer right now.",
        "此刻正在等待空闲民警出警的报警数。",
        direction=-1, scale_dependent=True),
}

#: Figures of one community, for the community panel.
COMMUNITY_FIGURES: dict[str, Label] = {
    "residents": Label("Residents simulated", "模拟居民", "Residents of the community "
                       "in this run.", "本次运行中该社区的居民数。"),
    "needs_arisen": FIGURES["needs_arisen"],
    "response_median_h": FIGURES["response_median_h"],
    "reach": FIGURES["reach"],
    "open_needs": FIGURES["open_needs"],
    "backlog": FIGURES["backlog"],
    "service_circle_coverage": FIGURES["service_circle_coverage"],
    "patrol_coverage_24h": FIGURES["patrol_coverage_24h"],
    "staff": Label("Staff at its service centre", "社区服务中心工作人员",
                   "Front-desk staff, caseworkers and grid workers of the community's unit.",
                   "该社区单位的窗口人员、办事人员和网格员。"),
    "utilisation": Label(
        "Staff utilisation so far", "工作人员忙碌比例",
        "Share of the unit's paid office time its desk staff and caseworkers spent busy "
        "with walk-ins, cases and hand-offs so far.",
        "截至目前该单位窗口人员与办事人员在工作时间内处理来访、案件和转办的忙碌时间比例。",
        direction=-1, **_PCT),
    "queue": Label("Waiting in its queues now", "当前排队", "Walk-ins and cases waiting "
                   "for a free member of staff at the unit right now.",
                   "此刻在该单位排队等待空闲工作人员的来访和案件数。", direction=-1),
    "police_bases": Label("Police bases in it", "辖区内警务站点",
                          "Police stations or community police offices in the community.",
                          "位于该社区的派出所或社区警务室数。"),
    "police_on_duty": Label("Police on duty in it now", "此刻在社区内执勤的警力",
                            "Officers and joint-defence members on duty whose position is "
                            "inside the community right now.",
                            "此刻位置在该社区内的在岗民警与联防队员数。"),
}

#: Levers and run settings (scenario keys, or the page's own seed/scale/days).
LEVERS: dict[str, Label] = {
    "seed": Label("Seed", "随机种子", "Fixes the city, its residents and their needs: the "
                  "same seed gives the same run, and both workshop sides share it.",
                  "决定城市、居民及其需求：同一种子得到相同结果，研讨两侧共用同一种子。"),
    "scale": Label("Share of residents simulated", "模拟居民比例",
                   "1 simulates every resident (about 232,000); less samples them and "
                   "scales staff and police with them, which changes figures marked *.",
                   "1表示模拟全部居民（约23.2万）；小于1则抽样模拟，人员与警力按比例缩减，标*的指标会随之变化。"),
    "days": Label("Horizon", "模拟天数", "How many days the run lasts.", "运行持续的天数。",
                  unit_en="days", unit_zh="天"),
    "structure.communities": Label(
        "Urban communities", "城市社区数",
        "How many communities the urban area is divided into (69 before 2012, 30 after).",
        "城区划分的社区数（2012年前69个，之后30个）。"),
    "structure.street_offices": Label(
        "Street offices (0 = none)", "街道办事处（0=撤销）",
        "Street offices between districts and communities; 0 removes the layer.",
        "区与社区之间的街道办事处数；0表示撤销这一层级。"),
    "structure.districts": Label(
        "Districts (0 = none)", "区（0=无）",
        "Administrative districts above the street offices.", "街道之上的行政区数。"),
    "structure.grid_responsibility": Label(
        "Grid responsibility", "网格化包片责任制",
        "Grid workers walk assigned areas and find needs before residents report them.",
        "网格员巡查包片区域，在居民上报前发现需求。"),
    "structure.village_service_centres": Label(
        "Village service centres", "村级便民服务中心",
        "Villages get their own one-stop service centre instead of going to the town.",
        "村设一站式便民服务中心，村民无需到镇上办事。"),
    "police.embedding": Label(
        "Police based at", "警力部署",
        "Officers work from precinct stations, or from community police offices "
        "responsible for their community's area.",
        "民警驻派出所，或驻社区警务室并对社区片区负责。"),
    "police.officers": Label(
        "Police officers", "民警人数", "Police officers in the city (at full scale).",
        "全市民警人数（全规模）。"),
    "police.joint_defence": Label(
        "Joint-defence members", "联防队员人数",
        "Auxiliary joint-defence members who patrol on foot (at full scale).",
        "步行巡逻的联防队员人数（全规模）。"),
    "hotline.enabled": Label(
        "12345 government hotline", "12345政府服务热线",
        "Residents can call a 24-hour hotline that passes the case to a unit with "
        "authority.", "居民可拨打24小时热线，热线将案件转给有权限的单位。"),
    "mediation.centre": Label(
        "City mediation centre", "大调解中心",
        "A city centre that takes disputes that communities cannot settle.",
        "受理社区无法调解的纠纷的市级中心。"),
    "registration.unified": Label(
        "Unified urban-rural registration", "城乡户籍统一",
        "Rural residents are eligible for the same eight welfare services as urban ones.",
        "农村居民与城镇居民同等享有八项社会保障与服务。"),
    "safe_cells.enabled": Label(
        "Safe-and-harmonious-cells campaign", "平安和谐细胞创建",
        "JISCO and other employers field patrol teams and lower incidents among their "
        "employees.", "酒钢等企业组建巡逻队，减少员工相关的治安事件。"),
    "staff.community.front_desk": Label(
        "Front-desk staff per community", "每社区窗口人员",
        "Staff who serve walk-ins at each community's service centre.",
        "每个社区服务中心接待来访的人员数。"),
    "staff.community.caseworker": Label(
        "Caseworkers per community", "每社区办事人员",
        "Staff who handle cases passed to or up from each community.",
        "每个社区处理案件和转办的人员数。"),
    "staff.community.grid_worker": Label(
        "Grid workers per community", "每社区网格员",
        "Staff who visit vulnerable residents and, with grid responsibility, walk the area.",
        "走访困难群体、实行网格化时巡查片区的人员数。"),
    "needs.rate_multiplier": Label(
        "Need rate multiplier", "需求发生率倍数",
        "Multiplies how often residents develop needs of every kind (1 = normal).",
        "所有类型需求发生频率的倍数（1=正常）。"),
}


def figure(key: str) -> Label:
    """The figure `key`'s label (KeyError for an unknown figure)."""
    return FIGURES.get(key) or COMMUNITY_FIGURES[key]


def lever(key: str) -> Label | None:
    return LEVERS.get(key)


#: Columns of a batch's runs table that `analysis.compare.FIGURES` does not label:
#: column -> (label en, label zh, unit en, unit zh, display factor).
BATCH_COLUMNS: dict[str, tuple[str, str, str, str, float]] = {
    "resolved_within_target": ("Resolved within deadline", "按期办结", "%", "%", 100.0),
    "cases.unreached": ("Unreached needs", "未触达需求", "", "", 1.0),
    "mean_trust_end": ("Mean trust at the end", "期末平均信任度", "0-1", "0-1", 1.0),
    "load.office_staff": ("Office staff (full scale)", "机关工作人员（全规模）", "", "", 1.0),
    "runs": ("Runs", "运行次数", "", "", 1.0),
    "scenario": ("Scenario", "情景", "", "", 1.0),
}


def batch_column(column: str, lang: str) -> tuple[str, float]:
    """How the page shows a batch column: ("label (unit)", display factor). Columns
    known to `analysis.compare` use its labels, units and factors (hours, %)."""
    try:
        from analysis.compare import FIGURES as COMPARE
    except ImportError:  # pragma: no cover - analysis is part of the project
        COMPARE = {}
    f = COMPARE.get(column)
    if f is not None:
        unit = {"count": ""}.get(f.unit, f.unit)
        unit = {"million CNY": "百万元"}.get(unit, unit) if lang == "zh" else unit
        if lang == "zh" and unit == "h":
            unit = "小时"
        name = f.label_zh if lang == "zh" else f.label
        return (f"{name} ({unit})" if unit else name), f.factor
    b = BATCH_COLUMNS.get(column)
    if b is not None:
        name, unit = (b[1], b[3]) if lang == "zh" else (b[0], b[2])
        return (f"{name} ({unit})" if unit else name), b[4]
    return column, 1.0
