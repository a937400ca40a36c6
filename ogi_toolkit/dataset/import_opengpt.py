"""``ogi import-opengpt``: a folder in the released OpenGPT-4o-Image layout (see :mod:`.opengpt`)
as one of our dataset folders.

Import tolerates the quirks of real data (missing image files, ``<image>`` placeholders,
several or single-string input images, blank lines, JSON arrays instead of JSON Lines, a BOM,
alias keys) and says what it did in a :class:`~.report.Report`: counts, and each problem with
its file and line. The folder is untrusted (:mod:`.safe_files`): a record whose image path
leaves it (absolute, ``..``, a symlink out) or whose file is not a sound image within the size
and pixel limits is refused; control characters in prompts are removed. Each is reported.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..folder import MANIFEST_NAME, ManifestWriter, UnsafePath, inside, place_file
from ..folder.output import staged_output
from ..spec import InstructionSpec
from .opengpt import EDIT_FILE, FILES, GEN_FILE, META_FILE, PLACEHOLDER, REPORT_FILE
from .report import Report
from .safe_files import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, clean_name, clean_text, image_problem

__all__ = ["import_opengpt", "read_json_records"]

UNLABELLED = "unlabelled"
_ID_PREFIX = {"generation": "gen", "editing": "edit"}  # imported ids: og-gen-L12 = gen.json line 12
# keys seen for the same field in released or hand-made files: the first one present is used
PROMPT_KEYS = ("input_prompt", "prompt", "instruction", "text")
INPUT_KEYS = ("input_image", "input_images", "image_input")
OUTPUT_KEYS = ("output_image", "output", "image")


def read_json_records(path: Path, report: Report) -> Iterator[tuple[int, Any]]:
    """``(line, value)`` for each record of a JSON Lines file, or of a JSON array (``line`` is
    then the index + 1). Blank lines are counted; lines that are not JSON become problems."""
    text = path.read_text(encoding="utf-8-sig")  # a BOM is not part of the first record
    if text.lstrip().startswith("["):
        try:
            values = json.loads(text)
        except json.JSONDecodeError as exc:
            report.problem(f"{path.name}:{exc.lineno}", f"not valid JSON ({exc.msg}); expected a JSON array or JSON Lines",
                           action="file skipped")
            return
        report.counts[f"{path.name}: a JSON array, not JSON Lines"] += 1
        yield from enumerate(values, 1)
        return
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip().rstrip(",")  # a trailing comma: lines cut out of an array
        if not stripped:
            report.counts["blank lines"] += 1
            continue
        try:
            yield number, json.loads(stripped)
        except json.JSONDecodeError as exc:
            report.problem(f"{path.name}:{number}", f"not valid JSON ({exc.msg})")


def _first(row: dict[str, Any], keys: tuple[str, ...]) -> tuple[str | None, Any]:
    for key in keys:
        if key in row:
            return key, row[key]
    return None, None


def _parse_row(row: Any, kind: str, where: str, report: Report) -> tuple[str, list[str], str] | None:
    """(prompt, input image paths, output image path) of one released record, or None."""
    if not isinstance(row, dict):
        report.problem(where, f"expected a JSON object, got {type(row).__name__}")
        return None
    key, prompt = _first(row, PROMPT_KEYS)
    if not isinstance(prompt, str) or not prompt.strip():
        report.problem(where, f"no prompt: expected a non-empty string under one of {list(PROMPT_KEYS)}")
        return None
    if key != "input_prompt":
        report.counts[f"prompt read from '{key}'"] += 1
    prompt, removed = clean_text(prompt)
    if removed:  # invisible in a terminal or a notebook, and able to rewrite what is shown
        report.problem(where, f"prompt has control characters ({', '.join(removed)}); removed", action="cleaned")
        if not prompt.strip():
            report.problem(where, "no prompt left after removing control characters")
            return None
    _, output = _first(row, OUTPUT_KEYS)
    if not isinstance(output, str) or not output:
        report.problem(where, f"no output image path under one of {list(OUTPUT_KEYS)}")
        return None
    inputs: list[str] = []
    if kind == "editing":
        _, value = _first(row, INPUT_KEYS)
        if isinstance(value, str):
            report.counts["input_image given as a string, not a list"] += 1
            value = [value]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            report.problem(where, f"no input image: expected a list of paths under one of {list(INPUT_KEYS)}")
            return None
        inputs = value
        if len(inputs) > 1:
            report.counts["records with several input images"] += 1
    placeholders = prompt.count(PLACEHOLDER)
    if placeholders:
        report.counts[f"prompts with an {PLACEHOLDER} placeholder"] += 1
        if placeholders > max(len(inputs) - 1, 1):
            report.problem(where, f"{placeholders} {PLACEHOLDER} placeholders but {len(inputs)} input image(s)",
                           action="kept")
    return prompt, inputs, output


def _resolve(root: Path, path: str) -> tuple[Path, str, list[str]]:
    """The file a released path names, where it goes under our ``images/`` (each name without
    control and bidi characters), and the characters removed; raises :class:`UnsafePath` when
    the path (after following links) leaves the import folder."""
    source = inside(root, path)
    names, removed = [], []
    for part in source.relative_to(root.resolve()).parts:
        name, found = clean_name(part)
        names.append(name)
        removed += [label for label in found if label not in removed]
    return source, "/".join(["images", *names]), removed


def _checked_images(root: Path, paths: list[str], where: str, report: Report, checked: dict[Path, str | None], *,
                    max_bytes: int, max_pixels: int) -> list[tuple[str, Path, str]] | None:
    """``(path as written, file, path under out/)`` for each image of a record, or None (and a
    problem reported) when one is outside the folder, missing, or not a sound image."""
    images = []
    for image in paths:
        try:
            source, rel, removed = _resolve(root, image)
        except UnsafePath as exc:
            report.problem(where, f"image {exc}; refused")
            return None
        if not source.exists():
            report.problem(where, f"image file missing: {image}")
            return None
        if source not in checked:
            checked[source] = image_problem(source, max_bytes=max_bytes, max_pixels=max_pixels)
            if removed and checked[source] is None:
                report.problem(where, f"image file name {image!r} holds {', '.join(removed)}; stored as {rel}",
                               action="renamed")
        if checked[source] is not None:
            report.problem(where, f"image {image}: {checked[source]}")
            return None
        images.append((image, source, rel))
    return images


def _read_meta(root: Path, report: Report) -> dict[tuple[str, int], dict[str, Any]]:
    meta_path = root / META_FILE
    if not meta_path.is_file():
        return {}
    meta = {}
    for _, row in read_json_records(meta_path, report):
        if isinstance(row, dict) and {"file", "line", "id"} <= row.keys():
            meta[(row["file"], row["line"])] = row
    report.counts[f"labels from {META_FILE}"] = len(meta)
    return meta


def _spec(meta: dict[str, Any] | None, rid: str, kind: str, prompt: str, where: str, report: Report) -> dict[str, Any]:
    if meta and meta.get("spec"):
        try:
            spec = InstructionSpec.model_validate(meta["spec"]).model_dump(mode="json", exclude_none=True)
            return _cleaned_spec(spec, where, report)
        except ValidationError as exc:
            report.problem(where, f"{META_FILE} spec does not validate ({exc.error_count()} errors); imported unlabelled",
                           action="kept")
    spec = InstructionSpec(id=rid, kind=kind, domain=UNLABELLED, subtask=UNLABELLED, template_id="opengpt-import",
                           difficulty=1, seed=0, instruction=prompt)
    return spec.model_dump(mode="json", exclude_none=True)


def _cleaned_spec(spec: dict[str, Any], where: str, report: Report) -> dict[str, Any]:
    """The spec from ``ogi_meta.jsonl`` with control characters removed from its instruction
    texts (the overall one and each turn's), which become the imported prompts too."""
    removed: list[str] = []
    texts = [spec, *(spec.get("turns") or [])]
    for holder in texts:
        if isinstance(holder.get("instruction"), str):
            holder["instruction"], found = clean_text(holder["instruction"])
            removed += [name for name in found if name not in removed]
    if removed:
        report.problem(where, f"{META_FILE} spec instruction has control characters ({', '.join(removed)}); removed",
                       action="cleaned")
    return spec


def import_opengpt(path: str | Path, out: str | Path, *, link: bool = False, limit: int | None = None,
                   overwrite: bool = False, max_bytes: int = MAX_IMAGE_BYTES,
                   max_pixels: int = MAX_IMAGE_PIXELS) -> Report:
    """Read the released layout at ``path`` into a dataset folder ``out`` (``manifest.jsonl`` +
    ``images/``) that ``load_dataset``, ``ogi analyse`` and ``ogi figures`` read.

    The folder is treated as untrusted: a record is refused (and reported with its line) when
    an image path leaves the folder after following links, or a file is not an image that
    opens and verifies within ``max_bytes`` on disk and ``max_pixels``; control characters in
    prompts are removed and reported.
    """
    root = Path(path)
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: expected the folder holding {GEN_FILE} and/or {EDIT_FILE}")
    present = {kind: root / name for kind, name in FILES.items() if (root / name).is_file()}
    if not present:
        raise FileNotFoundError(f"{root}: neither {GEN_FILE} nor {EDIT_FILE} found (the released OpenGPT-4o-Image layout)")
    report = Report(source=f"import {root} -> {out}")
    meta = _read_meta(root, report)
    with staged_output(out, command="ogi import-opengpt", inputs=[root], overwrite=overwrite) as stage, \
            ManifestWriter(stage / MANIFEST_NAME) as writer:
        chains: dict[str, list[dict[str, Any]]] = {}  # id -> its turns so far (from ogi_meta)
        checked: dict[Path, str | None] = {}  # file -> its problem (a chained image is checked once)
        for kind, file in present.items():
            imported = 0
            for line, row in read_json_records(file, report):
                if limit is not None and imported >= limit:
                    break
                where = f"{file.name}:{line}"
                parsed = _parse_row(row, kind, where, report)
                if parsed is None:
                    continue
                prompt, inputs, output = parsed
                images = _checked_images(root, [*inputs, output], where, report, checked,
                                         max_bytes=max_bytes, max_pixels=max_pixels)
                if images is None:
                    continue
                for _, source, rel in images:
                    if not (stage / rel).exists():  # a chained turn's input is the previous output
                        place_file(source, stage / rel, link=link)
                placed = [rel for _, _, rel in images]
                item_meta = meta.get((file.name, line))
                rid = item_meta["id"] if item_meta else f"og-{_ID_PREFIX[kind]}-L{line}"
                record = _record(rid, kind, prompt, placed[:-1], placed[-1], where, root,
                                 _spec(item_meta, rid, kind, prompt, where, report))
                imported += 1
                if item_meta and item_meta.get("turn") is not None:
                    chains.setdefault(rid, []).append(record)
                    if len(chains[rid]) < len(record["spec"].get("turns") or []):
                        continue  # more turns of this item follow
                    record = _join_turns(chains.pop(rid))
                writer.append(record)
                report.counts[f"{kind} items imported"] += 1
        for rid, turns in chains.items():  # chains cut short by a skipped turn
            report.problem(f"id {rid}", f"multi-turn item has {len(turns)} of its turns; its turns were not imported")
        (stage / REPORT_FILE).write_text(json.dumps(report.to_dict(), indent=1, ensure_ascii=False), encoding="utf-8")
    return report


def _record(rid: str, kind: str, prompt: str, inputs: list[str], output: str, where: str, root: Path,
            spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": rid, "status": "done", "spec": spec, "instruction": prompt,
        "original_instruction": spec.get("instruction", prompt), "input_images": inputs, "output_image": output,
        "turn_images": [], "backend": "opengpt-import", "model": None,
        "params": {"source": str(root), "record": where}, "usage": {}, "cost_usd": 0.0, "timings": {}, "error": None,
    }


def _join_turns(turns: list[dict[str, Any]]) -> dict[str, Any]:
    """One multi-turn item from its per-turn records: the first turn's input is the source."""
    first, last = turns[0], turns[-1]
    return {**first, "instruction": first["spec"]["instruction"], "output_image": last["output_image"],
            "turn_images": [t["output_image"] for t in turns],
            "params": {**first["params"], "record": f"{first['params']['record']} to {last['params']['record']}"}}
