"""Run a plan into a dataset folder: what to send per item (:mod:`.flow`) and what to keep (the manifest).

``run_plan(plan, out)`` walks every item through the call engine (:class:`~ogi_toolkit.calls.CallRun`:
concurrency, pacing, retries, budget, timeouts) and appends one manifest line per item whose
outcome changed. Run it again (after a finished
run, Ctrl-C or ``kill -9``) and it continues: every call whose result is in the store is read
back instead of sent, and finished items are not written again.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Iterable

from ..backends import Backend
from ..calls import BudgetExhausted, CallRun, CallSummary, ItemFailed, check_backend, open_backend, run_sync
from ..calls.cost import CostModel
from ..config import ModelsConfig
from ..folder import MANIFEST_NAME, ManifestWriter, latest_records
from ..spec import InstructionSpec
from .flow import ItemWalk, walk_item
from .item_calls import GenerateCalls
from .plan_file import as_specs
from .record import item_record, same_result

__all__ = ["RunSummary", "arun_plan", "run_plan"]


@dataclass
class RunSummary(CallSummary):
    items: int = 0
    done: int = 0
    errors: int = 0
    skipped_budget: int = 0
    unchanged: int = 0  # done items found finished already (nothing written for them)
    broken_results: int = 0  # stored images found missing or damaged, so made again
    orphans_removed: int = 0  # temporary files of killed writes cleaned up

    resent: ClassVar[str] = "image requests"

    def __str__(self) -> str:
        text = (f"{self.done}/{self.items} done ({self.unchanged} already), {self.errors} errors, "
                f"{self.skipped_budget} skipped for budget; " + self.calls_text())
        return self.with_notes(text, [
            f"{self.broken_results} broken stored results made again" if self.broken_results else "",
            f"{self.orphans_removed} temporary files of an interrupted run removed" if self.orphans_removed else ""])


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
    close_timeout: float | None = None,
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
    ``config``: the models config (a file, ``"local"`` for a free local server, or None).

    A timed-out request may still be done and billed by the server, so it keeps its
    concurrency slot until it really closes (a late answer is stored), and timed-out image
    requests are sent again only ``retry_timeouts`` times in the whole run (default 0). The
    run waits for every request it sent, ``close_timeout`` seconds at most (default: until
    each closes). Failures that may have been billed (timeouts, malformed answers) are
    recorded; a later run sends them again only with ``retry_failed=True``.
    """
    specs = as_specs(plan)
    be, config = open_backend(backend, backend_options, config)
    size = size or config.defaults.size
    out = Path(out)
    counts = {"done": 0, "error": 0, "skipped_budget": 0, "unchanged": 0}
    run = CallRun(out, be, CostModel.for_backend(be, config), concurrency=concurrency, rpm=rpm, max_cost=max_cost,
                  max_attempts=max_attempts, backoff_s=backoff_s, retry_timeouts=retry_timeouts,
                  retry_failed=retry_failed, close_timeout=close_timeout, busy_hint="or use another --out")
    async with run:
        calls = GenerateCalls(run.caller, be, size)
        previous = latest_records(out / MANIFEST_NAME)

        async def handle(spec: InstructionSpec) -> None:
            start = time.perf_counter()
            walk = ItemWalk(instruction=spec.instruction, original_instruction=spec.instruction)
            status, error = "done", None
            try:
                await walk_item(spec, calls, walk, rewrite=rewrite)
            except ItemFailed as exc:
                if exc.still_open:
                    raise  # walked again once its request has closed: a late answer may finish it
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

        if check_models:
            await check_backend(be, rewrite=rewrite)
        with ManifestWriter(out / MANIFEST_NAME) as writer:
            await run.walk(specs, handle, progress="generate" if progress else "",
                           postfix=lambda: {"errors": counts["error"], "spent": f"${run.budget.spent:.2f}"})
    return run.summarise(RunSummary(items=len(specs), done=counts["done"], errors=counts["error"],
                                    skipped_budget=counts["skipped_budget"], unchanged=counts["unchanged"],
                                    out=str(out), broken_results=run.store.broken,
                                    orphans_removed=run.store.orphans_removed))


def run_plan(plan: str | Path | Iterable[InstructionSpec], out: str | Path, **options: Any) -> RunSummary:
    """Generate every item of ``plan`` into the folder ``out``; see :func:`arun_plan` for options.

    Works in scripts and in notebooks (where an event loop is already running, the run gets
    its own loop in a helper thread).
    """
    return run_sync(arun_plan(plan, out, **options))

