"""The dataset browser: one self-contained HTML page to look through a dataset folder.

``write_gallery(dataset, out)`` (and ``ogi gallery DATASET --out FILE``) writes a page that
holds every item as JSON (instruction, spec, image paths, check and judge results) plus the
script that shows it: a paginated grid of cards, filters by domain, subtask, difficulty,
status, check and judge result, "failures only", a search of the instruction text, and a
viewer that opens an item large with its inputs -> output (a reference edit's two inputs, a
multi-turn edit turn by turn), its spec and its results. Only one page of cards is in the
DOM at a time, so 10,000 items stay fast. Images are linked by relative path, never
embedded, so the page stays small and opens straight from disk; keep it beside the dataset
(or move both together). ``ogi_toolkit.widgets.gallery`` is the notebook version.
"""
from __future__ import annotations

import html
import json
import os
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Mapping

from ..atomic_io import atomic_write_bytes
from ..folder import read_checks, read_judgments, read_manifest
from .paths import require_dataset
from .safe_files import relative_href

__all__ = ["GALLERY_NAME", "gallery_items", "gallery_page", "read_analysis", "read_leaks", "write_gallery"]

GALLERY_NAME = "gallery.html"
# spec fields the page shows as an item's own fields; the rest of the spec is shown as is
_LIFTED = ("id", "kind", "domain", "subtask", "difficulty", "template_id", "instruction")

Link = Callable[[str | None], str | None]


