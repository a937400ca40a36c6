"""The one record type that flows through the pipeline: the instruction spec.

A spec is what the planner writes (one JSON line each in ``plan.jsonl``). Later stages read
its structured parts — never re-parse the instruction text:

* ``scene``: what the output image of a generation item must show.
* ``source``: what the input image of an editing item shows (its ``description`` is the
  prompt that produces that input image when no image is given).
* ``edits``: the edit operations of a single-turn editing item (complex editing: 2-4).
* ``turns``: multi-turn items, each turn editing the previous turn's result.
* ``reference``: reference-image items, the second input image and the subject taken from it.

Object references inside ``relations`` and ``edits`` are indices into the list of objects of
the scene they apply to (for edits: the scene as it is before that edit). ``texts`` are
referenced the same way by text edits.

The planner's builders make each part as a *record* (``Scene.record(...)``: the JSON the model
dumps to, made without a model, ~3x cheaper); whoever reads a plan gets validated models.
A paper-scale plan is ~10^5 specs of ~7 parts each: building, serialising and freeing them as
models took a sixth of its time.
"""
from __future__ import annotations

import functools
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["generation", "editing"]

EditOp = Literal[
    "add",  # put a new object (``object``) into the scene, optionally ``relation`` to ``anchor``
    "remove",  # take object ``target`` out
    "replace",  # swap object ``target`` for ``object``
    "alter",  # change ``attribute`` (colour, material, size, texture, pattern) of ``target`` to ``value``
    "extract",  # keep only object ``target``, on a plain background
    "move",  # move object ``target`` to ``relation`` of ``anchor`` (or to ``value``: left, top...)
    "text_add",  # write ``text`` into the scene
    "text_replace",  # replace text ``target`` by ``text``
    "text_alter",  # change ``attribute`` (colour, font, size) of text ``target`` to ``value``
    "text_remove",  # erase text ``target``
    "background",  # change the background/scene to ``value``
    "style",  # restyle the whole image to style ``value``
    "material",  # change the material of ``target`` to ``value``
    "motion",  # change the action/pose of ``target`` to ``value``
]
EDIT_OPS: tuple[str, ...] = EditOp.__args__  # type: ignore[attr-defined]


_MISSING = object()


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @classmethod
    def record(cls, **fields: Any) -> dict[str, Any]:
        """The JSON record of ``cls(**fields)``, made without building a model: the keys and
        order ``model_dump(exclude_none=True)`` gives (defaults filled in, None left out). An
        unknown or missing required field is a TypeError. Nothing is validated (nested parts
        must be records already): the sampler checks the first item of every grade against
        the models, and the tests check every subtask's samples."""
        table = _field_table(cls)
        unknown = fields.keys() - table.keys()
        if unknown:
            raise TypeError(f"{cls.__name__}.record: unknown field(s) {sorted(unknown)}; fields: {', '.join(table)}")
        out: dict[str, Any] = {}
        for name, (required, default, factory) in table.items():
            value = fields.get(name, _MISSING)
            if value is _MISSING:
                if required:
                    raise TypeError(f"{cls.__name__}.record: missing required field {name!r}")
                value = factory() if factory is not None else default
            if value is not None:
                out[name] = value
        return out


@functools.cache
def _field_table(model: type[BaseModel]) -> dict[str, tuple[bool, Any, Any]]:
    """name -> (required, default, default factory) for each field of ``model``, in order."""
    return {name: (f.is_required(), f.default, f.default_factory) for name, f in model.model_fields.items()}


class SceneObject(_Strict):
    """One object (or a group of ``count`` identical ones) in a scene."""

    name: str  # the object's name as in the Object pool, e.g. "rubber duck"
    category: str | None = None
    count: int = Field(1, ge=1)
    colour: str | None = None
    material: str | None = None
    size: str | None = None  # a size word from the Qualifier pool: "tiny", "large", ...
    action: str | None = None  # what it is doing: "running", "holding a cup"
    attributes: dict[str, str] = Field(default_factory=dict)  # texture, pattern, state, ...


class Relation(_Strict):
    """``objects[subject]`` stands in ``relation`` to ``objects[object]``.

    ``relation`` is a canonical relation id from the Relation pool (``left_of``, ``above``,
    ``inside``, ``larger_than``, ``mirrors``, ``holding``...), never a surface synonym.
    """

    subject: int = Field(ge=0)
    relation: str
    object: int | None = Field(None, ge=0)


