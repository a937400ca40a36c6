"""What a plan would cost, without sending anything: requests and estimated dollars per subtask
(of generating it, :func:`dry_run`, or of rewriting its instructions, :func:`rewrite_dry_run`)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from ..calls import open_backend
from ..calls.cost import CostModel
from ..calls.keys import rewrite_key
from ..config import LOCAL, ModelsConfig, load_models_config
from ..folder import CALLS_NAME, MANIFEST_NAME, iter_jsonl, latest_records
from ..instruction_constraints import units
from ..spec import InstructionSpec
from .plan_file import as_specs
from .rewrite_run import default_store

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["dry_run", "item_calls", "pricing_note", "rewrite_dry_run"]


def item_calls(spec: InstructionSpec, *, rewrite: bool = False) -> list[tuple[str, str, int]]:
    """(call, prompt, number of input images) for every call the item needs (see ``flow``)."""
    calls = []
    if rewrite and not spec.turns and spec.rewrite is None:  # an ogi rewrite output is not rewritten again
        calls.append(("rewrite", spec.instruction, 0))
    if spec.kind == "generation":
        return calls + [("generate", spec.instruction, 0)]
    calls.append(("generate", spec.source.description if spec.source and spec.source.description else "", 0))
    n_inputs = 1
    if spec.reference is not None:
        calls.append(("generate", spec.reference.scene.description or "", 0))
        n_inputs = 2
    if spec.turns:
        for k, turn in enumerate(spec.turns):
            calls.append(("edit", turn.instruction, n_inputs if k == 0 else 1))
    else:
        calls.append(("edit", spec.instruction, n_inputs))
    return calls


def dry_run(
    plan: str | Path | Iterable[InstructionSpec],
    *,
    backend: Any = "sketch",
    image_model: str | None = None,
    quality: str | None = None,
    chat_model: str | None = None,
    size: str | None = None,
    rewrite: bool = False,
    batch: bool = False,
    config: ModelsConfig | str | Path | None = None,
    out: str | Path | None = None,
) -> "pd.DataFrame":
    """One row per subtask: items, items already done in ``out``, requests, estimated cost.

    ``backend`` is a name or an instance; for a name no backend is built, so no key is needed.
    Calls already made are not known ahead (an edit's key depends on its source image), so
    the estimate counts every call of every item not yet done.
    """
    import pandas as pd  # here, not at import: `ogi generate` starts faster without it

    specs = as_specs(plan)
    config_name = ("the packaged local-models.yaml (a free local server)" if config == LOCAL else str(config)
                   if isinstance(config, (str, Path)) else "the packaged models.yaml" if config is None else "the given models config")
    config = config if isinstance(config, ModelsConfig) else load_models_config(config)
    named = {"image model": image_model, "quality": quality, "size": size, "chat model": chat_model}
    size = size or config.defaults.size
    if isinstance(backend, str):
        # a named image model is priced whatever the backend: "what would this cost with X" is the question
        priced = backend == "openai" or image_model is not None
        cost = CostModel(config, (image_model or config.defaults.image_model) if priced else None,
                         quality or config.defaults.quality,
                         (chat_model or config.defaults.chat_model) if priced and rewrite else None,
                         paid=priced, batch=batch)
    else:
        cost = CostModel.for_backend(backend, config, batch=batch)
    assumed = {"image model": cost.image_model, "quality": cost.quality if cost.image_model else None, "size": size,
               "chat model": cost.chat_model if rewrite else None}
    pricing = {"priced": {k: v for k, v in assumed.items() if v is not None},
               "from_defaults": sorted(k for k, v in assumed.items() if v is not None and named.get(k) is None),
               "config": config_name, "batch": batch, "backend": backend if isinstance(backend, str) else type(backend).__name__}
    done = {i for i, r in latest_records(Path(out) / MANIFEST_NAME).items() if r.get("status") == "done"} if out else set()
    rows = []
    for spec in specs:
        row = {"kind": spec.kind, "domain": spec.domain, "subtask": spec.subtask, "items": 1,
               "already_done": int(spec.id in done), "requests": 0, "est_cost_usd": 0.0}
        if spec.id not in done:
            for call, prompt, n_images in item_calls(spec, rewrite=rewrite):
                row["requests"] += 1
                row["est_cost_usd"] += cost.estimate_rewrite() if call == "rewrite" else cost.estimate_image(prompt, n_images, size)
        rows.append(row)
    columns = ["kind", "domain", "subtask", "items", "already_done", "requests", "est_cost_usd"]
    if not rows:
        table = pd.DataFrame(columns=columns)
    else:
        table = pd.DataFrame(rows).groupby(["kind", "domain", "subtask"], as_index=False).sum()
        table["est_cost_usd"] = table["est_cost_usd"].round(4)
        table = table[columns]
    table.attrs["pricing"] = pricing  # what was priced, and which of it was assumed: pricing_note(table)
    return table


def pricing_note(table: "pd.DataFrame") -> str:
    """One line saying what ``dry_run``'s estimate priced and what it assumed."""
    p = table.attrs.get("pricing") or {}
    priced = p.get("priced", {})
    if not priced.get("image model"):
        return (f"priced as: nothing to pay (backend {p.get('backend')!r} is free); name an image model "
                f"(--image-model / image_model=) to see what the API would cost")
    parts = [f"{k} {v}" + (" (assumed: the models config's default)" if k in p.get("from_defaults", ()) else "")
             for k, v in priced.items()]
    return (f"priced as: {', '.join(parts)}; prices from {p.get('config')}"
            + ("; Batch API discount applied" if p.get("batch") else ""))


def rewrite_dry_run(plan: str | Path | Iterable[InstructionSpec], *, backend: Any = "openai",
                    backend_options: dict[str, Any] | None = None, store: str | Path | None = None,
                    out: str | Path | None = None, batch: bool = False,
                    config: ModelsConfig | str | Path | None = None):
    """Requests and estimated cost per subtask of rewriting ``plan``, and the chat model; sends nothing.

    Rewrites found in the store (``store``, or the default beside ``out``) count as done.
    Second tries are not known before the first answers: the estimate is for first tries.
    """
    import pandas as pd

    specs = as_specs(plan)
    be, config = open_backend(backend, backend_options, config)
    identity = be.rewrite_identity()
    store_dir = Path(store) if store is not None else (default_store(out) if out is not None else None)
    stored = set()
    if store_dir is not None:
        stored = {r["key"] for r in iter_jsonl(store_dir / CALLS_NAME) if "key" in r and "failed" not in r}
    per_request = CostModel.for_backend(be, config, batch=batch).estimate_rewrite()
    rows: dict[str, dict[str, Any]] = {}
    for spec in specs:
        row = rows.setdefault(spec.subtask, {"subtask": spec.subtask, "items": 0, "requests": 0, "stored": 0})
        row["items"] += 1
        if spec.rewrite is not None:
            continue
        for unit in units(spec):
            if rewrite_key(identity, unit) in stored:
                row["stored"] += 1
            else:
                row["requests"] += 1
    table = pd.DataFrame(list(rows.values()), columns=["subtask", "items", "requests", "stored"])
    table["est_cost_usd"] = (table["requests"] * per_request).round(4)
    table.attrs["chat_model"] = identity.get("chat_model", be.name)
    return table
