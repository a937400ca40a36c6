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

from ..backends.base import ImageRequest
from ..backends.errors import BackendError
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
    results_paid: int = 0  # attempts answered with a result
    calls_from_store: int = 0
    retries: int = 0


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class LiveCaller:
    def __init__(self, *, store: ResultStore, backend: Any, cost: CostModel, budget: Budget,
                 limiter: RateLimiter, concurrency: int, size: str, max_attempts: int = 6,
                 backoff_s: float = 1.0, stats: RunStats | None = None):
        self.store, self.backend, self.cost, self.budget, self.limiter = store, backend, cost, budget, limiter
        self.size, self.max_attempts, self.backoff_s = size, max_attempts, backoff_s
        self.in_flight = asyncio.Semaphore(concurrency)
        self.stats = stats or RunStats()
        self.identity = backend.identity()
        self.rewrite_identity = getattr(backend, "rewrite_identity", backend.identity)()
        # Backends that draw from the spec's structure (or do not say) get it in their keys.
        self.uses_spec = bool(getattr(backend, "uses_spec", True))

    def image_key(self, call: str, step: str, prompt: str, inputs: tuple[StoredImage, ...],
                  spec: InstructionSpec) -> str:
        return image_call_key(self.identity, call, prompt=prompt, size=self.size,
                              image_sha256=[i.sha for i in inputs], uses_spec=self.uses_spec, step=step, spec=spec)

    def rewrite_key(self, spec: InstructionSpec) -> str:
        return rewrite_key(self.rewrite_identity, spec)

    def lookup(self, key: str) -> CallOutcome | None:
        record = self.store.get(key)
        if record is None:
            return None
        self.stats.calls_from_store += 1
        image = StoredImage(record["image_sha256"], record["image"]) if record.get("image") else None
        return CallOutcome(key, record, cached=True, image=image, text=record.get("text"))

    async def image(self, call: str, step: str, prompt: str, inputs: tuple[StoredImage, ...],
                    spec: InstructionSpec) -> CallOutcome:
        key = self.image_key(call, step, prompt, inputs, spec)
        if (hit := self.lookup(key)) is not None:
            return hit
        request = ImageRequest(prompt=prompt, step=step, size=self.size, spec=spec,
                               images=tuple(self.store.read_image(i.rel) for i in inputs))
        method = self.backend.generate if call == "generate" else self.backend.edit
        estimate = self.cost.estimate_image(prompt, len(inputs), self.size)
        result, seconds, attempts = await self._send(lambda: method(request), estimate, step)
        return await self.save_image(key, call, step, prompt, result, seconds, attempts)

    async def rewrite(self, spec: InstructionSpec) -> CallOutcome:
        key = self.rewrite_key(spec)
        if (hit := self.lookup(key)) is not None:
            return hit
        result, seconds, attempts = await self._send(lambda: self.backend.rewrite(spec),
                                                     self.cost.estimate_rewrite(), "rewrite")
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

    async def _send(self, send: Callable[[], Awaitable[Any]], estimate: float, step: str):
        """Send with retries; return (result, seconds, attempts). The reservation is released
        on return; the caller settles the real cost."""
        attempt = 0
        while True:
            attempt += 1
            if not self.budget.reserve(estimate):
                raise BudgetExhausted(step)
            await self.limiter.wait()
            async with self.in_flight:
                self.stats.requests_sent += 1
                start = time.perf_counter()
                try:
                    result = await send()
                except BackendError as exc:
                    # A request that may have been served (a timeout) is counted as paid.
                    self.budget.settle(estimate, estimate if exc.maybe_billed else 0.0)
                    error = exc
                except Exception as exc:  # a backend bug must not kill the run: it is the item's error
                    self.budget.settle(estimate, 0.0)
                    raise ItemFailed(step, "backend_error", f"{type(exc).__name__}: {exc}", attempt) from None
                else:
                    self.budget.settle(estimate, 0.0)
                    self.stats.results_paid += 1
                    return result, time.perf_counter() - start, attempt
            if error.fatal:
                raise RunAborted(f"{step}: {error}") from None
            if not error.retryable or attempt >= self.max_attempts:
                raise ItemFailed(step, error.kind, str(error), attempt) from None
            self.stats.retries += 1
            delay = error.retry_after
            if delay is None:  # exponential backoff with jitter, capped at a minute
                delay = min(60.0, self.backoff_s * 2 ** (attempt - 1)) * (0.5 + random.random())
            if error.kind == "rate_limited":
                self.limiter.hold(delay)
            await asyncio.sleep(delay)
