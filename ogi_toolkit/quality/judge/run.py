"""``judge(path)``: judge every finished item of a dataset folder, live or through the Batch API.

Writes ``<path>/judgments.jsonl`` (one line per manifest item, in manifest order; see
:func:`~.task.judgment_line` and :func:`~.task.error_line`) atomically at the end. Judgments
are stored as they arrive in ``<path>/judge/calls.jsonl`` (the call engine's result store, keyed
by :func:`~.task.judgment_key`), so a rerun, a resume after ``kill -9`` or a rerun with another
``--max-cost`` pays only for what is not stored yet. Replies that are not judgments (garbage,
refusals) were billed: they are recorded as maybe paid, and a later run asks for them again
only with ``retry_failed``.
"""
from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...atomic_io import atomic_write_bytes
from ...backends.base import BatchBackend, Judge
from ...calls import BudgetExhausted, CallRun, CallSummary, ItemFailed, open_backend, run_sync
from ...calls.cost import CostModel
from ...calls.keys import canonical_json
from ...config import ModelsConfig
from ...folder import JUDGMENTS_NAME, MANIFEST_NAME, latest_records
from .caller import JudgeCalls
from .images import DEFAULT_LONG_SIDE, ItemImageError
from .reply import UnreadableReply
from .rubric import Rubric, load_rubric
from .task import JudgeTask, error_line, judgment_line, prepare_task, read_reply

__all__ = ["JUDGE_DIR", "JudgeSummary", "ajudge", "judge"]

JUDGE_DIR = "judge"  # the judge's own store and batch files, apart from the generation run's


@dataclass
class JudgeSummary(CallSummary):
    items: int = 0
    judged: int = 0
    passed: int = 0
    errors: int = 0
    skipped_budget: int = 0

    def __str__(self) -> str:
        return self.with_notes(f"{self.judged}/{self.items} judged ({self.passed} passed), {self.errors} errors, "
                               f"{self.skipped_budget} skipped for budget; "
                               + self.calls_text("judgments read from the store"))


class Judging:
    """What one run decides: the records, and each item's judgments.jsonl line as it is decided."""

    def __init__(self, root: Path, records: list[dict[str, Any]], calls: JudgeCalls, judge_model: str):
        self.root, self.records, self.calls, self.judge_model = root, records, calls, judge_model
        self.lines: dict[str, dict[str, Any]] = {}

    def prepare(self, record: dict[str, Any]) -> JudgeTask | None:
        """The item's task, or None with its error line recorded (nothing to judge)."""
        if record.get("status") != "done" or not record.get("output_image"):
            self.fail(record["id"], "not_generated", f"the item has no output image (status {record.get('status')!r})")
            return None
        try:
            return prepare_task(record, self.root, self.calls.rubric, self.calls.judge_identity, self.calls.long_side)
        except (ItemImageError, ValueError) as exc:
            self.fail(record["id"], "bad_item", str(exc))
            return None

    def fail(self, item_id: str, kind: str, message: str, task: JudgeTask | None = None) -> None:
        self.lines[item_id] = error_line(item_id, self.judge_model, kind, message, task)

    def judged(self, task: JudgeTask, call: dict[str, Any]) -> None:
        try:
            reply = read_reply(call["text"], task, self.calls.rubric)
        except UnreadableReply as exc:  # a stored reply this version reads differently: the item's error
            self.fail(task.id, "unreadable_judgment", str(exc), task)
            return
        self.lines[task.id] = judgment_line(task, reply, call, self.calls.rubric)

    def write(self) -> None:
        """``judgments.jsonl``, in manifest order, replaced whole (a reader never sees half of it)."""
        data = b"".join(canonical_json(self.lines[r["id"]]) + b"\n" for r in self.records if r["id"] in self.lines)
        atomic_write_bytes(self.root / JUDGMENTS_NAME, data)

    def summary(self) -> JudgeSummary:
        lines = self.lines.values()
        errors = [line["error"] for line in lines if line["error"]]
        return JudgeSummary(items=len(self.records), judged=sum(1 for line in lines if not line["error"]),
                            passed=sum(1 for line in lines if line["passed"]),
                            errors=sum(1 for e in errors if e["kind"] != "budget"),
                            skipped_budget=sum(1 for e in errors if e["kind"] == "budget"), out=str(self.root))


