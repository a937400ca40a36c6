"""The check registry: every offline check is one module that registers itself here.

A check is a function of one step (an output image, the image it edits, what the spec says it
must show) and its config section, returning result records (:func:`.result.result`)::

    @register("text", config=TextConfig, defaults="text.yaml", order=30,
              reads="the output's pixels (OCR) and the spec's strings; layout boxes say where to read")
    def text_checks(step: StepImages, cfg: TextConfig) -> list[dict]: ...

Everything else is derived from the registered checks: the order they run in (``order``), the
check groups ``ogi filter --require`` accepts (the group names), the configuration (each
section validated by its model, defaults from the YAML file beside the module) and the resume
key (the source file of every registered check, so results are made again when a check's code
changes). The built-in checks live in :mod:`.suite`; every module there is imported on first
use. A check registered from elsewhere (another package, a test) is included once its module
is imported.

``counts=False`` marks a *report*: its results are written and shown, but never decide whether
an item passed (the ``renderer.*`` self-report compares the spec with a renderer's own record).

``dataset=True`` marks a check of the whole dataset at once, run after the per-item checks in
the process that called ``check``: ``run(items, section, context) -> {item id: records}``, with
``context`` what the caller supplied (``{"vision": models}`` for ``ogi check --vision``: models are
loaded once and run batched over every item, and outputs are compared within a subtask). Its
records replace the group's earlier ones on every run; a run without its context leaves none.
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from pydantic import BaseModel

if TYPE_CHECKING:
    from PIL import Image

    from .items import CheckItem, CheckStep

__all__ = ["Check", "StepImages", "checks", "groups", "register", "unregister"]


@dataclass(frozen=True)
class StepImages:
    """What a check gets for one step: the item, the step, and its images decoded once."""

    item: CheckItem
    step: CheckStep
    output: Image.Image | None  # None when it did not decode (see ``output_error``)
    input: Image.Image | None  # the image this step edits (None for a generation, or unreadable)
    output_error: str | None = None
    input_error: str | None = None


@dataclass(frozen=True)
class Check:
    group: str  # the prefix of its result names ("text" for "text.present")
    run: Callable[[StepImages, Any], list[dict[str, Any]]]
    config: type[BaseModel]  # its config section
    defaults: Path | None  # the YAML file of the section's defaults (None: the model's own defaults)
    order: int  # checks run (and their results are listed) in ascending order
    reads: str  # what it decides from, for `ogi check --list` and the README
    counts: bool  # False: a report, never deciding whether an item passed
    needs_output: bool  # False: also run when the output did not decode (to say so)
    source: Path  # its module's file: the resume key includes it
    dataset: bool = False  # True: run once over all items (see the module docstring)


_REGISTRY: dict[str, Check] = {}


def register(group: str, *, config: type[BaseModel], order: int, reads: str, defaults: str | None = None,
             counts: bool = True, needs_output: bool = True, dataset: bool = False) -> Callable:
    """Register the decorated function as the check ``group`` (see the module docstring).
    ``defaults``: a YAML file name beside the check's module."""
    if not group.isidentifier():
        raise ValueError(f"check group {group!r}: expected a name of letters, digits and underscores")

    def decorate(fn: Callable) -> Callable:
        source = Path(inspect.getfile(fn)).resolve()
        known = _REGISTRY.get(group)
        if known is not None and known.source != source:
            raise ValueError(f"check group {group!r} is registered twice: {known.source} and {source}")
        _REGISTRY[group] = Check(group, fn, config, source.with_name(defaults) if defaults else None, order, reads,
                                 counts, needs_output, source, dataset)
        return fn

    return decorate


def unregister(group: str) -> None:
    """Forget the check ``group`` (for tests that register a check of their own)."""
    _REGISTRY.pop(group, None)


def _import_suite() -> None:
    from . import suite

    for module in pkgutil.iter_modules(suite.__path__):
        importlib.import_module(f"{suite.__name__}.{module.name}")


def checks() -> list[Check]:
    """Every registered check, in the order they run."""
    _import_suite()
    return sorted(_REGISTRY.values(), key=lambda c: (c.order, c.group))


def groups() -> tuple[str, ...]:
    """The registered check groups, in the order they run."""
    return tuple(c.group for c in checks())
