"""The Mesa agents: offices, community workers, police and enterprises.

What acts, and where its state lives:

* `Office` — one per unit (community, street office, district, town, village centre,
  line department, mediation centre, hotline), a fixed agent at its office cell. Its
  staff pool (`engine.pools[unit]`) is where the unit's work waits and is done; the
  engine runs it. `CommunityOffice` is the office of a community or village centre (the
  per-community figures of the DataCollector are its reporters).
* `CommunityWorker` — one per member of staff, with unit and role. Staff of one role at a
  unit are interchangeable servers of the office's pool, so a worker agent is a registry
  entry (who exists, where they stand); grid workers on their rounds move in the
  model's `Walkers` arrays.
* `PoliceOfficer` — one per officer or auxiliary; the engine dispatches officers and moves
  every patroller in one numpy step per tick through the `Walkers` arrays; `cell` reads
  the agent's current Mesa cell from there.
* `Enterprise` — fixed agents on their cells (JISCO spans the industrial zone).

Residents are rows of `population.Residents` (see there for why).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mesa import Agent
from mesa.discrete_space import FixedAgent

if TYPE_CHECKING:  # pragma: no cover
    from .model import GovernanceModel

WORKER_ROLES = ("front_desk", "caseworker", "grid_worker")


class _ArrayPositioned(Agent):
    """An agent whose position lives in the model's walker arrays (row `walker`),
    or at its unit's office when it does not walk (`walker` = -1)."""

    model: GovernanceModel

    def __init__(self, model: GovernanceModel, home_cell: int, walker: int = -1):
        super().__init__(model)
        self.home_cell = home_cell
        self.walker = walker

    @property
    def flat_cell(self) -> int:
        if self.walker >= 0:
            return self.model.walkers.cell(self.walker)
        return self.home_cell

    @property
    def pos(self) -> tuple[int, int]:
        c = self.flat_cell
        h = self.model.city.height
        return (c // h, c % h)

    @pos.setter
    def pos(self, value) -> None:
        # Mesa's Agent.__init__ sets pos = None; the position lives in the arrays.
        if value is not None:
            raise AttributeError("position is set through the model's walkers")

    @property
    def cell(self):
        """The Mesa grid cell the agent stands on now."""
        return self.model.grid[self.pos]


class CommunityWorker(_ArrayPositioned):
    """A member of staff of a unit.

    Attributes:
        unit: id of the unit (see `Structure.units`).
        role: "front_desk", "caseworker" or "grid_worker".
    """

    def __init__(self, model: GovernanceModel, unit: int, role: str, walker: int = -1):
        super().__init__(model, model.structure.units[unit].cell, walker)
        self.unit = unit
        self.role = role

    @property
    def on_duty(self) -> bool:
        return self.model.calendar.is_open(self.model.time_min)


class PoliceOfficer(_ArrayPositioned):
    """A police officer, or someone who patrols beside the police.

    Attributes:
        base: index of the station or community police office (or the JISCO zone).
        shift: which shift of the day the agent works.
        role: "officer", "joint_defence", "governance" (comprehensive-governance staff)
            or "jisco_patrol"; all but officers patrol only and are not dispatched.
    """

    def __init__(self, model: GovernanceModel, base: int, base_cell: int, shift: int,
                 walker: int, role: str = "officer"):
        super().__init__(model, base_cell, walker)
        self.base = base
        self.shift = shift
        self.role = role

    @property
    def auxiliary(self) -> bool:
        return self.role != "officer"

    @property
    def on_duty(self) -> bool:
        return self.model.police.on_duty_shift(self.model.time_min) == self.shift

    @property
    def busy(self) -> bool:
        return self.model.police.busy_until[self.walker - self.model.police.first_walker] > \
            self.model.time_min


class Office(FixedAgent):
    """A unit's office: the place its staff work and its work waits.

    Attributes:
        unit: id in `model.structure.units`.
        level, name: the unit's level and name.
    """

    def __init__(self, model: GovernanceModel, unit: int):
        super().__init__(model)
        u = model.structure.units[unit]
        self.unit, self.level, self.name = unit, u.level, u.name
        h = model.city.height
        self.cell = model.grid[(u.cell // h, u.cell % h)]

    @property
    def pool(self):
        return self.model.engine.pools[self.unit]

    @property
    def queued(self) -> int:
        """Items of work waiting for the staff."""
        return self.pool.queued

    @property
    def open_cases(self) -> int:
        """Cases waiting at, or being worked on by, this office."""
        return self.pool.open_cases

    @property
    def utilisation(self) -> float | None:
        """Busy share of the staff's paid hours so far."""
        return self.model.engine.utilisation_of(self.unit)

    @property
    def tasks_overdue(self) -> int:
        """Task items done late so far."""
        return self.model.engine.tasks.overdue_by_unit[self.unit]


class CommunityOffice(Office):
    """The office of a community or village centre."""


class Enterprise(FixedAgent):
    """An employer at its cells (JISCO spans the industrial zone).

    Attributes:
        name: "JISCO" or "Enterprise k".
        cells: flat indices of its cells.
        employees: residents employed (set after residents are drawn).
    """

    def __init__(self, model: GovernanceModel, name: str, cells, weight: float):
        super().__init__(model)
        self.name = name
        self.cells = cells
        self.weight = weight
        self.employees = 0
        h = model.city.height
        self.cell = model.grid[(int(cells[0]) // h, int(cells[0]) % h)]
