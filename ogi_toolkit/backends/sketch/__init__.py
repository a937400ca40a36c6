"""The offline ``sketch`` backend: an honest schematic renderer, not a generative model.

    from ogi_toolkit.backends.sketch import SketchBackend
    result = await SketchBackend().generate(ImageRequest(prompt=spec.instruction, spec=spec))
"""
from .backend import RENDERER_VERSION, SketchBackend, parse_size, render_request
from .render import RENDERER_NOTE
from .treatments import FAMILY_DEFAULTS, TREATMENTS

__all__ = ["FAMILY_DEFAULTS", "RENDERER_NOTE", "RENDERER_VERSION", "TREATMENTS", "SketchBackend", "parse_size",
           "render_request"]
