"""The figures recorded every simulated hour: the model's DataCollector reporters.

Each figure is defined here once. The DataCollector fills one row per hour from them;
the time series file, the browser and the end-of-run summary all read that row (the
summary adds distributions — medians, percentiles — computed from the case table).

Model-level figures (one column each):

* `hour`: simulated hours since the start;
* `needs_arisen`: needs whose onset has passed;
* `reported`: needs reported (first contact) so far; `resolved`: settled in fact;
  `gave_up`: given up (unreported needs whose patience ran out, and reported ones
  abandoned after a failure); `petitions`; `repeat_contacts`;
* `backlog`: reported needs neither settled nor given up;
* `queued_items`: items of work (cases, tasks, visits, ...) waiting for staff;
* `officers_busy`, `calls_waiting`: police officers on a call, calls waiting for one;
* `patrol_coverage_1h`, `_4h`, `_24h`: share of people, where they are at that hour,
  whose cell a patrol passed in the last 1, 4 or 24 hours (coverage.py);
* `mean_trust`: residents' mean trust in local government;
* `community_utilisation`: busy share of community staff's paid hours so far;
* `tasks_done_late`: task items finished after their deadline so far.

Per community (and village centre), as reporters of `CommunityOffice` agents:
`queued`, `open_cases`, `utilisation`, `tasks_overdue`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .coverage import WINDOWS_H, patrol_coverage

if TYPE_CHECKING:  # pragma: no cover
    from .model import GovernanceModel


def _counts(m: GovernanceModel, key: str) -> int:
    return m.engine.cases.counts[key]


def _backlog(m: GovernanceModel) -> int:
    c = m.engine.cases.counts
    return c["reported"] - c["resolved"] - c["gave_up_reported"]


def _community_utilisation(m: GovernanceModel) -> float | None:
    busy = paid = 0.0
    for uid in m.structure.community_units:
        b, p = m.engine.staff.busy_and_paid(uid, m.time_min)
        busy += b
        paid += p
    return min(1.0, busy / paid) if paid > 0 else None


def _patrol(window_h: int):
    def reporter(m: GovernanceModel) -> float | None:
        return patrol_coverage(m, m.time_min, window_h)
    return reporter


MODEL_REPORTERS = {
    "hour": lambda m: m.time_min / 60.0,
    "needs_arisen": lambda m: m.engine.next_onset,
    "reported": lambda m: _counts(m, "reported"),
    "resolved": lambda m: _counts(m, "resolved"),
    "gave_up": lambda m: _counts(m, "gave_up"),
    "petitions": lambda m: _counts(m, "petitions"),
    "repeat_contacts": lambda m: _counts(m, "repeat_contacts"),
    "backlog": _backlog,
    "queued_items": lambda m: sum(p.queued for p in m.engine.pools),
    "officers_busy": lambda m: int((m.police.busy_until > m.time_min).sum()),
    "calls_waiting": lambda m: len(m.police.waiting),
    **{f"patrol_coverage_{w}h": _patrol(w) for w in WINDOWS_H},
    "mean_trust": lambda m: m.engine.cases.trust_sum / max(1, m.residents.n),
    "community_utilisation": _community_utilisation,
    "tasks_done_late": lambda m: sum(m.engine.tasks.overdue.values()),
}

COMMUNITY_REPORTERS = {
    "name": "name",
    "queued": "queued",
    "open_cases": "open_cases",
    "utilisation": "utilisation",
    "tasks_overdue": "tasks_overdue",
}
