"""Staff time: one budget per unit, shared by every kind of work.

Each unit's staff are servers by role (front desk, caseworker, grid worker, operator).
Work reaches a unit as items of a class — a walk-in at the desk, a case in the inbox, a
referral to write, an administrative task, supervision, a visit, a grid round, a call, a
colleague's request for input — each with the staff time it needs and a deadline. A free
member of staff takes, among the classes their role may do, the waiting item that the
unit's priority rule (`staff.priority`) puts first; nothing preempts work in progress.
Divisible work (tasks, rounds) is done in stretches of at most `staff.chunk_h` and never
past closing time, so a resident who walks in waits at most one stretch.

Utilisation is busy time within paid hours over paid hours, by role.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

# Work classes
WALKIN, CASE, REFERRAL, TASK, SUPERVISION, VISIT, ROUND, CALL, CONSULT = range(9)
CLASS_NAMES = ("walk_in", "case", "referral", "task", "supervision", "visit", "round", "call",
               "consult")
#: Classes that serve residents directly (first under `cases_first`).
RESIDENT_CLASSES = frozenset({WALKIN, CASE, REFERRAL, CALL, CONSULT, VISIT})
#: Divisible classes, done in stretches.
DIVISIBLE = frozenset({TASK, ROUND, SUPERVISION})
#: Who may do what, in order of preference (ASSUMPTION: any office member may take a
#: walk-in or a task; rounds only grid workers; calls only operators).
ELIGIBLE: dict[int, tuple[str, ...]] = {
    WALKIN: ("front_desk", "caseworker"),
    CASE: ("caseworker", "front_desk"),
    REFERRAL: ("caseworker", "front_desk"),
    TASK: ("caseworker", "grid_worker", "front_desk"),
    SUPERVISION: ("caseworker", "front_desk"),
    VISIT: ("grid_worker", "caseworker", "front_desk"),
    ROUND: ("grid_worker",),
    CALL: ("operator",),
    CONSULT: ("caseworker", "front_desk"),
}


@dataclass(eq=False)
class WorkItem:
    """A piece of work waiting for, or in the hands of, a unit's staff.

    Attributes:
        cls: work class (`WALKIN` ... `CONSULT`).
        unit: unit id.
        minutes: staff time still needed.
        deadline: when it is due (minutes since the start).
        arrived: when it reached the unit.
        case: case id, or -1 for work that is not a resident's case.
        hop: row of the case's hop at this unit (-1 if none).
        scored: counts for the unit's evaluation (hotline cases, evaluations, veto items).
        ref: what the work belongs to (a task, a visit, ...), for its completion handler.
        started: when the current stretch started; role: who is doing it.
    """

    cls: int
    unit: int
    minutes: float
    deadline: float
    arrived: float
    case: int = -1
    hop: int = -1
    scored: bool = False
    ref: object = None
    started: float = -1.0
    role: str = ""
    seq: int = 0
    first_start: float = -1.0


@dataclass
class StaffPool:
    """The staff of one unit and the work waiting for them.

    Args:
        staff: head count by role.
        priority: the rule from `staff.priority`.
        round_the_clock: staffed at every hour (else office hours only).
    """

    staff: dict
    priority: str
    round_the_clock: bool = False
    free: dict = field(init=False)
    busy_min: dict = field(init=False)
    queues: dict = field(init=False)
    in_service: dict = field(init=False)  # item -> (stretch, end of its paid block)
    queued: int = field(init=False, default=0)
    open_cases: int = field(init=False, default=0)

    def __post_init__(self):
        self.free = dict(self.staff)
        self.busy_min = {r: 0.0 for r in self.staff}
        self.queues = {c: [] for c in ELIGIBLE}
        self.in_service = {}
        self._classes_of = {r: [c for c, roles in ELIGIBLE.items() if r in roles]
                            for r in self.staff}

    @property
    def total(self) -> int:
        return sum(self.staff.values())

    def key(self, item: WorkItem) -> tuple:
        """Priority key: smaller goes first."""
        rule = self.priority
        if rule == "fifo":
            return (0, item.arrived, item.seq)
        if rule == "cases_first":
            return (0 if item.cls in RESIDENT_CLASSES else 1, item.deadline, item.seq)
        if rule == "evaluation":
            return (0 if item.scored else 1, item.deadline, item.seq)
        return (0, item.deadline, item.seq)

    def free_role(self, cls: int) -> str | None:
        """A role with a free member who may do `cls`, in order of preference."""
        for role in ELIGIBLE[cls]:
            if self.free.get(role, 0) > 0:
                return role
        return None

    def enqueue(self, item: WorkItem) -> None:
        heapq.heappush(self.queues[item.cls], (self.key(item), item))
        self.queued += 1

    def next_for(self, role: str) -> WorkItem | None:
        """Take the waiting item that comes first among those `role` may do."""
        best, best_cls = None, -1
        for c in self._classes_of.get(role, ()):
            q = self.queues[c]
            if q and (best is None or q[0][0] < best):
                best, best_cls = q[0][0], c
        if best is None:
            return None
        self.queued -= 1
        return heapq.heappop(self.queues[best_cls])[1]

    def drop_expired(self, cls: int, t: float) -> list[WorkItem]:
        """Remove waiting items of class `cls` whose deadline passed before `t` (a round
        not walked on its day is not walked the next)."""
        q = self.queues[cls]
        keep = [e for e in q if e[1].deadline >= t]
        dropped = [e[1] for e in q if e[1].deadline < t]
        if dropped:
            heapq.heapify(keep)
            self.queues[cls] = keep
            self.queued -= len(dropped)
        return dropped

    def waiting_items(self):
        """Every item waiting in a queue (for checks and inspection)."""
        for q in self.queues.values():
            for _, item in q:
                yield item


class Staffing:
    """Every unit's staff at work: who takes what, when, and for how long.

    Args:
        pools: one `StaffPool` per unit.
        calendar: office hours (`is_open`, `closing_after`, `office_minutes_to`).
        chunk_min: longest stretch of divisible work.
        at: the clock's scheduler, `at(t, handler, arg)`.
        on_first_start: class -> `hook(item, t)` when staff first pick an item up (it may
            set `item.minutes`).
        on_finished: class -> `hook(item, t)` when an item is done.
        on_stretch: class -> `(hook_start, hook_end)` called around every stretch.
    """

    def __init__(self, pools: list[StaffPool], calendar, chunk_min: float, at,
                 on_first_start: dict, on_finished: dict, on_stretch: dict | None = None):
        self.pools, self.cal, self.chunk, self.at = pools, calendar, chunk_min, at
        self.on_first_start, self.on_finished = on_first_start, on_finished
        self.on_stretch = on_stretch or {}
        self.item_seq = 0
        self._busy_t, self._busy_cache = -1.0, {}

    def is_open(self, pool: StaffPool, t: float) -> bool:
        return pool.round_the_clock or self.cal.is_open(t)

    def submit(self, item: WorkItem, t: float) -> None:
        """Give `item` to its unit's staff: started at once by a free member who may do
        it if the unit is open, otherwise queued."""
        self.item_seq += 1
        item.seq = self.item_seq
        pool = self.pools[item.unit]
        if item.case >= 0:
            pool.open_cases += 1
        if self.is_open(pool, t):
            role = pool.free_role(item.cls)
            if role is not None:
                self._start(pool, item, role, t)
                return
        pool.enqueue(item)

    def _start(self, pool: StaffPool, item: WorkItem, role: str, t: float) -> None:
        self._busy_t = -1.0  # who is busy changed: forget the kept busy minutes
        pool.free[role] -= 1
        item.role, item.started = role, t
        if item.first_start < 0:
            item.first_start = t
            hook = self.on_first_start.get(item.cls)
            if hook is not None:
                hook(item, t)
        # the end of the paid block the stretch starts in (work after it is overtime)
        close = math.inf if pool.round_the_clock else self.cal.closing_after(t)
        stretch = item.minutes
        if item.cls in DIVISIBLE:
            stretch = min(stretch, self.chunk)
            if not pool.round_the_clock:
                stretch = min(stretch, close - t)
        hooks = self.on_stretch.get(item.cls)
        if hooks is not None:
            hooks[0](item)
        pool.in_service[item] = (stretch, close)
        self.at(t + stretch, self._stretch_done, item)

    def _stretch_done(self, t: float, item: WorkItem) -> None:
        pool = self.pools[item.unit]
        self._busy_t = -1.0
        stretch, close = pool.in_service.pop(item)
        pool.free[item.role] += 1
        if pool.round_the_clock:
            pool.busy_min[item.role] += stretch
        else:  # paid hours only: overtime after closing is not counted
            pool.busy_min[item.role] += max(0.0, min(t, close) - item.started)
        hooks = self.on_stretch.get(item.cls)
        if hooks is not None:
            hooks[1](item)
        item.minutes -= stretch
        if item.minutes > 1e-6:
            pool.enqueue(item)
        else:
            if item.case >= 0:
                pool.open_cases -= 1
            self.on_finished[item.cls](item, t)
        self.fill(pool, t)

    def fill(self, pool: StaffPool, t: float) -> None:
        """Free staff of an open unit take what waits, best first."""
        if not pool.queued or not self.is_open(pool, t):
            return
        for role in pool.staff:
            while pool.free[role] > 0:
                item = pool.next_for(role)
                if item is None:
                    break
                self._start(pool, item, role, t)

    def paid_minutes(self, pool: StaffPool, t: float) -> float:
        """Paid minutes of one member of staff of `pool` from the start to `t`."""
        return t if pool.round_the_clock else self.cal.office_minutes_to(t)

    def busy_minutes(self, pool: StaffPool, t: float) -> dict[str, float]:
        """Busy minutes within paid hours by role, including work in progress at `t`."""
        busy = dict(pool.busy_min)
        for item, (_, close) in pool.in_service.items():
            busy[item.role] += max(0.0, min(t, close) - item.started)
        return busy

    def busy_and_paid(self, uid: int, t: float) -> tuple[float, float]:
        """Busy minutes of unit `uid`'s staff within paid hours up to `t`, and their paid
        minutes. Kept for the last `t` asked: the hourly record asks for each community
        twice (its own row and the city's share); any stretch started or ended forgets it."""
        if t != self._busy_t:
            self._busy_t, self._busy_cache = t, {}
        got = self._busy_cache.get(uid)
        if got is None:
            pool = self.pools[uid]
            got = (sum(self.busy_minutes(pool, t).values()),
                   self.paid_minutes(pool, t) * pool.total)
            self._busy_cache[uid] = got
        return got

    def utilisation(self, uid: int, t: float) -> float | None:
        """Busy share of the paid hours of unit `uid`'s staff up to `t`."""
        busy, paid = self.busy_and_paid(uid, t)
        return min(1.0, busy / paid) if paid > 0 else None