def _compact(value: Any) -> Any:
    """The spec without empty lists, dicts and nulls: the page is smaller and the viewer clearer."""
    if isinstance(value, dict):
        kept = {k: _compact(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_compact(v) for v in value]
    return value


def _sort_key(record: Mapping[str, Any]) -> tuple:
    spec = record.get("spec") or {}
    # generation first, like the paper; then by domain, subtask and id
    return (spec.get("kind") != "generation", str(spec.get("domain")), str(spec.get("subtask")), str(record.get("id")))


def _item(record: Mapping[str, Any], link: Link, check: dict | None, judge: dict | None,
          leak: dict | None = None) -> dict[str, Any]:
    spec = record.get("spec") or {}
    error = record.get("error") or {}
    item = {
        "id": str(record.get("id")), "kind": spec.get("kind"), "domain": spec.get("domain"),
        "subtask": spec.get("subtask"), "difficulty": spec.get("difficulty"), "template": spec.get("template_id"),
        "status": record.get("status"), "instruction": record.get("instruction") or spec.get("instruction") or "",
        "model": record.get("model"), "inputs": [link(p) for p in record.get("input_images") or []],
        "output": link(record.get("output_image")),
        "spec": _compact({k: v for k, v in spec.items() if k not in _LIFTED}),
    }
    if record.get("fidelity"):  # the backend said how faithfully it draws this (the sketch renderer does)
        item["fidelity"] = record["fidelity"]
    if record.get("original_instruction") and record["original_instruction"] != item["instruction"]:
        item["original"] = record["original_instruction"]  # the run rewrote it
    if record.get("status") != "done":
        item["error"] = " ".join(str(error.get(k)) for k in ("kind", "message") if error.get(k)) or str(record.get("status"))
    turns = spec.get("turns") or []
    if turns:
        images = record.get("turn_images") or []
        item["turns"] = [{"instruction": turn.get("instruction", ""), "image": link(images[k]) if k < len(images) else None}
                         for k, turn in enumerate(turns)]
    if check is not None:
        # checks that could not run (no Tesseract, an OCR timeout) are "not checked", never passed;
        # the renderer's self-report never decides, so it is not counted here
        not_checked = sorted({c["name"] for c in check.get("checks") or []
                              if c.get("passed") is None and c.get("applies", True) and not c["name"].startswith("renderer.")})
        item["check"] = {"passed": check.get("passed"), "checks": check.get("checks") or [], "not_checked": not_checked}
    if judge is not None:
        item["judge"] = {k: judge[k] for k in ("judge", "score", "passed", "criteria", "reasons", "questions")
                         if judge.get(k) not in (None, {}, [])}
        error = judge.get("error")
        if error:  # ogi judge writes {kind, message}; a plain string is read as the message
            item["judge"]["error"] = (" ".join(str(error[k]) for k in ("kind", "message") if error.get(k))
                                      if isinstance(error, dict) else str(error))
    if leak is not None:
        item["leak"] = leak
    return item


def gallery_items(records: list[Mapping[str, Any]], link: Link, *, checks: Mapping[str, dict] | None = None,
                  judgments: Mapping[str, dict] | None = None,
                  leaks: Mapping[str, dict] | None = None) -> list[dict[str, Any]]:
    """The page's data: one dict per item, sorted generation first, then domain, subtask, id.
    ``link(path)`` turns a record's image path into the ``src`` the page uses (None: no image).
    ``leaks``: id -> its strongest benchmark match (:func:`read_leaks`)."""
    checks, judgments, leaks = checks or {}, judgments or {}, leaks or {}
    return [_item(r, link, checks.get(str(r.get("id"))), judgments.get(str(r.get("id"))), leaks.get(str(r.get("id"))))
            for r in sorted(records, key=_sort_key)]


def read_leaks(path: str | Path) -> dict[str, dict]:
    """Each item's strongest match in a leak table (``ogi leakage --table``, or the analysis
    report's ``tables/benchmark_leaks.csv``): kind, benchmark, similarity, turn and prompt."""
    import pandas as pd

    table = pd.read_csv(path, dtype={"id": str})
    missing = {"id", "benchmark", "kind", "similarity", "benchmark_prompt"} - set(table.columns)
    if missing:
        raise KeyError(f"{path}: not a leak table; it lacks the columns {sorted(missing)}")
    rank = table["kind"].map({"exact": 0, "lexical": 1, "semantic": 2}).fillna(3)
    best = table.assign(_rank=rank).sort_values(["_rank", "similarity"], ascending=[True, False]).drop_duplicates("id")
    return {row.id: {"kind": row.kind, "benchmark": row.benchmark, "similarity": round(float(row.similarity), 3),
                     "prompt": row.benchmark_prompt, "turn": int(getattr(row, "turn", 0) or 0)}
            for row in best.itertuples(index=False)}


def read_analysis(folder: str | Path, max_twins: int = 3) -> dict[str, dict]:
    """What an analysis report (``ogi analyse DATASET --out FOLDER``) says of each item: its
    named cluster (``tables/item_clusters.csv``) and its near-duplicate twins (the ids of the
    ``max_twins`` most similar prompts, from ``tables/near_duplicate_pairs.csv``, whose row
    numbers are those of item_clusters.csv). id -> {"cluster": name, "twins": [[id, similarity], ...]}."""
    import pandas as pd

    folder = Path(folder)
    path = folder / "tables" / "item_clusters.csv"
    if not path.exists():
        raise FileNotFoundError(f"{path}: not found; pass the --out folder of `ogi analyse` run on this dataset")
    clusters = pd.read_csv(path, dtype={"id": str, "cluster": str})
    missing = {"id", "cluster"} - set(clusters.columns)
    if missing:
        raise KeyError(f"{path}: lacks the columns {sorted(missing)}")
    ids = clusters["id"].tolist()
    out = {i: {"cluster": c} for i, c in zip(ids, clusters["cluster"])}
    pairs_path = folder / "tables" / "near_duplicate_pairs.csv"
    if pairs_path.exists():
        pairs = pd.read_csv(pairs_path)
        score = "similarity" if "similarity" in pairs.columns else pairs.columns[-1]
        for pair in pairs.sort_values(score, ascending=False, kind="stable").itertuples(index=False):
            i, j, sim = int(pair.i), int(pair.j), round(float(getattr(pair, score)), 3)
            if i >= len(ids) or j >= len(ids):
                raise ValueError(f"{pairs_path}: row {max(i, j)} is past the {len(ids)} rows of {path}")
            for a, b in ((ids[i], ids[j]), (ids[j], ids[i])):
                twins = out[a].setdefault("twins", [])
                if len(twins) < max_twins and a != b:
                    twins.append([b, sim])
    return out


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("gallery_assets", name).read_text(encoding="utf-8")


def _json_for_script(data: Any) -> str:
    # "<" escaped as \u003c: no instruction can close the <script> element or open a comment
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def gallery_page(items: list[Mapping[str, Any]], *, title: str = "Dataset gallery",
                 links: Mapping[str, str] | None = None, note: str = "") -> str:
    """The HTML of the page for ``items`` (from ``gallery_items``). ``links`` (label -> href)
    are shown in its header, e.g. the analysis report; ``note`` is a line under the title."""
    esc = lambda value: html.escape(str(value), quote=True)  # noqa: E731
    hrefs = {label: relative_href(href) for label, href in (links or {}).items()}  # relative file links only
    header_links = " · ".join(f"<a href='{esc(href)}'>{esc(label)}</a>" for label, href in hrefs.items() if href)
    return "\n".join([
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{esc(title)}</title><style>{_asset('gallery.css')}</style></head><body>",
        f"<header><h1>{esc(title)}</h1><p class='note'>{esc(note)}</p><p class='links'>{header_links}</p></header>",
        _asset("gallery.html"),
        f"<script type='application/json' id='ogi-data'>{_json_for_script({'items': list(items)})}</script>",
        f"<script>{_asset('gallery.js')}</script>",
        "</body></html>\n",
    ])


def _linker(root: Path, base: Path) -> Link:
    """Relative hrefs from the page's folder ``base`` to images under the dataset folder
    ``root``; a path that would leave the dataset folder is not linked."""
    def link(rel: str | None) -> str | None:
        if not rel:
            return None
        target = (root / rel).resolve()
        if not target.is_relative_to(root):
            return None
        return relative_href(Path(os.path.relpath(target, base)).as_posix())
    return link


def write_gallery(dataset: str | Path, out: str | Path | None = None, *, title: str | None = None,
                  links: Mapping[str, str] | None = None, note: str = "", leaks: str | Path | None = None,
                  analysis: str | Path | None = None) -> Path:
    """Write ``out`` (default ``<dataset>/gallery.html``), the browser of every item of ``dataset``
    with the folder's ``checks.jsonl`` and ``judgments.jsonl`` when present, with ``leaks``
    (a leak table) a "leaks" filter, and with ``analysis`` (an ``ogi analyse`` report folder) a
    cluster filter and links from each near-duplicate to its twins. Written atomically; returns the page's path."""
    root = require_dataset(dataset).resolve()
    out = Path(out) if out is not None else root / GALLERY_NAME
    records = read_manifest(root)
    ids = {record["id"] for record in records}
    items = gallery_items(records, _linker(root, out.parent.resolve()),
                          checks=read_checks(root, known_ids=ids), judgments=read_judgments(root, known_ids=ids),
                          leaks=read_leaks(leaks) if leaks is not None else None)
    if analysis is not None:
        per_item = read_analysis(analysis)
        for item in items:  # twins outside this dataset (an analysis of a larger folder) are not linked
            found = per_item.get(item["id"], {})
            if "cluster" in found:
                item["cluster"] = found["cluster"]
            twins = [twin for twin in found.get("twins", []) if twin[0] in ids]
            if twins:
                item["twins"] = twins
    page = gallery_page(items, title=title or f"Gallery of {root.name}", links=links, note=note)
    atomic_write_bytes(out, page.encode("utf-8"))
    return out
