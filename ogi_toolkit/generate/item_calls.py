"""What generation and rewriting send, and what of each answer they keep, on the call engine.

:class:`RewriteCalls` asks the chat model to rewrite an instruction (a second try names what
the first one lost, and is keyed apart) and keeps the text; :class:`GenerateCalls` adds image
calls (generate, edit), kept as content-addressed images. A first try of a rewrite has the
same key for ``ogi generate --rewrite`` and ``ogi rewrite``, so the two share results.
Sending, retries, the budget and the store are the engine's (:class:`~ogi_toolkit.calls.Caller`).
"""
from __future__ import annotations

import asyncio
from typing import Any, Sequence

from ..backends.base import Backend, ImageRequest
from ..calls import CallOutcome, Caller, StoredImage
from ..calls.caller import now
from ..calls.keys import image_call_key, rewrite_key
from ..spec import InstructionSpec

__all__ = ["GenerateCalls", "RewriteCalls", "retry_identity"]


def retry_identity(identity: dict[str, Any], problems: Sequence[str]) -> dict[str, Any]:
    """A second try is another request (its prompt names the problems): keyed apart from the first."""
    return {**identity, "retry_problems": list(problems)}


class RewriteCalls:
    """Rewrites through ``caller``. ``costly_timeouts``: a timed-out rewrite (which may have been
    done and billed) is sent again only within the run's ``retry_timeouts``."""

    def __init__(self, caller: Caller, backend: Backend, *, costly_timeouts: bool = True):
        self.caller, self.backend, self.costly_timeouts = caller, backend, costly_timeouts
        self.rewrite_identity = backend.rewrite_identity()

    def rewrite_key(self, spec: InstructionSpec, problems: Sequence[str] = ()) -> str:
        identity = retry_identity(self.rewrite_identity, problems) if problems else self.rewrite_identity
        return rewrite_key(identity, spec)

    def rewrite_estimate(self) -> float:
        return self.caller.cost.estimate_rewrite()

    async def keep_text(self, key: str, result: Any, seconds: float, attempts: int) -> CallOutcome:
        return self.caller.save_text(key, "rewrite", result, seconds, attempts)

    async def rewrite(self, spec: InstructionSpec, problems: Sequence[str] = ()) -> CallOutcome:
        key = self.rewrite_key(spec, problems)
        return await self.caller.call(
            key, "rewrite", lambda: self.backend.rewrite(spec, problems),
            lambda result, seconds, attempts: self.keep_text(key, result, seconds, attempts),
            self.rewrite_estimate(), costly_timeouts=self.costly_timeouts)


class GenerateCalls(RewriteCalls):
    """Image calls (and rewrites) of a generation run at ``size``."""

    def __init__(self, caller: Caller, backend: Backend, size: str, *, costly_timeouts: bool = False):
        # ogi generate --rewrite retries a timed-out rewrite freely (within max_attempts), as it always has
        super().__init__(caller, backend, costly_timeouts=costly_timeouts)
        self.size = size
        self.identity = backend.identity()

    def image_key(self, call: str, step: str, prompt: str, inputs: tuple[StoredImage, ...],
                  spec: InstructionSpec) -> str:
        return image_call_key(self.identity, call, prompt=prompt, size=self.size, image_sha256=[i.sha for i in inputs],
                              uses_spec=self.backend.uses_spec, step=step, spec=spec)

    def image_estimate(self, prompt: str, inputs: tuple[StoredImage, ...]) -> float:
        return self.caller.cost.estimate_image(prompt, len(inputs), self.size)

    async def image(self, call: str, step: str, prompt: str, inputs: tuple[StoredImage, ...],
                    spec: InstructionSpec) -> CallOutcome:
        key = self.image_key(call, step, prompt, inputs, spec)
        method = self.backend.generate if call == "generate" else self.backend.edit

        def send():
            store = self.caller.store
            request = ImageRequest(prompt=prompt, step=step, size=self.size, spec=spec,
                                   images=tuple(store.read_image(i.rel) for i in inputs))
            return method(request)

        return await self.caller.call(
            key, step, send, lambda result, seconds, attempts: self.keep_image(key, call, step, prompt, result,
                                                                                seconds, attempts),
            self.image_estimate(prompt, inputs))

    async def keep_image(self, key: str, call: str, step: str, prompt: str, result: Any, seconds: float,
                         attempts: int) -> CallOutcome:
        """Price an image result, count it as spent, store image then record."""
        cost = self.caller.cost.image_cost(result.usage, self.size)
        self.caller.budget.settle(0.0, cost)
        # Creating a file can block for milliseconds: not on the event loop's time.
        sha, rel = await asyncio.to_thread(self.caller.store.put_image, result.image)
        record = {"key": key, "call": call, "step": step, "prompt": prompt, "image": rel, "image_sha256": sha,
                  "model": result.model, "usage": result.usage, "meta": result.meta, "cost_usd": round(cost, 6),
                  "seconds": round(seconds, 3), "attempts": attempts, "created_at": now()}
        self.caller.store.put(key, record)
        return CallOutcome(key, record, cached=False, image=StoredImage(sha, rel))
