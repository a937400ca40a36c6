"""The layout record: what the sketch renderer says it drew, as ``ImageResult.meta``.

Checks, the gallery and tests read these keys; new keys are only added, none is renamed or
dropped. The typed dicts below are the contract (``total=False``: a key is there when the
picture has that part). What each key holds:


* ``size`` [W, H]; ``renderer``; ``caption`` (the footer strip's words); ``background`` (the
  family: plain, colour, indoor, street, city, water, beach, underwater, field, forest,
  mountain, desert, snow, sunset, night, space) and ``background_night`` (a place at night);
* ``objects``: one per object drawn: ``index`` (into the scene's objects), ``key`` (identity
  kept through edits), ``name``, ``count``, ``box`` (instances and label strip), ``instances``
  (one box per instance), ``colour_rgb``, ``z``; since 2.0 also ``glyph`` (the emoji's Unicode
  name, or the schematic glyph kind), ``glyph_source`` (emoji | schematic), ``pose``
  (stand, run, jump, lie, fall, turn, ...), ``pattern`` (material texture or None), ``tint``
  (the colour word or None), ``states`` (burnt, smoke, crack, melt, ...), ``support`` (key of
  the object it rests on or in, else None), ``label`` (the words drawn) and ``label_box``;
  ``panel`` (its panel's index, in a sequence);
* ``texts``: every scene text drawn (see :mod:`.texts`: text, lines, box, font, size, ...);
  ``description_caption`` only for a scene told in words that names nothing drawable;
* ``panels`` (sequences): ``box``, ``caption`` (the stage, not written), ``text_drawn`` (its
  number), ``objects`` (names drawn in it); ``trajectory`` (path kind and points);
* science: ``labels`` (text, box; a plot's marks also ``at``, the pixel of the point they
  name, and ``anchor``, the rule) and ``figure`` (``kind``, ``presentation``, ``look``);
* ``treatment`` (style, family, treatment name, footprint_px);
* edits (from :mod:`.backend`): ``changed_regions`` and ``pixels_changed`` (``total`` and
  ``outside_regions``, which is 0 when an edit changed only what it should).
* ``fidelity`` (since 2.2): how faithfully the renderer draws this kind of item: ``faithful``,
  ``partial`` or ``placeholder`` (see :mod:`.fidelity`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict

from PIL import Image

from .placement import Box

__all__ = ["Drawn", "FigureRecord", "LayoutRecord", "ObjectRecord", "PanelRecord", "PixelsChanged",
           "TrajectoryRecord", "TreatmentRecord"]


class ObjectRecord(TypedDict, total=False):
    index: int
    key: str
    name: str
    count: int
    box: list[int]
    instances: list[list[int]]
    colour_rgb: list[int]
    z: float
    glyph: str
    glyph_source: str
    pose: str | None
    pattern: str | None
    tint: str | None
    states: list[str]
    support: str | None
    label: str
    label_box: list[int]
    panel: int


class PanelRecord(TypedDict):
    box: list[int]
    caption: str
    text_drawn: str
    objects: list[str]


class TrajectoryRecord(TypedDict):
    path: str
    points: list[list[int]]


class FigureRecord(TypedDict):
    kind: str
    presentation: str | None
    look: str


class TreatmentRecord(TypedDict):
    style: str | None
    family: str | None
    name: str
    footprint_px: int


class PixelsChanged(TypedDict):
    total: int
    outside_regions: int


class LayoutRecord(TypedDict, total=False):
    size: list[int]
    renderer: str
    caption: str
    background: str
    background_night: bool
    objects: list[ObjectRecord]
    texts: list[dict]
    description_caption: dict
    panels: list[PanelRecord]
    trajectory: TrajectoryRecord
    labels: list[dict]
    figure: FigureRecord
    treatment: TreatmentRecord
    fidelity: str
    changed_regions: list[list[int]]
    pixels_changed: PixelsChanged


@dataclass
class Drawn:
    image: Image.Image
    meta: LayoutRecord
    drawables: dict[str, tuple[Box, str]] = field(default_factory=dict)  # key -> (box, signature)
    global_signature: str = ""


