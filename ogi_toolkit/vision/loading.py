"""One way to load a vision model: a Hugging Face Hub name or a local folder, the same
``from_pretrained`` call for both, on CPU or a GPU (fp16 there).

Nothing is downloaded with ``HF_HUB_OFFLINE=1``: a name must already be in the Hugging Face
cache, and when it is not the error names the model and how to provide it. Image processors
are the PIL ones (``backend="pil"``): they need no torchvision and give the same pixels on every
machine, so cached results stay comparable.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import ROLES

__all__ = ["INSTALL_HINT", "LoadedModel", "MissingVisionExtra", "VisionModelError", "hub_offline", "load_model", "require_transformers",
           "resolve_device"]

INSTALL_HINT = "pip install 'ogi-toolkit[vision]'"
# the command-line flag that names each role's model, for messages
FLAGS = {"clip": "--clip-model", "dino": "--dino-model", "detector": "--detector"}
DETECTOR_TYPES = ("owlv2", "owlvit")


class MissingVisionExtra(ImportError):
    """transformers is not installed; the message is the one line to run."""


class VisionModelError(ValueError):
    """A vision model could not be loaded; the message names it and says how to provide it."""


@dataclass
class LoadedModel:
    role: str  # clip | dino | detector
    name: str  # as the user gave it: a hub name or a folder
    model: Any
    processor: Any
    device: str
    fingerprint: str  # changes when the weights change: part of every cache key
    model_type: str

    @property
    def dtype(self):
        return next(self.model.parameters()).dtype


def require_transformers():
    """``transformers``, or an ImportError whose message is the one line to run."""
    try:
        import transformers
    except ImportError:
        raise MissingVisionExtra(f"the vision models need transformers: {INSTALL_HINT}") from None
    return transformers


def hub_offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on")


def resolve_device(device: str | None = None) -> str:
    """``cpu``, ``cuda`` or ``cuda:N``; ``auto`` / None picks cuda where torch sees one."""
    import torch

    if device in (None, "auto"):
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cpu":
        return device
    if device.startswith("cuda"):
        if not torch.cuda.is_available():
            raise ValueError(f"device {device!r}: torch sees no CUDA GPU here; use --device cpu")
        return device
    raise ValueError(f"device {device!r}: expected auto, cpu, cuda or cuda:N")


def _local_folder(name: str) -> Path | None:
    """The folder a name is loaded from: the folder itself, or its Hugging Face cache snapshot."""
    path = Path(name).expanduser()
    if path.is_dir():
        return path
    try:
        from huggingface_hub import try_to_load_from_cache

        cached = try_to_load_from_cache(name, "config.json")
    except ValueError:  # not a valid repository id (HFValidationError is a ValueError)
        return None
    return Path(cached).parent if isinstance(cached, str) else None


def _fingerprint(name: str, folder: Path | None) -> str:
    """Weights by identity: each weight file's resolved name (cache blobs are named by content),
    size and time, and the config. A retrained model in the same folder gets a new fingerprint."""
    h = hashlib.sha256(name.encode())
    if folder is not None:
        for path in sorted(folder.iterdir()):
            if path.suffix in (".safetensors", ".bin", ".json"):
                real = path.resolve()
                st = real.stat()
                h.update(f"|{path.name}:{real.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


def _unavailable(role: str, name: str, folder: Path | None, exc: Exception) -> VisionModelError:
    flag = FLAGS[role]
    if folder is None and hub_offline():
        return VisionModelError(
            f"{role} model {name!r}: not a local folder and not in the Hugging Face cache, and HF_HUB_OFFLINE=1 "
            f"downloads nothing. Download it where the hub is reachable (`hf download {name}`, same cache), "
            f"or pass a folder written by save_pretrained: {flag} PATH")
    return VisionModelError(f"{role} model {name!r} could not be loaded ({type(exc).__name__}: {exc}); "
                            f"pass a hub name or a folder written by save_pretrained: {flag} NAME_OR_PATH")


def load_model(role: str, name: str, *, device: str | None = None) -> LoadedModel:
    """The ``role``'s model (clip: CLIP or SigLIP; dino: DINOv2 or any model with a pooled
    output; detector: OWLv2 / OWL-ViT) and its processor, from a hub name or a folder."""
    if role not in ROLES:
        raise ValueError(f"vision model role {role!r}: expected one of {', '.join(ROLES)}")
    transformers = require_transformers()
    import torch

    device = resolve_device(device)
    dtype = torch.float16 if device.startswith("cuda") else torch.float32
    folder = _local_folder(name)
    if folder is None and hub_offline():
        raise _unavailable(role, name, folder, FileNotFoundError(name))
    try:
        model_type = transformers.AutoConfig.from_pretrained(name).model_type
        if role == "detector" and model_type not in DETECTOR_TYPES:
            raise VisionModelError(f"detector {name!r} is a {model_type!r} model; supported: {', '.join(DETECTOR_TYPES)}")
        model_class = transformers.AutoModelForZeroShotObjectDetection if role == "detector" else transformers.AutoModel
        processor_class = transformers.AutoImageProcessor if role == "dino" else transformers.AutoProcessor
        processor = processor_class.from_pretrained(name, backend="pil")
        model = model_class.from_pretrained(name, dtype=dtype)
    except VisionModelError:
        raise
    except (OSError, ValueError) as exc:
        raise _unavailable(role, name, folder, exc) from None
    if role == "clip" and not (hasattr(model, "get_image_features") and hasattr(model, "get_text_features")):
        raise VisionModelError(f"clip model {name!r} is a {model_type!r} model: it needs image and text features "
                               f"(CLIP, SigLIP)")
    model = model.to(device).eval()
    return LoadedModel(role, name, model, processor, device, _fingerprint(name, _local_folder(name)), model_type)
