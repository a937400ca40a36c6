"""The paid endpoints of the local server: image generation, image edits, chat completions.

Each call yields ``(status, headers, body bytes)``, shaped like the OpenAI API's answers (see
the API description), with the faults of :class:`~.options.ServerOptions` played on it. The
HTTP routes and the batch processor share this code, and the ``Stats`` count what was billed.
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import math
import re
import time
from dataclasses import dataclass, field
from typing import Any

from .options import ServerOptions
from .render import parse_size, render_image

__all__ = ["Answer", "Stats", "answer_chat", "answer_image", "body_hash", "error_body"]

Answer = tuple[int, dict[str, str], bytes]
JSON = {"Content-Type": "application/json"}
# gpt-image-1's published output tokens for one 1024x1024 image, by quality.
OUTPUT_TOKENS = {"low": 272, "medium": 1056, "high": 4160, "auto": 1056}
INPUT_IMAGE_TOKENS = 323


@dataclass
class Stats:
    """``billed``: model calls answered with a result (paid); ``distinct``: distinct bodies among them."""

    requests: int = 0
    billed: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_path: dict[str, int] = field(default_factory=dict)  # requests per endpoint (/v1/chat/completions...)
    in_flight: int = 0
    max_in_flight: int = 0
    _bodies: set[str] = field(default_factory=set)

    def count(self, status: int, digest: str | None) -> None:
        self.by_status[str(status)] = self.by_status.get(str(status), 0) + 1
        if status == 200 and digest is not None:
            self.billed += 1
            self._bodies.add(digest)

    def as_dict(self) -> dict[str, Any]:
        return {"requests": self.requests, "billed": self.billed, "distinct": len(self._bodies),
                "by_status": dict(self.by_status), "by_path": dict(self.by_path), "in_flight": self.in_flight, "max_in_flight": self.max_in_flight}


def body_hash(fields: dict[str, Any], images: list[bytes]) -> str:
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str).encode()
    return hashlib.sha256(canonical + b"".join(hashlib.sha256(i).digest() for i in images)).hexdigest()


def error_body(status: int, message: str, *, type_: str, code: str | None = None,
               param: str | None = None, headers: dict[str, str] | None = None) -> Answer:
    body = {"error": {"message": message, "type": type_, "param": param, "code": code}}
    return status, {**JSON, **(headers or {})}, json.dumps(body).encode()


async def _fault_answer(fault: str | None, opts: ServerOptions) -> Answer | None:
    if fault == "429":
        wait_ms = opts.retry_after_ms
        return error_body(429, "Rate limit reached for requests (local server).", type_="requests",
                          code="rate_limit_exceeded", headers={"retry-after-ms": str(wait_ms),
                                                               "retry-after": str(math.ceil(wait_ms / 1000))})
    if fault == "500":
        return error_body(500, "The server had an error while processing your request (local server).",
                          type_="server_error")
    if fault == "refusal":
        return error_body(400, "Your request was rejected by the safety system (local server).",
                          type_="image_generation_user_error", code="moderation_blocked")
    if fault == "timeout":
        await asyncio.sleep(opts.hang_s)  # then answer normally: the work was done (and billed)
    return None


def _malformed(opts: ServerOptions) -> Answer:
    # Half the time a truncated body, half the time valid JSON without an image.
    if opts.rng.random() < 0.5:
        return 200, dict(JSON), b'{"created": 1, "data": [{"b64_json": "iVBORw0KGgo'
    return 200, dict(JSON), json.dumps({"created": int(time.time()), "data": []}).encode()


async def answer_image(fields: dict[str, Any], images: list[bytes], opts: ServerOptions, *, live: bool = True) -> Answer:
    """/v1/images/generations (no ``images``) or /v1/images/edits."""
    prompt = fields.get("prompt")
    if not isinstance(prompt, str) or not prompt:
        return error_body(400, "'prompt' is required.", type_="invalid_request_error", param="prompt")
    if fields.get("model") is None:
        return error_body(400, "'model' is required by this server (the API defaults to dall-e-2).",
                          type_="invalid_request_error", param="model")
    fault = opts.fault_for(prompt, live=live)
    if live and opts.latency_ms:
        await asyncio.sleep(opts.latency_ms / 1000)
    if (early := await _fault_answer(fault, opts)) is not None:
        return early
    if fault == "malformed":
        return _malformed(opts)
    size, quality = str(fields.get("size") or "1024x1024"), str(fields.get("quality") or "auto")
    png = await render_image(prompt, images, size, opts.max_px, opts.renderer)
    width, height = parse_size(size, None)
    text_tokens = max(1, len(prompt) // 4)
    image_tokens = INPUT_IMAGE_TOKENS * len(images)
    output_tokens = round(OUTPUT_TOKENS.get(quality, 1056) * width * height / 1024**2)
    body: dict[str, Any] = {
        "created": int(time.time()),
        "data": [{"b64_json": base64.b64encode(png).decode("ascii")}],
        "background": "opaque",
        "output_format": "png",
        "usage": {"input_tokens": text_tokens + image_tokens, "output_tokens": output_tokens,
                  "total_tokens": text_tokens + image_tokens + output_tokens,
                  "input_tokens_details": {"text_tokens": text_tokens, "image_tokens": image_tokens}},
    }
    if size in ("1024x1024", "1024x1536", "1536x1024"):
        body["size"] = size
    if quality in ("low", "medium", "high"):
        body["quality"] = quality
    return 200, dict(JSON), json.dumps(body).encode()


# A chat model's refusal comes as ``message.refusal`` with no content, as the API sends it.
REFUSAL_TEXT = "I'm sorry, I can't help with that request."


def _rewrite_reply(messages: list[dict[str, Any]]) -> str:
    """A deterministic 'rewrite': the instruction line of the last user message, kept whole."""
    user = next((m for m in reversed(messages) if m.get("role") == "user"), {})
    content = user.get("content")
    if isinstance(content, list):  # content parts
        content = " ".join(p.get("text", "") for p in content if isinstance(p, dict))
    content = str(content or "")
    for line in content.splitlines():
        if line.startswith("Instruction:"):
            return "In a clear, detailed picture: " + line.removeprefix("Instruction:").strip()
    return "In a clear, detailed picture: " + content.strip()


async def answer_chat(fields: dict[str, Any], opts: ServerOptions, *, live: bool = True) -> Answer:
    messages = fields.get("messages")
    if not isinstance(messages, list) or not messages or fields.get("model") is None:
        return error_body(400, "'model' and a non-empty 'messages' list are required.",
                          type_="invalid_request_error", param="messages")
    if not all(isinstance(m, dict) for m in messages):
        return error_body(400, "Each of 'messages' must be an object with a 'role' and 'content'.",
                          type_="invalid_request_error", param="messages")
    from .judge_fixture import answer_structured, wants_structured  # imports this module

    if wants_structured(fields):  # a judge request: answered by the protocol fixture
        return await answer_structured(fields, opts, live=live)
    reply = _rewrite_reply(messages)
    if opts.drop_quotes(reply):  # a planted bad rewrite: the exact strings are lost
        reply = re.sub(r'\s*"[^"]*"', "", reply)
    fault = opts.fault_for(reply, live=live)
    # Image refusals (refusal_rate, refuse_word) leave chat alone; a chat refusal has its own word.
    refused = bool(opts.chat_refuse_word) and opts.chat_refuse_word in reply
    if live and opts.latency_ms:
        await asyncio.sleep(opts.latency_ms / 1000)
    if fault != "refusal" and (early := await _fault_answer(fault, opts)) is not None:
        return early
    if fault == "malformed":
        return 200, dict(JSON), b'{"id": "chatcmpl-x", "choices": ['
    prompt_tokens = sum(len(str(m.get("content", ""))) for m in messages) // 4 + 1
    completion_tokens = len(reply) // 4 + 1
    body = {
        "id": "chatcmpl-" + hashlib.sha256(reply.encode()).hexdigest()[:24],
        "object": "chat.completion",
        "created": int(time.time()),
        "model": str(fields["model"]),
        "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                     "message": {"role": "assistant", "content": None if refused else reply,
                                 "refusal": REFUSAL_TEXT if refused else None}}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    }
    return 200, dict(JSON), json.dumps(body).encode()
