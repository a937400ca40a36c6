"""Planted faults: a copy of a dataset folder with known-bad outputs, to measure the checks.

``plant_faults(src, dst)`` copies ``src`` (manifest, calls, images hard-linked where the
filesystem allows) and appends manifest lines (the last line per id wins) that:

* rotate the outputs of ten text-rendering items (generation items with texts) among themselves;
* give one generation item without texts a blank white output;
* give one single-edit item its own input as output;
* give another single-edit item an unrelated picture (another item's generation output).

It returns the ids of each kind of fault. The checks should flag them with
``text.present``, ``technical.not_flat``, ``technical.differs_from_input`` and
``preservation.ssim_outside_edit`` respectively.
"""
from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

from PIL import Image

from ...folder import CALLS_NAME, MANIFEST_NAME, ManifestWriter, read_manifest

__all__ = ["plant_faults"]

_LOCAL_OPS = ("add", "remove", "replace", "alter", "move", "material")


def copy_dataset(src: Path, dst: Path) -> None:
    """``src``'s manifest and calls copied, its images hard-linked (copied across filesystems)."""
    dst.mkdir(parents=True, exist_ok=True)
    for name in (MANIFEST_NAME, CALLS_NAME):
        if (src / name).is_file():
            shutil.copyfile(src / name, dst / name)
    for image in (src / "images").rglob("*.png"):
        target = dst / image.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            try:
                os.link(image, target)
            except OSError:
                shutil.copyfile(image, target)


def plant_faults(src: str | Path, dst: str | Path, n_swapped: int = 10) -> dict[str, list[str]]:
    src, dst = Path(src), Path(dst)
    copy_dataset(src, dst)
    records = sorted((r for r in read_manifest(dst) if r.get("status") == "done"), key=lambda r: r["id"])

    def spec(record: dict) -> dict:
        return record["spec"]

    texts = [r for r in records if spec(r)["kind"] == "generation" and (spec(r).get("scene") or {}).get("texts")]
    if len(texts) < n_swapped:
        raise ValueError(f"{src}: {len(texts)} generation items with texts, {n_swapped} needed to swap")
    swapped = texts[:n_swapped]
    plain = [r for r in records if spec(r)["kind"] == "generation" and r not in texts]
    edits = [r for r in records if spec(r)["kind"] == "editing" and len(spec(r).get("edits") or []) == 1
             and spec(r)["edits"][0]["op"] in _LOCAL_OPS and not spec(r).get("reference")]
    if len(plain) < 2 or len(edits) < 2:
        raise ValueError(f"{src}: needs 2 generation items without texts and 2 single local edits")
    changed = []
    for k, record in enumerate(swapped):
        changed.append({**record, "output_image": swapped[(k + 1) % n_swapped]["output_image"]})
    blank_item = plain[0]
    size = Image.open(dst / blank_item["output_image"]).size
    buf = io.BytesIO()
    Image.new("RGB", size, (255, 255, 255)).save(buf, format="PNG")
    (dst / "images" / "planted").mkdir(parents=True, exist_ok=True)
    (dst / "images" / "planted" / "blank.png").write_bytes(buf.getvalue())
    changed.append({**blank_item, "output_image": "images/planted/blank.png"})
    identical, unrelated = edits[0], edits[1]
    changed.append({**identical, "output_image": identical["input_images"][0]})
    changed.append({**unrelated, "output_image": plain[1]["output_image"]})
    with ManifestWriter(dst / MANIFEST_NAME) as writer:
        for record in changed:
            writer.append(json.loads(json.dumps(record)))
    return {"swapped": [r["id"] for r in swapped], "blank": [blank_item["id"]], "identical": [identical["id"]],
            "unrelated": [unrelated["id"]]}
