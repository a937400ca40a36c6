"""The judge's prompt: one template file per kind of item, rendered from the spec and the rubric.

Kinds: ``generation``, ``single_edit``, ``multi_turn`` and ``reference`` (files in
``prompts/``, with ``system.txt`` and the shared ``_*.txt`` parts they include). A template is
Jinja2 text in which a line ``<image:NAME>`` marks where an image goes (``output``, ``input``,
``reference``, ``source``, ``turnK``); :func:`render_prompt` splits the text there, so the
images sit beside the words that introduce them. Every variable comes from the spec's fields
and the rubric, never from re-parsing the instruction text.
"""
from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

from ...spec import InstructionSpec
from .checklist import questions as checklist, turn_questions
from .rubric import Rubric

__all__ = ["KINDS", "PROMPTS_DIR", "ImageSlot", "Prompt", "prompt_kind", "render_prompt", "style_family", "template_sha"]

PROMPTS_DIR = Path(__file__).resolve().parent / "prompts"
KINDS = ("generation", "single_edit", "multi_turn", "reference")
_BLANK_RUN = re.compile(r"\n{3,}")
_IMAGE_LINE = re.compile(r"^<image:([a-z0-9_]+)>$", re.MULTILINE)


@dataclass(frozen=True)
class ImageSlot:
    name: str  # output, input, reference, source, turn1, turn2, ...


@dataclass(frozen=True)
class Prompt:
    kind: str
    system: str
    parts: tuple[str | ImageSlot, ...]  # text and image slots, in order
    questions: tuple[str, ...]
    criteria: tuple[str, ...]  # names of the criteria the judge must score

    @property
    def text(self) -> str:
        """The whole prompt as text, image slots as their marker lines (part of the judgment key)."""
        return "".join(p if isinstance(p, str) else f"<image:{p.name}>" for p in self.parts)

    @property
    def image_slots(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parts if isinstance(p, ImageSlot))


def prompt_kind(spec: InstructionSpec) -> str:
    if spec.kind == "generation":
        return "generation"
    if spec.turns:
        return "multi_turn"
    if spec.reference is not None:
        return "reference"
    return "single_edit"


@functools.lru_cache(maxsize=8)
def _environment(folder: Path) -> jinja2.Environment:
    # One environment per folder, so each template is compiled once (its loader still reloads
    # a template file that changed on disk).
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True, autoescape=False)


def template_sha(kind: str, folder: str | Path = PROMPTS_DIR) -> str:
    """A hash of the files that make a kind's prompt (its template, the system text, the shared parts)."""
    folder = Path(folder)
    digest = hashlib.sha256()
    for path in [folder / "system.txt", folder / f"{kind}.txt", *sorted(folder.glob("_*.txt"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def style_family(spec: InstructionSpec) -> str | None:
    """The style family the output is drawn in (which rubric criteria apply to it)."""
    scene = spec.scene if spec.kind == "generation" else spec.source
    return scene.style_family if scene is not None else None


def render_prompt(spec: InstructionSpec, rubric: Rubric, folder: str | Path = PROMPTS_DIR) -> Prompt:
    """The judge prompt of one item, split into text parts and image slots."""
    folder = Path(folder)
    kind = prompt_kind(spec)
    criteria = rubric.for_kind(spec.kind, style_family(spec))
    if kind == "multi_turn":
        numbered, n = [], 0
        for k, asked in enumerate(turn_questions(spec), start=1):
            for text in asked:
                n += 1
                numbered.append({"n": n, "text": text, "turn": k})
    else:
        numbered = [{"n": n, "text": text, "turn": None} for n, text in enumerate(checklist(spec), start=1)]
    try:
        text = _environment(folder).get_template(f"{kind}.txt").render(
            instruction=spec.instruction, turns=spec.turns, criteria=criteria, scale=rubric.scale, questions=numbered)
    except jinja2.TemplateError as exc:
        raise ValueError(f"judge prompt template {folder / (kind + '.txt')}: {exc}") from None
    text = _BLANK_RUN.sub("\n\n", text).strip() + "\n"  # includes leave runs of blank lines
    parts: list[str | ImageSlot] = []
    pieces = _IMAGE_LINE.split(text)  # text, slot name, text, slot name, ..., text
    for i, piece in enumerate(pieces):
        if i % 2:
            parts.append(ImageSlot(piece))
        elif piece:
            parts.append(piece)
    system = (folder / "system.txt").read_text(encoding="utf-8").strip()
    return Prompt(kind=kind, system=system, parts=tuple(parts), questions=tuple(q["text"] for q in numbered),
                  criteria=tuple(c.name for c in criteria))
