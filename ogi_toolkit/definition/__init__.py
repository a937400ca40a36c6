"""The definition layer: the task taxonomy and the resource pools, loaded from data files."""
from .taxonomy import Domain, Subtask, Taxonomy, TaxonomyError, UnknownIdError, load_taxonomy

__all__ = ["Domain", "Subtask", "Taxonomy", "TaxonomyError", "UnknownIdError", "load_taxonomy", "load_pools", "Pools"]


def __getattr__(name: str):
    # The pools loader lives in its own module; imported on first use only.
    if name in ("load_pools", "Pools"):
        from . import pools

        return getattr(pools, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
