"""Kept so code written against ``generate.atomic`` still imports: the writer lives in :mod:`ogi_toolkit.atomic_io`."""
from ..atomic_io import atomic_write_bytes

__all__ = ["atomic_write_bytes"]
