"""Drawing many subtasks at once: one job per subtask, serially or on forked worker processes.

Each subtask's draw depends only on (seed, subtask, grades), so running jobs in parallel gives
the same items as running them one after another. Workers are forked after the taxonomy and
pools are loaded and inherit them; a worker sends its specs back as JSON lines (pydantic's
Rust serialiser and parser: ~75 us per spec in all, several times cheaper than pickling the
models), and the parent parses them while the other worker keeps building.
"""
from __future__ import annotations

import multiprocessing
import os
import threading

from ..spec import InstructionSpec
from ..templates.sampler import Draw, compiled, draw

__all__ = ["draw_jobs", "resolve_workers", "PARALLEL_FROM"]

# Below this many items a plan is drawn in-process: forking costs more than it saves.
PARALLEL_FROM = 20_000
MAX_AUTO_WORKERS = 4  # the parent parses every spec: more workers than this starve it

_JOB_CONTEXT: dict = {}  # set in the parent before forking; read by the workers


def resolve_workers(workers: int | None, items: int) -> int:
    """``workers`` as given, or the automatic choice: the CPUs (up to 4) for large plans, in a
    single-threaded process only (forking a process with other threads, e.g. a Jupyter kernel,
    can deadlock the child on a lock another thread held); 1 where fork does not exist."""
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    if workers is not None:
        if workers < 1:
            raise ValueError(f"workers: expected an integer >= 1, got {workers}")
        return workers if can_fork else 1
    if items < PARALLEL_FROM or not can_fork or threading.active_count() > 1:
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_AUTO_WORKERS))


def _draw_in_worker(job: tuple[str, dict[int, int]]) -> tuple:
    subtask_id, wanted = job
    taxonomy, pools, seed = _JOB_CONTEXT["args"]
    result = draw(compiled(taxonomy, subtask_id), pools, wanted, seed)
    return (subtask_id, [s.to_json() for s in result.specs], result.wanted, result.attempts,
            result.found, result.probed, result.cpu_s)


def draw_jobs(jobs: list[tuple[str, dict[int, int]]], taxonomy, pools, seed: int, workers: int) -> list[Draw]:
    """One :class:`Draw` per job ``(subtask id, {grade: count})``, in the order of ``jobs``."""
    if workers <= 1 or len(jobs) <= 1:
        return [draw(compiled(taxonomy, sid), pools, wanted, seed) for sid, wanted in jobs]
    for sid, _ in jobs:
        compiled(taxonomy, sid)  # compile (and fail on a bad template) once, before forking
    _JOB_CONTEXT["args"] = (taxonomy, pools, seed)
    # Largest quotas first, so no worker is left with one big subtask at the end.
    order = sorted(jobs, key=lambda job: -sum(job[1].values()))
    by_subtask: dict[str, Draw] = {}
    try:
        with multiprocessing.get_context("fork").Pool(min(workers, len(jobs))) as pool:
            for sid, lines, wanted, attempts, found, probed, cpu_s in pool.imap_unordered(_draw_in_worker, order):
                specs = [InstructionSpec.model_validate_json(line) for line in lines]
                by_subtask[sid] = Draw(sid, specs, wanted=wanted, attempts=attempts, found=found, cpu_s=cpu_s, probed=probed)
    finally:
        _JOB_CONTEXT.clear()
    return [by_subtask[sid] for sid, _ in jobs]
