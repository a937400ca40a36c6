"""One run of per-item calls: the backend, the folder's lock and store, the caller, the walk over items.

A run that sends requests per item (generate, rewrite, judge) says what to send and what to
keep; this module does the rest, once: it builds the backend from a name and options (with
one models config), holds the folder's lock, opens the result store, walks the items with
``concurrency`` workers, walks again the items whose request timed out once that request has
closed, and waits for every request it sent (up to ``close_timeout``) before it returns, so
a paid answer is stored or its call recorded as maybe paid, never lost.
"""
from __future__ import annotations

import asyncio
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Awaitable, Callable, Iterable, TypeVar

from ..backends import BACKENDS, Backend, get_backend
from ..backends.errors import BackendError
from ..config import ModelsConfig, load_models_config
from .caller import Caller, CallStats, ItemFailed, RunAborted
from .cost import Budget, CostModel
from .lock import RunLock
from .ratelimit import RateLimiter
from .store import ResultStore
from .summary import CallSummary

__all__ = ["CallRun", "check_backend", "make_backend", "open_backend", "run_sync"]

Item = TypeVar("Item")


def open_backend(backend: str | Backend, backend_options: dict[str, Any] | None,
                 config: ModelsConfig | str | Path | None) -> tuple[Backend, ModelsConfig]:
    """The run's backend and its models config (prices, defaults), which backend and run share.

    The config may be given as ``config`` or as ``backend_options["config"]`` (a path, or
    ``"local"`` for the free local server's prices); given both ways, they must agree.
    """
    options = dict(backend_options or {})
    named = options.pop("config", None)
    loaded = config if isinstance(config, ModelsConfig) else load_models_config(config if config is not None else named)
    if named is not None and config is not None:
        other = named if isinstance(named, ModelsConfig) else load_models_config(named)
        if other != loaded:
            raise ValueError(f"two different models configs given: config={config!r} and backend_options "
                             f"config={named!r}; pass one")
    return make_backend(backend, options, loaded), loaded


def make_backend(backend: str | Backend, options: dict[str, Any] | None, config: ModelsConfig) -> Backend:
    """A backend instance from a name (plus options) or an instance given as is."""
    if isinstance(backend, Backend):
        return backend
    if not isinstance(backend, str):
        raise TypeError(f"backend must be a name ({sorted(BACKENDS)}) or a Backend instance, "
                        f"got {type(backend).__name__} (subclass ogi_toolkit.backends.Backend)")
    options = {k: v for k, v in (options or {}).items() if k != "config"}  # the run's config is the one
    return get_backend(backend, config=config, **options)


async def check_backend(backend: Backend, *, rewrite: bool) -> None:
    """Let the backend refuse the run before any item (the OpenAI one asks for its models)."""
    try:
        await backend.check(rewrite=rewrite)
    except BackendError as exc:
        raise RunAborted(f"checking the models: {exc}") from None


