"""Where the points of a batch run: in this process, a pool of local processes, or Dask.

A backend only decides where. Every backend calls the same point function,
`point.run_and_record(point, out_dir)`, which runs the point and writes its files, and
hands back a small `Outcome`; the parent keeps nothing else. If the machinery fails
around a point (a worker process killed, a Dask task lost), the backend gives the
parent the point and the traceback, and the parent records that run as failed.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.design import Point
from analysis.point import Outcome, worker_report

#: How often a point may be in flight when its worker process dies before it counts as
#: failed: a point that kills its worker every time (e.g. out of memory) must not stop
#: the batch, but one lost to an unrelated crash deserves another try.
MAX_WORKER_DEATHS = 2
#: A pool worker is replaced by a fresh process after this many points, so memory that
#: a run leaves behind in its process (Mesa 3.3 keeps a little of every grid in global
#: registries) cannot pile up over a long batch; starting a process costs ~2 s.
TASKS_PER_WORKER = 50
#: Dask: retries of a task that raised outside the point function (the point function
#: itself records model errors and does not raise). A worker that dies mid-task is
#: handled by the scheduler, which reruns the task elsewhere up to
#: `distributed.scheduler.allowed-failures` times.
DASK_RETRIES = 2


class BackendError(RuntimeError):
    """A backend that cannot start or reach its workers (bad address, missing install)."""


@dataclass
class Crash:
    """A point whose run was lost to the machinery rather than the model."""

    point: Point
    error: str


RunFunction = Callable[[Point, str], Outcome]


class Serial:
    """Every point in this process, one after the other (`--workers 1`)."""

    description = "serial, in this process"

    def __enter__(self) -> Serial:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def run(self, func: RunFunction, points: Iterable[Point], out_dir: str
            ) -> Iterator[Outcome | Crash]:
        """Run the points in order; yield each outcome as it is done."""
        for point in points:
            yield func(point, out_dir)


class ProcessPool:
    """A pool of local worker processes (the default: one per core).

    Points are handed out a few at a time, so that the points in flight are the ones
    running: if a worker dies, those are the points to blame and to try again.

    Args:
        workers: number of worker processes.
    """

    def __init__(self, workers: int):
        self.workers = workers
        self.description = f"process pool, {workers} workers"

    def __enter__(self) -> ProcessPool:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def run(self, func: RunFunction, points: Iterable[Point], out_dir: str
            ) -> Iterator[Outcome | Crash]:
        """Run the points on the pool; yield each outcome as it is done."""
        queue = deque(points)
        deaths: dict[str, int] = {}
        while queue:
            # "spawn": workers start clean, as on macOS and Windows, whatever the parent
            # has imported or started (threads do not survive a fork safely)
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(self.workers, mp_context=context,
                                     max_tasks_per_child=TASKS_PER_WORKER,
                                     initializer=exit_with_parent,
                                     initargs=(os.getpid(),)) as pool:
                yield from self._drain(pool, func, queue, deaths, out_dir)

    def _drain(self, pool: ProcessPoolExecutor, func: RunFunction, queue: deque,
               deaths: dict[str, int], out_dir: str) -> Iterator[Outcome | Crash]:
        """Feed the queue to one pool until the queue is empty or the pool breaks."""
        in_flight: dict[Future, Point] = {}
        broken = False
        try:
            while (queue or in_flight) and not broken:
                while queue and len(in_flight) < self.workers:
                    point = queue.popleft()
                    in_flight[pool.submit(func, point, out_dir)] = point
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    if isinstance(future.exception(), BrokenProcessPool):
                        broken = True
                    else:
                        yield _outcome(future, in_flight.pop(future))
            # a broken pool fails every future still in flight; those points are lost
            # with it unless they had finished just before
            lost = []
            for future, point in in_flight.items():
                if isinstance(future.exception(), BrokenProcessPool):
                    lost.append(point)
                else:
                    yield _outcome(future, point)
            in_flight.clear()
            yield from self._blame(lost, queue, deaths)
        except BaseException:
            # Ctrl-C or the parent stopping: do not start the points still queued
            for future in in_flight:
                future.cancel()
            pool.shutdown(wait=False, cancel_futures=True)
            raise

    @staticmethod
    def _blame(lost: list[Point], queue: deque, deaths: dict[str, int]) -> Iterator[Crash]:
        """Count a worker death against each lost point: retry it, or give it up."""
        if lost:
            print(f"\na worker process died; {len(lost)} run(s) it may have held are tried "
                  "again in a new pool", file=sys.stderr, flush=True)
        for point in reversed(lost):
            deaths[point.run_id] = deaths.get(point.run_id, 0) + 1
            if deaths[point.run_id] >= MAX_WORKER_DEATHS:
                yield Crash(point, f"a worker process died while running this point "
                            f"{deaths[point.run_id]} times (killed, or out of memory)")
            else:
                queue.appendleft(point)


def exit_with_parent(parent_pid: int) -> None:
    """Pool worker initializer: end this worker soon after the batch process is gone.

    A pool worker holds both ends of its task pipe, so it never sees the parent close
    it: if the batch process is killed (`kill`, out of memory), its workers would wait
    for tasks forever. A thread that checks the parent every second ends them instead.
    """
    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


class DaskCluster:
    """Points as tasks on Dask distributed: a scheduler's address, or "local".

    "local" starts a `LocalCluster` of single-threaded worker processes on 127.0.0.1.
    An address (`tcp://HOST:PORT`) connects to a running scheduler; its workers must
    import this project (same code, same versions) and see the batch folder at the same
    path, which `__enter__` checks before any point is sent.

    Args:
        address: "local" or a scheduler address.
        workers: worker processes of a local cluster (ignored for an address).
        out_dir: the batch folder, checked for visibility from the workers.
    """

    def __init__(self, address: str, workers: int, out_dir: str):
        self.address, self.workers, self.out_dir = address, workers, out_dir
        self.cluster: Any = None
        self.client: Any = None
        self.description = ""
        self.dashboard = ""

    def __enter__(self) -> DaskCluster:
        from distributed import Client, LocalCluster

        try:
            if self.address == "local":
                self.cluster = LocalCluster(
                    n_workers=self.workers, threads_per_worker=1, processes=True,
                    host="127.0.0.1", dashboard_address="127.0.0.1:0",
                    silence_logs=logging.ERROR)
                self.client = Client(self.cluster)
                self.description = f"Dask LocalCluster, {self.workers} workers"
            else:
                self.client = _connect(Client, self.address)
                self.description = f"Dask scheduler {self.address}"
            self.dashboard = self.client.dashboard_link or ""
            self._check_workers()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        for part in (self.client, self.cluster):
            if part is not None:
                try:
                    part.close()
                except Exception:  # noqa: BLE001 - closing must not hide the real error
                    pass
        self.client = self.cluster = None

    def _check_workers(self) -> None:
        """Fail early, with a clear message, if workers lack the code or the folder."""
        try:
            self.client.wait_for_workers(1, timeout=60)
        except (TimeoutError, OSError):
            raise BackendError(f"--scheduler: no worker joined {self.address} within "
                               "60 s; start workers with `dask worker ADDRESS`") from None
        here = worker_report(self.out_dir)
        try:
            reports = self.client.run(worker_report, self.out_dir)
        except Exception as exc:  # noqa: BLE001 - any failure here means a worker setup error
            raise BackendError(
                f"--scheduler: the workers cannot run this project's code ({exc!r}); install "
                "it on every worker (`pip install -e .` of this repository, or PYTHONPATH) "
                "with the same versions") from None
        for worker, report in reports.items():
            if not report["sees_folder"]:
                raise BackendError(
                    f"--scheduler: worker {worker} cannot see the batch folder "
                    f"{self.out_dir}; workers write the run files themselves, so --out must "
                    "be on a filesystem shared by every worker, at the same path")
            if report["model_source"] != here["model_source"]:
                raise BackendError(
                    f"--scheduler: worker {worker} runs different model code (source "
                    f"{report['model_source']}, here {here['model_source']}); install "
                    "the same version of this project on every worker")

    def run(self, func: RunFunction, points: Iterable[Point], out_dir: str
            ) -> Iterator[Outcome | Crash]:
        """Run the points as Dask tasks; yield each outcome as it is done.

        Tasks are submitted a few more than the cluster's threads at a time, so neither
        the client nor the scheduler holds every point of a long batch.
        """
        from distributed import as_completed

        queue = deque(points)
        token = f"{time.time_ns():x}"[-6:]
        in_flight: dict[Any, Point] = {}
        pending = as_completed()

        def top_up() -> None:
            window = 2 * max(1, sum(self.client.nthreads().values())) + 2
            while queue and len(in_flight) < window:
                point = queue.popleft()
                future = self.client.submit(func, point, out_dir, retries=DASK_RETRIES,
                                            pure=False, key=f"run-{point.run_id}-{token}")
                in_flight[future] = point
                pending.add(future)

        try:
            top_up()
            for future in pending:
                point = in_flight.pop(future)
                if future.status == "finished":
                    yield future.result()
                else:
                    yield Crash(point, _format_dask(future))
                future.release()
                top_up()
        except BaseException:
            self.client.cancel(list(in_flight))
            raise


def _connect(client_class: Any, address: str) -> Any:
    try:
        return client_class(address, timeout="20s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise BackendError(f"--scheduler: cannot connect to {address}: {exc}") from None


def _outcome(future: Future, point: Point) -> Outcome | Crash:
    error = future.exception()
    return future.result() if error is None else Crash(point, _format(error))


def _format(error: BaseException) -> str:
    return "".join(traceback.format_exception(error))


def _format_dask(future: Any) -> str:
    error = future.exception()
    if error is None:
        return f"Dask task ended with status {future.status!r}"
    return "".join(traceback.format_exception(type(error), error, future.traceback()))


def choose_backend(workers: int, scheduler: str | None, out_dir: Path, points: int
                   ) -> Serial | ProcessPool | DaskCluster:
    """The backend that the command line asks for.

    Args:
        workers: local worker processes (`--workers`).
        scheduler: `--scheduler` ("local", an address, or None for no Dask).
        out_dir: the batch folder.
        points: how many points will run (a local pool never starts more workers).
    """
    if scheduler and points:
        return DaskCluster(scheduler, max(1, min(workers, points)), str(out_dir))
    if workers <= 1 or points <= 1:
        return Serial()
    return ProcessPool(min(workers, points))
