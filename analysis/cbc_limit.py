"""Running CBC (PuLP's, through spopt) with a hard wall-clock limit: the solver, the
figures read from its log (gap, bound, version) and the watch that stops its process
when it overruns its own time limit."""

from __future__ import annotations

import math
import re
import threading
import time
from pathlib import Path

# PuLP is imported where it is used, like spopt (see analysis.siting).

#: CBC's process is stopped if it has not returned by its time limit plus this share of
#: it (at least MIN_GRACE_S): CBC checks its limit only between phases
GRACE_SHARE = 0.2
MIN_GRACE_S = 1.0


def cbc(time_limit_s: float, log_path: Path):
    """PuLP's CBC, quiet, with a time limit, its log kept for the gap and version."""
    import pulp
    return pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit_s, logPath=str(log_path))


def _gap(log: str) -> float | None:
    found = re.search(r"^Gap:\s+([-+\d.eE]+)", log, re.MULTILINE)
    # CBC minimises; for a maximisation (MCLP) it prints the gap with a minus sign
    return abs(float(found.group(1))) if found else None


def _bound(log: str) -> float | None:
    """CBC's last bound on the objective in its log (absolute value: CBC prints a
    maximisation's negated), or None: the final "Lower bound", else the last "best
    possible", else the root LP's "Continuous objective value"."""
    for pattern in (r"^Lower bound:\s+([-+\d.eE]+)", r"best possible ([-+\d.eE]+)",
                    r"^Continuous objective value is ([-+\d.eE]+)"):
        found = re.findall(pattern, log, re.MULTILINE)
        if found:
            return abs(float(found[-1]))
    return None


def _solver_name(log: str) -> str:
    found = re.search(r"^Version:\s+(\S+)", log, re.MULTILINE)
    return f"CBC {found.group(1)}" if found else "CBC"


def hard_limit_s(time_limit_s: float) -> float:
    """When CBC's process is stopped if it has not returned: the time limit plus a grace
    of `GRACE_SHARE` of it (at least `MIN_GRACE_S`)."""
    return time_limit_s + max(GRACE_SHARE * time_limit_s, MIN_GRACE_S)


class _CbcWatch:
    """Stands in for the `subprocess` module inside PuLP's coin_api during one solve:
    it keeps the CBC process that PuLP starts, so that it can be stopped; a process
    started after `stop()` is stopped at once."""

    def __init__(self, real):
        self._real = real
        self._lock = threading.Lock()
        self._procs: list = []
        self._stopped = False
        self.started_at: float | None = None  # time.perf_counter() when CBC started

    def __getattr__(self, name):
        return getattr(self._real, name)

    def Popen(self, *args, **kwargs):  # noqa: N802 (the name PuLP calls)
        proc = self._real.Popen(*args, **kwargs)
        with self._lock:
            self.started_at = time.perf_counter()
            self._procs.append(proc)
            if self._stopped:
                proc.kill()
        return proc

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            for proc in self._procs:
                if proc.poll() is None:
                    proc.kill()


def run_with_hard_limit(model, solver, limit_s: float) -> tuple[str, float]:
    """`model.solve(solver)` (spopt, PuLP's CBC) in a thread; if it has not returned
    after `limit_s` seconds of wall-clock time, CBC's process is killed (CBC checks its
    own time limit only between phases: inside its root LP it can run far past it).

    Returns "solved" (CBC returned a solution, optimal or not), "stopped" (killed at
    `limit_s`), "no solution" (CBC reached its own time limit without an integer
    solution: spopt's "Model is not solved") or "failed" (any other solver error); and
    the seconds until CBC's process started (PuLP writing the problem file, which cannot
    be interrupted: a CBC started after `limit_s` is stopped at once), NaN if it did not.
    """
    from pulp.apis import coin_api
    real = coin_api.subprocess
    watch = _CbcWatch(real)
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            model.solve(solver, results=False)
            outcome["ended"] = "solved"
        except RuntimeError:  # spopt: "Model is not solved"
            outcome["ended"] = "no solution"
        except Exception as exc:  # noqa: BLE001 (PuLP's PulpSolverError, when killed too)
            outcome["ended"], outcome["error"] = "failed", exc

    thread = threading.Thread(target=work, name="cbc", daemon=True)
    coin_api.subprocess = watch
    t0 = time.perf_counter()
    try:
        thread.start()
        thread.join(limit_s)
        stopped = thread.is_alive()
        if stopped:
            watch.stop()
            thread.join()
    except BaseException:  # interrupted: leave no CBC behind
        watch.stop()
        thread.join()
        raise
    finally:
        coin_api.subprocess = real
    started = watch.started_at - t0 if watch.started_at is not None else math.nan
    return ("stopped" if stopped else str(outcome["ended"])), started
