"""Prototyping a subtask: change its templates or builder params, sample, and save to YAML.

These are the library calls behind the notebook's prototyping panel: every change is
validated exactly as the taxonomy loader and template compiler validate files (so what
samples here also loads from disk), and saving rewrites only the changed subtask's entry of
its domain file, leaving every other line as it was (``yaml_entry``), atomically.
"""
from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..atomic_io import atomic_write_bytes
from ..definition.taxonomy import Subtask, Taxonomy, TaxonomyError, load_taxonomy
from .engine import compile_subtask
from .validate import validate_taxonomy
from .yaml_entry import new_entry, splice_entry, update_entry, yaml_round_trip

__all__ = ["customise", "with_subtask", "save_subtask"]

# Fields written to YAML for a subtask; the loader fills domain/kind/file itself.
_YAML_FIELDS = ("id", "name", "target", "definition", "boundary", "difficulty", "difficulty_mix",
                "builder", "params", "templates")


def _describe(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in exc.errors())


def customise(subtask: Subtask, *, template_id: str | None = None, text: str | None = None,
              only_template: bool = False, params: dict[str, Any] | None = None,
              new_id: str | None = None, new_name: str | None = None) -> Subtask:
    """A validated copy of ``subtask`` with one template's text set (added if ``template_id`` is new).

    ``only_template`` keeps just that template, so samples show its effect alone. ``new_id``
    and ``new_name`` make it a new subtask. Raises TaxonomyError naming the problem.
    """
    data = subtask.model_dump(include=set(_YAML_FIELDS))
    templates = [dict(t) for t in data["templates"]]
    if text is not None:
        if not template_id:
            raise TaxonomyError("a template id is needed to set a template's text")
        match = [t for t in templates if t["id"] == template_id]
        if match:
            match[0]["text"] = text
        else:
            templates.append({"id": template_id, "text": text, "difficulty": None})
        if only_template:
            templates = [t for t in templates if t["id"] == template_id]
    data["templates"] = templates
    if params is not None:
        data["params"] = params
    if new_id:
        data["id"], data["name"] = new_id, new_name or new_id.replace("_", " ").title()
    data.update(domain=subtask.domain, kind=subtask.kind, file=subtask.file)
    where = f"subtask {data['id']!r}"
    try:
        changed = Subtask.model_validate(data)
    except ValidationError as exc:
        raise TaxonomyError(f"{where}: {_describe(exc)}") from None
    compile_subtask(changed)  # unknown builder, bad Jinja, unknown slot: TaxonomyError naming it
    return changed


def with_subtask(taxonomy: Taxonomy, subtask: Subtask) -> Taxonomy:
    """``taxonomy`` with ``subtask`` replacing the one of the same id (or added to its domain)."""
    others = [s for s in taxonomy.subtasks if s.id != subtask.id]
    return Taxonomy(list(taxonomy.domains), others + [subtask], taxonomy.path)


def _as_yaml_data(subtask: Subtask) -> dict[str, Any]:
    data = subtask.model_dump(include=set(_YAML_FIELDS), exclude_none=True)
    data["boundary"] = {k: list(v) for k, v in data["boundary"].items() if v}
    data["templates"] = [
        {k: (list(v) if isinstance(v, tuple) else v) for k, v in t.items() if v is not None} for t in data["templates"]
    ]
    if not data.get("params"):
        data.pop("params", None)
    return data


def save_subtask(subtask: Subtask, taxonomy_dir: str | Path | None = None) -> Path:
    """Write ``subtask`` into its domain file under ``taxonomy_dir``; returns the file.

    The whole folder is validated with the change applied (in a temporary copy), as ``ogi
    taxonomy``, ``sample`` and ``plan`` validate it (``validate.validate_taxonomy``), before the
    real file is replaced, so a bad edit never reaches disk.
    """
    folder = Path(taxonomy_dir) if taxonomy_dir is not None else load_taxonomy().path
    path = folder / f"{subtask.domain}.yaml"
    y = yaml_round_trip()
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    doc = y.load(text) if text else {"domain": subtask.domain, "subtasks": []}
    entries = doc["subtasks"]
    new = _as_yaml_data(subtask)
    index = next((i for i, s in enumerate(entries) if s.get("id") == subtask.id), None)

    def change(entry):
        if entry is None:
            return new_entry(new)
        update_entry(entry, new)

    # only the edited entry's lines change (yaml_entry); a file that does not round-trip is dumped whole
    out = splice_entry(text, y, entries, index, change) if text else None
    if out is None:
        if index is None:
            entries.append(new_entry(new))
        else:
            update_entry(entries[index], new)
        buf = io.StringIO()
        y.dump(doc, buf)
        out = buf.getvalue()

    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp) / "taxonomy"
        shutil.copytree(folder, trial)
        (trial / path.name).write_text(out, encoding="utf-8")
        validate_taxonomy(load_taxonomy(trial))  # what every command checks: a saved file loads everywhere
        atomic_write_bytes(path, (trial / path.name).read_bytes())
    return path
