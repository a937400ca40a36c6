"""The builder registry: what a subtask's ``builder:`` key names.

A builder is a small pure function of a :class:`BuildContext`: it samples pool items for the
requested difficulty and returns :class:`Built` (canonical slots, surface words for the
template, and the structured scene / source / edits). Builders register themselves with
``@register("name")``; every module of the ``generation`` and ``editing`` packages (and
``slots.py``, the generic builder for user subtasks) is imported on first lookup, so adding a
builder is adding a module, with no list to edit.
"""
from __future__ import annotations

import difflib
import importlib
import pkgutil
import random
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable


from ...definition.taxonomy import UnknownIdError
from ...spec import Edit, Reference, Scene, Turn
from ..grammar import Lexicon
from .kit import Index, index_of

__all__ = ["BuildContext", "Built", "Builder", "register", "get_builder", "builder_names"]


@dataclass(frozen=True)
class BuildContext:
    """What a builder gets (see ``builders/kit.py`` for how builders use it)."""

    rng: random.Random  # seeded for the item: rng.choice, rng.random() < p, rng.randrange, rng.sample
    pools: Any  # ogi_toolkit.definition.pools.Pools (typed loosely: the pools module is optional here)
    difficulty: int
    params: dict
    subtask: str
    kind: str = "generation"  # the subtask's kind; lets a generic builder fill scene or source
    index: Index = None  # type: ignore[assignment]  # the pools' index: made from pools when not given

    def __post_init__(self):
        if self.index is None:
            object.__setattr__(self, "index", index_of(self.pools))

    @property
    def lexicon(self) -> Lexicon:
        """The pools' articles and plurals: ``ctx.lexicon.a(phrase)``, ``ctx.lexicon.plural(noun, n)``."""
        return self.index.lexicon


@dataclass
class Built:
    """What a builder returns. The structured parts are the spec's models (``Scene(...)``) or
    their records (``Scene.record(...)``: plain JSON, ~3x cheaper; the library's builders use
    them)."""

    # Canonical values (pool ids, numbers): the spec's ``slots`` and the dedup key.
    slots: dict
    # Jinja context: surface phrases (synonym choices live here, so dedup ignores them).
    # Templates see ``{**slots, **words}``.
    words: dict
    scene: Scene | dict | None = None  # generation: what the output must show
    source: Scene | dict | None = None  # editing: the input image (with ``description`` set)
    edits: list[Edit | dict] = field(default_factory=list)
    turns: list[Turn | dict] = field(default_factory=list)
    reference: Reference | dict | None = None


Builder = Callable[[BuildContext], Built]

_REGISTRY: dict[str, Builder] = {}
# Packages whose modules hold builders; imported once, on the first lookup.
_BUILDER_PACKAGES = ("generation", "editing")
_loaded = False


def register(name: str, *, slot_names: Iterable[str] | Callable[[dict], Iterable[str]] | None = None,
             params: Iterable[str] = ()) -> Callable[[Builder], Builder]:
    """Decorator: ``@register("spatial_relations") def build(ctx) -> Built``.

    ``slot_names`` (optional) declares every variable the builder puts into slots/words (or a
    function of the subtask's ``params`` returning them), so a template that uses an unknown
    slot is rejected when the subtask is compiled, before sampling. ``params`` names every key
    of a subtask's ``params`` the builder reads; any other key is rejected when the subtask is
    compiled (a typo would otherwise be silently ignored).
    """

    def decorate(fn: Builder) -> Builder:
        existing = _REGISTRY.get(name)
        if existing is not None and _qualname(existing) != _qualname(fn):
            raise ValueError(f"builder {name!r} is registered twice: {_qualname(existing)} and {_qualname(fn)}")
        if slot_names is not None:
            fn.slot_names = slot_names if callable(slot_names) else tuple(slot_names)  # type: ignore[attr-defined]
        fn.declared_params = tuple(params)  # type: ignore[attr-defined]
        _REGISTRY[name] = fn
        return fn

    return decorate


def _qualname(fn: Callable) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


def _load_builder_modules() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True  # set first: a module that imports this one must not recurse
    package = __name__.rsplit(".", 1)[0]
    importlib.import_module(f"{package}.slots")
    for sub in _BUILDER_PACKAGES:
        pkg = importlib.import_module(f"{package}.{sub}")
        for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
            importlib.import_module(f"{pkg.__name__}.{info.name}")


def builder_names() -> list[str]:
    _load_builder_modules()
    return sorted(_REGISTRY)


def get_builder(name: str) -> Builder:
    """The builder registered as ``name``; KeyError lists the close names."""
    _load_builder_modules()
    try:
        return _REGISTRY[name]
    except KeyError:
        close = difflib.get_close_matches(name, _REGISTRY, n=5, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; registered: {', '.join(sorted(_REGISTRY))}"
        raise UnknownIdError(f"unknown builder {name!r}{hint}") from None
