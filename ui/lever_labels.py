"""The page's table of levers and run settings: label and a one-sentence definition in
English and Chinese (the figures are in the one table of figures, `analysis.labels`).
Keys are scenario keys, or the page's own `seed`, `scale` and `days`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    """One lever: label, unit and definition in English and Chinese."""

    en: str
    zh: str
    define_en: str
    define_zh: str
    unit_en: str = ""
    unit_zh: str = ""

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def unit(self, lang: str) -> str:
        return self.unit_zh if lang == "zh" else self.unit_en

    def definition(self, lang: str) -> str:
        return self.define_zh if lang == "zh" else self.define_en

LEVERS: dict[str, Label] = {
    "seed": Label("Seed", "随机种子", "Fixes the city, its residents and their needs: the "
                  "same seed gives the same run, and both workshop sides share it.",
                  "决定城市、居民及其需求：同一种子得到相同结果，研讨两侧共用同一种子。"),
    "scale": Label("Share of residents simulated", "模拟居民比例",
                   "1 simulates every resident (about 232,000); less samples them, each "
                   "carrying the needs of 1/share residents, while staff and police stay at "
                   "full strength: the figures still estimate the whole city's, with more "
                   "chance variation.",
                   "1表示模拟全部居民（约23.2万）；小于1则抽样，每个样本居民承担1/比例个居民的需求，人员与警力"
                   "保持全额：各项指标仍估计全市水平，只是随机波动更大。"),
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
    "routing.direct_referral": Label(
        "Refer straight to the unit with the power", "直接转给有权单位",
        "A unit that cannot settle a matter sends it straight to the lowest unit above it "
        "that can, instead of up one layer at a time (层层上报).",
        "无权办理的单位把事项直接转给其上有权办理的最低一级单位，而不是逐级上报。"),
    "decision.cycle_days.city": Label(
        "City departments decide every", "市级部门决策周期",
        "Days between the city departments' decision meetings on matters that need "
        "approval or enforcement (0 = at once, 7 = weekly).",
        "市级部门就需审批或执法的事项开会决策的间隔天数（0=即时，7=每周）。",
        unit_en="days", unit_zh="天"),
    "police.embedding": Label(
        "Police based at", "警力部署",
        "Officers work from precinct stations, or partly from community police offices "
        "responsible for their community's area.",
        "民警驻派出所，或部分驻社区警务室并对社区片区负责。"),
    "police.embedded_share": Label(
        "Share of officers in community offices", "下沉社区警务室的民警比例",
        "With community police offices: the share of officers posted there rather than at "
        "the stations.", "设社区警务室时，驻警务室（而非派出所）的民警比例。"),
    "police.dispatch_rule": Label(
        "Police dispatch", "派警规则",
        "Who is sent to an incident: the nearest free officer of its beat first (包片), or "
        "the nearest free officer anywhere.",
        "派谁处警：先派该片区最近的空闲民警（包片），或派全市最近的空闲民警。"),
    "police.officers": Label(
        "Police officers", "民警人数", "Police officers in the city.", "全市民警人数。"),
    "police.joint_defence": Label(
        "Joint-defence members", "联防队员人数",
        "Auxiliary joint-defence members who patrol on foot.", "步行巡逻的联防队员人数。"),
    "hotline.enabled": Label(
        "12345 government hotline", "12345政府服务热线",
        "Residents can call a 24-hour hotline whose operators send the case on.",
        "居民可拨打24小时热线，由接线员派转案件。"),
    "hotline.misroute_share": Label(
        "Hotline cases sent to the wrong unit", "热线错派比例",
        "Share of the cases the hotline dispatches to a wrong unit, which sends them back "
        "to the hotline.", "热线派单中派错单位、被退回热线的比例。"),
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
    "staff.community_scale": Label(
        "Community staff multiplier", "社区人员倍数",
        "Multiplies every community role's staff (1 = as the scenario has it).",
        "社区各岗位人员数的倍数（1=情景原值）。"),
    "staff.priority": Label(
        "What staff do first", "工作优先规则",
        "Among all the work waiting at a unit: the earliest deadline, first come, "
        "residents' matters before work from above, or what the unit is scored on (考核).",
        "单位待办工作中先做什么：期限最早的、先到的、居民事项优先于上级任务，或先做考核计分的事项。"),
    "tasks.volume_multiplier": Label(
        "Tasks from above multiplier", "上级任务量倍数",
        "Multiplies how many administrative tasks the city departments issue (1 = normal).",
        "市级部门下派行政任务数量的倍数（1=正常）。"),
    "needs.rate_multiplier": Label(
        "Need rate multiplier", "需求发生率倍数",
        "Multiplies how often residents develop needs of every kind (1 = normal).",
        "所有类型需求发生频率的倍数（1=正常）。"),
}


def lever(key: str) -> Label | None:
    return LEVERS.get(key)
