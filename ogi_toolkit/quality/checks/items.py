"""What each item of a dataset folder must show, step by step, and what the renderer drew.

A step is one image the item produced: a generation item's output, an edit's output (with
the image it edits), or each turn of a multi-turn edit (against the turn before). With each
step goes the scene it must show (the spec's, with the edits applied by
:mod:`ogi_toolkit.scene_edit`) and, when the backend recorded one, its *layout record*: the
sketch renderer writes the boxes of every object and text it drew, and the regions an edit
changed, into its call's ``meta`` (``calls.jsonl``, found through the manifest's
``request_keys``). Real image models give none; their checks fall back to whole images.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...folder import CALLS_NAME, MANIFEST_NAME, UnsafePath, inside, iter_jsonl, read_manifest
from ...scene_edit import EditError, apply_edit
from ...spec import Edit, InstructionSpec, Scene

__all__ = ["CheckStep", "CheckItem", "TextExpectation", "load_check_items", "safe_path"]


@dataclass(frozen=True)
class TextExpectation:
    """A string the step's output must show (``present``) or must no longer show."""

    text: str
    language: str
    script: str
    present: bool
    why: str  # "scene text", "text_add", "text_replace (new)", ...
    box: tuple[int, int, int, int] | None = None  # where the layout record says it was drawn
    size: int | None = None  # its font size in pixels, from the layout record


@dataclass
class CheckStep:
    name: str  # "scene", "edit", "turn:K"
    output: Path
    input: Path | None  # the image this step edits (None for a generation)
    scene: Scene | None  # what the output must show
    before: Scene | None  # what the input shows
    edits: list[Edit] = field(default_factory=list)
    layout: dict[str, Any] | None = None  # the renderer's record of the output
    before_layout: dict[str, Any] | None = None  # ... and of the input
    texts: list[TextExpectation] = field(default_factory=list)


@dataclass
class CheckItem:
    id: str
    kind: str
    subtask: str
    size: tuple[int, int] | None  # requested WxH (None for "auto" or unknown)
    spec: InstructionSpec
    steps: list[CheckStep]
    input_images: list[Path]
    image_sha: dict[str, str]  # step name -> output image file name (content hash), for the resume key


def safe_path(root: Path, rel: str) -> Path:
    """``root / rel``, refused if it leaves ``root`` (a manifest path must stay in its folder)."""
    try:
        return inside(root, rel)
    except UnsafePath as exc:
        raise ValueError(f"{root / MANIFEST_NAME}: image path {rel!r} leaves the dataset folder ({exc})") from None


def _size(params: dict[str, Any]) -> tuple[int, int] | None:
    try:
        w, h = (int(v) for v in str(params.get("size", "")).lower().split("x"))
        return w, h
    except ValueError:
        return None


def _fold(scene: Scene, edits: list[Edit], spec: InstructionSpec) -> tuple[Scene | None, list[TextExpectation]]:
    """The scene after ``edits`` and the texts they say must (or must no longer) be seen."""
    texts: list[TextExpectation] = []
    for position, edit in enumerate(edits):
        before = scene
        try:
            scene = apply_edit(scene, edit, spec.reference, position).scene
        except EditError:
            return None, texts
        op = edit.op
        old = before.texts[edit.target] if edit.target is not None and edit.target < len(before.texts) else None
        if op == "text_add" and edit.text is not None:
            texts.append(TextExpectation(edit.text.text, edit.text.language, edit.text.script, True, op))
        elif op == "text_replace" and edit.text is not None and old is not None:
            texts.append(TextExpectation(edit.text.text, edit.text.language, edit.text.script, True, f"{op} (new)"))
            if old.text != edit.text.text:
                texts.append(TextExpectation(old.text, old.language, old.script, False, f"{op} (old)"))
        elif op == "text_remove" and old is not None:
            if not any(t.text == old.text for t in scene.texts):
                texts.append(TextExpectation(old.text, old.language, old.script, False, op))
        elif op == "text_alter" and old is not None:
            texts.append(TextExpectation(old.text, old.language, old.script, True, op))
    # a text added then removed again in the same step is not expected
    kept = [t for t in texts if not t.present or any(s.text == t.text for s in scene.texts)]
    return scene, kept


