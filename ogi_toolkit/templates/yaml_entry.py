"""Edit one subtask entry of a taxonomy file and leave every other line of it as it was.

A domain file is read with ruamel.yaml (round trip: comments, key order, block styles and
line folds survive), the one entry is changed in place, and only that entry is dumped again
and spliced over its old lines. An unchanged entry dumps to exactly its old lines, which is
checked before anything is spliced (a file in another layout is dumped whole instead). A
template text that was edited is written as a folded block (``>-``) broken at spaces outside
Jinja tags, so no ``{{ ... }}`` or ``{% ... %}`` is split over two lines and no line ends in
a space.
"""
from __future__ import annotations

import io
from typing import Any

__all__ = ["WIDTH", "entry_lines", "new_entry", "splice_entry", "template_scalar", "update_entry", "yaml_round_trip"]

WIDTH = 100  # the taxonomy files' line length


def yaml_round_trip():
    from ruamel.yaml import YAML

    y = YAML()
    y.width = 4096  # never re-wrap: long lines stay as written, edited texts are folded by template_scalar
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _fold_positions(text: str, room: int) -> list[int]:
    """Indices of single spaces, outside Jinja tags, where a line of at most ``room`` characters
    can end (as few folds as possible)."""
    folds, depth, line_start, last_space = [], 0, 0, None
    i = 0
    while i < len(text):
        pair = text[i:i + 2]
        if pair in ("{{", "{%", "{#"):
            depth, i = depth + 1, i + 2
            continue
        if pair in ("}}", "%}", "#}") and depth:
            depth, i = depth - 1, i + 2
            continue
        # a fold needs a single space with words on both sides (YAML keeps other spaces literally)
        if text[i] == " " and depth == 0 and 0 < i < len(text) - 1 and text[i - 1] != " " and text[i + 1] != " ":
            if i - line_start > room and last_space is not None:
                folds.append(last_space)
                line_start = last_space + 1
            last_space = i
        i += 1
    if len(text) - line_start > room and last_space is not None and last_space > line_start:
        folds.append(last_space)
    return folds


def template_scalar(text: str, indent: int = 10):
    """``text`` as the YAML scalar a template is written as: folded (``>-``) and broken to fit
    ``WIDTH`` at ``indent``; a text with its own line breaks is kept literally (``|-``)."""
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    if "\n" in text:
        return LiteralScalarString(text)
    folded = FoldedScalarString(text)
    folded.fold_pos = _fold_positions(text, WIDTH - indent)
    return folded


def update_entry(entry, new: dict[str, Any]) -> None:
    """Set ``entry`` (a ruamel map) to ``new``, touching only the keys, and the templates, that
    changed; an edited or added template's text is folded by ``template_scalar``."""
    for key in [k for k in entry if k not in new]:
        del entry[key]
    for key, value in new.items():
        if key == "templates" and key in entry:
            _update_templates(entry[key], value)
        elif entry.get(key) != value:
            entry[key] = _with_folded_texts(value) if key == "templates" else value


def new_entry(new: dict[str, Any]) -> dict[str, Any]:
    """A subtask entry to append, its definition and template texts folded to the file's width."""
    entry = {**new, "templates": _with_folded_texts(new.get("templates", []))}
    if isinstance(entry.get("definition"), str):
        entry["definition"] = template_scalar(entry["definition"], indent=6)
    return entry


def _with_folded_texts(templates: list[dict]) -> list[dict]:
    return [{**t, "text": template_scalar(t["text"])} if "text" in t else t for t in templates]


def _update_templates(old, new: list[dict]) -> None:
    by_id = {t.get("id"): t for t in old}
    wanted = [t["id"] for t in new]
    for k in reversed(range(len(old))):
        if old[k].get("id") not in wanted:
            del old[k]
    for template in new:
        current = by_id.get(template["id"])
        if current is None:
            old.append(_with_folded_texts([template])[0])
            continue
        for key in [k for k in current if k not in template]:
            del current[key]
        for key, value in template.items():
            if current.get(key) != value:
                current[key] = template_scalar(value) if key == "text" else value


def _dump_entry(y, entry) -> str:
    buf = io.StringIO()
    y.dump([entry], buf)
    return buf.getvalue()


def entry_lines(text: str, entries, index: int) -> tuple[int, int]:
    """The line range [start, end) of ``entries[index]`` in ``text`` (the entry's own lines, up
    to the next entry or the end of the file)."""
    lines = text.splitlines(keepends=True)
    start = entries.lc.item(index)[0]
    end = entries.lc.item(index + 1)[0] if index + 1 < len(entries) else len(lines)
    return start, end


def splice_entry(text: str, y, entries, index: int | None, change) -> str | None:
    """``text`` with entry ``index`` of ``entries`` (loaded from ``text``) changed by
    ``change(entry)`` and only its lines rewritten, or, when ``index`` is None, the entry
    ``change(None)`` returns appended. None when the file's layout does not round-trip
    (the caller then dumps the whole document)."""
    lines = text.splitlines(keepends=True)
    if index is None:
        entry = change(None)
        block = _dump_entry(y, entry)
        head = "".join(lines)
        return head + ("" if not head or head.endswith("\n") else "\n") + block
    start, end = entry_lines(text, entries, index)
    old = "".join(lines[start:end])
    if _dump_entry(y, entries[index]) != old:
        return None
    change(entries[index])
    return "".join(lines[:start]) + _dump_entry(y, entries[index]) + "".join(lines[end:])
