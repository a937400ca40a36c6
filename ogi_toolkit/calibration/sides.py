"""The two configurations of a calibration, from ``sketch``, ``sketch-ablated`` or ``openai:MODEL``."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..backends import BACKENDS

__all__ = ["Side", "parse_side"]


@dataclass(frozen=True)
class Side:
    label: str  # as the user wrote it: "openai:gpt-image-1", "sketch"
    backend: str
    options: dict[str, Any] = field(default_factory=dict)  # backend options (never a key)

    def record(self, identity: dict[str, Any]) -> dict[str, Any]:
        """What calibration.json says about this side (the backend's identity names the model)."""
        return {"label": self.label, "backend": self.backend, "options": dict(self.options), "identity": identity}


def parse_side(text: str, base_url: str | None = None, what: str = "--strong") -> Side:
    """``"openai:gpt-image-1"`` -> the OpenAI backend with that image model; a bare backend name
    (``sketch``, ``sketch-ablated``) -> that backend. ``base_url``: an OpenAI-compatible server."""
    name, _, model = text.partition(":")
    if name not in BACKENDS:
        raise ValueError(f"{what} {text!r}: expected a backend ({', '.join(sorted(BACKENDS))}), "
                         "optionally with a model: openai:gpt-image-1")
    options: dict[str, Any] = {}
    if model:
        if name != "openai":
            raise ValueError(f"{what} {text!r}: only the openai backend takes a model (openai:MODEL)")
        options["image_model"] = model
    if base_url:
        if name != "openai":
            raise ValueError(f"{what} {text!r}: a base URL is for the openai backend (an OpenAI-compatible server)")
        options["base_url"] = base_url
    return Side(text, name, options)
