"""The vision models of one run: each role's named model (an error if it cannot be loaded) or
its default (skipped, with the reason, if it cannot), so ``--vision`` runs what it can."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .config import ROLES, VisionConfig, load_vision_config
from .loading import LoadedModel, VisionModelError, load_model, require_transformers

__all__ = ["VisionModels", "load_models"]


@dataclass
class VisionModels:
    clip: LoadedModel | None = None
    dino: LoadedModel | None = None
    detector: LoadedModel | None = None
    skipped: dict[str, str] = field(default_factory=dict)  # role -> why its default did not load
    config: VisionConfig = field(default_factory=load_vision_config)
    cache_dir: Path | None = None  # None: the project's cache folder

    def batch_size(self, role: str) -> int:
        return self.config.batch_size.get(role, 8)

    def fingerprint(self) -> str:
        """Which models ran (by weights): part of each checked item's resume key."""
        return "|".join(f"{role}:{m.fingerprint if m else '-'}" for role, m in
                        (("clip", self.clip), ("dino", self.dino), ("detector", self.detector)))

    def describe(self) -> list[str]:
        """One line per role: the model used, or why none was."""
        lines = []
        for role in ROLES:
            model = getattr(self, role)
            lines.append(f"{role}: {model.name} on {model.device}" if model else f"{role}: skipped ({self.skipped[role]})")
        return lines


def load_models(*, clip: str | None = None, dino: str | None = None, detector: str | None = None,
                device: str | None = None, config: VisionConfig | str | Path | None = None,
                cache_dir: str | Path | None = None) -> VisionModels:
    """Each role's model: the one named (loaded or an error) or the config's default (loaded,
    or skipped with the reason: not downloaded, say)."""
    require_transformers()
    cfg = config if isinstance(config, VisionConfig) else load_vision_config(config)
    models = VisionModels(config=cfg, cache_dir=Path(cache_dir) if cache_dir is not None else None)
    for role, named in (("clip", clip), ("dino", dino), ("detector", detector)):
        if named is not None:
            setattr(models, role, load_model(role, named, device=device))
            continue
        try:
            setattr(models, role, load_model(role, cfg.default_name(role), device=device))
        except VisionModelError as exc:
            models.skipped[role] = str(exc)
    return models
