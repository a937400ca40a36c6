"""The one check of a taxonomy that every command runs before it lists, samples or plans.

Loading a taxonomy (``definition.taxonomy``) checks its files: YAML, keys, types, difficulty
mixes, Jinja syntax. :func:`validate_taxonomy` checks it as sampling will use it, every
subtask, not only the ones asked for: its builder exists, its params are ones the builder
declares, its templates use only slots the builder fills, known filters, no dunder names and
no failing constants (``{{ 1 // 0 }}``), and one item of every grade builds and renders with
the pools. So a taxonomy that ``ogi taxonomy`` lists is one that ``ogi sample`` and ``ogi
plan`` accept, and an error names file, subtask, key and what was expected.

``ogi taxonomy``, ``ogi sample``, ``ogi plan`` and ``planning.plan()`` call it; the
prototyping panel can call it on an edited taxonomy (``custom.with_subtask``).
"""
from __future__ import annotations

import re
import weakref
from pathlib import Path

from ..definition.taxonomy import Taxonomy, TaxonomyError, load_taxonomy
from ..definition.yaml_files import brief
from .sampler import BuildError, compiled, default_pools, render_each_template, sample

__all__ = ["validate_taxonomy", "load_valid_taxonomy"]

# (taxonomy, pools) pairs already validated: a command and the library calls under it check once.
_VALID: "weakref.WeakKeyDictionary[Taxonomy, weakref.WeakSet]" = weakref.WeakKeyDictionary()


def validate_taxonomy(taxonomy: Taxonomy, pools=None) -> Taxonomy:
    """Raise :class:`TaxonomyError` for the first subtask of ``taxonomy`` that would fail to
    sample with ``pools`` (default: the project's pools); return the taxonomy."""
    pools = pools if pools is not None else default_pools()
    done = _VALID.setdefault(taxonomy, weakref.WeakSet())
    if pools in done:
        return taxonomy
    for sub in taxonomy.subtasks:
        compiled(taxonomy, sub.id)  # builder, params, slots, filters, dunders, constants
        for grade in sub.grades:
            try:
                sample(sub.id, 1, seed=0, difficulty=grade, taxonomy=taxonomy, pools=pools)
            except TaxonomyError:
                raise
            except Exception as exc:  # a param value the builder refuses, a pool it cannot draw from
                message = " ".join(str(exc).split())
                raise TaxonomyError(f"{sub.file or '<taxonomy>'}: subtask {sub.id!r}: an item of difficulty {grade} "
                                    f"cannot be built (builder {sub.builder!r}, params {brief(sub.params)}): "
                                    f"{type(exc).__name__}: {message}{_pool_files(message, pools)}") from None
            try:  # every template, not only the one the sample drew: bounded, and saying something
                texts = render_each_template(compiled(taxonomy, sub.id), pools, grade)
            except BuildError as exc:  # names file, subtask and template
                raise TaxonomyError(" ".join(str(exc).split())) from None
            _check_texts(sub, grade, texts)
    done.add(pools)
    return taxonomy


def _check_texts(sub, grade: int, texts: dict[str, str]) -> None:
    """A template must say something in words: one rendering only ``12345`` is a mistake."""
    for template_id, text in texts.items():
        if not re.search(r"[^\W\d_]{2}", text):
            raise TaxonomyError(f"{sub.file or '<taxonomy>'}: subtask {sub.id!r}: template {template_id!r} renders "
                                f"no words at difficulty {grade} ({text[:40]!r}); expected an instruction")


def _pool_files(message: str, pools) -> str:
    """The files of the pools a message names (the fault may be in a pool file, not the taxonomy)."""
    files = getattr(pools, "files", {})
    named = [files[name] for name in dict.fromkeys(re.findall(r"pool '(\w+)'", message)) if name in files]
    return f" (pool files: {', '.join(map(str, named))})" if named else ""


def load_valid_taxonomy(path: str | Path | None = None, pools=None) -> Taxonomy:
    """:func:`~ogi_toolkit.definition.taxonomy.load_taxonomy`, then :func:`validate_taxonomy`."""
    return validate_taxonomy(load_taxonomy(path), pools)