def _with_boxes(texts: list[TextExpectation], layout: dict[str, Any] | None,
                before: dict[str, Any] | None = None) -> list[TextExpectation]:
    """Each present text with the box the output's layout record gives the same string; each
    text that must be gone with the box it had in the input's."""
    out = []
    used: set[tuple[int, bool]] = set()
    for t in texts:
        box, size = None, None
        record = layout if t.present else before
        drawn = [r for r in (record or {}).get("texts", []) if isinstance(r, dict) and r.get("index", 0) >= 0]
        if drawn:
            for k, rec in enumerate(drawn):
                if (k, t.present) not in used and rec.get("text") == t.text and rec.get("box"):
                    used.add((k, t.present))
                    box, size = tuple(int(v) for v in rec["box"]), rec.get("size")
                    break
        out.append(TextExpectation(t.text, t.language, t.script, t.present, t.why, box, size))
    return out


def _steps(spec: InstructionSpec, record: dict[str, Any], root: Path, metas: dict[str, dict]) -> list[CheckStep]:
    keys = record.get("request_keys") or {}

    def layout(step: str) -> dict[str, Any] | None:
        return metas.get(keys.get(step, ""))

    inputs = [safe_path(root, p) for p in record.get("input_images") or []]
    output = safe_path(root, record["output_image"])
    if spec.kind == "generation":
        scene = spec.scene
        texts = [TextExpectation(t.text, t.language, t.script, True, "scene text") for t in (scene.texts if scene else [])]
        return [CheckStep("scene", output, None, scene, None, [], layout("scene"), None,
                          _with_boxes(texts, layout("scene")))]
    if spec.turns:
        turns = [safe_path(root, p) for p in record.get("turn_images") or []]
        steps, scene, previous = [], spec.source, inputs[0] if inputs else None
        for k, (turn, image) in enumerate(zip(spec.turns, turns)):
            after, texts = _fold(scene, turn.edits, spec) if scene is not None else (None, [])
            now, before = layout(f"turn:{k}"), layout(f"turn:{k - 1}" if k else "source")
            steps.append(CheckStep(f"turn:{k}", image, previous, after, scene, list(turn.edits), now, before,
                                   _with_boxes(texts, now, before)))
            scene, previous = after, image
        return steps
    after, texts = _fold(spec.source, spec.edits, spec) if spec.source is not None else (None, [])
    return [CheckStep("edit", output, inputs[0] if inputs else None, after, spec.source, list(spec.edits),
                      layout("edit"), layout("source"), _with_boxes(texts, layout("edit"), layout("source")))]


def load_check_items(path: str | Path) -> tuple[list[CheckItem], list[dict[str, Any]]]:
    """The finished items of a dataset folder as check items, and every manifest record."""
    root = Path(path)
    records = read_manifest(root)
    wanted = {k for r in records for k in (r.get("request_keys") or {}).values()}
    metas = {c["key"]: c.get("meta") or {} for c in iter_jsonl(root / CALLS_NAME)
             if c.get("key") in wanted and (c.get("meta") or {}).get("objects") is not None}
    items = []
    for record in records:
        if record.get("status") != "done" or not record.get("output_image"):
            continue
        spec = InstructionSpec.model_validate(record["spec"])
        steps = _steps(spec, record, root, metas)
        items.append(CheckItem(record["id"], spec.kind, spec.subtask, _size(record.get("params") or {}), spec, steps,
                               [safe_path(root, p) for p in record.get("input_images") or []],
                               {s.name: s.output.name for s in steps}))
    return items, records
