"""A gallery of generated items for notebooks: each image with its instruction and spec.

Editing items show their input image(s) first; multi-turn items show every turn's output in
order, each under that turn's instruction.
"""
from __future__ import annotations

import base64
import html
import json
from pathlib import Path

import pandas as pd

__all__ = ["gallery_html"]


def _img(path: str | None, width: int) -> str:
    if not path or not Path(path).is_file():
        return "<div style='color:#b00020'>missing image</div>"
    data = base64.b64encode(Path(path).read_bytes()).decode()
    return f"<img src='data:image/png;base64,{data}' style='width:{width}px;border:1px solid #ccc'>"


def _figure(path: str | None, caption: str, width: int) -> str:
    return (f"<figure style='display:inline-block;margin:4px;vertical-align:top;width:{width}px'>"
            f"{_img(path, width)}<figcaption style='font-size:11px'>{html.escape(caption)}</figcaption></figure>")


def _item(row: pd.Series, width: int) -> str:
    spec = row.get("spec") or {}
    parts = [_figure(p, "input" if i == 0 else f"reference {i}", width) for i, p in enumerate(row.get("input_images") or [])]
    turns = spec.get("turns") or []
    if turns:
        for k, (turn, path) in enumerate(zip(turns, row.get("turn_images") or [])):
            parts.append(_figure(path, f"turn {k + 1}: {turn['instruction']}", width))
    else:
        parts.append(_figure(row.get("output_image"), "output", width))
    slim = {k: v for k, v in spec.items() if k not in ("instruction",)}
    return (
        f"<div style='border-bottom:1px solid #ddd;padding:6px 0'>"
        f"<div><b>{html.escape(str(row.get('subtask')))}</b> · grade {row.get('difficulty')} · {html.escape(str(row.get('status')))}</div>"
        f"<div class='ogi-instruction'>{html.escape(str(row.get('instruction')))}</div>{''.join(parts)}"
        f"<details><summary>spec</summary><pre style='font-size:10px'>{html.escape(json.dumps(slim, ensure_ascii=False, indent=1))}</pre></details></div>"
    )


def gallery_html(data: pd.DataFrame, *, n: int = 12, width: int = 180) -> str:
    """HTML for the first ``n`` rows of a dataset frame (``ogi_toolkit.dataset.load_dataset``)."""
    return "".join(_item(row, width) for _, row in data.head(n).iterrows())
