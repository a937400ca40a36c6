"""``judge(path)``: judge every finished item of a dataset folder, live or through the Batch API.

Writes ``<path>/judgments.jsonl`` (one line per manifest item, in manifest order; see
:func:`~.task.judgment_line` and :func:`~.task.error_line`) atomically at the end. Judgments
are stored as they arrive in ``<path>/judge/calls.jsonl`` (the runner's result store, keyed by
:func:`~.task.judgment_key`), so a rerun, a resume after ``kill -9`` or a rerun with another
``--max-cost`` pays only for what is not stored yet. Replies that are not judgments are not
stored: the next run asks for them again.
"""
from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...backends.base import Judge
from ...config import ModelsConfig, load_models_config
from ...atomic_io import atomic_write_bytes
from ...folder import JUDGMENTS_NAME, MANIFEST_NAME, latest_records
from ...generate.caller import BudgetExhausted, RunAborted, RunStats
from ...generate.cost import Budget
from ...generate.flow import ItemFailed
from ...generate.keys import canonical_json
from ...generate.lock import RunLock
from ...generate.ratelimit import RateLimiter
from ...generate.runner import make_backend, run_sync
from ...generate.store import ResultStore
from .caller import JudgeCaller, judge_cost_model
from .images import DEFAULT_LONG_SIDE, ItemImageError
from .reply import UnreadableReply
from .rubric import Rubric, load_rubric
from .task import JudgeTask, error_line, judgment_line, prepare_task, read_reply

__all__ = ["JUDGE_DIR", "JudgeSummary", "ajudge", "judge"]

JUDGE_DIR = "judge"  # the judge's own store and batch files, apart from the generation run's


@dataclass
class JudgeSummary:
    items: int
    judged: int
    passed: int
    errors: int
    skipped_budget: int
    requests_sent: int
    results_paid: int
    calls_from_store: int
    retries: int
    spent_usd: float
    seconds: float
    out: str

    def __str__(self) -> str:
        return (f"{self.judged}/{self.items} judged ({self.passed} passed), {self.errors} errors, "
                f"{self.skipped_budget} skipped for budget; {self.requests_sent} requests sent, "
                f"{self.calls_from_store} judgments read from the store, ${self.spent_usd:.4f} spent, "
                f"{self.seconds:.1f} s -> {self.out}")


class JudgeRun:
    """What one run needs: the records, the caller, and the lines as they are decided."""

    def __init__(self, root: Path, records: list[dict[str, Any]], caller: JudgeCaller, judge_model: str):
        self.root, self.records, self.caller, self.judge_model = root, records, caller, judge_model
        self.lines: dict[str, dict[str, Any]] = {}

    def prepare(self, record: dict[str, Any]) -> JudgeTask | None:
        """The item's task, or None with its error line recorded (nothing to judge)."""
        if record.get("status") != "done" or not record.get("output_image"):
            self.fail(record["id"], "not_generated", f"the item has no output image (status {record.get('status')!r})")
            return None
        try:
            return prepare_task(record, self.root, self.caller.rubric, self.caller.judge_identity,
                                self.caller.long_side)
        except (ItemImageError, ValueError) as exc:
            self.fail(record["id"], "bad_item", str(exc))
            return None

    def fail(self, item_id: str, kind: str, message: str, task: JudgeTask | None = None) -> None:
        self.lines[item_id] = error_line(item_id, self.judge_model, kind, message, task)

    def judged(self, task: JudgeTask, call: dict[str, Any]) -> None:
        try:
            reply = read_reply(call["text"], task, self.caller.rubric)
        except UnreadableReply as exc:  # a stored reply this version reads differently: the item's error
            self.fail(task.id, "unreadable_judgment", str(exc), task)
            return
        self.lines[task.id] = judgment_line(task, reply, call, self.caller.rubric)

    def write(self) -> None:
        """``judgments.jsonl``, in manifest order, replaced whole (a reader never sees half of it)."""
        data = b"".join(canonical_json(self.lines[r["id"]]) + b"\n" for r in self.records if r["id"] in self.lines)
        atomic_write_bytes(self.root / JUDGMENTS_NAME, data)

    def summary(self, stats: RunStats, budget: Budget, started: float, **counts: int) -> JudgeSummary:
        lines = self.lines.values()
        errors = [line["error"] for line in lines if line["error"]]
        return JudgeSummary(
            items=len(self.records), judged=sum(1 for line in lines if not line["error"]),
            passed=sum(1 for line in lines if line["passed"]),
            errors=sum(1 for e in errors if e["kind"] != "budget"),
            skipped_budget=sum(1 for e in errors if e["kind"] == "budget"),
            requests_sent=counts.get("requests_sent", stats.requests_sent),
            results_paid=counts.get("results_paid", stats.results_paid),
            calls_from_store=counts.get("calls_from_store", stats.calls_from_store), retries=stats.retries,
            spent_usd=round(budget.spent, 6), seconds=round(time.perf_counter() - started, 3), out=str(self.root))


