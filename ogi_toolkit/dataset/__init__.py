"""Generated datasets on disk: the manifest and its images, as a DataFrame."""
from .manifest import MANIFEST_NAME, SPEC_COLUMNS, load_dataset, read_manifest

__all__ = ["MANIFEST_NAME", "SPEC_COLUMNS", "load_dataset", "read_manifest"]