class TextItem(_Strict):
    """A string that must appear in the image, exactly."""

    text: str
    language: str = "en"  # BCP-47 code
    script: str = "Latn"  # ISO 15924 code: Latn, Cyrl, Arab, Hans, Jpan, Kore, Deva, Grek, Hebr
    role: str | None = None  # sign, title, label, caption, poster headline, ...
    font: str | None = None  # serif, handwritten, bold sans, neon, ...
    colour: str | None = None
    on: int | None = Field(None, ge=0)  # index of the object the text is written on


class Scene(_Strict):
    """What an image shows, as structure. Every field is optional; renderers draw what is set."""

    description: str | None = None  # plain prompt that produces this scene
    objects: list[SceneObject] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    texts: list[TextItem] = Field(default_factory=list)
    background: str | None = None  # a scene/background from the Qualifier pool
    style: str | None = None  # a style id from the style pool
    style_family: str | None = None  # artistic_traditions | media_illustration | photographic | speculative_fantasy
    lighting: str | None = None
    camera: str | None = None
    layout: str | None = None  # free layout hint: grid, row, symmetric, panels, trajectory, diagram, ...
    panels: int | None = Field(None, ge=1)  # sequence images: how many stages are shown
    concept: str | None = None  # scientific concept id
    concept_kind: str | None = None  # how it is shown: diagram, plot, map, cross_section, timeline, ...
    labels: list[str] = Field(default_factory=list)  # labels a diagram must carry


class Edit(_Strict):
    """One edit operation; fields used depend on ``op`` (see ``EditOp``)."""

    op: EditOp
    instruction: str | None = None  # the sub-instruction text, for complex and multi-turn items
    target: int | None = Field(None, ge=0)
    object: SceneObject | None = None
    attribute: str | None = None
    value: str | None = None
    relation: str | None = None
    anchor: int | None = Field(None, ge=0)
    text: TextItem | None = None


# How a multi-turn instruction names an object an earlier turn made, by how it was made: a
# clause after the noun ("the dog you added") or a word before it ("the new dog"). The builder
# writes them; the exports that flatten a chain into single edits read them back out.
EARLIER_TURN_LABELS = {"added": "you added", "replaced": "new"}


class Turn(_Strict):
    """One round of a multi-turn edit: applied to the previous round's output."""

    instruction: str
    edits: list[Edit]


class Reference(_Strict):
    """The second input image of a reference-image edit and the subject it supplies."""

    scene: Scene
    subject: int = Field(0, ge=0)  # index into ``scene.objects``


# How reference-edit instructions name the second input image (the builders say it in words so an
# instruction reads on its own; the released data writes ``<image>``): the builders draw from
# this list, the OpenGPT export turns a mention back into the placeholder.
REFERENCE_MENTIONS = ("the second image", "the reference image", "the reference photo", "the other picture",
                      "the image provided", "the attached photo", "the second photo", "the reference picture",
                      "the supplied image", "the extra picture")
_MENTION = re.compile("|".join(re.escape(m) for m in REFERENCE_MENTIONS), re.IGNORECASE)


def with_image_placeholder(instruction: str) -> str:
    """The released form of a reference-image instruction: its mention of the second image
    ("the reference photo") becomes ``<image>``."""
    return _MENTION.sub("<image>", instruction)


class RewriteNote(_Strict):
    """Set by ``ogi rewrite``: the spec's ``instruction`` (and turns' instructions) are a chat
    model's rewrite; what was planned is kept here. ``status``: ``rewritten`` (first try kept
    every constraint), ``retried`` (kept them on the second try), ``kept`` (both tries lost one:
    the planned text is kept, ``reasons`` say what was lost) or ``refused`` (the model refused:
    the planned text is kept)."""

    original: str  # the planned instruction
    status: Literal["rewritten", "retried", "kept", "refused"]
    model: str | None = None
    reasons: list[str] = Field(default_factory=list)
    turns: list[str] = Field(default_factory=list)  # the planned instruction of each turn (multi-turn items)


class InstructionSpec(_Strict):
    """One planned instruction. See the module docstring for the meaning of each part."""

    id: str
    kind: Kind
    domain: str
    subtask: str
    template_id: str
    difficulty: int = Field(ge=1)
    seed: int
    instruction: str
    slots: dict[str, Any] = Field(default_factory=dict)
    scene: Scene | None = None
    source: Scene | None = None
    edits: list[Edit] = Field(default_factory=list)
    turns: list[Turn] = Field(default_factory=list)
    reference: Reference | None = None
    # how a calibration file moved this subtask's difficulty mix (planning.calibration), if one did
    calibration: dict[str, Any] | None = None
    rewrite: RewriteNote | None = None  # set when the instruction is a rewrite (``ogi rewrite``)

    def to_json(self) -> str:
        return self.model_dump_json(exclude_none=True)

    @classmethod
    def from_json(cls, line: str) -> "InstructionSpec":
        return cls.model_validate_json(line)
