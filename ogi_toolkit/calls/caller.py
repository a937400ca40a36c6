"""The caller: look a call up in the store, else send it (paced, retried, budgeted) and store it.

The store is checked before anything is sent and written before the item's result line, so
a rerun, a resume after ``kill -9`` or another plan sharing a call never pays for it twice.
What a call sends and what of its answer is kept is the caller's user's business (images for
generation, text for rewrites and judgments): :meth:`Caller.call` takes both as functions.

A request that times out may still be done and billed by the server, so it keeps its
concurrency slot until it really closes, its late answer is stored, and until then it is
recorded as maybe paid; :meth:`Caller.drain` waits for every such request at the end of a run.
"""
from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable

from ..backends.errors import BackendError, RequestTimedOut
from .cost import Budget, CostModel
from .ratelimit import RateLimiter
from .store import ResultStore, StoredImage

__all__ = ["BudgetExhausted", "CallOutcome", "CallStats", "Caller", "ItemFailed", "RunAborted", "now"]


class BudgetExhausted(Exception):
    """The next request would pass ``max_cost``: the item is left for a later run."""


class RunAborted(Exception):
    """An error that every request would hit (bad key, unknown model): the run stops."""


class ItemFailed(Exception):
    """A call of the item failed for good (refusal, malformed payload, retries used up...).

    ``still_open``: the failure is a timeout whose request is still open; the run walks the
    item again once that request has closed (its late answer may finish the item).
    """

    def __init__(self, step: str, kind: str, message: str, attempts: int = 1, *, still_open: bool = False):
        super().__init__(f"{step}: {kind}: {message}")
        self.error = {"step": step, "kind": kind, "message": message, "attempts": attempts}
        self.still_open = still_open


@dataclass
class CallOutcome:
    key: str
    record: dict[str, Any]  # the stored call record (model, usage, cost_usd, seconds, attempts...)
    cached: bool
    image: StoredImage | None = None
    text: str | None = None


@dataclass
class CallStats:
    requests_sent: int = 0  # attempts sent, failed ones included
    results_paid: int = 0  # attempts answered with a result (late answers included)
    calls_from_store: int = 0
    retries: int = 0
    timeouts: int = 0  # requests that gave no answer in time
    timeout_retries: int = 0  # timed-out requests sent again (``retry_timeouts``)
    late_answers: int = 0  # timed-out requests whose answer came later, stored for next time
    paid_failures: int = 0  # failures that may have been billed, recorded so no run resends them
    failed_from_store: int = 0  # calls not sent because an earlier run paid for a failure
    closed_unanswered: int = 0  # timed-out requests still open when the run stopped waiting (maybe paid)
    resent_after_stop: int = 0  # requests open when an earlier run was killed (maybe paid), sent again


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# What a call's user gives :meth:`Caller.call`: ``send()`` makes the request; ``keep(result,
# seconds, attempts)`` prices and stores its answer and returns the outcome (also for a late
# answer), or raises a BackendError for an answer it cannot use.
Send = Callable[[], Awaitable[Any]]
Keep = Callable[[Any, float, int], Awaitable[CallOutcome]]


