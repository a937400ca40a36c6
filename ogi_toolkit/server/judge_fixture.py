"""Chat completions that ask for structured output (``response_format: json_schema``), as a judge
request does: a protocol fixture, not a judge.

It never looks at the images. It checks the request as the API would (text and ``image_url``
content parts, images as base64 data URLs, a schema), then fills the schema with values drawn
from a hash of the request: the same request always gets the same answer, and every answer
is valid against the schema the client sent. That is enough to exercise a client's whole path
(keys, store, retries, budget, resume, batches, parsing) without a model or a key.

Faults (:class:`~.options.ServerOptions`) play on these requests too: 429 / 500 / timeouts as
on any call; ``refusal`` answers with the structured-output ``refusal`` field and no content;
``malformed`` answers a reply a judge might give that is not a judgment (a truncated body,
prose, cut-off JSON, or JSON that breaks the schema).
"""
from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import json
import random
import time
from typing import Any

from .model_calls import JSON, Answer, _fault_answer, error_body
from .options import ServerOptions

__all__ = ["answer_structured", "schema_instance", "wants_structured"]

# Output tokens are counted from the answer; an input image is billed as this many tokens.
IMAGE_TOKENS = 255
_WORDS = ("the", "edit", "looks", "clean", "and", "follows", "instruction", "closely", "minor", "blur", "edges",
          "colours", "match", "scene", "kept", "object", "placed", "well", "lighting", "consistent")
MALFORMED_KINDS = ("truncated_body", "prose", "truncated_json", "breaks_schema")


def wants_structured(fields: dict[str, Any]) -> bool:
    fmt = fields.get("response_format")
    return isinstance(fmt, dict) and fmt.get("type") == "json_schema"


def _bad(message: str, param: str) -> Answer:
    return error_body(400, message, type_="invalid_request_error", param=param)


class _BadRequest(Exception):
    def __init__(self, message: str, param: str):
        super().__init__(message)
        self.answer = _bad(message, param)


def _check_parts(messages: list[Any]) -> tuple[str, int]:
    """(all text of the messages, number of images); :class:`_BadRequest` for a request the API refuses."""
    texts, images = [], 0
    for i, message in enumerate(messages):
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, str):
            texts.append(content)
            continue
        if not isinstance(content, list):
            raise _BadRequest(f"messages[{i}].content must be a string or a list of content parts.", f"messages[{i}].content")
        for j, part in enumerate(content):
            kind = part.get("type") if isinstance(part, dict) else None
            if kind == "text" and isinstance(part.get("text"), str):
                texts.append(part["text"])
            elif kind == "image_url":
                url = (part.get("image_url") or {}).get("url", "")
                head, _, data = url.partition(",")
                if not (head.startswith("data:image/") and head.endswith(";base64")):
                    raise _BadRequest("This local server takes images as base64 data URLs only.",
                                f"messages[{i}].content[{j}].image_url")
                try:
                    base64.b64decode(data, validate=True)
                except (binascii.Error, ValueError):
                    raise _BadRequest("The image data URL is not valid base64.", f"messages[{i}].content[{j}].image_url")
                images += 1
            else:
                raise _BadRequest(f"Unsupported content part {kind!r}.", f"messages[{i}].content[{j}]")
    return "\n".join(texts), images


def _phrase(rng: random.Random) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(3, 8)))


def schema_instance(schema: dict[str, Any], rng: random.Random) -> Any:
    """A value valid against ``schema`` (the subset structured outputs uses), drawn from ``rng``."""
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return rng.choice(schema["enum"])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return schema_instance(rng.choice(schema[key]), rng)
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        props = schema.get("properties") or {}
        return {name: schema_instance(sub, rng) for name, sub in props.items()}
    if kind == "array":
        low = schema.get("minItems", 1)
        high = schema.get("maxItems", max(low, 3))
        return [schema_instance(schema.get("items") or {}, rng) for _ in range(rng.randint(low, high))]
    if kind == "integer":
        return rng.randint(int(schema.get("minimum", 0)), int(schema.get("maximum", 10)))
    if kind == "number":
        return round(rng.uniform(float(schema.get("minimum", 0)), float(schema.get("maximum", 1))), 3)
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "null":
        return None
    return _phrase(rng)