async def _judge_live(run: JudgeRun, concurrency: int, progress: bool, max_cost: float | None) -> None:
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    for record in run.records:
        queue.put_nowait(record)
    aborted: list[RunAborted] = []
    bar = _progress_bar(len(run.records), progress)

    async def handle(record: dict[str, Any]) -> None:
        task = await asyncio.to_thread(run.prepare, record)  # hashing images blocks
        if task is None:
            return
        try:
            outcome = await run.caller.judgment(task)
        except ItemFailed as exc:
            run.fail(task.id, exc.error["kind"], exc.error["message"], task)
        except BudgetExhausted:
            run.fail(task.id, "budget", f"max_cost ${max_cost} would be exceeded", task)
        else:
            run.judged(task, outcome.record)

    async def worker() -> None:
        while not aborted and not queue.empty():
            record = queue.get_nowait()
            try:
                await handle(record)
            except RunAborted as exc:
                aborted.append(exc)
            if bar is not None:
                bar.update(1)

    try:
        await asyncio.gather(*(worker() for _ in range(min(concurrency, max(1, len(run.records))))))
    finally:
        if bar is not None:
            bar.close()
    if aborted:
        raise RunAborted(f"judge run stopped: {aborted[0]}")


def _progress_bar(total: int, enabled: bool):
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="item", desc="judge")


async def ajudge(
    path: str | Path,
    *,
    backend: Any = "openai",
    backend_options: dict[str, Any] | None = None,
    judge_model: str | None = None,
    rubric: str | Path | Rubric | None = None,
    concurrency: int = 8,
    rpm: float | None = None,
    max_cost: float | None = None,
    max_attempts: int = 6,
    backoff_s: float = 1.0,
    long_side: int = DEFAULT_LONG_SIDE,
    batch: bool = False,
    poll_s: float = 30.0,
    config: ModelsConfig | str | Path | None = None,
    progress: bool = True,
) -> JudgeSummary:
    """The coroutine behind :func:`judge` (``await`` it inside a running event loop)."""
    if concurrency < 1:
        raise ValueError(f"concurrency must be >= 1, got {concurrency}")
    if long_side < 16:
        raise ValueError(f"long_side must be at least 16 pixels, got {long_side}")
    root = Path(path)
    manifest = root / MANIFEST_NAME
    if not manifest.is_file():
        raise FileNotFoundError(f"no manifest at {manifest}: expected a folder written by `ogi generate`")
    rubric = load_rubric(rubric)
    config = config if isinstance(config, ModelsConfig) else load_models_config(config)
    options = dict(backend_options or {})
    if judge_model:
        options["judge_model"] = judge_model
    be = make_backend(backend, options, config)
    if not isinstance(be, Judge):
        raise ValueError(f"backend {getattr(be, 'name', be)!r} cannot judge images; use --backend openai")
    model = be.judge_model
    started, stats, budget = time.perf_counter(), RunStats(), Budget(max_cost)
    lock = RunLock(root).acquire()  # a generation run writing this folder would change what is judged
    store = None
    try:
        records = list(latest_records(manifest).values())
        store = ResultStore(root / JUDGE_DIR)
        caller = JudgeCaller(rubric=rubric, long_side=long_side, store=store, backend=be,
                             cost=judge_cost_model(config, model, paid=bool(getattr(be, "paid", False)), batch=batch),
                             budget=budget, limiter=RateLimiter(rpm), concurrency=concurrency,
                             size=config.defaults.size, max_attempts=max_attempts, backoff_s=backoff_s, stats=stats)
        run = JudgeRun(root, records, caller, model)
        counts: dict[str, int] = {}
        if batch:
            from .batch import judge_batch

            log = (lambda msg: print(f"ogi judge: {msg}", file=sys.stderr, flush=True)) if progress else (lambda m: None)
            counts = await judge_batch(run, poll_s=poll_s, log=log, max_cost=max_cost)
        else:
            await _judge_live(run, concurrency, progress, max_cost)
            await caller.drain()  # timed-out requests still open hold their slot until they close
        run.write()
    finally:
        if store is not None:
            store.close()
        if hasattr(be, "aclose"):
            await be.aclose()
        lock.release()
    return run.summary(stats, budget, started, **counts)


def judge(path: str | Path, **options: Any) -> JudgeSummary:
    """Judge every finished item of the dataset folder ``path`` into ``path/judgments.jsonl``.

    ``backend`` "openai" (or a backend instance with a ``judge`` method), ``judge_model`` (a
    vision chat model of the models config), ``backend_options`` (``base_url``, ``timeout``...),
    ``rubric`` (a rubric file; default Pico-Banana's weighting), ``concurrency``, ``rpm``,
    ``max_cost`` (US dollars), ``long_side`` (pixels images are sent at, at most),
    ``batch=True`` for the Batch API. Run it again to resume; stored judgments are never
    requested again. Works in notebooks too.
    """
    return run_sync(ajudge(path, **options))
