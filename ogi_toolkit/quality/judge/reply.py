"""The judge's reply: the JSON schema it must follow, and reading a reply back.

The schema (sent as structured output, ``response_format: json_schema``) asks for
``{"questions": {"q1": "yes"|"no", ...}, "criteria": {NAME: {"score": int, "reason": str}}}``
with exactly the item's questions and criteria. :func:`parse_reply` reads the reply text. It
accepts the noise a compatible server adds (code fences, a sentence around the object, "Yes"
in capitals, a score written as "8"), and raises :class:`UnreadableReply` for anything that is
not a whole judgment: a refusal in words, garbage, a missing answer or score, a score off the
scale. An unreadable reply is an error on the item, never a score of 0.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from .rubric import Scale

__all__ = ["Reply", "UnreadableReply", "parse_reply", "reply_schema"]

_FENCE = re.compile(r"^```[a-zA-Z]*\s*|\s*```$")
# How a model says no in words when it ignores the schema.
_REFUSAL = re.compile(r"^\s*(i'?m sorry|i am sorry|sorry|i can(no|')t|i am unable|i'?m unable|i won'?t)", re.I)


class UnreadableReply(ValueError):
    """The reply is not a whole judgment. ``refused`` when it is a refusal written as text."""

    def __init__(self, message: str, *, refused: bool = False):
        super().__init__(message)
        self.refused = refused


@dataclass(frozen=True)
class Reply:
    answers: tuple[bool, ...]  # one per question, in order: True = yes
    scores: dict[str, float]  # criterion -> score on the rubric's scale
    reasons: dict[str, str]


def reply_schema(criteria: tuple[str, ...], n_questions: int, scale: Scale) -> dict[str, Any]:
    """The JSON schema of a judgment for these criteria and this many questions (strict mode:
    every property required, no others)."""
    answers = {f"q{i}": {"type": "string", "enum": ["yes", "no"]} for i in range(1, n_questions + 1)}
    score = {"type": "object", "additionalProperties": False, "required": ["score", "reason"],
             "properties": {"score": {"type": "integer", "minimum": scale.min, "maximum": scale.max},
                            "reason": {"type": "string"}}}
    return {
        "type": "object", "additionalProperties": False, "required": ["questions", "criteria"],
        "properties": {
            "questions": {"type": "object", "additionalProperties": False, "required": list(answers),
                          "properties": answers},
            "criteria": {"type": "object", "additionalProperties": False, "required": list(criteria),
                         "properties": {name: score for name in criteria}},
        },
    }


def _json_object(text: str) -> dict[str, Any]:
    if not isinstance(text, str) or not text.strip():
        raise UnreadableReply("the reply is empty")
    body = _FENCE.sub("", text.strip())
    start, end = body.find("{"), body.rfind("}")
    if start < 0 or end < start:
        if _REFUSAL.match(body):
            raise UnreadableReply(f"the judge refused in words: {body[:120]!r}", refused=True)
        raise UnreadableReply(f"the reply holds no JSON object: {body[:120]!r}")
    try:
        value = json.loads(body[start:end + 1])
    except ValueError as exc:
        raise UnreadableReply(f"the reply is not valid JSON ({exc}): {body[:120]!r}") from None
    if not isinstance(value, dict):
        raise UnreadableReply("the reply's JSON is not an object")
    return value


def _answer(value: Any, key: str) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().strip(".").lower() if isinstance(value, str) else None
    if word in ("yes", "no"):
        return word == "yes"
    raise UnreadableReply(f"questions.{key}: expected 'yes' or 'no', got {value!r}")


def _score(value: Any, key: str, scale: Scale) -> float:
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise UnreadableReply(f"criteria.{key}.score: expected a number, got {value!r}") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise UnreadableReply(f"criteria.{key}.score: expected a number, got {value!r}")
    if not scale.min <= value <= scale.max:
        raise UnreadableReply(f"criteria.{key}.score: {value} is off the scale {scale.min}..{scale.max}")
    return float(value)


def parse_reply(text: str, criteria: tuple[str, ...], n_questions: int, scale: Scale) -> Reply:
    """The judgment in ``text``, or :class:`UnreadableReply` saying what is wrong with it."""
    data = _json_object(text)
    questions, scored = data.get("questions"), data.get("criteria")
    if not isinstance(questions, dict):
        raise UnreadableReply("the reply has no 'questions' object")
    if not isinstance(scored, dict):
        raise UnreadableReply("the reply has no 'criteria' object")
    answers = []
    for i in range(1, n_questions + 1):
        key = f"q{i}"
        if key not in questions:
            raise UnreadableReply(f"questions.{key} is missing")
        answers.append(_answer(questions[key], key))
    scores, reasons = {}, {}
    for name in criteria:
        entry = scored.get(name)
        if isinstance(entry, (int, float, str)) and not isinstance(entry, bool):
            entry = {"score": entry}  # a bare score, without a reason
        if not isinstance(entry, dict) or "score" not in entry:
            raise UnreadableReply(f"criteria.{name} is missing or has no score")
        scores[name] = _score(entry["score"], name, scale)
        reasons[name] = str(entry.get("reason") or "")
    return Reply(answers=tuple(answers), scores=scores, reasons=reasons)
