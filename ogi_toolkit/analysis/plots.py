"""Figures over DataFrames, seaborn-style: ``data=`` first, keyword-only options, ``ax=`` in,
the Axes out. ``umap_html`` writes the interactive version (a small canvas page, hover shows the prompt)."""
from __future__ import annotations

import html
import json
from importlib import resources
from pathlib import Path

import pandas as pd

from ..atomic_io import atomic_write_text
from ..dataset.safe_files import relative_href

__all__ = ["plot_umap", "plot_counts", "umap_html"]

MAX_BARS = 80  # more bars than this are unreadable at any height: the rest are folded, and the title says so


def plot_umap(data: pd.DataFrame, *, x: str = "x", y: str = "y", hue: str | None = None, ax=None,
              s: float | None = None, alpha: float = 0.6, method: str = "UMAP", counts_from: pd.DataFrame | None = None,
              **kwargs):
    """Scatter of a projection (``project(df)``), coloured by ``hue`` with the fixed colours of
    ``analysis.colours`` (domains their own colour, subtasks its shades); returns the Axes.
    Values folded into "other" are listed under the legend. Each legend entry gives its count
    in ``counts_from`` (the whole set, when ``data`` is a sample of its rows; default ``data``)."""
    import matplotlib.pyplot as plt

    from .colours import label_colours

    if x not in data.columns or y not in data.columns:
        raise KeyError(f"columns {x!r} and {y!r} not found: pass data=project(df)")
    if ax is None:
        ax = plt.figure(figsize=(7, 6)).gca()
    size = s if s is not None else max(2.0, min(30.0, 20000 / max(len(data), 1)))
    if hue is None:
        ax.scatter(data[x], data[y], s=size, alpha=alpha, linewidths=0, color="#4c72b0", **kwargs)
    else:
        whole = data if counts_from is None else counts_from
        levels = label_colours(whole, hue)
        totals = levels.labels.value_counts()
        drawn = levels.labels.loc[data.index]
        for label, colour in levels.colours.items():
            rows = (drawn == label).to_numpy()
            if rows.any():
                ax.scatter(data.loc[rows, x], data.loc[rows, y], s=size, alpha=alpha, linewidths=0, color=colour,
                           label=f"{label} ({int(totals[label]):,})", **kwargs)
        n = len(levels.colours)
        legend = ax.legend(loc="upper left", bbox_to_anchor=(1, 1), frameon=False, title=hue, markerscale=1.5,
                           fontsize=8 if n <= 24 else 6.5, ncol=1 if n <= 24 else 2)
        if levels.folded:
            shown = ", ".join(levels.folded[:12]) + (", ..." if len(levels.folded) > 12 else "")
            legend.set_title(f"{hue}\n(other: {shown})" if len(shown) < 60 else f"{hue}\n(other: {len(levels.folded)} smallest)")
    ax.set(xticks=[], yticks=[], xlabel=f"{method} 1", ylabel=f"{method} 2")
    return ax


NO_LABEL = "(no label)"


