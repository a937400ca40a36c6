"""The vision models' defaults (names, licences, batch sizes) and the vision checks' thresholds:
``vision.yaml`` beside this module, validated at load so a typo fails with the file and key."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

__all__ = ["DEFAULT_VISION_FILE", "ROLES", "ModelDefault", "VisionConfig", "VisionThresholds", "load_vision_config"]

DEFAULT_VISION_FILE = Path(__file__).resolve().parent / "vision.yaml"
ROLES = ("clip", "dino", "detector")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelDefault(_Strict):
    name: str
    licence: str
    url: str
    used_for: str


class VisionModels(_Strict):
    clip: ModelDefault
    dino: ModelDefault
    detector: ModelDefault


class VisionThresholds(_Strict):
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


class VisionConfig(_Strict):
    models: VisionModels
    batch_size: dict[str, int]
    thresholds: VisionThresholds

    def default_name(self, role: str) -> str:
        return getattr(self.models, role).name

    def fingerprint(self) -> str:
        """A short hash of the thresholds: results made under other ones are made again."""
        return hashlib.sha256(json.dumps(self.thresholds.model_dump(), sort_keys=True).encode()).hexdigest()[:16]


def load_vision_config(path: str | Path | None = None) -> VisionConfig:
    """The vision configuration from ``path`` (default: the bundled ``vision.yaml``)."""
    path = Path(path) if path is not None else DEFAULT_VISION_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"vision config {path}: no such file") from None
    except yaml.YAMLError as exc:
        raise ValueError(f"vision config {path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ValueError(f"vision config {path}: expected a mapping with keys models, batch_size, thresholds")
    try:
        config = VisionConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ValueError(f"vision config {path}: {'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from None
    unknown = set(config.batch_size) - set(ROLES)
    if unknown or any(v < 1 for v in config.batch_size.values()):
        raise ValueError(f"vision config {path}: batch_size: expected positive integers for {', '.join(ROLES)}, "
                         f"got {config.batch_size}")
    return config
