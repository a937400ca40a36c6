"""Request pacing: a requests-per-minute limit and a shared hold after a 429.

Starts are spaced evenly (``60 / rpm`` seconds apart) rather than sent in bursts, because
providers count requests over short windows. A ``retry-after`` from one request holds back
every request: the limit it signals is the account's, not that request's.
"""
from __future__ import annotations

import asyncio
import time

__all__ = ["RateLimiter"]


class RateLimiter:
    def __init__(self, rpm: float | None = None):
        if rpm is not None and rpm <= 0:
            raise ValueError(f"rpm must be positive, got {rpm}")
        self.interval = 60.0 / rpm if rpm else 0.0
        self._next_start = 0.0
        self._hold_until = 0.0

    async def wait(self) -> None:
        """Return when the next request may start."""
        while True:
            now = time.monotonic()
            if now < self._hold_until:
                await asyncio.sleep(self._hold_until - now)
                continue
            # Claim a slot without awaiting first, so concurrent callers get distinct slots.
            slot = max(now, self._next_start)
            self._next_start = slot + self.interval
            if slot > now:
                await asyncio.sleep(slot - now)
            return

    def hold(self, seconds: float) -> None:
        """Start no request for ``seconds`` (a 429's ``retry-after``)."""
        self._hold_until = max(self._hold_until, time.monotonic() + seconds)