async def _judge_live(run: CallRun, judging: Judging, progress: bool, max_cost: float | None) -> None:
    async def handle(record: dict[str, Any]) -> None:
        task = await asyncio.to_thread(judging.prepare, record)  # hashing images blocks
        if task is None:
            return
        try:
            outcome = await judging.calls.judgment(task)
        except ItemFailed as exc:
            if exc.still_open:
                raise  # walked again once its request has closed: a late answer may finish it
            judging.fail(task.id, exc.error["kind"], exc.error["message"], task)
        except BudgetExhausted:
            judging.fail(task.id, "budget", f"max_cost ${max_cost} would be exceeded", task)
        else:
            judging.judged(task, outcome.record)

    await run.walk(judging.records, handle, progress="judge" if progress else "")


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
    retry_failed: bool = False,
    close_timeout: float | None = None,
    long_side: int = DEFAULT_LONG_SIDE,
    batch: bool = False,
    poll_s: float = 30.0,
    config: ModelsConfig | str | Path | None = None,
    progress: bool = True,
) -> JudgeSummary:
    """The coroutine behind :func:`judge` (``await`` it inside a running event loop)."""
    if long_side < 16:
        raise ValueError(f"long_side must be at least 16 pixels, got {long_side}")
    root = Path(path)
    manifest = root / MANIFEST_NAME
    if not manifest.is_file():
        raise FileNotFoundError(f"no manifest at {manifest}: expected a folder written by `ogi generate`")
    rubric = load_rubric(rubric)
    options = dict(backend_options or {})
    if judge_model:
        options["judge_model"] = judge_model
    be, config = open_backend(backend, options, config)
    if not isinstance(be, Judge):
        raise ValueError(f"backend {be.name!r} cannot judge images; use --backend openai")
    if batch and not isinstance(be, BatchBackend):
        raise ValueError(f"backend {be.name!r} has no Batch API; run without --batch")
    # The lock is the dataset folder's: a generation run writing it would change what is judged.
    run = CallRun(root / JUDGE_DIR, be, CostModel.for_judge(be, config, batch=batch), concurrency=concurrency,
                  rpm=rpm, max_cost=max_cost, max_attempts=max_attempts, backoff_s=backoff_s,
                  retry_failed=retry_failed, close_timeout=close_timeout, lock=root)
    rounds = None
    async with run:
        calls = JudgeCalls(run.caller, be, rubric=rubric, long_side=long_side)
        judging = Judging(root, list(latest_records(manifest).values()), calls, be.judge_model)
        if batch:
            from .batch import judge_batch

            log = (lambda msg: print(f"ogi judge: {msg}", file=sys.stderr, flush=True)) if progress else (lambda m: None)
            rounds = await judge_batch(judging, calls, poll_s=poll_s, log=log, max_cost=max_cost)
        else:
            await _judge_live(run, judging, progress, max_cost)
        judging.write()
    summary = run.summarise(judging.summary())
    return rounds.summarise(summary) if rounds is not None else summary


def judge(path: str | Path, **options: Any) -> JudgeSummary:
    """Judge every finished item of the dataset folder ``path`` into ``path/judgments.jsonl``.

    ``backend`` "openai" (or a backend with the :class:`~ogi_toolkit.backends.base.Judge` methods),
    ``judge_model`` (a vision chat model of the models config), ``backend_options`` (``base_url``,
    ``timeout``...), ``rubric`` (a rubric file; default Pico-Banana's weighting), ``concurrency``,
    ``rpm``, ``max_cost`` (US dollars), ``long_side`` (pixels images are sent at, at most),
    ``batch=True`` for the Batch API, ``config`` (a models file, or ``"local"`` for a free local
    server), ``close_timeout`` (seconds the run waits for timed-out requests at its end).
    Run it again to resume; stored judgments are never requested again, nor are replies that
    were not judgments (billed) unless ``retry_failed=True``. Works in notebooks too.
    """
    return run_sync(ajudge(path, **options))