def _no_with_top_scores(schema: dict[str, Any], answer: Any) -> Any:
    """``answer`` with every yes/no enum answered "no" and every integer at its maximum."""
    if "enum" in schema and "no" in schema["enum"]:
        return "no"
    if schema.get("type") == "integer" and "maximum" in schema:
        return schema["maximum"]
    if isinstance(answer, dict):
        props = schema.get("properties") or {}
        return {k: _no_with_top_scores(props.get(k) or {}, v) for k, v in answer.items()}
    return answer


def _malformed_content(answer: Any, rng: random.Random) -> tuple[str | None, bytes | None]:
    """(reply text, or a raw broken body) of a malformed judge answer."""
    kind = rng.choice(MALFORMED_KINDS)
    text = json.dumps(answer)
    if kind == "truncated_body":
        return None, b'{"id": "chatcmpl-x", "object": "chat.completion", "choices": [{"index": 0, "message": {"con'
    if kind == "prose":
        return "The edit mostly follows the instruction, though the lighting is a little off.", None
    if kind == "truncated_json":
        return text[: max(1, len(text) // 2)], None
    broken = dict(answer) if isinstance(answer, dict) else {}
    broken.pop(next(iter(broken), None), None)  # drop a required property
    broken["note"] = "not in the schema"
    return json.dumps(broken), None


def _completion(model: str, content: str | None, refusal: str | None, prompt_tokens: int, seed: str) -> bytes:
    completion_tokens = len(content or refusal or "") // 4 + 1
    return json.dumps({
        "id": "chatcmpl-" + seed[:24], "object": "chat.completion", "created": int(time.time()), "model": model,
        "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                     "message": {"role": "assistant", "content": content, "refusal": refusal}}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    }).encode()


async def answer_structured(fields: dict[str, Any], opts: ServerOptions, *, live: bool = True) -> Answer:
    """/v1/chat/completions with ``response_format: {type: json_schema, json_schema: {name, schema}}``."""
    spec = fields["response_format"].get("json_schema")
    if not isinstance(spec, dict) or not isinstance(spec.get("name"), str) or not isinstance(spec.get("schema"), dict):
        return _bad("'response_format.json_schema' needs a 'name' and a 'schema' object.", "response_format")
    try:
        text, images = _check_parts(fields["messages"])
    except _BadRequest as exc:
        return exc.answer
    seed = hashlib.sha256(json.dumps({k: fields.get(k) for k in ("model", "messages", "response_format")},
                                     sort_keys=True).encode()).hexdigest()
    rng = random.Random(seed)
    fault = opts.fault_for(text, live=live)
    if live and opts.latency_ms:
        await asyncio.sleep(opts.latency_ms / 1000)
    if fault != "refusal" and (early := await _fault_answer(fault, opts)) is not None:
        return early
    model, prompt_tokens = str(fields["model"]), len(text) // 4 + 1 + IMAGE_TOKENS * images
    if fault == "refusal":
        return 200, dict(JSON), _completion(model, None, "I'm sorry, I can't help with that request. (local server)",
                                            prompt_tokens, seed)
    answer = schema_instance(spec["schema"], rng)
    if opts.judge_no_word and opts.judge_no_word in text:
        answer = _no_with_top_scores(spec["schema"], answer)
    content = json.dumps(answer)
    if fault == "malformed":
        content, raw = _malformed_content(answer, random.Random(opts.rng.random()))
        if raw is not None:
            return 200, dict(JSON), raw
    return 200, dict(JSON), _completion(model, content, None, prompt_tokens, seed)
