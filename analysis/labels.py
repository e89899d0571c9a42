"""The one table of figures: key -> English and Chinese label, unit, display factor,
whether lower is better, and a one-sentence definition in both languages.

A figure's key is its dotted name in a run's flattened summary and in a batch's runs
table (`response_time_min.median`, `load.office_utilisation`); the model reports it in
its own unit (minutes, shares, yuan) and `factor` turns that into the unit shown (hours,
per cent, million yuan). The report, the comparison, the command line's tables and the
browser all read labels from here (the browser through `ui.labels`, which only picks
`LIVE` and `COMMUNITY`), so adding a figure is one line in `_TABLE`; code that shows a
figure skips it where a run does not have it. The browser's figures so far use the
summary's key and unit where the summary has the same figure
(`response_time_km_min.median` in minutes, `tasks.overdue`); the hourly series' columns
(`backlog`, `calls_waiting`, `open_needs`, `needs_arisen`, `community_utilisation`, ...)
are keys of their own, and so are the community panel's figures (`community.<name>`,
shown under `<name>`).
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

    def definition(self, lang: str = "en") -> str:
        """The one-sentence definition in `lang`."""
        return self.define_zh if lang == "zh" else self.define_en

    @property
    def unit_en(self) -> str:
        """The unit as shown in English ("" for a count)."""
        return UNITS.get(self.unit, (self.unit, self.unit))[0]

    @property
    def unit_zh(self) -> str:
        """The unit as shown in Chinese ("小时" for hours, "" for a count)."""
        return UNITS.get(self.unit, (self.unit, self.unit))[1]

    def unit_in(self, lang: str = "en") -> str:
        """The unit as shown in `lang`."""
        return self.unit_zh if lang == "zh" else self.unit_en

    @property
    def direction(self) -> int:
        """+1 when more is better, -1 when less is better, 0 neither (`lower_is_better`)."""
        return 0 if self.lower_is_better is None else -1 if self.lower_is_better else 1

    @property
    def is_share(self) -> bool:
        """A share shown in % (its differences are percentage points)."""
        return self.unit == "%"

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


_STILL = ("; needs still waiting count with their wait so far (Kaplan-Meier).",
          "；仍在等待的需求按已等待时间计入（Kaplan-Meier法）。")


def _patrol(hours: int, short: str, en: str, zh: str) -> Figure:
    return _f(f"patrol_coverage_{hours}h", f"Patrol coverage ({short})",
              f"{zh}巡逻覆盖率", "%", 100, False,
              f"Share of people, counted where they are at that hour (at home, or at work by "
              f"day), whose 100 m cell a police officer or an auxiliary on patrol "
              f"(joint-defence, governance staff, JISCO patrol teams) passed in the last {en}.",
              f"按当时所在位置（在家，或白天在单位）计的人口中，所在100米网格近{zh}内有民警或辅助"
              f"巡逻人员（联防队员、综治员、酒钢巡逻队）经过的比例。")


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
       "Half of the needs reported (by the end of the run, or so far) got a first response "
       "(a unit or officer with the power for the matter starts on it) within this time "
       "of arising" + _STILL[0],
       "已上报的需求中（截至模拟结束或目前），一半在产生后这么长时间内得到首次响应（有权处理该事项"
       "的单位或民警开始处理）" + _STILL[1]),
    _f("response_time_km_min.p90", "Response time, p90 incl. still waiting",
       "响应时间90分位（含未响应）", "h", _H, True,
       "Nine in ten of the needs reported (by the end of the run, or so far) got a first "
       "response within this time of arising (needs still waiting count with their wait so "
       "far, Kaplan-Meier); blank until nine in ten have one.",
       "已上报的需求中（截至模拟结束或目前），九成在产生后这么长时间内得到首次响应（仍在等待的按已"
       "等待时间计入，Kaplan-Meier法）；不足九成得到响应时空白。"),
    _f("acknowledged_time_km_min.median", "Acknowledged, median incl. still waiting",
       "受理时间中位数（含未受理）", "h", _H, True,
       "Half of the needs reported (by the end of the run, or so far) were accepted by "
       "someone (a desk, a hotline or police call-taker, a grid worker) within this time of "
       "arising, whether or not that unit could settle them" + _STILL[0],
       "已上报的需求中（截至模拟结束或目前），一半在产生后这么长时间内被受理（窗口、热线或110接警员、"
       "网格员），无论受理单位能否办理" + _STILL[1]),
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
       "Among reported needs whose deadline (2 h urgent to 15 days complex, as 12345 "
       "hotlines set them) has passed, by the end of the run or so far, the share really "
       "resolved by it.",
       "已上报且办理期限（参照12345热线，紧急2小时至复杂15天）在模拟结束前或截至目前已到的需求中，"
       "按期真正解决的比例。"),
    # coverage and reach
    _f("service_circle_coverage", "Service-circle coverage", "15分钟服务圈覆盖率", "%", 100,
       False, "Share of residents whose walk from home to the nearest service point that "
       "takes walk-ins is at most 15 minutes.",
       "从家步行到最近的可办事服务点不超过15分钟的居民比例。"),
    _f("service_circle_coverage_authority", "Service circle, a unit with the power",
       "15分钟内有权办理单位", "%", 100, False,
       "Share of residents within 15 minutes' walk of a unit that can itself settle their "
       "commonest matter (elderly care, registration or welfare).",
       "步行15分钟内可到达能自行办理其最常见事项（养老、登记或社保）的单位的居民比例。"),
    _f("service_circle_coverage_open_hours", "Service circle, when they are free",
       "15分钟内且开放时可去", "%", 100, False,
       "The same, and the unit is open at a time of an ordinary week when the resident is "
       "free long enough to walk there, be served and walk back.",
       "同上，且该单位在居民平常一周的空闲时间内开放、足够往返并办理。"),
    _patrol(1, "1 h", "hour", "1小时"),
    _patrol(4, "4 h", "4 hours", "4小时"),
    _patrol(24, "24 h", "24 hours", "24小时"),
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
       "the target (8 minutes by default); a call still unanswered past it counts as missed.",
       "一级紧急警情中民警在目标时间（默认8分钟）内到场的比例；超过目标仍未到场的计为未达标。"),
    _f("visit_coverage", "Visit coverage", "走访覆盖率", "%", 100, False,
       "Share of the scheduled visits due (every 30 days, to vulnerable and "
       "special-population residents) that were made on time.",
       "应对困难群体和特殊人群开展的定期走访（每30天）中按时完成的比例。"),
    _f("reach", "Reach", "诉求触达率", "%", 100, False,
       "Share of the needs arisen that reached someone responsible through any channel "
       "(walk-in, hotline, emergency call, grid worker or patrol).",
       "已产生的需求中，通过任一渠道（窗口、热线、报警、网格员或巡逻）到达责任方的比例。"),
    _f("repeat_contacts", "Repeat contacts", "重复诉求次数", "count", 1, True,
       "Times residents came back about a need after their first contact (it failed, or "
       "was not resolved).", "居民首次联系后就同一需求再次联系的次数（未办好或未解决）。"),
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
       "Task items (one per task per unit) of administrative tasks from above (forms, "
       "inspections, campaigns, meetings) done after their deadline, or still open past "
       "it, by the end of the run or so far.",
       "上级下派的行政任务（报表、检查、活动、会议）中逾期完成或到期仍未完成的任务条目数（每项任务在"
       "每个单位计一条；截至模拟结束或目前）。"),
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
    _f("mean_trust", "Mean trust", "平均信任度", "", 1, False,
       "Residents' mean trust in local government, from 0 (none) to 1 (full), averaged over "
       "the run (the browser: at that hour); each case moves it by its response time "
       "against what the resident expected.",
       "居民对基层政府的平均信任度，0（无）到1（完全），取模拟期内均值（浏览器中为该时刻的值）；"
       "每个案件按响应时间与居民预期的差距调整。", decimals=3),
    _f("mean_trust_end", "Mean trust at the end", "期末平均信任度", "", 1, False,
       "Residents' mean trust in local government (0 to 1) at the end of the run.",
       "模拟结束时居民对基层政府的平均信任度（0至1）。", decimals=3),
    # hourly series (timeseries tables, the browser's live figures)
    _f("backlog", "Backlog: reported, not resolved", "积压：已上报未解决", "count", 1, True,
       "Needs that reached someone responsible and are neither resolved nor given up at "
       "that hour.", "该时刻已到达责任方、既未解决也未放弃的需求数。"),
    _f("calls_waiting", "Emergency calls waiting", "等待出警", "count", 1, True,
       "Emergency calls waiting for a free police officer at that hour.",
       "该时刻等待空闲民警出警的紧急呼叫数。"),
    _f("open_needs", "Open needs (reported or not)", "未结需求（含未上报）", "count", 1, True,
       "Needs arisen and not yet resolved or given up, reported or not, at that hour.",
       "该时刻已产生、尚未解决或放弃的需求数（含未上报）。"),
    _f("needs_arisen", "Needs arisen", "已产生需求", "count", 1, None,
       "Needs that have arisen in the city by that hour.", "截至该时刻全市产生的需求数。"),
    _f("resolved", "Resolved", "已解决", "count", 1, False,
       "Needs really resolved by that hour.", "截至该时刻真正解决的需求数。"),
    _f("gave_up", "Gave up", "放弃", "count", 1, True,
       "Needs whose resident gave up by that hour: never reached anyone responsible, or "
       "abandoned after a failed attempt.",
       "截至该时刻居民放弃的需求数：始终未联系到责任方，或办理失败后放弃。"),
    _f("community_utilisation", "Community staff busy", "社区人员负荷", "%", 100, True,
       "Share of the paid hours of all community (and village centre) staff spent on work "
       "by that hour: walk-ins, cases, referrals, tasks from above, visits and rounds.",
       "截至该时刻所有社区（及村级中心）工作人员带薪工时中用于工作的比例：接待、案件、转办、"
       "上级任务、走访和巡查。"),
    # one community (the browser's community panel)
    _f("community.residents", "Residents", "居民", "count", 1, None,
       "Residents of the community (estimated for the whole city when only a share is "
       "simulated).", "该社区的居民数（只模拟部分居民时按全市估算）。"),
    _f("community.patrol_coverage_24h", "People patrolled, last 24 hours",
       "近24小时巡逻覆盖人口", "%", 100, False,
       "Share of the people in the community now (where they are at this hour) whose cell a "
       "patrol passed in the last 24 hours.",
       "此刻位于该社区内的人口中，所在网格近24小时内有巡逻经过的比例。"),
    _f("community.staff", "Staff at its service centre", "社区服务中心工作人员", "count", 1,
       None, "Front-desk staff, caseworkers and grid workers of the community's unit.",
       "该社区单位的窗口人员、办事人员和网格员。"),
    _f("community.utilisation", "Staff busy so far", "人员负荷", "%", 100, True,
       "Share of the unit's staff's paid hours spent on work so far (walk-ins, cases, "
       "referrals, tasks, visits, rounds).",
       "截至目前该单位工作人员带薪工时中用于工作（接待、案件、转办、任务、走访、巡查）的比例。"),
    _f("community.queued", "Work waiting now", "当前待办", "count", 1, True,
       "Items of work (walk-ins, cases, referrals, tasks, visits) waiting for a free member "
       "of staff at the unit right now.",
       "此刻在该单位等待空闲工作人员的工作项（来访、案件、转办、任务、走访）数。"),
    _f("community.open_cases", "Cases at the unit now", "当前在办案件", "count", 1, True,
       "Residents' cases waiting at, or being worked on by, the unit now.",
       "此刻在该单位排队或正在办理的居民案件数。"),
    _f("community.tasks_overdue", "Task items done late", "逾期完成任务", "count", 1, True,
       "Items of tasks from above the unit finished after their deadline so far.",
       "截至目前该单位逾期完成的上级任务件数。"),
    _f("community.police_bases", "Police bases in it", "辖区内警务站点", "count", 1, None,
       "Police stations or community police offices in the community.",
       "位于该社区的派出所或社区警务室数。"),
    _f("community.police_on_duty", "Police on duty in it now", "此刻在社区内执勤的警力",
       "count", 1, None, "Officers and joint-defence members on duty whose position is "
       "inside the community right now.", "此刻位置在该社区内的在岗民警与联防队员数。"),
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


#: The figures of a run the browser shows, in its order (its figures so far, at the hour
#: shown: the hourly series' columns and the case figures in hours).
LIVE = ("response_time_km_min.median", "response_time_km_min.p90",
        "acknowledged_time_km_min.median",
        "resolved_within_deadline", "reach", "service_circle_coverage",
        "service_circle_coverage_authority", "service_circle_coverage_open_hours",
        "patrol_coverage_1h", "patrol_coverage_4h", "patrol_coverage_24h",
        "police_p1_within_target", "visit_coverage", "community_utilisation",
        "tasks.overdue", "backlog", "open_needs", "repeat_contacts", "petitions",
        "mean_trust", "needs_arisen", "resolved", "gave_up", "calls_waiting")
#: The figures of one community the browser's community panel shows, in its order: the
#: panel's key, whose figure is `community.<key>` where the table has one, else `<key>`.
COMMUNITY = ("residents", "needs_arisen", "response_time_km_min.median",
             "resolved_within_deadline",
             "reach", "open_needs", "backlog", "service_circle_coverage",
             "service_circle_coverage_authority", "patrol_coverage_24h", "staff",
             "utilisation", "queued", "open_cases", "tasks_overdue", "police_bases",
             "police_on_duty")


def community_figure(key: str) -> Figure:
    """The figure the community panel shows under `key` (KeyError for an unknown one)."""
    return FIGURES.get(f"community.{key}") or FIGURES[key]


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
