"""The live caller: look a call up in the store, else send it (paced, retried, budgeted) and store it.

The store is checked before anything is sent and written before the item's manifest line, so
a rerun, a resume after ``kill -9`` or another plan sharing a call never pays for it twice.
Only requests in flight at a kill are lost (and may have been billed).
"""
from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable

from ..backends.base import Backend, ImageRequest
from ..backends.errors import BackendError, RequestTimedOut
from ..spec import InstructionSpec
from .cost import Budget, CostModel
from .flow import CallOutcome, ItemFailed, StoredImage
from .keys import image_call_key, rewrite_key
from .ratelimit import RateLimiter
from .store import ResultStore

__all__ = ["BudgetExhausted", "LiveCaller", "RunAborted", "RunStats"]


class BudgetExhausted(Exception):
    """The next request would pass ``max_cost``: the item is left for a later run."""


class RunAborted(Exception):
    """An error that every request would hit (bad key, unknown model): the run stops."""


@dataclass
class RunStats:
    requests_sent: int = 0  # attempts sent, failed ones included
    results_paid: int = 0  # attempts answered with a result (late answers included)
    calls_from_store: int = 0
    retries: int = 0
    timeouts: int = 0  # image and chat requests that gave no answer in time
    timeout_retries: int = 0  # timed-out image requests sent again (``retry_timeouts``)
    late_answers: int = 0  # timed-out requests whose answer came later, stored for next time
    paid_failures: int = 0  # failures that may have been billed, recorded so no run resends them
    failed_from_store: int = 0  # calls not sent because an earlier run paid for a failure


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class LiveCaller:
    """Sends the calls of a run: store first, then paced, budgeted and retried requests.

    ``retry_timeouts``: how many timed-out *image* requests this run may send again (each may
    have been billed: the server often does the work anyway). ``retry_failed``: send again the
    calls whose failure an earlier run recorded as paid (a malformed answer, a timeout).
    """

    def __init__(self, *, store: ResultStore, backend: Backend, cost: CostModel, budget: Budget,
                 limiter: RateLimiter, concurrency: int, size: str, max_attempts: int = 6,
                 backoff_s: float = 1.0, stats: RunStats | None = None, retry_timeouts: int = 0,
                 retry_failed: bool = False):
        self.store, self.backend, self.cost, self.budget, self.limiter = store, backend, cost, budget, limiter
        self.size, self.max_attempts, self.backoff_s = size, max_attempts, backoff_s
        self.in_flight = asyncio.Semaphore(concurrency)
        self.stats = stats or RunStats()
        self.timeout_retries_left = retry_timeouts
        self.retry_failed = retry_failed
        self.identity = backend.identity()
        self.rewrite_identity = backend.rewrite_identity()
        self.uses_spec = backend.uses_spec
        self._lingering: set[asyncio.Task] = set()  # timed-out requests still open
        self._paid_failed: set[str] = set()  # keys of failures recorded as maybe paid by this run

    def image_key(self, call: str, step: str, prompt: str, inputs: tuple[StoredImage, ...],
                  spec: InstructionSpec) -> str:
        return image_call_key(self.identity, call, prompt=prompt, size=self.size,
                              image_sha256=[i.sha for i in inputs], uses_spec=self.uses_spec, step=step, spec=spec)

    def rewrite_key(self, spec: InstructionSpec) -> str:
        return rewrite_key(self.rewrite_identity, spec)

    def lookup(self, key: str, step: str = "") -> CallOutcome | None:
        """The stored result of call ``key``; raises ItemFailed for a failure an earlier run paid for."""
        record = self.store.get(key)
        if record is None:
            return None
        if "failed" in record:
            if self.retry_failed:
                return None
            self.stats.failed_from_store += 1
            failed = record["failed"]
            raise ItemFailed(step or record.get("step", ""), failed["kind"],
                             f"{failed['message']} (an earlier run may have paid for it: not sent again "
                             "unless you pass --retry-failed)", failed.get("attempts", 1))
        self.stats.calls_from_store += 1
        image = StoredImage(record["image_sha256"], record["image"]) if record.get("image") else None
        return CallOutcome(key, record, cached=True, image=image, text=record.get("text"))

    async def image(self, call: str, step: str, prompt: str, inputs: tuple[StoredImage, ...],
                    spec: InstructionSpec) -> CallOutcome:
        key = self.image_key(call, step, prompt, inputs, spec)
        if (hit := self.lookup(key, step)) is not None:
            return hit
        request = ImageRequest(prompt=prompt, step=step, size=self.size, spec=spec,
                               images=tuple(self.store.read_image(i.rel) for i in inputs))
        method = self.backend.generate if call == "generate" else self.backend.edit
        estimate = self.cost.estimate_image(prompt, len(inputs), self.size)

        async def keep_late(result: Any) -> None:
            await self.save_image(key, call, step, prompt, result, 0.0, 1)

        result, seconds, attempts = await self._send(lambda: method(request), estimate, step, key,
                                                     image=True, keep_late=keep_late)
        return await self.save_image(key, call, step, prompt, result, seconds, attempts)

    async def rewrite(self, spec: InstructionSpec) -> CallOutcome:
        key = self.rewrite_key(spec)
        if (hit := self.lookup(key, "rewrite")) is not None:
            return hit

        async def keep_late(result: Any) -> None:
            self.save_text(key, result, 0.0, 1)

        result, seconds, attempts = await self._send(lambda: self.backend.rewrite(spec),
                                                     self.cost.estimate_rewrite(), "rewrite", key,
                                                     image=False, keep_late=keep_late)
        return self.save_text(key, result, seconds, attempts)

    async def save_image(self, key: str, call: str, step: str, prompt: str, result: Any, seconds: float,
                         attempts: int) -> CallOutcome:
        """Price an image result, count it as spent, store image then record."""
        cost = self.cost.image_cost(result.usage, self.size)
        self.budget.settle(0.0, cost)
        # Creating a file can block for milliseconds: not on the event loop's time.
        sha, rel = await asyncio.to_thread(self.store.put_image, result.image)
        record = {"key": key, "call": call, "step": step, "prompt": prompt, "image": rel, "image_sha256": sha,
                  "model": result.model, "usage": result.usage, "meta": result.meta, "cost_usd": round(cost, 6),
                  "seconds": round(seconds, 3), "attempts": attempts, "created_at": _now()}
        self.store.put(key, record)
        return CallOutcome(key, record, cached=False, image=StoredImage(sha, rel))

    def save_text(self, key: str, result: Any, seconds: float, attempts: int) -> CallOutcome:
        cost = self.cost.chat_cost(result.usage)
        self.budget.settle(0.0, cost)
        record = {"key": key, "call": "rewrite", "step": "rewrite", "text": result.text, "model": result.model,
                  "usage": result.usage, "cost_usd": round(cost, 6), "seconds": round(seconds, 3),
                  "attempts": attempts, "created_at": _now()}
        self.store.put(key, record)
        return CallOutcome(key, record, cached=False, text=result.text)

    def save_paid_failure(self, key: str, step: str, error: BackendError, attempts: int, estimate: float) -> None:
        """Record a failure that may have been billed, so later runs do not pay for it again."""
        self.stats.paid_failures += 1
        self._paid_failed.add(key)
        self.store.put(key, {"key": key, "step": step, "failed": {"kind": error.kind, "message": str(error),
                                                                  "attempts": attempts},
                             "cost_usd": round(estimate, 6), "created_at": _now()})

    async def _send(self, send: Callable[[], Awaitable[Any]], estimate: float, step: str, key: str | None = None, *,
                    image: bool = False, keep_late: Callable[[Any], Awaitable[None]] | None = None):
        """Send with retries; return (result, seconds, attempts). The reservation is released
        on return; the caller settles the real cost.

        ``key``: where a failure that may have been billed is recorded (none: not recorded);
        ``image``: timeouts are retried only within ``retry_timeouts``; ``keep_late``: stores
        the answer of a timed-out request that comes later (none: it is dropped).
        """
        attempt = 0
        while True:
            attempt += 1
            if not self.budget.reserve(estimate):
                raise BudgetExhausted(step)
            await self.limiter.wait()
            await self.in_flight.acquire()
            release = True
            self.stats.requests_sent += 1
            start = time.perf_counter()
            try:
                result = await send()
            except BackendError as exc:
                # A request that may have been served (a timeout) is counted as paid.
                self.budget.settle(estimate, estimate if exc.maybe_billed else 0.0)
                error = exc
                if exc.pending is not None:  # still open: it keeps its slot until it closes
                    release = False
                    self._linger(exc.pending, estimate, keep_late, key)
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
            if may_retry and timed_out and image:  # each try may be billed: only within the budget
                may_retry = self.timeout_retries_left > 0
                if may_retry:
                    self.timeout_retries_left -= 1
                    self.stats.timeout_retries += 1
            if not may_retry:
                if error.maybe_billed and key is not None:
                    self.save_paid_failure(key, step, error, attempt, estimate)
                raise ItemFailed(step, error.kind, str(error), attempt) from None
            self.stats.retries += 1
            delay = error.retry_after
            if delay is None:  # exponential backoff with jitter, capped at a minute
                delay = min(60.0, self.backoff_s * 2 ** (attempt - 1)) * (0.5 + random.random())
            if error.kind == "rate_limited":
                self.limiter.hold(delay)
            await asyncio.sleep(delay)

    def _linger(self, pending: Awaitable[Any], estimate: float,
                keep_late: Callable[[Any], Awaitable[None]] | None, key: str | None) -> None:
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
            if keep_late is not None:  # its real cost then replaces the estimate counted at the timeout
                self.budget.settle(0.0, -estimate)
                await keep_late(result)  # stored after the failure record: the result wins
                if key in self._paid_failed:
                    self._paid_failed.discard(key)
                    self.stats.paid_failures -= 1

        task = asyncio.ensure_future(wait_for_close())
        self._lingering.add(task)
        task.add_done_callback(self._lingering.discard)

    async def drain(self) -> None:
        """Wait until every timed-out request has closed (storing the answers that come late)."""
        while self._lingering:
            await asyncio.gather(*self._lingering, return_exceptions=True)
