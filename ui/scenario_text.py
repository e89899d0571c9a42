"""Scenario titles and descriptions for the page, in English and Chinese.

English comes from the scenario files (`title`, `description`). Chinese comes from the
files too if they ever carry `title_zh` / `description_zh` (not read by the scenario
loader today), else from the table below, keyed by scenario name; a scenario missing
from both shows its English text. `short` names are for one-line verdicts.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass

#: name: (short en, short zh, title zh, description zh)
_ZH: dict[str, tuple[str, str, str, str]] = {
    "hierarchy_2011": (
        "Hierarchy 2011", "2011层级制", "街道层级制（2011）",
        "改革前的嘉峪关：69个城市社区隶属6个街道办、3个区；居委会7名工作人员，可以服务但没有审批和"
        "执法权，办不了的事项逐级上交，每一层审核签批；市级部门经区和街道办下派任务，上级监督下级；"
        "派出所警务、车巡；无12345热线，无大调解中心；城乡户籍分设；村民到镇政府办事；无平安细胞创建；"
        "无网格化。其他情景均以此为基础；未写明的数值取参数表默认值（docs/ODD.md列出来源）。"),
    "flat_2012": (
        "Flat 2012", "2012扁平化", "扁平化社区管理（2012改革）",
        "文章所述的改革：撤销街道办；69个社区合并为30个（文章称“约1万居民”，此处约7300人，23.2万"
        "居民中94%在城区），各设不少于1500平方米、27名工作人员、承接大部分政府职能的一站式服务中心；"
        "社区警务室配民警、综治员和联防队员包片负责；12345热线联动派单；大调解中心；城乡户籍统一；"
        "村级便民服务中心干部坐班；与酒钢共建平安和谐细胞；网格化管理。2009–2019年的三个区作为行政"
        "区域保留在社区之上：下派任务、各监督约十个社区、审核上报市里的事项；审批和执法仍归市级职能部门。"),
    "flat_2012_surge": (
        "Flat 2012, surge", "扁平化+激增", "扁平化改革遇两周需求激增",
        "压力测试：第7天起两周内各类需求发生率为平时的2.5倍（疫情、洪水、裁员潮）时的2012年改革。"
        "激增的额外需求来自独立的随机流，同一种子下的常规需求与flat_2012完全相同。"),
    "flat_equal_staff": (
        "Flat, 2011 headcount", "扁平化+2011编制", "扁平化改革保持2011年编制",
        "完整的2012年改革，但只有2011年的787名机关工作人员（含各层级、热线接线员与调解员）：社区"
        "中心分得其余人员，每个约19人而非27人。起作用的是结构还是新增人员？"),
    "flat_structure_only": (
        "Flat structure only", "仅扁平结构", "仅改变管理结构",
        "只改结构：撤销街道办，30个大社区采用2012年的人员标准、服务权限和用房。警务、热线、调解、户籍、"
        "村级服务、平安细胞和网格化保持2011年状态。与hierarchy_2011比较看结构本身的作用，"
        "与flat_2012比较看其他措施的作用。"),
    "hierarchy_2011_surge": (
        "Hierarchy 2011, surge", "层级制+激增", "街道层级制遇两周需求激增",
        "与flat_2012_surge相同的两周激增（第7天起发生率为平时的2.5倍）作用于2011年结构，比较两种结构"
        "的承受能力。"),
    "hierarchy_plus_grid": (
        "Hierarchy + grid", "层级制+网格化", "2011层级制+网格化责任制",
        "只加网格化：社区网格员巡查包片区域，在需求上报前发现需求（定期走访之外）；其他保持2011年状态。"),
    "hierarchy_plus_hotline": (
        "Hierarchy + hotline", "层级制+热线", "2011层级制+12345热线",
        "成本最低的单项措施：在旧结构上开通联动派单的12345热线。接线员全天候接听，把服务事项和投诉"
        "直接派给有权限的单位；需要审批的申请仍从来电者所在社区窗口开始。其他保持2011年状态。"),
    "hierarchy_plus_mediation": (
        "Hierarchy + mediation", "层级制+大调解", "2011层级制+大调解中心",
        "只加大调解中心：社区调解不了的纠纷直接交市级中心，不再经街道办和区逐级上交；其他保持2011年状态。"),
    "hierarchy_plus_police_embedding": (
        "Hierarchy + police offices", "层级制+社区警务", "2011层级制+社区警务室",
        "只改警力部署：同样240名民警从6个派出所下沉到社区警务室（每社区一个）包片负责、步行巡逻，并配"
        "2012年的联防队员和综治员；其他保持2011年状态。"),
    "hierarchy_plus_safe_cells": (
        "Hierarchy + safe cells", "层级制+平安细胞", "2011层级制+平安和谐细胞",
        "只加平安和谐细胞创建：十个领域的参与降低其中的治安事件和纠纷，酒钢厂区巡逻队巡查工业区及"
        "周边住宅；其他保持2011年状态。"),
    "hierarchy_plus_staff": (
        "Hierarchy + 2012 staff", "层级制+2012人员", "2011层级制+2012年社区人员编制",
        "只增人员：把2012年改革的810名社区工作人员分到69个旧社区（每个约12人而非7人），结构、权限"
        "与转办不变；其他保持2011年状态。"),
    "hierarchy_plus_unification": (
        "Hierarchy + registration", "层级制+户籍统一", "2011层级制+城乡户籍统一",
        "只统一城乡户籍：农业户籍居民的社会保障需求同样符合条件，并与城镇居民一样经社区渠道办理，"
        "不再去镇上的农村办公室；其他保持2011年状态。"),
    "hierarchy_plus_village_centres": (
        "Hierarchy + village centres", "层级制+村级中心", "2011层级制+村级便民服务中心",
        "只加村级便民服务中心：17个村各设中心、干部坐班，享有扁平化社区的权限，不再只在3个镇政府"
        "办事；其他保持2011年状态。"),
    "streets_2019": (
        "Streets 2019", "2019街道制", "两个街道办、无区（2019）",
        "2019年的结构：撤销区，重设两个街道办（雄关和钢城，记录中分别辖17和14个社区），共31个"
        "社区；2012年的其他措施保留。街道办重新成为市里的派出机关：下派任务、监督所辖社区、审核签批"
        "上报职能部门的事项，并协调这些部门在辖区内的工作。"),
    "hierarchy_2011_grown": (
        "Hierarchy 2011, grown", "层级制+七年增长", "街道层级制（2011），七年增长之后",
        "同一结构经过七年增长，即2019年嘉峪关重设街道办时的情形：居民每年约增加1%（2010和2015年"
        "人口普查），上级任务每年增加5%（假设：2011年居委会已不堪重负，事项持续下沉），运行期间仍在"
        "增长。三种结构增长相同，三个“增长”情景回答负荷加重后中间层是否值得。"),
    "flat_2012_grown": (
        "Flat 2012, grown", "扁平化+七年增长", "扁平化社区管理（2012改革），七年增长之后",
        "同一结构经过七年增长，即2019年嘉峪关重设街道办时的情形：居民每年约增加1%（2010和2015年"
        "人口普查），上级任务每年增加5%（假设：2011年居委会已不堪重负，事项持续下沉），运行期间仍在"
        "增长。三种结构增长相同，三个“增长”情景回答负荷加重后中间层是否值得。"),
    "streets_2019_grown": (
        "Streets 2019, grown", "街道制+七年增长", "两个街道办、无区（2019），七年增长之后",
        "同一结构经过七年增长，即2019年嘉峪关重设街道办时的情形：居民每年约增加1%（2010和2015年"
        "人口普查），上级任务每年增加5%（假设：2011年居委会已不堪重负，事项持续下沉），运行期间仍在"
        "增长。三种结构增长相同，三个“增长”情景回答负荷加重后中间层是否值得。"),
    "hierarchy_2011_calibrated": (
        "Hierarchy 2011, calibrated", "层级制（校准）", "街道层级制（2011），按改革前数据校准",
        "2011年的街道层级制，其行为参数（各级决策周期、办结成功率、办理所需时间、"
        "居民决定反映的时间、移交准备时间）由 run.py calibrate 拟合到改革前的替代数据："
        "审批事项约20天办结（铜陵），城市管理问题约一周解决（北京东城），"
        "热线投诉约53%解决（北京12345）。拟合效果及目标无法确定的参数见docs/ODD.md第10节。"),
    "flat_2012_calibrated": (
        "Flat 2012, calibrated city", "扁平化（校准城市）",
        "扁平化社区管理（2012改革），基于校准后的城市",
        "与 flat_2012 完全相同的改革措施（30个社区承接服务、撤销街道办、社区警务室、"
        "12345热线、大调解中心、户籍统一、村级服务中心、平安细胞、网格责任），"
        "但叠加在校准后的2011年城市之上，"
        "而不是默认参数：在与改革前数据相符的旧城市上评判改革。"),
}


@dataclass(frozen=True)
class ScenarioText:
    name: str
    title: str
    description: str
    title_zh: str
    description_zh: str
    short: str
    short_zh: str

    def title_in(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title

    def description_in(self, lang: str) -> str:
        return self.description_zh if lang == "zh" else self.description

    def short_in(self, lang: str) -> str:
        return self.short_zh if lang == "zh" else self.short


@functools.lru_cache(maxsize=64)
def _text(name: str, path: str, _mtime: int) -> ScenarioText:
    from simulation.scenario import load

    sc = load(path)
    with open(path, "rb") as fh:  # optional Chinese keys in the file itself
        raw = tomllib.load(fh)
    title = sc.title or name
    desc = " ".join(sc.description.split())
    short, short_zh, title_zh, desc_zh = _ZH.get(name, (title, "", "", ""))
    title_zh = raw.get("title_zh") or title_zh or title
    desc_zh = raw.get("description_zh") or desc_zh or desc
    return ScenarioText(name, title, desc, title_zh, desc_zh, short, short_zh or title_zh)


def scenario_text(name: str) -> ScenarioText:
    """Title, description and short name of the scenario file `name` in `scenarios/`."""
    from simulation.scenario import available

    for p in available():
        if p.stem == name:
            return _text(name, str(p), p.stat().st_mtime_ns)
    return ScenarioText(name, name, "", name, "", name, name)


def has_chinese(name: str) -> bool:
    return name in _ZH
