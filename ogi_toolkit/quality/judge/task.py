"""One item to judge: its prompt, its images, its key, and the judgment line made of a reply.

A judgment's key hashes everything that determines it (:func:`judgment_key`): the judge's
identity (backend, server, model), the prompt template's hash, the rubric's hash, the
rendered prompt (which holds the spec's checklist), the sha256 of each image, and the long side
and encoding images are sent at. A judgment stored under its key is never requested (or paid for) again.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...backends.base import JudgeRequest
from ...calls.keys import canonical_json, sha256_hex
from ...spec import InstructionSpec
from .images import IMAGE_ENCODING, ItemImageError, downscaled, file_sha, image_path, item_images
from .prompt import ImageSlot, Prompt, render_prompt, template_sha
from .reply import Reply, parse_reply, reply_schema
from .rubric import Rubric

__all__ = ["ItemImageError", "JudgeTask", "build_request", "error_line", "judgment_key", "judgment_line",
           "prepare_task", "read_reply"]

KEY_VERSION = 1


@dataclass(frozen=True)
class JudgeTask:
    id: str
    spec_kind: str  # "generation" | "editing": which rubric criteria apply
    prompt: Prompt
    images: dict[str, Path]  # slot -> file
    key: str


@functools.lru_cache(maxsize=16)
def _template_sha(kind: str) -> str:
    return template_sha(kind)


def judgment_key(identity: dict[str, Any], prompt: Prompt, rubric_sha: str, image_sha256: list[str],
                 long_side: int) -> str:
    return sha256_hex(canonical_json({
        "v": KEY_VERSION, "identity": identity, "call": "judge", "template": _template_sha(prompt.kind),
        "rubric": rubric_sha, "system": prompt.system, "prompt": prompt.text, "images": image_sha256,
        "long_side": long_side, "encoding": IMAGE_ENCODING}))


def prepare_task(record: dict[str, Any], root: Path, rubric: Rubric, identity: dict[str, Any],
                 long_side: int) -> JudgeTask:
    """The task of one finished manifest record (reads and hashes its images).

    Raises :class:`ItemImageError` (or ``ValueError`` for a spec that does not validate).
    """
    spec = InstructionSpec.model_validate(record["spec"])
    prompt = render_prompt(spec, rubric)
    paths = item_images(record, prompt.kind)
    images = {slot: image_path(root, paths.get(slot), slot) for slot in prompt.image_slots}
    shas = [file_sha(images[slot]) for slot in prompt.image_slots]
    return JudgeTask(id=record["id"], spec_kind=spec.kind, prompt=prompt, images=images,
                     key=judgment_key(identity, prompt, rubric.sha(), shas, long_side))


def build_request(task: JudgeTask, rubric: Rubric, long_side: int) -> JudgeRequest:
    """The request to send: the prompt's text parts with each image slot filled, downscaled."""
    content = tuple(downscaled(task.images[p.name], long_side) if isinstance(p, ImageSlot) else p
                    for p in task.prompt.parts)
    schema = reply_schema(task.prompt.criteria, len(task.prompt.questions), rubric.scale)
    return JudgeRequest(system=task.prompt.system, content=content, schema=schema, schema_name="ogi_judgment")


def read_reply(text: str, task: JudgeTask, rubric: Rubric) -> Reply:
    return parse_reply(text, task.prompt.criteria, len(task.prompt.questions), rubric.scale)


def judgment_line(task: JudgeTask, reply: Reply, call: dict[str, Any], rubric: Rubric) -> dict[str, Any]:
    """The ``judgments.jsonl`` line of a judged item (criteria scores mapped to 0..1)."""
    score, per = rubric.score(task.spec_kind, reply.scores)
    answers = ["yes" if yes else "no" for yes in reply.answers]
    return {
        "id": task.id, "judge": call.get("model"), "score": score, "passed": score >= rubric.pass_threshold,
        "criteria": per, "reasons": reply.reasons,
        "questions": [{"question": q, "answer": a} for q, a in zip(task.prompt.questions, answers)],
        "checklist_yes": round(answers.count("yes") / len(answers), 4) if answers else None,
        "kind": task.prompt.kind, "rubric": rubric.name, "key": task.key, "cost_usd": call.get("cost_usd", 0.0),
        "error": None,
    }


def error_line(item_id: str, judge: str, kind: str, message: str, task: JudgeTask | None = None) -> dict[str, Any]:
    """The line of an item that has no judgment (never a score of 0)."""
    return {
        "id": item_id, "judge": judge, "score": None, "passed": None, "criteria": {},
        "questions": [{"question": q, "answer": None} for q in (task.prompt.questions if task else ())],
        "kind": task.prompt.kind if task else None, "key": task.key if task else None,
        "error": {"kind": kind, "message": message},
    }

