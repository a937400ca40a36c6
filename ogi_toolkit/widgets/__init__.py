"""Notebook faces over the library (ipywidgets). Nothing in the library imports these."""
from .gallery import gallery_html
from .preview import preview_png
from .prototype import PrototypePanel

__all__ = ["PrototypePanel", "gallery_html", "preview_png"]
