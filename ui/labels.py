"""The page's table of figures: label, unit, display factor and a one-sentence definition,
in English and Chinese. The ONE place the page takes them from (levers: `ui.lever_labels`).

Written so that it can move into `analysis/labels.py` (the shared table for report,
comparison and browser) when that lands: each entry is plain data keyed by the figure's
name (the model's name where the model has the figure: DataCollector columns and
`simulation.metrics.summary` keys). Until then only the page reads it.

Per figure: `factor` turns the stored value into the shown one (a share 0-1 becomes %);
`decimals` the shown precision; `direction` +1 when more is better, -1 when less is
better, 0 neither. No figure depends on the share of residents simulated: units keep
their full staff and the police their full force at any scale, and each sampled resident
carries the needs of 1/scale residents, so every figure estimates the full city's.
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
_STILL = ("; needs still waiting count with their wait so far (Kaplan-Meier).",
          "；仍在等待的需求按已等待时间计入（Kaplan-Meier法）。")


def _patrol(hours: int, en: str, zh: str) -> Label:
    return Label(
        f"People patrolled, last {en}", f"近{zh}巡逻覆盖人口",
        f"Share of people, counted where they are at this hour (at home, or at work by "
        f"day), whose 100 m cell a police officer or an auxiliary on patrol (joint-defence, "
        f"governance staff, JISCO patrol teams) passed in the last {en}.",
        f"按此刻所在位置（在家，或白天在单位）计的人口中，所在100米网格近{zh}内有民警或辅助巡逻人员"
        f"（联防队员、综治员、酒钢巡逻队）经过的比例。",
        direction=+1, **_PCT)


#: Figures of a run, in the order the page shows them.
FIGURES: dict[str, Label] = {
    "response_median_h": Label(
        "Response time, median", "响应时间中位数",
        "Half of the needs reported so far got a first response (a unit or officer with "
        "the power for the matter starts on it) within this many hours of arising"
        + _STILL[0],
        "截至目前已上报的需求中，一半在产生后这么多小时内得到首次响应（有权处理该事项的单位或民警开始"
        "处理）" + _STILL[1], direction=-1, **_HOURS),
    "response_p90_h": Label(
        "Response time, 90th percentile", "响应时间90分位",
        "Nine in ten of the needs reported so far got a first response within this many "
        "hours of arising (needs still waiting count with their wait so far); blank "
        "until nine in ten have one.",
        "截至目前已上报的需求中，九成在产生后这么多小时内得到首次响应（仍在等待的按已等待时间计入）；"
        "不足九成得到响应时空白。", direction=-1, **_HOURS),
    "acknowledged_median_h": Label(
        "Acknowledged, median", "受理时间中位数",
        "Half of the needs reported so far were accepted by someone (a desk, a hotline or "
        "police call-taker, a grid worker) within this many hours of arising, whether or "
        "not that unit could settle them" + _STILL[0],
        "截至目前已上报的需求中，一半在产生后这么多小时内被受理（窗口、热线或110接警员、网格员），"
        "无论受理单位能否办理" + _STILL[1], direction=-1, **_HOURS),
    "resolved_within_deadline": Label(
        "Resolved within deadline", "按期办结率",
        "Among reported needs whose deadline (2 h urgent to 15 days complex, as 12345 "
        "hotlines set them) has passed, the share settled in fact by it.",
        "已上报且办理期限（参照12345热线，紧急2小时至复杂15天）已到的需求中，按期实际办结的比例。",
        direction=+1, **_PCT),
    "reach": Label(
        "Reach: needs that reached a unit", "触达率：到达责任单位的需求",
        "Share of the needs arisen so far that reached someone responsible through any "
        "channel (walk-in, hotline, emergency call, grid worker or patrol).",
        "截至目前产生的需求中，通过任一渠道（窗口、热线、报警、网格员或巡逻）到达责任方的比例。",
        direction=+1, **_PCT),
    "service_circle_coverage": Label(
        "Within 15 min of a service point", "15分钟服务圈内居民",
        "Share of residents whose walk from home to the nearest service point that takes "
        "walk-ins is at most 15 minutes.",
        "从家步行到最近的可办事服务点不超过15分钟的居民比例。", direction=+1, **_PCT),
    "service_circle_coverage_authority": Label(
        "Within 15 min of a unit that can settle it", "15分钟内可办结",
        "Share of residents within 15 minutes' walk of a service point that can itself "
        "settle their commonest matter (elderly care, registration or welfare).",
        "步行15分钟内有能自行办结其最常见事项（养老、登记或社保）的服务点的居民比例。",
        direction=+1, **_PCT),
    "service_circle_coverage_open_hours": Label(
        "… and open when they are free", "……且在其空闲时开放",
        "As the line above, and that unit is open at a time of an ordinary week when the "
        "resident is free long enough to walk there, be served and walk back.",
        "同上一行，且该单位在居民平常一周中有足够空闲往返并办事的时段开放。",
        direction=+1, **_PCT),
    "patrol_coverage_1h": _patrol(1, "hour", "1小时"),
    "patrol_coverage_4h": _patrol(4, "4 hours", "4小时"),
    "patrol_coverage_24h": _patrol(24, "24 hours", "24小时"),
    "police_p1_within_target": Label(
        "Urgent police calls reached in target", "紧急警情按时到场",
        "Share of priority-1 emergency calls so far where an officer was on site within "
        "the target (8 minutes by default); a call still unanswered past it counts as "
        "missed.",
        "截至目前一级紧急报警中，民警在目标时间（默认8分钟）内到场的比例；超过目标仍未到场的计为未达标。",
        direction=+1, **_PCT),
    "visit_coverage": Label(
        "Scheduled visits on time", "按时走访",
        "Share of the visits due so far to vulnerable and special-population residents "
        "(every 30 days) that were made on time.",
        "截至目前应对困难群体和特殊人群开展的定期走访（每30天）中按时完成的比例。",
        direction=+1, **_PCT),
    "community_utilisation": Label(
        "Community staff busy", "社区人员负荷",
        "Share of the paid hours of all community (and village centre) staff spent on "
        "work so far: walk-ins, cases, referrals, tasks from above, visits and rounds.",
        "截至目前所有社区（及村级中心）工作人员带薪工时中用于工作的比例：接待、案件、转办、上级任务、"
        "走访和巡查。", direction=-1, **_PCT),
    "tasks_overdue": Label(
        "Task items overdue", "逾期任务",
        "Items of administrative tasks from above (forms, inspections, campaigns, "
        "meetings) finished after their deadline, or still open past it, so far.",
        "截至目前上级下派的行政任务（报表、检查、活动、会议）中逾期完成或逾期未完成的件数。",
        direction=-1),
    "backlog": Label(
        "Backlog: reported, not settled", "积压：已上报未办结",
        "Needs that reached someone responsible and are neither settled nor given up.",
        "已到达责任方、既未办结也未放弃的需求数。", direction=-1),
    "open_needs": Label(
        "Open needs (reported or not)", "未结需求（含未上报）",
        "Needs that have arisen and are neither settled nor given up, reported or not.",
        "已产生、既未办结也未放弃的需求数，无论是否上报。", direction=-1),
    "repeat_contacts": Label(
        "Repeat contacts", "重复诉求",
        "Times residents came back about a need after their first contact (it failed, or "
        "was not settled).", "居民首次联系后就同一需求再次联系的次数（未办好或未办结）。",
        direction=-1),
    "petitions": Label(
        "Petitions", "信访", "Disputes that turned into petitions (上访) so far.",
        "截至目前转为上访的纠纷数。", direction=-1),
    "mean_trust": Label(
        "Mean trust", "平均信任度",
        "Residents' average trust in local government, from 0 (none) to 1 (full); each "
        "case moves it by its response time against what the resident expected.",
        "居民对基层政府的平均信任度，0（无）到1（完全）；每个案件按响应时间与居民预期的差距调整。",
        unit_en="0-1", unit_zh="0-1", decimals=3, direction=+1),
    "needs_arisen": Label(
        "Needs arisen", "已产生需求", "Needs that have arisen so far in the city.",
        "截至目前全市产生的需求数。"),
    "resolved": Label(
        "Settled", "已办结", "Needs settled in fact so far.", "截至目前实际办结的需求数。",
        direction=+1),
    "gave_up": Label(
        "Gave up", "放弃",
        "Needs whose resident gave up: never reached anyone responsible, or abandoned "
        "after a failed attempt.", "居民放弃的需求数：始终未联系到责任方，或办理失败后放弃。",
        direction=-1),
    "calls_waiting": Label(
        "Emergency calls waiting", "等待出警",
        "Emergency calls waiting for a free police officer right now.",
        "此刻正在等待空闲民警出警的报警数。", direction=-1),
}

#: Figures of one community, for the community panel.
COMMUNITY_FIGURES: dict[str, Label] = {
    "residents": Label("Residents", "居民", "Residents of the community (estimated for the "
                       "whole city when only a share is simulated).",
                       "该社区的居民数（只模拟部分居民时按全市估算）。"),
    "needs_arisen": FIGURES["needs_arisen"],
    "response_median_h": FIGURES["response_median_h"],
    "resolved_within_deadline": FIGURES["resolved_within_deadline"],
    "reach": FIGURES["reach"],
    "open_needs": FIGURES["open_needs"],
    "backlog": FIGURES["backlog"],
    "service_circle_coverage": FIGURES["service_circle_coverage"],
    "service_circle_coverage_authority": FIGURES["service_circle_coverage_authority"],
    "patrol_coverage_24h": Label(
        "People patrolled, last 24 hours", "近24小时巡逻覆盖人口",
        "Share of the people in the community now (where they are at this hour) whose "
        "cell a patrol passed in the last 24 hours.",
        "此刻位于该社区内的人口中，所在网格近24小时内有巡逻经过的比例。", direction=+1, **_PCT),
    "staff": Label("Staff at its service centre", "社区服务中心工作人员",
                   "Front-desk staff, caseworkers and grid workers of the community's unit.",
                   "该社区单位的窗口人员、办事人员和网格员。"),
    "utilisation": Label(
        "Staff busy so far", "人员负荷",
        "Share of the unit's staff's paid hours spent on work so far (walk-ins, cases, "
        "referrals, tasks, visits, rounds).",
        "截至目前该单位工作人员带薪工时中用于工作（接待、案件、转办、任务、走访、巡查）的比例。",
        direction=-1, **_PCT),
    "queued": Label("Work waiting now", "当前待办",
                    "Items of work (walk-ins, cases, referrals, tasks, visits) waiting for a "
                    "free member of staff at the unit right now.",
                    "此刻在该单位等待空闲工作人员的工作项（来访、案件、转办、任务、走访）数。",
                    direction=-1),
    "open_cases": Label("Cases at the unit now", "当前在办案件",
                        "Residents' cases waiting at, or being worked on by, the unit now.",
                        "此刻在该单位排队或正在办理的居民案件数。", direction=-1),
    "tasks_overdue": Label("Task items done late", "逾期完成任务",
                           "Items of tasks from above the unit finished after their "
                           "deadline so far.", "截至目前该单位逾期完成的上级任务件数。",
                           direction=-1),
    "police_bases": Label("Police bases in it", "辖区内警务站点",
                          "Police stations or community police offices in the community.",
                          "位于该社区的派出所或社区警务室数。"),
    "police_on_duty": Label("Police on duty in it now", "此刻在社区内执勤的警力",
                            "Officers and joint-defence members on duty whose position is "
                            "inside the community right now.",
                            "此刻位置在该社区内的在岗民警与联防队员数。"),
}


def figure(key: str) -> Label:
    """The figure `key`'s label (KeyError for an unknown figure)."""
    return FIGURES.get(key) or COMMUNITY_FIGURES[key]


#: Columns of a batch's runs table that `analysis.compare.FIGURES` does not label:
#: column -> (label en, label zh, unit en, unit zh, display factor).
BATCH_COLUMNS: dict[str, tuple[str, str, str, str, float]] = {
    "cases.unreached": ("Unreached needs", "未触达需求", "", "", 1.0),
    "cases.gave_up": ("Gave up after reaching a unit", "触达后放弃", "", "", 1.0),
    "patrol_coverage_1h": ("Patrol coverage (1 h)", "1小时巡逻覆盖率", "%", "%", 100.0),
    "patrol_coverage_4h": ("Patrol coverage (4 h)", "4小时巡逻覆盖率", "%", "%", 100.0),
    "police_p1_within_target": ("Urgent police calls reached in target", "紧急警情按时到场",
                                "%", "%", 100.0),
    "service_circle_coverage_authority": ("Within 15 min of a unit that can settle it",
                                          "15分钟内可办结", "%", "%", 100.0),
    "service_circle_coverage_open_hours": ("… and open when they are free",
                                           "……且在其空闲时开放", "%", "%", 100.0),
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
