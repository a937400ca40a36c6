"""The vision checks (``ogi check --vision``): CLIP / SigLIP alignment and directional
similarity, DINOv2 similarity, OWLv2 detection of the spec's objects, and comparisons of outputs
within a subtask. A check of the whole dataset (models load once and run batched over every
item); the rows themselves are made in :mod:`..vision_checks`. Without ``--vision`` it gives no
records."""
from __future__ import annotations

from typing import Any

from pydantic import Field

from ..config import Section
from ..items import CheckItem
from ..registry import register

__all__ = ["VisionSection", "vision_suite"]


class VisionSection(Section):
    min_alignment: float = Field(ge=-1, le=1)
    min_object_alignment: float = Field(ge=-1, le=1)
    min_directional: float = Field(ge=-1, le=1)
    min_kept_clip: float = Field(ge=-1, le=1)
    min_kept_dino: float = Field(ge=-1, le=1)
    min_reference_dino: float = Field(ge=-1, le=1)
    min_reference_clip: float = Field(ge=-1, le=1)
    min_detection_score: float = Field(ge=0, le=1)
    min_count_score: float = Field(ge=0, le=1)
    nms_iou: float = Field(gt=0, le=1)
    position_margin: float = Field(ge=0, le=0.5)
    colours: list[str] = Field(min_length=2)
    max_output_similarity: float = Field(ge=-1, le=1)
    swap_margin: float = Field(ge=0, le=2)


@register("vision", config=VisionSection, defaults="vision.yaml", order=60, dataset=True,
          reads="with --vision only: the pixels through vision models (CLIP alignment, DINOv2 similarity, "
                "OWLv2 boxes of the spec's objects) and the other outputs of the subtask")
def vision_suite(items: list[CheckItem], section: VisionSection, context: dict[str, Any]) -> dict[str, list[dict]]:
    models = context.get("vision")
    if models is None:
        return {}
    from ..vision_checks import vision_checks

    return vision_checks(items, models, section)
