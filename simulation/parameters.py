"""Every scenario parameter in one place: type, range, unit, default and source.

The schema is data. `scenario.py` validates files against it, `docs/ODD.md` lists it, and
the model reads a validated, fully filled-in scenario (a nested dict) and nothing else.

Defaults describe the city before the reform (`hierarchy_2011`). Sources are abbreviated:

* SEED   the 2012 source article (Gansu Daily via sina.com.cn, 2012-08-04,
         "嘉峪关社会管理创新经验推向全国");
* CENSUS Jiayuguan 2010 census and city yearbook figures (product brief MODEL.md, §2);
* GB50180 national residential planning standard GB 50180-2018;
* HOTLINE 12345 hotline deadlines and operator loads used in several Chinese cities;
* POLICE  response-time practice of Chinese city police (MODEL.md section 2);
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


@dataclass(frozen=True)
class Param:
    """One scenario parameter.

    Attributes:
        default: value used when no scenario file sets it.
        kind: "int", "float", "bool", "str", "kinds" (a list of kind names) or
            "floats" (a list of numbers).
        lo: smallest allowed value (numbers) or length (lists), inclusive.
        hi: largest allowed value, inclusive.
        unit: unit of the value, for documentation.
        source: where the default comes from.
        doc: what the parameter means.
        choices: allowed values for strings.
    """

    default: Any
    kind: str
    lo: float | None = None
    hi: float | None = None
    unit: str = ""
    source: str = "ASSUMPTION"
    doc: str = ""
    choices: tuple[str, ...] | None = None


def _per_kind(values: dict[str, float], kind: str, lo: float, hi: float, unit: str,
              source: str, doc: str) -> dict[str, Param]:
    return {k: Param(v, kind, lo, hi, unit, source, f"{doc} ({k})") for k, v in values.items()}


_ALL_OFFICE = list(OFFICE_KINDS)

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
        "cell_m": Param(100.0, "float", 10.0, 1000.0, "m", "MODEL.md section 3", "cell side"),
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
    "handoff_delay_h": _per_kind(
        {lv: 9.0 for lv in LEVELS}, "float", 0.0, 2000.0, "working hours",
        "MODEL.md (hierarchy: 1 working day = 9 office hours)",
        "delay to hand a case up from this level"),
    "authority": {
        "routine": {
            "community": Param(["dispute", "elderly_care", "floating_registration"], "kinds",
                               doc="routine cases a community may resolve"),
            "street_office": Param(_ALL_OFFICE, "kinds",
                                   doc="routine cases a street office may resolve"),
            "district": Param(_ALL_OFFICE, "kinds", doc="routine cases a district may resolve"),
            "village": Param(["dispute"], "kinds", doc="routine cases a village may resolve"),
            "town": Param(_ALL_OFFICE, "kinds", doc="routine cases a town may resolve"),
        },
        "complex": {
            "community": Param([], "kinds", doc="complex cases a community may resolve"),
            "street_office": Param(["elderly_care", "floating_registration"], "kinds",
                                   doc="complex cases a street office may resolve"),
            "district": Param(["welfare", "elderly_care", "floating_registration",
                               "facility_complaint"], "kinds",
                              doc="complex cases a district may resolve"),
            "village": Param([], "kinds", doc="complex cases a village may resolve"),
            "town": Param(["elderly_care", "floating_registration"], "kinds",
                          doc="complex cases a town may resolve"),
        },
    },
    "staff": {
        "community": {
            "front_desk": Param(2, "int", 0, 1000, "persons per unit", "ASSUMPTION (2011)",
                                "front-desk staff per community (serve walk-ins)"),
            "caseworker": Param(3, "int", 0, 1000, "persons per unit", "ASSUMPTION (2011)",
                                "caseworkers per community"),
            "grid_worker": Param(2, "int", 0, 1000, "persons per unit", "ASSUMPTION (2011)",
                                 "grid workers per community (visits, area walks)"),
        },
        "street_office": {
            "front_desk": Param(4, "int", 0, 1000, "persons per unit", "ASSUMPTION",
                                "front-desk staff per street office"),
            "caseworker": Param(20, "int", 0, 1000, "persons per unit", "ASSUMPTION",
                                "caseworkers per street office"),
        },
        "district": {
            "caseworker": Param(25, "int", 0, 5000, "persons per unit", "ASSUMPTION",
                                "caseworkers per district handling community cases"),
        },
        "city": {
            "caseworker": Param(40, "int", 1, 10000, "persons", "ASSUMPTION",
                                "caseworkers in city departments handling cases"),
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
    },
    "hotline": {
        "enabled": Param(False, "bool", source="SEED (12345 opened 2012)",
                         doc="a 24-hour 12345 government service hotline"),
        "linked_dispatch": Param(True, "bool", source="SEED (linked command platform)",
                                 doc="the hotline sends a case straight to the lowest unit with "
                                 "authority; otherwise to the resident's entry unit "
                                 "(community, village centre or town), which hands it up"),
        "operators_on_duty": Param(4, "int", 1, 1000, "persons", "ASSUMPTION",
                                   "operators answering at any hour"),
        "call_handling_min": Param(5.0, "float", 0.1, 120.0, "min",
                                   "HOTLINE (80-100 calls per 8-hour shift)",
                                   "operator time per call"),
        "share": Param(0.6, "float", 0.0, 1.0, "share", "ASSUMPTION",
                       "share of non-emergency reporters who call rather than walk in"),
        "delay_mean_min": Param(60.0, "float", 0.0, 10_000.0, "min", "ASSUMPTION",
                                "mean delay from onset to the call"),
    },
    "police": {
        "embedding": Param("station", "str", choices=("station", "community"),
                           source="SEED (community police offices, 2012)",
                           doc="officers based at precinct stations or community police "
                           "offices with area responsibility"),
        "stations": Param(6, "int", 1, 500, "stations", "ASSUMPTION",
                          "precinct stations (station embedding)"),
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
                                   "patrol (the rest: stops, base, paperwork)"),
        "dispatch_speed_kmh": Param(30.0, "float", 1.0, 150.0, "km/h",
                                    "POLICE (3 min at 60 km/h core target)",
                                    "driving speed to an incident"),
        "call_delay_min": Param(2.0, "float", 0.0, 600.0, "min", "ASSUMPTION",
                                "emergency call and dispatch handling"),
        "report_prob": Param(0.85, "float", 0.0, 1.0, "probability", "ASSUMPTION",
                             "chance that a public-order incident is called in"),
    },
    "grid": {
        "walk_speed_kmh": Param(3.0, "float", 0.5, 20.0, "km/h", "ASSUMPTION",
                                "grid workers' walking speed on their rounds"),
        "find_prob": Param(0.3, "float", 0.0, 1.0, "probability", "ASSUMPTION",
                           "chance that a grid worker passing a cell notices a need there"),
        "visit_interval_days": Param(30.0, "float", 1.0, 365.0, "days", "MODEL.md",
                                     "interval of scheduled visits"),
        "visits_per_worker_day": Param(6, "int", 0, 100, "visits", "ASSUMPTION",
                                       "scheduled visits a grid worker makes per working day"),
    },
    "calendar": {
        "office_open_h": Param(8.5, "float", 0.0, 24.0, "hour", "ASSUMPTION", "offices open"),
        "office_close_h": Param(17.5, "float", 0.0, 24.0, "hour", "ASSUMPTION", "offices close"),
        "workdays_per_week": Param(5, "int", 1, 7, "days", "ASSUMPTION",
                                   "office days, Monday first"),
        "patrol_tick_min": Param(10.0, "float", 1.0, 120.0, "min", "MODEL.md",
                                 "patrol and grid-walk time step"),
    },
    "access": {
        "walk_speed_kmh": Param(5.0, "float", 0.5, 20.0, "km/h", "MODEL.md",
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
            {"welfare": 72.0, "public_order": 0.0, "dispute": 48.0, "elderly_care": 24.0,
             "floating_registration": 2.0, "facility_complaint": 48.0},
            "float", 0.0, 10_000.0, "h (mean, exponential)", "ASSUMPTION",
            "time from handling to resolution (approvals, repairs)"),
        "patience_days": _per_kind(
            {"welfare": 30.0, "public_order": 0.1, "dispute": 14.0, "elderly_care": 14.0,
             "floating_registration": 30.0, "facility_complaint": 14.0},
            "float", 0.01, 365.0, "days", "ASSUMPTION",
            "how long an unreported need can still be found before it counts as unreached"),
        "target_h": _per_kind(
            {"welfare": 168.0, "public_order": 2.0, "dispute": 360.0, "elderly_care": 168.0,
             "floating_registration": 24.0, "facility_complaint": 24.0},
            "float", 0.1, 10_000.0, "h", "HOTLINE (2 h urgent, 24 h utilities, 7 d general, "
            "15 d complex)", "resolution target"),
        "report_base": Param(0.75, "float", 0.0, 1.0, "probability", "ASSUMPTION",
                             "chance to report a non-emergency need at trust 0.5, no trip"),
        "report_trust_weight": Param(0.5, "float", 0.0, 2.0, "per unit of trust", "ASSUMPTION",
                                     "how much trust above 0.5 raises the chance to report"),
        "report_trip_penalty_per_h": Param(0.6, "float", 0.0, 10.0, "per hour", "ASSUMPTION",
                                           "how much a walking trip lowers the chance"),
        "walkin_delay_mean_h": Param(24.0, "float", 0.0, 1000.0, "h", "ASSUMPTION",
                                     "mean delay before a resident walks in"),
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
                        doc="disputes a community cannot settle go straight to one city "
                        "mediation centre instead of up through the departments"),
        "staff": Param(12, "int", 1, 1000, "persons", "ASSUMPTION",
                       "mediators at the centre"),
        "petition_base": Param(0.3, "float", 0.0, 1.0, "probability", "ASSUMPTION",
                               "chance that a dispute (reported or not) still unsettled at "
                               "its target becomes a petition, for a resident with trust 0 "
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
                                    "office staff add up to this (hold headcount fixed)"),
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
    """Yield `(dotted_key, Param)` for every parameter in the schema."""
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
            out[key] = list(value.default) if isinstance(value.default, list) else value.default
        else:
            out[key] = defaults(value)
    return out
