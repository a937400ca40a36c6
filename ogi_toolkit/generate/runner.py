"""Run a plan into a dataset folder: bounded concurrency, pacing, retries, budget, resume.

``run_plan(plan, out)`` walks every item (:mod:`.flow`) through a :class:`~.caller.LiveCaller`
and appends one manifest line per item whose outcome changed. Run it again (after a finished
run, Ctrl-C or ``kill -9``) and it continues: every call whose result is in the store is read
back instead of sent, and finished items are not written again.
"""
from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ..backends import BACKENDS, Backend, get_backend
from ..backends.errors import BackendError, RequestTimedOut
from ..config import ModelsConfig, load_models_config
from ..folder import MANIFEST_NAME, ManifestWriter, latest_records
from ..spec import InstructionSpec
from .caller import BudgetExhausted, LiveCaller, RunAborted, RunStats
from .cost import Budget, CostModel
from .flow import ItemFailed, ItemWalk, walk_item
from .lock import RunLock
from .plan_file import as_specs
from .ratelimit import RateLimiter
from .record import item_record, same_result
from .store import ResultStore

__all__ = ["RunSummary", "arun_plan", "check_backend", "make_backend", "run_plan", "run_sync"]


@dataclass
class RunSummary:
    items: int
    done: int
    errors: int
    skipped_budget: int
    unchanged: int  # done items found finished already (nothing written for them)
    requests_sent: int
    results_paid: int
    calls_from_store: int
    retries: int
    spent_usd: float
    seconds: float
    out: str
    timeouts: int = 0  # requests that gave no answer in time (each may have been billed)
    timeout_retries: int = 0  # of those, image requests sent again (``retry_timeouts``)
    late_answers: int = 0  # timed-out requests whose answer came later: stored, free next run
    paid_failures: int = 0  # failures recorded as maybe paid: not sent again without ``retry_failed``
    failed_from_store: int = 0  # calls not sent because an earlier run recorded them so
    broken_results: int = 0  # stored images found missing or damaged, so made again
    orphans_removed: int = 0  # temporary files of killed writes cleaned up

    def __str__(self) -> str:
        text = (f"{self.done}/{self.items} done ({self.unchanged} already), {self.errors} errors, "
                f"{self.skipped_budget} skipped for budget; {self.requests_sent} requests sent, "
                f"{self.calls_from_store} calls read from the store, ${self.spent_usd:.4f} spent, "
                f"{self.seconds:.1f} s -> {self.out}")
        notes = [f"{self.timeouts} timed out ({self.timeout_retries} image requests sent again, "
                 f"{self.late_answers} answered late and stored)" if self.timeouts else "",
                 f"{self.paid_failures} failures recorded as maybe paid" if self.paid_failures else "",
                 f"{self.failed_from_store} calls that failed after being paid not sent again "
                 "(--retry-failed sends them)" if self.failed_from_store else "",
                 f"{self.broken_results} broken stored results made again" if self.broken_results else "",
                 f"{self.orphans_removed} temporary files of an interrupted run removed" if self.orphans_removed else ""]
        notes = [n for n in notes if n]
        return text + ("\n" + "; ".join(notes) if notes else "")


def make_backend(backend: str | Backend, options: dict[str, Any] | None, config: ModelsConfig) -> Backend:
    """A backend instance from a name (plus options) or an instance given as is."""
    if isinstance(backend, Backend):
        return backend
    if not isinstance(backend, str):
        raise TypeError(f"backend must be a name ({sorted(BACKENDS)}) or a Backend instance, "
                        f"got {type(backend).__name__} (subclass ogi_toolkit.backends.Backend)")
    return get_backend(backend, config=config, **(options or {}))


async def check_backend(backend: Backend, *, rewrite: bool) -> None:
    """Let the backend refuse the run before any item (the OpenAI one asks for its models)."""
    try:
        await backend.check(rewrite=rewrite)
    except BackendError as exc:
        raise RunAborted(f"checking the models: {exc}") from None


