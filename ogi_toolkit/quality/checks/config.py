"""The thresholds of the offline checks: a data file (``checks.yaml`` beside this module),
validated at load so that a typo fails at once with the file, the key and what was expected."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

__all__ = ["DEFAULT_CHECKS_FILE", "ChecksConfig", "load_checks_config"]

DEFAULT_CHECKS_FILE = Path(__file__).resolve().parent / "checks.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TextConfig(_Strict):
    max_distance: float = Field(ge=0, le=1)
    min_gone_distance: float = Field(ge=0, le=1)
    target_letter_px: int = Field(ge=8, le=200)
    retry_letter_px: list[int] = Field(default_factory=list)
    languages: dict[str, str]
    scripts: dict[str, str]
    report_only_scripts: list[str] = Field(default_factory=list)


class PreservationConfig(_Strict):
    pixel_tolerance: int = Field(ge=0, le=255)
    min_changed_share: float = Field(ge=0, le=1)
    max_changed_share_local: float = Field(ge=0, le=1)
    min_ssim_outside: float = Field(ge=-1, le=1)
    min_ssim_whole: float = Field(ge=-1, le=1)


class TechnicalConfig(_Strict):
    min_grey_std: float = Field(ge=0)
    min_laplacian_var: float = Field(ge=0)
    max_clipped_share: float = Field(ge=0, le=1)
    exposure_exempt_style_families: list[str] = Field(default_factory=list)
    max_duplicate_hash_distance: int = Field(ge=0, le=64)


class LayoutConfig(_Strict):
    enabled: bool = True


class ChecksConfig(_Strict):
    text: TextConfig
    preservation: PreservationConfig
    technical: TechnicalConfig
    layout: LayoutConfig

    def fingerprint(self) -> str:
        """A short hash of the thresholds: a result made under other ones is made again."""
        return hashlib.sha256(json.dumps(self.model_dump(), sort_keys=True).encode()).hexdigest()[:16]


def load_checks_config(path: str | Path | None = None) -> ChecksConfig:
    """The checks configuration from ``path`` (default: the bundled ``checks.yaml``)."""
    path = Path(path) if path is not None else DEFAULT_CHECKS_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"checks config {path}: no such file") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise ValueError(f"checks config {path}: not valid YAML ({getattr(exc, 'problem', None) or exc}{where})") from None
    if not isinstance(data, dict):
        raise ValueError(f"checks config {path}: expected a mapping with keys text, preservation, technical, layout")
    try:
        return ChecksConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"checks config {path}: {where}: {first['msg']}") from None
