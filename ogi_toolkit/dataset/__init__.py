"""Generated datasets as a DataFrame, exports, imports and the gallery (the files of a dataset
folder are read and written through :mod:`ogi_toolkit.folder`)."""

__all__ = ["SPEC_COLUMNS", "load_dataset"]


def __getattr__(name: str):
    # pandas is imported only when a DataFrame is asked for: `ogi` lists the export formats of
    # this package on every start, which must not cost a pandas import.
    if name in __all__:
        from . import manifest

        return getattr(manifest, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
