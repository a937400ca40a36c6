"""A dataset folder for the gallery tests: the export fixture's five items (generation, edit,
reference edit, two turns, a failure), ``extra`` more generation items so that it takes two
pages, and the check and judge results other commands write beside the manifest."""
from __future__ import annotations

import json
from pathlib import Path

from dataset_fixtures import make_dataset
from ogi_toolkit.folder import ManifestWriter

CHECKS = [
    {"id": "gen-1", "passed": True, "checks": [{"name": "clip_score", "value": 0.31, "threshold": 0.25, "passed": True}]},
    {"id": "edit-1", "passed": False, "checks": [
        {"name": "edit_changed_input", "value": 0.01, "threshold": 0.05, "passed": False, "reason": "output equals input"},
        {"name": "blank_image", "value": 0.4, "threshold": 0.02, "passed": True}]},
]
JUDGMENTS = [
    # as `ogi judge` writes them: error null when judged, {kind, message} when not
    {"id": "ref-1", "judge": "gpt-4o-mini", "score": 0.875, "passed": True, "criteria": {"faithfulness": 1.0},
     "reasons": {"faithfulness": "the cat is on the table"},
     "questions": [{"question": "Is the cat on the table?", "answer": "yes"}], "error": None},
    {"id": "turn-1", "judge": "gpt-4o-mini", "score": None, "passed": None, "criteria": {}, "questions": [],
     "error": {"kind": "timeout", "message": "judge timed out"}},
]


def make_gallery_dataset(root: Path, extra: int = 70) -> None:
    make_dataset(root)
    with ManifestWriter(root / "manifest.jsonl") as writer:
        for k in range(extra):
            spec = {"id": f"more-{k:03d}", "kind": "generation", "domain": "style_control", "subtask": "artistic_styles",
                    "template_id": "t2", "difficulty": 1 + k % 3, "seed": k, "instruction": f"A teapot number {k} in watercolour."}
            writer.append({"id": spec["id"], "status": "done", "spec": spec, "instruction": spec["instruction"],
                           "input_images": [], "output_image": "images/ge/gen.png", "turn_images": []})
    (root / "checks.jsonl").write_text("".join(json.dumps(r) + "\n" for r in CHECKS))
    (root / "judgments.jsonl").write_text("".join(json.dumps(r) + "\n" for r in JUDGMENTS))
