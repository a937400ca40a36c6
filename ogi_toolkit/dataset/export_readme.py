"""The README every trainer-layout export writes: what is in it, counts, and how it was made."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

__all__ = ["export_readme"]


def export_readme(*, title: str, source: Path, command: str, layout: str, counts: Counter,
                  skipped: Counter, front_matter: str = "") -> str:
    """Markdown text; ``front_matter`` (YAML between ``---`` lines) goes first for the Hub."""
    lines = [front_matter.rstrip() + "\n" if front_matter else "", f"# {title}\n",
             f"Exported by ogi-toolkit from the dataset folder `{source.name}` (built the OpenGPT-4o-Image "
             "way, arXiv 2509.24900).\n",
             "## How it was made\n", f"```\n{command}\n```\n"]
    view = source / "view.json"  # a subset or split: how it was chosen
    if view.is_file():
        about = json.loads(view.read_text(encoding="utf-8"))
        lines.append(f"The source is a selection made by `{about.get('made_by')}`:\n")
        lines.append("```json\n" + json.dumps(about, indent=1, ensure_ascii=False) + "\n```\n")
    lines += ["## Layout\n", layout.strip() + "\n", "## Counts\n"]
    lines += [f"- {name}: {n}" for name, n in sorted(counts.items())]
    if skipped:
        lines.append("\nLeft out:\n")
        lines += [f"- {name}: {n}" for name, n in sorted(skipped.items())]
    lines.append("\nCheck the source's `backend`: `sketch` images come from the offline schematic renderer, "
                 "not from a generative model.\n")
    return "\n".join(lines)
