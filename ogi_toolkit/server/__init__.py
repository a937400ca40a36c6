"""A local OpenAI-compatible server for trying and testing generation without a key or money.

Loopback only. ``ogi serve --port 8765 --latency-ms 300 --fail-rate 0.1`` from a shell, or
from Python / a notebook::

    with serve_in_background(latency_ms=300, fail_rate=0.1) as server:
        run_plan("plan.jsonl", "data/try", backend="openai", backend_options={"base_url": server.url})
        print(server.stats())
"""
from __future__ import annotations

import asyncio
import threading
from typing import Any

from aiohttp import web

from .app import ROUTES, make_app
from .options import ServerOptions

__all__ = ["BackgroundServer", "ServerOptions", "make_app", "run_server", "serve_in_background"]

LOOPBACK = ("127.0.0.1", "::1", "localhost")


def _check_host(host: str) -> None:
    if host not in LOOPBACK:
        raise ValueError(f"host {host!r}: the local server listens on loopback only ({', '.join(LOOPBACK)})")


async def _start(options: ServerOptions, host: str, port: int) -> tuple[web.AppRunner, int]:
    app = make_app(options)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, host, port, backlog=1024)
    await site.start()
    bound = runner.addresses[0][1]
    return runner, bound


def run_server(options: ServerOptions, *, host: str = "127.0.0.1", port: int = 8765) -> None:
    """Serve until interrupted (the ``ogi serve`` command)."""
    _check_host(host)

    async def main() -> None:
        runner, bound = await _start(options, host, port)
        print(f"ogi serve: listening on http://{host}:{bound}/v1 (stats at /stats)", flush=True)
        try:
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()

    asyncio.run(main())


class BackgroundServer:
    """The server on its own event loop in a helper thread (for notebooks and tests)."""

    def __init__(self, options: ServerOptions, host: str = "127.0.0.1", port: int = 0):
        _check_host(host)
        self.options = options
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="ogi-serve", daemon=True)
        self._thread.start()
        self._runner, self.port = asyncio.run_coroutine_threadsafe(_start(options, host, port), self._loop).result()
        self.url = f"http://{host}:{self.port}/v1"

    @property
    def routes(self):
        return self._runner.app[ROUTES]

    def stats(self) -> dict[str, Any]:
        return self.routes.stats.as_dict()

    def close(self) -> None:
        if self._loop.is_running():
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result()
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
            self._loop.close()

    def __enter__(self) -> "BackgroundServer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def serve_in_background(*, host: str = "127.0.0.1", port: int = 0, **options: Any) -> BackgroundServer:
    """Start the server in the background; ``options`` are :class:`ServerOptions` fields."""
    return BackgroundServer(ServerOptions(**options), host=host, port=port)
