"""The judge's live caller: the runner's :class:`~ogi_toolkit.generate.caller.LiveCaller` (store
first, then paced, retried, budgeted sends) with one more kind of call, a judgment.

A reply that is not a whole judgment is raised inside the send as an error the runner already
knows (not retried, counted as paid), so it becomes an error on the item and is never stored:
a later run asks again. Only whole judgments are stored.
"""
from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import Any

from ...backends.base import JudgeRequest
from ...backends.errors import MalformedResponse
from ...generate.caller import LiveCaller
from ...generate.cost import CostModel
from ...generate.flow import CallOutcome
from .reply import UnreadableReply
from .rubric import Rubric
from .task import JudgeTask, build_request, read_reply

__all__ = ["JudgeCaller", "UnreadableJudgment", "estimate_judge_cost", "judge_cost_model"]

# Output tokens of one judgment, for the --max-cost guard: the JSON frame, plus a reason per
# criterion and a word per question.
_OUTPUT_BASE, _OUTPUT_PER_CRITERION, _OUTPUT_PER_QUESTION = 40, 30, 6


class UnreadableJudgment(MalformedResponse):
    kind = "unreadable_judgment"


class RefusedJudgment(MalformedResponse):
    """A refusal written as the reply text (billed, unlike a refusal of the request)."""

    kind = "judge_refused"


def judge_cost_model(config, judge_model: str, *, paid: bool, batch: bool = False) -> CostModel:
    """Prices of the judge model (a chat model of the models config)."""
    if paid and judge_model not in config.chat_models:
        raise ValueError(f"judge model {judge_model!r} has no prices in the models config chat_models "
                         f"(known: {sorted(config.chat_models)}); add it or pass --config")
    return CostModel(config, None, None, chat_model=judge_model, paid=False, batch=batch)


def estimate_judge_cost(cost: CostModel, request: JudgeRequest) -> float:
    est = cost.config.estimates
    text = sum(len(p) for p in request.content if isinstance(p, str)) + len(request.system)
    images = sum(1 for p in request.content if isinstance(p, bytes))
    criteria = request.schema["properties"]["criteria"]["required"]
    questions = request.schema["properties"]["questions"]["required"]
    output = _OUTPUT_BASE + _OUTPUT_PER_CRITERION * len(criteria) + _OUTPUT_PER_QUESTION * len(questions)
    return cost.chat_cost({"prompt_tokens": text / est.chars_per_token + images * est.input_image_tokens,
                           "completion_tokens": output})


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class JudgeCaller(LiveCaller):
    def __init__(self, *, rubric: Rubric, long_side: int, **options: Any):
        super().__init__(**options)
        self.rubric, self.long_side = rubric, long_side
        self.judge_identity = self.backend.judge_identity()

    def checked_reply(self, text: str, task: JudgeTask):
        """The reply of ``text``, or the item's error (a backend error the runner knows)."""
        try:
            return read_reply(text, task, self.rubric)
        except UnreadableReply as exc:
            raise (RefusedJudgment if exc.refused else UnreadableJudgment)(str(exc)) from None

    async def judgment(self, task: JudgeTask) -> CallOutcome:
        if (hit := self.lookup(task.key)) is not None:
            return hit
        # Reading and downscaling images blocks for milliseconds: not on the event loop.
        request = await asyncio.to_thread(build_request, task, self.rubric, self.long_side)

        async def send():
            result = await self.backend.judge(request)
            self.checked_reply(result.text, task)
            return result

        result, seconds, attempts = await self._send(send, estimate_judge_cost(self.cost, request), "judge")
        return self.save_judgment(task.key, result, seconds, attempts)

    def save_judgment(self, key: str, result: Any, seconds: float, attempts: int) -> CallOutcome:
        cost = self.cost.chat_cost(result.usage)
        self.budget.settle(0.0, cost)
        record = {"key": key, "call": "judge", "step": "judge", "text": result.text, "model": result.model,
                  "usage": result.usage, "cost_usd": round(cost, 6), "seconds": round(seconds, 3),
                  "attempts": attempts, "created_at": _now()}
        self.store.put(key, record)
        return CallOutcome(key, record, cached=False, text=result.text)
