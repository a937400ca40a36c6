"""What a judgment sends (the item's prompt and images) and keeps (the reply, once it reads as a judgment).

A reply that is not a whole judgment (garbage, or a refusal written as the reply) was answered,
so billed: the engine records it as a failure that may have been paid, and a later run does not
ask for it again unless told to (``retry_failed``), as generation does. Only whole judgments are
stored as results. Sending, retries, budget and store are the call engine's.
"""
from __future__ import annotations

import asyncio
from typing import Any

from ...backends.base import Judge, JudgeRequest
from ...backends.errors import MalformedResponse
from ...calls import CallOutcome, Caller
from ...calls.cost import CostModel
from .reply import UnreadableReply
from .rubric import Rubric
from .task import JudgeTask, build_request, read_reply

__all__ = ["JudgeCalls", "RefusedJudgment", "UnreadableJudgment", "estimate_judge_cost"]

# Output tokens of one judgment, for the --max-cost guard: the JSON frame, plus a reason per
# criterion and a word per question.
_OUTPUT_BASE, _OUTPUT_PER_CRITERION, _OUTPUT_PER_QUESTION = 40, 30, 6


class UnreadableJudgment(MalformedResponse):
    kind = "unreadable_judgment"


class RefusedJudgment(MalformedResponse):
    """A refusal written as the reply text (billed, unlike a refusal of the request)."""

    kind = "judge_refused"


def estimate_judge_cost(cost: CostModel, request: JudgeRequest) -> float:
    est = cost.config.estimates
    text = sum(len(p) for p in request.content if isinstance(p, str)) + len(request.system)
    images = sum(1 for p in request.content if isinstance(p, bytes))
    criteria = request.schema["properties"]["criteria"]["required"]
    questions = request.schema["properties"]["questions"]["required"]
    output = _OUTPUT_BASE + _OUTPUT_PER_CRITERION * len(criteria) + _OUTPUT_PER_QUESTION * len(questions)
    return cost.chat_cost({"prompt_tokens": text / est.chars_per_token + images * est.input_image_tokens,
                           "completion_tokens": output})


class JudgeCalls:
    def __init__(self, caller: Caller, backend: Judge, *, rubric: Rubric, long_side: int):
        self.caller, self.backend, self.rubric, self.long_side = caller, backend, rubric, long_side
        self.judge_identity = backend.judge_identity()

    def request(self, task: JudgeTask) -> tuple[JudgeRequest, float]:
        """The request of ``task`` (images read and downscaled) and its estimated cost."""
        request = build_request(task, self.rubric, self.long_side)
        return request, estimate_judge_cost(self.caller.cost, request)

    async def keep(self, task: JudgeTask, result: Any, seconds: float, attempts: int) -> CallOutcome:
        """Store a reply that reads as a judgment; raise the item's (billed) error for one that does not."""
        try:
            read_reply(result.text, task, self.rubric)
        except UnreadableReply as exc:
            raise (RefusedJudgment if exc.refused else UnreadableJudgment)(str(exc)) from None
        return self.caller.save_text(task.key, "judge", result, seconds, attempts)

    async def judgment(self, task: JudgeTask) -> CallOutcome:
        if (hit := self.caller.lookup(task.key, "judge")) is not None:
            return hit
        # Reading and downscaling images blocks for milliseconds: not on the event loop.
        request, estimate = await asyncio.to_thread(self.request, task)
        return await self.caller.call(task.key, "judge", lambda: self.backend.judge(request),
                                      lambda result, seconds, attempts: self.keep(task, result, seconds, attempts),
                                      estimate)  # a timed-out judgment may be billed: its late answer is awaited
