"""A small real dataset folder (manifest.jsonl + PNG images), made with PIL, for the export and
import tests: one generation item, one single edit, one reference edit, one two-turn edit, one
failed item, and an id written twice (the last line wins)."""
from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from ogi_toolkit.folder import ManifestWriter
from ogi_toolkit.spec import InstructionSpec

SOURCE = {"description": "a kitchen with a red cup on a table", "objects": [{"name": "cup", "colour": "red"}]}


def png(colour: tuple[int, int, int], size: int = 32) -> bytes:
    image = Image.new("RGB", (size, size), colour)
    image.putpixel((1, 1), (255 - colour[0], 255 - colour[1], 255 - colour[2]))  # not a flat image
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def _spec(**fields) -> dict:
    base = {"template_id": "t1", "difficulty": 1, "seed": 7}
    return InstructionSpec(**{**base, **fields}).model_dump(mode="json", exclude_none=True)


def _record(spec: dict, inputs: list[str], output: str | None, turns: list[str] = (), status: str = "done") -> dict:
    return {"id": spec["id"], "status": status, "spec": spec, "instruction": spec["instruction"],
            "original_instruction": spec["instruction"], "input_images": list(inputs), "output_image": output,
            "turn_images": list(turns), "backend": "sketch", "model": "sketch-1", "params": {"size": "32x32"},
            "usage": {}, "cost_usd": 0.0, "timings": {}, "error": None if status == "done" else {"kind": "x"}}


def make_dataset(root: Path) -> dict[str, bytes]:
    """Write the dataset under ``root``; returns image bytes by relative path."""
    images = {}
    for i, name in enumerate(["gen", "src", "out", "src2", "ref", "out2", "src3", "turn0", "turn1"]):
        rel = f"images/{name[:2]}/{name}.png"
        images[rel] = png((30 * i % 256, 200 - 20 * i, 40 + 10 * i))
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(images[rel])
    gen = _spec(id="gen-1", kind="generation", domain="style_control", subtask="photographic_styles",
                instruction="A lighthouse at dusk, shot on analog film.",
                scene={"objects": [{"name": "lighthouse"}], "style": "analog_film"})
    edit = _spec(id="edit-1", kind="editing", domain="subject_manipulation", subtask="remove",
                 instruction="Remove the red cup from the table.", source=SOURCE, edits=[{"op": "remove", "target": 0}])
    ref = _spec(id="ref-1", kind="editing", domain="other_challenging_editing", subtask="reference_image",
                instruction="Add the cat from the second image to the kitchen, on the table.",
                slots={"ref": "the second image"}, source=SOURCE,
                reference={"scene": {"description": "a grey cat", "objects": [{"name": "cat"}]}, "subject": 0},
                edits=[{"op": "add", "object": {"name": "cat"}, "relation": "on", "anchor": 0}])
    turns = _spec(id="turn-1", kind="editing", domain="multi_turn_editing", subtask="two_turns",
                  instruction="First remove the cup, then make the background a beach.", source=SOURCE,
                  turns=[{"instruction": "Remove the cup.", "edits": [{"op": "remove", "target": 0}]},
                         {"instruction": "Make the background a beach.", "edits": [{"op": "background", "value": "beach"}]}])
    failed = _spec(id="fail-1", kind="generation", domain="spatial_reasoning", subtask="containment",
                   instruction="A cage holds a duck.")
    with ManifestWriter(root / "manifest.jsonl") as writer:
        writer.append(_record(gen, [], None, status="error"))  # an earlier failure, then done: last wins
        writer.append(_record(gen, [], "images/ge/gen.png"))
        writer.append(_record(edit, ["images/sr/src.png"], "images/ou/out.png"))
        writer.append(_record(ref, ["images/sr/src2.png", "images/re/ref.png"], "images/ou/out2.png"))
        writer.append(_record(turns, ["images/sr/src3.png"], "images/tu/turn1.png",
                              turns=["images/tu/turn0.png", "images/tu/turn1.png"]))
        writer.append(_record(failed, [], None, status="error"))
    return images
