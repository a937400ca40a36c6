"""Notebook faces over the library (ipywidgets). Nothing in the library imports these."""
from .preview import preview_png
from .prototype import PrototypePanel

__all__ = ["PrototypePanel", "preview_png"]