class Caller:
    """Sends the calls of a run: store first, then paced, budgeted and retried requests.

    ``retry_timeouts``: how many timed-out requests marked ``costly_timeouts`` this run may
    send again (each may have been billed: the server often does the work anyway).
    ``retry_failed``: send again the calls whose failure an earlier run recorded as paid (a
    malformed answer, a timeout).
    """

    def __init__(self, *, store: ResultStore, cost: CostModel, budget: Budget, limiter: RateLimiter,
                 concurrency: int, max_attempts: int = 6, backoff_s: float = 1.0, stats: CallStats | None = None,
                 retry_timeouts: int = 0, retry_failed: bool = False):
        self.store, self.cost, self.budget, self.limiter = store, cost, budget, limiter
        self.max_attempts, self.backoff_s = max_attempts, backoff_s
        self.in_flight = asyncio.Semaphore(concurrency)
        self.stats = stats or CallStats()
        self.timeout_retries_left = retry_timeouts
        self.retry_failed = retry_failed
        self._lingering: dict[asyncio.Task, tuple[str, str, float]] = {}  # open timed-out request -> key, step, estimate
        self._paid_failed: set[str] = set()  # keys of failures recorded as maybe paid by this run

    def lookup(self, key: str, step: str = "") -> CallOutcome | None:
        """The stored result of call ``key``; raises ItemFailed for a failure recorded as maybe paid."""
        record = self.store.get(key)
        if record is None:
            if key in self.store.open_at_stop:  # sent by a run that was killed before its answer came
                self.store.open_at_stop.discard(key)
                self.stats.resent_after_stop += 1
            return None
        if "failed" in record:
            failed = record["failed"]
            if key in self._paid_failed:  # this run's own failure (a timed-out item walked again)
                raise ItemFailed(step or record.get("step", ""), failed["kind"], failed["message"],
                                 failed.get("attempts", 1))
            if self.retry_failed:
                return None
            self.stats.failed_from_store += 1
            raise ItemFailed(step or record.get("step", ""), failed["kind"],
                             f"{failed['message']} (an earlier run may have paid for it: not sent again "
                             "unless you pass --retry-failed)", failed.get("attempts", 1))
        self.stats.calls_from_store += 1
        image = StoredImage(record["image_sha256"], record["image"]) if record.get("image") else None
        return CallOutcome(key, record, cached=True, image=image, text=record.get("text"))

    async def call(self, key: str, step: str, send: Send, keep: Keep, estimate: float, *,
                   costly_timeouts: bool = True) -> CallOutcome:
        """The outcome of call ``key``: from the store, or sent and kept.

        ``costly_timeouts``: a timeout is sent again only within ``retry_timeouts`` (the
        server may have done and billed the work); otherwise up to ``max_attempts``.
        """
        if (hit := self.lookup(key, step)) is not None:
            return hit
        result, seconds, attempts = await self._send(send, estimate, step, key, keep, costly_timeouts)
        try:
            return await keep(result, seconds, attempts)
        except BackendError as exc:  # an answer that cannot be used (a reply that is no judgment): paid
            if exc.maybe_billed:
                self.budget.settle(0.0, estimate)
                self.save_paid_failure(key, step, exc, attempts, estimate)
            raise ItemFailed(step, exc.kind, str(exc), attempts) from None

    def save_text(self, key: str, call: str, result: Any, seconds: float, attempts: int) -> CallOutcome:
        """Price a chat answer (a rewrite, a judgment), count it as spent, store it."""
        cost = self.cost.chat_cost(result.usage)
        self.budget.settle(0.0, cost)
        record = {"key": key, "call": call, "step": call, "text": result.text, "model": result.model,
                  "usage": result.usage, "cost_usd": round(cost, 6), "seconds": round(seconds, 3),
                  "attempts": attempts, "created_at": now()}
        self.store.put(key, record)
        return CallOutcome(key, record, cached=False, text=result.text)

    def save_paid_failure(self, key: str, step: str, error: BackendError, attempts: int, estimate: float) -> None:
        """Record a failure that may have been billed, so later runs do not pay for it again."""
        self.stats.paid_failures += 1
        self._paid_failed.add(key)
        self.store.put(key, {"key": key, "step": step, "failed": {"kind": error.kind, "message": str(error),
                                                                  "attempts": attempts},
                             "cost_usd": round(estimate, 6), "created_at": now()})

    async def _send(self, send: Send, estimate: float, step: str, key: str, keep: Keep, costly_timeouts: bool):
        """Send with retries; return (result, seconds, attempts). The reservation is released
        on return; ``keep`` settles the real cost."""
        attempt = 0
        while True:
            attempt += 1
            if not self.budget.reserve(estimate):
                raise BudgetExhausted(step)
            await self.limiter.wait()
            await self.in_flight.acquire()
            release, still_open = True, False
            self.stats.requests_sent += 1
            self.store.note_sent(key, step)
            start = time.perf_counter()
            try:
                result = await send()
            except BackendError as exc:
                # A request that may have been served (a timeout) is counted as paid.
                self.budget.settle(estimate, estimate if exc.maybe_billed else 0.0)
                error = exc
                if exc.pending is not None:  # still open: it keeps its slot until it closes
                    release, still_open = False, True
                    self._linger(exc.pending, estimate, key, step, keep)
            except Exception as exc:  # a backend bug must not kill the run: it is the item's error
                self.budget.settle(estimate, 0.0)
                raise ItemFailed(step, "backend_error", f"{type(exc).__name__}: {exc}", attempt) from None
            else:
                self.budget.settle(estimate, 0.0)
                self.stats.results_paid += 1
                return result, time.perf_counter() - start, attempt
            finally:
                if release:
                    self.in_flight.release()
            if error.fatal:
                raise RunAborted(f"{step}: {error}") from None
            timed_out = error.kind == RequestTimedOut.kind
            if timed_out:
                self.stats.timeouts += 1
            may_retry = error.retryable and attempt < self.max_attempts
            if may_retry and timed_out and costly_timeouts:  # each try may be billed: only within the budget
                may_retry = self.timeout_retries_left > 0
                if may_retry:
                    self.timeout_retries_left -= 1
                    self.stats.timeout_retries += 1
            if not may_retry:
                if error.maybe_billed:
                    self.save_paid_failure(key, step, error, attempt, estimate)
                raise ItemFailed(step, error.kind, str(error), attempt, still_open=still_open) from None
            self.stats.retries += 1
            delay = error.retry_after
            if delay is None:  # exponential backoff with jitter, capped at a minute
                delay = min(60.0, self.backoff_s * 2 ** (attempt - 1)) * (0.5 + random.random())
            if error.kind == "rate_limited":
                self.limiter.hold(delay)
            await asyncio.sleep(delay)

    def _linger(self, pending: Awaitable[Any], estimate: float, key: str, step: str, keep: Keep) -> None:
        """Hold a concurrency slot for a timed-out request until it really closes; keep its late answer."""

        async def wait_for_close() -> None:
            try:
                result = await pending
            except BackendError:
                return  # closed without an answer: it stays a (maybe billed) failure
            finally:
                self.in_flight.release()
            self.stats.results_paid += 1
            self.stats.late_answers += 1
            try:  # stored after the failure record, so the result wins on every later read
                await keep(result, 0.0, 1)
            except BackendError as exc:  # a late answer that is itself a (billed) failure
                if exc.maybe_billed and key not in self._paid_failed:
                    self.save_paid_failure(key, step, exc, 1, estimate)
                return
            self.budget.settle(0.0, -estimate)  # its real cost replaces the estimate counted at the timeout
            if key in self._paid_failed:
                self._paid_failed.discard(key)
                self.stats.paid_failures -= 1

        task = asyncio.ensure_future(wait_for_close())
        self._lingering[task] = (key, step, estimate)
        task.add_done_callback(lambda done: self._lingering.pop(done, None))

    async def drain(self, timeout: float | None = None) -> None:
        """Wait until every timed-out request has closed (storing the answers that come late).

        ``timeout``: seconds to wait at most; requests still open then are closed (:meth:`abandon`).
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while self._lingering:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                break
            await asyncio.wait(set(self._lingering), timeout=left)
        self.abandon()

    def abandon(self) -> None:
        """Close the timed-out requests still open; each whose call has nothing stored is recorded
        as a failure that may have been paid (never sent again without ``retry_failed``)."""
        for task, (key, step, estimate) in list(self._lingering.items()):
            self.stats.closed_unanswered += 1
            task.cancel()
            if self.store.get(key) is None:
                error = RequestTimedOut("no answer before the run closed the request (--close-timeout)")
                self.save_paid_failure(key, step, error, 1, estimate)
        self._lingering.clear()
