"""The leakage thresholds (``leakage.yaml`` beside this module), validated at load; a user's
own file or a dict of overrides replaces the values it names."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..definition.yaml_files import load_yaml_file

__all__ = ["DEFAULT_THRESHOLDS", "Thresholds", "load_thresholds"]

DEFAULT_THRESHOLDS = Path(__file__).resolve().parent / "leakage.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Lexical(_Strict):
    shingle: int = Field(ge=1, le=8)
    threshold: float = Field(gt=0, le=1)


class Semantic(_Strict):
    threshold: float = Field(gt=0, le=1)
    k: int = Field(ge=1, le=100)
    method: Literal["exact", "approximate", "auto"] = "exact"


class Thresholds(_Strict):
    lexical: Lexical
    semantic: Semantic


def _merge(base: dict, override: Mapping[str, Any]) -> dict:
    out = dict(base)
    for key, value in override.items():
        out[key] = _merge(out[key], value) if isinstance(value, Mapping) and isinstance(out.get(key), dict) else value
    return out


def load_thresholds(source: str | Path | Mapping[str, Any] | Thresholds | None = None) -> Thresholds:
    """The default thresholds, with a YAML file's or a dict's values (``{"semantic": {"threshold": .9}}``) over them."""
    if isinstance(source, Thresholds):
        return source
    base = load_yaml_file(DEFAULT_THRESHOLDS, "leakage thresholds")
    where = str(DEFAULT_THRESHOLDS)
    if source is not None and not isinstance(source, Mapping):
        where = str(source)
        source = load_yaml_file(source, "leakage thresholds") or {}
        if not isinstance(source, Mapping):
            raise ValueError(f"{where}: expected a mapping with lexical: and semantic: sections")
    try:
        return Thresholds.model_validate(_merge(base, source or {}))
    except ValidationError as exc:
        raise ValueError(f"{where}: {exc}") from None
