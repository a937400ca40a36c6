"""Notebook faces over the library (ipywidgets). Nothing in the library imports these."""
from .gallery import gallery_html
from .preview import preview_png
from .prototype import PrototypePanel
from .rating import RatingPanel

__all__ = ["PrototypePanel", "RatingPanel", "gallery_html", "preview_png"]
