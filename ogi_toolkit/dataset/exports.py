"""The export formats, registered by name: ``ogi export --format NAME`` lists and dispatches from here.

An export format is one module ``ogi_toolkit/dataset/export_<name>.py`` with one function
registered by :func:`register_export`; every such module is imported on first lookup, so there
is no list to edit. The function takes ``(dataset, out, *, overwrite, **options)`` and returns
a :class:`~.report.Report`; ``options`` names the shared options of ``ogi export`` it takes
(``link``, ``multi_turn``, ``layout``), and only those are passed to it.
"""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .report import Report

__all__ = ["OPTIONS", "ExportFormat", "export_dataset", "export_formats", "register_export"]

# the options ``ogi export`` offers every format (a format takes those it names)
OPTIONS = ("link", "multi_turn", "layout")


@dataclass(frozen=True)
class ExportFormat:
    name: str
    help: str  # one line for ``ogi export --help``
    write: Callable[..., Report]
    options: tuple[str, ...]


_FORMATS: dict[str, ExportFormat] = {}


def register_export(name: str, *, help: str, options: tuple[str, ...] = ()) -> Callable[[Callable[..., Report]], Callable[..., Report]]:
    """Register the decorated function as the export format ``name``."""
    unknown = [o for o in options if o not in OPTIONS]
    if unknown:
        raise ValueError(f"export format {name!r}: options {unknown}: expected some of {OPTIONS}")

    def register(write: Callable[..., Report]) -> Callable[..., Report]:
        known = _FORMATS.get(name)
        if known is not None and known.write.__module__ != write.__module__:
            raise ValueError(f"export format {name!r} is registered twice ({known.write.__module__}, {write.__module__})")
        _FORMATS[name] = ExportFormat(name, help, write, tuple(options))
        return write
    return register


def export_formats() -> dict[str, ExportFormat]:
    """Every registered format by name (importing each ``export_*`` module of this package first)."""
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name.startswith("export_"):
            importlib.import_module(f"{__package__}.{module.name}")
    return dict(sorted(_FORMATS.items()))


def export_dataset(dataset: str | Path, out: str | Path, fmt: str, *, overwrite: bool = False, **options) -> Report:
    """Export ``dataset`` to ``out`` as ``fmt``, passing the options that format takes."""
    formats = export_formats()
    if fmt not in formats:
        raise ValueError(f"export format {fmt!r}: expected one of {', '.join(formats)}")
    chosen = formats[fmt]
    return chosen.write(dataset, out, overwrite=overwrite, **{k: v for k, v in options.items() if k in chosen.options})
