"""The instruction-rewriting prompt: rendered from a template file and the spec's structure.

The template (``prompts/rewrite.txt``) has a ``[system]`` and a ``[user]`` part with
``$kind``, ``$subtask``, ``$instruction`` and ``$constraints`` placeholders. The constraints
are read from the spec, never from the text, so that a rewrite can be checked against them
(:func:`check_rewrite`): every exact text string and every object must survive.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from string import Template
from typing import Sequence

from ..scene_edit import EditError, apply_edit
from ..spec import Edit, InstructionSpec, Scene, SceneObject

REWRITE_TEMPLATE = Path(__file__).resolve().parent / "prompts" / "rewrite.txt"

__all__ = ["REWRITE_TEMPLATE", "check_rewrite", "constraints", "render_rewrite_messages", "template_sha"]


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

    ``problems``: what an earlier rewrite lost (from :func:`check_rewrite`), named in the
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


def _edited_parts(spec: InstructionSpec) -> tuple[list[str], list[str]]:
    """(object names, texts) of the source that the edits act on: each edit's target and anchor.

    Indices point into the scene as the edits before it left it (complex edits chain 2-4), so
    the source is walked edit by edit; a sub-instruction such as "remove the mug" then keeps
    its mug whichever edit of the item it is.
    """
    scene, names, texts = spec.source, [], []
    for edit in spec.edits:
        if scene is None:
            break
        if edit.target is not None:
            if edit.op.startswith("text_"):
                texts += [scene.texts[edit.target].text] if edit.target < len(scene.texts) else []
            elif edit.target < len(scene.objects):
                names.append(scene.objects[edit.target].name)
        if edit.anchor is not None and edit.anchor < len(scene.objects):
            names.append(scene.objects[edit.anchor].name)
        try:
            scene = apply_edit(scene, edit, spec.reference).scene
        except (EditError, ValueError, IndexError):  # a loose hand-written edit: check what is known
            break
    return names, texts


def _must_keep(spec: InstructionSpec) -> tuple[list[str], list[str]]:
    """(exact text strings, object names) a rewrite must contain.

    Only what the original instruction states verbatim is demanded back: an instruction may
    say "three pairs of boots" for the object "pair of boots", and a rewrite need not do better.
    """
    scenes = [spec.scene] if spec.kind == "generation" and spec.scene else []
    texts = [t.text for s in scenes for t in s.texts] + [e.text.text for e in spec.edits if e.text]
    names = [o.name for s in scenes for o in s.objects] + [e.object.name for e in spec.edits if e.object]
    edited_names, edited_texts = _edited_parts(spec)
    names += edited_names
    texts += edited_texts
    original = spec.instruction.lower()
    return ([t for t in texts if t in spec.instruction],
            list(dict.fromkeys(n for n in names if n.lower() in original)))


def check_rewrite(spec: InstructionSpec, rewritten: str) -> list[str]:
    """Constraints the rewrite lost: missing exact text strings and missing objects."""
    texts, names = _must_keep(spec)
    problems = [f"text {t!r} not kept verbatim" for t in texts if t not in rewritten]
    lowered = rewritten.lower()
    problems += [f"object {n!r} missing" for n in names if n.lower() not in lowered]
    if not rewritten.strip():
        problems.append("empty rewrite")
    return problems
