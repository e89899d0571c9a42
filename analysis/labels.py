"""The one table of figures: key -> English and Chinese label, unit, display factor,
whether lower is better, and a one-sentence definition in both languages.

A figure's key is its dotted name in a run's flattened summary and in a batch's runs
table (`response_time_min.median`, `load.office_utilisation`); the model reports it in
its own unit (minutes, shares, yuan) and `factor` turns that into the unit shown (hours,
per cent, million yuan). The report, the comparison, the command line's tables and the
browser all read labels from here, so adding a figure is one line in `FIGURES`; code
that shows a figure skips it where a run does not have it. A live figure of the browser
that means the same as a summary figure is shown under the summary figure's key
(`response_time_min.median` for the median response so far, `cases.total` for the needs
arisen so far); the hourly series' columns (`backlog`, `calls_waiting`, `open_needs`,
`mean_trust`, `petitions`) are keys of their own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Figure:
    """One figure and how to show it.

    Attributes:
        key: dotted name in the flattened summary and the runs table.
        en, zh: short labels, without the unit.
        unit: the unit shown ("h", "min", "%", "count", "million CNY", or "").
        factor: shown value = stored value x factor.
        lower_is_better: the direction of "better" (None: neither, e.g. a count of staff).
        define_en, define_zh: one sentence saying what it measures.
        decimals: decimals shown.
    """

    key: str
    en: str
    zh: str
    unit: str
    factor: float
    lower_is_better: bool | None
    define_en: str
    define_zh: str
    decimals: int = 1

    # the names under which the comparison and the browser read a figure
    @property
    def column(self) -> str:
        return self.key

    @property
    def label(self) -> str:
        return self.en

    @property
    def label_zh(self) -> str:
        return self.zh

    def name(self, lang: str = "en") -> str:
        """The label in `lang` ("en" or "zh"), without the unit."""
        return self.zh if lang == "zh" else self.en

    def title(self, lang: str = "en") -> str:
        """The label with its unit, e.g. "Response time, median (h)"."""
        unit = UNITS.get(self.unit, (self.unit, self.unit))[lang == "zh"]
        return f"{self.name(lang)} ({unit})" if unit else self.name(lang)

    def shown(self, value: Any) -> float | None:
        """The stored value in the unit shown (None if missing or not a number)."""
        if value is None or isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return None if math.isnan(value) else value * self.factor

    def format(self, value: Any) -> str:
        """The value as the tables print it ("-" when missing)."""
        shown = self.shown(value)
        if shown is None:
            return "-"
        if self.unit == "count" and float(shown).is_integer():
            return f"{int(shown):,}"
        return f"{shown:,.{self.decimals}f}"


#: Units in English and Chinese ("count" is shown without a unit).
UNITS: dict[str, tuple[str, str]] = {
    "h": ("h", "小时"), "min": ("min", "分钟"), "%": ("%", "%"), "count": ("", ""),
    "million CNY": ("million CNY", "百万元"), "": ("", ""),
}

_H, _MIN = 1 / 60, 1.0


def _f(key: str, en: str, zh: str, unit: str, factor: float, lower: bool | None,
       define_en: str, define_zh: str, decimals: int = 1) -> Figure:
    return Figure(key, en, zh, unit, factor, lower, define_en, define_zh, decimals)


_TABLE = (
    # needs and their fate
    _f("cases.total", "Needs arisen", "已产生需求", "count", 1, None,
       "Needs that arose for residents during the run.", "模拟期内居民产生的需求数。"),
    _f("cases.resolved", "Resolved", "已解决", "count", 1, None,
       "Needs really resolved by the end of the run.", "模拟结束时真正解决的需求数。"),
    _f("cases.in_progress", "In progress", "处理中", "count", 1, None,
       "Needs reported and not yet resolved at the end of the run.",
       "模拟结束时已上报但尚未解决的需求数。"),
    _f("cases.gave_up", "Gave up after reporting", "上报后放弃", "count", 1, True,
       "Needs reported and then given up by their residents before a resolution.",
       "已上报、但居民在解决前放弃的需求数。"),
    _f("cases.unreached", "Unreached (gave up)", "未触达（放弃）", "count", 1, True,
       "Needs whose residents gave up without reaching any responsible unit.",
       "居民放弃、未到达任何责任单位的需求数。"),
    # times
    _f("response_time_min.mean", "Response time, mean", "响应时间均值", "h", _H, True,
       "Mean time from a need's onset to the first response by someone responsible.",
       "从需求产生到责任人首次响应的平均时间。"),
    _f("response_time_min.median", "Response time, median", "响应时间中位数", "h", _H, True,
       "Median time from a need's onset to the first response, among needs responded to.",
       "已响应需求从产生到首次响应时间的中位数。"),
    _f("response_time_min.p90", "Response time, 90th percentile", "响应时间90分位", "h", _H,
       True, "Time within which 90 % of the responded needs got their first response.",
       "90%已响应需求得到首次响应所用的时间。"),
    _f("response_time_km_min.median", "Response time, median incl. still waiting",
       "响应时间中位数（含未响应）", "h", _H, True,
       "Kaplan-Meier median time to first response, counting needs still waiting at the "
       "end as censored.", "将模拟结束时仍在等待的需求作为删失数据，用Kaplan-Meier法估计的"
       "首次响应时间中位数。"),
    _f("response_time_km_min.p90", "Response time, p90 incl. still waiting",
       "响应时间90分位（含未响应）", "h", _H, True,
       "Kaplan-Meier 90th percentile of the time to first response, with censoring.",
       "考虑删失数据的首次响应时间90分位（Kaplan-Meier法）。"),
    _f("acknowledged_time_min.median", "Acknowledged, median",
       "受理时间中位数", "h", _H, True,
       "Median time from a need's onset to its acknowledgement by the unit that takes it.",
       "从需求产生到受理单位确认受理的时间中位数。"),
    _f("response_parts_min.reporting_delay", "Reporting delay, mean", "上报延迟均值", "h", _H,
       True, "Mean time from onset until the need is reported through a channel.",
       "从需求产生到通过某一渠道上报的平均时间。"),
    _f("response_parts_min.routing_delay", "Routing and hand-offs, mean", "流转与移交均值",
       "h", _H, True, "Mean time a reported need spends being routed and handed between "
       "units.", "已上报需求在各单位之间流转、移交的平均时间。"),
    _f("response_parts_min.queue_wait", "Queue wait, mean", "排队等待均值", "h", _H, True,
       "Mean time a need waits in a unit's queue for its staff.",
       "需求在单位队列中等待工作人员的平均时间。"),
    _f("response_parts_min.travel", "Police travel, mean", "出警途中时间均值", "min", _MIN,
       True, "Mean travel time of the responder to the place of the need.",
       "响应人员赶到需求地点的平均途中时间。"),
    _f("by_kind.public_order.response_time_min.median", "Public-order response, median",
       "治安事件响应时间中位数", "min", _MIN, True,
       "Median time from a public-order incident to the first police response.",
       "治安事件从发生到警方首次响应时间的中位数。"),
    _f("resolution_time_min.median", "Resolution time, median", "办结时间中位数", "h", _H,
       True, "Median time from onset to resolution, among resolved needs.",
       "已解决需求从产生到解决时间的中位数。"),
    _f("resolution_time_min.p90", "Resolution time, 90th percentile", "办结时间90分位", "h",
       _H, True, "Time within which 90 % of the resolved needs were resolved.",
       "90%已解决需求办结所用的时间。"),
    _f("resolved_within_deadline", "Resolved within the 12345 deadline",
       "12345时限内办结率", "%", 100, False,
       "Share of reported needs, whose deadline has passed by the end, really resolved "
       "within the 12345 deadline for their kind.",
       "截至模拟结束已到期的上报需求中，在12345热线规定时限内真正解决的比例。"),
    # coverage and reach
    _f("service_circle_coverage", "Service-circle coverage", "15分钟服务圈覆盖率", "%", 100,
       False, "Share of residents within 15 minutes' walk of a service point.",
       "步行15分钟内可到达服务点的居民比例。"),
    _f("service_circle_coverage_authority", "Service circle, a unit with the power",
       "15分钟内有权办理单位", "%", 100, False,
       "Share of residents within 15 minutes' walk of a unit that can itself settle their "
       "commonest matter.", "步行15分钟内可到达能自行办理其最常见事项的单位的居民比例。"),
    _f("service_circle_coverage_open_hours", "Service circle, when they are free",
       "15分钟内且开放时可去", "%", 100, False,
       "The same, and the unit is open at a time of an ordinary week when the resident is "
       "free long enough to walk there, be served and walk back.",
       "同上，且该单位在居民平常一周的空闲时间内开放、足够往返并办理。"),
    _f("patrol_coverage_1h", "Patrol coverage (1 h)", "1小时巡逻覆盖率", "%", 100, False,
       "Share of people, counted where they are at that hour, whose cell a patrol passed "
       "within the last hour.", "按当时所在位置计，所在网格在过去1小时内有巡逻经过的人口比例。"),
    _f("patrol_coverage_4h", "Patrol coverage (4 h)", "4小时巡逻覆盖率", "%", 100, False,
       "Share of people, where they are, whose cell a patrol passed within the last 4 hours.",
       "按当时所在位置计，所在网格在过去4小时内有巡逻经过的人口比例。"),
    _f("patrol_coverage_24h", "Patrol coverage (24 h)", "24小时巡逻覆盖率", "%", 100, False,
       "Share of people, where they are, whose cell a patrol passed within the last 24 "
       "hours.", "按当时所在位置计，所在网格在过去24小时内有巡逻经过的人口比例。"),
    _f("incidents_found_in_time", "Unreported incidents found", "未报警事件被巡逻发现",
       "%", 100, False, "Share of public-order incidents nobody called in that a patrol "
       "found while they were still going on.",
       "无人报警的治安事件中，巡逻在事件持续期间发现的比例。"),
    _f("police_response_min.median", "Police response, median", "出警响应时间中位数", "min",
       _MIN, True, "Median time from a public-order incident to an officer on site.",
       "治安事件从发生到民警到场时间的中位数。"),
    _f("police_response_min.p90", "Police response, 90th percentile", "出警响应时间90分位",
       "min", _MIN, True, "Time within which 90 % of incidents had an officer on site.",
       "90%治安事件民警到场所用的时间。"),
    _f("police_p1_within_target", "Priority-1 calls reached in target", "一级警情按时到场率",
       "%", 100, False, "Share of priority-1 emergency calls with an officer on site within "
       "the target (8 minutes by default).",
       "一级紧急警情中民警在目标时间（默认8分钟）内到场的比例。"),
    _f("visit_coverage", "Visit coverage", "走访覆盖率", "%", 100, False,
       "Share of residents due a scheduled visit who got it on time.",
       "应受走访的居民中按时得到走访的比例。"),
    _f("reach", "Reach", "诉求触达率", "%", 100, False,
       "Share of needs that reached any responsible unit.", "到达任一责任单位的需求比例。"),
    _f("repeat_contacts", "Repeat contacts", "重复诉求次数", "count", 1, True,
       "Times residents contacted again about a need that was not resolved.",
       "居民就未解决的需求再次提出诉求的次数。"),
    _f("misrouted", "Misrouted hotline cases", "热线错派件数", "count", 1, True,
       "Hotline cases sent to the wrong unit, which sent them back to the hotline.",
       "热线派错单位、被退回热线重新派单的案件数。"),
    _f("mean_handoffs", "Hand-offs per reported need", "每件上报需求的移交次数", "count", 1,
       True, "Mean number of times a reported need was handed from one unit to another.",
       "每件上报需求在单位之间被移交的平均次数。", decimals=2),
    # load and cost
    _f("load.office_staff", "Office staff", "办事人员", "count", 1,
       None, "Staff of every office unit of the city.", "全市各办事单位的工作人员总数。"),
    _f("load.staff_per_10k", "Office staff per 10,000 residents", "每万居民办事人员", "", 1,
       None, "Office staff per 10,000 residents.", "每一万名居民对应的办事人员数。"),
    _f("load.staff_per_community", "Office staff per community", "每社区办事人员", "", 1,
       None, "Staff of a community unit, on average.", "平均每个社区单位的工作人员数。"),
    _f("load.office_utilisation", "Office staff utilisation", "办事人员工作负荷", "%", 100,
       None, "Busy share of office staff's paid hours.", "办事人员带薪工作时间中忙碌的比例。"),
    _f("load.utilisation.community.all", "Community staff utilisation", "社区人员负荷", "%",
       100, True, "Busy share of the paid hours of community staff, every role.",
       "社区各岗位人员带薪工作时间中忙碌的比例。"),
    _f("load.utilisation.street_office.all", "Street-office staff utilisation",
       "街道办人员负荷", "%", 100, True,
       "Busy share of the paid hours of street-office staff, every role.",
       "街道办各岗位人员带薪工作时间中忙碌的比例。"),
    _f("load.utilisation.city.all", "City departments' utilisation", "市级部门负荷", "%",
       100, True, "Busy share of the paid hours of the city departments' staff.",
       "市级部门人员带薪工作时间中忙碌的比例。"),
    _f("tasks.issued", "Tasks from above, issued", "上级下派任务数", "count", 1, None,
       "Administrative tasks (forms, inspections, campaigns, meetings) issued to units.",
       "下派到各单位的行政任务数（报表、检查、活动、会议等）。"),
    _f("tasks.overdue", "Tasks overdue", "逾期任务数", "count", 1, True,
       "Task items (one per task per unit) done after their deadline, or still open past "
       "it.", "逾期完成或到期仍未完成的任务条目数（每项任务在每个单位计一条）。"),
    _f("cost.per_year_cny", "Yearly cost", "年度成本", "million CNY", 1e-6, True,
       "Yearly cost of staff, police, auxiliaries and floor space.",
       "人员、警力、辅助人员和场地的年度成本。"),
    # other outcomes
    _f("petitions", "Petitions", "上访件数", "count", 1, True,
       "Disputes that turned into petitions (上访).", "转为上访的纠纷件数。"),
    _f("needs_prevented", "Needs prevented (safe cells)", "平安细胞预防的需求", "count", 1,
       None, "Needs the safe-and-harmonious-cells campaign prevented.",
       "平安和谐细胞创建活动预防的需求数。"),
    _f("ineligible", "Welfare needs ineligible", "不符合条件的福利需求", "count", 1, True,
       "Welfare needs refused because the resident's registration did not qualify.",
       "因户籍不符合条件而被拒绝的福利需求数。"),
    _f("mean_trust", "Mean trust over the run", "平均信任度", "", 1, False,
       "Residents' mean trust in local government (0 to 1), averaged over the run.",
       "模拟期内居民对基层政府平均信任度（0至1）的均值。", decimals=3),
    _f("mean_trust_end", "Mean trust at the end", "期末平均信任度", "", 1, False,
       "Residents' mean trust in local government (0 to 1) at the end of the run.",
       "模拟结束时居民对基层政府的平均信任度（0至1）。", decimals=3),
    # hourly series (timeseries tables, the browser's live figures)
    _f("backlog", "Backlog: reported, not resolved", "积压：已上报未解决", "count", 1, True,
       "Needs reported and not yet resolved at that hour.", "该时刻已上报但尚未解决的需求数。"),
    _f("calls_waiting", "Emergency calls waiting", "等待出警", "count", 1, True,
       "Emergency calls waiting for an officer at that hour.", "该时刻等待民警出警的紧急呼叫数。"),
    _f("open_needs", "Open needs (reported or not)", "未结需求（含未上报）", "count", 1, True,
       "Needs arisen and not yet resolved or given up, reported or not, at that hour.",
       "该时刻已产生、尚未解决或放弃的需求数（含未上报）。"),
)

#: Every figure, by key.
FIGURES: dict[str, Figure] = {f.key: f for f in _TABLE}

#: The figures compared between scenarios (`run.py compare`, the report), in order.
COMPARED = ("response_time_min.median", "response_time_min.p90",
            "response_time_km_min.median", "acknowledged_time_min.median",
            "resolution_time_min.median", "resolved_within_deadline",
            "load.utilisation.community.all", "load.utilisation.city.all", "tasks.overdue",
            "service_circle_coverage", "service_circle_coverage_authority",
            "service_circle_coverage_open_hours", "patrol_coverage_1h", "patrol_coverage_4h",
            "patrol_coverage_24h", "incidents_found_in_time", "police_response_min.median",
            "police_p1_within_target", "visit_coverage", "reach", "repeat_contacts",
            "petitions", "cost.per_year_cny")
#: The figures of a batch's closing summary (mean +- sd per scenario).
BATCH_SUMMARY = ("response_time_min.median", "resolved_within_deadline", "reach")
#: The rows of `run.py run`'s table, in order; an indented row is a part of the one above.
RUN_TABLE = (
    "cases.total", "  cases.resolved", "  cases.in_progress", "  cases.gave_up",
    "  cases.unreached", "acknowledged_time_min.median",
    "response_time_min.mean", "response_time_min.median", "response_time_min.p90",
    "  response_time_km_min.median",
    "  response_parts_min.reporting_delay", "  response_parts_min.routing_delay",
    "  response_parts_min.queue_wait", "by_kind.public_order.response_time_min.median",
    "  response_parts_min.travel", "resolution_time_min.median", "resolution_time_min.p90",
    "resolved_within_deadline", "service_circle_coverage",
    "  service_circle_coverage_authority", "  service_circle_coverage_open_hours",
    "patrol_coverage_1h", "patrol_coverage_4h", "patrol_coverage_24h",
    "incidents_found_in_time", "police_response_min.median", "police_p1_within_target",
    "visit_coverage",
    "reach", "repeat_contacts", "mean_handoffs", "misrouted",
    "load.utilisation.community.all", "load.utilisation.street_office.all",
    "load.utilisation.city.all", "load.office_utilisation", "tasks.issued", "tasks.overdue",
    "load.office_staff", "  load.staff_per_10k", "  load.staff_per_community", "petitions",
    "needs_prevented", "ineligible", "cost.per_year_cny", "mean_trust",
)


def figure(key: str) -> Figure:
    """The figure `key`; an unknown key gets a plain figure labelled by its key."""
    found = FIGURES.get(key)
    if found is not None:
        return found
    return Figure(key, key, key, "", 1.0, None, "", "")


def present(keys: tuple[str, ...] | list[str], columns: Any) -> list[Figure]:
    """The figures among `keys` that `columns` (a runs table's columns, a flat summary)
    has, in the order of `keys`."""
    have = set(columns)
    return [FIGURES[k] for k in keys if k in have and k in FIGURES]
