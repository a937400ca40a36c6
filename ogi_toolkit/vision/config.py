"""The vision models' defaults (names, licences, batch sizes): ``vision.yaml`` beside this module,
validated at load so a typo fails with the file and key. (The vision checks' thresholds are a
section of the checks configuration: ``quality/checks/suite/vision.yaml``.)"""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from ..definition.yaml_files import load_yaml_file

__all__ = ["DEFAULT_VISION_FILE", "ROLES", "ModelDefault", "VisionConfig", "load_vision_config"]

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


class VisionConfig(_Strict):
    models: VisionModels
    batch_size: dict[str, int]

    def default_name(self, role: str) -> str:
        return getattr(self.models, role).name


def load_vision_config(path: str | Path | None = None) -> VisionConfig:
    """The vision configuration from ``path`` (default: the bundled ``vision.yaml``)."""
    path = Path(path) if path is not None else DEFAULT_VISION_FILE
    data = load_yaml_file(path, "vision config")
    if not isinstance(data, dict):
        raise ValueError(f"vision config {path}: expected a mapping with keys models, batch_size")
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