def run_sync(coro):
    """Run a coroutine to its end, also from a notebook (whose event loop is already running:
    the coroutine then gets its own loop in a helper thread)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _progress_bar(total: int, desc: str):
    if not desc:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="item", desc=desc)


class CallRun:
    """One run of calls into the store folder ``folder``; use it as ``async with``.

    Inside, ``caller`` sends and stores calls (see :class:`~.caller.Caller`), ``budget`` holds
    ``max_cost``, and :meth:`walk` takes every item through the run's ``handle``. On leaving,
    the store, the backend's connections and the lock are released, whatever happened.
    """

    def __init__(self, folder: str | Path, backend: Backend, cost: CostModel, *, concurrency: int = 8,
                 rpm: float | None = None, max_cost: float | None = None, max_attempts: int = 6,
                 backoff_s: float = 1.0, retry_timeouts: int = 0, retry_failed: bool = False,
                 close_timeout: float | None = None, lock: str | Path | None = None, busy_hint: str = ""):
        if concurrency < 1:
            raise ValueError(f"concurrency must be >= 1, got {concurrency}")
        if close_timeout is not None and close_timeout < 0:
            raise ValueError(f"close_timeout must be >= 0 seconds, got {close_timeout}")
        self.folder, self.backend, self.cost = Path(folder), backend, cost
        self.lock_folder = Path(lock) if lock is not None else self.folder  # the folder whose writers exclude each other
        self.concurrency, self.close_timeout, self.busy_hint = concurrency, close_timeout, busy_hint
        self.budget, self.stats = Budget(max_cost), CallStats()
        self.limiter = RateLimiter(rpm)
        self.caller_options = dict(max_attempts=max_attempts, backoff_s=backoff_s,
                                   retry_timeouts=retry_timeouts, retry_failed=retry_failed)
        self.started = time.perf_counter()
        self.store: ResultStore | None = None
        self.caller: Caller | None = None
        self._lock: RunLock | None = None

    async def __aenter__(self) -> "CallRun":
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = RunLock(self.lock_folder, self.busy_hint).acquire()  # before reading: another run may be writing
        try:
            self.store = ResultStore(self.folder)
        except BaseException:
            self._lock.release()
            raise
        self.caller = Caller(store=self.store, cost=self.cost, budget=self.budget, limiter=self.limiter,
                             concurrency=self.concurrency, stats=self.stats, **self.caller_options)
        return self

    async def __aexit__(self, *exc) -> None:
        try:
            self.caller.abandon()  # only after an error: a finished walk has waited for every request
            self.store.close()
            await self.backend.aclose()
        finally:
            self._lock.release()

    async def walk(self, items: Iterable[Item], handle: Callable[[Item], Awaitable[None]], *, progress: str = "",
                   postfix: Callable[[], dict[str, Any]] | None = None) -> None:
        """Take every item through ``handle`` with ``concurrency`` workers, then wait for every request.

        ``handle`` keeps the item's outcome; it lets through (or raises) the :class:`ItemFailed`
        whose ``still_open`` is set: that item is walked again once the timed-out request has
        closed, so a late answer finishes it. Requests still open at the end are waited for up
        to ``close_timeout`` seconds, then closed and recorded as maybe paid. A
        :class:`RunAborted` from any item stops the run (after that wait) and is raised.
        ``progress``: the name of a progress bar moved once per finished item, with ``postfix()``
        beside it (empty: no bar).
        """
        todo = list(items)
        bar = _progress_bar(len(todo), progress)
        try:
            await self._walk(todo, handle, bar, postfix)
        finally:
            if bar is not None:
                bar.close()

    async def _walk(self, todo: list[Item], handle: Callable[[Item], Awaitable[None]], bar,
                    postfix: Callable[[], dict[str, Any]] | None) -> None:
        aborted: list[RunAborted] = []
        while todo and not aborted:
            walk_again: list[Item] = []
            queue = deque(todo)

            async def worker() -> None:
                while queue and not aborted:
                    item = queue.popleft()
                    try:
                        await handle(item)
                    except ItemFailed as exc:
                        if not exc.still_open:
                            raise
                        walk_again.append(item)
                        continue
                    except RunAborted as exc:
                        aborted.append(exc)
                        continue
                    if bar is not None:
                        bar.update(1)
                        if postfix is not None:
                            bar.set_postfix(postfix(), refresh=False)

            await asyncio.gather(*(worker() for _ in range(min(self.concurrency, max(1, len(todo))))))
            if walk_again:  # their answers may still come: wait for the requests to close, then walk again
                await self.caller.drain(self.close_timeout)
            todo = walk_again
        await self.caller.drain(self.close_timeout)  # every request this run sent has closed or is recorded
        if aborted:
            raise RunAborted(f"run stopped: {aborted[0]}")

    def summarise(self, summary: CallSummary) -> CallSummary:
        """``summary`` with the run's call counts, money and time filled in."""
        for name in ("requests_sent", "results_paid", "calls_from_store", "retries", "timeouts", "timeout_retries",
                     "late_answers", "paid_failures", "failed_from_store", "closed_unanswered", "resent_after_stop"):
            setattr(summary, name, getattr(self.stats, name))
        summary.spent_usd = round(self.budget.spent, 6)
        summary.seconds = round(time.perf_counter() - self.started, 3)
        return summary
