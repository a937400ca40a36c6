"""What a plan would cost, without sending anything: requests and estimated dollars per subtask."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from ..config import ModelsConfig, load_models_config
from ..spec import InstructionSpec
from .cost import CostModel
from .manifest_io import MANIFEST_NAME, latest_records
from .plan_file import as_specs

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["dry_run", "item_calls"]


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
    config = config if isinstance(config, ModelsConfig) else load_models_config(config)
    size = size or config.defaults.size
    if isinstance(backend, str):
        paid = backend == "openai"
        cost = CostModel(config, (image_model or config.defaults.image_model) if paid else None,
                         quality or config.defaults.quality, (chat_model or config.defaults.chat_model) if paid else None,
                         paid=paid, batch=batch)
    else:
        cost = CostModel.for_backend(backend, config, batch=batch)
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
        return pd.DataFrame(columns=columns)
    table = pd.DataFrame(rows).groupby(["kind", "domain", "subtask"], as_index=False).sum()
    table["est_cost_usd"] = table["est_cost_usd"].round(4)
    return table[columns]
