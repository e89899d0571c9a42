"""Every scenario parameter in one place: type, range, unit, default and source.

The schema is data. `scenario.py` validates files against it, `docs/ODD.md` lists it, and
the model reads a validated, fully filled-in scenario (a nested dict) and nothing else.
(This module is long because it is the table of every parameter; it holds no logic
beyond walking that table.)

Defaults describe the city before the reform (`hierarchy_2011`). Sources are abbreviated
(docs/ODD.md, "Sources", gives them in full):

* SEED     the 2012 source article (Gansu Daily via sina.com.cn, 2012-08-04,
           "嘉峪关社会管理创新经验推向全国");
* CENSUS   Jiayuguan census and city yearbook figures (2010, 2015);
* GB50180  national residential planning standard GB 50180-2018;
* HOTLINE  12345 hotline deadlines and operator loads used in several Chinese cities;
* POLICE   response-time practice of Chinese city police;
* GRID     Beijing Dongcheng grid management (cells of about 1 ha, walked daily);
* HUBEI2003 two Hubei communities' full work records for 2003 (1,852 and 1,886 tasks);
* YAAN2016 a 2016 survey of community work in Ya'an, Sichuan (322 work items, 26
           evaluations, 40 bodies per community);
* MCA2011  Ministry of Civil Affairs, 2011: committees overburdened, ~10,000 residents each;
* RUC2016  Renmin University review (2016) of cities that abolished street offices;
* ORGLAW   Organic Law of the Urban Residents' Committees (1989): committees are
           self-governing, not a level of government;
* MEDLAW   People's Mediation Law (2010);
* ALL      Administrative Licensing Law (2003), art. 42 and 82: a decision within 20
           working days of acceptance, extendable by 10;
* ASSUMPTION a modelling assumption with no public figure behind it, to be varied in
  sensitivity analysis.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Kinds of need, in a fixed order (the integer code of a kind is its index).
KINDS: tuple[str, ...] = (
    "welfare",
    "public_order",
    "dispute",
    "elderly_care",
    "floating_registration",
    "facility_complaint",
)
#: Kinds handled by government units (public order goes to the police).
OFFICE_KINDS: tuple[str, ...] = tuple(k for k in KINDS if k != "public_order")
#: The ten domains of the safe-and-harmonious-cells campaign (SEED).
DOMAINS: tuple[str, ...] = (
    "families", "communities", "enterprises", "government_agencies", "hospitals", "schools",
    "restaurants", "public_transport", "scenic_spots", "shops",
)
#: Administrative levels that can hold authority, bottom to top.
LEVELS: tuple[str, ...] = ("community", "street_office", "district", "village", "town")
#: Powers a matter may need (acceptance is open to every unit that takes matters in).
POWERS: tuple[str, ...] = ("serve", "approve", "enforce")
#: Rules by which staff pick their next job.
PRIORITIES: tuple[str, ...] = ("deadline", "fifo", "cases_first", "evaluation")
#: Categories of administrative task.
TASK_CATEGORIES: tuple[str, ...] = ("statistics", "meeting", "evaluation", "inspection",
                                    "household_check", "campaign")


@dataclass(frozen=True)
class Param:
    """One scenario parameter.

    Attributes:
        default: value used when no scenario file sets it.
        kind: "int", "float", "bool", "str", "kinds" (a list of kind names), "floats" (a
            list of numbers) or "records" (a list of tables, each checked against
            `record`).
        lo: smallest allowed value (numbers) or length (lists), inclusive.
        hi: largest allowed value, inclusive.
        unit: unit of the value, for documentation.
        source: where the default comes from.
        doc: what the parameter means.
        choices: allowed values for strings.
        record: for "records", the fields of one table (name -> Param).
    """

    default: Any
    kind: str
    lo: float | None = None
    hi: float | None = None
    unit: str = ""
    source: str = "ASSUMPTION"
    doc: str = ""
    choices: tuple[str, ...] | None = None
    record: dict[str, Param] | None = None


def _per_kind(values: dict[str, float], kind: str, lo: float, hi: float, unit: str,
              source: str, doc: str) -> dict[str, Param]:
    return {k: Param(v, kind, lo, hi, unit, source, f"{doc} ({k})") for k, v in values.items()}


_ALL_OFFICE = list(OFFICE_KINDS)

#: Fields of one city department (`[[departments]]`).
DEPARTMENT_FIELDS: dict[str, Param] = {
    "name": Param(None, "str", doc="identifier, referred to by `law.department` and tasks"),
    "staff": Param(6, "int", 0, 10_000, "persons", doc="staff working with the units below "
                   "(cases, tasks, supervision)"),
}
DEFAULT_DEPARTMENTS: list[dict[str, Any]] = [
    {"name": "civil_affairs", "staff": 10}, {"name": "human_resources", "staff": 6},
    {"name": "justice", "staff": 6}, {"name": "public_security", "staff": 8},
    {"name": "urban_management", "staff": 8}, {"name": "health", "staff": 4},
    {"name": "statistics", "staff": 3}, {"name": "safety", "staff": 3},
    {"name": "party_civilisation", "staff": 4},
]

#: Fields of one kind of administrative task (`[[task_types]]`). Hours of an
#: intermediate layer are per community (or village) below it, so a layer's part grows
#: with its span; a community's part is fixed (`community_h`) plus per resident.
TASK_FIELDS: dict[str, Param] = {
    "name": Param(None, "str", doc="identifier"),
    "category": Param("statistics", "str", choices=TASK_CATEGORIES, doc="kind of task"),
    "department": Param(None, "str", doc="issuing department (a `departments` name)"),
    "per_year": Param(0.0, "float", 0.0, 10_000.0, "issues per year",
                      doc="how often the task is issued (each issue reaches every community)"),
    "deadline_days": Param(7.0, "float", 0.5, 365.0, "days", doc="deadline from issue"),
    "veto": Param(False, "bool", doc="a veto item (一票否决): scored first under the "
                  "evaluation priority"),
    "community_h": Param(0.0, "float", 0.0, 1000.0, "h per community", doc="fixed work at "
                         "each community (or village)"),
    "community_min_per_resident": Param(0.0, "float", 0.0, 600.0, "min per resident",
                                        doc="work at a community per resident (household "
                                        "checks): merging communities does not reduce it"),
    "street_office_h_per_community": Param(0.0, "float", 0.0, 1000.0, "h per community",
                                           doc="street office (or town) part"),
    "district_h_per_community": Param(0.0, "float", 0.0, 1000.0, "h per community",
                                      doc="district part"),
    "department_h_per_community": Param(0.0, "float", 0.0, 1000.0, "h per community",
                                        doc="issuing department's part"),
    "relay_h": Param(0.25, "float", 0.0, 100.0, "h per unit", doc="receiving and passing the "
                     "task on, at each unit above the communities"),
    "source": Param("", "str", doc="where the figures come from"),
}


def _task(name, category, department, per_year, deadline, community_h=0.0, per_resident=0.0,
          so=0.0, district=0.0, dept=0.0, relay=0.25, veto=False, source=""):
    return {"name": name, "category": category, "department": department,
            "per_year": per_year, "deadline_days": deadline, "veto": veto,
            "community_h": community_h, "community_min_per_resident": per_resident,
            "street_office_h_per_community": so, "district_h_per_community": district,
            "department_h_per_community": dept, "relay_h": relay, "source": source}


#: About 750 tasks a community-year from above: HUBEI2003's "other administrative
#: affairs" (22-27 % of ~1,870 recorded tasks), plus inspections and statistics
#: (population management 4-6 %, sanitation and facilities); YAAN2016's 26 evaluations and
#: 40 bodies. Hours are ASSUMPTIONS.
DEFAULT_TASK_TYPES: list[dict[str, Any]] = [
    _task("forms", "statistics", "statistics", 250, 5, community_h=2.0, so=0.5, district=0.25,
          dept=0.1, source="HUBEI2003 (administrative affairs); hours ASSUMPTION"),
    _task("meetings", "meeting", "party_civilisation", 150, 3, community_h=2.5, so=0.25,
          district=0.1, dept=0.05, source="YAAN2016 (40 bodies per community); HUBEI2003; "
          "hours ASSUMPTION"),
    _task("evaluations", "evaluation", "party_civilisation", 26, 20, community_h=16.0, so=1.0,
          district=0.5, dept=0.25, relay=0.5, source="YAAN2016 (26 evaluations and awards); "
          "hours ASSUMPTION"),
    _task("inspections", "inspection", "safety", 60, 10, community_h=4.0, so=0.5, district=0.25,
          dept=0.1, veto=True, source="HUBEI2003 (public order, sanitation, facilities); "
          "safety as a veto item ASSUMPTION"),
    _task("household_checks", "household_check", "health", 8, 30, per_resident=10.0, so=2.0,
          district=0.5, dept=0.25, relay=0.5, source="HUBEI2003 (population management 4-6 %, "
          "sanitation 3-14 %); 30 min per 3-person household ASSUMPTION"),
    _task("campaigns", "campaign", "urban_management", 12, 30, community_h=24.0, so=2.0,
          district=1.0, dept=0.25, relay=0.5, source="ASSUMPTION (civilised-city and "
          "sanitation campaigns)"),
]

SCHEMA: dict[str, Any] = {
    "population": {
        "residents": Param(232_000, "int", 100, 3_000_000, "persons", "CENSUS 231,853 (2010)",
                           "resident population at scale 1"),
        "urban_share": Param(0.94, "float", 0.0, 1.0, "share", "CENSUS (urbanisation ~94 %)",
                             "share of residents living in the urban area"),
        "elderly_share": Param(0.12, "float", 0.0, 1.0, "share", "ASSUMPTION (Gansu 2010, 60+)",
                               "share of residents aged 60 or more"),
        "child_share": Param(0.16, "float", 0.0, 1.0, "share", "ASSUMPTION (Gansu 2010, 0-14)",
                             "share of residents aged under 15"),
        "floating_share": Param(0.10, "float", 0.0, 1.0, "share", "ASSUMPTION",
                                "share of urban residents who are floating population"),
        "rural_registered_urban_share": Param(
            0.06, "float", 0.0, 1.0, "share", "ASSUMPTION",
            "share of urban residents with rural household registration (village residents "
            "are all rural-registered)"),
        "jisco_share": Param(0.15, "float", 0.0, 1.0, "share of residents",
                             "ASSUMPTION (JISCO ~35,000 local staff)",
                             "residents employed by JISCO"),
        "other_employer_share": Param(0.30, "float", 0.0, 1.0, "share of residents", "ASSUMPTION",
                                      "residents employed by other enterprises"),
        "vulnerable_share": Param(0.03, "float", 0.0, 1.0, "share", "ASSUMPTION",
                                  "residents in vulnerable groups (due scheduled visits)"),
        "special_share": Param(0.005, "float", 0.0, 1.0, "share", "ASSUMPTION",
                               "special population: community corrections, severe mental "
                               "illness (due scheduled visits)"),
    },
    "map": {
        "width": Param(160, "int", 20, 1000, "cells", "ASSUMPTION (16 km east-west)",
                       "grid width"),
        "height": Param(130, "int", 20, 1000, "cells", "ASSUMPTION (13 km north-south)",
                        "grid height"),
        "cell_m": Param(100.0, "float", 10.0, 1000.0, "m", "GRID (cells of about 1 ha)",
                        "cell side"),
        "urban_area_km2": Param(28.0, "float", 0.5, 500.0, "km2", "ASSUMPTION (built-up area)",
                                "inhabited urban area"),
        "jisco_zone_km2": Param(12.0, "float", 0.0, 200.0, "km2", "ASSUMPTION",
                                "JISCO industrial zone beside the urban core"),
        "towns": Param(3, "int", 0, 20, "towns", "public records (Wenshu, Yuquan, Xincheng)",
                       "rural towns"),
        "villages": Param(17, "int", 0, 200, "villages", "public records",
                          "administrative villages, shared among the towns"),
        "enterprises": Param(120, "int", 0, 5000, "enterprises", "ASSUMPTION",
                             "employers other than JISCO, on commercial cells"),
    },
    "structure": {
        "communities": Param(69, "int", 1, 5000, "communities", "SEED (69 before 2012)",
                             "urban communities"),
        "street_offices": Param(6, "int", 0, 500, "offices",
                                "ASSUMPTION (two per district)",
                                "street offices between communities and districts; 0 = none"),
        "districts": Param(3, "int", 0, 50, "districts", "public records (2009-2019)",
                           "districts between street offices and the city; 0 = none"),
        "district_weights": Param([79.0, 104.0, 65.0], "floats", 1, 50, "thousand persons",
                                  "public records (Xiongguan, Changcheng, Jingtie, 2009)",
                                  "relative populations of the districts (one per district)"),
        "village_service_centres": Param(False, "bool", doc="villages have a service centre "
                                         "with cadres on duty; otherwise villagers go to the "
                                         "town government", source="SEED (2012 reform)"),
        "community_floor_m2": Param(300.0, "float", 0.0, 100_000.0, "m2",
                                    "ASSUMPTION (2011); SEED >= 1,500 (2012)",
                                    "service floor space per community centre"),
        "grid_responsibility": Param(False, "bool", source="SEED (包片责任制, 2012)",
                                     doc="grid workers walk assigned areas and find needs "
                                     "before they are reported"),
    },
    "authority": {
        "routine": {
            "community": Param(["dispute", "elderly_care", "floating_registration"], "kinds",
                               source="ORGLAW (self-governing; services only); 2011 ASSUMPTION",
                               doc="routine matters a community may settle"),
            "street_office": Param(_ALL_OFFICE, "kinds", source="ASSUMPTION (service windows "
                                   "of the district's agency)",
                                   doc="routine matters a street office may settle"),
            "district": Param(_ALL_OFFICE, "kinds", source="ASSUMPTION",
                              doc="routine matters a district may settle"),
            "village": Param(["dispute"], "kinds", source="MEDLAW (villagers' mediation)",
                             doc="routine matters a village may settle"),
            "town": Param(_ALL_OFFICE, "kinds", source="ASSUMPTION (town government)",
                          doc="routine matters a town may settle"),
        },
        "complex": {
            "community": Param([], "kinds", source="ORGLAW (no approval or enforcement power)",
                               doc="complex matters a community may settle (listing a kind "
                               "whose power is approve or enforce means the line department "
                               "has delegated it, e.g. through a window in the centre)"),
            "street_office": Param(["dispute"], "kinds",
                                   source="ASSUMPTION (judicial office at the street office)",
                                   doc="complex matters a street office may settle"),
            "district": Param([], "kinds", source="public records (administrative areas, not "
                              "county-level governments); ASSUMPTION",
                              doc="complex matters a district may settle"),
            "village": Param([], "kinds", source="ORGLAW", doc="complex matters a village may "
                             "settle"),
            "town": Param(["dispute"], "kinds", source="ASSUMPTION (judicial office at the town)",
                          doc="complex matters a town may settle"),
        },
    },
    "law": {
        "power": {
            "routine": {k: Param("serve", "str", choices=POWERS, source="ASSUMPTION (service "
                                 "matters)", doc=f"power a routine {k.replace('_', ' ')} matter "
                                 "needs: serve (accept and deliver), approve (a decision by a "
                                 "government body) or enforce (enforcement by one)")
                        for k in OFFICE_KINDS},
            "complex": {
                "welfare": Param("approve", "str", choices=POWERS,
                                 source="ALL; minimum living allowance rules (approval by "
                                 "civil affairs)", doc="power a complex welfare matter needs"),
                "dispute": Param("approve", "str", choices=POWERS,
                                 source="MEDLAW (beyond people's mediation: judicial office, "
                                 "arbitration)", doc="power a complex dispute needs"),
                "elderly_care": Param("approve", "str", choices=POWERS,
                                      source="ASSUMPTION (subsidies, placement decided by "
                                      "civil affairs)", doc="power a complex elderly-care "
                                      "matter needs"),
                "floating_registration": Param("approve", "str", choices=POWERS,
                                               source="ASSUMPTION (residence permits issued by "
                                               "public security)", doc="power a complex "
                                               "registration matter needs"),
                "facility_complaint": Param("enforce", "str", choices=POWERS,
                                            source="ASSUMPTION (urban-management law "
                                            "enforcement)", doc="power a complex facility "
                                            "complaint needs"),
            },
        },
        "department": {
            "welfare": Param("civil_affairs", "str", source="ASSUMPTION",
                             doc="city line department that holds the power for welfare"),
            "dispute": Param("justice", "str", source="MEDLAW",
                             doc="city line department that holds the power for disputes"),
            "elderly_care": Param("civil_affairs", "str", source="ASSUMPTION",
                                  doc="city line department that holds the power for elderly "
                                  "care"),
            "floating_registration": Param("public_security", "str", source="ASSUMPTION",
                                           doc="city line department that holds the power for "
                                           "floating-population registration"),
            "facility_complaint": Param("urban_management", "str", source="ASSUMPTION",
                                        doc="city line department that holds the power for "
                                        "public facilities"),
        },
        "hotline_direct": {
            "serve": Param(True, "bool", source="ASSUMPTION (12345 dispatch to the unit "
                           "responsible)", doc="the hotline may send a serve matter straight to "
                           "the unit with the power"),
            "approve": Param(False, "bool", source="ALL (an application is accepted at a "
                             "window, with documents)", doc="the hotline may send an approval "
                             "matter straight to the deciding unit (otherwise to the caller's "
                             "community, which accepts the application)"),
            "enforce": Param(True, "bool", source="ASSUMPTION (complaints dispatched to "
                             "enforcement)", doc="the hotline may send an enforcement matter "
                             "straight to the enforcing unit"),
        },
        "input_share": Param(0.3, "float", 0.0, 1.0, "share", "ASSUMPTION (条块: complex matters "
                             "touch several departments)", "share of complex matters that need "
                             "another department's input before the decision; the street office "
                             "or town coordinates it where there is one, otherwise the other "
                             "city department is asked directly"),
    },
    "routing": {
        "direct_referral": Param(False, "bool", source="ASSUMPTION (层层上报: up one layer at a "
                                 "time)", doc="a unit that lacks the power refers a matter "
                                 "straight to the lowest unit above it that holds it, instead "
                                 "of to the layer above"),
    },
    "handoff": {
        "prepare_min": Param(30.0, "float", 0.0, 1000.0, "min", "ASSUMPTION",
                             "staff time to prepare a referral (letter, file, stamp)"),
        "review_signoff": Param(True, "bool", source="ASSUMPTION (层层审核: each government "
                                "layer signs what it passes up)", doc="a government unit that "
                                "passes an approval or enforcement matter up waits for its "
                                "decision cycle (sign-off) first"),
    },
    "decision": {
        "cycle_days": {
            "community": Param(0.0, "float", 0.0, 60.0, "days", "ASSUMPTION (the director "
                               "signs at the desk)", "decision cycle of a community: 0 at "
                               "once, 1 daily sign-off at closing, 7 a weekly meeting"),
            "street_office": Param(1.0, "float", 0.0, 60.0, "days", "ASSUMPTION (leader's "
                                   "daily sign-off)", "decision cycle of a street office"),
            "district": Param(7.0, "float", 0.0, 60.0, "days", "ASSUMPTION (weekly meeting)",
                              "decision cycle of a district"),
            "village": Param(0.0, "float", 0.0, 60.0, "days", "ASSUMPTION",
                             "decision cycle of a village centre"),
            "town": Param(7.0, "float", 0.0, 60.0, "days", "ASSUMPTION (weekly meeting)",
                          "decision cycle of a town government"),
            "city": Param(7.0, "float", 0.0, 60.0, "days", "ASSUMPTION (weekly bureau "
                          "meeting)", "decision cycle of a city line department"),
            "mediation_centre": Param(0.0, "float", 0.0, 60.0, "days", "ASSUMPTION",
                                      "decision cycle of the mediation centre"),
        },
        "meeting_weekday": Param(3, "int", 0, 6, "day (0 = Monday)", "ASSUMPTION",
                                 "weekday of weekly (and longer) decision meetings"),
        "limit_working_days": Param(20, "int", 1, 365, "working days",
                                    "ALL art. 42 (20 working days)", "a decision is taken at "
                                    "most this long after the deciding unit accepted the "
                                    "matter, whatever its cycle"),
        "extension_working_days": Param(10, "int", 0, 365, "working days",
                                        "ALL art. 42 (extendable by 10)", "extension allowed "
                                        "when staff had not finished handling by the limit"),
    },
    "staff": {
        "community": {
            "front_desk": Param(2, "int", 0, 1000, "persons per unit", "ASSUMPTION (2011)",
                                "front-desk staff per community"),
            "caseworker": Param(3, "int", 0, 1000, "persons per unit", "ASSUMPTION (2011)",
                                "caseworkers per community"),
            "grid_worker": Param(2, "int", 0, 1000, "persons per unit", "ASSUMPTION (2011)",
                                 "grid workers per community (visits, rounds, household work)"),
        },
        "street_office": {
            "front_desk": Param(4, "int", 0, 1000, "persons per unit", "ASSUMPTION",
                                "front-desk staff per street office"),
            "caseworker": Param(20, "int", 0, 1000, "persons per unit", "ASSUMPTION",
                                "caseworkers per street office"),
        },
        "district": {
            "caseworker": Param(25, "int", 0, 5000, "persons per unit", "ASSUMPTION",
                                "staff per district working with the units below"),
        },
        "town": {
            "front_desk": Param(3, "int", 0, 1000, "persons per unit", "ASSUMPTION",
                                "front-desk staff per town government"),
            "caseworker": Param(8, "int", 0, 1000, "persons per unit", "ASSUMPTION",
                                "caseworkers per town government"),
        },
        "village": {
            "front_desk": Param(2, "int", 0, 100, "persons per unit", "SEED (cadres on duty)",
                                "cadres on duty per village centre (if centres exist)"),
            "caseworker": Param(1, "int", 0, 100, "persons per unit", "ASSUMPTION",
                                "caseworkers per village centre (if centres exist)"),
        },
        "community_scale": Param(1.0, "float", 0.0, 10.0, "x", "ASSUMPTION",
                                 "multiplier on every community role's staff (sweeps: "
                                 "do staff numbers matter?)"),
        "priority": Param("deadline", "str", choices=PRIORITIES, source="ASSUMPTION",
                          doc="what staff take first from all the work waiting at their unit: "
                          "deadline (earliest deadline first), fifo (first come), cases_first "
                          "(residents' matters before work from above), evaluation (考核: what "
                          "the unit is scored on first — hotline cases, evaluations, veto "
                          "items — then by deadline)"),
        "chunk_h": Param(1.0, "float", 0.1, 9.0, "h", "ASSUMPTION",
                         "longest stretch of a divisible job (task, grid round) before staff "
                         "look at the queue again"),
    },
    "departments": Param(DEFAULT_DEPARTMENTS, "records", 1, 50, record=DEPARTMENT_FIELDS,
                         source="ASSUMPTION (staff working with the grassroots)",
                         doc="city line departments: `name`, `staff`"),
    "task_types": Param(DEFAULT_TASK_TYPES, "records", 0, 100, record=TASK_FIELDS,
                        source="HUBEI2003, YAAN2016 (counts); hours ASSUMPTION",
                        doc="administrative tasks the city departments issue: see the task "
                        "fields in docs/ODD.md"),
    "tasks": {
        "volume_multiplier": Param(1.0, "float", 0.0, 20.0, "x", "ASSUMPTION",
                                   "multiplier on how many tasks are issued (sensitivity)"),
        "absent_layer_share_down": Param(0.5, "float", 0.0, 1.0, "share", "RUC2016 (matters "
                                         "drifted down to communities)", "share of an absent "
                                         "layer's part of a task that falls on the communities; "
                                         "the rest falls on the layer above"),
    },
    "supervision": {
        "h_per_sub_week": Param(1.5, "float", 0.0, 100.0, "h per subordinate unit per week",
                                "ASSUMPTION", "time a district, street office or town spends "
                                "on each unit under it (meetings, checks, reports)"),
        "department_h_per_sub_week": Param(0.5, "float", 0.0, 100.0,
                                           "h per subordinate unit per week", "ASSUMPTION",
                                           "time each city department spends on each unit "
                                           "directly under the city"),
        "report_h_week": Param(2.0, "float", 0.0, 100.0, "h per supervisor per week",
                               "ASSUMPTION", "time a supervised unit spends reporting to and "
                               "meeting each unit that supervises it"),
    },
    "outcome": {
        "base_success": Param(0.9, "float", 0.0, 1.0, "probability", "ASSUMPTION",
                              "chance that a matter handled by a unit with the power, skills "
                              "and time is really settled"),
        "complex_skill": {
            lv: Param(0.7 if lv in ("community", "village") else 1.0, "float", 0.0, 1.0,
                      "factor", "HUBEI2003 (specialist skills lacking)" if lv in
                      ("community", "village") else "ASSUMPTION",
                      f"success factor for complex matters settled at a {lv.replace('_', ' ')}")
            for lv in ("community", "street_office", "district", "village", "town", "city",
                       "mediation_centre")
        },
        "rush_items_per_staff": Param(5.0, "float", 0.1, 1000.0, "items", "ASSUMPTION",
                                      "queued items per member of staff at which a unit is "
                                      "half rushed"),
        "rush_penalty": Param(0.3, "float", 0.0, 1.0, "share", "ASSUMPTION",
                              "loss of success chance when fully rushed"),
        "rush_time_cut": Param(0.3, "float", 0.0, 0.9, "share", "ASSUMPTION",
                               "share of handling time cut when fully rushed"),
        "recontact_share": Param(0.5, "float", 0.0, 1.0, "share", "ASSUMPTION",
                                 "after a failure: share of residents who contact again"),
        "escalate_share": Param(0.2, "float", 0.0, 1.0, "share", "ASSUMPTION",
                                "after a failure: share escalated to the unit above (a "
                                "dispute becomes a petition); the rest give up"),
        "max_contacts": Param(3, "int", 1, 20, "contacts", "ASSUMPTION",
                              "contacts after which a resident gives up"),
    },
    "reporting": {
        "decide_mean_h": Param(12.0, "float", 0.0, 1000.0, "h (mean, exponential)",
                               "ASSUMPTION", "time a resident takes to decide to report a need, "
                               "the same for every channel; when they can then reach an office "
                               "or a phone follows from their day"),
        "min_visit_min": Param(30.0, "float", 0.0, 600.0, "min", "ASSUMPTION",
                               "time a walk-in needs at the office besides the trip"),
        "lunch_start_h": Param(12.0, "float", 0.0, 24.0, "hour", "ASSUMPTION",
                               "lunch break of employees with office hours: start"),
        "lunch_end_h": Param(13.5, "float", 0.0, 24.0, "hour", "ASSUMPTION",
                             "lunch break: end"),
        "time_off_prob": Param(0.2, "float", 0.0, 1.0, "per working day", "ASSUMPTION",
                               "chance an employee can take a working day's time off for an "
                               "errand"),
        "awake_from_h": Param(7.0, "float", 0.0, 24.0, "hour", "ASSUMPTION",
                              "residents call or go out from this hour"),
        "awake_to_h": Param(22.0, "float", 0.0, 24.0, "hour", "ASSUMPTION",
                            "and until this hour"),
        "give_up_days": Param(30.0, "float", 1.0, 365.0, "days", "ASSUMPTION",
                              "a resident who finds no time to walk in within this long does "
                              "not report"),
    },
    "hotline": {
        "enabled": Param(False, "bool", source="SEED (12345 opened 2012)",
                         doc="a 24-hour 12345 government service hotline"),
        "linked_dispatch": Param(True, "bool", source="SEED (linked command platform)",
                                 doc="operators send a matter to the unit that holds the power "
                                 "(where law.hotline_direct allows); otherwise to the caller's "
                                 "community, village centre or town"),
        "operators_on_duty": Param(4, "int", 1, 1000, "persons", "ASSUMPTION",
                                   "operators answering at any hour"),
        "call_handling_min": Param(5.0, "float", 0.1, 120.0, "min",
                                   "HOTLINE (80-100 calls per 8-hour shift)",
                                   "operator time per call: classify and dispatch"),
        "share": Param(0.6, "float", 0.0, 1.0, "share", "ASSUMPTION",
                       "share of non-emergency reporters who call rather than walk in"),
        "misroute_share": Param(0.1, "float", 0.0, 1.0, "share", "ASSUMPTION",
                                "share of dispatched calls sent to the wrong unit, which "
                                "bounces them back to the hotline"),
    },
    "police": {
        "embedding": Param("station", "str", choices=("station", "community"),
                           source="SEED (community police offices, 2012)",
                           doc="station: every officer works from a precinct station; "
                           "community: a share of them (`police.embedded_share`) is posted "
                           "in community police offices responsible for their community "
                           "(包片), with the joint-defence members and governance staff"),
        "embedded_share": Param(0.5, "float", 0.0, 1.0, "share", "ASSUMPTION",
                                "share of officers posted in community offices when police "
                                "are embedded"),
        "stations": Param(6, "int", 1, 500, "stations", "ASSUMPTION",
                          "precinct stations (派出所), in every structure"),
        "officers": Param(240, "int", 1, 100_000, "persons",
                          "ASSUMPTION (~1 per 1,000 residents)", "police officers"),
        "joint_defence": Param(0, "int", 0, 100_000, "persons", "ASSUMPTION",
                               "joint-defence members (auxiliaries who patrol on foot)"),
        "governance_staff": Param(0, "int", 0, 100_000, "persons", "SEED (综治员 moved down); "
                                  "number ASSUMPTION", "comprehensive-governance staff, who "
                                  "patrol their area on foot (not dispatched)"),
        "on_duty_share": Param(1 / 3, "float", 0.01, 1.0, "share", "ASSUMPTION (3 shifts)",
                               "share of officers on duty at any time"),
        "patrol_speed_kmh": Param(12.0, "float", 0.5, 120.0, "km/h", "ASSUMPTION (car patrol)",
                                  "officers' patrol speed"),
        "foot_patrol_speed_kmh": Param(4.0, "float", 0.5, 30.0, "km/h", "ASSUMPTION",
                                       "patrol speed of everyone who patrols on foot "
                                       "(joint-defence members, governance staff, JISCO "
                                       "patrollers)"),
        "patrol_time_share": Param(0.3, "float", 0.0, 1.0, "share", "ASSUMPTION",
                                   "share of a free on-duty officer's time spent moving on "
                                   "patrol in their beat (the rest: stops, base, paperwork)"),
        "dispatch_speed_kmh": Param(30.0, "float", 1.0, 150.0, "km/h",
                                    "POLICE (3 min at 60 km/h core target)",
                                    "driving speed to an incident"),
        "call_delay_min": Param(1.0, "float", 0.0, 600.0, "min", "ASSUMPTION",
                                "time from the incident to the call reaching the dispatch "
                                "centre (noticing, dialling)"),
        "dispatchers": Param(3, "int", 1, 1000, "persons", "ASSUMPTION",
                             "call-takers on duty at the dispatch centre at any hour"),
        "dispatch_handling_min": Param(1.5, "float", 0.1, 60.0, "min", "ASSUMPTION",
                                       "call-taker's time to take a call and dispatch"),
        "dispatch_rule": Param("beat_first", "str", choices=("beat_first", "nearest"),
                               source="ASSUMPTION (包片: the responsible officers first)",
                               doc="beat_first: the nearest free officer of the incident's "
                               "beat (the community post where there is one, else the "
                               "station area), anyone else only when none is free there; "
                               "nearest: the nearest free officer anywhere"),
        "priority1_share": Param(0.2, "float", 0.0, 1.0, "share", "ASSUMPTION",
                                 "share of public-order incidents that are priority 1 (taken "
                                 "first by call-takers and dispatch)"),
        "p1_target_min": Param(8.0, "float", 1.0, 120.0, "min", "POLICE (5-8 min in cities)",
                               "target for reaching a priority-1 incident"),
        "incident_duration_min": Param(45.0, "float", 1.0, 10_000.0, "min (mean, exponential)",
                                       "ASSUMPTION", "how long an unreported incident goes "
                                       "on, during which a passing patrol can find it"),
        "report_prob": Param(0.85, "float", 0.0, 1.0, "probability", "ASSUMPTION",
                             "chance that a public-order incident is called in"),
    },
    "grid": {
        "walk_speed_kmh": Param(3.0, "float", 0.5, 20.0, "km/h", "ASSUMPTION",
                                "grid workers' walking speed on their rounds"),
        "find_prob": Param(0.3, "float", 0.0, 1.0, "probability", "ASSUMPTION",
                           "chance that a grid worker passing a cell notices a need there"),
        "round_h_per_day": Param(4.0, "float", 0.0, 9.0, "h per grid worker per working day",
                                 "ASSUMPTION (GRID: supervisors walk their grid daily)",
                                 "rounds where grid responsibility exists"),
        "visit_interval_days": Param(30.0, "float", 1.0, 365.0, "days", "ASSUMPTION",
                                     "interval of scheduled visits"),
        "visit_min": Param(30.0, "float", 1.0, 600.0, "min", "ASSUMPTION",
                           "time spent at a visit, besides the trip"),
        "rural_travel_kmh": Param(20.0, "float", 1.0, 120.0, "km/h", "ASSUMPTION",
                                  "travel speed of town staff visiting villages"),
    },
    "calendar": {
        "office_open_h": Param(8.5, "float", 0.0, 24.0, "hour", "ASSUMPTION", "offices open"),
        "office_close_h": Param(17.5, "float", 0.0, 24.0, "hour", "ASSUMPTION", "offices close"),
        "workdays_per_week": Param(5, "int", 1, 7, "days", "ASSUMPTION",
                                   "office days, Monday first"),
        "lunch_start_h": Param(12.0, "float", 0.0, 24.0, "hour", "ASSUMPTION (midday break "
                               "of Chinese government offices)", "offices close for lunch"),
        "lunch_end_h": Param(14.0, "float", 0.0, 24.0, "hour", "ASSUMPTION",
                             "and open again (equal to the start: no break)"),
        "patrol_tick_min": Param(10.0, "float", 1.0, 120.0, "min", "ASSUMPTION",
                                 "patrol and grid-walk time step"),
    },
    "access": {
        "walk_speed_kmh": Param(5.0, "float", 0.5, 20.0, "km/h", "ASSUMPTION (typical walk)",
                                "residents' walking speed"),
        "detour_factor": Param(1.2, "float", 1.0, 3.0, "x",
                               "Newell 1980; O'Sullivan 1996 (1.21-1.23)",
                               "street distance over straight-line distance, for walking and "
                               "driving"),
        "service_circle_min": Param(15.0, "float", 1.0, 240.0, "min", "SEED, GB50180",
                                    "the service circle"),
    },
    "needs": {
        "rate_per_year": _per_kind(
            {"welfare": 0.25, "public_order": 0.06, "dispute": 0.08, "elderly_care": 0.8,
             "floating_registration": 1.0, "facility_complaint": 0.2},
            "float", 0.0, 100.0, "per eligible resident per year", "ASSUMPTION",
            "need rate; elderly care for residents 60+, registration for floating residents"),
        "vulnerable_welfare_factor": Param(3.0, "float", 0.0, 100.0, "x", "ASSUMPTION",
                                           "welfare need rate multiplier for vulnerable "
                                           "and special-population residents"),
        "complex_share": _per_kind(
            {"welfare": 0.3, "public_order": 0.1, "dispute": 0.25, "elderly_care": 0.2,
             "floating_registration": 0.05, "facility_complaint": 0.3},
            "float", 0.0, 1.0, "share", "ASSUMPTION", "share of complex cases"),
        "workplace_share": _per_kind(
            {"public_order": 0.2, "dispute": 0.25}, "float", 0.0, 1.0, "share",
            "ASSUMPTION", "share of employed residents' needs that arise at work (safety "
            "incidents, labour disputes)"),
        "handling_min": _per_kind(
            {"welfare": 40.0, "public_order": 45.0, "dispute": 90.0, "elderly_care": 60.0,
             "floating_registration": 20.0, "facility_complaint": 30.0},
            "float", 1.0, 10_000.0, "min", "ASSUMPTION",
            "staff time per case (officer time on site for public order)"),
        "intake_min": Param(10.0, "float", 0.0, 600.0, "min", "ASSUMPTION",
                            "staff time to take in a case and pass it on"),
        "lead_time_h": _per_kind(
            {"welfare": 24.0, "public_order": 0.0, "dispute": 24.0, "elderly_care": 24.0,
             "floating_registration": 2.0, "facility_complaint": 48.0},
            "float", 0.0, 10_000.0, "h (mean, exponential)", "ASSUMPTION",
            "time from the last staff action (or the decision) to the matter being settled "
            "in fact: payment set up, repair made, agreement carried out"),
        "patience_days": _per_kind(
            {"welfare": 30.0, "dispute": 14.0, "elderly_care": 14.0,
             "floating_registration": 30.0, "facility_complaint": 14.0},
            "float", 0.01, 365.0, "days", "ASSUMPTION",
            "how long an unreported need can still be found before it counts as unreached"),
        "target_h": _per_kind(
            {"welfare": 168.0, "public_order": 2.0, "dispute": 360.0, "elderly_care": 168.0,
             "floating_registration": 24.0, "facility_complaint": 24.0},
            "float", 0.1, 360.0, "h", "HOTLINE (2 h urgent, 24 h utilities, 7 d general, "
            "15 d complex)", "deadline for resolving a need of this kind (12345 practice)"),
        "report_base": Param(0.75, "float", 0.0, 1.0, "probability", "ASSUMPTION",
                             "chance to report a non-emergency need at trust 0.5, no trip"),
        "report_trust_weight": Param(0.5, "float", 0.0, 2.0, "per unit of trust", "ASSUMPTION",
                                     "how much trust above 0.5 raises the chance to report"),
        "report_trip_penalty_per_h": Param(0.6, "float", 0.0, 10.0, "per hour", "ASSUMPTION",
                                           "how much a walking trip lowers the chance"),
        "rate_multiplier": Param(1.0, "float", 0.0, 20.0, "x", "ASSUMPTION",
                                 "multiplier on every need rate (sensitivity, workshops)"),
    },
    "surge": {
        "multiplier": Param(1.0, "float", 1.0, 20.0, "x", "ASSUMPTION",
                            "need rates during the surge (1 = no surge)"),
        "start_day": Param(7, "int", 0, 10_000, "day", "ASSUMPTION", "first day of the surge"),
        "days": Param(14, "int", 1, 10_000, "days", "ASSUMPTION", "length of the surge"),
    },
    "mediation": {
        "centre": Param(False, "bool", source="SEED (grand conflict-mediation centre, 2012)",
                        doc="disputes a unit cannot settle go straight to one city "
                        "mediation centre instead of up through the layers"),
        "staff": Param(12, "int", 1, 1000, "persons", "ASSUMPTION",
                       "mediators at the centre"),
        "petition_base": Param(0.3, "float", 0.0, 1.0, "probability", "ASSUMPTION",
                               "chance that a dispute (reported or not) still unsettled at "
                               "its deadline becomes a petition, for a resident with trust 0 "
                               "(scaled by 1 - trust); applies with or without the centre"),
    },
    "registration": {
        "unified": Param(False, "bool", source="SEED (urban-rural registration unified, "
                         "eight matching policies)",
                         doc="rural-registered residents get welfare services through the "
                         "same community channels as urban residents"),
        "ineligible_share": Param(0.3, "float", 0.0, 1.0, "share", "ASSUMPTION",
                                  "without unification: share of rural-registered residents' "
                                  "welfare needs not eligible at all (unreached)"),
    },
    "safe_cells": {
        "enabled": Param(False, "bool", source="SEED (平安和谐细胞 campaign)",
                         doc="the safe-and-harmonious-cells campaign runs"),
        "reduction": Param(0.3, "float", 0.0, 1.0, "share", "ASSUMPTION",
                           "share of public-order incidents and disputes prevented in a "
                           "participating domain"),
        "participation": {d: Param(0.8, "float", 0.0, 1.0, "share", "ASSUMPTION",
                                   f"share of the {d.replace('_', ' ')} domain taking part")
                          for d in DOMAINS},
        "jisco_patrol_teams": Param(0, "int", 0, 10_000, "persons",
                                    "SEED (JISCO factory patrol teams); number ASSUMPTION",
                                    "JISCO patrollers in the industrial zone and the "
                                    "residential areas next to it"),
    },
    "budget": {
        "office_staff_cost": Param(60_000.0, "float", 0.0, 1e7, "CNY per person-year",
                                   "ASSUMPTION", "yearly cost of one member of office staff"),
        "police_cost": Param(90_000.0, "float", 0.0, 1e7, "CNY per person-year", "ASSUMPTION",
                             "yearly cost of one police officer"),
        "auxiliary_cost": Param(36_000.0, "float", 0.0, 1e7, "CNY per person-year",
                                "ASSUMPTION", "yearly cost of a joint-defence member or "
                                "JISCO patroller"),
        "floor_cost_per_m2": Param(400.0, "float", 0.0, 1e5, "CNY per m2-year", "ASSUMPTION",
                                   "yearly cost of service floor space"),
        "total_office_staff": Param(0, "int", 0, 1_000_000, "persons", "ASSUMPTION",
                                    "if above 0, community staff are rescaled so that all "
                                    "office staff (departments, hotline and mediators "
                                    "included) add up to this (hold headcount fixed)"),
    },
    "growth": {
        "population_per_year": Param(0.0, "float", -0.5, 1.0, "share per year",
                                     "CENSUS (231,853 in 2010, 243,900 in 2015: ~1 %/year)",
                                     "population growth (new residents live like the present "
                                     "ones; needs, visits and household work grow with them)"),
        "tasks_per_year": Param(0.0, "float", -0.5, 1.0, "share per year",
                                "ASSUMPTION (MCA2011, RUC2016: work pushed down grows)",
                                "growth of the number of tasks issued"),
        "years_before_start": Param(0.0, "float", 0.0, 50.0, "years", "ASSUMPTION",
                                    "years of growth already behind the city at day 0"),
    },
    "trust": {
        "initial_mean": Param(0.55, "float", 0.0, 1.0, "0-1", "ASSUMPTION",
                              "mean initial trust"),
        "initial_sd": Param(0.15, "float", 0.0, 0.5, "0-1", "ASSUMPTION",
                            "spread of initial trust"),
        "learning_rate": Param(0.2, "float", 0.0, 1.0, "per case", "ASSUMPTION",
                               "weight of one case's satisfaction"),
        "expected_response_h": _per_kind(
            {"welfare": 24.0, "public_order": 0.25, "dispute": 48.0, "elderly_care": 24.0,
             "floating_registration": 8.0, "facility_complaint": 24.0},
            "float", 0.01, 10_000.0, "h", "ASSUMPTION",
            "response time residents expect"),
        "hotline_trust_weight": Param(0.4, "float", 0.0, 2.0, "per unit of trust",
                                      "ASSUMPTION", "how much distrust of the local office "
                                      "(trust below 0.5) raises the chance to call 12345"),
    },
}

#: Top-level keys that are not parameters.
META_KEYS: dict[str, Param] = {
    "base": Param("", "str", doc="scenario this file derives from (name or relative path)"),
    "title": Param("", "str", doc="one-line title"),
    "description": Param("", "str", doc="one-paragraph description"),
}


def iter_params(tree: dict[str, Any] | None = None, prefix: str = ""):
    """Yield `(dotted_key, Param)` for every parameter in the schema (a list of records is
    one parameter)."""
    tree = SCHEMA if tree is None else tree
    for key, value in tree.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Param):
            yield dotted, value
        else:
            yield from iter_params(value, dotted + ".")


def defaults(tree: dict[str, Any] | None = None) -> dict[str, Any]:
    """The schema's defaults as a nested dict (fresh copies of lists)."""
    tree = SCHEMA if tree is None else tree
    out: dict[str, Any] = {}
    for key, value in tree.items():
        if isinstance(value, Param):
            out[key] = fill_default(value)
        else:
            out[key] = defaults(value)
    return out


def fill_default(p: Param) -> Any:
    """A fresh copy of a parameter's default (records with every field filled in)."""
    if p.kind == "records":
        return [fill_record(r, p.record) for r in p.default]
    return list(p.default) if isinstance(p.default, list) else p.default


def fill_record(record: dict[str, Any], fields: dict[str, Param]) -> dict[str, Any]:
    """A record with the defaults of the fields it leaves out."""
    return {k: record.get(k, f.default) for k, f in fields.items()}