async def arun_plan(
    plan: str | Path | Iterable[InstructionSpec],
    out: str | Path,
    *,
    backend: str | Backend = "sketch",
    backend_options: dict[str, Any] | None = None,
    rewrite: bool = False,
    size: str | None = None,
    concurrency: int = 8,
    rpm: float | None = None,
    max_cost: float | None = None,
    max_attempts: int = 6,
    backoff_s: float = 1.0,
    retry_timeouts: int = 0,
    retry_failed: bool = False,
    config: ModelsConfig | str | Path | None = None,
    progress: bool = True,
    check_models: bool = True,
) -> RunSummary:
    """The coroutine behind :func:`run_plan` (``await`` it inside a running event loop).

    ``backend`` is "sketch" (offline, free), "openai", or a backend instance; ``backend_options``
    go to its constructor (``image_model``, ``quality``, ``base_url``, ``timeout``...). At most
    ``concurrency`` requests are in flight and ``rpm`` start per minute; a failed request is
    tried up to ``max_attempts`` times, waiting its ``retry-after`` or ``backoff_s`` doubling.
    ``max_cost`` (US dollars) refuses any request whose estimated cost would pass it.

    A timed-out request may still be done and billed by the server, so it keeps its
    concurrency slot until it really closes (a late answer is stored), and timed-out image
    requests are sent again only ``retry_timeouts`` times in the whole run (default 0).
    Failures that may have been billed (timeouts, malformed answers) are recorded; a later run
    sends them again only with ``retry_failed=True``.
    """
    if concurrency < 1:
        raise ValueError(f"concurrency must be >= 1, got {concurrency}")
    specs = as_specs(plan)
    config = config if isinstance(config, ModelsConfig) else load_models_config(config)
    size = size or config.defaults.size
    be = make_backend(backend, backend_options, config)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    lock = RunLock(out).acquire()  # before reading anything: another run may be writing
    store = bar = None
    try:
        started = time.perf_counter()
        stats = RunStats()
        budget = Budget(max_cost)
        store = ResultStore(out)
        caller = LiveCaller(store=store, backend=be, cost=CostModel.for_backend(be, config), budget=budget,
                            limiter=RateLimiter(rpm), concurrency=concurrency, size=size,
                            max_attempts=max_attempts, backoff_s=backoff_s, stats=stats,
                            retry_timeouts=retry_timeouts, retry_failed=retry_failed)
        previous = latest_records(out / MANIFEST_NAME)
        counts = {"done": 0, "error": 0, "skipped_budget": 0, "unchanged": 0}
        aborted: list[RunAborted] = []
        queue: asyncio.Queue[InstructionSpec] = asyncio.Queue()
        for spec in specs:
            queue.put_nowait(spec)
        bar = _progress_bar(len(specs), progress)

        timed_out: list[InstructionSpec] = []  # items to walk again once timed-out requests have closed

        async def handle(spec: InstructionSpec, writer: ManifestWriter, *, last_walk: bool = False) -> None:
            start = time.perf_counter()
            walk = ItemWalk(instruction=spec.instruction, original_instruction=spec.instruction)
            status, error = "done", None
            try:
                await walk_item(spec, caller, walk, rewrite=rewrite)
            except ItemFailed as exc:
                if exc.error["kind"] == RequestTimedOut.kind and not last_walk:
                    timed_out.append(spec)  # its answer may still come (and be stored) before the run ends
                    return
                status, error = "error", exc.error
            except BudgetExhausted as exc:
                status, error = "skipped_budget", {"step": str(exc), "kind": "budget",
                                                   "message": f"max_cost ${max_cost} would be exceeded"}
            record = item_record(spec, walk, status=status, backend=be, size=size, rewrite=rewrite,
                                 seconds=time.perf_counter() - start, error=error)
            if same_result(previous.get(spec.id), record):
                counts["unchanged"] += 1
            else:
                writer.append(record)
            counts[status] += 1
            if bar is not None:
                bar.update(1)
                bar.set_postfix(errors=counts["error"], spent=f"${budget.spent:.2f}", refresh=False)

        async def worker(writer: ManifestWriter) -> None:
            while not aborted and not queue.empty():
                spec = queue.get_nowait()
                try:
                    await handle(spec, writer)
                except RunAborted as exc:
                    aborted.append(exc)

        if check_models:
            await check_backend(be, rewrite=rewrite)
        with ManifestWriter(out / MANIFEST_NAME) as writer:
            await asyncio.gather(*(worker(writer) for _ in range(min(concurrency, max(1, len(specs))))))
            await caller.drain()  # timed-out requests still open: their late answers are paid for
            # Items that timed out finish from those late answers; the others fail on the
            # failure this run recorded (nothing is sent again), which is not "an earlier run's".
            recorded_before = stats.failed_from_store
            for spec in timed_out if not aborted else ():
                await handle(spec, writer, last_walk=True)
            stats.failed_from_store = recorded_before
    finally:
        if store is not None:
            store.close()
        if bar is not None:
            bar.close()
        await be.aclose()
        lock.release()
    if aborted:
        raise RunAborted(f"run stopped: {aborted[0]}")
    return RunSummary(items=len(specs), done=counts["done"], errors=counts["error"],
                      skipped_budget=counts["skipped_budget"], unchanged=counts["unchanged"],
                      requests_sent=stats.requests_sent, results_paid=stats.results_paid,
                      calls_from_store=stats.calls_from_store, retries=stats.retries,
                      spent_usd=round(budget.spent, 6), seconds=round(time.perf_counter() - started, 3), out=str(out),
                      timeouts=stats.timeouts, timeout_retries=stats.timeout_retries, late_answers=stats.late_answers,
                      paid_failures=stats.paid_failures, failed_from_store=stats.failed_from_store,
                      broken_results=store.broken, orphans_removed=store.orphans_removed)


def _progress_bar(total: int, enabled: bool):
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="item", desc="generate")


def run_plan(plan: str | Path | Iterable[InstructionSpec], out: str | Path, **options: Any) -> RunSummary:
    """Generate every item of ``plan`` into the folder ``out``; see :func:`arun_plan` for options.

    Works in scripts and in notebooks (where an event loop is already running, the run gets
    its own loop in a helper thread).
    """
    return run_sync(arun_plan(plan, out, **options))


def run_sync(coro):
    """Run a coroutine to its end, also from a notebook (whose event loop is already running:
    the coroutine then gets its own loop in a helper thread)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
