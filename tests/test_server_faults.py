"""The local server: faults as the API plays them, billing stats, loopback only, concurrency."""
from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request

import pytest

from generate_fixtures import local_server

from ogi_toolkit.server import serve_in_background


def _post(server, path: str, body: dict, key: str = "sk-x") -> tuple[int, dict, dict]:
    request = urllib.request.Request(server.url + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), json.loads(exc.read())


def test_billed_and_distinct_count_paid_answers_and_distinct_bodies():
    body = {"model": "gpt-image-1", "prompt": "a red kite", "size": "1024x1024"}
    with local_server() as server:
        assert _post(server, "/images/generations", body)[0] == 200
        assert _post(server, "/images/generations", body)[0] == 200  # the same request again: paid twice
        assert _post(server, "/images/generations", {**body, "prompt": "a blue kite"})[0] == 200
        assert _post(server, "/images/generations", {**body, "prompt": "x #refuse"})[0] == 400  # not billed
        stats = server.stats()
    assert (stats["billed"], stats["distinct"]) == (3, 2)


def test_429_carries_retry_after_and_refusals_look_like_the_api():
    with local_server(fail_rate=1.0, retry_after_ms=1500, seed=2) as server:
        answers = [_post(server, "/images/generations", {"model": "gpt-image-1", "prompt": f"p{i}"}) for i in range(8)]
    limited = [a for a in answers if a[0] == 429]
    assert limited and {a[0] for a in answers} == {429, 500}
    status, headers, body = limited[0]
    assert headers["retry-after"] == "2" and headers["retry-after-ms"] == "1500"
    assert body["error"]["code"] == "rate_limit_exceeded"
    with local_server() as server:
        status, _, body = _post(server, "/images/generations", {"model": "gpt-image-1", "prompt": "a #refuse"})
    assert status == 400 and body["error"]["code"] == "moderation_blocked"


def test_requests_need_a_bearer_key_and_a_wrong_one_is_refused():
    with local_server(api_key="sk-good-000000") as server:
        assert _post(server, "/images/generations", {"model": "gpt-image-1", "prompt": "p"}, key="sk-bad-111111")[0] == 401
        assert _post(server, "/images/generations", {"model": "gpt-image-1", "prompt": "p"}, key="sk-good-000000")[0] == 200


def test_the_server_listens_on_loopback_only():
    with pytest.raises(ValueError, match="loopback only"):
        serve_in_background(host="0.0.0.0")


def test_64_concurrent_requests_with_latency_overlap_on_one_event_loop():
    import aiohttp

    async def burst(url: str) -> float:
        async with aiohttp.ClientSession(headers={"Authorization": "Bearer x"}) as session:
            async def one(i):
                async with session.post(url + "/images/generations", json={"model": "gpt-image-1", "prompt": f"p{i}"}) as r:
                    assert r.status == 200
                    await r.read()

            start = time.perf_counter()
            await asyncio.gather(*(one(i) for i in range(64)))
            return time.perf_counter() - start

    with local_server(latency_ms=500, renderer="card") as server:
        elapsed = asyncio.run(burst(server.url))
        stats = server.stats()
    assert stats["max_in_flight"] == 64 and stats["billed"] == 64
    assert elapsed < 0.5 * 64 / 8  # far from serial (32 s); overlapped they take about 0.5 s
