"""Drawing a plan's subtasks in several processes.

Each item is a function of (seed, subtask, grade, attempt) alone, so subtasks can be drawn in
any process and any order with the same result. Workers are forked: they start with the
parent's loaded pools and taxonomy (a spawned worker would load them again; templates compile
in the process that draws their subtask, from the disk cache). The parent draws too. Every process claims the next job from a shared
counter, costliest first, so the work evens out whatever each subtask really costs.

A worker sends each draw back as JSON lines (``Draw.as_lines``): cheap to pickle, and the
``ogi plan`` command writes them as they are; :func:`plan` parses them when asked for objects.
"""
from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import sys
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


def _claims(counter, order: Sequence[int]):
    """Job indices this process claims, one at a time, until none are left."""
    while True:
        with counter.get_lock():
            position = counter.value
            counter.value = position + 1
        if position >= len(order):
            return
        yield order[position]


def _worker(number: int, counter, order, draw_one: Callable[[int], Draw], results) -> None:
    try:
        for i in _claims(counter, order):
            results.put(("draw", i, draw_one(i).as_lines()))
    except BaseException as exc:  # noqa: BLE001 - the parent re-raises it
        try:
            pickle.dumps(exc)
        except Exception:  # an exception that cannot travel: its type and message do
            exc = RuntimeError(f"plan worker {number}: {type(exc).__name__}: {exc}")
        results.put(("error", number, exc))
    results.put(("done", number, None))


def draw_jobs(jobs: Sequence[Job], draw_one: Callable[[int], Draw], cost: Callable[[int], float],
              workers: int = 1, as_lines: bool = False, on_draw: Callable[[Draw], None] | None = None) -> list[Draw]:
    """``draw_one(i)`` for every job index, in ``workers`` processes; the draws in job order.

    ``cost(i)`` estimates a job's work (costliest jobs are claimed first). With ``as_lines``
    the parent's own draws are turned into JSON lines too (for a caller that writes them out
    and needs no objects). ``on_draw(draw)`` is called in this process as each draw is made or
    arrives (a progress bar). One process (``workers`` 1, a single job, or no fork on this
    platform) draws in order, in this process.
    """
    def made(d: Draw) -> Draw:
        d = d.as_lines() if as_lines else d
        if on_draw is not None:
            on_draw(d)
        return d

    workers = max(1, min(int(workers), len(jobs)))
    if workers == 1 or not _can_fork():
        # each draw as lines as soon as it is made: only one subtask's objects alive at a time
        return [made(draw_one(i)) for i in range(len(jobs))]
    ctx = multiprocessing.get_context("fork")
    order = sorted(range(len(jobs)), key=lambda i: -cost(i))
    counter = ctx.Value("i", 0)
    # A Queue (not a Pipe): a worker's put returns at once and a feeder thread sends, so
    # workers keep drawing while the parent is busy with its own jobs.
    results = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(n, counter, order, draw_one, results), daemon=True)
             for n in range(1, workers)]
    for p in procs:
        p.start()
    draws: list[Draw | None] = [None] * len(jobs)
    running = {n: p for n, p in enumerate(procs, start=1)}
    try:
        for i in _claims(counter, order):
            draws[i] = made(draw_one(i))
            # between its own jobs the parent parses what has arrived (when objects are
            # wanted), so that work is spread too, not left to the end
            _receive(running, results, draws, not as_lines, on_draw, wait=False)
        while running:
            _receive(running, results, draws, not as_lines, on_draw, wait=True)
        missing = [jobs[i][0] for i, d in enumerate(draws) if d is None]
        if missing:
            raise RuntimeError(f"plan workers returned no draw for: {', '.join(missing)}")
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
            p.join()
        results.close()
    return draws  # type: ignore[return-value]


def _receive(running: dict, results, draws: list, parse: bool, on_draw, wait: bool) -> None:
    """Take the workers' messages: every one already there, or (``wait``) at least one.
    ``running`` loses the workers that said they are done."""
    while running:
        try:
            kind, who, payload = results.get(timeout=1.0) if wait else results.get_nowait()
        except queue.Empty:
            if not wait:
                return
            dead = {n: p.exitcode for n, p in running.items() if not p.is_alive()}
            if dead:
                # a worker that ended without saying so was killed (out of memory, a signal)
                n, code = next(iter(dead.items()))
                raise RuntimeError(f"plan worker {n} ended with exit code {code} before finishing its subtasks")
            continue
        if kind == "draw":
            draws[who] = payload
            if parse:
                payload.specs  # noqa: B018 - parsed now, while the workers still draw
            if on_draw is not None:
                on_draw(payload)
        elif kind == "error":
            raise payload
        else:
            del running[who]
        wait = False  # one message was enough; take the rest only if already there
