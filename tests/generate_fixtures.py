"""Small real plans and a local server for the generation tests (no mocks: real SDK over HTTP)."""
from __future__ import annotations

import contextlib
import json
from pathlib import Path

from ogi_toolkit.spec import Edit, InstructionSpec, Reference, Scene, SceneObject, TextItem, Turn


def generation(i: int, *, prompt: str | None = None) -> InstructionSpec:
    return InstructionSpec(
        id=f"gen-{i}", kind="generation", domain="spatial_reasoning", subtask="object_counting",
        template_id="count.v1", difficulty=1, seed=i,
        instruction=prompt or f"Exactly {i % 5 + 1} red apples on a wooden table, item {i}",
        scene=Scene(objects=[SceneObject(name="red apple", count=i % 5 + 1)], background="wooden table"))


def poster() -> InstructionSpec:
    return InstructionSpec(
        id="gen-text", kind="generation", domain="text_rendering", subtask="textual_accuracy",
        template_id="sign.v1", difficulty=2, seed=7, instruction='A shop sign that reads "OPEN LATE" above a door',
        scene=Scene(objects=[SceneObject(name="shop sign"), SceneObject(name="door")],
                    texts=[TextItem(text="OPEN LATE", on=0)]))


def single_edit(i: int = 0) -> InstructionSpec:
    return InstructionSpec(
        id=f"edit-{i}", kind="editing", domain="subject_manipulation", subtask="replace",
        template_id="replace.v1", difficulty=1, seed=100 + i, instruction=f"Replace the apple with a pear ({i})",
        source=Scene(description=f"A red apple on a wooden table ({i})", objects=[SceneObject(name="apple")]),
        edits=[Edit(op="replace", target=0, object=SceneObject(name="pear"))])


def multi_turn() -> InstructionSpec:
    return InstructionSpec(
        id="multi-0", kind="editing", domain="multi_turn_editing", subtask="two_turns",
        template_id="mt.v1", difficulty=2, seed=200, instruction="Add a cat, then make the sofa blue",
        source=Scene(description="A grey sofa in a bright living room", objects=[SceneObject(name="sofa")]),
        turns=[Turn(instruction="Add a cat on the sofa", edits=[Edit(op="add", object=SceneObject(name="cat"))]),
               Turn(instruction="Make the sofa blue", edits=[Edit(op="alter", target=0, attribute="colour", value="blue")])])


def reference() -> InstructionSpec:
    return InstructionSpec(
        id="ref-0", kind="editing", domain="other_challenging_editing", subtask="reference_image",
        template_id="ref.v1", difficulty=2, seed=300, instruction="Add the dog from <image> next to the bench",
        source=Scene(description="A park bench under a tree", objects=[SceneObject(name="bench")]),
        reference=Reference(scene=Scene(description="A small brown dog on white", objects=[SceneObject(name="dog")])),
        edits=[Edit(op="add", object=SceneObject(name="dog"), relation="next_to", anchor=0)])


def mixed_plan() -> list[InstructionSpec]:
    """One item of each shape: generation, text generation, single edit, multi-turn, reference."""
    return [generation(0), poster(), single_edit(0), multi_turn(), reference()]


def write_plan(path: Path, specs: list[InstructionSpec]) -> Path:
    path.write_text("".join(s.to_json() + "\n" for s in specs), encoding="utf-8")
    return path


def manifest_lines(out: Path) -> list[dict]:
    """Every line of a run's manifest; fails on a line that is not whole JSON."""
    raw = (out / "manifest.jsonl").read_bytes()
    assert raw == b"" or raw.endswith(b"\n"), "manifest ends in a torn line"
    return [json.loads(line) for line in raw.splitlines()]


@contextlib.contextmanager
def local_server(**options):
    from ogi_toolkit.server import serve_in_background

    options.setdefault("max_px", 32)  # tiny images keep the tests fast; sizes are still requested honestly
    server = serve_in_background(**options)
    try:
        yield server
    finally:
        server.close()
