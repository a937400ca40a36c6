"""The calibration heatmap: subtask x difficulty grade, coloured by the sweet-spot share."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ..atomic_io import atomic_write_bytes

__all__ = ["plot_heatmap"]


def plot_heatmap(cells: list[dict[str, Any]], path: str | Path, *, title: str = "") -> Path:
    """Write the heatmap PNG to ``path``. Each cell shows its sweet-spot share (colour and
    number), the strong and weak pass rates and n; cells in the sweet spot are outlined."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    subtasks = list(dict.fromkeys(c["subtask"] for c in cells))
    grades = sorted({c["difficulty"] for c in cells})
    grid = np.full((len(subtasks), len(grades)), np.nan)
    for c in cells:
        if c["n"]:
            grid[subtasks.index(c["subtask"]), grades.index(c["difficulty"])] = c["sweet_spot"]
    fig, ax = plt.subplots(figsize=(3.5 + 2.3 * len(grades), 1.4 + 0.5 * len(subtasks)))
    image = ax.imshow(np.ma.masked_invalid(grid), cmap="viridis", vmin=0, vmax=1, aspect="auto")
    for c in cells:
        y, x = subtasks.index(c["subtask"]), grades.index(c["difficulty"])
        if not c["n"]:
            ax.text(x, y, "no pairs", ha="center", va="center", fontsize=8, color="grey")
            continue
        light = c["sweet_spot"] < 0.6
        ax.text(x, y, f"{c['sweet_spot']:.2f}\nS {c['strong_pass']:.2f} · W {c['weak_pass']:.2f} · n {c['n']}",
                ha="center", va="center", fontsize=7.5, color="white" if light else "black")
        if c["in_sweet_spot"]:
            ax.add_patch(plt.Rectangle((x - 0.5, y - 0.5), 1, 1, fill=False, edgecolor="#ff7f0e", linewidth=2.5))
    ax.set_xticks(range(len(grades)), [f"grade {g}" for g in grades])
    ax.set_yticks(range(len(subtasks)), subtasks)
    ax.set_title(title or "sweet-spot share (strong passes, weak fails); outlined: in the sweet spot", fontsize=9)
    fig.colorbar(image, ax=ax, label="sweet-spot share", fraction=0.05)
    fig.tight_layout()
    path = Path(path)
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=110)
    plt.close(fig)
    atomic_write_bytes(path, png.getvalue())  # a rerun never leaves half a picture
    return path
