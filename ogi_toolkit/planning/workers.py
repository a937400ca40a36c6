"""Drawing a plan's subtasks in several processes.

Each item is a function of (seed, subtask, grade, attempt) alone, so subtasks can be drawn in
any process and any order with the same result. The workers are a ``concurrent.futures``
process pool in the fork context: they start with the parent's loaded pools and taxonomy (a
spawned worker would load them again). Jobs are submitted costliest first, so the long ones
do not start last; each finished :class:`Draw` (its items as JSON lines, cheap to pickle)
comes back to the parent.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Sequence

from ..templates.sampler import Draw

__all__ = ["available_workers", "draw_jobs"]

Job = tuple[str, dict[int, int]]  # (subtask id, wanted items per grade)


def available_workers() -> int:
    """CPUs this process may run on (its affinity, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _can_fork() -> bool:
    # fork is what makes workers cheap (no reloading); macOS lists it but it is unsafe there.
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


# The job function of this process's pool worker: set by the pool's initializer. With fork,
# the initializer's arguments are inherited, not pickled, so a closure is fine.
_draw_one: Callable[[int], Draw] | None = None


def _install(draw_one: Callable[[int], Draw]) -> None:
    global _draw_one
    _draw_one = draw_one


def _run(i: int) -> Draw:
    return _draw_one(i)  # type: ignore[misc]


def draw_jobs(jobs: Sequence[Job], draw_one: Callable[[int], Draw], cost: Callable[[int], float],
              workers: int = 1, on_draw: Callable[[Draw], None] | None = None) -> list[Draw]:
    """``draw_one(i)`` for every job index, in ``workers`` processes; the draws in job order.

    ``cost(i)`` estimates a job's work (costliest jobs are submitted first). ``on_draw(draw)``
    is called in this process as each draw arrives (a progress bar). One worker, a single job,
    or no fork on this platform: drawn in order, in this process.
    """
    workers = max(1, min(int(workers), len(jobs)))
    if workers == 1 or not _can_fork():
        draws = []
        for i in range(len(jobs)):
            draws.append(draw_one(i))
            if on_draw is not None:
                on_draw(draws[-1])
        return draws
    order = sorted(range(len(jobs)), key=lambda i: -cost(i))
    draws: list[Draw | None] = [None] * len(jobs)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                             initializer=_install, initargs=(draw_one,)) as pool:
        futures: dict[Future, int] = {pool.submit(_run, i): i for i in order}
        pending = set(futures)
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_EXCEPTION)
                for future in done:
                    draws[futures[future]] = future.result()  # a worker's exception is raised here
                    if on_draw is not None:
                        on_draw(draws[futures[future]])
        except BrokenProcessPool:
            # a worker that ended without an exception was killed (out of memory, a signal)
            unfinished = sorted(jobs[futures[f]][0] for f in futures if draws[futures[f]] is None)
            raise RuntimeError(f"a plan worker process ended abruptly (killed: out of memory or a signal?) "
                               f"before finishing; subtasks not drawn: {', '.join(unfinished)}") from None
        finally:
            for future in pending:
                future.cancel()
    return draws  # type: ignore[return-value]
