"""Requests are spaced to the rpm limit, and a 429's retry-after holds every request back."""
from __future__ import annotations

import asyncio
import time

import pytest

from ogi_toolkit.calls.ratelimit import RateLimiter


def _starts(limiter: RateLimiter, n: int, hold: float | None = None) -> list[float]:
    async def run():
        t0 = time.monotonic()
        if hold:
            limiter.hold(hold)
        starts = []

        async def one():
            await limiter.wait()
            starts.append(time.monotonic() - t0)

        await asyncio.gather(*(one() for _ in range(n)))
        return sorted(starts)

    return asyncio.run(run())


def test_rpm_spaces_concurrent_requests_evenly():
    starts = _starts(RateLimiter(rpm=600), 5)  # one every 0.1 s: the k-th starts no sooner than 0.1 k
    assert all(start >= 0.1 * k - 0.005 for k, start in enumerate(starts)), starts


def test_no_limit_means_no_wait_and_hold_delays_everyone():
    assert _starts(RateLimiter(), 20)[-1] < 0.05
    assert _starts(RateLimiter(), 3, hold=0.2)[0] >= 0.19
    with pytest.raises(ValueError, match="rpm must be positive"):
        RateLimiter(rpm=0)