def plot_counts(data: pd.DataFrame, *, x: str = "count", y: str | None = None, target: str | None = "target",
                ax=None, top: int | None = MAX_BARS):
    """Horizontal bars of a ``label_counts`` table (index = labels), with targets as ticks.
    Every label is drawn up to ``top``; past it the smallest are folded and the x label says
    how many. Counts are integers, so the ticks are too."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    table = data if top is None else data.head(top)
    values = table.index if y is None else table[y]
    # a prompt file with empty labels: "" (or NaN once the counts went through a CSV) gets a name
    labels = [NO_LABEL if pd.isna(v) or v == "" else str(v) for v in values]
    if ax is None:
        ax = plt.figure(figsize=(7, 0.22 * len(table) + 1.2)).gca()
    ax.barh(labels, table[x], color="#4c72b0", label=x)
    if target and target in table.columns:
        ax.scatter(table[target], labels, marker="|", s=120, color="black", label="target", zorder=3)
        ax.legend(frameon=False)
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.margins(y=0.01)
    folded = len(data) - len(table)
    xlabel = x if not folded else f"{x} (the {len(table)} largest of {len(data)} shown; {folded} smaller folded)"
    ax.set(xlabel=xlabel, ylabel=table.index.name or y or "")
    return ax


def _level_codes(whole: pd.DataFrame, shown: pd.DataFrame, column: str) -> dict:
    """Colour levels of ``column`` over the whole set, the code of each shown row, and each
    level's count in the whole set (the legend's numbers)."""
    from .colours import label_colours

    levels = label_colours(whole, column)
    names = list(levels.colours)
    index = {name: k for k, name in enumerate(names)}
    totals = levels.labels.value_counts()
    return {"name": column, "levels": names, "colours": [levels.colours[n] for n in names],
            "codes": [index[v] for v in levels.labels.loc[shown.index]], "folded": levels.folded,
            "totals": [int(totals.get(n, 0)) for n in names]}


def _thumbs(shown: pd.DataFrame, page_dir: Path) -> list[str | None]:
    """Each point's image as an href relative to the page's folder (None: no image)."""
    import os

    return [relative_href(Path(os.path.relpath(Path(p).resolve(), page_dir.resolve())).as_posix())
            if isinstance(p, str) and p else None for p in shown["image_path"]]


def umap_html(data: pd.DataFrame, path: str | Path, *, x: str = "x", y: str = "y", hue: str | None = None,
              text: str = "text", hover: tuple[str, ...] = (), max_points: int = 30_000, seed: int = 0,
              title: str = "Prompt embeddings", method: str = "UMAP", counts_from: pd.DataFrame | None = None,
              gallery: str | None = None) -> Path:
    """An interactive scatter as one small self-contained HTML page (no plotting library: a
    canvas and a short script): a title, axes, a colour-by selector over ``hue`` and the
    ``hover`` columns, and the prompt on hover. Above ``max_points`` a fixed random sample is
    drawn so the page stays responsive; the legend counts are of ``counts_from`` (default ``data``),
    of which ``data``'s rows are a part.

    Linked to the gallery: with an ``id`` column hovering shows the id (and with ``image_path``
    a thumbnail, linked relative to the page), clicking a point opens it in ``gallery`` (a
    relative href to ``ogi gallery``'s page: ``gallery.html#item=ID``, one gallery tab reused),
    and a shift-drag lasso selects points whose ids can be saved as a list for ``--ids``."""
    whole = data if counts_from is None else counts_from
    shown = data.sample(max_points, random_state=seed) if len(data) > max_points else data
    columns = list(dict.fromkeys([c for c in (hue, *hover) if c is not None and c in shown.columns]))
    payload = {
        "title": title, "method": method, "total": len(data),
        "x": [round(float(v), 3) for v in shown[x]], "y": [round(float(v), 3) for v in shown[y]],
        "text": [str(t)[:400] for t in shown[text]],
        "colour_by": [_level_codes(whole, shown, c) for c in columns],
        "id": [str(v) for v in shown["id"]] if "id" in shown.columns else None,
        "thumb": _thumbs(shown, Path(path).parent) if "image_path" in shown.columns else None,
        "gallery": relative_href(gallery) if gallery else None,
    }
    script = resources.files(__package__).joinpath("umap_page.js").read_text(encoding="utf-8")
    data_json = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    esc = html.escape(title)
    page = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{esc}</title>"
            "<style>body{font-family:system-ui,sans-serif;margin:1em;color:#222}#wrap{display:flex;gap:1em}"
            "canvas{border:1px solid #ccc;background:#fff}#legend{font-size:.8em;max-height:760px;overflow:auto}"
            "#legend div{cursor:pointer;white-space:nowrap}#legend span{display:inline-block;width:.8em;height:.8em;"
            "margin-right:.4em;border-radius:50%}#legend .off{opacity:.3}#tip{position:fixed;pointer-events:none;"
            "background:#fffffe;border:1px solid #999;padding:.3em .5em;font-size:.8em;max-width:32em;display:none}"
            "#tip img{display:block;max-width:160px;max-height:160px;margin-top:.3em}"
            ".note{color:#555;font-size:.9em}</style></head><body>"
            f"<h1 style='font-size:1.3em'>{esc}</h1><p class='note' id='note'></p>"
            "<label>Colour by <select id='colour-by'></select></label> <span id='lasso' class='note'>"
            "Shift-drag to lasso points: <b id='picked'>0</b> selected <button id='save-ids' type='button' disabled>"
            "save ids</button> <button id='clear-ids' type='button' disabled>clear</button></span>"
            "<div id='wrap'><canvas id='plot' width='900' height='760'></canvas><div id='legend'></div></div>"
            f"<div id='tip'></div><script type='application/json' id='points'>{data_json}</script>"
            f"<script>{script}</script></body></html>\n")
    path = Path(path)
    atomic_write_text(path, page)
    return path
