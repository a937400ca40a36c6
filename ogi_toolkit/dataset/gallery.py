"""A static HTML page to look at a dataset folder: every item's images beside its instruction.

The page links its images by relative path (nothing is embedded), so it opens straight from
the folder it is written in and stays small. Editing items show input -> output (a reference
edit shows both inputs); multi-turn items show the source, then each turn's output under that
turn's instruction. Items come grouped by subtask, with a table of contents at the top.
(``ogi_toolkit.widgets.gallery`` is the notebook version, with images embedded.)
"""
from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any, Mapping

from ..atomic_io import atomic_write_bytes
from .manifest import MANIFEST_NAME, read_manifest

__all__ = ["GALLERY_NAME", "gallery_page", "write_gallery"]

GALLERY_NAME = "gallery.html"

_STYLE = """
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
h2{border-bottom:1px solid #ccc;padding-top:.6em}
.items{display:flex;flex-wrap:wrap;gap:.4em 1.6em}
.item{margin:.4em 0 1em}
.instr{margin:.2em 0 .4em}
.meta{color:#666;font-size:.85em}
figure{display:inline-block;margin:0 .5em .5em 0;vertical-align:top;width:%dpx}
figure img{width:100%%;border:1px solid #bbb}
figcaption{font-size:.8em;color:#444}
.arrow{display:inline-block;vertical-align:top;margin-top:%dpx;font-size:1.6em;color:#888}
.error{color:#b00020}
.toc a{white-space:nowrap}
"""


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _figure(href: str | None, caption: str) -> str:
    image = f"<img src='{_esc(href)}' alt='{_esc(caption)}' loading='lazy'>" if href else \
        "<div class='error'>no image</div>"
    return f"<figure>{image}<figcaption>{_esc(caption)}</figcaption></figure>"


def _item(record: Mapping[str, Any], link, width: int) -> str:
    """One item: its images left to right in the order they were made, then its instruction."""
    spec = record.get("spec") or {}
    head = (f"<div class='meta'>{_esc(record.get('id'))} · grade {_esc(spec.get('difficulty'))} · "
            f"template {_esc(spec.get('template_id'))} · {_esc(record.get('backend'))}</div>"
            f"<div class='instr'>{_esc(record.get('instruction'))}</div>")
    if record.get("status") != "done":
        error = record.get("error") or {}
        return (f"<div class='item' style='width:{width}px'>{head}<div class='error'>{_esc(record.get('status'))}: "
                f"{_esc(error.get('message') or error.get('kind') or '')}</div></div>")
    inputs = record.get("input_images") or []
    figures = [_figure(link(p), "input" if i == 0 else "reference image") for i, p in enumerate(inputs)]
    turns = spec.get("turns") or []
    if record.get("turn_images"):
        for k, path in enumerate(record["turn_images"]):
            said = turns[k].get("instruction", "") if k < len(turns) else ""
            figures.append(_figure(link(path), f"turn {k + 1}: {said}"))
    else:
        figures.append(_figure(link(record.get("output_image")), "output"))
    arrow = "<span class='arrow'>&rarr;</span>"
    # inputs side by side, then an arrow before each result; the card is as wide as its images
    if inputs:
        body = "".join(figures[:len(inputs)]) + "".join(arrow + f for f in figures[len(inputs):])
        card = len(figures) * (width + 8) + (len(figures) - len(inputs)) * 32
    else:
        body, card = figures[0], width + 8
    return f"<div class='item' style='width:{card}px'>{body}{head}</div>"


def gallery_page(records: list[Mapping[str, Any]], link, *, title: str = "Dataset gallery",
                 links: Mapping[str, str] | None = None, note: str = "", width: int = 220) -> str:
    """The HTML of the page. ``link(path)`` turns a record's image path into the ``src`` to use;
    ``links`` (label -> href) are shown at the top, e.g. the analysis report."""
    groups: dict[tuple[str, str, str], list] = {}
    for record in records:
        spec = record.get("spec") or {}
        groups.setdefault((spec.get("kind", "?"), spec.get("domain", "?"), spec.get("subtask", "?")), []).append(record)
    order = sorted(groups, key=lambda k: (k[0] != "generation", k[1], k[2]))  # generation first, like the paper
    done = sum(r.get("status") == "done" for r in records)
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{_esc(title)}</title>"
             f"<style>{_STYLE % (width, width // 2 - 12)}</style></head><body>",
             f"<h1>{_esc(title)}</h1><p>{len(records)} items ({done} done) in {len(groups)} subtasks. {_esc(note)}</p>"]
    if links:
        parts.append("<p>" + " · ".join(f"<a href='{_esc(href)}'>{_esc(label)}</a>" for label, href in links.items()) + "</p>")
    parts.append("<p class='toc'>" + " · ".join(f"<a href='#{_esc(k[2])}'>{_esc(k[2])}</a>" for k in order) + "</p>")
    for key in order:
        kind, domain, subtask = key
        parts.append(f"<h2 id='{_esc(subtask)}'>{_esc(subtask)} <span class='meta'>{_esc(kind)} · {_esc(domain)}</span></h2>")
        items = sorted(groups[key], key=lambda r: str(r.get("id")))
        parts.append("<div class='items'>" + "".join(_item(r, link, width) for r in items) + "</div>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def write_gallery(dataset: str | Path, out: str | Path | None = None, *, title: str | None = None,
                  links: Mapping[str, str] | None = None, note: str = "", width: int = 220) -> Path:
    """Write ``out`` (default ``<dataset>/gallery.html``) showing every item of ``dataset``.

    Image paths are relative to the page's folder, so keep the page beside the dataset (or
    move both together). Written atomically. Returns the page's path.
    """
    dataset = Path(dataset)
    out = Path(out) if out is not None else dataset / GALLERY_NAME
    records = read_manifest(dataset)
    root = (dataset / MANIFEST_NAME).parent.resolve() if dataset.is_dir() else dataset.parent.resolve()
    base = out.parent.resolve()

    def link(rel: str | None) -> str | None:
        return Path(os.path.relpath(root / rel, base)).as_posix() if rel else None

    text = gallery_page(records, link, title=title or f"Gallery of {dataset.name}", links=links, note=note, width=width)
    atomic_write_bytes(out, text.encode("utf-8"))
    return out
