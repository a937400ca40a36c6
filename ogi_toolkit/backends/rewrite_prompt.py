"""The instruction-rewriting prompt: rendered from a template file and the spec's structure.

The template (``prompts/rewrite.txt``) has a ``[system]`` and a ``[user]`` part with
``$kind``, ``$subtask``, ``$instruction`` and ``$constraints`` placeholders. The constraints
are read from the spec, never from the text, so that a rewrite can be checked against them
(:func:`ogi_toolkit.instruction_constraints.check_rewrite`): every exact text string and every
object must survive.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from string import Template
from typing import Sequence

from ..spec import Edit, InstructionSpec, Scene, SceneObject

REWRITE_TEMPLATE = Path(__file__).resolve().parent / "prompts" / "rewrite.txt"

__all__ = ["REWRITE_TEMPLATE", "constraints", "render_rewrite_messages", "template_sha"]


def _describe_object(obj: SceneObject) -> str:
    words = [str(obj.count) if obj.count > 1 else None, obj.size, obj.colour, obj.material, obj.name]
    text = " ".join(w for w in words if w)
    if obj.action:
        text += f", {obj.action}"
    for key, value in obj.attributes.items():
        text += f", {key}: {value}"
    return text


def _scene_lines(scene: Scene) -> list[str]:
    lines = [f"object: {_describe_object(o)}" for o in scene.objects]
    for rel in scene.relations:
        subject = scene.objects[rel.subject].name if rel.subject < len(scene.objects) else rel.subject
        if rel.object is None:
            lines.append(f"relation: {subject} {rel.relation}")
        else:
            other = scene.objects[rel.object].name if rel.object < len(scene.objects) else rel.object
            lines.append(f"relation: {subject} {rel.relation} {other}")
    lines += [f'text (exact): "{t.text}"' for t in scene.texts]
    for field in ("background", "style", "lighting", "camera", "layout"):
        value = getattr(scene, field)
        if value:
            lines.append(f"{field}: {value}")
    lines += [f"label: {label}" for label in scene.labels]
    return lines


def _edit_line(edit: Edit, source: Scene | None) -> str:
    names = [o.name for o in source.objects] if source else []
    parts = [f"edit: {edit.op}"]
    if edit.target is not None:
        parts.append(f"target {names[edit.target] if edit.target < len(names) else edit.target}")
    if edit.object is not None:
        parts.append(f"object {_describe_object(edit.object)}")
    if edit.attribute:
        parts.append(f"{edit.attribute} -> {edit.value}")
    elif edit.value:
        parts.append(f"value {edit.value}")
    if edit.relation:
        anchor = names[edit.anchor] if edit.anchor is not None and edit.anchor < len(names) else edit.anchor
        parts.append(f"{edit.relation} {anchor}")
    if edit.text is not None:
        parts.append(f'text (exact) "{edit.text.text}"')
    return ", ".join(parts)


def constraints(spec: InstructionSpec) -> list[str]:
    """What a rewrite of ``spec.instruction`` must keep, one line each."""
    if spec.kind == "generation":
        return _scene_lines(spec.scene) if spec.scene else []
    lines = [_edit_line(edit, spec.source) for edit in spec.edits]
    if spec.reference is not None:
        lines.append("reference image: " + "; ".join(_scene_lines(spec.reference.scene)))
    return lines


def render_rewrite_messages(spec: InstructionSpec, template: Path = REWRITE_TEMPLATE,
                            problems: Sequence[str] = ()) -> list[dict[str, str]]:
    """Chat messages asking to rewrite ``spec.instruction`` while keeping its constraints.

    ``problems``: what an earlier rewrite lost (from :func:`~ogi_toolkit.instruction_constraints.check_rewrite`), named in the
    prompt of the second try so the model can keep them this time.
    """
    text = template.read_text(encoding="utf-8")
    match = re.fullmatch(r"\[system\]\n(?P<system>.*?)\n\[user\]\n(?P<user>.*)", text, flags=re.S)
    if not match:
        raise ValueError(f"rewrite template {template}: expected a '[system]' part then a '[user]' part")
    values = {
        "kind": spec.kind,
        "subtask": spec.subtask,
        "instruction": spec.instruction,
        "constraints": "\n".join(f"- {line}" for line in constraints(spec)) or "- (none)",
    }
    user = Template(match["user"]).substitute(values).strip()
    if problems:
        user += ("\nAn earlier rewrite lost these constraints; keep them this time:\n"
                 + "\n".join(f"- {p}" for p in problems))
    return [
        {"role": "system", "content": match["system"].strip()},
        {"role": "user", "content": user},
    ]


def template_sha(template: Path = REWRITE_TEMPLATE) -> str:
    """Changing the template changes every rewrite: its hash is part of the rewrite's key."""
    return hashlib.sha256(template.read_bytes()).hexdigest()[:16]
