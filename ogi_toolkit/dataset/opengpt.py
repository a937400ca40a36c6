"""The released OpenGPT-4o-Image layout, both ways: export a dataset to it, import it into ours.

The layout (paper-facts.md §2): ``gen.json`` and ``editing.json``, one JSON object per line,
beside folders ``gen/`` and ``editing/``::

    gen.json:      {"input_prompt": str, "output_image": "gen/0.png"}
    editing.json:  {"input_prompt": str, "input_image": ["editing/input_0.png", ...],
                    "output_image": "editing/output_0.png"}

Choices where the released layout says nothing (documented here, tested both ways):

* **Reference images**: the reference is the second input image, and the prompt names it with
  the ``<image>`` placeholder the released prompts use ("Add a girl to <image> ...").
* **Several input images**: ``editing/input_N.png`` is the image edited; references follow as
  ``editing/input_N_1.png``, ``editing/input_N_2.png`` ...
* **Multi-turn items** become one editing record per turn, chained: turn k's input image *is*
  turn k-1's output (the same path, ``editing/output_M.png``), and its prompt is that turn's
  instruction. A reader that knows nothing of chains sees ordinary single edits.
* **``ogi_meta.jsonl``** (ours, ignored by other readers): for each exported line, our id, the
  turn and the full spec, so a re-import restores labels and multi-turn chains. The released
  data has no such file: its records come in with domain and subtask ``unlabelled``.

The export is :mod:`.export_opengpt` (``ogi export --format opengpt``), the import
:mod:`.import_opengpt` (``ogi import-opengpt``); this module holds what both share.
"""
from __future__ import annotations

from typing import Any

from ..spec import with_image_placeholder

__all__ = ["EDIT_FILE", "FILES", "GEN_FILE", "META_FILE", "PLACEHOLDER", "REPORT_FILE", "image_paths",
           "with_placeholder"]

GEN_FILE, EDIT_FILE, META_FILE, REPORT_FILE = "gen.json", "editing.json", "ogi_meta.jsonl", "import_report.json"
FILES = {"generation": GEN_FILE, "editing": EDIT_FILE}
PLACEHOLDER = "<image>"


def image_paths(record: dict[str, Any]) -> list[str]:
    """Every image a manifest record names: inputs, each turn's output, the output."""
    return [*(record.get("input_images") or []), *(record.get("turn_images") or []), record["output_image"]]


def with_placeholder(text: str) -> str:
    """A reference-image instruction in the released form: the reference named ``<image>``.

    The template's mention of the second image ("the reference photo") becomes ``<image>``;
    a text with no such mention (an instruction rewritten in other words) gets the placeholder
    appended, so the prompt always marks where the reference comes in.
    """
    if PLACEHOLDER in text:
        return text
    replaced = with_image_placeholder(text)
    return replaced if PLACEHOLDER in replaced else f"{text.rstrip()} {PLACEHOLDER}"
