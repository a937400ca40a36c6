"""One manifest line: an item's spec grown into a dataset record (see ``ogi_toolkit.dataset``)."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from ..backends.base import Backend
from ..spec import InstructionSpec
from .flow import ItemWalk

__all__ = ["item_record", "same_result"]


def item_record(
    spec: InstructionSpec,
    walk: ItemWalk,
    *,
    status: str,
    backend: Backend,
    size: str,
    rewrite: bool,
    seconds: float,
    error: dict[str, Any] | None = None,
) -> dict[str, Any]:
    ident = backend.identity()
    params: dict[str, Any] = {k: v for k, v in ident.items() if k not in ("backend", "model")}
    params["size"] = size
    if rewrite and "rewrite" in walk.calls:
        params["rewrite"] = {"model": walk.calls["rewrite"].record.get("model"),
                             "used": not walk.rewrite_problems, "problems": walk.rewrite_problems}
    calls = walk.calls
    return {
        "id": spec.id,
        "status": status,
        "spec": spec.model_dump(mode="json", exclude_none=True),
        "instruction": walk.instruction,
        "original_instruction": walk.original_instruction,
        "input_images": walk.input_images,
        "output_image": walk.output_image if status == "done" else None,
        "turn_images": walk.turn_images,
        "backend": backend.name,
        "model": ident.get("model") or backend.name,
        # how faithfully the backend draws this kind of item, when it says (the sketch renderer does)
        "fidelity": backend.fidelity(spec),
        "params": params,
        "usage": {step: c.record.get("usage") or {} for step, c in calls.items()},
        # What this item's results cost when they were paid for (shared calls count in each item).
        "cost_usd": round(sum(c.record.get("cost_usd", 0.0) for c in calls.values()), 6),
        "timings": {**{step: c.record.get("seconds") for step, c in calls.items()}, "item_s": round(seconds, 3)},
        "error": error,
        "request_keys": {step: c.key for step, c in calls.items()},
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def same_result(previous: dict[str, Any] | None, record: dict[str, Any]) -> bool:
    """True when a finished item came out exactly as its last manifest line says (same calls,
    same text, same image files: a broken stored image made again may come out different)."""
    return (previous is not None and previous.get("status") == "done" and record["status"] == "done"
            and all(previous.get(field) == record[field] for field in
                    ("request_keys", "instruction", "output_image", "input_images", "turn_images")))
