"""Request keys: a hash of everything that determines a call's result.

A result on disk under its key is never requested (or paid for) again, whichever plan, item
or run asks for it. What goes into a key:

* ``identity``: ``backend.identity()`` for image calls (backend name, model, quality, base
  URL, extra parameters) or ``backend.rewrite_identity()`` for rewrites (chat model, hash of
  the prompt template);
* ``call``: ``"generate"``, ``"edit"`` or ``"rewrite"``;
* for image calls: the prompt, the size, and the sha256 of each input image, in order;
* for backends that draw from structure (``uses_spec`` true or absent, like the offline
  sketch renderer): also the step (``"source"``, ``"turn:1"``...) and the spec's canonical
  JSON, since for them those determine the picture. API backends set ``uses_spec = False``:
  two items that send the same request share one paid result;
* for rewrites: the spec's canonical JSON (the rendered prompt is a function of it).
"""
from __future__ import annotations

import hashlib
import json
from typing import Any, Sequence

from ..spec import InstructionSpec

KEY_VERSION = 1

__all__ = ["canonical_json", "image_call_key", "rewrite_key", "sha256_hex"]


def canonical_json(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _spec_json(spec: InstructionSpec | None) -> Any:
    return None if spec is None else spec.model_dump(mode="json", exclude_none=True)


def image_call_key(
    identity: dict[str, Any],
    call: str,
    *,
    prompt: str,
    size: str,
    image_sha256: Sequence[str] = (),
    uses_spec: bool = True,
    step: str | None = None,
    spec: InstructionSpec | None = None,
) -> str:
    payload: dict[str, Any] = {
        "v": KEY_VERSION,
        "identity": identity,
        "call": call,
        "prompt": prompt,
        "size": size,
        "images": list(image_sha256),
    }
    if uses_spec:
        payload["step"] = step
        payload["spec"] = _spec_json(spec)
    return sha256_hex(canonical_json(payload))


def rewrite_key(identity: dict[str, Any], spec: InstructionSpec) -> str:
    return sha256_hex(canonical_json({"v": KEY_VERSION, "identity": identity, "call": "rewrite", "spec": _spec_json(spec)}))
