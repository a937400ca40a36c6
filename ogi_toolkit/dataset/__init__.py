"""Generated datasets as a DataFrame, exports, imports and the gallery (the files of a dataset
folder are read and written through :mod:`ogi_toolkit.folder`)."""
from .manifest import SPEC_COLUMNS, load_dataset

__all__ = ["SPEC_COLUMNS", "load_dataset"]
