"""The judge's rubric: criteria, weights, scale and pass threshold, as a validated data file.

A rubric is data (``rubrics/pico_banana.yaml`` is the default) so that users weigh criteria
their own way without code: ``load_rubric("my-rubric.yaml")``. A mistake fails at load with
the file, the key and what was expected, not after a paid run.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ...definition.yaml_files import load_yaml_file, validated_mapping

__all__ = ["DEFAULT_RUBRIC", "Criterion", "Rubric", "load_rubric"]

DEFAULT_RUBRIC = Path(__file__).resolve().parent / "rubrics" / "pico_banana.yaml"
# Criterion names become keys of the judge's JSON reply, so they must be plain identifiers.
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scale(_Strict):
    min: int
    max: int

    @model_validator(mode="after")
    def _ordered(self) -> "Scale":
        if self.max <= self.min:
            raise ValueError(f"max ({self.max}) must be greater than min ({self.min})")
        return self


class Criterion(_Strict):
    name: str
    weight: float = Field(gt=0)
    description: str = Field(min_length=1)
    kinds: tuple[Literal["generation", "editing"], ...] = ("generation", "editing")

    @model_validator(mode="after")
    def _identifier(self) -> "Criterion":
        if not _NAME.match(self.name):
            raise ValueError(f"name {self.name!r} must be lower-case letters, digits and _ (it is a JSON key)")
        return self


class Rubric(_Strict):
    name: str = Field(min_length=1)
    description: str = ""
    scale: Scale
    pass_threshold: float = Field(ge=0, le=1)
    criteria: tuple[Criterion, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_and_complete(self) -> "Rubric":
        names = [c.name for c in self.criteria]
        doubled = sorted({n for n in names if names.count(n) > 1})
        if doubled:
            raise ValueError(f"criteria names {doubled} appear more than once")
        for kind in ("generation", "editing"):
            if not self.for_kind(kind):
                raise ValueError(f"no criterion applies to {kind} items (set 'kinds')")
        return self

    def for_kind(self, kind: str) -> tuple[Criterion, ...]:
        """The criteria that apply to an item of ``kind`` ("generation" or "editing")."""
        return tuple(c for c in self.criteria if kind in c.kinds)

    def normalise(self, raw: float) -> float:
        """A score on the rubric's scale -> 0..1."""
        return (raw - self.scale.min) / (self.scale.max - self.scale.min)

    def score(self, kind: str, raw: dict[str, float]) -> tuple[float, dict[str, float]]:
        """(weighted score 0..1, each criterion's score 0..1) for the raw scores of one item.

        Weights are renormalised over the criteria that apply to the kind, so a generation
        item is not marked down for having nothing to preserve.
        """
        criteria = self.for_kind(kind)
        per = {c.name: round(self.normalise(raw[c.name]), 4) for c in criteria}
        total = sum(c.weight for c in criteria)
        return round(sum(c.weight * per[c.name] for c in criteria) / total, 4), per

    def sha(self) -> str:
        """A hash of everything in the rubric (part of every judgment's key)."""
        return hashlib.sha256(json.dumps(self.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()


def load_rubric(path: str | Path | Rubric | None = None) -> Rubric:
    """Read and validate a rubric file (the packaged Pico-Banana rubric when ``path`` is None)."""
    if isinstance(path, Rubric):
        return path
    path = Path(path) if path is not None else DEFAULT_RUBRIC
    if not path.is_file():
        raise FileNotFoundError(f"rubric {path} does not exist")
    return validated_mapping(Rubric, load_yaml_file(path, "rubric"), "rubric", path)
