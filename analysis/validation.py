"""The structural facts of MODEL.md section 6, checked on a built city, and map layers.

These are what the report shows next to the comparison: does the generated city
reproduce the population, the number of communities and their balance, the staff and
floor space per community that the sources give?
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from simulation.model import GovernanceModel
from simulation.scenario import Scenario


@dataclass
class Check:
    """One structural fact: what the source says, what the model has, whether it holds."""

    fact: str
    source: str
    expected: str
    model: str
    ok: bool


def structural_checks(model: GovernanceModel) -> list[Check]:
    """Facts of the city a scenario builds (use scale 1 for the population figures)."""
    st, res, p = model.structure, model.residents, model.params
    area = st.area_of_cell[res.home]
    pop = np.bincount(area[(area >= 0) & (area < st.n_communities)],
                      minlength=st.n_communities) / model.scale
    dev = float(np.max(np.abs(pop - pop.mean())) / pop.mean())
    comm = [st.units[u] for u in st.community_units]
    staff = [sum(u.staff.values()) for u in comm]
    floor = [u.floor_m2 for u in comm]
    target = p["population"]["residents"]
    total = res.n / model.scale
    urban = float((area < st.n_communities).mean())
    checks = [
        Check("Residents", "2010 census: 231,853", f"{target:,}", f"{total:,.0f}",
              abs(total - target) <= 0.01 * target),
        Check("Urban share", "public records: about 94 %",
              f"{p['population']['urban_share']:.0%}", f"{urban:.1%}",
              abs(urban - p["population"]["urban_share"]) < 0.01),
        Check("Communities", "69 before 2012, 30 after (seed article)",
              str(p["structure"]["communities"]), str(st.n_communities),
              st.n_communities == p["structure"]["communities"]),
        Check("Community population balance", "seed: about 10,000 residents each",
              "within +/-35 % of the mean", f"mean {pop.mean():,.0f}, max deviation {dev:.0%}",
              dev <= 0.35),
        Check("Street offices", "abolished in 2012; 2 in 2019",
              str(p["structure"]["street_offices"]),
              str(sum(u.level == "street_office" for u in st.units)),
              sum(u.level == "street_office" for u in st.units)
              == p["structure"]["street_offices"]),
        Check("Villages and towns", "public records: 17 villages, 3 towns", "17 / 3",
              f"{st.n_villages} / {len(st.town_units)}",
              st.n_villages == 17 and len(st.town_units) == 3),
    ]
    if p["structure"]["communities"] == 30 and p["structure"]["street_offices"] == 0:
        checks += [
            Check("Staff per community", "seed: 25-30", "25-30",
                  f"{min(staff)}-{max(staff)}", 25 <= min(staff) and max(staff) <= 30),
            Check("Service floor space per community", "seed: >= 1,500 m2", ">= 1,500",
                  f"{min(floor):,.0f}", min(floor) >= 1500),
        ]
    return checks


def map_layers(scenario: Scenario, seed: int, scale: float,
               days: int = 1) -> tuple[dict[str, np.ndarray], GovernanceModel]:
    """The 15-minute circle and the cells patrolled in the last 24 h after `days`."""
    model = GovernanceModel(scenario, seed=seed, scale=scale, days=days)
    model.run()
    city, st, e = model.city, model.structure, model.engine
    shape = (city.width, city.height)
    inhabited = city.density > 0
    circle = (st.walk_min <= model.params["access"]["service_circle_min"]).reshape(shape)
    patrol = (e.last_patrol >= model.time_min - 1440.0).reshape(shape)
    return {"inhabited": inhabited, "circle": circle & inhabited,
            "patrol": patrol & inhabited}, model


def checks_as_rows(checks: list[Check]) -> list[dict[str, Any]]:
    return [c.__dict__ for c in checks]
